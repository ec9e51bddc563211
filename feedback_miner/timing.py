"""Seconds per phase of a run, for ``analyze --timings`` and ``AnalysisResult.timings``."""

from __future__ import annotations

import time

__all__ = ["Stopwatch", "timings_table"]


class Stopwatch:
    """Wall seconds per phase, each phase timed from the end of the one before.

    Parameters
    ----------
    timings : dict
        Where the seconds go (phase name -> seconds); a phase timed twice adds up.

    Examples
    --------
    >>> timings: dict[str, float] = {}
    >>> watch = Stopwatch(timings)
    >>> watch.lap("read")
    >>> list(timings)
    ['read']
    """

    def __init__(self, timings: dict[str, float]) -> None:
        self.timings = timings
        self._last = time.perf_counter()

    def lap(self, phase: str) -> None:
        """Count the seconds since the last lap (or the start) as ``phase``."""
        now = time.perf_counter()
        self.timings[phase] = self.timings.get(phase, 0.0) + now - self._last
        self._last = now


def timings_table(timings: dict[str, float]) -> list[str]:
    """Lines of a phase table: seconds and share of the total, then the total.

    Examples
    --------
    >>> print("\\n".join(timings_table({"read": 1.0, "text stages": 3.0})))
    phase        seconds  share
    read             1.0    25%
    text stages      3.0    75%
    total            4.0   100%
    """
    total = sum(timings.values())
    width = max([len("phase"), len("total"), *(len(name) for name in timings)]) + 2
    lines = [f"{'phase':<{width}}{'seconds':>7}  share"]
    for name, seconds in [*timings.items(), ("total", total)]:
        share = seconds / total if total else 0.0
        lines.append(f"{name:<{width}}{seconds:>7.1f}  {share:>5.0%}")
    return lines
