"""Emerging themes: topics among the complaints the taxonomy does not cover."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import pandas as pd

from ..errors import FeedbackMinerError
from ..sentiment import SentimentScorer
from ..themes.discover import Discovery, discover_topics
from ..themes.reasons import reason_text

__all__ = ["EmergingThemes", "emerging_themes"]

logger = logging.getLogger(__name__)

# discovery runs on at most this many uncovered texts (a seeded sample)
MAX_TEXTS = 5000
_MIN_CHARS = 6


@dataclass(frozen=True)
class EmergingThemes:
    """What discovery proposed, or why it did not run.

    Attributes
    ----------
    uncovered : int
        Uncovered texts of at least six characters with a complaint: negative
        documents, and with a scorer also the negative clauses of mixed ones.
    used : int
        How many of them discovery read (a seeded sample of at most 5,000).
    discovery : Discovery or None
        The topics, when there were enough texts.
    reason : str
        Why there is no discovery (empty when there is one).
    """

    uncovered: int
    used: int
    discovery: Discovery | None
    reason: str = ""


def emerging_themes(
    docs: pd.DataFrame, *, seed: int = 0, scorer: SentimentScorer | None = None
) -> EmergingThemes:
    """Run topic discovery on the complaints that no theme matched.

    Parameters
    ----------
    docs : pandas.DataFrame
        The docs table (``text``, ``themes``, ``sentiment_label``).
    seed : int
        Seed of the sample and of discovery.
    scorer : SentimentScorer, optional
        A fitted scorer: the negative clauses of uncovered documents that are
        not negative as a whole are read too, as ``themes discover`` does.

    Examples
    --------
    >>> emerging_themes(pd.DataFrame({"text": ["太卡了"], "themes": [""],
    ...     "sentiment_label": ["negative"]})).reason
    'too_few'
    """
    text = docs["text"].fillna("")
    open_docs = (docs["themes"].fillna("") == "") & (text.str.len() >= _MIN_CHARS)
    negative = docs["sentiment_label"] == "negative"
    candidates = text[open_docs & (negative | (scorer is not None))]
    if len(candidates) > MAX_TEXTS:
        candidates = candidates.sample(MAX_TEXTS, random_state=seed).sort_index()
    read: list[str] = []
    flags: list[bool] = []
    for value, is_negative in zip(candidates, negative[candidates.index], strict=True):
        if is_negative:
            read.append(value)
            flags.append(True)
        elif scorer is not None:
            complaint = reason_text(value, scorer).text
            if len(complaint) >= _MIN_CHARS:
                read.append(complaint)
                flags.append(False)
    uncovered = int((open_docs & negative).sum()) + flags.count(False)
    try:
        discovery = discover_topics(read, k="auto", seed=seed, negative=flags)
    except FeedbackMinerError as error:
        logger.info("no emerging themes: %s", error)
        return EmergingThemes(uncovered, len(read), None, "too_few")
    return EmergingThemes(uncovered, len(read), discovery)
