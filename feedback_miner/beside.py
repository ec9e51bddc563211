"""One function run in a process of its own beside this one, its result taken when wanted.

The analysis's tail is serial: emerging themes (scoring the uncovered texts'
clauses, then topic models) take as long as every other summary together, and
need nothing those compute. :class:`Beside` starts such a function in a forked
process, so that this process goes on with attribution and the other summaries
meanwhile; :meth:`Beside.result` waits for it. Discovery's search for the
number of topics shares its candidates the same way. The errors of processes
that work for an analysis (:func:`lost_worker`, :func:`sendable`) are worded
here for the local engine's workers too. Where ``fork`` is not the way
processes start (macOS, Windows) the function runs in this process when its
result is wanted, with the same result.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import pickle
import signal
import sys
import time
from collections.abc import Callable
from contextlib import suppress
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any, Generic, TypeVar

from .errors import WorkerError

__all__ = ["Beside", "lost_worker", "sendable"]

logger = logging.getLogger(__name__)

Value = TypeVar("Value")

_JOIN_SECONDS = 10.0


class Beside(Generic[Value]):
    """``function(*args, **kwargs)`` started in a forked process at once.

    The process inherits this one's memory as it is (nothing is pickled on
    the way there); only the result comes back, pickled. Use it as a context
    manager, or call :meth:`close`, so that a run that fails before it takes
    the result does not leave the process behind.

    Parameters
    ----------
    function : callable
        What to run; it must not depend on anything this process changes later.
    *args, **kwargs
        Its arguments.
    fork : bool, optional
        Start a process (default: on Linux, where processes fork); with
        ``False`` the function runs in :meth:`result`.

    Examples
    --------
    >>> with Beside(sum, [1, 2, 3]) as beside:
    ...     beside.result()
    6
    """

    def __init__(
        self,
        function: Callable[..., Value],
        *args: object,
        fork: bool | None = None,
        **kwargs: object,
    ) -> None:
        self._function = function
        self._args = args
        self._kwargs = kwargs
        self._taken = False
        self._value: Value | None = None
        self._process: BaseProcess | None = None
        self._reader: Connection | None = None
        if fork is None:
            fork = sys.platform.startswith("linux")
        if fork:
            context = multiprocessing.get_context("fork")
            reader, writer = context.Pipe(duplex=False)
            # not a daemon: a daemon may not start processes of its own, and this one is
            # always reaped (result, close, or the end of a with block)
            process = context.Process(target=_run, args=(writer, function, args, kwargs))
            process.start()
            logger.debug("%s runs beside, in process %s", _name(function), process.pid)
            writer.close()  # the child holds its own end: end of file here when it ends
            self._process, self._reader = process, reader

    def __enter__(self) -> Beside[Value]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def result(self) -> Value:
        """The function's result, waiting for the process if it is still at work; an error
        raised in the function is raised here. Later calls give the same result.

        Raises
        ------
        WorkerError
            When the process ended before answering (killed, or out of memory).
        """
        if self._taken:
            return self._value  # type: ignore[return-value]
        if self._reader is None:
            value = self._function(*self._args, **self._kwargs)
        else:
            try:
                done, value = self._reader.recv()
            except EOFError:
                raise lost_worker(self._stop()) from None
            self._stop(ended=True)
            if not done:
                raise value
        self._value, self._taken = value, True
        self._function, self._args, self._kwargs = _nothing, (), {}
        return value

    def close(self) -> None:
        """End the process if it is still at work (its result is not wanted); closing
        again, or after :meth:`result`, does nothing."""
        if self._process is not None:
            self._stop()

    def _stop(self, *, ended: bool = False) -> int | None:
        """Reap the process, ending it first unless it ``ended`` its work (it is then
        leaving); its exit code."""
        process, self._process = self._process, None
        if self._reader is not None:
            self._reader.close()
            self._reader = None
        if process is None:
            return None
        if ended:
            process.join(_JOIN_SECONDS)
        if process.is_alive():
            process.terminate()
            process.join(_JOIN_SECONDS)
        return process.exitcode


def _name(function: Callable[..., Any]) -> str:
    return getattr(function, "__qualname__", type(function).__name__)


def _nothing() -> Any:
    """What a :class:`Beside` keeps once its result is taken (the arguments are let go)."""
    return None


def _run(
    writer: Connection, function: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]
) -> None:
    """The process's work: the result, or the error, sent back once."""
    # Ctrl+C reaches every process of the group: the main process handles it and ends this one
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # the collector writes to every object it looks at, and each write copies a page this
    # process shares with its parent: what it inherited is left out of its collections (the
    # parent's own collector is left as it is)
    gc.freeze()
    started = time.perf_counter()
    try:
        message: tuple[bool, Any] = (True, function(*args, **kwargs))
    except Exception as error:
        message = (False, sendable(error))
    logger.debug("%s took %.2f s beside", _name(function), time.perf_counter() - started)
    try:
        writer.send(message)
    except BrokenPipeError:
        pass  # the parent has gone or no longer wants the result
    except Exception as error:  # a result that cannot be pickled
        with suppress(BrokenPipeError):
            writer.send((False, sendable(RuntimeError(f"the result could not be sent: {error}"))))
    writer.close()


def lost_worker(code: int | None) -> WorkerError:
    """The error for a worker process that ended, with exit code ``code`` (negative: the
    signal that killed it), before finishing its part of the analysis."""
    how = f"was killed by signal {-code}" if code is not None and code < 0 else "ended"
    detail = f" (exit code {code})"
    return WorkerError(
        f"a worker process {how} before finishing its part of the analysis{detail}; this usually "
        "means the machine ran out of memory. Try 1) fewer worker processes (--jobs 1), "
        "2) splitting the input into smaller files."
    )


def sendable(error: Exception) -> Exception:
    """``error`` itself when it can travel to the main process, else a RuntimeError that names it."""
    try:
        pickle.loads(pickle.dumps(error))
    except Exception:
        return RuntimeError(f"{type(error).__name__}: {error}")
    return error
