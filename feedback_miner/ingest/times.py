"""Reading date and time columns the same way everywhere (inputs and label files)."""

from __future__ import annotations

import pandas as pd

__all__ = ["parse_times"]


def parse_times(values: pd.Series) -> pd.Series:
    """Timestamps of ``values``; NaT where a value is not a date.

    Times with a time zone are converted to UTC and the zone dropped, so that
    they compare with the naive times of other files (a ``+08:00`` export and
    a label file without zones meet on one clock).

    Examples
    --------
    >>> parse_times(pd.Series(["2026-01-02 08:00+08:00", "2026-01-02", "坏"])).tolist()
    [Timestamp('2026-01-02 00:00:00'), Timestamp('2026-01-02 00:00:00'), NaT]
    """
    parsed = pd.to_datetime(values, errors="coerce", format="mixed", utc=True)
    return parsed.dt.tz_convert(None)
