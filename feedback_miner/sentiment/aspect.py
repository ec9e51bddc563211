"""Aspect-level sentiment: how a text feels about one thing it mentions.

The sentiment of an aspect is that of the clause that names it; when that
clause holds no judgement, the judgement is in the next clause of the same
sentence ("客服的态度，真的很差") or, failing that, the previous one; failing
both, the mean of the other judged clauses of the sentence, weakened.
"""

from __future__ import annotations

from .scorer import ScoredDocument, SentimentScorer

__all__ = ["aspect_sentiment", "clause_aspect_score"]

_SENTENCE_END = tuple("。！？!?\n")
_NEIGHBOUR_SCALE = 0.8
_SENTENCE_SCALE = 0.6


def clause_aspect_score(doc: ScoredDocument, clause_index: int) -> float:
    """Sentiment of the aspect named in clause ``clause_index`` of a scored document."""
    own = doc.clause_scores[clause_index]
    if own != 0.0:
        return own
    following = clause_index + 1
    if (
        following < len(doc.clauses)
        and not doc.clauses[clause_index].endswith(_SENTENCE_END)
        and doc.clause_scores[following] != 0.0
    ):
        return _NEIGHBOUR_SCALE * doc.clause_scores[following]
    previous = clause_index - 1
    if (
        previous >= 0
        and not doc.clauses[previous].endswith(_SENTENCE_END)
        and doc.clause_scores[previous] != 0.0
    ):
        return _NEIGHBOUR_SCALE * doc.clause_scores[previous]
    judged = [
        doc.clause_scores[i] for i in _sentence_of(doc, clause_index) if doc.clause_scores[i] != 0.0
    ]
    return _SENTENCE_SCALE * sum(judged) / len(judged) if judged else 0.0


def _sentence_of(doc: ScoredDocument, clause_index: int) -> range:
    """Indices of the clauses in the same sentence as ``clause_index``."""
    start = clause_index
    while start > 0 and not doc.clauses[start - 1].endswith(_SENTENCE_END):
        start -= 1
    end = clause_index
    while end < len(doc.clauses) - 1 and not doc.clauses[end].endswith(_SENTENCE_END):
        end += 1
    return range(start, end + 1)


def aspect_sentiment(scorer: SentimentScorer, text: str, keyword: str) -> float | None:
    """Mean sentiment of the clauses of ``text`` that contain ``keyword``; ``None`` if none do.

    Examples
    --------
    >>> scorer = SentimentScorer().fit()
    >>> round(aspect_sentiment(scorer, "价格不贵，但是客服的态度，真的很差", "价格"), 2) > 0
    True
    >>> aspect_sentiment(scorer, "价格不贵，但是客服的态度，真的很差", "客服") < 0
    True
    """
    doc = scorer.score_document(text)
    found = [i for i, clause in enumerate(doc.clauses) if keyword in clause]
    if not found:
        return None
    return sum(clause_aspect_score(doc, i) for i in found) / len(found)
