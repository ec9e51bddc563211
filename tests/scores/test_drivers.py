"""Score drivers on simulated surveys whose theme effects are known, and the metric rules."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.stats import spearmanr

from feedback_miner.errors import FeedbackMinerError
from feedback_miner.scores import choose_metric, contributions, score_drivers
from feedback_miner.themes import Taxonomy, Theme

# theme -> points it costs on a 0-10 recommendation scale (0: no effect)
EFFECTS = {"a": -3.0, "b": -2.0, "c": -1.2, "d": -0.6, "null1": 0.0, "null2": 0.0}


def survey(seed: int, n: int = 3000):
    rng = np.random.default_rng(seed)
    flags = {t: rng.random(n) < 0.2 for t in EFFECTS}
    mean = 8.0 + sum(EFFECTS[t] * flags[t] for t in EFFECTS)
    ratings = np.clip(np.round(rng.normal(mean, 1.5)), 0, 10)
    docs = pd.DataFrame({"doc_id": [f"d{i}" for i in range(n)]})
    rows = [(f"d{i}", t) for t in EFFECTS for i in np.flatnonzero(flags[t])]
    mentions = pd.DataFrame(rows, columns=["doc_id", "theme_id"])
    taxonomy = Taxonomy("sim", "1", tuple(Theme(t, t, (t,)) for t in EFFECTS))
    return docs, mentions, taxonomy, ratings


@pytest.mark.parametrize("metric_name", ["nps", "mean"])
def test_known_effects_are_recovered_in_rank_and_nulls_stay_uncertain(metric_name: str) -> None:
    docs, mentions, taxonomy, ratings = survey(seed=3)
    metric = choose_metric(pd.Series(ratings), "推荐意愿", metric_name)
    drivers = score_drivers(docs, mentions, taxonomy, ratings, metric, column="推荐意愿")
    table = drivers.table.set_index("theme_id")
    truth = [EFFECTS[t] for t in EFFECTS]
    rho = spearmanr(truth, [table.loc[t, "impact"] for t in EFFECTS]).statistic
    assert rho >= 0.8
    assert spearmanr(truth, [table.loc[t, "coef"] for t in EFFECTS]).statistic >= 0.8
    for null in ("null1", "null2"):
        assert table.loc[null, "ci_low"] <= 0 <= table.loc[null, "ci_high"], null
        assert table.loc[null, "coef_ci_low"] <= 0 <= table.loc[null, "coef_ci_high"], null
        assert table.loc[null, "certainty"] == "uncertain"
    assert table.loc["a", "certainty"] == "sure" and table.loc["a", "ci_high"] < 0
    # impact is the overall score minus the score without the theme's documents
    row = table.loc["a"]
    assert row["impact"] == pytest.approx(drivers.overall - row["score_without"])


def test_null_intervals_cover_zero_at_their_rate_over_seeds() -> None:
    """95% intervals of the two null themes: counted over 20 seeds, nearly all cover 0."""
    misses = 0
    for seed in range(20):
        docs, mentions, taxonomy, ratings = survey(seed=100 + seed, n=1500)
        metric = choose_metric(pd.Series(ratings), "score", "mean")
        table = score_drivers(docs, mentions, taxonomy, ratings, metric, column="score").table
        nulls = table[table["theme_id"].isin(["null1", "null2"])]
        misses += int(((nulls["ci_low"] > 0) | (nulls["ci_high"] < 0)).sum())
    assert misses <= 5  # 40 intervals; about 2 expected to miss at 95%


@pytest.mark.parametrize(
    ("values", "column", "metric", "why"),
    [
        ([0, 3, 9, 10, 7], "3、您向朋友推荐的可能性", "nps", "a 0-10 scale"),
        ([1, 3, 5, 4], "推荐意愿", "nps", "a recommendation question"),
        ([1, 2, 5, 4], "满意度", "top2box", "a satisfaction scale"),
        ([1, 2, 5, 4], "CSAT", "top2box", "a satisfaction scale"),
        ([1, 2, 5, 4], "评分", "mean", "a 1-5 scale"),
        ([1, 7, 5, 4], "星级", "mean", "a 1-7 scale"),
    ],
)
def test_the_metric_follows_the_scale_and_the_name(values, column, metric, why) -> None:
    chosen = choose_metric(pd.Series(values), column)
    assert (chosen.name, chosen.why) == (metric, why)


def test_contributions_of_each_metric() -> None:
    nps = choose_metric(pd.Series([0, 10]), "nps")
    assert contributions(np.array([10, 9, 8, 7, 6, 0, np.nan]), nps).tolist()[:6] == [
        100,
        100,
        0,
        0,
        -100,
        -100,
    ]
    top2 = choose_metric(pd.Series([1, 5]), "满意度")
    assert contributions(np.array([5, 4, 3, 1]), top2).tolist() == [100, 100, 0, 0]


@pytest.mark.parametrize(
    ("values", "wanted", "message"),
    [
        (
            ["x", None],
            None,
            "--score-col '满意度' holds no numbers; name a column of ratings (NPS 0-10, 满意度 1-5, stars).",
        ),
        (
            [0, 1, 1, 0],
            None,
            "--score-col '满意度' holds only 0 and 1: that is a yes/no answer, not a rating scale. "
            "Name a column of ratings (NPS 0-10, 满意度 1-5, stars).",
        ),
        (
            [1, 5],
            "median",
            "--score-metric is 'median', which is not valid; use one of: nps, mean, top2box.",
        ),
    ],
)
def test_bad_score_columns(values, wanted, message) -> None:
    with pytest.raises(FeedbackMinerError) as info:
        choose_metric(pd.Series(values), "满意度", wanted)
    assert str(info.value) == message


def _bootstrap_all_at_once(
    c: np.ndarray, X: np.ndarray, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """The bootstrap written plainly: each block's weights drawn in one call, w * c a new array."""
    rng = np.random.default_rng(seed)
    draws = []
    for _ in range(20):
        w = rng.poisson(1.0, (50, len(c))).astype(float)
        weight, weighted = w.sum(axis=1), w @ c
        in_theme, in_theme_weighted = w @ X, (w * c) @ X
        with np.errstate(invalid="ignore", divide="ignore"):
            without = (weighted[:, None] - in_theme_weighted) / (weight[:, None] - in_theme)
            draws.append(weighted[:, None] / weight[:, None] - without)
    with np.errstate(invalid="ignore"):
        low, high = np.nanpercentile(np.vstack(draws), [2.5, 97.5], axis=0)
    return low, high


@pytest.mark.parametrize(
    ("n", "themes", "seed"), [(1, 2, 0), (7, 3, 1), (503, 6, 2), (20_011, 13, 3)]
)
def test_the_bootstrap_filled_in_parts_gives_the_draws_of_one_call(
    n: int, themes: int, seed: int
) -> None:
    """Weights drawn a few replicates at a time and scaled in place: the same intervals, bit
    for bit. No two documents are alike here (continuous contributions), so each is its own
    group: the grouped draws are the draws of one weight per document."""
    from feedback_miner.scores.drivers import _bootstrap

    rng = np.random.default_rng(seed + 10)
    c = rng.normal(size=n)
    X = (rng.random((n, themes)) < 0.3).astype(float)
    low, high = _bootstrap(c, X, seed)
    want_low, want_high = _bootstrap_all_at_once(c, X, seed)
    np.testing.assert_array_equal(low, want_low)
    np.testing.assert_array_equal(high, want_high)


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_alike_documents_drawn_as_groups_give_the_per_document_intervals(seed: int) -> None:
    """Ratings on an 11-point scale: 20,000 answers make about 140 groups of alike documents.
    One Poisson(k) weight per group is the resampling distribution of k Poisson(1) weights,
    so the intervals agree with the per-document bootstrap up to its Monte Carlo noise
    (1,000 replicates: a few percent of the interval's width)."""
    from feedback_miner.scores.drivers import _alike_groups, _bootstrap, theme_matrix

    docs, mentions, taxonomy, ratings = survey(seed=seed, n=20_000)
    c = contributions(ratings, choose_metric(pd.Series(ratings), "推荐意愿", "nps"))
    X = theme_matrix(docs, mentions, taxonomy).to_numpy().astype(float)
    assert len(_alike_groups(c, X)[0]) < 200
    low, high = _bootstrap(c, X, seed)
    want_low, want_high = _bootstrap_all_at_once(c, X, seed)
    width = want_high - want_low
    assert np.all(np.abs(low - want_low) <= 0.15 * width)
    assert np.all(np.abs(high - want_high) <= 0.15 * width)


@pytest.mark.parametrize(
    ("c", "X", "rows", "counts"),
    [
        ([1.0, 0.0, 1.0], [[1, 0], [0, 0], [1, 0]], [[1, 1, 0], [0, 0, 0]], [2, 1]),
        ([0.0, 1.0, 1.0], [[0, 1], [1, 0], [0, 1]], [[0, 0, 1], [1, 1, 0], [1, 0, 1]], [1, 1, 1]),
        ([-1.0, -1.0, 5.0, -1.0], [[1], [1], [0], [0]], [[-1, 1], [5, 0], [-1, 0]], [2, 1, 1]),
        ([2.0], [[0, 0, 1]], [[2, 0, 0, 1]], [1]),
    ],
)
def test_alike_groups_are_the_distinct_rows_in_the_order_they_first_occur(
    c: list[float], X: list[list[int]], rows: list[list[float]], counts: list[int]
) -> None:
    from feedback_miner.scores.drivers import _alike_groups

    gc, gX, k = _alike_groups(np.asarray(c), np.asarray(X, dtype=float))
    assert np.column_stack([gc, gX]).tolist() == rows
    assert k.tolist() == counts


_NAN = float("nan")


@pytest.mark.parametrize(
    ("columns", "groups"),
    [
        # ties: equal rows share a number, numbered in the order they first occur
        ([[3.0, 1.0, 3.0, 1.0, 2.0]], [0, 1, 0, 1, 2]),
        # negatives and a column that splits equal first values
        ([[-1.0, -1.0, 5.0, -1.0], [1.0, 1.0, 0.0, 0.0]], [0, 0, 1, 2]),
        # -0.0 is 0.0
        ([[0.0, -0.0, 100.0, -0.0], [1.0, 1.0, 0.0, 1.0]], [0, 0, 1, 0]),
        # a row with a NaN is alike to no other, not even an equal one
        ([[1.0, _NAN, 1.0, _NAN], [0.0, 0.0, 0.0, 0.0]], [0, 1, 0, 2]),
        ([[1.0, 1.0, 1.0], [_NAN, 0.0, 0.0]], [0, 1, 1]),
        # one row, and no rows
        ([[2.0], [0.0], [1.0]], [0]),
        ([[], []], []),
    ],
)
def test_alike_rows_number_equal_rows_alike_in_order_of_first_occurrence(
    columns: list[list[float]], groups: list[int]
) -> None:
    from feedback_miner.scores.drivers import alike_rows

    assert alike_rows([np.asarray(c, dtype=float) for c in columns]).tolist() == groups


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_alike_groups_are_those_of_numpy_unique_rows_bit_for_bit(seed: int) -> None:
    """Many theme columns (the packed key is renumbered on the way), ties, negatives, -0.0
    and NaN: the groups, their order, the representative rows' bits and the counts are
    those of ``np.unique(axis=0)`` on the stacked rows."""
    from feedback_miner.scores.drivers import _alike_groups

    rng = np.random.default_rng(seed)
    n, themes = 3_000, 90
    c = rng.choice([0.0, -0.0, 1.0, -100.0, 100.0, 3.5, _NAN], n)
    X = (rng.random((n, themes)) < [0.5] * 3 + [0.01] * (themes - 3)).astype(float)
    X[rng.random((n, themes)) < 0.0005] = _NAN
    _, first, counts = np.unique(
        np.column_stack([c, X]), axis=0, return_index=True, return_counts=True
    )
    order = np.argsort(first)
    gc, gX, k = _alike_groups(c, X)
    assert gc.view(np.uint64).tolist() == c[first[order]].view(np.uint64).tolist()
    assert np.array_equal(gX, X[first[order]], equal_nan=True)
    assert k.tolist() == counts[order].tolist()
    assert len(k) < n  # there are ties to group


def _plain_flags(docs: pd.DataFrame, mentions: pd.DataFrame, taxonomy: Taxonomy) -> pd.DataFrame:
    """Documents x themes written plainly: an integer matrix, then rolled up into a copy."""
    from feedback_miner.attribution.stats import rolled_up

    matrix = pd.DataFrame(0, index=range(len(docs)), columns=list(taxonomy.ids))
    row = {d: i for i, d in enumerate(docs["doc_id"])}
    for doc, theme in zip(mentions["doc_id"], mentions["theme_id"], strict=True):
        if doc in row and theme in matrix.columns:
            matrix.loc[row[doc], theme] = 1
    return rolled_up(matrix, taxonomy)


_DEEP = Taxonomy(
    "deep",
    "1",
    (
        Theme("svc", "客服", ("客服",)),
        Theme("wait", "等待", ("排队",), parent="svc"),
        Theme("hold", "占线", ("占线",), parent="wait"),
        Theme("rude", "态度", ("态度",), parent="svc"),
        Theme("price", "价格", ("贵",)),
    ),
)


@pytest.mark.parametrize(
    ("pairs", "rated"),
    [
        # no mention, one rated document
        ([], [True]),
        # a grandchild counts for its parent and grandparent, not for a sibling
        ([("d0", "hold")], [True, True]),
        # unknown themes and documents are left out; an unrated document drops its row
        ([("d0", "price"), ("d1", "nope"), ("d9", "svc"), ("d2", "rude")], [True, False, True]),
        # a parent's own mention beside a child's
        ([("d0", "svc"), ("d0", "wait"), ("d1", "wait"), ("d2", "price")], [True, True, True]),
    ],
)
def test_theme_flags_built_in_place_equal_the_rolled_up_matrix(pairs, rated) -> None:
    from feedback_miner.scores.drivers import _theme_flags, theme_matrix

    docs = pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(rated))]})
    mentions = pd.DataFrame(pairs, columns=["doc_id", "theme_id"])
    plain = _plain_flags(docs, mentions, _DEEP)
    pd.testing.assert_frame_equal(theme_matrix(docs, mentions, _DEEP), plain.astype(np.int8))
    mask = np.array(rated)
    floats = _theme_flags(docs, mentions, _DEEP, mask, dtype=np.float64)
    assert floats.dtype == np.float64
    np.testing.assert_array_equal(floats, plain.to_numpy()[mask].astype(float))


def _plain_fits(
    c: np.ndarray, frame: pd.DataFrame, taxonomy: Taxonomy
) -> dict[str, tuple[float, ...]]:
    """statsmodels' HC1 fits on the documents' frames, one row per document: the top-level
    themes together, then each parent's sub-themes beside its own mentions and the others."""
    import statsmodels.api as sm

    def plain(themes: pd.DataFrame, report: list[str]) -> dict[str, tuple[float, ...]]:
        fit = sm.OLS(c, sm.add_constant(themes.to_numpy(dtype=float), has_constant="add")).fit(
            cov_type="HC1"
        )
        return {
            t: (
                fit.params[j],
                fit.params[j] - 1.959963984540054 * fit.bse[j],
                fit.params[j] + 1.959963984540054 * fit.bse[j],
                fit.pvalues[j],
            )
            for j, t in enumerate(themes.columns, start=1)
            if t in report
        }

    top = [t.id for t in taxonomy.themes if not t.parent]
    want = plain(frame[top], top)
    for parent in taxonomy.themes:
        children = [t.id for t in taxonomy.themes if t.parent == parent.id]
        if not children:
            continue
        own = frame[parent.id].where(frame[children].max(axis=1) == 0, 0)
        others = [t for t in top if t != parent.id]
        parts = pd.concat([frame[children], own.rename(f"{parent.id}:own"), frame[others]], axis=1)
        want.update(plain(parts, children))
    return want


def _documents(seed: int, n: int, share: float) -> tuple[pd.DataFrame, np.ndarray]:
    rng = np.random.default_rng(seed)
    flags = rng.random((n, len(_DEEP.ids))) < share
    docs = pd.DataFrame({"doc_id": [f"d{i}" for i in range(n)]})
    rows, columns = np.nonzero(flags)
    mentions = pd.DataFrame(
        {"doc_id": [f"d{i}" for i in rows], "theme_id": [_DEEP.ids[j] for j in columns]}
    )
    return _plain_flags(docs, mentions, _DEEP), rng.random(n)


def _assert_fits_equal(found: dict, want: dict) -> None:
    assert sorted(found) == sorted(want)
    for theme, figures in want.items():
        np.testing.assert_allclose(found[theme], figures, rtol=1e-9, atol=1e-12)


def test_key_driver_coefficients_equal_the_plain_regressions() -> None:
    """Distinct contributions (every group is one document): the fits are statsmodels' on the
    frames, to the last few bits."""
    from feedback_miner.scores.drivers import _coefficients

    frame, noise = _documents(5, 4000, 0.15)
    c = -frame["svc"].to_numpy() * 2 - frame["price"].to_numpy() + noise * 3
    _assert_fits_equal(
        _coefficients(c, frame.to_numpy(dtype=float), _DEEP), _plain_fits(c, frame, _DEEP)
    )


@pytest.mark.parametrize(("seed", "scale"), [(0, [-100.0, 0.0, 100.0]), (1, [1.0, 2, 3, 4, 5])])
def test_key_driver_coefficients_from_groups_of_alike_documents_equal_the_plain_regressions(
    seed: int, scale: list[float]
) -> None:
    """Contributions on a few-point scale: 20,000 documents make a few hundred groups, and the
    fits on the groups, weighted by their sizes, are those of one row per document."""
    from feedback_miner.scores.drivers import _alike_groups, _coefficients

    frame, noise = _documents(seed, 20_000, 0.2)
    drag = frame["svc"].to_numpy() + frame["hold"].to_numpy() + frame["price"].to_numpy()
    c = np.asarray(scale)[
        np.minimum((noise * len(scale) - drag).astype(int).clip(0), len(scale) - 1)
    ]
    group_c, group_X, k = _alike_groups(c, frame.to_numpy(dtype=np.int8))
    assert len(k) < 500 and k.sum() == len(c)
    found = _coefficients(group_c, group_X, _DEEP, weights=k)
    _assert_fits_equal(found, _plain_fits(c, frame, _DEEP))


_WIDE = Taxonomy("wide", "1", (*_DEEP.themes, Theme("fee", "费用", ("收费",))))


def test_key_driver_coefficients_of_themes_that_always_come_together() -> None:
    """Two top-level themes on the same documents cannot be told apart: their coefficients
    are NaN, and every other theme's fit is statsmodels' with one of the two left out (the
    same column space, so the same fitted values and residuals)."""
    from feedback_miner.scores.drivers import _alike_groups, _coefficients

    frame, noise = _documents(3, 5000, 0.2)
    frame["fee"] = frame["price"]
    c = np.round(noise * 4 - frame["svc"].to_numpy() - frame["price"].to_numpy())
    group_c, group_X, k = _alike_groups(c, frame.to_numpy(dtype=np.int8))
    found = _coefficients(group_c, group_X, _WIDE, weights=k)
    assert np.isnan(found.pop("price")).all() and np.isnan(found.pop("fee")).all()
    want = _plain_fits(c, frame.drop(columns="fee"), _DEEP)
    del want["price"]
    _assert_fits_equal(found, want)
