"""The sentiment scorer: a scikit-learn style estimator over the rule model."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin

from ..errors import invalid_choice_message
from ..text import normalize_text, split_clauses, to_simplified, to_simplified_all
from .adapt import Adaptation, AdaptationReport, learn_adaptation
from .discourse import aside_weights, balance_score, contrast_weights, sarcasm_tails
from .expansion import expand_lexicon
from .lexicon import SentimentLexicon, load_sentiment_lexicon
from .ratings import labels_from_ratings
from .rules import (
    SentimentLabel,
    label_score,
    pattern_hints,
    quoted_spans,
    raw_clause_score,
    sentence_constructions,
    squash,
)
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
        Each clause's own score in (-1, 1), before contrast weighting; a
        clause about another shop or retold content is weakened
        (:data:`~feedback_miner.sentiment.discourse.ASIDE_WEIGHT`), and one
        that praises the other against ours (别家比你们便宜) turned round.
    score : float or None
        The document score in (-1, 1) (rules only); ``None`` for an empty text.
    clause_weights : tuple of float
        The weight of each clause in the document score (contrast and asides).
    """

    clauses: tuple[str, ...]
    tokens: tuple[tuple[str, ...], ...]
    clause_scores: tuple[float, ...]
    score: float | None
    clause_weights: tuple[float, ...] = ()


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
    held_out : float, default 0.2
        With ratings, the share of rated texts held back from training to
        measure how well the rules and the adapted scores agree with them.
    adaptation : Adaptation, optional
        An adaptation fitted before (``scorer.adaptation_`` of another
        scorer): :meth:`fit` uses it as it is and learns nothing, so that
        every worker of an analysis scores with the same model.
    random_state : int, default 0
        Seed of the held-back split, the model and word vectors.

    Attributes
    ----------
    lexicon_ : SentimentLexicon
        The lexicon in use (expanded when ``expand_lexicon``).
    segmenter_ : LexiconSegmenter
        Finds lexicon words at word boundaries.
    adaptation_ : Adaptation or None
        The adaptation that scores the texts with the rules, when there is one.
    training_ : AdaptationReport or None
        What adaptation learnt from and what can be said about it; ``None``
        when :meth:`fit` was not asked to adapt.
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
        held_out: float = 0.2,
        adaptation: Adaptation | None = None,
        random_state: int = 0,
    ):
        self.neutral_band = neutral_band
        self.self_training = self_training
        self.expand_lexicon = expand_lexicon
        self.confidence = confidence
        self.blend = blend
        self.held_out = held_out
        self.adaptation = adaptation
        self.random_state = random_state

    def fit(
        self,
        X: Iterable[object] | None = None,
        y: object = None,
        *,
        ratings: Iterable[float] | None = None,
        rating_groups: Iterable[object] | None = None,
        rules: SentimentScorer | None = None,
    ) -> SentimentScorer:
        """Load the lexicon; with ``X``, adapt to it; with ``ratings``, learn from them.

        Parameters
        ----------
        X : iterable of str, optional
            The user's texts. Needed for ``self_training``, ``expand_lexicon``
            and ratings.
        y : ignored
            Not used: a scorer in a scikit-learn ``Pipeline`` never reads the
            pipeline's target (a churn label, say) as ratings.
        ratings : iterable of float, optional
            A rating per text of ``X`` (NPS 0-10, CSAT 1-5, stars; missing allowed).
        rating_groups : iterable, optional
            A group per rating (the input file): each group's scale (1-5 or
            0-10) is decided on its own ratings.
        rules : SentimentScorer, optional
            A scorer of the rules alone, fitted without data, whose lexicon and
            segmenter are used instead of building them again (a second or
            two); the fit is the same.
        """
        self._validate()
        if rules is not None:
            rules._check_rules_alone("fit(rules=...)")
            self.lexicon_: SentimentLexicon = rules.lexicon_
            self.segmenter_: LexiconSegmenter = rules.segmenter_
        else:
            self.lexicon_ = load_sentiment_lexicon()
            self.segmenter_ = LexiconSegmenter.cached(self.lexicon_)
        self.adaptation_: Adaptation | None = self.adaptation
        self.training_: AdaptationReport | None = None
        self.expanded_words_: dict[str, float] = {}
        adapting = ratings is not None or self.self_training or self.expand_lexicon
        if self.adaptation is not None and (adapting or X is not None):
            raise ValueError(
                "fit was given a fitted adaptation and data to adapt from; give one or the other."
            )
        if X is None:
            if adapting:
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
            self.segmenter_ = LexiconSegmenter(self.lexicon_)
            self.expanded_words_ = expansion.added
        if ratings is None and not self.self_training:
            return self
        rated = None
        if ratings is not None:
            values = np.asarray(list(ratings), dtype=float)
            if len(values) != len(texts):
                raise ValueError(
                    f"ratings has {len(values)} values for {len(texts)} texts; give one per text."
                )
            groups = None if rating_groups is None else np.asarray(list(rating_groups))
            rated = labels_from_ratings(values, groups)
        self.training_, self.adaptation_ = learn_adaptation(
            texts,
            self._rule_score,
            rated=rated,
            self_training=self.self_training,
            confidence=self.confidence,
            held_out=self.held_out,
            blend=self.blend,
            random_state=self.random_state,
        )
        return self

    def with_adaptation(
        self, adaptation: Adaptation | None, *, neutral_band: float
    ) -> SentimentScorer:
        """A fitted scorer that blends in ``adaptation``, sharing this one's lexicon and segmenter.

        Building the segmenter takes a second or two. A process that scores
        with an adaptation fitted elsewhere can build this rule scorer before
        the adaptation is known, then make the scorer it needs at no cost.
        The result scores exactly as
        ``SentimentScorer(neutral_band=neutral_band, adaptation=adaptation).fit()``.

        Raises
        ------
        ValueError
            When this scorer is not fitted, or was fitted on data (adapted,
            self-trained or with an expanded lexicon): it must be the rules alone.

        Examples
        --------
        >>> rules = SentimentScorer().fit()
        >>> rules.with_adaptation(None, neutral_band=0.3).predict(["还行吧"]).tolist()
        ['neutral']
        """
        self._check_rules_alone("with_adaptation")
        scorer = SentimentScorer(neutral_band=neutral_band, adaptation=adaptation)
        scorer._validate()
        scorer.lexicon_ = self.lexicon_
        scorer.segmenter_ = self.segmenter_
        scorer.adaptation_ = adaptation
        scorer.training_ = None
        scorer.expanded_words_ = {}
        return scorer

    def _check_rules_alone(self, what: str) -> None:
        """Raise ValueError unless this scorer is fitted, on no data."""
        if not hasattr(self, "segmenter_"):
            raise ValueError(f"{what} needs a fitted scorer; call fit() first.")
        if self.adaptation_ is not None or self.expanded_words_:
            raise ValueError(f"{what} needs a scorer of the rules alone, fitted without data.")

    def _validate(self) -> None:
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
        if not 0 <= self.held_out < 1:
            raise ValueError(
                invalid_choice_message("held_out", self.held_out, ["a number in [0, 1)"])
            )

    def _rule_score(self, text: str) -> float:
        score = self.score_document(text).score
        return 0.0 if score is None else score

    def score_clauses(self, clauses: Sequence[str]) -> ScoredDocument:
        """Score already split clauses with the rules."""
        if not clauses:
            return ScoredDocument((), (), (), None)
        lex, cut = self.lexicon_, self.segmenter_.cut
        hints = pattern_hints(clauses, lex)
        raw = []
        found = []
        quotes = hints.quotes
        for clause in clauses:
            words = cut(clause)
            spans = quoted_spans(clause) if quotes else ()
            quoted = [cut(s) for s in spans] if spans else ()
            raw.append(raw_clause_score(words, clause, lex, quoted=quoted, found=hints))
            found.append(tuple(filter(None, words)))  # without the gaps
        tokens = tuple(found)
        sentence_constructions(raw, clauses, lex)
        if hints.markers:
            sarcasm_tails(raw, clauses, lex)
        asides = aside_weights(clauses, tokens, lex, found=hints)
        weights = [
            a * c for a, c in zip(asides, contrast_weights(clauses, tokens, lex), strict=True)
        ]
        return ScoredDocument(
            tuple(clauses),
            tokens,
            tuple(squash(r) * a for r, a in zip(raw, asides, strict=True)),
            balance_score(raw, weights),
            tuple(weights),
        )

    def score_document(self, text: str) -> ScoredDocument:
        """Normalise (traditional characters become simplified), split and score one text."""
        return self.score_clauses(split_clauses(to_simplified(normalize_text(text))))

    def blend_scores(self, texts: Sequence[str], rule_scores: np.ndarray) -> np.ndarray:
        """Blend rule scores with the fitted adaptation; unchanged without one."""
        if self.adaptation_ is None:
            return rule_scores
        return self.adaptation_.blend_scores(texts, rule_scores)

    def transform(self, X: Iterable[object]) -> np.ndarray:
        """Document scores as a column vector; ``nan`` for empty or missing texts."""
        texts = [t if isinstance(t, str) else "" for t in X]
        normalized = [normalize_text(t) for t in texts]
        # score_document of each text, with the conversion done for all at once
        rule = np.array(
            [
                np.nan if (s := self.score_clauses(split_clauses(t)).score) is None else s
                for t in to_simplified_all(normalized)
            ],
            dtype=float,
        )
        if self.adaptation_ is None:
            return rule.reshape(-1, 1)
        return self.blend_scores(normalized, rule).reshape(-1, 1)

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
