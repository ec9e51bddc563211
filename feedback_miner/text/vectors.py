"""Word vectors trained on the user's own corpus (gensim Word2Vec), reproducibly."""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from typing import Any

__all__ = ["train_word_vectors"]


def _stable_hash(word: str) -> int:
    # gensim seeds each vector with hash(word); Python's own hash changes between runs
    return zlib.crc32(word.encode("utf-8"))


def train_word_vectors(
    tokenized: Sequence[Sequence[str]], *, min_count: int = 5, epochs: int = 10, seed: int = 0
) -> Any:
    """A Word2Vec model (100 dimensions, window 5) on one worker: the same corpus and seed
    give the same vectors in every run."""
    from gensim.models import Word2Vec

    return Word2Vec(
        sentences=[list(doc) for doc in tokenized],
        vector_size=100,
        window=5,
        min_count=min_count,
        workers=1,
        seed=seed,
        epochs=epochs,
        hashfxn=_stable_hash,
    )
