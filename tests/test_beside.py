"""A function run in a forked process beside this one (beside.py)."""

from __future__ import annotations

import os
import signal
import sys
import time

import numpy as np
import pytest

from feedback_miner.beside import Beside
from feedback_miner.errors import FeedbackMinerError, WorkerError

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="processes fork on Linux only"
)


def _table(n: int, *, scale: float = 1.0) -> dict[str, object]:
    rng = np.random.default_rng(n)
    return {"values": rng.normal(size=n) * scale, "pid": os.getpid(), "words": ["网速", "太慢"]}


def _fails() -> None:
    raise FeedbackMinerError("没有足够的文本: 3 texts, 20 needed.")


def _killed() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def _unsendable() -> object:
    return lambda: None


def _slow() -> None:
    time.sleep(60)


@pytest.mark.parametrize("fork", [True, False])
def test_the_result_is_the_functions_result(fork: bool) -> None:
    with Beside(_table, 50, scale=2.0, fork=fork) as beside:
        got = beside.result()
    expected = _table(50, scale=2.0)
    np.testing.assert_array_equal(got["values"], expected["values"])
    assert got["words"] == ["网速", "太慢"]
    # forked: computed in another process; not forked: here, when the result is asked for
    assert (got["pid"] != os.getpid()) is fork


def test_the_result_is_taken_once_and_kept() -> None:
    beside = Beside(_table, 5)
    first = beside.result()
    assert beside.result() is first
    beside.close()  # after the result: nothing to end
    assert beside.result() is first


@pytest.mark.parametrize("fork", [True, False])
def test_an_error_in_the_function_is_raised_by_result(fork: bool) -> None:
    with Beside(_fails, fork=fork) as beside, pytest.raises(FeedbackMinerError) as caught:
        beside.result()
    assert str(caught.value) == "没有足够的文本: 3 texts, 20 needed."


def test_a_killed_process_is_a_worker_error_that_says_what_to_do() -> None:
    with Beside(_killed) as beside, pytest.raises(WorkerError) as caught:
        beside.result()
    assert str(caught.value) == (
        "a worker process was killed by signal 9 before finishing its part of the analysis "
        "(exit code -9); this usually means the machine ran out of memory. Try 1) fewer worker "
        "processes (--jobs 1), 2) splitting the input into smaller files."
    )


def test_a_result_that_cannot_be_pickled_is_an_error_that_says_so() -> None:
    with (
        Beside(_unsendable) as beside,
        pytest.raises(RuntimeError, match=r"^the result could not be sent: "),
    ):
        beside.result()


def test_close_ends_a_process_still_at_work() -> None:
    started = time.monotonic()
    beside = Beside(_slow)
    process = beside._process
    assert process is not None and process.is_alive()
    beside.close()
    assert not process.is_alive()
    assert time.monotonic() - started < 30
    beside.close()  # again: nothing to do


def test_leaving_the_block_on_an_error_ends_the_process() -> None:
    with pytest.raises(KeyError), Beside(_slow) as beside:
        process = beside._process
        raise KeyError("attribution failed")
    assert process is not None and not process.is_alive()


def _frozen_here() -> int:
    import gc

    return gc.get_freeze_count()


def test_the_child_leaves_what_it_inherited_out_of_its_collections_and_the_parent_as_it_was() -> (
    None
):
    import gc

    before = gc.get_freeze_count()
    with Beside(_frozen_here) as beside:
        assert beside.result() > before  # the child froze what it inherited
    assert gc.get_freeze_count() == before  # this process's collector is untouched
