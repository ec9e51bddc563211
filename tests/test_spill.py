"""Tables kept on disk until the analysis needs them again come back exactly, in order."""

from __future__ import annotations

import pickle
import tempfile
import tracemalloc

import numpy as np
import pandas as pd
import pytest

from feedback_miner.engines.collect import PackedChunk, collect
from feedback_miner.errors import OutputError
from feedback_miner.prephase import HeldBlocks
from feedback_miner.spill import SpillFile
from feedback_miner.stages import AnalysedChunk

_FRAMES = [
    # missing values of each kind, Arrow strings, Chinese text and emoji
    pd.DataFrame(
        {
            "doc_id": pd.array(["a:1", "a:2", None], dtype="string[pyarrow]"),
            "user_id": ["U1", None, float("nan")],
            "created_at": pd.to_datetime(["2026-01-02 00:00", None, "2026-03-04 10:00"]),
            "text": ["太贵了！", "", "😡 退订"],
            "rating": [5.0, float("nan"), 1.0],
            "meta:渠道": pd.array(["在线客服", pd.NA, "电话"], dtype="string"),
        }
    ),
    # no rows, its columns and types kept
    pd.DataFrame({"doc_id": pd.Series([], dtype=object), "rating": pd.Series([], dtype=float)}),
    # a non-default index
    pd.DataFrame({"x": [1, 2]}, index=[7, 3]),
]


@pytest.mark.parametrize(
    "value",
    [
        *_FRAMES,
        (3, _FRAMES[0]),  # a held block: its input's position and the block
        b"\x00" * 10,
        "",
        None,
        {"嵌套": [1, 2.5, {"a": None}]},
    ],
)
def test_an_object_comes_back_exactly(value: object) -> None:
    spill = SpillFile()
    spill.append(value)
    spill.append("next")
    kept = list(spill)
    assert len(spill) == 2 and kept[1] == "next"
    drained = list(spill.drain())
    for again in (kept[0], drained[0]):
        if isinstance(value, pd.DataFrame):
            pd.testing.assert_frame_equal(again, value)
            assert list(again.dtypes) == list(value.dtypes)
        elif isinstance(value, tuple):
            assert again[0] == value[0]
            pd.testing.assert_frame_equal(again[1], value[1])
        else:
            assert again == value and type(again) is type(value)
    assert len(spill) == 0 and spill.closed


def test_objects_written_after_a_read_follow_in_order() -> None:
    spill = SpillFile()
    spill.append(1)
    assert list(spill) == [1]
    spill.append_pickled(pickle.dumps(2))
    spill.append(3)
    assert list(spill) == [1, 2, 3]
    assert spill.size == sum(len(pickle.dumps(v, protocol=5)) for v in (1, 3)) + len(
        pickle.dumps(2)
    )
    assert list(spill.drain()) == [1, 2, 3]


def test_a_drained_file_takes_nothing_more() -> None:
    spill = SpillFile()
    spill.append(1)
    list(spill.drain())
    with pytest.raises(ValueError) as info:
        spill.append(2)
    assert str(info.value) == "this spill file was drained or closed; start a new one."


def test_a_file_cut_short_is_an_error_that_says_where() -> None:
    spill = SpillFile()
    spill.append("x" * 100)
    spill._file.truncate(10)  # what a cleaned or full temporary folder leaves
    with pytest.raises(OutputError) as info:
        list(spill)
    assert str(info.value) == (
        f"the temporary file of the analysis lost data (10 of {spill.size} bytes at 0): "
        f"was the temporary folder ({tempfile.gettempdir()}) cleaned or full during the run?"
    )


def test_blocks_held_ahead_are_on_disk_not_in_memory() -> None:
    block = pd.DataFrame({"text": [f"第{i}条反馈：太贵了" * 4 for i in range(5_000)]})
    size = len(pickle.dumps(block))
    held = HeldBlocks()
    tracemalloc.start()
    try:
        for k in range(20):
            held.append(k, block)
        grown, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert size > 400_000
    assert grown < size  # twenty blocks held, less than one block's pickle in memory
    assert [p for p, _ in held] == list(range(20))


def _part(start: int, n: int) -> AnalysedChunk:
    docs = pd.DataFrame(
        {
            "doc_id": pd.array(
                [f"a:{i}" for i in range(start, start + n)], dtype="string[pyarrow]"
            ),
            "user_id": pd.array([f"u{i % 2}" for i in range(n)], dtype="string[pyarrow]"),
            "source": "service",
            "created_at": pd.NaT,
            "text": pd.array(["太贵了"] * n, dtype="string[pyarrow]"),
            "sentiment_score": np.linspace(-1, 0, n),
            "sentiment_label": "negative",
            "themes": "price",
            "churn_type": "active",
            "competitors": "",
        }
    )
    mentions = pd.DataFrame({"doc_id": docs["doc_id"], "theme_id": "price"})
    return AnalysedChunk(docs, mentions)


@pytest.mark.parametrize(
    "packed",
    [
        [False, False, False],  # one process: nothing goes to disk
        [True, True, True],  # from workers: all wait on disk
        [False, True, False],  # any mixture keeps the input order
        [True, False, True],
    ],
)
def test_packed_chunks_are_collected_as_the_tables_themselves(packed: list[bool]) -> None:
    parts = [_part(10 * k, 3 + k) for k in range(len(packed))]
    plain_progress: list[int] = []
    plain = collect(parts, plain_progress.append)
    sent = [PackedChunk.of(p) if pack else p for p, pack in zip(parts, packed, strict=True)]
    progress: list[int] = []
    got = collect(sent, progress.append)
    pd.testing.assert_frame_equal(got.docs, plain.docs)
    pd.testing.assert_frame_equal(got.mentions, plain.mentions)
    assert progress == plain_progress == [3, 4, 5]
    assert got.docs["doc_id"].tolist() == [
        f"a:{i}" for k in range(3) for i in range(10 * k, 10 * k + 3 + k)
    ]


class _FullDisk:
    """A file whose writes fail as on a full disk."""

    closed = False

    def seek(self, *args: object) -> int:
        return 0

    def write(self, data: bytes) -> int:
        raise OSError(28, "No space left on device")

    def close(self) -> None:
        self.closed = True


def test_a_full_temporary_folder_is_an_error_that_says_what_to_do(monkeypatch) -> None:
    spill = SpillFile()
    spill._file.close()
    monkeypatch.setattr(spill, "_file", _FullDisk())
    with pytest.raises(OutputError) as info:
        spill.append("x")
    assert str(info.value) == (
        f"the analysis could not write its temporary file in {tempfile.gettempdir()} "
        "(No space left on device); it needs about four times the inputs' size there. Free "
        "some space, or point TMPDIR at a folder with more room (TMPDIR=/data/tmp "
        "feedback-miner analyze ...)."
    )


def test_a_temporary_folder_that_cannot_be_written_is_the_same_error(monkeypatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "TemporaryFile", refuse)
    with pytest.raises(OutputError) as info:
        SpillFile()
    assert "(Permission denied); it needs about four times" in str(info.value)
