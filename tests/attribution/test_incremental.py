import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score

from feedback_miner.attribution import QUADRANTS, incremental_auc, key_driver_quadrants
from feedback_miner.attribution.incremental import _BootstrapAUC


def simulated(informative: bool, n: int = 1500, seed: int = 2):
    rng = np.random.default_rng(seed)
    tenure = rng.uniform(0, 48, n)
    complaint = rng.random(n) < 0.3
    logit = -1.0 - 0.05 * (tenure - 24) + (1.8 * complaint if informative else 0.0)
    churned = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
    users = [f"u{i}" for i in range(n)]
    labels = pd.DataFrame({"user_id": users, "churned": churned, "tenure": tenure})
    features = pd.DataFrame({"user_id": users, "theme_x_negative": complaint.astype(float)})
    return labels, features


def test_informative_text_raises_the_auc() -> None:
    labels, features = simulated(informative=True)
    value = incremental_auc(labels, features, ("tenure",))
    assert value is not None and value.split == "stratified, 5 folds x 3 fold assignments"
    assert value.auc_with_text > value.auc_covariates
    assert value.ci_low > 0


def test_uninformative_text_adds_nothing_significant() -> None:
    labels, features = simulated(informative=False)
    value = incremental_auc(labels, features, ("tenure",))
    assert value is not None and value.ci_low <= 0 <= value.ci_high


def test_without_covariates_the_text_is_compared_with_chance() -> None:
    labels, features = simulated(informative=True)
    value = incremental_auc(labels.drop(columns="tenure"), features, ())
    assert value is not None and value.baseline == "none" and value.auc_covariates is None
    assert value.delta == pytest.approx(value.auc_with_text - 0.5)
    assert value.ci_low > 0


def test_too_few_users() -> None:
    labels, features = simulated(informative=True, n=30)
    assert incremental_auc(labels, features, ("tenure",)) is None


def test_key_driver_quadrants() -> None:
    sure, unsure = "moderate", "uncertain"
    table = pd.DataFrame(
        {
            "prevalence": [0.30, 0.25, 0.05, 0.04, 0.20, 0.01, 0.40, 0.22],
            "impact": [0.10, 0.02, 0.08, 0.001, -0.03, np.nan, 0.12, -0.05],
            "certainty": [sure, sure, sure, sure, sure, "not_modelled", unsure, unsure],
        }
    )
    assert key_driver_quadrants(table).tolist() == [
        "fix_first",
        "fix_first",
        "monitor",
        "low_priority",
        "strength",
        "low_priority",
        "uncertain",  # common and large, but its interval covers 1: not a priority
        "uncertain",  # nor a strength
    ]
    assert set(QUADRANTS) == {"fix_first", "monitor", "strength", "low_priority", "uncertain"}


@pytest.mark.parametrize(
    ("y", "scores"),
    [
        ([0, 1, 0, 1, 1, 0], [0.1, 0.9, 0.3, 0.4, 0.8, 0.35]),
        ([0, 1, 0, 1, 1, 0, 1], [0.5, 0.5, 0.5, 0.2, 0.9, 0.2, 0.5]),  # ties across classes
        ([1, 0, 1, 0], [0.0, 1.0, 0.0, 1.0]),  # perfectly wrong
    ],
)
def test_bootstrap_auc_equals_the_auc_of_the_resampled_data(
    y: list[int], scores: list[float]
) -> None:
    y_array, score_array = np.array(y), np.array(scores)
    auc = _BootstrapAUC(y_array, score_array)
    rng = np.random.default_rng(3)
    for _ in range(50):
        sample = rng.integers(0, len(y), len(y))
        if len(set(y_array[sample])) < 2:
            continue
        counts = np.bincount(sample, minlength=len(y))
        expected = roc_auc_score(y_array[sample], score_array[sample])
        assert auc(counts) == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize(
    ("users", "churned", "size", "want", "want_churned"),
    [
        (10, 5, 4, 4, 2),  # each outcome keeps its share
        (1000, 100, 250, 250, 25),
        (1000, 3, 100, 100, 0),  # a share below half a user rounds to none
        (1000, 7, 100, 100, 1),
        (50, 10, 50, 50, 10),  # at most size users: the frame as it is
        (20, 4, 100, 20, 4),
    ],
)
def test_sample_at_risk_keeps_each_outcomes_share_in_the_frames_order(
    users: int, churned: int, size: int, want: int, want_churned: int
) -> None:
    from feedback_miner.attribution.incremental import sample_at_risk

    rng = np.random.default_rng(users + churned)
    flags = np.zeros(users, dtype=int)
    flags[rng.choice(users, churned, replace=False)] = 1
    outcome = pd.DataFrame({"user_id": [f"u{i:05d}" for i in range(users)], "churned": flags})
    sample = sample_at_risk(outcome, size, seed=3)
    assert len(sample) == want and int(sample["churned"].sum()) == want_churned
    assert sample["user_id"].is_unique and sample["user_id"].is_monotonic_increasing
    assert set(sample["user_id"]) <= set(outcome["user_id"])
    pd.testing.assert_frame_equal(sample, sample_at_risk(outcome, size, seed=3))
    if users > size:
        assert not sample.equals(sample_at_risk(outcome, size, seed=4))


def test_a_sample_of_the_users_at_risk_gives_the_gain_of_all_within_its_interval() -> None:
    """Seeded simulation: the text adds a known signal. The gain measured on a stratified
    third of the users lies near the gain of all of them and inside its own (wider)
    interval, and the value says it was measured on a sample."""
    from feedback_miner.attribution.incremental import sample_at_risk

    labels, features = simulated(informative=True, n=6000, seed=7)
    everyone = incremental_auc(labels, features, ("tenure",))
    sample = sample_at_risk(labels, 2000, seed=0)
    part = incremental_auc(sample, features, ("tenure",), at_risk=len(labels))
    assert everyone is not None and part is not None
    assert part.n_users == 2000 and part.sampled_from == 6000 and everyone.sampled_from is None
    assert part.split == (
        "stratified, 5 folds x 3 fold assignments, on a seeded sample of 2,000 of the "
        "6,000 users at risk (stratified by outcome)"
    )
    assert part.ci_low <= everyone.delta <= part.ci_high
    assert part.ci_high - part.ci_low > everyone.ci_high - everyone.ci_low
    assert abs(part.delta - everyone.delta) < 0.03
