"""Running the text stages over records with the chosen engine, and collecting the tables."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Literal

import pandas as pd

from ..stages import AnalysedChunk, AnalyzerSpec, Dictionaries, empty_tables
from .collect import collect
from .local import DEFAULT_CHUNK_SIZE, Workers, chunked, run_chunks_packed, stream_chunks
from .requirements import require_dask

__all__ = ["Engine", "analyze_blocks", "analyze_records"]

Engine = Literal["local", "dask"]


def analyze_records(
    records: pd.DataFrame,
    spec: AnalyzerSpec,
    *,
    jobs: int = 1,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    engine: Engine = "local",
    scheduler: str | None = None,
    on_progress: Callable[[int], None] | None = None,
    workers: Workers | None = None,
) -> AnalysedChunk:
    """Run the text stages over ``records`` in chunks, in ``jobs`` processes or on Dask.

    Local ``workers`` started earlier are used when given (see :func:`run_chunks`).

    With ``engine="dask"`` the chunks are the partitions of a Dask DataFrame,
    analysed on a local cluster of ``jobs`` workers or on ``scheduler`` (see
    :mod:`feedback_miner.engines.dask`). The result does not depend on the
    engine, ``jobs`` or ``chunk_size``.

    Returns
    -------
    AnalysedChunk
        The docs (fixed columns first) and mentions of all records.
    """
    if jobs < 1:
        raise ValueError(f"--jobs is {jobs}; it must be 1 or more.")
    if engine == "dask":
        require_dask()
        from .dask import run_partitions

        parts = run_partitions(
            records,
            spec,
            scheduler=scheduler,
            workers=jobs,
            chunk_size=chunk_size,
            on_progress=on_progress,
        )
        if not parts:
            return empty_tables(records)
        return collect(parts)
    chunks = chunked(records, chunk_size)
    return collect(run_chunks_packed(chunks, spec, jobs=jobs, workers=workers), on_progress)


def analyze_blocks(
    blocks: Iterable[pd.DataFrame],
    spec: AnalyzerSpec,
    *,
    jobs: int = 1,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    on_total: Callable[[int], None] | None = None,
    on_progress: Callable[[int], None] | None = None,
    workers: Workers | None = None,
    dictionaries: Dictionaries | None = None,
) -> AnalysedChunk:
    """The local engine over a stream of record blocks, analysed while later blocks are read.

    ``on_total`` is called with the number of records read so far as each
    block arrives; ``on_progress`` with the documents of each analysed chunk.
    ``dictionaries`` already loaded in this process serve the stages of one job.
    """
    chunks = stream_chunks(blocks, chunk_size, on_total)
    parts = run_chunks_packed(chunks, spec, jobs=jobs, workers=workers, dictionaries=dictionaries)
    return collect(parts, on_progress)
