"""Writing user data into worksheets safely.

Text from customers is data, never code: a string is always stored as a text
cell, so ``=cmd|' /C calc'!A0`` or ``=HYPERLINK(...)`` shows as typed and never
runs. Characters Excel rejects are removed and over-long text is cut to
Excel's cell limit with a visible marker.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import date, datetime

import pandas as pd
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

__all__ = ["EXCEL_MAX_CELL_CHARS", "clean_text", "put", "set_widths", "write_table"]

EXCEL_MAX_CELL_CHARS = 32767
_CUT_MARK = "…[截断]"


def clean_text(value: str) -> str:
    """Remove characters Excel rejects and cut text beyond the cell limit."""
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if len(value) > EXCEL_MAX_CELL_CHARS:
        value = value[: EXCEL_MAX_CELL_CHARS - len(_CUT_MARK)] + _CUT_MARK
    return value


def _plain(value: object) -> object:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        return value.item()  # numpy scalars
    return value


def put(
    sheet: Worksheet, row: int, column: int, value: object, number_format: str | None = None
) -> None:
    """Write one value; strings always as text cells."""
    value = _plain(value)
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, str):
        cell.value = clean_text(value)
        cell.data_type = "s"  # never a formula, whatever the text starts with
    elif isinstance(value, bool | int | float | datetime | date) or value is None:
        cell.value = value
    else:
        cell.value = clean_text(str(value))
        cell.data_type = "s"
    if number_format and value is not None:
        cell.number_format = number_format


def write_table(
    sheet: Worksheet,
    frame: pd.DataFrame,
    *,
    start_row: int = 1,
    headers: Sequence[str] | None = None,
    formats: dict[str, str] | None = None,
) -> int:
    """Write ``frame`` with a header row at ``start_row``; return the last row written."""
    formats = formats or {}
    names = list(headers) if headers is not None else [str(c) for c in frame.columns]
    for j, name in enumerate(names, start=1):
        put(sheet, start_row, j, name)
    row = start_row
    for row, values in enumerate(frame.itertuples(index=False, name=None), start=start_row + 1):
        for j, (column, value) in enumerate(zip(frame.columns, values, strict=True), start=1):
            put(sheet, row, j, value, formats.get(str(column)))
    return row


def set_widths(sheet: Worksheet, widths: Iterable[float]) -> None:
    """Set column widths (in characters; a Chinese character counts about two)."""
    for j, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(j)].width = width
