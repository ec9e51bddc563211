"""Seeded simulations whose truth is known: the attribution must not give confident wrong advice.

Each world is built at the level the analysis sees (documents with dates,
theme mentions, a label file), and run through :func:`analyze_churn`, the
churn side of ``analyze``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from feedback_miner.attribution import ChurnLabels, ChurnOptions, analyze_churn
from feedback_miner.attribution.model import PENALISED, fit_logistic

sys.path.insert(0, str(Path(__file__).resolve().parent))
from worlds import START, World, flat_taxonomy, simulate, world
from worlds import taxonomy as stats_taxonomy


def run(w: World, **options: object):
    return analyze_churn(w.docs, w.mentions, w.labels, w.taxonomy, ChurnOptions(**options))  # type: ignore[arg-type]


def test_text_that_says_nothing_about_churn_adds_no_auc() -> None:
    """Churn follows tenure alone; texts are independent of it. Before the cut-off design,
    churners' features stopped at their churn date and the 'gain' was about +0.28."""
    rng = np.random.default_rng(11)
    n = 3000
    tenure = rng.uniform(0, 48, n)
    churned = rng.random(n) < 1 / (1 + np.exp(-(-0.5 - 0.06 * (tenure - 24))))
    churn_days = rng.integers(20, 330, n)
    themes = [f"t{i}" for i in range(6)]
    exposures = {t: rng.random(n) < 0.25 for t in themes}
    w = world(
        rng,
        exposures,
        churned,
        churn_days,
        {"tenure": tenure},
        flat_taxonomy(themes),
        feedback_span=330,
        docs_per_user=3,
    )
    value = run(w).incremental
    assert value is not None and value.cutoff is not None
    assert value.delta <= 0.02 or value.ci_low <= 0 <= value.ci_high
    assert value.ci_low <= 0  # nothing to claim


def test_informative_text_adds_auc_on_the_cut_off_design() -> None:
    """The same world, but complaints about t0 written before the cut-off double the odds of
    churning after it: the gain is found, with an interval above 0."""
    rng = np.random.default_rng(12)
    n = 3000
    tenure = rng.uniform(0, 48, n)
    complaint = rng.random(n) < 0.3
    logit = -0.8 - 0.06 * (tenure - 24) + 1.6 * complaint
    churned = rng.random(n) < 1 / (1 + np.exp(-logit))
    # every user writes in the first 60 days; churn comes later
    churn_days = rng.integers(90, 330, n)
    w = world(
        rng,
        {"t0": complaint, "t1": rng.random(n) < 0.3},
        churned,
        churn_days,
        {"tenure": tenure},
        flat_taxonomy(["t0", "t1"]),
        feedback_span=60,
    )
    value = run(w).incremental
    assert value is not None and value.delta > 0.05 and value.ci_low > 0


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="processes fork on Linux only")
def test_the_incremental_value_measured_beside_the_attribution_is_the_same() -> None:
    rng = np.random.default_rng(12)
    n = 1500
    tenure = rng.uniform(0, 48, n)
    complaint = rng.random(n) < 0.3
    churned = rng.random(n) < 1 / (1 + np.exp(-(-0.8 - 0.06 * (tenure - 24) + 1.6 * complaint)))
    w = world(
        rng,
        {"t0": complaint, "t1": rng.random(n) < 0.3},
        churned,
        rng.integers(90, 330, n),
        {"tenure": tenure},
        flat_taxonomy(["t0", "t1"]),
        feedback_span=60,
    )
    here, beside = run(w), run(w, beside=True)
    assert here.incremental is not None
    assert beside.incremental == here.incremental  # every figure, to the last bit
    pd.testing.assert_frame_equal(beside.attribution.table, here.attribution.table)
    assert beside.incremental_note == here.incremental_note and beside.warnings == here.warnings


def test_missing_tenure_stays_numeric_and_the_confounded_theme_stays_uncertain() -> None:
    """The world of test_stats: complaints about ``confounded`` come from short-tenure users but
    do not cause churn. With tenure missing for 10% of users, tenure used to become one
    indicator per value (3,591 columns, a ridge fit) and the theme looked like a driver."""
    docs, mentions, labels = simulate(seed=7)
    frame = labels.frame.copy()
    frame.loc[np.random.default_rng(7).random(len(frame)) < 0.1, "tenure"] = np.nan
    labels = ChurnLabels(frame, "sim.csv", "user_id", "churned", "churn_date", ("tenure",), {})
    result = analyze_churn(docs, mentions, labels, stats_taxonomy())
    table = result.attribution.table.set_index("theme_id")
    assert result.attribution.model is not None
    assert result.attribution.model.params.index.tolist().count("cov:tenure") == 1
    assert "cov:tenure:missing" in result.attribution.model.params.index
    assert table.loc["confounded", "ci_low"] <= 1 <= table.loc["confounded", "ci_high"]
    assert table.loc["confounded", "quadrant"] == "uncertain"
    assert table.loc["a", "ci_low"] > 1  # the real drivers are still found


def test_churn_dates_a_year_after_the_feedback_keep_the_hazard_ratio() -> None:
    """Feedback in the first 60 days; churn a year or more later. Censoring the retained at the
    latest feedback, not at the labels' snapshot, had pulled the hazard ratio to about 1."""
    rng = np.random.default_rng(31)
    n = 2000
    driver = rng.random(n) < 0.3
    rate = np.where(driver, 2.0, 1.0) / 200  # twice the hazard
    days = 365 + rng.exponential(1 / rate)
    snapshot_day = 365 + 250
    churned = days < snapshot_day
    w = world(
        rng,
        {"driver": driver, "noise": rng.random(n) < 0.3},
        churned,
        np.where(churned, days, 0).astype(int),
        {"segment": rng.choice(["a", "b"], n)},
        flat_taxonomy(["driver", "noise"]),
        feedback_span=60,
    )
    w.labels = ChurnLabels(
        w.labels.frame,
        "sim.csv",
        "user_id",
        "churned",
        "churn_date",
        ("segment",),
        {},
        snapshot=START + pd.Timedelta(days=snapshot_day),
    )
    result = run(w).attribution
    table = result.table.set_index("theme_id")
    assert result.survival_source is not None
    assert table.loc["driver", "hr_ci_low"] > 1
    assert table.loc["noise", "hr_ci_low"] <= 1 <= table.loc["noise", "hr_ci_high"]


def test_the_child_that_carries_a_parents_effect_is_the_one_flagged() -> None:
    rng = np.random.default_rng(41)
    n = 4000
    carrier = rng.random(n) < 0.2
    bystander = rng.random(n) < 0.2
    own = rng.random(n) < 0.1  # the parent's own keywords, without a sub-theme
    churned = rng.random(n) < 1 / (1 + np.exp(-(-1.2 + 1.3 * carrier)))
    taxonomy = flat_taxonomy(
        ["parent", "carrier", "bystander", "other"], {"carrier": "parent", "bystander": "parent"}
    )
    w = world(
        rng,
        {"parent": own, "carrier": carrier, "bystander": bystander, "other": rng.random(n) < 0.2},
        churned,
        rng.integers(150, 300, n),
        {"tenure": rng.uniform(0, 48, n)},
        taxonomy,
    )
    table = run(w).attribution.table.set_index("theme_id")
    assert table.loc["parent", "ci_low"] > 1  # the parent, rolled up, carries the effect
    assert table.loc["carrier", "certainty"] in ("strong", "moderate")
    assert table.loc["carrier", "ci_low"] > 2
    assert table.loc["bystander", "certainty"] == "uncertain"
    assert table.loc["carrier", "model"] == "parts of parent"


def test_a_theme_that_only_marks_a_segment_is_flagged_possible_confounder() -> None:
    """Telecom customers complain about the network and churn more; within each segment the
    network complaints change nothing."""
    rng = np.random.default_rng(51)
    n = 3000
    telecom = rng.random(n) < 0.4
    network = rng.random(n) < np.where(telecom, 0.6, 0.1)
    price = rng.random(n) < 0.25
    churned = rng.random(n) < 1 / (1 + np.exp(-(-1.6 + 1.4 * telecom + 0.9 * price)))
    w = world(
        rng,
        {"network": network, "price": price},
        churned,
        rng.integers(150, 300, n),
        {"tenure": rng.uniform(0, 48, n)},
        flat_taxonomy(["network", "price"]),
        doc_columns={"addressee": np.where(telecom, "中国电信", "某视频App")},
    )
    churn = run(w)
    table = churn.attribution.table.set_index("theme_id")
    assert table.loc["network", "ci_low"] > 1  # without the segment it looks like a driver
    assert [(f.theme_id, f.segment) for f in churn.confounders] == [("network", "addressee")]
    assert "possible confounder: addressee" in table.loc["network", "note"]
    codes = [w.code for w in churn.warnings]
    assert "possible_confounder" in codes
    adjusted = run(w, adjust_for=("addressee",)).attribution.table.set_index("theme_id")
    assert adjusted.loc["network", "ci_low"] <= 1 <= adjusted.loc["network", "ci_high"]
    assert adjusted.loc["price", "ci_low"] > 1


def test_undated_feedback_is_counted_with_a_warning_or_left_out() -> None:
    rng = np.random.default_rng(61)
    n = 400
    churned = rng.random(n) < 0.3
    w = world(
        rng,
        {"t": rng.random(n) < 0.3},
        churned,
        rng.integers(150, 300, n),
        {"tenure": rng.uniform(0, 48, n)},
        flat_taxonomy(["t"]),
    )
    w.docs.loc[w.docs.index[:50], "created_at"] = pd.NaT
    included = run(w)
    assert included.exposure.docs_undated == 50
    warning = next(x for x in included.warnings if x.code == "undated_feedback")
    assert warning.message.startswith("50 of the texts of labelled users have no date")
    excluded = run(w, undated="exclude")
    assert excluded.exposure.docs_used == included.exposure.docs_used - 50
    assert "undated_feedback" not in [x.code for x in excluded.warnings]


def test_no_covariates_is_said_and_compared_with_chance() -> None:
    rng = np.random.default_rng(71)
    n = 2000
    complaint = rng.random(n) < 0.3
    churned = rng.random(n) < 1 / (1 + np.exp(-(-1.0 + 1.5 * complaint)))
    w = world(
        rng,
        {"t0": complaint},
        churned,
        rng.integers(90, 330, n),
        {},
        flat_taxonomy(["t0"]),
        feedback_span=60,
    )
    churn = run(w)
    assert "no_covariates" in [x.code for x in churn.warnings]
    value = churn.incremental
    assert value is not None and value.baseline == "none" and value.auc_covariates is None
    assert value.delta == pytest.approx(value.auc_with_text - 0.5)


def test_firth_agrees_with_maximum_likelihood_where_both_exist() -> None:
    from feedback_miner.attribution.firth import firth_fit

    rng = np.random.default_rng(81)
    n = 3000
    X = pd.DataFrame({"const": 1.0, "a": rng.integers(0, 2, n), "b": rng.normal(size=n)})
    y = (rng.random(n) < 1 / (1 + np.exp(-(-0.5 + 0.8 * X["a"] - 0.4 * X["b"])))).astype(int)
    mle = fit_logistic(X, y.to_numpy())
    firth = firth_fit(X.to_numpy(dtype=float), y.to_numpy(dtype=float))
    assert mle.method != PENALISED
    np.testing.assert_allclose(firth.beta, mle.params.to_numpy(), atol=0.01)


def test_separation_gives_a_finite_estimate_and_a_one_sided_interval() -> None:
    rng = np.random.default_rng(91)
    n = 500
    X = pd.DataFrame({"const": 1.0, "sep": 0.0, "b": rng.normal(size=n)})
    y = (rng.random(n) < 0.3).astype(int)
    X.loc[:7, "sep"] = 1.0
    y[:8] = 1  # every exposed user churned
    fit = fit_logistic(X, y, report=["sep", "b"])
    assert fit.method == PENALISED and np.isfinite(fit.params["sep"])
    assert fit.ci_low["sep"] > 0 and fit.ci_high["sep"] > fit.params["sep"]
    assert fit.p_values["sep"] < 0.01
