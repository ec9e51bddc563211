"""What drags the score down: each theme's impact on a survey score, with honest intervals.

For each theme, its documents are those that mention it (or one of its
sub-themes). ``impact`` is the overall score minus the score without those
documents, in the metric's units (negative: the theme drags the score down),
with a 95% bootstrap interval over documents. The key-driver coefficient is
the theme's coefficient in a least-squares regression of each answer's
contribution to the score (:func:`~feedback_miner.scores.metrics.contributions`)
on every top-level theme at once (sub-themes beside their parent's other
parts, as in the churn attribution), with heteroskedasticity-robust (HC1)
intervals, p-values and Benjamini-Hochberg q-values. An impact whose
interval covers zero is ``uncertain``: no advice is drawn from it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..joins import doc_rows, positions
from ..themes import Taxonomy
from .metrics import ScoreMetric, contributions

__all__ = ["DRIVER_COLUMNS", "ScoreDrivers", "score_drivers", "theme_matrix"]

DRIVER_COLUMNS = (
    "theme_id",
    "theme_name",
    "n_docs",
    "score_with",
    "score_without",
    "impact",
    "ci_low",
    "ci_high",
    "coef",
    "coef_ci_low",
    "coef_ci_high",
    "p_value",
    "q_value",
)
_BOOTSTRAP = 1000
# bootstrap replicates weighed at a time; fewer would save memory but change the last bits of
# the intervals (OpenBLAS takes other kernels for small products)
_BLOCK = 50
# bootstrap replicates drawn at a time into a block's weights
_FILL_ROWS = 5
_MIN_DOCS = 10
_Z95 = 1.959963984540054
# the largest value of the packed key of alike rows before it is renumbered
_KEY_LIMIT = 2**62


@dataclass(frozen=True)
class ScoreDrivers:
    """The score-driver table and what it was measured on.

    Attributes
    ----------
    table : pandas.DataFrame
        :data:`DRIVER_COLUMNS`, then ``parent_id`` and ``certainty``
        (``sure``: the impact's interval excludes 0; ``uncertain``; ``too_few``:
        fewer than ten documents on either side); sorted by impact, most negative first.
    metric : ScoreMetric
        The metric and its scale.
    column : str
        The rating column.
    overall : float
        The score of all rated documents.
    n_docs : int
        Rated documents.
    """

    table: pd.DataFrame
    metric: ScoreMetric
    column: str
    overall: float
    n_docs: int


def theme_matrix(docs: pd.DataFrame, mentions: pd.DataFrame, taxonomy: Taxonomy) -> pd.DataFrame:
    """Documents x themes, 1 where the document mentions the theme or one of its sub-themes
    (bytes: a million documents by dozens of themes weigh tens of megabytes)."""
    every = np.ones(len(docs), dtype=bool)
    flags = _theme_flags(docs, mentions, taxonomy, every, dtype=np.int8)
    return pd.DataFrame(flags, columns=list(taxonomy.ids))


def _theme_flags(
    docs: pd.DataFrame,
    mentions: pd.DataFrame,
    taxonomy: Taxonomy,
    rows: np.ndarray,
    *,
    dtype: type[np.generic],
) -> np.ndarray:
    """The documents ``rows`` (a mask over ``docs``) x themes, 1 where the document mentions
    the theme or one of its sub-themes, built in one array.

    On a million documents each documents x themes copy weighs over 100 MB: the
    flags are set in the array that is returned, and each theme's flags are
    carried up to its ancestors in place: an ancestor ends with its own flag or
    any descendant's, as in :func:`~feedback_miner.attribution.stats.rolled_up`.
    """
    ids = list(taxonomy.ids)
    flags = np.zeros((int(rows.sum()), len(ids)), dtype=dtype)
    # the position of each document among those kept (-1 for the others)
    position = np.where(rows, np.cumsum(rows) - 1, -1)
    row = doc_rows(docs["doc_id"], mentions["doc_id"])
    column = positions(mentions["theme_id"], ids)
    found = (row >= 0) & (column >= 0)
    at = position[row[found]]
    kept = at >= 0
    flags[at[kept], column[found][kept]] = 1
    parents = {t.id: t.parent for t in taxonomy.themes}
    for j, theme in enumerate(ids):
        ancestor, seen = parents.get(theme, ""), {theme}
        while ancestor and ancestor not in seen and ancestor in parents:
            # a descendant's flags carried up already only add the ancestor's descendants
            up = flags[:, ids.index(ancestor)]
            np.maximum(up, flags[:, j], out=up)
            seen.add(ancestor)
            ancestor = parents.get(ancestor, "")
    return flags


def score_drivers(
    docs: pd.DataFrame,
    mentions: pd.DataFrame,
    taxonomy: Taxonomy,
    values: np.ndarray,
    metric: ScoreMetric,
    *,
    column: str,
    seed: int = 0,
) -> ScoreDrivers:
    """Per theme: documents, score with and without them, impact with its interval, coefficient.

    Parameters
    ----------
    docs, mentions : pandas.DataFrame
        The analysis's tables.
    taxonomy : Taxonomy
        The themes.
    values : numpy.ndarray
        Each document's rating (NaN for none), aligned with ``docs``.
    metric : ScoreMetric
        How ratings make the score.
    column : str
        The rating column's name (reported as it is).
    seed : int
        Seed of the bootstrap.
    """
    rated = np.isfinite(values)
    c = contributions(values[rated], metric)
    # every figure below depends on the documents only through the groups of alike ones (the
    # same contribution and the same themes): the flags are held as bytes and read once, and
    # the sums, the bootstrap and the regressions run on the groups, weighted by their sizes
    groups = _alike_groups(c, _theme_flags(docs, mentions, taxonomy, rated, dtype=np.int8))
    group_c, group_X, k = groups
    overall = float(c.mean()) if len(c) else float("nan")
    counts = k @ group_X
    total, n = c.sum(), len(c)
    in_theme = group_X.T @ (k * group_c)
    with np.errstate(invalid="ignore", divide="ignore"):
        with_theme = in_theme / counts
        without = (total - in_theme) / (n - counts)
    impact = overall - without
    low, high = _bootstrap_groups(*groups, seed)
    coefs = _coefficients(group_c, group_X, taxonomy, weights=k)
    rows = []
    for j, theme in enumerate(taxonomy.themes):
        enough = counts[j] >= _MIN_DOCS and n - counts[j] >= _MIN_DOCS
        coef = coefs.get(theme.id, (np.nan, np.nan, np.nan, np.nan))
        rows.append(
            {
                "theme_id": theme.id,
                "theme_name": theme.name,
                "n_docs": int(counts[j]),
                "score_with": float(with_theme[j]) if counts[j] else np.nan,
                "score_without": float(without[j]) if n - counts[j] else np.nan,
                "impact": float(impact[j]) if enough else np.nan,
                "ci_low": float(low[j]) if enough else np.nan,
                "ci_high": float(high[j]) if enough else np.nan,
                "coef": coef[0],
                "coef_ci_low": coef[1],
                "coef_ci_high": coef[2],
                "p_value": coef[3],
                "q_value": np.nan,
                "parent_id": theme.parent,
            }
        )
    table = pd.DataFrame(rows)
    tested = table["p_value"].notna()
    if tested.any():
        from statsmodels.stats.multitest import multipletests

        table.loc[tested, "q_value"] = multipletests(table.loc[tested, "p_value"], method="fdr_bh")[
            1
        ]
    table["certainty"] = np.where(
        table["impact"].isna(),
        "too_few",
        np.where((table["ci_low"] > 0) | (table["ci_high"] < 0), "sure", "uncertain"),
    )
    table = table.sort_values(
        ["impact", "n_docs", "theme_id"],
        ascending=[True, False, True],
        na_position="last",
        kind="mergesort",
    ).reset_index(drop=True)
    return ScoreDrivers(table, metric, column, overall, n)


def _bootstrap(c: np.ndarray, X: np.ndarray, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """95% interval of each theme's impact, from Poisson-weighted resamples of the documents
    ``c`` (contributions) x ``X`` (theme flags); see :func:`_bootstrap_groups`."""
    return _bootstrap_groups(*_alike_groups(c, X), seed)


def _bootstrap_groups(
    c: np.ndarray, X: np.ndarray, k: np.ndarray, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """95% interval of each theme's impact, from Poisson-weighted resamples of the documents,
    given as groups of alike documents (:func:`_alike_groups`): ``k`` documents each.

    Each document's weight is Poisson(1). The impacts depend on the documents
    only through the weights' sums over documents alike (the same contribution
    and the same themes), and a sum of k Poisson(1) weights is Poisson(k): so
    each group of alike documents draws one Poisson(k) weight. That is the same
    resampling distribution with one draw per group instead of one per
    document: a survey's million answers on an 11-point scale make a few
    hundred groups. When no two documents are alike, the groups are the
    documents in their order and the draws are those of one per document.
    """
    themes = X.shape[1]
    if not len(c):
        return np.full(themes, np.nan), np.full(themes, np.nan)
    rng = np.random.default_rng(seed)
    draws = []
    # one block of weights is 50 x groups floats (400 MB for a million distinct documents):
    # it is filled a few replicates at a time (the generator gives the same draws in any
    # slicing) and multiplied by c in place, so that no second copy of it is ever made
    w = np.empty((_BLOCK, len(c)))
    for start in range(0, _BOOTSTRAP, _BLOCK):
        rows = min(_BLOCK, _BOOTSTRAP - start)
        if rows < _BLOCK:
            w = w[:rows]
        for first in range(0, rows, _FILL_ROWS):
            last = min(first + _FILL_ROWS, rows)
            w[first:last] = rng.poisson(k, (last - first, len(c)))
        weight, weighted = w.sum(axis=1), w @ c
        in_theme = w @ X
        np.multiply(w, c, out=w)
        in_theme_weighted = w @ X
        with np.errstate(invalid="ignore", divide="ignore"):
            without = (weighted[:, None] - in_theme_weighted) / (weight[:, None] - in_theme)
            draws.append(weighted[:, None] / weight[:, None] - without)
    impacts = np.vstack(draws)
    with np.errstate(invalid="ignore"):
        low, high = np.nanpercentile(impacts, [2.5, 97.5], axis=0)
    return low, high


def _alike_groups(c: np.ndarray, X: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The distinct rows of (``c``, ``X``) in the order they first occur (``X``'s as floats),
    and how many documents each stands for."""
    codes = alike_rows([c, *X.T])
    _, rows = np.unique(codes, return_index=True)
    return c[rows], X[rows].astype(np.float64), np.bincount(codes).astype(float)


def alike_rows(columns: Sequence[np.ndarray]) -> np.ndarray:
    """A group number per row of ``columns`` (equal-length arrays): rows equal in every
    column share a number, and numbers go up in the order groups first occur.

    Rows are equal as ``np.unique(..., axis=0)`` compares them: ``-0.0`` equals ``0.0``,
    and a row with a NaN is alike to no other. Each column's values are numbered, and the
    numbers are combined into one integer key per row (renumbered when the key would
    outgrow 62 bits): no stacked copy of the columns is made, and a million rows by
    dozens of columns need a few integer arrays.

    Examples
    --------
    >>> alike_rows([np.array([1.0, 2.0, 1.0, 2.0]), np.array([0.0, 1.0, 0.0, 0.0])]).tolist()
    [0, 1, 0, 2]
    """
    n = len(columns[0]) if len(columns) else 0
    key = np.zeros(n, dtype=np.int64)
    size = 1  # the key's values are below size
    lonely = np.zeros(n, dtype=bool)
    for values in columns:
        codes, uniques = pd.factorize(np.asarray(values))
        lonely |= codes < 0
        width = max(len(uniques), 1)
        if size * width > _KEY_LIMIT:
            key = pd.factorize(key)[0]
            size = int(key.max()) + 1 if n else 1
        key *= width
        key += np.maximum(codes, 0)
        size *= width
    if lonely.any():
        key = pd.factorize(key)[0]
        key[lonely] = int(key.max()) + 1 + np.arange(int(lonely.sum()))
    return pd.factorize(key)[0].astype(np.int64, copy=False)


def _coefficients(
    c: np.ndarray, X: np.ndarray, taxonomy: Taxonomy, *, weights: np.ndarray | None = None
) -> dict[str, tuple[float, float, float, float]]:
    """(coef, low, high, p) per theme: top-level themes together, sub-themes as parts.

    Each row of ``c`` and ``X`` stands for ``weights`` documents alike (one each by default).
    """
    k = np.ones(len(c)) if weights is None else weights
    ids = list(taxonomy.ids)
    column = {theme: X[:, j] for j, theme in enumerate(ids)}
    found: dict[str, tuple[float, float, float, float]] = {}
    top = [t.id for t in taxonomy.themes if not t.parent]
    fitted_top = _ols(c, k, {t: column[t] for t in top}, top)
    found.update(fitted_top)
    for parent in taxonomy.themes:
        children = [t.id for t in taxonomy.themes if t.parent == parent.id]
        if not children:
            continue
        # the parent's own mentions: documents that mention none of its sub-themes
        any_child = np.max(X[:, [ids.index(t) for t in children]], axis=1)
        own = np.where(any_child == 0, column[parent.id], 0.0)
        others = [t for t in fitted_top if t != parent.id]
        parts = {
            **{t: column[t] for t in children},
            f"{parent.id}:own": own,
            **{t: column[t] for t in others},
        }
        found.update(_ols(c, k, parts, children))
    return found


def _ols(
    c: np.ndarray,
    k: np.ndarray,
    themes: dict[str, np.ndarray],
    report: list[str],
) -> dict[str, tuple[float, float, float, float]]:
    """Least squares of ``c`` on the ``themes`` columns (0/1 floats) with HC1 intervals and
    normal p-values, for the ``report`` columns; row ``i`` stands for ``k[i]`` documents.

    This is the fit of every document, one row each (statsmodels' ``OLS(...).fit(cov_type=
    "HC1")``), from the groups: the fit is that of the rows weighted by the square roots of
    their counts, the sandwich's middle sums each group's squared residual times its count,
    and the degrees of freedom are those of the documents. A coefficient that the design
    cannot tell apart from another's (themes on the same documents) is NaN. On a million
    documents the groups are a few thousand rows at most when ratings take a few values,
    and no copy of a documents-sized design is made.
    """
    n = float(k.sum())
    usable = [t for t, flags in themes.items() if _MIN_DOCS <= float(k @ flags) <= n - _MIN_DOCS]
    if not usable or n < len(usable) + 10:
        return {}
    from scipy.stats import norm

    design = np.empty((len(c), len(usable) + 1))
    design[:, 0] = 1.0
    for j, theme in enumerate(usable, start=1):
        design[:, j] = themes[theme]
    root = np.sqrt(k)
    weighted = design * root[:, None]
    # the pseudo-inverse from one SVD, with numpy's rank tolerance: columns that always come
    # together make the design rank-deficient, and their coefficients cannot be told apart
    u, s, vt = np.linalg.svd(weighted, full_matrices=False)
    keep = s > s.max() * max(weighted.shape) * np.finfo(float).eps
    rank = int(keep.sum())
    inverse = vt[keep].T @ (u[:, keep].T / s[keep][:, None])  # (X'X)^+ is inverse @ inverse.T
    # a coefficient is estimable when its unit vector lies in the rows' span
    estimable = np.einsum("ij,ij->j", vt[keep], vt[keep]) > 1 - 1e-8
    params = inverse @ (c * root)
    residual = c - design @ params
    bread = inverse @ inverse.T
    meat = design.T @ (design * (k * residual**2)[:, None])
    cov = bread @ meat @ bread * (n / (n - rank))
    bse = np.sqrt(np.diag(cov))
    out = {}
    for j, theme in enumerate(usable, start=1):
        if theme not in report:
            continue
        if not estimable[j]:
            out[theme] = (np.nan, np.nan, np.nan, np.nan)
            continue
        b, se = float(params[j]), float(bse[j])
        with np.errstate(divide="ignore", invalid="ignore"):
            p_value = float(2 * norm.sf(abs(b / se)))
        out[theme] = (b, b - _Z95 * se, b + _Z95 * se, p_value)
    return out
