"""The sentiment scorer: a scikit-learn style estimator over the rule model."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.metrics import roc_auc_score
from sklearn.pipeline import Pipeline

from ..errors import invalid_choice_message
from ..text import normalize_text, split_clauses, to_simplified
from .adapt import expand_lexicon, fit_ngram_model, labels_from_ratings
from .lexicon import SentimentLexicon, load_sentiment_lexicon
from .rules import SentimentLabel, combine_clauses, label_score, raw_clause_score, squash
from .segment import LexiconSegmenter

__all__ = ["ScoredDocument", "SentimentScorer"]

_SELF_TRAINING_BLEND = 0.5
_RATING_BLEND = 0.7


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
    """Score Chinese texts in [-1, 1]: rules, optionally adapted to the user's corpus.

    Parameters
    ----------
    neutral_band : float, default 0.1
        Scores in ``(-neutral_band, neutral_band)`` are labelled neutral.
    self_training : bool, default False
        In :meth:`fit`, train a character n-gram model on the documents of
        ``X`` that the rules score beyond ``confidence``, and blend it with
        the rules.
    expand_lexicon : bool, default False
        In :meth:`fit`, add words of ``X`` whose word-vector neighbours agree
        on a polarity (see :func:`~feedback_miner.sentiment.adapt.expand_lexicon`).
    confidence : float, default 0.5
        How far from 0 a rule score must be to serve as a training label.
    blend : float, optional
        Weight of the n-gram model in the final score. Default 0.5 when it was
        trained on the rules' labels, 0.7 when ratings were given.
    random_state : int, default 0
        Seed for cross-validation, the model and word vectors.

    Attributes
    ----------
    lexicon_ : SentimentLexicon
        The lexicon in use (expanded when ``expand_lexicon``).
    segmenter_ : LexiconSegmenter
        Finds lexicon words at word boundaries.
    model_ : sklearn Pipeline or None
        The n-gram model, when one was trained.
    training_ : dict
        What adaptation did: training documents per class, the model's
        cross-validated AUC, and with ratings the rules' AUC against them.
    expanded_words_ : dict
        Words added to the lexicon and their weights.

    Examples
    --------
    >>> scorer = SentimentScorer().fit()
    >>> scorer.predict(["客服态度很好", "价格不贵", "信号太差了！"]).tolist()
    ['positive', 'positive', 'negative']
    """

    def __init__(
        self,
        *,
        neutral_band: float = 0.1,
        self_training: bool = False,
        expand_lexicon: bool = False,
        confidence: float = 0.5,
        blend: float | None = None,
        random_state: int = 0,
    ):
        self.neutral_band = neutral_band
        self.self_training = self_training
        self.expand_lexicon = expand_lexicon
        self.confidence = confidence
        self.blend = blend
        self.random_state = random_state

    def fit(
        self, X: Iterable[object] | None = None, y: Iterable[float] | None = None
    ) -> SentimentScorer:
        """Load the lexicon; with ``X``, adapt to it; with ``y`` (ratings), learn from them.

        Parameters
        ----------
        X : iterable of str, optional
            The user's texts. Needed for ``self_training``, ``expand_lexicon``
            and ratings.
        y : iterable of float, optional
            A rating per text (NPS 0-10, CSAT 1-5, stars; missing allowed).
        """
        if not 0 <= self.neutral_band < 1:
            raise ValueError(
                invalid_choice_message("neutral_band", self.neutral_band, ["a number in [0, 1)"])
            )
        if not 0 < self.confidence < 1:
            raise ValueError(
                invalid_choice_message("confidence", self.confidence, ["a number in (0, 1)"])
            )
        if self.blend is not None and not 0 <= self.blend <= 1:
            raise ValueError(invalid_choice_message("blend", self.blend, ["a number in [0, 1]"]))
        self.lexicon_: SentimentLexicon = load_sentiment_lexicon()
        self.segmenter_ = LexiconSegmenter(self.lexicon_)
        self.model_: Pipeline | None = None
        self.training_: dict[str, float | int | str] = {}
        self.expanded_words_: dict[str, float] = {}
        self.blend_ = 0.0
        if X is None:
            if y is not None or self.self_training or self.expand_lexicon:
                raise ValueError(
                    "fit needs the texts X to learn from ratings, self-train or expand the lexicon."
                )
            return self
        texts = [normalize_text(t) if isinstance(t, str) else "" for t in X]
        if self.expand_lexicon:
            expansion = expand_lexicon(
                [self.segmenter_.cut(t) for t in texts],
                self.lexicon_,
                random_state=self.random_state,
            )
            self.lexicon_ = expansion.lexicon
            self.expanded_words_ = expansion.added
        if y is None and not self.self_training:
            return self
        rule = np.array([self._rule_score(t) for t in texts])
        labels = np.full(len(texts), np.nan)
        if self.self_training:
            labels[rule >= self.confidence] = 1.0
            labels[rule <= -self.confidence] = 0.0
            self.training_["source"] = "rules"
        if y is not None:
            ratings = np.asarray(list(y), dtype=float)
            if len(ratings) != len(texts):
                raise ValueError(
                    f"y has {len(ratings)} ratings for {len(texts)} texts; give one per text."
                )
            rated = labels_from_ratings(ratings)
            known = ~np.isnan(rated)
            if known.any() and len(set(rated[known])) == 2:
                self.training_["rules_auc_vs_ratings"] = float(
                    roc_auc_score(rated[known], rule[known])
                )
            labels[known] = rated[known]  # a rating outweighs the rules' guess
            self.training_["source"] = "ratings+rules" if self.self_training else "ratings"
        train = ~np.isnan(labels)
        fitted = fit_ngram_model(
            [t for t, keep in zip(texts, train, strict=True) if keep],
            labels[train].astype(int),
            random_state=self.random_state,
        )
        if fitted is not None:
            self.model_ = fitted.model
            self.training_.update(
                n_positive=fitted.n_positive,
                n_negative=fitted.n_negative,
                model_cv_auc=fitted.cv_auc,
            )
            default = _RATING_BLEND if y is not None else _SELF_TRAINING_BLEND
            self.blend_ = default if self.blend is None else self.blend
        return self

    def _rule_score(self, text: str) -> float:
        score = self.score_document(text).score
        return 0.0 if score is None else score

    def score_clauses(self, clauses: Sequence[str]) -> ScoredDocument:
        """Score already split clauses with the rules."""
        tokens = tuple(tuple(self.segmenter_.cut(c)) for c in clauses)
        if not clauses:
            return ScoredDocument((), (), (), None)
        raw = [raw_clause_score(t, c, self.lexicon_) for c, t in zip(clauses, tokens, strict=True)]
        score = combine_clauses(raw, tokens, self.lexicon_)
        return ScoredDocument(tuple(clauses), tokens, tuple(squash(r) for r in raw), score)

    def score_document(self, text: str) -> ScoredDocument:
        """Normalise (traditional characters become simplified), split and score one text."""
        return self.score_clauses(split_clauses(to_simplified(normalize_text(text))))

    def blend_scores(self, texts: Sequence[str], rule_scores: np.ndarray) -> np.ndarray:
        """Blend rule scores with the fitted n-gram model; unchanged without a model."""
        if self.model_ is None or not len(texts):
            return rule_scores
        probability = self.model_.predict_proba(list(texts))[:, 1]
        blended = (1 - self.blend_) * rule_scores + self.blend_ * (2 * probability - 1)
        return np.where(np.isnan(rule_scores), np.nan, blended)

    def transform(self, X: Iterable[object]) -> np.ndarray:
        """Document scores as a column vector; ``nan`` for empty or missing texts."""
        texts = [t if isinstance(t, str) else "" for t in X]
        rule = np.array(
            [np.nan if (s := self.score_document(t).score) is None else s for t in texts],
            dtype=float,
        )
        if self.model_ is None:
            return rule.reshape(-1, 1)
        return self.blend_scores([normalize_text(t) for t in texts], rule).reshape(-1, 1)

    def predict(self, X: Iterable[object]) -> np.ndarray:
        """Labels ``negative`` / ``neutral`` / ``positive``; empty string for empty texts."""
        labels: list[SentimentLabel | str] = [
            "" if np.isnan(s) else label_score(s, neutral_band=self.neutral_band)
            for s in self.transform(X)[:, 0]
        ]
        return np.asarray(labels, dtype=object)

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        """The one output column's name, for scikit-learn pipelines."""
        return np.asarray(["sentiment_score"], dtype=object)
