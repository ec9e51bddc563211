"""The worker pool of the web service: a call that kills its process fails alone.

The calls below run in real spawned processes; they are module-level functions
so that the workers can import them.
"""

import os
import signal
import time

import pytest

from feedback_miner.errors import ColumnError
from feedback_miner.web.workers import PoolStopped, TimeLimitExceeded, WorkerDied, WorkerPool

WAIT = 120  # seconds a test waits for an answer before it fails (a spawn takes ~0.1 s)


def own_pid() -> int:
    return os.getpid()


def nap(seconds: float) -> float:
    time.sleep(seconds)
    return seconds


def kill_myself(signal_number: int) -> None:
    os.kill(os.getpid(), signal_number)
    time.sleep(60)


def allocate(megabytes: int) -> int:
    return len(bytearray(megabytes * 2**20))


def user_mistake() -> None:
    raise ColumnError("export.csv: no column named '评价'; the columns are 序号, 内容.")


def gone_in_unpickling() -> object:
    return lambda: None  # a lambda does not pickle


@pytest.fixture
def pool():
    pool = WorkerPool(2, memory_limit_mb=1024, name="test")
    yield pool
    pool.shutdown()


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_a_call_comes_back_with_its_value_or_its_error(pool: WorkerPool) -> None:
    assert pool.submit(nap, 0.01).future.result(WAIT) == 0.01
    with pytest.raises(ColumnError) as raised:
        pool.submit(user_mistake).future.result(WAIT)
    assert str(raised.value) == "export.csv: no column named '评价'; the columns are 序号, 内容."
    # an answer that does not pickle fails its call, with pickle's own words
    with pytest.raises(AttributeError, match=r"^Can't pickle local object 'gone_in_unpickling"):
        pool.submit(gone_in_unpickling).future.result(WAIT)
    assert pool.submit(nap, 0.02).future.result(WAIT) == 0.02


@pytest.mark.parametrize(
    ("signal_number", "name"),
    [(signal.SIGKILL, "SIGKILL"), (signal.SIGABRT, "SIGABRT"), (signal.SIGSEGV, "SIGSEGV")],
)
def test_a_process_that_dies_fails_only_its_call(
    pool: WorkerPool, signal_number: int, name: str
) -> None:
    other = pool.submit(nap, 1.0)
    doomed = pool.submit(kill_myself, signal_number)
    with pytest.raises(WorkerDied) as died:
        doomed.future.result(WAIT)
    assert died.value.exitcode == -signal_number and died.value.signal_name == name
    assert other.future.result(WAIT) == 1.0  # the call beside it finished
    # and the pool goes on, in a new process
    assert pool.submit(own_pid).future.result(WAIT) != doomed.pid
    assert not _alive(doomed.pid)


def test_a_killed_process_is_replaced_for_every_later_call(pool: WorkerPool) -> None:
    for _ in range(3):
        task = pool.submit(nap, 30)
        deadline = time.monotonic() + WAIT
        while task.pid is None and time.monotonic() < deadline:
            time.sleep(0.05)
        os.kill(task.pid, signal.SIGKILL)
        with pytest.raises(WorkerDied):
            task.future.result(WAIT)
    assert [pool.submit(nap, 0).future.result(WAIT) for _ in range(4)] == [0, 0, 0, 0]


def test_a_call_over_its_time_limit_is_stopped(pool: WorkerPool) -> None:
    started = time.monotonic()
    slow = pool.submit(nap, 60, time_limit=0.5)
    with pytest.raises(TimeLimitExceeded) as raised:
        slow.future.result(WAIT)
    assert raised.value.seconds == 0.5
    assert time.monotonic() - started < 30  # not the 60 s of the call
    assert not _alive(slow.pid)
    assert pool.submit(nap, 0.01, time_limit=30).future.result(WAIT) == 0.01


def test_the_memory_limit_fails_the_call_and_retires_its_process(pool: WorkerPool) -> None:
    first = pool.submit(own_pid).future.result(WAIT)
    with pytest.raises(MemoryError):
        pool.submit(allocate, 2048).future.result(WAIT)  # limit 1024 MB
    assert pool.submit(allocate, 100).future.result(WAIT) == 100 * 2**20
    assert not _alive(first)  # the process that ran out of memory is not reused


def test_shutdown_fails_what_runs_and_waits_and_ends_every_process() -> None:
    pool = WorkerPool(1, name="test")
    running = pool.submit(nap, 60)
    waiting = pool.submit(nap, 0)
    deadline = time.monotonic() + WAIT
    while running.pid is None and time.monotonic() < deadline:
        time.sleep(0.05)
    pids = pool.pids()
    pool.shutdown()
    for task in (running, waiting):
        with pytest.raises(PoolStopped, match=r"^the service was stopped$"):
            task.future.result(0)
    assert pids and not any(_alive(pid) for pid in pids)
    with pytest.raises(PoolStopped):
        pool.submit(nap, 0)


def test_cancel_drops_a_waiting_call_and_stops_a_running_one() -> None:
    pool = WorkerPool(1, name="test")
    try:
        running = pool.submit(nap, 60)
        waiting = pool.submit(nap, 0)
        deadline = time.monotonic() + WAIT
        while running.pid is None and time.monotonic() < deadline:
            time.sleep(0.05)
        pool.cancel(waiting)
        with pytest.raises(PoolStopped, match=r"^the call was cancelled$"):
            waiting.future.result(0)
        pool.cancel(running)
        with pytest.raises(WorkerDied):
            running.future.result(WAIT)
        assert pool.submit(nap, 0).future.result(WAIT) == 0
    finally:
        pool.shutdown()


def test_a_process_that_cannot_start_fails_the_call_instead_of_restarting_for_ever() -> None:
    pool = WorkerPool(1, preload=("feedback_miner.no_such_module",), name="test")
    try:
        for _ in range(2):
            with pytest.raises(WorkerDied) as died:
                pool.submit(nap, 0).future.result(WAIT)
            assert died.value.exitcode == 1
    finally:
        pool.shutdown()
