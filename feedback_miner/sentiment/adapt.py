"""Adapting sentiment to the user's own corpus.

- **Self-training**: the rules label the documents they are confident about;
  a linear model on character n-grams learns from those labels and generalises
  to words the lexicon lacks (a new dish, an app's slang).
- **Ratings**: when rows carry a score (NPS 0-10, CSAT 1-5, stars), the
  extremes are labels: low scores negative, high scores positive.
- **Lexicon expansion**: word vectors trained with gensim on the corpus; a
  frequent word whose nearest neighbours are mostly lexicon words of one
  polarity joins the lexicon with that polarity.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import Pipeline, make_pipeline

from ..errors import FeedbackMinerError
from ..text.vectors import train_word_vectors
from .lexicon import SentimentLexicon

__all__ = [
    "ExpansionResult",
    "NgramModelResult",
    "expand_lexicon",
    "fit_ngram_model",
    "labels_from_ratings",
]

logger = logging.getLogger(__name__)

MIN_PER_CLASS = 20


@dataclass(frozen=True)
class NgramModelResult:
    """A fitted character n-gram model and how well it did under cross-validation.

    Attributes
    ----------
    model : sklearn Pipeline
        TF-IDF of character 1-3-grams and a logistic regression.
    n_positive, n_negative : int
        Training documents per class.
    cv_auc : float
        5-fold cross-validated ROC AUC on the training labels.
    """

    model: Pipeline
    n_positive: int
    n_negative: int
    cv_auc: float


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

    def pipeline() -> Pipeline:
        return make_pipeline(
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
        )

    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=random_state)
    predicted = cross_val_predict(
        pipeline(), list(texts), labels, cv=folds, method="predict_proba"
    )[:, 1]
    model = pipeline().fit(list(texts), labels)
    return NgramModelResult(model, n_positive, n_negative, float(roc_auc_score(labels, predicted)))


def labels_from_ratings(ratings: np.ndarray) -> np.ndarray:
    """Negative (0), positive (1) or unknown (nan) from a rating's extremes.

    A 1-5 scale (CSAT, stars): 1-2 negative, 4-5 positive. A 0-10 scale (NPS):
    0-6 negative (detractors), 9-10 positive (promoters). Middle scores and
    missing ratings are unknown.

    Raises
    ------
    FeedbackMinerError
        When the ratings are on neither scale.

    Examples
    --------
    >>> labels_from_ratings(np.array([1, 3, 5, np.nan])).tolist()
    [0.0, nan, 1.0, nan]
    """
    values = np.asarray(ratings, dtype=float)
    present = values[~np.isnan(values)]
    if present.size == 0:
        raise FeedbackMinerError(
            "the rating column is empty; it needs scores such as 1-5 stars or NPS 0-10."
        )
    low, high = present.min(), present.max()
    out = np.full(values.shape, np.nan)
    if low >= 1 and high <= 5:
        out[values <= 2] = 0.0
        out[values >= 4] = 1.0
    elif low >= 0 and high <= 10:
        out[values <= 6] = 0.0
        out[values >= 9] = 1.0
    else:
        raise FeedbackMinerError(
            f"the ratings range from {low:g} to {high:g}; use a 1-5 score (CSAT, stars) or 0-10 (NPS)."
        )
    return out


@dataclass(frozen=True)
class ExpansionResult:
    """Words added to the lexicon from the corpus, with their weights and evidence."""

    lexicon: SentimentLexicon
    added: dict[str, float]


def expand_lexicon(
    tokenized: Sequence[Sequence[str]],
    lexicon: SentimentLexicon,
    *,
    min_count: int = 5,
    neighbours: int = 10,
    min_agreement: float = 0.6,
    min_seed_neighbours: int = 3,
    random_state: int = 0,
) -> ExpansionResult:
    """Add corpus words whose nearest neighbours agree on a polarity.

    A word is added when it occurs ``min_count`` times, is not in the lexicon,
    and among its ``neighbours`` nearest words at least ``min_seed_neighbours``
    are lexicon words whose similarity-weighted polarity agrees at
    ``min_agreement`` or more. Its weight is that agreement (at most 1).
    """
    counts = Counter(token for doc in tokenized for token in doc)
    if sum(counts.values()) == 0:
        return ExpansionResult(lexicon, {})
    model = train_word_vectors(tokenized, min_count=min_count, seed=random_state)
    added: dict[str, float] = {}
    for word in model.wv.index_to_key:
        if (
            word in lexicon.words
            or len(word) < 2
            or word in lexicon.negators
            or word in lexicon.degrees
        ):
            continue
        near = [
            (w, s)
            for w, s in model.wv.most_similar(word, topn=neighbours)
            if w in lexicon.words and s > 0
        ]
        if len(near) < min_seed_neighbours:
            continue
        total = sum(s for _, s in near)
        polarity = sum(s * np.sign(lexicon.words[w]) for w, s in near) / total
        if abs(polarity) >= min_agreement:
            added[word] = round(float(np.sign(polarity) * min(abs(polarity), 1.0)), 3)
    if not added:
        return ExpansionResult(lexicon, {})
    words = {**lexicon.words, **added}
    expanded = SentimentLexicon(
        words=words,
        negators=lexicon.negators,
        degrees=lexicon.degrees,
        contrast=lexicon.contrast,
        emoticons=lexicon.emoticons,
        rhetorical=lexicon.rhetorical,
        patterns=lexicon.patterns,
        max_phrase_tokens=lexicon.max_phrase_tokens,
    )
    logger.info("lexicon expansion added %d words", len(added))
    return ExpansionResult(expanded, dict(sorted(added.items())))
