"""The score side of an analysis: score drivers and the comparison of two periods."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..attribution.stats import rolled_up
from ..errors import FeedbackMinerError, InputFileError
from ..ingest import FileSummary
from ..summary.changes import Changes, period_changes, split_periods
from ..summary.trends import theme_flags
from ..themes import Taxonomy
from .drivers import ScoreDrivers, score_drivers, theme_matrix
from .metrics import ScoreMetric, choose_metric, contributions
from .source import score_values

__all__ = ["ScoreAnalysis", "ScoreOptions", "analyze_scores"]


@dataclass(frozen=True)
class ScoreOptions:
    """The command line's score and period options."""

    score_col: str | None = None
    score_metric: str | None = None
    period: str = "month"
    split_date: str | None = None
    baseline: Path | None = None
    seed: int = 0


@dataclass(frozen=True)
class ScoreAnalysis:
    """Score drivers and period changes, each with why it is missing when it is."""

    drivers: ScoreDrivers | None
    drivers_note: str | None
    changes: Changes | None
    changes_note: str | None


def analyze_scores(
    docs: pd.DataFrame,
    mentions: pd.DataFrame,
    files: Sequence[FileSummary],
    taxonomy: Taxonomy,
    options: ScoreOptions | None = None,
) -> ScoreAnalysis:
    """Score drivers (when a rating is there) and the period comparison (when dates allow)."""
    options = options or ScoreOptions()
    source = score_values(docs, files, options.score_col)
    drivers = metric = None
    drivers_note: str | None = (
        "no input has a rating column (NPS, 满意度, stars): name one with --score-col"
    )
    if source is not None and source.rated:
        metric = choose_metric(pd.Series(source.values), source.column, options.score_metric)
        drivers = score_drivers(
            docs, mentions, taxonomy, source.values, metric, column=source.column, seed=options.seed
        )
        drivers_note = None
    changes, changes_note = None, None
    try:
        values = source.values if source is not None and drivers is not None else None
        changes = _changes(docs, mentions, taxonomy, options, values, metric)
    except FeedbackMinerError as error:
        if options.split_date is not None or options.baseline is not None:
            raise
        changes_note = str(error)
    return ScoreAnalysis(drivers, drivers_note, changes, changes_note)


def _changes(
    docs: pd.DataFrame,
    mentions: pd.DataFrame,
    taxonomy: Taxonomy,
    options: ScoreOptions,
    values: np.ndarray | None,
    metric: ScoreMetric | None,
) -> Changes:
    matrix = theme_matrix(docs, mentions, taxonomy).assign(
        sentiment_score=docs["sentiment_score"].to_numpy(dtype=float)
    )
    score = contributions(values, metric) if values is not None and metric is not None else None
    if options.baseline is not None:
        old = _baseline(options.baseline, taxonomy)
        old_score = None
        if score is not None and metric is not None and "rating" in old.columns:
            old_score = contributions(
                pd.to_numeric(old["rating"], errors="coerce").to_numpy(), metric
            )
        return period_changes(
            old,
            matrix,
            taxonomy,
            (f"{options.baseline.name}", "this run"),
            score_before=old_score,
            score_after=score if old_score is not None else None,
            texts_after=docs["text"].reset_index(drop=True),
        )
    before, after, first, second = split_periods(
        docs["created_at"], period=options.period, split_date=options.split_date
    )
    return period_changes(
        matrix[before].reset_index(drop=True),
        matrix[after].reset_index(drop=True),
        taxonomy,
        (first, second),
        score_before=score[before] if score is not None else None,
        score_after=score[after] if score is not None else None,
        texts_after=docs["text"][after].reset_index(drop=True),
    )


def _baseline(path: Path, taxonomy: Taxonomy) -> pd.DataFrame:
    """A previous run's docs table as documents x themes (its ``themes`` column, rolled up)."""
    if not path.exists():
        raise InputFileError(
            f"--baseline {path}: file not found. Give a docs table of an earlier run."
        )
    try:
        old = pd.read_parquet(path) if path.suffix.lower() == ".parquet" else pd.read_csv(path)
    except Exception as error:  # pandas and pyarrow raise many kinds for a damaged table
        raise InputFileError(
            f"--baseline {path}: cannot read it as a docs table ({type(error).__name__}: {error})."
        ) from None
    missing = [c for c in ("themes", "sentiment_score") if c not in old.columns]
    if missing:
        raise InputFileError(
            f"--baseline {path}: a docs table written by analyze --docs needs the columns "
            f"themes and sentiment_score; missing: {', '.join(missing)}."
        )
    matrix = rolled_up(theme_flags(old.reset_index(drop=True), taxonomy.ids), taxonomy)
    matrix["sentiment_score"] = pd.to_numeric(old["sentiment_score"], errors="coerce").to_numpy()
    if "rating" in old.columns:
        matrix["rating"] = old["rating"].to_numpy()
    return matrix
