"""What an analysis does before its chunks, beside its idle workers.

Before the text stages can run, the records are read ahead (when the
sentiment adaptation needs them all), the adaptation is fitted, and the
built-in taxonomies are compared on a sample. The local engine's workers wait
for the spec meanwhile, with their dictionaries loaded: the first fits the
adaptation and the others take a share of the taxonomies, while the main
process fits the rest and the corpus models. Every result is the one a single
process gets.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import ParamSpec, TypeVar

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from .engines import Workers
from .ingest import IngestStream
from .sentiment import AdaptationPlan, CorpusAdaptation, SentimentScorer, plan_adaptation
from .spill import SpillFile
from .stages import Dictionaries
from .text import ChineseTokenizer
from .themes import PACKS, load_pack
from .themes.fit import FitResult, combine_fits, fit_taxonomies

__all__ = [
    "HeldBlocks",
    "fit_adaptation",
    "fit_packs_beside",
    "one_blas_thread",
    "plan_adaptation_of",
    "read_ahead",
]

P = ParamSpec("P")
R = TypeVar("R")


def one_blas_thread(function: Callable[P, R]) -> Callable[P, R]:
    """Run ``function`` with the numeric libraries' thread pools limited to one thread.

    The analysis's own parallelism is its worker processes (``jobs``); the
    models it fits in between (attribution, score drivers, topics) are on
    tables of users by dozens of columns, where OpenBLAS and OpenMP threads
    cost more than they give.
    """

    @functools.wraps(function)
    def limited(*args: P.args, **kwargs: P.kwargs) -> R:
        with threadpool_limits(limits=1):
            return function(*args, **kwargs)

    return limited


class HeldBlocks:
    """Record blocks read ahead, each with its input's position, held on disk.

    A million records as pandas tables of Python strings weigh about a
    gigabyte, and pickled still a few hundred megabytes: held in memory they
    would be there while the workers analyse them. Each block is written to a
    :class:`~feedback_miner.spill.SpillFile` instead, and rebuilt exactly
    (values, types, missing values) when it is read.
    """

    def __init__(self) -> None:
        self._spill = SpillFile()

    def append(self, position: int, block: pd.DataFrame) -> None:
        """Hold ``block``, read from the input at ``position``."""
        self._spill.append((position, block))

    def __len__(self) -> int:
        return len(self._spill)

    def __iter__(self) -> Iterator[tuple[int, pd.DataFrame]]:
        """(position, block) of every block held, in order; the blocks stay held."""
        yield from self._spill

    def release(self) -> Iterator[pd.DataFrame]:
        """The blocks, in order, each dropped from those held as it is handed on (the file
        is deleted after the last)."""
        for _, block in self._spill.drain():
            yield block


def read_ahead(
    stream: IngestStream, *, everything: bool
) -> tuple[HeldBlocks, Iterator[pd.DataFrame] | None]:
    """Read record blocks, each with its input's position, until adaptation can be decided.

    With ``everything``, or once a block carries ratings, every block is read:
    the adaptation learns from all of them, and the rest is ``None``. Otherwise
    reading stops at the first block of the last input when no ratings were
    seen so far, and the rest of the stream is returned to be analysed as it
    is read (``IngestStream`` lists a file in ``files`` once its last block was
    read, so the number listed is the position of the input a block comes from).
    """
    held = HeldBlocks()
    rated = False
    blocks = iter(stream)
    for block in blocks:
        position = len(stream.files)
        rated = rated or bool(block["rating"].notna().any())
        held.append(position, block)
        del block  # only the compact copy stays while the rest is read
        if not (everything or rated) and position >= len(stream.paths) - 1:
            return held, blocks
    return held, None


def plan_adaptation_of(
    held: HeldBlocks,
    paths: Sequence[Path],
    *,
    self_train: bool,
    use_ratings: bool,
    seed: int,
) -> AdaptationPlan | CorpusAdaptation:
    """Choose the records read to fit the sentiment adaptation on, each input's ratings on
    their own scale (or, with nothing to learn from, the empty adaptation)."""
    if not held:
        return CorpusAdaptation(None, None)
    texts: list[str] = []
    parts: list[np.ndarray] = []
    files: list[str] = []
    for position, block in held:  # each block is rebuilt once
        texts += [t if isinstance(t, str) else "" for t in block["text"]]
        parts.append(pd.to_numeric(block["rating"], errors="coerce").to_numpy(dtype=float))
        files += [paths[position].name] * len(block)
    return plan_adaptation(
        texts,
        np.concatenate(parts),
        files,
        self_train=self_train,
        use_ratings=use_ratings,
        seed=seed,
    )


@one_blas_thread
def fit_adaptation(dictionaries: Dictionaries, plan: AdaptationPlan) -> CorpusAdaptation:
    """Fit a planned adaptation with the rules already loaded (in this process or a worker:
    the same fit)."""
    return plan.fit(rules=dictionaries.rules)


def fit_packs_beside(
    workers: Workers | None,
    texts: list[str],
    *,
    neutral_band: float,
    scorer: SentimentScorer,
    busy: bool,
    base: ChineseTokenizer | None = None,
) -> FitResult:
    """Every built-in pack fitted on ``texts`` (:func:`fit_taxonomies`), the packs shared
    between this process and the workers that wait for the spec (worker 0 not when it is
    ``busy`` fitting the adaptation): the same result as one call on them all. ``base`` is
    the tokenizer whose dictionary this process's matchers copy."""
    if workers is None:
        return fit_taxonomies(texts, neutral_band=neutral_band, scorer=scorer, base=base)
    helpers = range(1 if busy else 0, workers.jobs)
    shares = len(helpers) + 1
    for share, worker in enumerate(helpers, start=1):
        workers.call(_fit_packs, texts, PACKS[share::shares], neutral_band, worker=worker)
    parts = [_fit_packs(Dictionaries(rules=scorer), texts, PACKS[0::shares], neutral_band, base)]
    parts += [workers.answer(worker) for worker in helpers]
    return combine_fits(parts, PACKS)


def _fit_packs(
    dictionaries: Dictionaries,
    texts: list[str],
    packs: Sequence[str],
    neutral_band: float,
    base: ChineseTokenizer | None = None,
) -> FitResult:
    """:func:`fit_taxonomies` of ``packs`` on ``texts`` with the rules already loaded."""
    return fit_taxonomies(
        texts,
        [(pack, load_pack(pack)) for pack in packs],
        neutral_band=neutral_band,
        scorer=dictionaries.rules,
        base=base,
    )
