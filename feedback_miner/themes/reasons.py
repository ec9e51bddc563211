"""Which words of a text discovery reads for reasons: a negative text whole, and of a
mixed one only its negative clauses (味道不错，就是送餐太慢 -> 就是送餐太慢)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..sentiment import SentimentScorer
from ..sentiment.rules import label_score

__all__ = ["ReasonText", "reason_text", "reason_texts"]


@dataclass(frozen=True)
class ReasonText:
    """What discovery reads of one text.

    Attributes
    ----------
    text : str
        The whole text when it is negative, its negative clauses joined when it
        is mixed, ``""`` when it holds no complaint.
    negative : bool
        Whether the text as a whole is negative.
    """

    text: str
    negative: bool


def reason_text(text: str, scorer: SentimentScorer, *, neutral_band: float = 0.1) -> ReasonText:
    """The complaint in ``text`` (see :class:`ReasonText`).

    Examples
    --------
    >>> scorer = SentimentScorer().fit()
    >>> reason_text("味道不错，就是送餐太慢了", scorer)
    ReasonText(text='就是送餐太慢了', negative=False)
    >>> reason_text("很好吃，下次还来", scorer).text
    ''
    """
    scored = scorer.score_document(text)
    if scored.score is None:
        return ReasonText("", False)
    if label_score(scored.score, neutral_band=neutral_band) == "negative":
        return ReasonText(text, True)
    complaints = [
        clause
        for clause, score in zip(scored.clauses, scored.clause_scores, strict=True)
        if label_score(score, neutral_band=neutral_band) == "negative"
    ]
    return ReasonText("".join(complaints).strip(), False)


def reason_texts(
    texts: Sequence[str], scorer: SentimentScorer, *, neutral_band: float = 0.1
) -> list[ReasonText]:
    """:func:`reason_text` of each of ``texts``."""
    return [reason_text(t, scorer, neutral_band=neutral_band) for t in texts]
