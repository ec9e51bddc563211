"""Sentiment of clauses and documents, in [-1, 1]."""

from .aspect import aspect_sentiment, clause_aspect_score
from .lexicon import SentimentLexicon, load_sentiment_lexicon
from .rules import SentimentLabel, label_score
from .scorer import ScoredDocument, SentimentScorer
from .table import score_table

__all__ = [
    "ScoredDocument",
    "SentimentLabel",
    "SentimentLexicon",
    "SentimentScorer",
    "aspect_sentiment",
    "clause_aspect_score",
    "label_score",
    "load_sentiment_lexicon",
    "score_table",
]
