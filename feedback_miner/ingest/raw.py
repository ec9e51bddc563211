"""Raw tables: a file's cells as strings, plus the rows that could not be read as rows.

Every reader returns a :class:`RawTable`. Typing happens later, per role;
here every cell is a stripped ``str`` or ``None``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputFileError
from ..text import guard_formula_start

__all__ = [
    "RAW_REJECT_REASONS",
    "RawTable",
    "RejectedRow",
    "as_strings",
    "require_every_row",
    "show_nul",
]

# reasons a row is rejected before it is a row of the table
RAW_REJECT_REASONS = {
    "ragged_row": "the row has more fields than the header (an unquoted comma or tab?)",
    "nul_byte": "the row holds NUL bytes (binary data or a damaged export)",
}
_FORMULA_CHARACTERS = frozenset("=+-@")
# lone UTF-16 surrogates (from JSON "\ud800" escapes) cannot be written as UTF-8
_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True)
class RejectedRow:
    """A data row refused while reading (see :data:`RAW_REJECT_REASONS`).

    Attributes
    ----------
    row : int
        Its data row number (1 = the first row below the header).
    reason : str
        A key of :data:`RAW_REJECT_REASONS`.
    detail : str
        What was wrong, e.g. ``9 fields, the header has 8``.
    text : str
        The row's text as it was in the file (NUL bytes shown as ␀).
    """

    row: int
    reason: str
    detail: str
    text: str


@dataclass(frozen=True)
class RawTable:
    """A file read as strings.

    Attributes
    ----------
    path : Path
        The file.
    frame : pandas.DataFrame
        All cells as ``str`` or ``None``; column names stripped of spaces.
    file_format : str
        ``csv``, ``tsv``, ``xlsx``, ``xls``, ``jsonl``, ``json`` or ``parquet``.
    encoding : str or None
        The text encoding for CSV/TSV/JSON; ``None`` for binary formats.
    first_row : int
        The data row number (1 = the first row below the header) of the
        frame's first row; above 1 for the later blocks of a file read in blocks.
    rows : numpy.ndarray or None
        The data row number of each row of ``frame`` when they are not
        consecutive from ``first_row`` (rows were rejected between them).
    rejected : tuple of RejectedRow
        Data rows refused while reading; they are not in ``frame``.
    sheet : str or None
        For workbooks, the sheet read.
    other_sheets : tuple of str
        For workbooks, the other sheets that hold data (not read).
    """

    path: Path
    frame: pd.DataFrame
    file_format: str
    encoding: str | None
    first_row: int = 1
    rows: np.ndarray | None = None
    rejected: tuple[RejectedRow, ...] = ()
    sheet: str | None = None
    other_sheets: tuple[str, ...] = ()

    def row_numbers(self) -> np.ndarray:
        """The data row number of every row of ``frame``."""
        if self.rows is not None:
            return self.rows
        return np.arange(self.first_row, self.first_row + len(self.frame), dtype=np.int64)


def require_every_row(table: RawTable, what: str) -> None:
    """Refuse a table that lost rows while reading, for a use that needs every row.

    Raises
    ------
    InputFileError
        Naming the first rows and what was wrong with them.
    """
    if not table.rejected:
        return
    shown = "; ".join(f"row {r.row}: {r.detail}" for r in table.rejected[:3])
    more = f" and {len(table.rejected) - 3} more" if len(table.rejected) > 3 else ""
    raise InputFileError(
        f"{table.path}: {len(table.rejected)} row(s) cannot be read ({shown}{more}). {what} "
        "needs every row: quote the cells that hold commas or tabs (or remove the NUL bytes) "
        "and try again."
    )


def as_strings(frame: pd.DataFrame, *, clean_surrogates: bool = False) -> pd.DataFrame:
    """Every cell as a stripped ``str`` or ``None``; unique, stripped column names.

    ``clean_surrogates`` replaces lone UTF-16 surrogates (which JSON can
    encode and nothing can write) by U+FFFD.
    """
    names: list[str] = []
    for i, column in enumerate(frame.columns):
        name = str(column).strip() if not _is_missing(column) else ""
        if clean_surrogates:
            name = _SURROGATE.sub("\ufffd", name)
        if not name or name.startswith("Unnamed:"):
            name = f"column_{i + 1}"
        while name in names:
            name = f"{name}_{i + 1}"
        names.append(name)
    out = pd.DataFrame(
        {
            name: _column_as_strings(frame.iloc[:, i], clean_surrogates)
            for i, name in enumerate(names)
        },
        dtype=object,
    )
    out.index = pd.RangeIndex(len(out))
    return out


def _column_as_strings(values: pd.Series, clean_surrogates: bool) -> list[str | None]:
    """One column as stripped strings or ``None``; vectorised when it is all text already.

    Stripping never leaves a formula character first that was not (see
    :func:`~feedback_miner.text.guard_formula_start`): ``"\t=1+1"`` becomes ``"＝1+1"``.
    """
    cells = values.tolist()
    if all(isinstance(v, str) or _is_missing(v) for v in cells):
        out = [_stripped(v) if isinstance(v, str) else None for v in cells]
    else:
        out = [_cell(v) for v in cells]
    if clean_surrogates:
        out = [_SURROGATE.sub("\ufffd", v) if v is not None and not v.isascii() else v for v in out]
    return out


def _stripped(value: str) -> str | None:
    text = value.strip()
    if text[:1] in _FORMULA_CHARACTERS and value[:1] != text[:1]:
        return guard_formula_start(text, original=value)
    return text or None


def _is_missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT


def _cell(value: object) -> str | None:
    if _is_missing(value):
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # Excel stores ids and codes as floats: 1001.0 -> "1001"
    if isinstance(value, datetime | pd.Timestamp):
        return value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    return _stripped(str(value))


def show_nul(text: str) -> str:
    """``text`` with NUL characters shown as ␀ (U+2400), for messages and rejects."""
    return text.replace("\x00", "\u2400")
