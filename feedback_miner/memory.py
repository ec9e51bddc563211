"""Handing memory that large tables freed back to the operating system.

An analysis of a million documents passes through temporary tables of
hundreds of megabytes. Once they are freed, glibc's ``malloc`` keeps the
freed chunks inside its heaps for reuse, and Arrow's allocator keeps freed
pages in its pool: the process's resident memory stays at its highest point
although the memory is free, and the next phase adds to it. The analysis
calls :func:`release_freed_memory` after its phases with large temporaries,
so that each phase starts from what is really held. Results never depend on
it; where there is no glibc (macOS, Windows, musl) only Arrow's pool is asked.
"""

from __future__ import annotations

import ctypes
import sys

import pyarrow as pa

__all__ = ["release_freed_memory"]


def release_freed_memory() -> bool:
    """Return the free memory of Arrow's pool and of glibc's heaps to the operating system.

    Returns
    -------
    bool
        Whether glibc's ``malloc_trim`` released any memory (always ``False``
        without glibc).
    """
    pa.default_memory_pool().release_unused()
    return _trim_malloc()


def _trim_malloc() -> bool:
    """``malloc_trim(0)`` of glibc: free pages of every heap go back, not only the top."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        trim = ctypes.CDLL(None).malloc_trim  # the C library the process already runs on
    except (OSError, AttributeError):  # a C library without it (musl)
        return False
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return bool(trim(0))
