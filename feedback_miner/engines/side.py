"""A process for work an analysis can do beside its own, such as fitting the
sentiment adaptation while the corpus models are fitted.

Like the local engine's workers, it is forked when it is made, at the start of
an analysis, from a process that holds only its imports: the records read
later are never copied into it, only what a call is given. A call's result
comes back through :meth:`SideProcess.result`; an error raised in the call is
raised there.
"""

from __future__ import annotations

import signal
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

from .local import lost_worker, start_method

__all__ = ["SideProcess"]

R = TypeVar("R")


class SideProcess:
    """One process that runs the calls it is given, one at a time.

    Examples
    --------
    >>> with SideProcess() as side:
    ...     pending = side.submit(sum, [1, 2, 3])
    ...     side.result(pending)
    6
    """

    def __init__(self) -> None:
        self._executor = ProcessPoolExecutor(
            1, mp_context=start_method(), initializer=_ignore_interrupt
        )
        # the process starts with the first call: make it now, while this process is small
        self.result(self._executor.submit(int))

    def __enter__(self) -> SideProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def submit(self, function: Callable[..., R], *args: object) -> Future[R]:
        """Start ``function(*args)`` in the side process."""
        return self._executor.submit(function, *args)

    def result(self, pending: Future[R]) -> R:
        """Wait for a call's result.

        Raises
        ------
        WorkerError
            When the process ended before it finished (killed, or out of memory).
        """
        try:
            return pending.result()
        except BrokenProcessPool:
            raise lost_worker("ended") from None

    def close(self) -> None:
        """End the process, dropping calls not started."""
        self._executor.shutdown(wait=True, cancel_futures=True)


def _ignore_interrupt() -> None:
    # Ctrl+C reaches every process of the group: the main process handles it
    signal.signal(signal.SIGINT, signal.SIG_IGN)
