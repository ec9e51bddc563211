"""Worker processes of the web service that outlive the work they run.

A :class:`WorkerPool` runs calls in up to ``size`` long-lived processes started
with ``spawn``. Unlike :class:`concurrent.futures.ProcessPoolExecutor`, whose
every later call fails with ``BrokenProcessPool`` once one process died, a
process that dies here (killed, out of memory, a crash inside a C or Rust
reader) fails only the call it was running; the pool starts a new process for
the next call. A call may have a time limit (its process is ended when it runs
over) and the processes may have an address-space limit (``RLIMIT_AS``), so that
a hostile file fails its own call and leaves the server and the other calls be.

One supervisor thread owns the processes and their pipes: it hands queued calls
to idle processes, collects answers, and notices deaths and overruns.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import multiprocessing
import os
import pickle
import signal
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, InvalidStateError
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from typing import Any

from ..errors import FeedbackMinerError

__all__ = ["PoolStopped", "Task", "TimeLimitExceeded", "WorkerDied", "WorkerPool"]

logger = logging.getLogger(__name__)

# seconds a process may take to stop after it was asked to, before it is killed
_STOP_SECONDS = 5.0


class WorkerDied(RuntimeError):
    """The process running a call ended before it answered (killed, out of memory, crashed).

    Attributes
    ----------
    exitcode : int or None
        The process's exit code; minus the signal number when a signal ended it.
    starting : bool
        It ended while it was starting (importing), before it took the call:
        the fault is in the installation or the machine, not in the call.
    """

    def __init__(self, exitcode: int | None, *, starting: bool = False) -> None:
        when = "while starting" if starting else "before it answered"
        super().__init__(f"the worker process ended {when}, with exit code {exitcode}")
        self.exitcode = exitcode
        self.starting = starting

    @property
    def signal_name(self) -> str | None:
        """``SIGKILL``, ``SIGABRT`` ... when a signal ended the process, else None."""
        if self.exitcode is None or self.exitcode >= 0:
            return None
        try:
            return signal.Signals(-self.exitcode).name
        except ValueError:
            return f"signal {-self.exitcode}"


class TimeLimitExceeded(RuntimeError):
    """A call ran longer than its time limit; its process was ended."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"the call ran longer than {seconds:g} s")
        self.seconds = seconds


class PoolStopped(RuntimeError):
    """The pool was shut down before the call finished."""


@dataclass(eq=False)
class Task:
    """One call submitted to a :class:`WorkerPool`.

    Attributes
    ----------
    future : concurrent.futures.Future
        The call's value, or the exception it raised, or :class:`WorkerDied`,
        :class:`TimeLimitExceeded`, :class:`PoolStopped`.
    pid : int or None
        The process running the call once it started; None while it waits.
    """

    function: Callable[..., Any]
    args: tuple[Any, ...]
    time_limit: float | None
    future: Future[Any] = field(default_factory=Future)
    pid: int | None = None
    deadline: float | None = None


@dataclass(eq=False)
class _Worker:
    process: BaseProcess
    connection: Connection
    ready: bool = False
    retiring: bool = False
    task: Task | None = None


class WorkerPool:
    """Up to ``size`` worker processes that survive the calls they run.

    Parameters
    ----------
    size : int
        Calls that run at once; later calls wait in order.
    memory_limit_mb : float, optional
        Address space each process may use (``RLIMIT_AS``, POSIX only). A call
        that needs more fails with ``MemoryError`` or ends its process.
    preload : tuple of str
        Modules each process imports before it takes calls, so that a call's
        time limit does not pay for the imports.
    name : str
        Names the processes in the process list and the log.

    Notes
    -----
    Futures are resolved outside the pool's lock, so their callbacks may call
    the pool again.
    """

    def __init__(
        self,
        size: int,
        *,
        memory_limit_mb: float | None = None,
        preload: tuple[str, ...] = (),
        name: str = "worker",
    ) -> None:
        if size < 1:
            raise ValueError(f"a worker pool needs 1 or more processes, not {size}")
        self.size = size
        self.memory_limit_mb = memory_limit_mb
        self.preload = preload
        self.name = name
        self._context = multiprocessing.get_context("spawn")
        self._lock = threading.Lock()
        self._queue: deque[Task] = deque()
        self._workers: list[_Worker] = []
        self._outcomes: list[tuple[Task, bool, Any]] = []
        self._stopping = False
        self._wake_reader, self._wake_writer = self._context.Pipe(duplex=False)
        self._thread: threading.Thread | None = None

    def submit(
        self, function: Callable[..., Any], *args: Any, time_limit: float | None = None
    ) -> Task:
        """Queue ``function(*args)``; ``function`` and ``args`` must pickle.

        Raises
        ------
        PoolStopped
            When the pool was shut down.
        """
        task = Task(function, args, time_limit)
        with self._lock:
            if self._stopping:
                raise PoolStopped("the pool was shut down")
            self._queue.append(task)
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._supervise, name=f"{self.name}-supervisor", daemon=True
                )
                self._thread.start()
            self._wake()
        return task

    def cancel(self, task: Task) -> None:
        """Drop ``task`` if it waits, or end the process running it."""
        with self._lock:
            if self._stopping:
                return
            if task in self._queue:
                self._queue.remove(task)
                self._outcomes.append((task, False, PoolStopped("the call was cancelled")))
            for worker in self._workers:
                if worker.task is task:
                    worker.process.kill()  # the supervisor reports the death
            self._wake()
        self._resolve()

    def running(self) -> int:
        """How many calls run in a process now."""
        with self._lock:
            return sum(1 for w in self._workers if w.task is not None)

    def pids(self) -> list[int]:
        """Process ids of the pool's processes."""
        with self._lock:
            return [w.process.pid for w in self._workers if w.process.pid is not None]

    def shutdown(self) -> None:
        """Fail what waits or runs with :class:`PoolStopped` and end every process."""
        with self._lock:
            if self._stopping:
                return
            self._stopping = True
            self._wake()
            thread = self._thread
        if thread is not None:
            thread.join()
        with self._lock:
            waiting, self._queue = list(self._queue), deque()
            workers, self._workers = self._workers, []
            stopped = PoolStopped("the service was stopped")
            self._outcomes += [(task, False, stopped) for task in waiting]
            self._outcomes += [(w.task, False, stopped) for w in workers if w.task is not None]
        self._resolve()
        for worker in workers:
            if worker.task is None and worker.ready and not worker.retiring:
                with contextlib.suppress(OSError):  # it died meanwhile: nothing to tell it
                    worker.connection.send(None)
            else:
                worker.process.terminate()
        deadline = time.monotonic() + _STOP_SECONDS
        for worker in workers:
            worker.process.join(max(deadline - time.monotonic(), 0.0))
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()
            worker.connection.close()
        self._wake_reader.close()
        self._wake_writer.close()

    # --- the supervisor thread -------------------------------------------------------------

    def _wake(self) -> None:
        self._wake_writer.send_bytes(b"!")

    def _resolve(self) -> None:
        """Settle the futures of finished calls (outside the lock: callbacks run here)."""
        with self._lock:
            outcomes, self._outcomes = self._outcomes, []
        for task, ok, value in outcomes:
            try:
                if ok:
                    task.future.set_result(value)
                else:
                    task.future.set_exception(value)
            except InvalidStateError:
                pass  # the caller cancelled the future meanwhile

    def _supervise(self) -> None:
        try:
            self._supervise_until_stopped()
        except Exception as error:  # a bug here must not leave callers waiting for ever
            logger.exception("%s: the supervisor stopped", self.name)
            with self._lock:
                failed = list(self._queue) + [w.task for w in self._workers if w.task]
                self._queue.clear()
                for worker in self._workers:
                    worker.task = None
                self._outcomes += [(task, False, error) for task in failed]
                self._thread = None  # the next call starts a new supervisor
            self._resolve()

    def _supervise_until_stopped(self) -> None:
        while True:
            with self._lock:
                if self._stopping:
                    return
                self._dispatch()
                waitables: list[Any] = [self._wake_reader]
                for worker in self._workers:
                    waitables += [worker.connection, worker.process.sentinel]
                timeout = self._next_deadline()
            self._resolve()
            wait(waitables, timeout)
            with self._lock:
                if self._stopping:
                    return
                while self._wake_reader.poll():
                    self._wake_reader.recv_bytes()
                for worker in list(self._workers):
                    self._collect(worker)
                self._enforce_deadlines()
            self._resolve()

    def _dispatch(self) -> None:
        """Start processes for waiting calls and hand calls to idle processes."""
        while self._queue and self._queue[0].future.cancelled():
            self._queue.popleft()
        running = sum(1 for w in self._workers if w.task is not None)
        while len(self._workers) < min(self.size, running + len(self._queue)):
            try:
                self._workers.append(self._start_worker())
            except OSError as error:  # no process can be started now (memory, process limit)
                logger.error("%s: cannot start a worker process: %s", self.name, error)
                if not self._workers:
                    self._outcomes.append((self._queue.popleft(), False, error))
                break
        for worker in self._workers:
            if not worker.ready or worker.retiring or worker.task is not None:
                continue
            while self._queue and self._queue[0].future.cancelled():
                self._queue.popleft()
            if not self._queue:
                return
            task = self._queue[0]
            try:
                worker.connection.send((task.function, task.args))
            except OSError:  # the process just died: the supervisor notices; the call waits
                continue
            except Exception as error:  # a call that does not pickle
                self._queue.popleft()
                self._outcomes.append((task, False, error))
                continue
            self._queue.popleft()
            worker.task = task
            task.pid = worker.process.pid
            if task.time_limit is not None:
                task.deadline = time.monotonic() + task.time_limit

    def _start_worker(self) -> _Worker:
        parent, child = self._context.Pipe()
        limit = int(self.memory_limit_mb * 2**20) if self.memory_limit_mb else None
        process = self._context.Process(
            target=_worker_main,
            args=(child, limit, self.preload),
            name=f"feedback-miner-{self.name}",
            daemon=True,
        )
        process.start()
        child.close()
        logger.info("%s: started process %s", self.name, process.pid)
        return _Worker(process, parent)

    def _next_deadline(self) -> float | None:
        deadlines = [
            w.task.deadline for w in self._workers if w.task and w.task.deadline is not None
        ]
        return max(min(deadlines) - time.monotonic(), 0.0) if deadlines else None

    def _collect(self, worker: _Worker) -> None:
        """Read what ``worker`` said; notice when it died."""
        try:
            while worker.connection.poll():
                kind, value, retiring = worker.connection.recv()
                if retiring:  # it ends after this answer: no further call for it
                    worker.retiring = True
                if kind == "ready":
                    worker.ready = True
                elif worker.task is not None:
                    self._outcomes.append((worker.task, kind == "done", value))
                    worker.task = None
        except (EOFError, OSError):
            pass  # the process is gone: is_alive says so below
        except Exception as error:  # an answer that does not unpickle fails only its call
            if worker.task is not None:
                failure = RuntimeError(f"the worker's answer cannot be read: {error}")
                self._outcomes.append((worker.task, False, failure))
                worker.task = None
        if worker.process.is_alive():
            return
        worker.process.join()
        self._workers.remove(worker)
        worker.connection.close()
        died = WorkerDied(worker.process.exitcode, starting=not worker.ready)
        logger.warning("%s: process %s: %s", self.name, worker.process.pid, died)
        if worker.task is not None:
            self._outcomes.append((worker.task, False, died))
        elif not worker.ready and self._queue:
            # it died while starting: fail the next call, or a broken setup would restart forever
            self._outcomes.append((self._queue.popleft(), False, died))

    def _enforce_deadlines(self) -> None:
        now = time.monotonic()
        for worker in list(self._workers):
            task = worker.task
            if task is None or task.deadline is None or now < task.deadline:
                continue
            worker.process.kill()
            worker.process.join()
            self._workers.remove(worker)
            worker.connection.close()
            logger.warning("%s: process %s ran over its time limit", self.name, task.pid)
            self._outcomes.append((task, False, TimeLimitExceeded(task.time_limit or 0.0)))


def _worker_main(
    connection: Connection, memory_limit_bytes: int | None, preload: tuple[str, ...]
) -> None:
    """A worker process: limit itself, import, then run calls until told to stop."""
    # Ctrl+C reaches every process of the terminal's group: the server ends its workers itself
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if memory_limit_bytes is not None:
        _limit_address_space(memory_limit_bytes)
    for module in preload:
        importlib.import_module(module)
    connection.send(("ready", os.getpid(), False))
    while True:
        try:
            message = connection.recv_bytes()
        except EOFError:  # the server is gone
            return
        function: Any = None
        try:
            call = pickle.loads(message)
            if call is None:
                return
            function, args = call
            value = function(*args)
        except BaseException as error:  # any failure of the call goes back to the caller
            if not isinstance(error, FeedbackMinerError):  # a user's mistake is no news for the log
                logger.error("%s failed", getattr(function, "__name__", "a call"), exc_info=True)
            # a process that ran out of memory is not trusted with the next call
            retiring = isinstance(error, MemoryError)
            _send_error(connection, error, retiring)
            if retiring:
                return
        else:
            try:
                connection.send(("done", value, False))
            except Exception as error:  # an answer that does not pickle
                _send_error(connection, error, False)


def _send_error(connection: Connection, error: BaseException, retiring: bool) -> None:
    try:
        connection.send(("error", error, retiring))
    except Exception:  # an exception that does not pickle: its type and text still go
        connection.send(("error", RuntimeError(f"{type(error).__name__}: {error}"), retiring))


def _limit_address_space(limit: int) -> None:
    try:
        import resource
    except ImportError:  # Windows: no limit, the time limit still holds
        logger.warning("no memory limit for worker processes on this system")
        return
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
