"""Adapting sentiment to the user's own corpus: an n-gram model learnt from ratings or
from the rules' confident labels, and what can honestly be said about it.

- **Ratings**: when rows carry a score (NPS 0-10, CSAT 1-5, stars), its
  extremes are labels: low scores negative, high scores positive. A share of
  the rated rows is held back: the model learns from the others, and the
  report compares the rules and the adapted scores with the ratings of the
  held-back rows only. When the adapted scores agree with them no better than
  the rules do, the model is not used.
- **Self-training**: the rules label the documents they are confident about;
  a linear model on character n-grams learns from those labels and generalises
  to words the lexicon lacks (a new dish, an app's slang). Without ratings
  nothing measures whether this helped, and the report says so.

Ratings become labels in :mod:`~feedback_miner.sentiment.ratings`; lexicon
expansion from word vectors is in :mod:`~feedback_miner.sentiment.expansion`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.pipeline import Pipeline, make_pipeline

__all__ = [
    "Adaptation",
    "AdaptationReport",
    "AdaptationSource",
    "HeldOutAgreement",
    "NgramModelResult",
    "fit_ngram_model",
    "held_out_agreement",
    "learn_adaptation",
]

logger = logging.getLogger(__name__)

MIN_PER_CLASS = 20
# held-back rows of each class needed to say how well scores agree with ratings
MIN_HELD_OUT_PER_CLASS = 10
_BOOTSTRAP_ROUNDS = 200
_RULES_BLEND = 0.5
_RATING_BLEND = 0.7

AdaptationSource = Literal["rules", "ratings", "ratings+rules"]


@dataclass(frozen=True)
class NgramModelResult:
    """A fitted character n-gram model and what it was trained on.

    Attributes
    ----------
    model : sklearn Pipeline
        TF-IDF of character 1-3-grams and a logistic regression.
    n_positive, n_negative : int
        Training documents per class.
    """

    model: Pipeline
    n_positive: int
    n_negative: int


@dataclass(frozen=True)
class HeldOutAgreement:
    """How well scores agree with the ratings of rows the model never saw.

    Attributes
    ----------
    n_positive, n_negative : int
        Held-back rows rated high and low.
    rules_auc, adapted_auc : float
        ROC AUC of the rule scores and of the adapted scores against those ratings.
    ci_low, ci_high : float
        95% bootstrap interval of ``adapted_auc - rules_auc``.
    rules_agreement, adapted_agreement : float
        Share of the held-back rows whose score has the rating's sign (a
        positive score for a high rating, a negative one for a low rating).
    """

    n_positive: int
    n_negative: int
    rules_auc: float
    adapted_auc: float
    ci_low: float
    ci_high: float
    rules_agreement: float
    adapted_agreement: float

    @property
    def gain(self) -> float:
        """``adapted_auc - rules_auc``."""
        return self.adapted_auc - self.rules_auc


@dataclass(frozen=True)
class AdaptationReport:
    """What adaptation learnt from, and what can honestly be said about it.

    Attributes
    ----------
    source : {"rules", "ratings", "ratings+rules"}
        Where the training labels came from.
    n_positive, n_negative : int
        Training documents per class (0 when there were too few to train).
    held_out : HeldOutAgreement or None
        With ratings, the agreement of rules and adapted scores with the
        ratings of held-back rows; ``None`` without ratings or with too few
        held-back rows.
    used : bool
        Whether the adapted model scores the texts (it does not when there
        were too few training texts, or when it agreed with the held-back
        ratings less well than the rules).
    """

    source: AdaptationSource
    n_positive: int
    n_negative: int
    held_out: HeldOutAgreement | None
    used: bool

    def describe(self) -> str:
        """One honest paragraph for the user: what was learnt and what it is worth."""
        if not self.n_positive:
            return (
                f"Not enough clear examples to adapt from {self.source} ({MIN_PER_CLASS} positive "
                f"and {MIN_PER_CLASS} negative are needed); scored with the rules alone."
            )
        line = (
            f"Adapted from {self.source}: {self.n_positive} positive and {self.n_negative} "
            "negative training texts."
        )
        agreement = self.held_out
        if agreement is None:
            if self.source == "rules":
                return line + (
                    " With no ratings to compare with, nothing measures whether adapting "
                    "helped; the training labels are the rules' own."
                )
            return line + (
                f" Too few held-back ratings to measure agreement ({MIN_HELD_OUT_PER_CLASS} "
                "low and high are needed)."
            )
        line += (
            f" On {agreement.n_positive + agreement.n_negative} held-back rated rows "
            f"({agreement.n_positive} high, {agreement.n_negative} low) the ratings agree with "
            f"the rules at ROC AUC {agreement.rules_auc:.3f} (sign agrees for "
            f"{agreement.rules_agreement:.0%}) and with the adapted scores at "
            f"{agreement.adapted_auc:.3f} ({agreement.adapted_agreement:.0%}); difference "
            f"{agreement.gain:+.3f}, 95% CI {agreement.ci_low:+.3f} to {agreement.ci_high:+.3f}"
        )
        if not self.used:
            return line + "; the adapted scores do no better, so the rules alone score the texts."
        if agreement.ci_low <= 0:
            return line + (
                "; the difference is not significant (the adapted scores are used: they did "
                "no worse)."
            )
        return line + "."


@dataclass(frozen=True)
class Adaptation:
    """A fitted adaptation: the n-gram model, its blend weight and its report.

    Attributes
    ----------
    model : sklearn Pipeline
        The character n-gram model (probability of positive).
    blend : float
        Weight of the model in the final score: ``(1 - blend) * rules + blend * (2p - 1)``.
    report : AdaptationReport
        What it was learnt from and how well it agrees with held-back ratings.
    """

    model: Pipeline
    blend: float
    report: AdaptationReport

    def blend_scores(self, texts: Sequence[str], rule_scores: np.ndarray) -> np.ndarray:
        """Blend ``rule_scores`` with the model's scores of ``texts``; ``nan`` stays ``nan``."""
        if not len(texts):
            return rule_scores
        probability = self.model.predict_proba(list(texts))[:, 1]
        blended = (1 - self.blend) * rule_scores + self.blend * (2 * probability - 1)
        return np.where(np.isnan(rule_scores), np.nan, blended)


def fit_ngram_model(
    texts: Sequence[str], labels: np.ndarray, *, random_state: int = 0
) -> NgramModelResult | None:
    """Fit the n-gram model on 0/1 ``labels``; ``None`` with fewer than 20 per class."""
    n_positive = int(labels.sum())
    n_negative = int(len(labels) - n_positive)
    if min(n_positive, n_negative) < MIN_PER_CLASS:
        logger.warning(
            "only %d positive and %d negative training documents; the n-gram model needs %d of each",
            n_positive,
            n_negative,
            MIN_PER_CLASS,
        )
        return None
    model = make_pipeline(
        TfidfVectorizer(
            analyzer="char",
            ngram_range=(1, 3),
            min_df=2,
            sublinear_tf=True,
            max_features=300_000,
        ),
        LogisticRegression(
            C=2.0, max_iter=1000, class_weight="balanced", random_state=random_state
        ),
    ).fit(list(texts), labels)
    # the n-grams cut by min_df and max_features: not needed to score, large to send to workers
    vectorizer = model[0]
    if hasattr(vectorizer, "stop_words_"):
        del vectorizer.stop_words_
    return NgramModelResult(model, n_positive, n_negative)


def learn_adaptation(
    texts: Sequence[str],
    rule_score: Callable[[str], float],
    *,
    rated: np.ndarray | None,
    self_training: bool,
    confidence: float,
    held_out: float,
    blend: float | None,
    random_state: int,
) -> tuple[AdaptationReport, Adaptation | None]:
    """Learn the n-gram model from ratings and/or the rules' confident labels.

    Parameters
    ----------
    texts : sequence of str
        The normalised texts.
    rule_score : callable
        The rule score of one text. It is asked only where it is used: for every
        text when self-training, else for the held-back rated texts alone.
    rated : numpy.ndarray or None
        0/1/nan labels from ratings (:func:`labels_from_ratings`), or ``None``.
    self_training : bool
        Also learn from texts the rules score beyond ``confidence`` (unrated ones,
        when there are ratings).
    confidence : float
        How far from 0 a rule score must be to serve as a label.
    held_out : float
        Share of the rated texts held back to measure agreement.
    blend : float or None
        Weight of the model; 0.7 with ratings, 0.5 otherwise when ``None``.
    random_state : int
        Seed of the held-back split, the model and the bootstrap.
    """
    labels = np.full(len(texts), np.nan)
    rule_scores = np.full(len(texts), np.nan)
    if self_training:
        rule_scores = np.array([rule_score(t) for t in texts], dtype=float)
        labels[rule_scores >= confidence] = 1.0
        labels[rule_scores <= -confidence] = 0.0
    check = np.zeros(len(texts), dtype=bool)
    source: AdaptationSource = "rules"
    if rated is not None:
        known = ~np.isnan(rated)
        check = _held_back(rated, known, held_out, random_state)
        train_rated = known & ~check
        labels[train_rated] = rated[train_rated]  # a rating outweighs the rules' guess
        labels[check] = np.nan
        source = "ratings+rules" if self_training else "ratings"
    train = ~np.isnan(labels)
    fitted = fit_ngram_model(
        [t for t, keep in zip(texts, train, strict=True) if keep],
        labels[train].astype(int),
        random_state=random_state,
    )
    if fitted is None:
        return AdaptationReport(source, 0, 0, None, used=False), None
    weight = blend if blend is not None else (_RATING_BLEND if rated is not None else _RULES_BLEND)
    agreement = None
    if rated is not None and check.any():
        checked = [t for t, keep in zip(texts, check, strict=True) if keep]
        if not self_training:
            rule_scores[check] = [rule_score(t) for t in checked]
        probability = fitted.model.predict_proba(checked)[:, 1]
        adapted = (1 - weight) * rule_scores[check] + weight * (2 * probability - 1)
        agreement = held_out_agreement(
            rated[check], rule_scores[check], adapted, random_state=random_state
        )
    used = agreement is None or agreement.gain >= 0
    report = AdaptationReport(source, fitted.n_positive, fitted.n_negative, agreement, used=used)
    return report, Adaptation(fitted.model, weight, report) if used else None


def _held_back(rated: np.ndarray, known: np.ndarray, share: float, random_state: int) -> np.ndarray:
    """A seeded, class-stratified choice of ``share`` of the rated rows."""
    rng = np.random.default_rng(random_state)
    chosen = np.zeros(len(rated), dtype=bool)
    for value in (0.0, 1.0):
        rows = np.flatnonzero(known & (rated == value))
        take = round(share * len(rows))
        chosen[rng.choice(rows, take, replace=False)] = True
    return chosen


def held_out_agreement(
    labels: np.ndarray, rules: np.ndarray, adapted: np.ndarray, *, random_state: int = 0
) -> HeldOutAgreement | None:
    """Compare rule and adapted scores with 0/1 rating ``labels`` of held-back rows.

    ``None`` when either class has fewer than :data:`MIN_HELD_OUT_PER_CLASS` rows.
    """
    n_positive = int(labels.sum())
    n_negative = int(len(labels) - n_positive)
    if min(n_positive, n_negative) < MIN_HELD_OUT_PER_CLASS:
        return None
    rng = np.random.default_rng(random_state)
    positive, negative = np.flatnonzero(labels == 1), np.flatnonzero(labels == 0)
    gains = []
    for _ in range(_BOOTSTRAP_ROUNDS):  # resample within each class: both classes always present
        rows = np.concatenate(
            [rng.choice(positive, len(positive)), rng.choice(negative, len(negative))]
        )
        gains.append(
            roc_auc_score(labels[rows], adapted[rows]) - roc_auc_score(labels[rows], rules[rows])
        )
    low, high = np.quantile(gains, [0.025, 0.975])
    sign = np.where(labels == 1, 1.0, -1.0)
    return HeldOutAgreement(
        n_positive=n_positive,
        n_negative=n_negative,
        rules_auc=float(roc_auc_score(labels, rules)),
        adapted_auc=float(roc_auc_score(labels, adapted)),
        ci_low=float(low),
        ci_high=float(high),
        rules_agreement=float(np.mean(sign * rules > 0)),
        adapted_agreement=float(np.mean(sign * adapted > 0)),
    )
