"""One analysis of the three samples with churn labels, shared by the report tests
(an analysis takes about twenty seconds; the report tests only read it)."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from feedback_miner.pipeline import analyze
from feedback_miner.report import build_report
from feedback_miner.result import AnalysisResult, LabelOptions

INPUTS = ("survey_wjx.xlsx", "service_tickets.csv", "social_posts.csv")


@pytest.fixture(scope="session")
def report_result(samples_dir: Path) -> AnalysisResult:
    return analyze(
        [samples_dir / n for n in INPUTS], labels=LabelOptions(samples_dir / "churn_labels.csv")
    )


@pytest.fixture(scope="session")
def workbook(report_result: AnalysisResult, tmp_path_factory):
    """The Chinese report of :func:`report_result`, read back."""
    path = tmp_path_factory.mktemp("report") / "r.xlsx"
    build_report(report_result, path)
    return load_workbook(path)
