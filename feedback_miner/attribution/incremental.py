"""How much the text adds to a churn model, measured so that it cannot fool itself.

A churn model's features must be known before the outcome they predict.
Features cut at each user's own churn date leak the label (churners' texts
stop at churn, the others' run to the end of the export). So the comparison
uses one cut-off date for everyone (:func:`choose_cutoff`): the users still
active then, their feedback written before it, and as outcome whether they
churned after it. Text that carries no signal then adds nothing.

Models are logistic regressions scored out of fold (stratified K folds,
repeated with different fold assignments); up to 20,000 users the strength
of the text model's L2 penalty is chosen by an inner cross-validation in each
training fold (dozens of text features would otherwise overfit a few hundred
users); beside the label file's own
columns and the text features, two simple baselines show what a count of
texts and their sentiment alone achieve. The interval of the gain is a
bootstrap over users in which each replicate also draws one of the fold
assignments, so it carries the variation of the fits as well as of the sample.
Beyond :data:`MAX_USERS` users at risk the comparison is made on a seeded
sample of them, stratified by outcome (:func:`sample_at_risk`): the interval
is then that of the sample, which on 100,000 users is a few thousandths of
AUC wide, and the models' copies of the users x features matrix stay small.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression, LogisticRegressionCV
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

from .labels import ChurnLabels
from .model import design_matrix

__all__ = [
    "MAX_USERS",
    "Cutoff",
    "IncrementalValue",
    "NoCutoff",
    "choose_cutoff",
    "incremental_auc",
    "outcome_after",
    "sample_at_risk",
]

_BOOTSTRAP = 1000
# users at risk beyond which the models are compared on a sample of them
MAX_USERS = 100_000
_REPEATS = 3
_MIN_PER_CLASS = 25
_TUNED_UP_TO = 20_000
_PENALTIES = (0.01, 0.03, 0.1, 0.3, 1.0)
_COUNT_FEATURES = ("n_docs",)
_SENTIMENT_FEATURES = ("n_docs", "n_negative_docs", "sentiment_mean", "sentiment_min")


@dataclass(frozen=True)
class Cutoff:
    """The prediction cut-off: features before ``date``, outcome between ``date`` and ``end``.

    Attributes
    ----------
    date : Timestamp
        T0. Chosen so that half the dated churn events fall after it.
    end : Timestamp
        The labels' snapshot: the end of the outcome window.
    """

    date: pd.Timestamp
    end: pd.Timestamp


@dataclass(frozen=True)
class NoCutoff:
    """Why there is no cut-off: ``kind`` (``no_dates`` or ``too_few``), in words, with figures."""

    kind: str
    message: str
    values: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class IncrementalValue:
    """Out-of-fold ROC AUC of churn models without and with the text features.

    Attributes
    ----------
    auc_covariates : float or None
        On the label file's covariates alone; ``None`` when it has none (the
        comparison is then with chance, 0.5).
    auc_with_text : float
        With the user-level theme and sentiment features added.
    delta, ci_low, ci_high : float
        The gain over the baseline and its 95% interval.
    baseline : str
        ``covariates`` or ``none``.
    baselines : dict
        AUC of simple text baselines: ``text count`` (number of texts),
        ``sentiment`` (count and sentiment features), when present.
    split : str
        How the folds were made.
    n_users, n_churned : int
        Users scored, and how many churned in the outcome window.
    cutoff : Cutoff or None
        The cut-off date design, when the AUC was measured on one.
    sampled_from : int or None
        When the users scored are a sample (:func:`sample_at_risk`), the users at risk
        they were drawn from.
    """

    auc_covariates: float | None
    auc_with_text: float
    delta: float
    ci_low: float
    ci_high: float
    split: str
    n_users: int
    baseline: str = "covariates"
    baselines: dict[str, float] = field(default_factory=dict)
    n_churned: int = 0
    cutoff: Cutoff | None = None
    sampled_from: int | None = None


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


def choose_cutoff(labels: ChurnLabels, *, min_per_class: int = _MIN_PER_CLASS) -> Cutoff | NoCutoff:
    """The cut-off date T0 for a prediction-honest comparison, or why there is none.

    T0 is the median of the churn dates: half the churn happens after it, and
    the users churned by then are left out (they are not at risk any more).
    """
    frame = labels.frame
    dates = frame.loc[frame["churned"] == 1, "churn_date"].dropna()
    if dates.empty or labels.snapshot is None:
        return NoCutoff(
            "no_dates",
            "the label file has no churn dates, so features cannot be cut before the outcome; "
            "add a churn date column to measure what the text adds",
        )
    date = pd.Timestamp(dates.sort_values().iloc[len(dates) // 2]).normalize()
    outcome = outcome_after(labels, Cutoff(date, labels.snapshot))
    positives = int(outcome["churned"].sum())
    if positives < min_per_class or len(outcome) - positives < min_per_class:
        return NoCutoff(
            "too_few",
            f"too few users on each side of the cut-off {date.date()} ({positives} churned after "
            f"it, {len(outcome) - positives} did not; at least {min_per_class} of each are needed)",
            {"date": str(date.date()), "churned": positives, "stayed": len(outcome) - positives},
        )
    return Cutoff(date, labels.snapshot)


def outcome_after(labels: ChurnLabels, cutoff: Cutoff) -> pd.DataFrame:
    """The users at risk at the cut-off, with ``churned`` = churned after it.

    Users who churned on or before the cut-off, or churned without a date,
    are left out.
    """
    frame = labels.frame
    churned = frame["churned"] == 1
    dated = frame["churn_date"].notna()
    at_risk = ~churned | (dated & (frame["churn_date"] > cutoff.date))
    out = frame[at_risk].copy()
    out["churned"] = (out["churned"] == 1).astype(int)
    return out.reset_index(drop=True)


def sample_at_risk(outcome: pd.DataFrame, size: int = MAX_USERS, *, seed: int = 0) -> pd.DataFrame:
    """``outcome`` (:func:`outcome_after`) when it has at most ``size`` users, else a seeded
    sample of ``size`` of them stratified by ``churned``, in the frame's order.

    Each outcome keeps its share: ``round(size * churned / users)`` churned users, the
    rest of those who stayed. The same frame and seed give the same sample.

    Examples
    --------
    >>> outcome = pd.DataFrame({"user_id": list("abcdefghij"), "churned": [1, 0] * 5})
    >>> sample = sample_at_risk(outcome, 4, seed=0)
    >>> len(sample), int(sample["churned"].sum())
    (4, 2)
    >>> len(sample_at_risk(outcome, 10))
    10
    """
    if len(outcome) <= size:
        return outcome
    churned = outcome["churned"].to_numpy() == 1
    take = round(size * int(churned.sum()) / len(outcome))
    rng = np.random.default_rng(seed)
    picked = np.concatenate(
        [
            rng.choice(np.flatnonzero(churned), take, replace=False),
            rng.choice(np.flatnonzero(~churned), size - take, replace=False),
        ]
    )
    return outcome.iloc[np.sort(picked)].reset_index(drop=True)


def incremental_auc(
    labels: pd.DataFrame,
    features: pd.DataFrame,
    covariates: tuple[str, ...],
    *,
    folds: int = 5,
    repeats: int = _REPEATS,
    seed: int = 0,
    cutoff: Cutoff | None = None,
    at_risk: int | None = None,
) -> IncrementalValue | None:
    """Compare out-of-fold AUCs; ``None`` when there are too few users or one class only.

    Parameters
    ----------
    labels : pandas.DataFrame
        ``user_id``, ``churned`` (the outcome) and the covariate columns.
    features : pandas.DataFrame
        ``user_id`` (one row per user) and numeric features, known before the outcome.
    covariates : tuple of str
        Covariate columns of ``labels``.
    folds, repeats : int
        Stratified folds, and how many different fold assignments.
    seed : int
        Seed of the fold assignments and the bootstrap.
    cutoff : Cutoff, optional
        The cut-off design the inputs were built on (reported as it is).
    at_risk : int, optional
        When ``labels`` is a sample (:func:`sample_at_risk`), how many users it was drawn
        from (said in ``split``).
    """
    row = pd.Index(features["user_id"]).get_indexer(labels["user_id"])
    users = labels[row >= 0].reset_index(drop=True)
    row = row[row >= 0]
    y = users["churned"].to_numpy(dtype=int)
    if len(users) < 10 * folds or len(set(y)) < 2 or min(y.sum(), len(y) - y.sum()) < folds:
        return None
    base = design_matrix(pd.DataFrame(index=users.index), users, covariates).drop(columns="const")
    text_columns = list(features.columns.drop("user_id"))
    # the text model's matrix is filled in place: on a million documents every copy of it is
    # hundreds of megabytes
    combined = np.empty((len(users), base.shape[1] + len(text_columns)))
    combined[:, : base.shape[1]] = base.to_numpy(dtype=float)
    for j, column in enumerate(text_columns, start=base.shape[1]):
        combined[:, j] = features[column].to_numpy(dtype=float)[row]
    models: dict[str, np.ndarray] = {"text": combined}
    if base.shape[1]:
        models["base"] = base.to_numpy(dtype=float)
    for name, wanted in (("text count", _COUNT_FEATURES), ("sentiment", _SENTIMENT_FEATURES)):
        if all(c in text_columns for c in wanted):
            models[name] = combined[:, [base.shape[1] + text_columns.index(c) for c in wanted]]
    # every fold assignment refits every model: on very large samples, where fits vary
    # little, fewer assignments keep the cost down
    repeats = max(1, min(repeats, 100_000 // len(y)))
    predictions = {name: np.zeros((repeats, len(y))) for name in models}
    # one BLAS thread: on tables of this size (users x dozens of columns) the threads of
    # OpenBLAS cost several times what they give (16.8 s against 2.2 s for 15 tuned fits on
    # 8,275 users), and the fits come out the same
    with threadpool_limits(limits=1):
        for repeat in range(repeats):
            splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed + repeat)
            for train, test in splitter.split(combined, y):
                for name, matrix in models.items():
                    predictions[name][repeat, test] = _fit_predict(
                        name, matrix, y, train, test, seed
                    )
    auc = {
        name: float(np.mean([roc_auc_score(y, p) for p in predictions[name]])) for name in models
    }
    auc_base = auc.get("base")
    reference = 0.5 if auc_base is None else auc_base
    low, high = _gain_interval(y, predictions, seed)
    split = f"stratified, {folds} folds x {repeats} fold assignments"
    sampled = at_risk is not None and at_risk > len(labels)
    if sampled:
        split += (
            f", on a seeded sample of {len(labels):,} of the {at_risk:,} users at risk "
            "(stratified by outcome)"
        )
    return IncrementalValue(
        auc_covariates=auc_base,
        auc_with_text=auc["text"],
        delta=auc["text"] - reference,
        ci_low=low,
        ci_high=high,
        split=split,
        n_users=len(y),
        baseline="covariates" if auc_base is not None else "none",
        baselines={k: v for k, v in auc.items() if k in ("text count", "sentiment")},
        n_churned=int(y.sum()),
        cutoff=cutoff,
        sampled_from=at_risk if sampled else None,
    )


def _fit_predict(
    name: str, matrix: np.ndarray, y: np.ndarray, train: np.ndarray, test: np.ndarray, seed: int
) -> np.ndarray:
    """Churn probabilities of the ``test`` rows from model ``name`` fitted on ``train``."""
    # the text model has dozens of features: its penalty is tuned; the others few
    tuned = name == "text" and matrix.shape[1] > 10
    # the rows taken are a copy already: the scaler may scale them in place
    model = make_pipeline(StandardScaler(copy=False), _classifier(len(y), seed, tuned=tuned))
    with warnings.catch_warnings():
        # scikit-learn announces changes of LogisticRegressionCV's defaults
        warnings.simplefilter("ignore", FutureWarning)
        model.fit(matrix[train], y[train])
    return np.asarray(model.predict_proba(matrix[test])[:, 1])


def _classifier(
    n_users: int, seed: int, *, tuned: bool
) -> LogisticRegression | LogisticRegressionCV:
    """L2 logistic regression; when ``tuned``, its penalty chosen by inner 3-fold CV (up to
    20,000 users, beyond which a few dozen features do not overfit)."""
    if tuned and n_users <= _TUNED_UP_TO:
        return LogisticRegressionCV(
            Cs=_PENALTIES,
            cv=StratifiedKFold(n_splits=3, shuffle=True, random_state=seed),
            scoring="roc_auc",
            max_iter=2000,
        )
    return LogisticRegression(max_iter=2000)


def _gain_interval(
    y: np.ndarray, predictions: dict[str, np.ndarray], seed: int
) -> tuple[float, float]:
    """95% bootstrap interval of AUC(text) minus AUC(base) (or minus 0.5 without a base)."""
    rng = np.random.default_rng(seed)
    repeats = predictions["text"].shape[0]
    text = [_BootstrapAUC(y, p) for p in predictions["text"]]
    base = [_BootstrapAUC(y, p) for p in predictions["base"]] if "base" in predictions else None
    gains = []
    for _ in range(_BOOTSTRAP):
        sample = rng.integers(0, len(y), len(y))
        if y[sample].sum() in (0, len(sample)):
            continue
        counts = np.bincount(sample, minlength=len(y))
        r = int(rng.integers(0, repeats))  # one of the fold assignments: the fits vary too
        gains.append(text[r](counts) - (base[r](counts) if base is not None else 0.5))
    low, high = np.percentile(gains, [2.5, 97.5])
    return float(low), float(high)
