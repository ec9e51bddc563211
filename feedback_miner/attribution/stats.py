"""Per-theme attribution statistics: rates, lift, adjusted odds ratios, q-values, impact.

Themes are modelled by level of the taxonomy's hierarchy. Top-level themes
(a parent counts the mentions of its sub-themes: rolled up) are modelled
together in one logistic regression with the covariates. Then, for each
parent, a second model replaces the parent by its parts: its sub-themes side
by side, the parent's own mentions (without a sub-theme) as one more column,
and the other top-level themes as before. So a parent's effect is never split
between the parent and its children in one model, and the report shows how
the children divide it: the child that carries the effect stands out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from ..themes import Taxonomy
from .exposure import Exposure
from .model import LogisticFit, design_matrix, fit_logistic
from .survival import SURVIVAL_COLUMNS, survival_table

__all__ = [
    "ATTRIBUTION_COLUMNS",
    "CERTAINTY",
    "QUADRANTS",
    "AttributionResult",
    "attribute",
    "certainty",
    "key_driver_quadrants",
    "quadrant_cuts",
    "rolled_up",
]

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
QUADRANTS = ("fix_first", "monitor", "strength", "low_priority", "uncertain")
# how sure a reason is, from its interval and q-value (words in the report)
CERTAINTY = ("strong", "moderate", "weak", "uncertain", "not_modelled")
_UNCERTAIN_Q = 0.1


@dataclass(frozen=True)
class AttributionResult:
    """The attribution table and how it was obtained.

    Attributes
    ----------
    table : pandas.DataFrame
        :data:`ATTRIBUTION_COLUMNS` then ``crude_odds_ratio``, ``churn_type``,
        ``parent_id`` (empty for top-level themes), ``model`` (``top-level`` or
        ``parts of <parent id>``), ``own_odds_ratio, own_ci_low, own_ci_high``
        (for a parent: its own mentions without a sub-theme, in the model of
        its parts), ``note``, the time-to-churn columns of
        :data:`~feedback_miner.attribution.survival.SURVIVAL_COLUMNS` (with
        ``survival=True`` and durations), ``prevalence`` (share of analysed
        users exposed), ``certainty`` (see :func:`certainty`) and ``quadrant``
        (see :func:`key_driver_quadrants`); sorted by impact, largest first.
    n_users, n_churned : int
        Users analysed and how many of them churned.
    model : LogisticFit or None
        The model of the top-level themes (None when none could be modelled).
    covariates : tuple of str
        Label columns (and adjustment columns) used as covariates.
    min_exposed : int
        Themes with fewer exposed users are not modelled.
    survival_source : str or None
        Where the durations of the time-to-churn columns came from, if any.
    child_models : dict
        Parent theme id -> the model of its parts (sub-themes and own mentions).
    survival_curves : pandas.DataFrame or None
        Kaplan-Meier curves of the top-level themes (see
        :class:`~feedback_miner.attribution.survival.SurvivalTable`).
    """

    table: pd.DataFrame
    n_users: int
    n_churned: int
    model: LogisticFit | None
    covariates: tuple[str, ...]
    min_exposed: int
    survival_source: str | None = None
    child_models: dict[str, LogisticFit] = field(default_factory=dict)
    survival_curves: pd.DataFrame | None = None

    @property
    def penalised(self) -> bool:
        """Whether any model needed Firth's penalised likelihood."""
        fits = [self.model, *self.child_models.values()]
        return any(f is not None and f.penalised for f in fits)


def rolled_up(matrix: pd.DataFrame, taxonomy: Taxonomy) -> pd.DataFrame:
    """Exposure where a theme also counts the mentions of its sub-themes (at any depth).

    Examples
    --------
    >>> from feedback_miner.themes import Taxonomy, Theme
    >>> tax = Taxonomy("t", "1", (Theme("svc", "客服", ("客服",)),
    ...     Theme("wait", "等待", ("排队",), parent="svc")))
    >>> rolled_up(pd.DataFrame({"svc": [0, 1, 0], "wait": [1, 0, 0]}), tax)["svc"].tolist()
    [1, 1, 0]
    """
    out = matrix.copy()
    parents = {t.id: t.parent for t in taxonomy.themes}
    for theme in taxonomy.ids:
        ancestor, seen = parents.get(theme, ""), {theme}
        while ancestor and ancestor not in seen and ancestor in out.columns:
            out[ancestor] = out[ancestor] | matrix[theme]
            seen.add(ancestor)
            ancestor = parents.get(ancestor, "")
    return out


def attribute(
    exposure: Exposure,
    taxonomy: Taxonomy,
    *,
    covariates: Sequence[str] = (),
    min_exposed: int = 5,
    survival: bool = False,
    snapshot: pd.Timestamp | None = None,
    tenure: tuple[str | None, float] = (None, 1.0),
) -> AttributionResult:
    """Compute the attribution table of DESIGN.md.

    ``lift`` is the churn rate of exposed users over that of the others
    (infinite when no unexposed user churned); ``odds_ratio`` with its 95%
    interval and ``p_value`` come from the logistic model of the theme's level
    (see the module docstring); ``q_value`` is the Benjamini-Hochberg
    adjustment over every modelled theme; ``impact`` is the share of observed
    churn the theme accounts for: the model's expected churners among exposed
    users minus those expected had this exposure been removed, over all
    churned users. A theme whose interval covers 1 or whose q-value is 0.1 or
    more is ``uncertain``. With ``survival=True``, the time-to-churn columns
    are filled for the top-level themes (see
    :func:`~feedback_miner.attribution.survival.survival_table`; ``snapshot``
    and ``tenure`` come from the labels).
    """
    matrix = rolled_up(exposure.matrix, taxonomy)
    labels = exposure.labels.set_index("user_id").loc[matrix.index]
    if snapshot is None and labels["churn_date"].notna().any():
        snapshot = pd.Timestamp(labels["churn_date"].max())
    y = labels["churned"].to_numpy(dtype=float)
    n_churned = int(y.sum())
    top = [t.id for t in taxonomy.themes if not t.parent]
    results: dict[str, dict[str, object]] = {}
    top_fit = _model_level(matrix[top], labels, y, covariates, min_exposed, results)
    child_fits: dict[str, LogisticFit] = {}
    modelled_top = [t for t in top if "odds_ratio" in results.get(t, {})]
    for parent in taxonomy.themes:
        children = [t.id for t in taxonomy.themes if t.parent == parent.id]
        if not children:
            continue
        # the parent's own mentions, without any of its sub-themes: one more column beside them
        own = exposure.matrix[parent.id].where(matrix[children].max(axis=1) == 0, 0)
        own_id = f"{parent.id}:own"
        parts = matrix[children].assign(**{own_id: own})
        others = matrix[[t for t in modelled_top if t != parent.id]]
        fit = _model_level(
            parts,
            labels,
            y,
            covariates,
            min_exposed,
            results,
            within=parent.id,
            others=others,
            report=[*children, own_id],
        )
        if fit is not None:
            child_fits[parent.id] = fit
        found = results.pop(own_id, {})
        if "odds_ratio" in found:
            results.setdefault(parent.id, {}).update(
                own_odds_ratio=found["odds_ratio"],
                own_ci_low=found["ci_low"],
                own_ci_high=found["ci_high"],
            )

    rows = []
    for theme in taxonomy.themes:
        exposed = matrix[theme.id].to_numpy() == 1
        n_exposed = int(exposed.sum())
        rate_with = float(y[exposed].mean()) if n_exposed else np.nan
        rate_without = float(y[~exposed].mean()) if (~exposed).any() else np.nan
        row: dict[str, object] = {
            "theme_id": theme.id,
            "theme_name": theme.name,
            "n_users": n_exposed,
            "churn_rate_with": rate_with,
            "churn_rate_without": rate_without,
            "lift": _lift(rate_with, rate_without),
            "odds_ratio": np.nan,
            "ci_low": np.nan,
            "ci_high": np.nan,
            "p_value": np.nan,
            "q_value": np.nan,
            "impact": np.nan,
            "crude_odds_ratio": _crude_odds_ratio(exposed, y),
            "churn_type": theme.churn_type,
            "parent_id": theme.parent,
            "model": f"parts of {theme.parent}" if theme.parent else "top-level",
            "own_odds_ratio": np.nan,
            "own_ci_low": np.nan,
            "own_ci_high": np.nan,
            "note": "",
        }
        row.update(results.get(theme.id, {}))
        rows.append(row)
    table = pd.DataFrame(rows)
    timed = (
        survival_table(
            replace(exposure, matrix=matrix),
            modelled_top,
            tuple(covariates),
            snapshot=snapshot,
            tenure=tenure,
        )
        if survival
        else None
    )
    for column in SURVIVAL_COLUMNS:
        table[column] = table["theme_id"].map(timed.table[column]) if timed is not None else np.nan
    table["prevalence"] = table["n_users"] / max(len(matrix), 1)
    tested = table["p_value"].notna()
    if tested.any():
        from statsmodels.stats.multitest import multipletests

        table.loc[tested, "q_value"] = multipletests(table.loc[tested, "p_value"], method="fdr_bh")[
            1
        ]
    table["certainty"] = certainty(table)
    table["quadrant"] = key_driver_quadrants(table)
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
        top_fit,
        tuple(covariates),
        min_exposed,
        survival_source=timed.duration_source if timed is not None else None,
        child_models=child_fits,
        survival_curves=timed.curves if timed is not None else None,
    )


def _model_level(
    themes: pd.DataFrame,
    labels: pd.DataFrame,
    y: np.ndarray,
    covariates: Sequence[str],
    min_exposed: int,
    results: dict[str, dict[str, object]],
    *,
    within: str | None = None,
    others: pd.DataFrame | None = None,
    report: Sequence[str] | None = None,
) -> LogisticFit | None:
    """Fit one model: ``themes`` (those in ``report`` go to the table) beside ``others``."""
    n, churned = len(y), int(y.sum())
    reported = list(report) if report is not None else list(themes.columns)
    exposed = themes.sum()
    modelled = []
    for theme in themes.columns:
        count = int(exposed[theme])
        note = None
        if churned in (0, n):
            note = f"every user {'churned' if churned == n else 'stayed'}: nothing to compare"
        elif count < min_exposed:
            note = f"too few exposed users to model ({count}; at least {min_exposed})"
        elif count > n - min_exposed:
            note = f"almost every user is exposed ({count} of {n}); not modelled"
        else:
            modelled.append(theme)
        if note and theme in reported:
            results[theme] = {"note": note}
    if not any(t in reported for t in modelled):
        return None
    columns = themes[modelled] if others is None else pd.concat([themes[modelled], others], axis=1)
    X = design_matrix(columns, labels, covariates)
    fit = fit_logistic(X, y, report=[t for t in modelled if t in reported])
    total_churned = max(churned, 1)
    for theme in modelled:
        if theme not in reported:
            continue
        if theme not in fit.params.index:
            reason = (fit.dropped or {}).get(theme, "left out of the model")
            results[theme] = {"note": f"not modelled: {reason}"}
            continue
        note = f"beside the other parts of {within}" if within else ""
        if fit.penalised:
            note = "; ".join(filter(None, [note, f"penalised fit: {fit.note}"]))
        results[theme] = {
            "odds_ratio": float(np.exp(fit.params[theme])),
            "ci_low": float(np.exp(fit.ci_low[theme])),
            "ci_high": float(np.exp(fit.ci_high[theme])),
            "p_value": float(fit.p_values[theme]),
            "impact": _impact(fit, X, theme, total_churned),
            "note": note,
        }
    return fit


def certainty(table: pd.DataFrame) -> pd.Series:
    """How sure each theme's effect is, from its 95% interval and q-value.

    ``strong``: the interval excludes 1 and q < 0.01; ``moderate``: q < 0.05;
    ``weak``: q < 0.1; ``uncertain``: the interval covers 1, or q >= 0.1;
    ``not_modelled``: too few users to say anything.
    """

    def judge(row: pd.Series) -> str:
        if pd.isna(row["odds_ratio"]):
            return "not_modelled"
        covers_one = row["ci_low"] <= 1 <= row["ci_high"]
        q = row["q_value"] if pd.notna(row["q_value"]) else 1.0
        if covers_one or q >= _UNCERTAIN_Q:
            return "uncertain"
        return "strong" if q < 0.01 else "moderate" if q < 0.05 else "weak"

    return table.apply(judge, axis=1).astype(object)


def quadrant_cuts(table: pd.DataFrame) -> tuple[float, float]:
    """Where the key-driver quadrants divide: the median prevalence of the modelled
    themes, and the median impact of the positive, significant ones (0 without any).

    Examples
    --------
    >>> table = pd.DataFrame({"prevalence": [0.1, 0.3, 0.2], "impact": [0.25, 0.5, None],
    ...                       "certainty": ["strong", "weak", "not_modelled"]})
    >>> quadrant_cuts(table)
    (0.2, 0.375)
    """
    sure = table["certainty"].isin(["strong", "moderate", "weak"])
    modelled = table["impact"].notna()
    prevalence_cut = float(table.loc[modelled, "prevalence"].median()) if modelled.any() else 0.0
    positive = table.loc[sure & (table["impact"] > 0), "impact"]
    impact_cut = float(positive.median()) if len(positive) else 0.0
    return prevalence_cut, impact_cut


def key_driver_quadrants(table: pd.DataFrame) -> pd.Series:
    """Key-driver quadrant of each theme from its prevalence and impact.

    ``uncertain``: modelled, but the interval covers 1 or q >= 0.1: never a
    priority or a strength.
    ``strength``: exposure goes with less churn (impact below 0), for sure.
    ``fix_first``: more churn, and at least the median prevalence of the modelled themes.
    ``monitor``: less common, but an impact at least the median of the positive impacts.
    ``low_priority``: the rest, and themes too rare to model.
    """
    prevalence_cut, impact_cut = quadrant_cuts(table)

    def quadrant(row: pd.Series) -> str:
        if pd.isna(row["impact"]):
            return "low_priority"
        if row["certainty"] == "uncertain":
            return "uncertain"
        if row["impact"] < 0:
            return "strength"
        if row["impact"] > 0 and row["prevalence"] >= prevalence_cut:
            return "fix_first"
        if row["impact"] >= impact_cut > 0:
            return "monitor"
        return "low_priority"

    return table.apply(quadrant, axis=1).astype(object)


def _lift(rate_with: float, rate_without: float) -> float:
    if np.isnan(rate_with) or np.isnan(rate_without):
        return np.nan
    if rate_without == 0:
        return np.inf if rate_with > 0 else np.nan
    return rate_with / rate_without


def _crude_odds_ratio(exposed: np.ndarray, y: np.ndarray) -> float:
    """Unadjusted odds ratio; with the Haldane-Anscombe +0.5 only when a cell is empty."""
    if not exposed.any():
        return np.nan
    cells = np.array(
        [
            ((y == 1) & exposed).sum(),
            ((y == 0) & exposed).sum(),
            ((y == 1) & ~exposed).sum(),
            ((y == 0) & ~exposed).sum(),
        ],
        dtype=float,
    )
    if (cells == 0).any():
        cells += 0.5
    a, b, c, d = cells
    return float((a * d) / (b * c))


def _impact(fit: LogisticFit, X: pd.DataFrame, theme_id: str, n_churned: int) -> float:
    """Expected churners among exposed users that the exposure accounts for, over all churners."""
    exposed = X[theme_id] == 1
    if not exposed.any() or n_churned == 0:
        return 0.0
    columns = list(fit.params.index)
    with_theme = fit.predict(X.loc[exposed, columns])
    without = X.loc[exposed, columns].copy()
    without[theme_id] = 0.0
    return float((with_theme - fit.predict(without)).sum() / n_churned)
