"""Guardrails against confounding by who the customer is or wrote to.

Feedback arrives through segments the label file does not describe: the
channel, the source, the company or brand a text addresses, the inputs' own
columns (``meta:``). When such a segment both goes with churn and decides
which themes users mention (telecom customers complain about the network and
churn more than app users), a theme can look like a driver while it only
marks the segment. Each significant theme is checked within every such
segment: when its Mantel-Haenszel odds ratio across the segment's levels has
an interval that covers 1, or falls at least halfway back to 1 on the log
scale, it is flagged ``possible_confounder`` with the segment's name; adding
the segment to the model (``--adjust-for``) is then the fix to try.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from ..joins import take, user_codes

__all__ = [
    "ConfounderFlag",
    "candidate_segments",
    "check_confounders",
    "segment_label",
    "user_segments",
]

SEGMENT_COLUMNS = ("source", "channel", "addressee")
_MAX_LEVELS = 12
_MIN_PER_LEVEL = 10
_CHURN_P = 0.01
_OTHER = "(其他)"


@dataclass(frozen=True)
class ConfounderFlag:
    """A theme whose effect vanishes within a segment.

    Attributes
    ----------
    theme_id : str
        The theme.
    segment : str
        The segment column (as the docs table names it).
    odds_ratio : float
        The theme's odds ratio in the attribution model.
    within_odds_ratio, within_ci_low, within_ci_high : float
        Its Mantel-Haenszel odds ratio within the segment's levels, with 95% interval.
    churn_p_value : float
        How strongly the segment goes with churn (chi-square test).
    """

    theme_id: str
    segment: str
    odds_ratio: float
    within_odds_ratio: float
    within_ci_low: float
    within_ci_high: float
    churn_p_value: float

    def message(self, theme_name: str) -> str:
        """The warning, in words."""
        return (
            f"{theme_name}: the odds ratio {self.odds_ratio:.2f} falls to "
            f"{self.within_odds_ratio:.2f} (95% CI {self.within_ci_low:.2f}-"
            f"{self.within_ci_high:.2f}) within the levels of {segment_label(self.segment)}, "
            "which itself goes with churn: the theme may only mark who the customers are. "
            f"Add --adjust-for {segment_label(self.segment)} to the analysis."
        )


def segment_label(column: str) -> str:
    """A segment column as users name it (``meta:渠道`` -> ``渠道``)."""
    return column.removeprefix("meta:")


def candidate_segments(docs: pd.DataFrame, exclude: Sequence[str] = ()) -> list[str]:
    """Document columns that can be segments: a few values (2-12), each on enough texts."""
    found = []
    for column in docs.columns:
        name = str(column)
        if name in exclude or segment_label(name) in exclude:
            continue
        if name not in SEGMENT_COLUMNS and not name.startswith("meta:"):
            continue
        counts = docs[column].dropna().astype(str).value_counts()
        if 2 <= len(counts) <= _MAX_LEVELS and counts.iloc[1] >= _MIN_PER_LEVEL:
            found.append(name)
    return found


def user_segments(docs: pd.DataFrame, users: pd.Index, columns: Sequence[str]) -> pd.DataFrame:
    """Per user (index ``users``), the value of each segment column on most of their texts.

    Users without a text in a column get ``(其他)``; ties go to the value first
    in sort order.
    """
    codes, names = user_codes(docs["user_id"])
    row_of_user = users.get_indexer(names)
    doc_row = take(row_of_user, codes, fill=-1)
    out = pd.DataFrame(index=users)
    for column in columns:
        values = docs[column].astype(object).to_numpy()
        frame = pd.DataFrame({"user": doc_row, "value": values})
        frame = frame[(frame["user"] >= 0) & frame["value"].notna()]
        frame["value"] = frame["value"].astype(str)
        counts = frame.groupby(["user", "value"]).size().reset_index(name="n")
        counts = counts.sort_values(["user", "n", "value"], ascending=[True, False, True])
        top = counts.drop_duplicates("user")
        column_values = np.full(len(users), _OTHER, dtype=object)
        column_values[top["user"].to_numpy()] = top["value"].to_numpy()
        out[column] = column_values
    return out


def check_confounders(
    exposure: pd.DataFrame,
    churned: np.ndarray,
    segments: pd.DataFrame,
    table: pd.DataFrame,
) -> list[ConfounderFlag]:
    """Flag the significant themes whose effect vanishes within a segment that goes with churn.

    Parameters
    ----------
    exposure : pandas.DataFrame
        Users x themes, 0/1 (rolled up), in the order of ``churned``.
    churned : numpy.ndarray
        0/1 per user.
    segments : pandas.DataFrame
        Users x segment columns (:func:`user_segments`), same order.
    table : pandas.DataFrame
        The attribution table (``theme_id, odds_ratio, certainty``).
    """
    flags: list[ConfounderFlag] = []
    sure = table[table["certainty"].isin(["strong", "moderate", "weak"])]
    for column in segments.columns:
        levels = segments[column].to_numpy()
        p_churn = _churn_association(levels, churned)
        if p_churn >= _CHURN_P:
            continue
        for theme_id, odds_ratio in zip(sure["theme_id"], sure["odds_ratio"], strict=True):
            within = _mantel_haenszel(exposure[theme_id].to_numpy(), churned, levels)
            if within is None:
                continue
            ratio, low, high = within
            shrunk = abs(np.log(ratio)) <= 0.5 * abs(np.log(float(odds_ratio)))
            if low <= 1 <= high or shrunk:
                flags.append(
                    ConfounderFlag(
                        str(theme_id), str(column), float(odds_ratio), ratio, low, high, p_churn
                    )
                )
    return flags


def _churn_association(levels: np.ndarray, churned: np.ndarray) -> float:
    table = pd.crosstab(levels, churned)
    if table.shape[0] < 2 or table.shape[1] < 2:
        return 1.0
    return float(stats.chi2_contingency(table.to_numpy())[1])


def _mantel_haenszel(
    exposed: np.ndarray, churned: np.ndarray, levels: np.ndarray
) -> tuple[float, float, float] | None:
    """Mantel-Haenszel odds ratio of exposure across strata, with its 95% interval."""
    from statsmodels.stats.contingency_tables import StratifiedTable

    tables = []
    for level in np.unique(levels):
        inside = levels == level
        e, c = exposed[inside] == 1, churned[inside] == 1
        cells = np.array([[np.sum(e & c), np.sum(e & ~c)], [np.sum(~e & c), np.sum(~e & ~c)]])
        if cells.sum(axis=1).min() > 0 and cells.sum(axis=0).min() > 0:
            tables.append(cells.astype(float))
    if not tables:
        return None
    stratified = StratifiedTable(tables)
    ratio = float(stratified.oddsratio_pooled)
    if not np.isfinite(ratio) or ratio <= 0:
        return None
    low, high = stratified.oddsratio_pooled_confint()
    return ratio, float(low), float(high)
