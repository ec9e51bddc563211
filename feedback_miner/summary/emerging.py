"""Emerging themes: topics among the negative feedback the taxonomy does not cover."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import pandas as pd

from ..errors import FeedbackMinerError
from ..themes.discover import Discovery, discover_topics

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
        Negative documents of at least six characters that match no theme.
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


def emerging_themes(docs: pd.DataFrame, *, seed: int = 0) -> EmergingThemes:
    """Run topic discovery on the negative documents that no theme matched.

    Examples
    --------
    >>> emerging_themes(pd.DataFrame({"text": ["太卡了"], "themes": [""],
    ...     "sentiment_label": ["negative"]})).reason
    'too_few'
    """
    uncovered = docs.loc[
        (docs["themes"].fillna("") == "")
        & (docs["sentiment_label"] == "negative")
        & (docs["text"].fillna("").str.len() >= _MIN_CHARS),
        "text",
    ]
    texts = uncovered
    if len(texts) > MAX_TEXTS:
        texts = texts.sample(MAX_TEXTS, random_state=seed).sort_index()
    try:
        discovery = discover_topics(list(texts), k="auto", seed=seed)
    except FeedbackMinerError as error:
        logger.info("no emerging themes: %s", error)
        return EmergingThemes(len(uncovered), len(texts), None, "too_few")
    return EmergingThemes(len(uncovered), len(texts), discovery)
