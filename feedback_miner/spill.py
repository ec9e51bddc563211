"""Tables that wait on disk, not in memory, until the analysis needs them again.

At a million documents the records read ahead for the sentiment adaptation
and the tables the workers send back are each several hundred megabytes.
Held in the main process while the workers run, they add to the workers'
own memory: the peak of the analysis. A :class:`SpillFile` keeps them
pickled in an unnamed temporary file instead (in the system's temporary
folder, ``TMPDIR``; the file has no name and is gone when it is closed or
the process ends) and gives them back, exactly, in the order written.
"""

from __future__ import annotations

import os
import pickle
import tempfile
from collections.abc import Iterator
from typing import Any

from .errors import OutputError

__all__ = ["SpillFile"]


class SpillFile:
    """Pickled objects in an unnamed temporary file, read back in the order written.

    Raises
    ------
    OutputError
        When the temporary file cannot be made or written (the folder is full or
        missing), or comes back shorter than it was written.

    Examples
    --------
    >>> spill = SpillFile()
    >>> spill.append({"a": 1})
    >>> spill.append_pickled(pickle.dumps([2, 3]))
    >>> len(spill), spill.size
    (2, 41)
    >>> list(spill)
    [{'a': 1}, [2, 3]]
    >>> list(spill.drain()), len(spill), spill.closed
    ([{'a': 1}, [2, 3]], 0, True)
    """

    def __init__(self) -> None:
        # open as long as the object lives: it has no name, and the file object closes
        # itself (freeing the disk space) when it is dropped, even after an error
        try:
            self._file = tempfile.TemporaryFile(prefix="feedback-miner-")  # noqa: SIM115
        except OSError as error:
            raise _unwritable(error) from None
        self._spans: list[tuple[int, int]] = []  # (offset, length) of each object, in order
        self.size = 0  # bytes written

    def append(self, value: Any) -> None:
        """Pickle ``value`` to the file."""
        self.append_pickled(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))

    def append_pickled(self, data: bytes) -> None:
        """Write an object already pickled (by another process, say) to the file."""
        if self.closed:
            raise ValueError("this spill file was drained or closed; start a new one.")
        try:
            self._file.seek(0, os.SEEK_END)  # after a read
            self._file.write(data)
        except OSError as error:
            raise _unwritable(error) from None
        self._spans.append((self.size, len(data)))
        self.size += len(data)

    def __len__(self) -> int:
        return len(self._spans)

    @property
    def closed(self) -> bool:
        """Whether the file is closed (drained, or :meth:`close` called)."""
        return self._file.closed

    def __iter__(self) -> Iterator[Any]:
        """Every object written, in order; they stay in the file."""
        for offset, length in list(self._spans):
            yield self._read(offset, length)

    def drain(self) -> Iterator[Any]:
        """Every object written, in order, each dropped as it is handed on; the file is
        closed (and its disk space freed) after the last."""
        self._spans.reverse()
        while self._spans:
            offset, length = self._spans.pop()
            yield self._read(offset, length)
        self.close()

    def close(self) -> None:
        """Delete the file; what was not read is gone."""
        self._spans.clear()
        self._file.close()

    def _read(self, offset: int, length: int) -> Any:
        self._file.seek(offset)
        data = self._file.read(length)
        if len(data) != length:
            raise OutputError(
                f"the temporary file of the analysis lost data ({len(data)} of {length} bytes "
                f"at {offset}): was the temporary folder ({tempfile.gettempdir()}) cleaned "
                "or full during the run?"
            )
        return pickle.loads(data)


def _unwritable(error: OSError) -> OutputError:
    """The error for a temporary file that cannot be made or written (no space, no folder)."""
    return OutputError(
        f"the analysis could not write its temporary file in {tempfile.gettempdir()} "
        f"({error.strerror or error}); it needs about four times the inputs' size there. Free "
        "some space, or point TMPDIR at a folder with more room (TMPDIR=/data/tmp "
        "feedback-miner analyze ...)."
    )
