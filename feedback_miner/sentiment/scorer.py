"""The sentiment scorer: a scikit-learn style estimator over the rule model."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin

from ..errors import invalid_choice_message
from ..text import normalize_text, split_clauses
from .lexicon import SentimentLexicon, load_sentiment_lexicon
from .rules import SentimentLabel, combine_clauses, label_score, raw_clause_score, squash
from .segment import LexiconSegmenter

__all__ = ["ScoredDocument", "SentimentScorer"]


@dataclass(frozen=True)
class ScoredDocument:
    """One document split into clauses, with tokens and scores.

    Attributes
    ----------
    clauses : tuple of str
        The clauses, each with its closing punctuation.
    tokens : tuple of tuple of str
        The words of each clause, as the sentiment segmenter found them.
    clause_scores : tuple of float
        Each clause's own score in (-1, 1), before contrast weighting.
    score : float or None
        The document score in (-1, 1); ``None`` for an empty text.
    """

    clauses: tuple[str, ...]
    tokens: tuple[tuple[str, ...], ...]
    clause_scores: tuple[float, ...]
    score: float | None


class SentimentScorer(BaseEstimator, TransformerMixin):
    """Score Chinese texts in [-1, 1] with the rule model.

    Parameters
    ----------
    neutral_band : float, default 0.1
        Scores in ``(-neutral_band, neutral_band)`` are labelled neutral.

    Attributes
    ----------
    lexicon_ : SentimentLexicon
        The loaded lexicon.
    segmenter_ : LexiconSegmenter
        Finds lexicon words at word boundaries.

    Examples
    --------
    >>> scorer = SentimentScorer().fit()
    >>> scorer.predict(["客服态度很好", "价格不贵", "信号太差了！"]).tolist()
    ['positive', 'positive', 'negative']
    """

    def __init__(self, *, neutral_band: float = 0.1):
        self.neutral_band = neutral_band

    def fit(self, X: Iterable[str] | None = None, y: object = None) -> SentimentScorer:
        """Validate the parameters and load the lexicon; ``X`` and ``y`` are not used."""
        if not 0 <= self.neutral_band < 1:
            raise ValueError(
                invalid_choice_message("neutral_band", self.neutral_band, ["a number in [0, 1)"])
            )
        self.lexicon_: SentimentLexicon = load_sentiment_lexicon()
        self.segmenter_ = LexiconSegmenter(self.lexicon_)
        return self

    def score_clauses(self, clauses: Sequence[str]) -> ScoredDocument:
        """Score already split clauses."""
        tokens = tuple(tuple(self.segmenter_.cut(c)) for c in clauses)
        if not clauses:
            return ScoredDocument((), (), (), None)
        raw = [raw_clause_score(t, c, self.lexicon_) for c, t in zip(clauses, tokens, strict=True)]
        score = combine_clauses(raw, tokens, self.lexicon_)
        return ScoredDocument(tuple(clauses), tokens, tuple(squash(r) for r in raw), score)

    def score_document(self, text: str) -> ScoredDocument:
        """Normalise, split and score one text."""
        return self.score_clauses(split_clauses(normalize_text(text)))

    def transform(self, X: Iterable[str]) -> np.ndarray:
        """Document scores as a column vector; ``nan`` for empty or missing texts."""
        scores = []
        for text in X:
            result = self.score_document(text) if isinstance(text, str) else None
            scores.append(np.nan if result is None or result.score is None else result.score)
        return np.asarray(scores, dtype=float).reshape(-1, 1)

    def predict(self, X: Iterable[str]) -> np.ndarray:
        """Labels ``negative`` / ``neutral`` / ``positive``; empty string for empty texts."""
        labels: list[SentimentLabel | str] = [
            "" if np.isnan(s) else label_score(s, neutral_band=self.neutral_band)
            for s in self.transform(X)[:, 0]
        ]
        return np.asarray(labels, dtype=object)

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        """The one output column's name, for scikit-learn pipelines."""
        return np.asarray(["sentiment_score"], dtype=object)
