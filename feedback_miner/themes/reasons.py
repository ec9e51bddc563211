"""Which words of a text discovery reads for reasons: a negative text whole, of a mixed
one only its negative clauses (味道不错，就是送餐太慢 -> 就是送餐太慢), and nothing of a
text in which no clause complains."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from ..sentiment import SentimentScorer
from ..sentiment.rules import label_score

__all__ = ["ReasonText", "reason_text", "reason_texts"]

_BRACKET_EMOTICON = re.compile(r"\[[^\[\]]{1,8}\]")
_MIN_WORD_CHARS = 2


def _has_words(clause: str) -> bool:
    """Whether ``clause`` says something besides emoticons and emoji: an angry face alone
    tells how the customer feels, never why.

    Examples
    --------
    >>> _has_words("[怒]😡！"), _has_words("太慢了[怒]")
    (False, True)
    """
    rest = _BRACKET_EMOTICON.sub("", clause)
    return (
        sum(1 for c in rest if c.isalnum() and unicodedata.category(c) != "So") >= _MIN_WORD_CHARS
    )


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


def reason_text(
    text: str,
    scorer: SentimentScorer,
    *,
    negative: bool | None = None,
    neutral_band: float = 0.1,
) -> ReasonText:
    """The complaint in ``text`` (see :class:`ReasonText`).

    A text none of whose clauses the rules read as negative holds no complaint
    (a clause of emoticons alone does not count),
    even when ``negative`` (a label from elsewhere, such as a model adapted to
    ratings) says the text is negative: its words would make a "reason" of
    whatever it narrates.

    Parameters
    ----------
    text : str
        The text.
    scorer : SentimentScorer
        A fitted scorer.
    negative : bool, optional
        Whether the text is negative as a whole; by default the scorer's label.
    neutral_band : float
        Scores within this band of 0 are neutral.

    Examples
    --------
    >>> scorer = SentimentScorer().fit()
    >>> reason_text("味道不错，就是送餐太慢了", scorer)
    ReasonText(text='就是送餐太慢了', negative=False)
    >>> reason_text("很好吃，下次还来", scorer).text
    ''
    >>> reason_text("在手机和电视上都用", scorer, negative=True)
    ReasonText(text='', negative=True)
    """
    scored = scorer.score_document(text)
    if scored.score is None:
        return ReasonText("", bool(negative))
    if negative is None:
        negative = label_score(scored.score, neutral_band=neutral_band) == "negative"
    complaints = [
        clause
        for clause, score in zip(scored.clauses, scored.clause_scores, strict=True)
        if label_score(score, neutral_band=neutral_band) == "negative" and _has_words(clause)
    ]
    if not complaints:
        return ReasonText("", negative)
    # a negative text is read whole: its subject often stands in a clause of its own
    return ReasonText(text if negative else "".join(complaints).strip(), negative)


def reason_texts(
    texts: Sequence[str], scorer: SentimentScorer, *, neutral_band: float = 0.1
) -> list[ReasonText]:
    """:func:`reason_text` of each of ``texts``."""
    return [reason_text(t, scorer, neutral_band=neutral_band) for t in texts]
