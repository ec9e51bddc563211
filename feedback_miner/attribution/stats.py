"""Per-theme attribution statistics: rates, lift, adjusted odds ratios, q-values, impact."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..themes import Taxonomy
from .exposure import Exposure
from .model import LogisticFit, design_matrix, fit_logistic
from .survival import SURVIVAL_COLUMNS, survival_table

__all__ = ["ATTRIBUTION_COLUMNS", "AttributionResult", "attribute"]

ATTRIBUTION_COLUMNS = (
    "theme_id",
    "theme_name",
    "n_users",
    "churn_rate_with",
    "churn_rate_without",
    "lift",
    "odds_ratio",
    "ci_low",
    "ci_high",
    "p_value",
    "q_value",
    "impact",
)
_Z95 = 1.959963984540054


@dataclass(frozen=True)
class AttributionResult:
    """The attribution table and how it was obtained.

    Attributes
    ----------
    table : pandas.DataFrame
        :data:`ATTRIBUTION_COLUMNS` then ``crude_odds_ratio``, ``churn_type``,
        ``note``, the time-to-churn columns of
        :data:`~feedback_miner.attribution.survival.SURVIVAL_COLUMNS` (with
        ``survival=True`` and durations), ``prevalence`` (share of analysed users exposed) and
        ``quadrant`` (see :func:`key_driver_quadrants`); sorted by impact,
        largest first.
    n_users, n_churned : int
        Users analysed and how many of them churned.
    model : LogisticFit or None
        The adjusted model (None when no theme had enough exposed users).
    covariates : tuple of str
        Label columns used as covariates.
    min_exposed : int
        Themes with fewer exposed users are not modelled.
    survival_source : str or None
        Where the durations of the time-to-churn columns came from, if any.
    """

    table: pd.DataFrame
    n_users: int
    n_churned: int
    model: LogisticFit | None
    covariates: tuple[str, ...]
    min_exposed: int
    survival_source: str | None = None


def attribute(
    exposure: Exposure,
    taxonomy: Taxonomy,
    *,
    covariates: Sequence[str] = (),
    min_exposed: int = 5,
    survival: bool = False,
) -> AttributionResult:
    """Compute the attribution table of DESIGN.md.

    ``lift`` is the churn rate of exposed users over that of the others;
    ``odds_ratio`` with its 95% interval and ``p_value`` (Wald) come from one
    logistic regression of churn on every modelled theme plus the covariates;
    ``q_value`` is the Benjamini-Hochberg adjustment of the p-values;
    ``impact`` is the share of observed churn the theme accounts for: the
    model's expected churners among exposed users minus the expected churners
    had their exposure to this theme been removed, over all churned users.
    With ``survival=True``, the time-to-churn columns are filled from the
    exposure's feedback dates or the label file's tenure column.
    """
    matrix = exposure.matrix
    y = exposure.labels["churned"].to_numpy(dtype=float)
    n_churned = int(y.sum())
    exposed_counts = matrix.sum()
    modelled = [
        t for t in taxonomy.ids if min_exposed <= exposed_counts[t] <= len(matrix) - min_exposed
    ]
    fit: LogisticFit | None = None
    X = None
    if modelled and 0 < n_churned < len(y):
        labels = exposure.labels.set_index("user_id").loc[matrix.index]
        X = design_matrix(matrix[modelled], labels, covariates)
        fit = fit_logistic(X, y)
    pvalues = fit.pvalues() if fit is not None else pd.Series(dtype=float)

    rows = []
    for theme in taxonomy.themes:
        exposed = matrix[theme.id].to_numpy() == 1
        n_exposed = int(exposed.sum())
        rate_with = float(y[exposed].mean()) if n_exposed else np.nan
        rate_without = float(y[~exposed].mean()) if (~exposed).any() else np.nan
        row = {
            "theme_id": theme.id,
            "theme_name": theme.name,
            "n_users": n_exposed,
            "churn_rate_with": rate_with,
            "churn_rate_without": rate_without,
            "lift": rate_with / rate_without if rate_without and n_exposed else np.nan,
            "odds_ratio": np.nan,
            "ci_low": np.nan,
            "ci_high": np.nan,
            "p_value": np.nan,
            "q_value": np.nan,
            "impact": np.nan,
            "crude_odds_ratio": _crude_odds_ratio(exposed, y),
            "churn_type": theme.churn_type,
            "note": "",
        }
        if fit is not None and X is not None and theme.id in fit.params.index:
            b, se = fit.params[theme.id], fit.bse[theme.id]
            row.update(
                odds_ratio=float(np.exp(b)),
                ci_low=float(np.exp(b - _Z95 * se)),
                ci_high=float(np.exp(b + _Z95 * se)),
                p_value=float(pvalues[theme.id]),
                impact=_impact(fit, X, theme.id, n_churned),
            )
            if fit.note:
                row["note"] = f"penalised fit: {fit.note}"
        elif n_exposed < min_exposed:
            row["note"] = f"too few exposed users to model ({n_exposed} < {min_exposed})"
        elif n_exposed:
            row["note"] = "almost every user is exposed; not modelled"
        rows.append(row)
    table = pd.DataFrame(rows)
    timed = survival_table(exposure, modelled, tuple(covariates)) if survival else None
    for column in SURVIVAL_COLUMNS:
        table[column] = table["theme_id"].map(timed.table[column]) if timed is not None else np.nan
    table["prevalence"] = table["n_users"] / max(len(matrix), 1)
    table["quadrant"] = key_driver_quadrants(table)
    tested = table["p_value"].notna()
    if tested.any():
        from statsmodels.stats.multitest import multipletests

        table.loc[tested, "q_value"] = multipletests(table.loc[tested, "p_value"], method="fdr_bh")[
            1
        ]
    table = table.sort_values(
        ["impact", "n_users", "theme_id"],
        ascending=[False, False, True],
        na_position="last",
        kind="mergesort",
    ).reset_index(drop=True)
    return AttributionResult(
        table,
        len(matrix),
        n_churned,
        fit,
        tuple(covariates),
        min_exposed,
        survival_source=timed.duration_source if timed is not None else None,
    )


QUADRANTS = ("fix_first", "monitor", "strength", "low_priority")


def key_driver_quadrants(table: pd.DataFrame) -> pd.Series:
    """Key-driver quadrant of each theme from its prevalence and impact.

    ``strength``: exposure goes with less churn (impact below 0).
    ``fix_first``: more churn, and at least the median prevalence of the modelled themes.
    ``monitor``: less common, but an impact at least the median of the positive impacts.
    ``low_priority``: the rest, and themes too rare to model.
    """
    modelled = table["impact"].notna()
    prevalence_cut = table.loc[modelled, "prevalence"].median() if modelled.any() else 0.0
    positive = table.loc[modelled & (table["impact"] > 0), "impact"]
    impact_cut = positive.median() if len(positive) else 0.0

    def quadrant(row: pd.Series) -> str:
        if pd.isna(row["impact"]):
            return "low_priority"
        if row["impact"] < 0:
            return "strength"
        if row["impact"] > 0 and row["prevalence"] >= prevalence_cut:
            return "fix_first"
        if row["impact"] >= impact_cut > 0:
            return "monitor"
        return "low_priority"

    return table.apply(quadrant, axis=1)


def _crude_odds_ratio(exposed: np.ndarray, y: np.ndarray) -> float:
    """Unadjusted odds ratio with the Haldane-Anscombe +0.5 correction."""
    if not exposed.any():
        return np.nan
    a = float(((y == 1) & exposed).sum()) + 0.5
    b = float(((y == 0) & exposed).sum()) + 0.5
    c = float(((y == 1) & ~exposed).sum()) + 0.5
    d = float(((y == 0) & ~exposed).sum()) + 0.5
    return (a * d) / (b * c)


def _impact(fit: LogisticFit, X: pd.DataFrame, theme_id: str, n_churned: int) -> float:
    """Expected churners among exposed users that the exposure accounts for, over all churners."""
    exposed = X[theme_id] == 1
    if not exposed.any() or n_churned == 0:
        return 0.0
    with_theme = fit.predict(X[exposed])
    without = X[exposed].copy()
    without[theme_id] = 0.0
    return float((with_theme - fit.predict(without)).sum() / n_churned)
