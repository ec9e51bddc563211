"""Reading activity logs (orders, logins, plays): who was active when, and for how much.

Columns are found by name when not given (the user id as for feedback
exports; the time among the usual event and order time names; an amount
among the usual money names); times are read on one clock and kept at day
precision.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import ColumnError, InputFileError
from ..ingest.columns import TIME_NAMES, USER_ID_NAMES, canonical_name, column_by_name, find_column
from ..ingest.raw import require_every_row
from ..ingest.readers import read_raw_table
from ..ingest.times import parse_times

__all__ = ["AMOUNT_NAMES", "EVENT_TIME_NAMES", "Events", "read_events"]

EVENT_TIME_NAMES = (
    "event_time",
    "order_time",
    "order_date",
    "paid_at",
    "login_time",
    "下单时间",
    "下单日期",
    "支付时间",
    "付款时间",
    "订单时间",
    "登录时间",
    "活跃时间",
    "活跃日期",
    "播放时间",
    "消费时间",
    "交易时间",
    "交易日期",
    *TIME_NAMES,
)
AMOUNT_NAMES = (
    "amount",
    "order_amount",
    "paid_amount",
    "revenue",
    "gmv",
    "price",
    "金额",
    "订单金额",
    "实付金额",
    "支付金额",
    "付款金额",
    "消费金额",
    "交易金额",
    "实付",
)
_MAX_BAD_DATES = 0.05


@dataclass(frozen=True)
class Events:
    """An activity log.

    Attributes
    ----------
    frame : pandas.DataFrame
        ``user_id`` (str), ``day`` (Timestamp at midnight), ``amount`` (float,
        NaN without an amount column), one row per event.
    files : tuple of str
        The logs read.
    user_col, time_col : str
        The columns used.
    amount_col : str or None
        The amount column, when there is one.
    """

    frame: pd.DataFrame
    files: tuple[str, ...]
    user_col: str
    time_col: str
    amount_col: str | None


def read_events(
    paths: Sequence[str | Path],
    *,
    user_col: str | None = None,
    time_col: str | None = None,
    amount_col: str | None = None,
    time_option: str = "--time-col",
) -> Events:
    """Read and validate activity logs (CSV, Excel, JSON, Parquet), all with the same columns.

    ``time_option`` names the time column's option in messages (``risk`` calls
    it --event-time-col).

    Raises
    ------
    ColumnError
        When a user or time column cannot be found.
    InputFileError
        When dates cannot be read or amounts are negative.
    """
    if not paths:
        raise ValueError("read_events needs at least one file")
    parts: list[pd.DataFrame] = []
    used: tuple[str, str, str | None] = ("", "", None)
    for path in paths:
        raw = read_raw_table(path)
        require_every_row(raw, "An activity log")
        frame, file = raw.frame, str(raw.path)
        columns = ", ".join(repr(str(c)) for c in frame.columns)
        user = (
            find_column(frame, user_col, file=file, option="--user-col")
            if user_col
            else column_by_name(frame, USER_ID_NAMES)
        )
        if user is None:
            raise ColumnError(
                f"{file}: cannot tell which column holds the user id; the columns are: {columns}. "
                "Name it with --user-col NAME."
            )
        when = (
            find_column(frame, time_col, file=file, option=time_option)
            if time_col
            else column_by_name(frame, EVENT_TIME_NAMES, {user}) or _dates_by_content(frame, {user})
        )
        if when is None:
            raise ColumnError(
                f"{file}: cannot tell which column holds the time of each event; the columns are: "
                f"{columns}. Name it with {time_option} NAME."
            )
        amount = (
            find_column(frame, amount_col, file=file, option="--amount-col")
            if amount_col
            else column_by_name(frame, AMOUNT_NAMES, {user, when})
        )
        parts.append(_events_of(frame, file, user, when, amount, time_option))
        used = (user, when, amount)
    events = pd.concat(parts, ignore_index=True)
    return Events(events, tuple(str(p) for p in paths), used[0], used[1], used[2])


def _dates_by_content(frame: pd.DataFrame, exclude: set[str]) -> str | None:
    """A column of which nearly every value reads as a date."""
    for column in frame.columns:
        if column in exclude or canonical_name(str(column)) in AMOUNT_NAMES:
            continue
        values = frame[column].dropna()
        if len(values) and parse_times(values).notna().mean() >= 0.95:
            looks_numeric = pd.to_numeric(values, errors="coerce").notna().mean() > 0.5
            if not looks_numeric:
                return str(column)
    return None


def _events_of(
    frame: pd.DataFrame, file: str, user: str, when: str, amount: str | None, time_option: str
) -> pd.DataFrame:
    users = frame[user]
    keep = users.notna()
    times = parse_times(frame[when])
    bad = keep & frame[when].notna() & times.isna()
    missing = keep & frame[when].isna()
    if (bad | missing).sum() > _MAX_BAD_DATES * max(int(keep.sum()), 1):
        rows = np.flatnonzero((bad | missing).to_numpy())[:3]
        shown = ", ".join(f"row {r + 1}: {frame[when].iloc[r]!r}" for r in rows)
        raise InputFileError(
            f"{file}: column {when!r} has {int((bad | missing).sum())} values that are not dates "
            f"({shown}). Give the event time column with {time_option}, as YYYY-MM-DD or "
            "YYYY-MM-DD HH:MM."
        )
    keep &= times.notna()
    values = pd.Series(np.nan, index=frame.index)
    if amount is not None:
        values = pd.to_numeric(frame[amount], errors="coerce")
        negative = keep & (values < 0)
        if negative.any():
            rows = np.flatnonzero(negative.to_numpy())[:3]
            shown = ", ".join(f"row {r + 1}: {frame[amount].iloc[r]}" for r in rows)
            raise InputFileError(
                f"{file}: column {amount!r} has {int(negative.sum())} negative amounts ({shown}). "
                "Refunds are not activity: remove those rows, or name another column with "
                "--amount-col."
            )
    return pd.DataFrame(
        {
            "user_id": users[keep].astype(str).str.strip().to_numpy(dtype=object),
            "day": times[keep].dt.normalize().to_numpy(),
            "amount": values[keep].to_numpy(dtype=float),
        }
    )
