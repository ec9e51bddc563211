"""Attribution on simulated users whose churn follows a known logistic model."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.stats import spearmanr

from feedback_miner.attribution import ATTRIBUTION_COLUMNS, ChurnLabels, attribute, build_exposure
from feedback_miner.errors import LabelError
from feedback_miner.themes import Taxonomy, Theme

sys.path.insert(0, str(Path(__file__).resolve().parent))
from worlds import TRUE_LOG_OR, simulate, taxonomy


@pytest.fixture(scope="module")
def simulated():
    docs, mentions, labels = simulate()
    exposure = build_exposure(docs, mentions, labels, taxonomy().ids)
    return docs, mentions, labels, attribute(exposure, taxonomy(), covariates=labels.covariates)


def test_the_exposure_matrix_is_bytes_of_zero_and_one(simulated) -> None:
    docs, mentions, labels, _ = simulated
    matrix = build_exposure(docs, mentions, labels, taxonomy().ids).matrix
    assert set(matrix.dtypes) == {np.dtype(np.int8)}
    assert set(np.unique(matrix.to_numpy())) == {0, 1}
    assert list(matrix.columns) == list(taxonomy().ids)


def test_table_has_the_contract_columns(simulated) -> None:
    table = simulated[3].table
    assert list(table.columns[: len(ATTRIBUTION_COLUMNS)]) == list(ATTRIBUTION_COLUMNS)


def test_adjusted_odds_ratios_recover_the_truth(simulated) -> None:
    table = simulated[3].table.set_index("theme_id")
    estimated = [np.log(table.loc[t, "odds_ratio"]) for t in TRUE_LOG_OR]
    assert spearmanr(estimated, list(TRUE_LOG_OR.values())).statistic >= 0.9
    covered = [
        table.loc[t, "ci_low"] <= np.exp(v) <= table.loc[t, "ci_high"]
        for t, v in TRUE_LOG_OR.items()
    ]
    assert sum(covered) >= 3


def test_a_theme_that_only_tracks_a_covariate_has_no_adjusted_effect(simulated) -> None:
    row = simulated[3].table.set_index("theme_id").loc["confounded"]
    assert row["crude_odds_ratio"] > 1.5  # looks like a driver when counted naively
    assert row["ci_low"] < 1 < row["ci_high"]


def test_rates_lift_and_q_values(simulated) -> None:
    table = simulated[3].table.set_index("theme_id")
    row = table.loc["a"]
    assert row["lift"] == pytest.approx(row["churn_rate_with"] / row["churn_rate_without"])
    assert table["q_value"].dropna().ge(table["p_value"].dropna()).all()
    assert table.loc["a", "impact"] > table.loc["d", "impact"]
    assert set(simulated[3].table["theme_id"][:2]) == {"a", "b"}  # impact weighs prevalence too


def test_rare_theme_is_reported_not_modelled(simulated) -> None:
    row = simulated[3].table.set_index("theme_id").loc["rare"]
    assert row["n_users"] == 3
    assert np.isnan(row["odds_ratio"])
    assert row["note"] == "too few exposed users to model (3; at least 5)"


def test_feedback_after_churn_never_changes_the_result(simulated) -> None:
    docs, mentions, labels, result = simulated
    churned = labels.frame[labels.frame["churned"] == 1]["user_id"].tolist()
    late_docs = pd.DataFrame(
        {
            "doc_id": [f"late{i}" for i in range(len(churned))],
            "user_id": churned,
            "created_at": pd.Timestamp("2026-12-01"),
        }
    )
    late_mentions = pd.DataFrame(
        {
            "doc_id": late_docs["doc_id"],
            "user_id": churned,
            "theme_id": "d",
            "sentiment_score": -0.9,
        }
    )
    exposure = build_exposure(
        pd.concat([docs, late_docs]), pd.concat([mentions, late_mentions]), labels, taxonomy().ids
    )
    again = attribute(exposure, taxonomy(), covariates=labels.covariates)
    assert exposure.docs_after_churn == len(churned)
    pd.testing.assert_frame_equal(again.table, result.table)


def test_positive_mentions_do_not_expose_by_default(simulated) -> None:
    docs, mentions, labels, _ = simulated
    positive = mentions.assign(sentiment_score=0.7)
    exposure = build_exposure(docs, positive, labels, taxonomy().ids)
    assert exposure.matrix.to_numpy().sum() == 0
    assert (
        build_exposure(docs, positive, labels, taxonomy().ids, rule="any").matrix.to_numpy().sum()
        > 0
    )


def test_separation_falls_back_to_a_penalised_fit() -> None:
    docs, mentions, labels = simulate(n=600)
    frame = labels.frame.copy()
    exposed = set(mentions.loc[mentions["theme_id"] == "a", "user_id"])
    frame.loc[frame["user_id"].isin(exposed), "churned"] = 1  # every exposed user churned
    frame.loc[frame["user_id"].isin(exposed), "churn_date"] = pd.Timestamp("2026-12-31")
    labels = ChurnLabels(frame, "sim.csv", "user_id", "churned", "churn_date", ("tenure",), {})
    result = attribute(
        build_exposure(docs, mentions, labels, taxonomy().ids), taxonomy(), covariates=("tenure",)
    )
    assert result.model is not None and result.model.method == "Firth penalised likelihood"
    row = result.table.set_index("theme_id").loc["a"]
    assert np.isfinite(row["odds_ratio"]) and row["odds_ratio"] > 1
    # a profile-likelihood interval: finite below, and far above the estimate
    assert 1 < row["ci_low"] < row["odds_ratio"] < row["ci_high"]
    assert row["note"].startswith("penalised fit: ")


def test_no_matching_users_is_a_clear_error() -> None:
    docs, mentions, labels = simulate(n=50)
    docs = docs.assign(user_id="X" + docs["user_id"])
    with pytest.raises(LabelError) as info:
        build_exposure(docs, mentions, labels, taxonomy().ids)
    assert str(info.value) == (
        "sim.csv: none of its 50 user ids matches a user id in the feedback (50 users, e.g. 'Xu0', "
        "'Xu1', 'Xu2'; label ids look like 'u0', 'u1', 'u2'). Check that --id-col names the user id "
        "column of the feedback and --label-id-col that of the label file, and that both use the same ids."
    )


MANY_TRUE = {f"t{i}": v for i, v in enumerate([1.5, 1.2, 1.0, 0.8, 0.6, 0.4, 0.2, 0.0, -0.3, -0.6])}


def test_interval_coverage_over_ten_themes() -> None:
    rng = np.random.default_rng(11)
    n = 6000
    tenure = rng.uniform(0, 48, n)
    exposed = {t: rng.random(n) < 0.2 for t in MANY_TRUE}
    logit = -1.2 - 0.04 * (tenure - 24) + sum(MANY_TRUE[t] * exposed[t] for t in MANY_TRUE)
    churned = rng.random(n) < 1 / (1 + np.exp(-logit))
    users = [f"u{i}" for i in range(n)]
    docs = pd.DataFrame(
        {"doc_id": users, "user_id": users, "created_at": pd.Timestamp("2026-01-01")}
    )
    mentions = pd.DataFrame(
        [
            (u, u, t, -0.5)
            for t, flags in exposed.items()
            for u, f in zip(users, flags, strict=True)
            if f
        ],
        columns=["doc_id", "user_id", "theme_id", "sentiment_score"],
    )
    frame = pd.DataFrame(
        {"user_id": users, "churned": churned.astype(int), "churn_date": pd.NaT, "tenure": tenure}
    )
    frame["churn_date"] = pd.to_datetime(frame["churn_date"])
    labels = ChurnLabels(frame, "sim.csv", "user_id", "churned", "churn_date", ("tenure",), {})
    taxonomy = Taxonomy("sim", "1", tuple(Theme(t, t, (t,)) for t in MANY_TRUE))
    table = attribute(
        build_exposure(docs, mentions, labels, taxonomy.ids), taxonomy, covariates=("tenure",)
    ).table
    table = table.set_index("theme_id")
    covered = sum(
        table.loc[t, "ci_low"] <= np.exp(v) <= table.loc[t, "ci_high"] for t, v in MANY_TRUE.items()
    )
    assert covered >= 9  # at least 90% of the themes
    estimated = [np.log(table.loc[t, "odds_ratio"]) for t in MANY_TRUE]
    assert spearmanr(estimated, list(MANY_TRUE.values())).statistic >= 0.9


def test_window_days_keeps_only_recent_feedback() -> None:
    users = ["a", "b"]
    docs = pd.DataFrame(
        {
            "doc_id": ["old", "recent"],
            "user_id": users,
            "created_at": pd.to_datetime(["2026-01-01", "2026-05-20"]),
        }
    )
    mentions = pd.DataFrame(
        {"doc_id": ["old", "recent"], "user_id": users, "theme_id": "a", "sentiment_score": -0.5}
    )
    frame = pd.DataFrame(
        {
            "user_id": users,
            "churned": [1, 1],
            "churn_date": pd.to_datetime(["2026-06-01", "2026-06-01"]),
        }
    )
    labels = ChurnLabels(frame, "w.csv", "user_id", "churned", "churn_date", (), {})
    everything = build_exposure(docs, mentions, labels, ("a",))
    recent = build_exposure(docs, mentions, labels, ("a",), window_days=30)
    assert everything.matrix["a"].tolist() == [1, 1]
    assert recent.matrix.reindex(users, fill_value=0)["a"].tolist() == [0, 1]
    assert recent.docs_outside_window == 1
    assert (everything.feedback_users, everything.matched_users) == (2, 2)


def test_time_to_churn_columns_from_dates() -> None:
    docs, mentions, labels = simulate(n=1500)
    exposure = build_exposure(docs, mentions, labels, taxonomy().ids)
    result = attribute(exposure, taxonomy(), covariates=labels.covariates, survival=True)
    table = result.table.set_index("theme_id")
    assert result.survival_source is not None and result.survival_source.startswith(
        "days from each user's first feedback to churn (others: to the labels' snapshot"
    )
    assert table.loc["a", "hazard_ratio"] > table.loc["d", "hazard_ratio"]
    assert table.loc["a", "hr_ci_low"] > 1
    assert np.isnan(table.loc["rare", "hazard_ratio"])  # not modelled


def test_no_durations_no_time_to_churn(simulated) -> None:
    assert simulated[3].survival_source is None  # attribute() was not asked for survival
    assert simulated[3].table["hazard_ratio"].isna().all()
