"""Lexicon expansion: corpus words whose word-vector neighbours agree on a polarity."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..text.vectors import train_word_vectors
from .lexicon import SentimentLexicon

__all__ = ["ExpansionResult", "expand_lexicon"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ExpansionResult:
    """Words added to the lexicon from the corpus, with their weights and evidence."""

    lexicon: SentimentLexicon
    added: dict[str, float]


def expand_lexicon(
    tokenized: Sequence[Sequence[str]],
    lexicon: SentimentLexicon,
    *,
    min_count: int = 5,
    neighbours: int = 10,
    min_agreement: float = 0.6,
    min_seed_neighbours: int = 3,
    random_state: int = 0,
) -> ExpansionResult:
    """Add corpus words whose nearest neighbours agree on a polarity.

    A word is added when it occurs ``min_count`` times, is not in the lexicon,
    and among its ``neighbours`` nearest words at least ``min_seed_neighbours``
    are lexicon words whose similarity-weighted polarity agrees at
    ``min_agreement`` or more. Its weight is that agreement (at most 1).
    """
    counts = Counter(token for doc in tokenized for token in doc)
    if sum(counts.values()) == 0:
        return ExpansionResult(lexicon, {})
    model = train_word_vectors(tokenized, min_count=min_count, seed=random_state)
    added: dict[str, float] = {}
    for word in model.wv.index_to_key:
        if (
            word in lexicon.words
            or len(word) < 2
            or word in lexicon.negators
            or word in lexicon.degrees
        ):
            continue
        near = [
            (w, s)
            for w, s in model.wv.most_similar(word, topn=neighbours)
            if w in lexicon.words and s > 0
        ]
        if len(near) < min_seed_neighbours:
            continue
        total = sum(s for _, s in near)
        polarity = sum(s * np.sign(lexicon.words[w]) for w, s in near) / total
        if abs(polarity) >= min_agreement:
            added[word] = round(float(np.sign(polarity) * min(abs(polarity), 1.0)), 3)
    if not added:
        return ExpansionResult(lexicon, {})
    logger.info("lexicon expansion added %d words", len(added))
    return ExpansionResult(lexicon.with_words(added), dict(sorted(added.items())))
