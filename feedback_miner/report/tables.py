"""Writing output tables as CSV (UTF-8) or Parquet, chosen by the file's suffix.

CSV files are made safe to open in Excel, following OWASP's guidance on CSV
injection: a text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return (after any leading spaces) would be read by a spreadsheet as a
formula, so it gets a leading apostrophe (``'=HYPERLINK(...)``), which
spreadsheets show as text. Numeric columns are left alone. ``raw=True`` (the
command line's ``--raw-csv``) writes the values as they are; Parquet is
always written as it is, since no spreadsheet evaluates it.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..errors import FeedbackMinerError
from .files import check_output_path, replacing

__all__ = [
    "FORMULA_TRIGGERS",
    "TABLE_SUFFIXES",
    "check_table_path",
    "excel_safe",
    "write_table_file",
    "write_table_workbook",
]

TABLE_SUFFIXES = (".csv", ".parquet")
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_LEADING_SPACE = " \u3000\u00a0"


def check_table_path(path: str | Path, option: str) -> Path:
    """Validate an output path before any work is done.

    Raises
    ------
    FeedbackMinerError
        When the suffix is not .csv or .parquet, or the path cannot be written
        (see :func:`~feedback_miner.report.files.check_output_path`).
    """
    out = Path(path)
    if out.suffix.lower() not in TABLE_SUFFIXES:
        raise FeedbackMinerError(
            f"{option} {out}: the file name must end in .csv or .parquet (the suffix chooses the format)."
        )
    check_output_path(out, option)
    if out.suffix.lower() == ".parquet":
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            raise FeedbackMinerError(
                f"{option} {out}: writing Parquet needs pyarrow; "
                "install it with: pip install 'feedback-miner[parquet]', or write .csv instead."
            ) from None
    return out


def excel_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every text cell a spreadsheet would take for a formula made text.

    Examples
    --------
    >>> excel_safe(pd.DataFrame({"text": ["=1+1", "价格太贵", " @cmd"]}))["text"].tolist()
    ["'=1+1", '价格太贵', "' @cmd"]
    """
    out = frame
    for column in frame.columns:
        values = frame[column]
        if not (values.dtype == object or isinstance(values.dtype, pd.StringDtype)):
            continue
        # non-text values of an object column give NaN here: they are left alone
        risky = values.str.lstrip(_LEADING_SPACE).str.startswith(FORMULA_TRIGGERS)
        risky = risky.eq(True)
        if risky.any():
            if out is frame:
                out = frame.copy()
            escaped = values.astype(object)
            escaped[risky] = "'" + escaped[risky].astype(str)
            out[column] = escaped if values.dtype == object else escaped.astype(values.dtype)
    return out


def write_table_file(
    frame: pd.DataFrame,
    path: str | Path,
    *,
    raw: bool = False,
    option: str = "output",
    date_format: str = "%Y-%m-%d %H:%M:%S",
) -> Path:
    """Write ``frame`` to ``path``: UTF-8 CSV (made safe for spreadsheets unless ``raw``) or
    Parquet by suffix, without the index; whole or not at all (see :func:`replacing`).
    ``date_format`` writes the CSV's times (``"%Y-%m-%d"`` for tables of days)."""
    out = Path(path)
    with replacing(out, option) as temporary:
        if out.suffix.lower() == ".parquet":
            frame.to_parquet(temporary, index=False)
        else:
            table = frame if raw else excel_safe(frame)
            table.to_csv(temporary, index=False, encoding="utf-8", date_format=date_format)
    return out


def write_table_workbook(frame: pd.DataFrame, path: str | Path, *, title: str = "data") -> Path:
    """Write ``frame`` to one sheet of an .xlsx workbook (for readers without pandas):
    a bold header, frozen, every text stored as text (never a formula)."""
    from openpyxl import Workbook

    from .cells import make_cell, prepare_sheet, use_report_font
    from .style import HEADER

    out = Path(path)
    book = Workbook(write_only=True)
    use_report_font(book)
    sheet = book.create_sheet(title)
    prepare_sheet(sheet, [max(10.0, len(str(c)) + 2.0) for c in frame.columns], "A2")
    sheet.append([make_cell(sheet, str(c), HEADER) for c in frame.columns])
    for values in frame.itertuples(index=False, name=None):
        sheet.append([make_cell(sheet, v) for v in values])
    with replacing(out, "the workbook") as temporary:
        book.save(temporary)
    return out
