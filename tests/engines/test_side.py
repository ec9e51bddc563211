"""The side process: calls run beside the analysis, their errors and a lost process come back."""

from __future__ import annotations

import multiprocessing
import os
import signal

import pytest

from feedback_miner.engines.side import SideProcess
from feedback_miner.errors import WorkerError


def _children() -> set[int]:
    return {p.pid for p in multiprocessing.active_children() if p.pid is not None}


def _fail(message: str) -> None:
    raise ValueError(message)


def _die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def test_a_call_runs_in_another_process_and_its_result_comes_back() -> None:
    before = _children()
    with SideProcess() as side:
        assert len(_children() - before) == 1  # started when made, not at the first call
        pid = side.result(side.submit(os.getpid))
        assert pid != os.getpid() and pid in _children()
        assert side.result(side.submit(sorted, [3, 1, 2])) == [1, 2, 3]
    assert _children() - before == set()


def test_an_error_raised_in_a_call_is_raised_by_result() -> None:
    with SideProcess() as side:
        pending = side.submit(_fail, "没有评分列")
        with pytest.raises(ValueError, match="没有评分列"):
            side.result(pending)


def test_a_killed_side_process_ends_the_call_with_a_message() -> None:
    before = _children()
    with SideProcess() as side:
        pending = side.submit(_die)
        with pytest.raises(WorkerError) as info:
            side.result(pending)
    assert str(info.value) == (
        "a worker process ended before finishing its part of the analysis; this usually "
        "means the machine ran out of memory. Try 1) fewer worker processes (--jobs 1), "
        "2) splitting the input into smaller files."
    )
    assert _children() - before == set()
