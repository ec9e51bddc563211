"""The run summary (``analyze --summary FILE.json``): the run's key figures for scripts and
monitoring, in a stable shape (DESIGN.md: "summary")."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..result import AnalysisResult
from ..summary.coverage import taxonomy_coverage
from .files import replacing

__all__ = ["run_summary", "write_run_summary"]


def run_summary(result: AnalysisResult) -> dict[str, Any]:
    """The summary as a JSON-ready dict.

    Keys: ``documents, users, labelled_users, churn_rate, incremental_auc``
    (``null`` without labels, or when it could not be measured: see
    ``warnings``), ``taxonomy {name, coverage, negative_coverage}``,
    ``warnings [{code, message}]`` and ``alerts`` (period alerts, when a
    period comparison ran).
    """
    docs = result.docs
    users = docs["user_id"].dropna().astype(str).nunique()
    labelled = churn_rate = None
    if result.labels is not None:
        frame = result.labels.frame
        labelled = len(frame)
        churn_rate = float(frame["churned"].mean()) if len(frame) else None
    incremental = None
    if result.incremental is not None:
        value = result.incremental
        incremental = {
            "base": value.auc_covariates,
            "with_text": value.auc_with_text,
            "gain": value.delta,
            "ci_low": value.ci_low,
            "ci_high": value.ci_high,
            "baseline": value.baseline,
            "baselines": value.baselines,
            "cutoff": str(value.cutoff.date.date()) if value.cutoff else None,
            "outcome_end": str(value.cutoff.end.date()) if value.cutoff else None,
            "users": value.n_users,
            "churned_after_cutoff": value.n_churned,
        }
    coverage = taxonomy_coverage(docs)
    return {
        "documents": len(docs),
        "users": int(users),
        "labelled_users": labelled,
        "churn_rate": churn_rate,
        "incremental_auc": incremental,
        "taxonomy": {
            "name": result.taxonomy.name,
            "coverage": coverage.coverage,
            "negative_coverage": coverage.negative_coverage,
        },
        "warnings": [{"code": w.code, "message": w.message} for w in result.warnings],
        "alerts": _alerts(result),
    }


def _alerts(result: AnalysisResult) -> list[dict[str, Any]]:
    """Themes rising or new between the two periods (see :mod:`feedback_miner.summary.changes`)."""
    if result.changes is None:
        return []
    return [
        {
            "theme_id": row["theme_id"],
            "theme_name": row["theme_name"],
            "flag": row["flag"],
            "period_before": row["period_before"],
            "period_after": row["period_after"],
            "share_before": float(row["share_before"]),
            "share_after": float(row["share_after"]),
            "q_value": float(row["q_value"]),
        }
        for row in result.changes.alerts().to_dict("records")
    ]


def write_run_summary(result: AnalysisResult, path: str | Path) -> Path:
    """Write :func:`run_summary` as UTF-8 JSON (whole or not at all)."""
    out = Path(path)
    with replacing(out, "--summary") as temporary:
        temporary.write_text(
            json.dumps(run_summary(result), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
    return out
