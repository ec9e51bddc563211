"""Collecting analysed chunks into the analysis's docs and mentions tables.

A million documents repeat their source, channel, labels, theme lists and
segment values: keeping one copy of each cuts the memory of the tables that
stay for attribution, the summary and the report. Columns of mostly distinct
strings (ids, texts, evidence, the inputs' own ``meta:`` columns) are stored
as Arrow strings, a fraction of the size of Python string objects; which
columns these are does not depend on the data, so the tables' types do not
depend on how records were cut into chunks.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable, Iterable
from typing import NamedTuple

import pandas as pd

from ..memory import release_freed_memory
from ..schema import DOC_COLUMNS
from ..spill import SpillFile
from ..stages import ANALYSIS_COLUMNS, AnalysedChunk, empty_tables

__all__ = ["Collector", "PackedChunk", "collect", "compact_strings", "order_doc_columns"]

# values kept per column by the collector before it stops sharing them
_MAX_SHARED_VALUES = 50_000
_COMPACT_STRINGS = pd.StringDtype("pyarrow")
_DISTINCT_STRING_COLUMNS = frozenset({"doc_id", "user_id", "text", "evidence", "keywords"})


class PackedChunk(NamedTuple):
    """An analysed chunk as the worker process that analysed it pickled it.

    The main process receives it as bytes and writes them to disk as they are
    (:func:`collect`): it rebuilds the tables only once the workers have ended,
    so that the collected tables and the workers are never in memory together.
    """

    data: bytes
    documents: int

    @classmethod
    def of(cls, part: AnalysedChunk) -> PackedChunk:
        """``part`` pickled."""
        return cls(pickle.dumps(part, protocol=pickle.HIGHEST_PROTOCOL), len(part.docs))

    def unpack(self) -> AnalysedChunk:
        """The chunk's tables, exactly as they were pickled."""
        part: AnalysedChunk = pickle.loads(self.data)
        return part


class Collector:
    """Gathers analysed chunks, sharing one string object per repeated value."""

    def __init__(self) -> None:
        self.docs: list[pd.DataFrame] = []
        self.mentions: list[pd.DataFrame] = []
        self._shared: dict[str, dict[object, object]] = {}

    def add(self, part: AnalysedChunk) -> None:
        """Keep one analysed chunk, in compact form."""
        self.docs.append(self._share(part.docs, "docs"))
        self.mentions.append(self._share(part.mentions, "mentions"))

    def _share(self, frame: pd.DataFrame, table: str) -> pd.DataFrame:
        compact_strings(frame)
        for column in frame.columns:
            values = frame[column]
            if values.dtype != object:
                continue
            seen = self._shared.setdefault(f"{table}:{column}", {})
            if len(seen) <= _MAX_SHARED_VALUES:
                shared = [seen.setdefault(v, v) if isinstance(v, str) else v for v in values]
                frame[column] = pd.Series(shared, index=frame.index, dtype=object)
        return frame

    def tables(self) -> AnalysedChunk:
        """All docs (fixed columns first) and mentions gathered, emptied from the collector."""
        if not self.docs:
            return empty_tables(pd.DataFrame(columns=["doc_id", "user_id", "text"]))
        docs = pd.concat(self.docs, ignore_index=True)
        mentions = pd.concat(self.mentions, ignore_index=True)
        self.docs, self.mentions = [], []
        docs = order_doc_columns(docs)
        # the chunks' columns were freed by the thousand: hand their memory back before the
        # analysis of the whole tables adds to it
        release_freed_memory()
        return AnalysedChunk(docs, mentions)


def compact_strings(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its columns of mostly distinct strings stored as Arrow strings, in place.

    Where a chunk is analysed (a worker process) this is done before its tables travel:
    they then arrive as Arrow buffers, and the process that gathers them never makes the
    strings' Python objects, whose freed memory would stay scattered in it.
    """
    for column in frame.columns:
        if frame[column].dtype == object and (
            column in _DISTINCT_STRING_COLUMNS or str(column).startswith("meta:")
        ):
            frame[column] = frame[column].astype(_COMPACT_STRINGS)
    return frame


def collect(
    parts: Iterable[AnalysedChunk | PackedChunk],
    on_progress: Callable[[int], None] | None = None,
) -> AnalysedChunk:
    """Gather ``parts`` in order; ``on_progress`` is called with each part's number of documents.

    Parts that come packed from worker processes wait in a
    :class:`~feedback_miner.spill.SpillFile` until the last has come (when the
    workers have ended), and are gathered then: a million documents' tables
    are not held beside the workers' memory.
    """
    collector = Collector()
    spill: SpillFile | None = None
    for part in parts:
        if isinstance(part, PackedChunk):
            spill = spill if spill is not None else SpillFile()
            spill.append_pickled(part.data)
            documents = part.documents
        else:
            documents = len(part.docs)
            if spill is None:
                collector.add(part)
            else:  # after a packed part every part waits too, to keep their order
                spill.append(part)
        del part  # a packed chunk's bytes go as soon as they are on disk
        if on_progress:
            on_progress(documents)
    if spill is not None:
        for unpacked in spill.drain():
            collector.add(unpacked)
    return collector.tables()


def order_doc_columns(docs: pd.DataFrame) -> pd.DataFrame:
    """The fixed columns, the records' other columns, then what analysis added.

    Blocks of different inputs have different ``meta:`` columns; the order
    does not depend on how the records were cut into chunks.
    """
    first, last = list(DOC_COLUMNS), list(ANALYSIS_COLUMNS)
    order = first + [c for c in docs.columns if c not in first and c not in last] + last
    # selecting columns copies every one of them: a million documents' table is only
    # reordered when its columns are not in order already
    return docs if list(docs.columns) == order else docs[order]
