import numpy as np
import pandas as pd

from feedback_miner.attribution import QUADRANTS, incremental_auc, key_driver_quadrants


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
    assert value is not None and value.split == "stratified"
    assert value.auc_with_text > value.auc_covariates
    assert value.ci_low > 0


def test_uninformative_text_adds_nothing_significant() -> None:
    labels, features = simulated(informative=False)
    value = incremental_auc(labels, features, ("tenure",))
    assert value is not None and value.ci_low <= 0 <= value.ci_high


def test_time_ordered_folds_when_dates_exist() -> None:
    labels, features = simulated(informative=True)
    last = pd.Series(
        pd.date_range("2026-01-01", periods=len(labels), freq="h"), index=labels["user_id"]
    )
    value = incremental_auc(labels, features, ("tenure",), last_feedback=last)
    assert value is not None and value.split == "time-ordered"


def test_too_few_users() -> None:
    labels, features = simulated(informative=True, n=30)
    assert incremental_auc(labels, features, ("tenure",)) is None


def test_key_driver_quadrants() -> None:
    table = pd.DataFrame(
        {
            "prevalence": [0.30, 0.25, 0.05, 0.04, 0.20, 0.01],
            "impact": [0.10, 0.02, 0.08, 0.001, -0.03, np.nan],
        }
    )
    assert key_driver_quadrants(table).tolist() == [
        "fix_first",
        "fix_first",
        "monitor",
        "low_priority",
        "strength",
        "low_priority",
    ]
    assert set(QUADRANTS) == {"fix_first", "monitor", "strength", "low_priority"}
