"""The backtest of the risk list: models compared on the past, with and without the text.

At the cut-off T0 the users still active are described by what was known
then; the outcome is whether they had churned by as-of. Each model is scored
out of fold on the same stratified folds, once without the text features and
once with them; the gain of the text gets a paired bootstrap interval over
users, and the chosen model's out-of-fold risk is summarised by tenths.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import rankdata
from sklearn.base import clone
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

__all__ = [
    "LIFT_BINS",
    "MODELS",
    "Backtest",
    "choose_model",
    "compare_models",
    "features_without_text",
    "join_features",
    "lift_table",
    "make_model",
    "text_gain",
]

FOLDS = 5
LIFT_BINS = 10
MODELS = ("logistic regression", "random forest", "gradient boosting")
_BOOTSTRAP = 400


@dataclass(frozen=True)
class Backtest:
    """How well the model ranked churn on the past.

    Attributes
    ----------
    cutoff, as_of : Timestamp
        T0 (features) and the end of the outcome window.
    n_users, n_churned : int
        Users active at T0, and how many had churned by as-of.
    auc : dict
        Model name -> (AUC without text, AUC with text), out of fold.
    chosen : str
        The model used.
    uses_text : bool
        Whether the chosen model reads the text features (False when, on the
        backtest, the model did better on activity alone).
    text_gain : tuple of float
        The chosen model's AUC with the text minus without, and its 95%
        paired bootstrap interval (users resampled).
    lift : pandas.DataFrame
        ``decile`` (1: the riskiest tenth), ``users``, ``churn_rate``, ``lift``.
    """

    cutoff: pd.Timestamp
    as_of: pd.Timestamp
    n_users: int
    n_churned: int
    auc: dict[str, tuple[float, float]]
    chosen: str
    uses_text: bool
    text_gain: tuple[float, float, float]
    lift: pd.DataFrame


def join_features(*parts: pd.DataFrame) -> np.ndarray:
    """The feature tables side by side as one float matrix (empty tables left out)."""
    return np.column_stack([p.to_numpy(dtype=float) for p in parts if p.shape[1]])


def features_without_text(activity: pd.DataFrame, extra: pd.DataFrame) -> np.ndarray:
    """The features without the text; a constant column when there are none."""
    matrix = join_features(activity, extra)
    return matrix if matrix.shape[1] else np.zeros((len(activity), 1))


def make_model(name: str, seed: int) -> Any:
    """A fresh estimator of one of :data:`MODELS`."""
    if name == "gradient boosting":
        return HistGradientBoostingClassifier(random_state=seed, max_iter=200, learning_rate=0.05)
    if name == "random forest":
        return RandomForestClassifier(n_estimators=150, min_samples_leaf=5, random_state=seed)
    return make_pipeline(StandardScaler(), LogisticRegression(C=0.3, max_iter=2000))


def compare_models(
    activity: pd.DataFrame,
    text: pd.DataFrame,
    extra: pd.DataFrame,
    y: np.ndarray,
    seed: int,
) -> tuple[dict[str, tuple[float, float]], dict[str, tuple[np.ndarray, np.ndarray]]]:
    """Out-of-fold AUC and predictions of each model without and with the text, same folds."""
    without, with_text = (
        features_without_text(activity, extra),
        join_features(activity, text, extra),
    )
    folds = list(StratifiedKFold(n_splits=FOLDS, shuffle=True, random_state=seed).split(without, y))
    auc: dict[str, tuple[float, float]] = {}
    predictions: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for name in MODELS:
        pair = []
        for X in (without, with_text):
            predicted = np.zeros(len(y))
            for train, test in folds:
                # one thread: on small tables OpenMP threads cost more than they give
                with threadpool_limits(limits=1):
                    fitted = clone(make_model(name, seed)).fit(X[train], y[train])
                    predicted[test] = fitted.predict_proba(X[test])[:, 1]
            pair.append(predicted)
        predictions[name] = (pair[0], pair[1])
        auc[name] = (float(roc_auc_score(y, pair[0])), float(roc_auc_score(y, pair[1])))
    return auc, predictions


def text_gain(
    without: np.ndarray, with_text: np.ndarray, y: np.ndarray, seed: int
) -> tuple[float, float, float]:
    """The AUC the text adds, and a 95% paired bootstrap interval over users."""
    rng = np.random.default_rng(seed)
    gains = []
    for _ in range(_BOOTSTRAP):
        draw = rng.integers(0, len(y), len(y))
        if y[draw].min() == y[draw].max():
            continue
        gains.append(_auc(y[draw], with_text[draw]) - _auc(y[draw], without[draw]))
    gain = _auc(y, with_text) - _auc(y, without)
    low, high = np.quantile(gains, [0.025, 0.975]) if gains else (np.nan, np.nan)
    return gain, float(low), float(high)


def _auc(y: np.ndarray, score: np.ndarray) -> float:
    """ROC AUC from ranks (ties count half), the Mann-Whitney form."""
    positive = y == 1
    n1 = int(positive.sum())
    n0 = len(y) - n1
    ranks = rankdata(score)
    return float((ranks[positive].sum() - n1 * (n1 + 1) / 2) / (n1 * n0))


def lift_table(predicted: np.ndarray, y: np.ndarray) -> pd.DataFrame:
    """Churn rate by tenth of predicted risk (1: the riskiest), and its lift over the average."""
    order = np.argsort(-predicted, kind="stable")
    bins = np.array_split(order, LIFT_BINS)
    base = y.mean() if len(y) else 0.0
    rows = [
        {
            "decile": i,
            "users": len(members),
            "churn_rate": float(y[members].mean()) if len(members) else np.nan,
        }
        for i, members in enumerate(bins, start=1)
    ]
    table = pd.DataFrame(rows)
    table["lift"] = table["churn_rate"] / base if base else np.nan
    return table


def choose_model(auc: dict[str, tuple[float, float]]) -> tuple[str, bool]:
    """The model and feature set with the best backtest AUC; ties go to the simpler
    (logistic regression, then without the text)."""
    return max(
        ((m, t) for m in MODELS for t in (False, True)),
        key=lambda c: (auc[c[0]][c[1]], c[0] == "logistic regression", not c[1]),
    )
