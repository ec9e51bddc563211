"""Previews of uploaded files, read in worker processes with a time and a memory limit.

A preview reads a file nobody has checked yet. It never runs in the server's
event loop: a slow file would stall every other request, and a hostile one (a
workbook that declares a sheet of 16,384 x 1,048,576 cells, say) would take the
whole server down with it. In a worker process with ``RLIMIT_AS`` and a time
limit, the worst such a file can do is fail its own preview.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from ..errors import FeedbackMinerError
from .messages import preview_crashed, preview_timed_out
from .workers import TimeLimitExceeded, WorkerDied, WorkerPool

__all__ = ["PreviewFailed", "PreviewSandbox", "describe_in_worker"]


class PreviewFailed(FeedbackMinerError, ValueError):
    """The preview of a file failed; the message says why and what to do."""


def describe_in_worker(path: str) -> dict[str, Any]:
    """:func:`~feedback_miner.web.preview.describe_upload`, as a worker process runs it."""
    from .preview import describe_upload

    return describe_upload(Path(path))


class PreviewSandbox:
    """Worker processes that read uploads for the page's preview.

    Parameters
    ----------
    workers : int
        Previews read at once; more wait their turn.
    seconds : float
        Time one preview may take once a worker has it; then its process is ended.
    memory_mb : float
        Address space of each worker process (imports take about 400 MB of it).
    """

    def __init__(self, *, workers: int = 2, seconds: float = 60.0, memory_mb: float = 2048.0):
        self.seconds = seconds
        self.memory_mb = memory_mb
        self._pool = WorkerPool(
            workers, memory_limit_mb=memory_mb, preload=(f"{__package__}.preview",), name="preview"
        )

    async def describe(self, path: Path) -> dict[str, Any]:
        """What the page shows about ``path`` (see ``describe_upload``).

        Raises
        ------
        FeedbackMinerError
            The file cannot be read (the reader's message), or its preview
            ran out of memory or time (:class:`PreviewFailed`).
        PoolStopped
            When the service is stopping.
        """
        task = self._pool.submit(describe_in_worker, str(path), time_limit=self.seconds)
        try:
            value: dict[str, Any] = await asyncio.wrap_future(task.future)
        except asyncio.CancelledError:  # the client went away: stop reading its file
            self._pool.cancel(task)
            raise
        except WorkerDied as died:
            raise PreviewFailed(preview_crashed(path.name, died, self.memory_mb)) from None
        except MemoryError:
            raise PreviewFailed(preview_crashed(path.name, None, self.memory_mb)) from None
        except TimeLimitExceeded:
            raise PreviewFailed(preview_timed_out(path.name, self.seconds)) from None
        return value

    def reading(self) -> int:
        """How many previews are being read now."""
        return self._pool.running()

    def worker_pids(self) -> list[int]:
        """Process ids of the preview workers alive now."""
        return self._pool.pids()

    def shutdown(self) -> None:
        """End the preview workers; previews still running fail with ``PoolStopped``."""
        self._pool.shutdown()
