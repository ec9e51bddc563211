"""Where the text stages run: in process or ``--jobs N`` local processes, or on Dask.

Engines import :mod:`feedback_miner.stages`, never the pipeline; each builds
the stages once per worker and gives tables that do not depend on the engine,
the number of workers or the chunk size.
"""

from .collect import Collector, PackedChunk, collect, order_doc_columns
from .dispatch import Engine, analyze_blocks, analyze_records
from .local import (
    DEFAULT_CHUNK_SIZE,
    Workers,
    chunked,
    run_chunks,
    run_chunks_packed,
    stream_chunks,
)
from .requirements import require_dask

__all__ = [
    "DEFAULT_CHUNK_SIZE",
    "Collector",
    "Engine",
    "PackedChunk",
    "Workers",
    "analyze_blocks",
    "analyze_records",
    "chunked",
    "collect",
    "order_doc_columns",
    "require_dask",
    "run_chunks",
    "run_chunks_packed",
    "stream_chunks",
]
