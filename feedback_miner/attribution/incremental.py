"""How much the text adds to a churn model built on what the label file already knows."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold, TimeSeriesSplit
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from .model import design_matrix

__all__ = ["IncrementalValue", "incremental_auc"]

_BOOTSTRAP = 1000


@dataclass(frozen=True)
class IncrementalValue:
    """Cross-validated ROC AUC of churn models without and with the text features.

    Attributes
    ----------
    auc_covariates, auc_with_text : float
        Out-of-fold AUC on the label file's covariates alone, and with the
        user-level theme and sentiment features added.
    delta, ci_low, ci_high : float
        Their difference and its 95% bootstrap interval.
    split : str
        ``time-ordered`` (users ordered by their latest feedback) or ``stratified``.
    n_users : int
        Users scored out of fold.
    """

    auc_covariates: float
    auc_with_text: float
    delta: float
    ci_low: float
    ci_high: float
    split: str
    n_users: int


class _BootstrapAUC:
    """ROC AUC of resampled data, from one sort of the scores.

    The AUC is the Mann-Whitney statistic with ties counted half: for a
    bootstrap sample, each user weighs as often as it was drawn, and the
    statistic is summed over groups of equal scores in one pass, instead of
    ranking every resample again.
    """

    def __init__(self, y: np.ndarray, scores: np.ndarray) -> None:
        self.order = np.argsort(scores, kind="stable")
        _, self.group = np.unique(scores[self.order], return_inverse=True)
        self.positive = (y[self.order] == 1).astype(float)

    def __call__(self, counts: np.ndarray) -> float:
        weights = counts[self.order].astype(float)
        pos = np.bincount(self.group, weights * self.positive)
        neg = np.bincount(self.group, weights * (1 - self.positive))
        below = np.cumsum(neg) - neg
        return float((pos * (below + neg / 2)).sum() / (pos.sum() * neg.sum()))


def incremental_auc(
    labels: pd.DataFrame,
    features: pd.DataFrame,
    covariates: tuple[str, ...],
    *,
    last_feedback: pd.Series | None = None,
    folds: int = 5,
    seed: int = 0,
) -> IncrementalValue | None:
    """Compare out-of-fold AUCs; ``None`` when there are too few users or one class only.

    Parameters
    ----------
    labels : pandas.DataFrame
        ``user_id``, ``churned`` and the covariate columns.
    features : pandas.DataFrame
        ``user_id`` (one row per user) and numeric features (the output of ``features``).
    covariates : tuple of str
        Covariate columns of ``labels``.
    last_feedback : pandas.Series, optional
        Latest feedback date per user id: folds are then time-ordered.
    """
    # the labelled users who have features, in label-file order (an inner join by
    # position: the feature table is not copied)
    row = pd.Index(features["user_id"]).get_indexer(labels["user_id"])
    users = labels[row >= 0].reset_index(drop=True)
    row = row[row >= 0]
    y = users["churned"].to_numpy(dtype=int)
    if len(users) < 10 * folds or len(set(y)) < 2 or min(y.sum(), len(y) - y.sum()) < folds:
        return None
    base = design_matrix(pd.DataFrame(index=users.index), users, covariates)
    text = features.columns.drop("user_id")
    # one float array for both models (the base model takes its first columns): with
    # hundreds of thousands of users, copies of the feature table are what costs memory
    both = np.empty((len(users), base.shape[1] + len(text)))
    both[:, : base.shape[1]] = base.to_numpy(dtype=float)
    for offset, column in enumerate(text, start=base.shape[1]):
        both[:, offset] = features[column].to_numpy(dtype=float)[row]
    matrices = {"base": both[:, : base.shape[1]], "text": both}
    latest = users["user_id"].map(last_feedback) if last_feedback is not None else None
    del base
    if latest is not None and latest.notna().any():
        order = np.argsort(latest.fillna(pd.Timestamp.min).to_numpy(), kind="stable")
        splits = [
            (order[train], order[test])
            for train, test in TimeSeriesSplit(n_splits=folds).split(order)
        ]
        split = "time-ordered"
    else:
        splits = list(
            StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed).split(both, y)
        )
        split = "stratified"
    scored = np.zeros(len(y), dtype=bool)
    predictions = {name: np.zeros(len(y)) for name in ("base", "text")}
    for train, test in splits:
        if len(set(y[train])) < 2:
            continue
        for name, matrix in matrices.items():
            # rows taken by index are fresh copies: the scaler may scale them in place
            model = make_pipeline(StandardScaler(copy=False), LogisticRegression(max_iter=2000))
            model.fit(matrix[train], y[train])
            predictions[name][test] = model.predict_proba(matrix[test])[:, 1]
        scored[test] = True
    y_scored = y[scored]
    if len(set(y_scored)) < 2:
        return None
    base_p, text_p = predictions["base"][scored], predictions["text"][scored]
    auc_base, auc_text = roc_auc_score(y_scored, base_p), roc_auc_score(y_scored, text_p)
    rng = np.random.default_rng(seed)
    auc_of_base, auc_of_text = _BootstrapAUC(y_scored, base_p), _BootstrapAUC(y_scored, text_p)
    deltas = []
    for _ in range(_BOOTSTRAP):
        sample = rng.integers(0, len(y_scored), len(y_scored))
        positives = y_scored[sample].sum()
        if positives in (0, len(sample)):
            continue
        counts = np.bincount(sample, minlength=len(y_scored))
        deltas.append(auc_of_text(counts) - auc_of_base(counts))
    low, high = np.percentile(deltas, [2.5, 97.5])
    return IncrementalValue(
        float(auc_base),
        float(auc_text),
        float(auc_text - auc_base),
        float(low),
        float(high),
        split,
        int(scored.sum()),
    )
