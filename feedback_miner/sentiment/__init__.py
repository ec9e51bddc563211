"""Sentiment of clauses and documents, in [-1, 1]."""

from .lexicon import SentimentLexicon, load_sentiment_lexicon
from .rules import SentimentLabel, label_score
from .scorer import ScoredDocument, SentimentScorer

__all__ = [
    "ScoredDocument",
    "SentimentLabel",
    "SentimentLexicon",
    "SentimentScorer",
    "label_score",
    "load_sentiment_lexicon",
]
