"""Emerging themes: topics among the complaints the taxonomy does not cover."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import FeedbackMinerError
from ..sentiment import SentimentScorer
from ..themes.discover import MIN_TEXTS, Discovery, discover_topics
from ..themes.reasons import reason_text

__all__ = ["EmergingThemes", "emerging_themes"]

logger = logging.getLogger(__name__)

# discovery runs on at most this many uncovered complaints (a seeded sample)
MAX_TEXTS = 5000
# and looks for complaints in at most this many uncovered texts (a seeded sample)
MAX_SCORED = 100_000
_MIN_CHARS = 6


@dataclass(frozen=True)
class EmergingThemes:
    """What discovery proposed, or why it did not run.

    Attributes
    ----------
    uncovered : int
        Uncovered texts of at least six characters with a complaint: negative
        documents, and with a scorer the negative clauses of mixed ones (and
        only negative documents with a negative clause).
    used : int
        How many of them discovery read (a seeded sample of at most 5,000).
    discovery : Discovery or None
        The topics, when there were enough texts.
    reason : str
        Why there is no discovery: ``too_few`` complaints (fewer than 20), or
        ``no_topics`` (no topic is shared by enough of them); empty when there is one.
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
        not negative as a whole are read too, and negative documents none of
        whose clauses complains are not, as ``themes discover`` does.

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
    if len(candidates) > MAX_SCORED:
        candidates = candidates.sample(MAX_SCORED, random_state=seed).sort_index()
    complaints: list[tuple[str, bool]] = []
    for value, is_negative in zip(candidates, negative[candidates.index], strict=True):
        if scorer is None:
            complaints.append((value, True))
            continue
        complaint = reason_text(value, scorer, negative=bool(is_negative))
        if len(complaint.text) >= _MIN_CHARS:
            complaints.append((complaint.text, complaint.negative))
    uncovered = len(complaints)
    if uncovered > MAX_TEXTS:
        rng = np.random.default_rng(seed)
        complaints = [
            complaints[i] for i in np.sort(rng.choice(uncovered, MAX_TEXTS, replace=False))
        ]
    read = [c for c, _ in complaints]
    flags = [f for _, f in complaints]
    try:
        discovery = discover_topics(read, k="auto", seed=seed, negative=flags)
    except FeedbackMinerError as error:
        logger.info("no emerging themes: %s", error)
        reason = "too_few" if len(read) < MIN_TEXTS else "no_topics"
        return EmergingThemes(uncovered, len(read), None, reason)
    return EmergingThemes(uncovered, len(read), discovery)
