"""Handing freed memory back: the analysis's tables are the same with or without it."""

from __future__ import annotations

import ctypes
import sys

import numpy as np
import pandas as pd
import pytest

from feedback_miner.engines.collect import Collector, order_doc_columns
from feedback_miner.memory import release_freed_memory
from feedback_miner.stages import AnalysedChunk


def _has_malloc_trim() -> bool:
    try:
        ctypes.CDLL(None).malloc_trim  # noqa: B018
    except (OSError, AttributeError):
        return False
    return sys.platform.startswith("linux")


@pytest.mark.skipif(not _has_malloc_trim(), reason="needs glibc's malloc_trim")
def test_freed_heap_memory_below_a_live_block_is_released() -> None:
    # blocks below the mmap threshold live in the heap; the last one stays alive, so the free
    # space below it can only go back to the system through malloc_trim
    blocks = [bytearray(64 * 1024) for _ in range(400)]
    kept = blocks[-1]
    del blocks
    assert release_freed_memory() is True
    assert len(kept) == 64 * 1024


def test_release_leaves_live_tables_as_they_were() -> None:
    frame = pd.DataFrame(
        {
            "doc_id": pd.array([f"f:{i}" for i in range(5000)], dtype="string[pyarrow]"),
            "score": np.linspace(-1, 1, 5000),
        }
    )
    before = frame.copy(deep=True)
    release_freed_memory()
    pd.testing.assert_frame_equal(frame, before)


def _docs(meta: str | None, n: int, start: int) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "doc_id": [f"a:{i}" for i in range(start, start + n)],
            "user_id": [f"u{i % 3}" for i in range(n)],
            "source": "service",
            "created_at": pd.NaT,
            "text": "太贵了",
            "sentiment_score": -0.5,
            "sentiment_label": "negative",
            "themes": "price",
            "channel": "ticket",
            "rating": np.nan,
            "addressee": "",
            "churn_type": "active",
            "competitors": "",
        }
    )
    if meta is not None:
        frame.insert(11, meta, "x")
    return frame


@pytest.mark.parametrize(
    ("metas", "columns"),
    [
        # one input: the columns are in order already, the table is kept as it is
        (
            ["meta:渠道", "meta:渠道"],
            ["meta:渠道"],
        ),
        # two inputs with different meta columns: they follow the fixed ones, in order of
        # appearance, before what the analysis added
        (["meta:渠道", "meta:城市"], ["meta:渠道", "meta:城市"]),
        # no meta column at all
        ([None, None], []),
    ],
)
def test_collected_docs_have_the_fixed_column_order(metas, columns) -> None:
    collector = Collector()
    for k, meta in enumerate(metas):
        docs = _docs(meta, 4, 4 * k)
        mentions = pd.DataFrame({"doc_id": docs["doc_id"], "theme_id": "price"})
        collector.add(AnalysedChunk(docs, mentions))
    tables = collector.tables()
    fixed = ["doc_id", "user_id", "source", "created_at", "text", "sentiment_score"]
    fixed += ["sentiment_label", "themes"]
    rest = ["channel", "rating", "addressee"]
    assert list(tables.docs.columns) == fixed + rest + columns + ["churn_type", "competitors"]
    assert tables.docs["doc_id"].tolist() == [f"a:{i}" for i in range(4 * len(metas))]
    assert order_doc_columns(tables.docs) is tables.docs
