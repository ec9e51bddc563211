"""The sentiment scorer: a scikit-learn style estimator over the rule model."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin

from ..errors import invalid_choice_message
from ..text import ChineseTokenizer, normalize_text, split_clauses
from .lexicon import SentimentLexicon, load_sentiment_lexicon
from .rules import SentimentLabel, combine_clauses, label_score, raw_clause_score, squash

__all__ = ["ScoredDocument", "SentimentScorer"]


@dataclass(frozen=True)
class ScoredDocument:
    """One document split into clauses, with tokens and scores.

    Attributes
    ----------
    clauses : tuple of str
        The clauses, each with its closing punctuation.
    tokens : tuple of tuple of str
        The tokens of each clause.
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
    tokenizer : ChineseTokenizer, optional
        A tokenizer to share with other stages; one is made in :meth:`fit`
        when not given.

    Attributes
    ----------
    lexicon_ : SentimentLexicon
        The loaded lexicon.
    tokenizer_ : ChineseTokenizer
        The tokenizer in use.

    Examples
    --------
    >>> scorer = SentimentScorer().fit()
    >>> scorer.predict(["客服态度很好", "价格不贵", "信号太差了！"]).tolist()
    ['positive', 'positive', 'negative']
    """

    def __init__(self, *, neutral_band: float = 0.1, tokenizer: ChineseTokenizer | None = None):
        self.neutral_band = neutral_band
        self.tokenizer = tokenizer

    def fit(self, X: Iterable[str] | None = None, y: object = None) -> SentimentScorer:
        """Validate the parameters and load the lexicon; ``X`` and ``y`` are not used."""
        if not 0 <= self.neutral_band < 1:
            raise ValueError(
                invalid_choice_message("neutral_band", self.neutral_band, ["a number in [0, 1)"])
            )
        self.lexicon_: SentimentLexicon = load_sentiment_lexicon()
        self.tokenizer_: ChineseTokenizer = self.tokenizer or ChineseTokenizer(
            split_words=self.lexicon_.split_vocabulary()
        )
        return self

    def score_tokens(
        self, clauses: Sequence[str], tokens: Sequence[Sequence[str]]
    ) -> tuple[tuple[float, ...], float | None]:
        """Score already split and tokenised clauses: (clause scores, document score)."""
        if not clauses:
            return (), None
        raw = [raw_clause_score(t, c, self.lexicon_) for c, t in zip(clauses, tokens, strict=True)]
        return tuple(squash(r) for r in raw), combine_clauses(raw, tokens, self.lexicon_)

    def score_document(self, text: str) -> ScoredDocument:
        """Split, tokenise and score one text."""
        clauses = tuple(split_clauses(normalize_text(text)))
        tokens = tuple(tuple(self.tokenizer_.cut(c)) for c in clauses)
        clause_scores, score = self.score_tokens(clauses, tokens)
        return ScoredDocument(clauses, tokens, clause_scores, score)

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
