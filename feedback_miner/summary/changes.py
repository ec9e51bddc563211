"""What changed between two periods: themes that grew or shrank, and what moved the score.

The two periods are the last two months (weeks, quarters) of the documents'
dates, or the documents before and after a split date, or a previous run's
docs table and this one. Per theme: its share of documents in each period,
the change, a two-proportion z-test with Benjamini-Hochberg q-values across
themes, and a flag: ``new`` (absent before, at least five documents now),
``gone`` (the reverse), ``rising`` / ``falling`` (at least five documents on
the larger side), each only when q < 0.05, else ``steady``. Periods with
fewer than 30 dated documents (a month that has only begun) are passed over:
the last two periods with enough documents are compared. Beside it, the change of the
mean sentiment of the theme's documents, and with a score how many points of
the score's change the theme explains: by its volume (its change of share
times the gap between its documents' score and the others', as it was) and
by its effect (how that gap itself moved, at the new share).
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats

from ..errors import FeedbackMinerError, invalid_choice_message
from ..themes import Taxonomy

__all__ = ["CHANGE_COLUMNS", "PERIODS", "Changes", "Period", "period_changes", "split_periods"]

Period = Literal["month", "week", "quarter"]
PERIODS: tuple[str, ...] = ("month", "week", "quarter")
CHANGE_COLUMNS = (
    "theme_id",
    "theme_name",
    "period_before",
    "period_after",
    "n_before",
    "n_after",
    "share_before",
    "share_after",
    "change",
    "p_value",
    "q_value",
    "flag",
)
_MIN_DOCS = 5
_MIN_PERIOD_DOCS = 30
_ALERT_Q = 0.05
_FREQUENCY = {"month": "M", "week": "W-SUN", "quarter": "Q"}


@dataclass(frozen=True)
class Changes:
    """The period comparison.

    Attributes
    ----------
    table : pandas.DataFrame
        :data:`CHANGE_COLUMNS`, then ``sentiment_before, sentiment_after,
        sentiment_change`` and, with a score, ``score_volume_effect`` and
        ``score_effect_change`` (points of the score's change).
    before, after : str
        The periods' names.
    docs_before, docs_after : int
        Documents in each.
    score_before, score_after : float or None
        The score in each period, when there is one.
    quotes : dict
        Theme id -> the most negative text of the later period that mentions
        it, for the themes flagged ``rising`` or ``new``.
    """

    table: pd.DataFrame
    before: str
    after: str
    docs_before: int
    docs_after: int
    score_before: float | None = None
    score_after: float | None = None
    quotes: dict[str, str] = field(default_factory=dict)

    def alerts(self) -> pd.DataFrame:
        """The rows to look at: themes rising or new, most changed first."""
        flagged = self.table[self.table["flag"].isin(["rising", "new"])]
        return flagged.sort_values("change", ascending=False, kind="mergesort")


def split_periods(
    created: pd.Series, *, period: str = "month", split_date: str | None = None
) -> tuple[np.ndarray, np.ndarray, str, str]:
    """Masks of the documents before and after, and the two periods' names.

    Raises
    ------
    FeedbackMinerError
        When ``period`` is unknown, the split date is no date, or the
        documents do not span two periods.
    """
    dates = pd.to_datetime(created, errors="coerce")
    if split_date is not None:
        try:
            cut = pd.Timestamp(split_date)
        except (ValueError, TypeError):
            raise FeedbackMinerError(
                f"--split-date {split_date!r} is not a date; give it as YYYY-MM-DD."
            ) from None
        before, after = (dates < cut).to_numpy(), (dates >= cut).to_numpy()
        if not before.any() or not after.any():
            raise FeedbackMinerError(
                f"--split-date {cut.date()}: every dated document falls on one side of it "
                f"(from {dates.min().date()} to {dates.max().date()}); choose a date between."
            )
        return before, after, f"< {cut.date()}", f">= {cut.date()}"
    if period not in PERIODS:
        raise FeedbackMinerError(invalid_choice_message("--period", period, PERIODS))
    labels = dates.dt.to_period(_FREQUENCY[period])
    counts = labels.value_counts()
    present = sorted(counts[counts >= _MIN_PERIOD_DOCS].index)
    if len(present) < 2:
        raise FeedbackMinerError(
            f"the dated documents fill only {len(present)} {period}(s) with at least "
            f"{_MIN_PERIOD_DOCS} documents; comparing periods needs two. Use --period with a "
            "longer period, --split-date DATE or --baseline OLD_DOCS instead."
        )
    last, previous = present[-1], present[-2]
    return (
        (labels == previous).to_numpy(),
        (labels == last).to_numpy(),
        str(previous),
        str(last),
    )


def period_changes(
    before: pd.DataFrame,
    after: pd.DataFrame,
    taxonomy: Taxonomy,
    names: tuple[str, str],
    *,
    score_before: np.ndarray | None = None,
    score_after: np.ndarray | None = None,
    texts_after: pd.Series | None = None,
) -> Changes:
    """Compare the themes of two sets of documents.

    Parameters
    ----------
    before, after : pandas.DataFrame
        Documents x themes (0/1, rolled up), plus ``sentiment_score``.
    taxonomy : Taxonomy
        The themes.
    names : (str, str)
        The periods' names.
    score_before, score_after : numpy.ndarray, optional
        Each document's contribution to the score (NaN for none).
    texts_after : pandas.Series, optional
        The later documents' texts (aligned with ``after``), for the quotes.
    """
    n0, n1 = len(before), len(after)
    rows = []
    for theme in taxonomy.themes:
        a = int(before[theme.id].sum()) if n0 else 0
        b = int(after[theme.id].sum()) if n1 else 0
        p0, p1 = (a / n0 if n0 else 0.0), (b / n1 if n1 else 0.0)
        row: dict[str, object] = {
            "theme_id": theme.id,
            "theme_name": theme.name,
            "period_before": names[0],
            "period_after": names[1],
            "n_before": a,
            "n_after": b,
            "share_before": p0,
            "share_after": p1,
            "change": p1 - p0,
            "p_value": _two_proportions(a, n0, b, n1),
            "q_value": np.nan,
            "flag": "steady",
            "sentiment_before": _mean(before.loc[before[theme.id] == 1, "sentiment_score"]),
            "sentiment_after": _mean(after.loc[after[theme.id] == 1, "sentiment_score"]),
        }
        row["sentiment_change"] = row["sentiment_after"] - row["sentiment_before"]  # type: ignore[operator]
        if score_before is not None and score_after is not None:
            row.update(_score_effects(before[theme.id], after[theme.id], score_before, score_after))
        rows.append(row)
    table = pd.DataFrame(rows)
    tested = table["p_value"].notna()
    if tested.any():
        from statsmodels.stats.multitest import multipletests

        table.loc[tested, "q_value"] = multipletests(table.loc[tested, "p_value"], method="fdr_bh")[
            1
        ]
    table["flag"] = [_flag(r) for r in table.to_dict("records")]
    total = (
        (_nanmean(score_before), _nanmean(score_after))
        if score_before is not None and score_after is not None
        else (None, None)
    )
    changes = Changes(table, names[0], names[1], n0, n1, total[0], total[1])
    if texts_after is not None:
        for theme_id in changes.alerts()["theme_id"]:
            inside = after[theme_id].to_numpy() == 1
            scores = after["sentiment_score"].to_numpy(dtype=float)
            order = np.argsort(np.where(inside, np.nan_to_num(scores, nan=0.0), np.inf))
            if inside.any():
                changes.quotes[str(theme_id)] = str(texts_after.iloc[int(order[0])])
    return changes


def _flag(row: dict[Hashable, object]) -> str:
    a, b = int(row["n_before"]), int(row["n_after"])  # type: ignore[call-overload]
    q = row["q_value"]
    significant = isinstance(q, float) and not np.isnan(q) and q < _ALERT_Q
    if not significant:
        return "steady"
    if a == 0 and b >= _MIN_DOCS:
        return "new"
    if b == 0 and a >= _MIN_DOCS:
        return "gone"
    change = float(row["change"])  # type: ignore[arg-type]
    if significant and change > 0 and b >= _MIN_DOCS:
        return "rising"
    if significant and change < 0 and a >= _MIN_DOCS:
        return "falling"
    return "steady"


def _two_proportions(a: int, n0: int, b: int, n1: int) -> float:
    """Two-sided p-value of the pooled two-proportion z-test (NaN without documents)."""
    if not n0 or not n1 or a + b == 0:
        return np.nan
    pooled = (a + b) / (n0 + n1)
    se = np.sqrt(pooled * (1 - pooled) * (1 / n0 + 1 / n1))
    if se == 0:
        return np.nan
    z = (b / n1 - a / n0) / se
    return float(2 * stats.norm.sf(abs(z)))


def _mean(values: pd.Series) -> float:
    values = values.dropna()
    return float(values.mean()) if len(values) else np.nan


def _nanmean(values: np.ndarray) -> float | None:
    finite = values[np.isfinite(values)]
    return float(finite.mean()) if len(finite) else None


def _score_effects(
    in_before: pd.Series, in_after: pd.Series, score_before: np.ndarray, score_after: np.ndarray
) -> dict[str, float]:
    """Points of the score's change the theme explains: by its volume, and by its effect."""
    gaps, shares = [], []
    for inside, score in (
        (in_before.to_numpy() == 1, score_before),
        (in_after.to_numpy() == 1, score_after),
    ):
        rated = np.isfinite(score)
        with_theme, others = score[rated & inside], score[rated & ~inside]
        shares.append(inside[rated].mean() if rated.any() else np.nan)
        gaps.append(
            with_theme.mean() - others.mean() if len(with_theme) and len(others) else np.nan
        )
    return {
        "score_volume_effect": float((shares[1] - shares[0]) * gaps[0]),
        "score_effect_change": float(shares[1] * (gaps[1] - gaps[0])),
    }
