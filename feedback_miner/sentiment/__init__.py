"""Sentiment of clauses and documents, in [-1, 1]."""

from .adapt import Adaptation, AdaptationReport
from .aspect import aspect_sentiment, clause_aspect_score
from .corpus import AdaptationPlan, CorpusAdaptation, adapt_to_corpus, plan_adaptation
from .lexicon import SentimentLexicon, load_sentiment_lexicon
from .rules import SentimentLabel, label_score
from .scorer import ScoredDocument, SentimentScorer
from .table import score_table

__all__ = [
    "Adaptation",
    "AdaptationPlan",
    "AdaptationReport",
    "CorpusAdaptation",
    "ScoredDocument",
    "SentimentLabel",
    "SentimentLexicon",
    "SentimentScorer",
    "adapt_to_corpus",
    "aspect_sentiment",
    "clause_aspect_score",
    "label_score",
    "load_sentiment_lexicon",
    "plan_adaptation",
    "score_table",
]
