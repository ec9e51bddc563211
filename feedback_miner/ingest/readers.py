"""Reading input files into raw tables of strings.

Supported now: CSV and TSV (UTF-8, UTF-8 with BOM, UTF-16 with BOM, GBK/GB18030,
detected by content), Excel .xlsx/.xlsm and the old .xls (via python-calamine).
Every cell comes back as a ``str`` or ``None``; typing happens later, per role.
"""

from __future__ import annotations

import csv
import io
import logging
import math
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

import pandas as pd
from charset_normalizer import from_bytes

from ..errors import EmptyInputError, InputFileError

__all__ = ["SUPPORTED_SUFFIXES", "RawTable", "read_raw_table"]

logger = logging.getLogger(__name__)

SUPPORTED_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".xls")
_EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
# Encodings tried strictly, in order, before asking charset-normalizer.
_CANDIDATE_ENCODINGS = ("utf-8", "gb18030")


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
        ``csv``, ``tsv``, ``xlsx`` or ``xls``.
    encoding : str or None
        The text encoding for CSV/TSV; ``None`` for Excel files.
    """

    path: Path
    frame: pd.DataFrame
    file_format: str
    encoding: str | None


def read_raw_table(path: str | Path) -> RawTable:
    """Read ``path`` as a table of strings.

    Raises
    ------
    InputFileError
        If the file does not exist, has an unsupported type or cannot be decoded.
    EmptyInputError
        If it holds no data rows.
    """
    file = Path(path)
    if not file.exists():
        raise InputFileError(f"{file}: file not found. Check the path and the current directory.")
    if file.is_dir():
        raise InputFileError(f"{file}: this is a folder; give the export file inside it.")
    if file.stat().st_size == 0:
        raise EmptyInputError(
            f"{file}: the file is empty (0 bytes). Export it again from the source system."
        )
    with file.open("rb") as handle:
        head = handle.read(8)
    suffix = file.suffix.lower()
    if suffix in _EXCEL_SUFFIXES or head.startswith((_OLE_MAGIC, _ZIP_MAGIC)):
        table = _read_excel(file, head)
    elif suffix in (".csv", ".tsv", ".txt"):
        table = _read_delimited(file)
    else:
        raise InputFileError(
            f"{file}: unsupported file type {suffix or '(no extension)'!r}; "
            f"use one of {', '.join(SUPPORTED_SUFFIXES)} (save the export as CSV or Excel)."
        )
    if table.frame.empty:
        raise EmptyInputError(
            f"{file}: the file has a header but no data rows. Check that the export holds responses."
        )
    return table


def _read_excel(file: Path, head: bytes) -> RawTable:
    if head.startswith(_ZIP_MAGIC) and not _is_workbook_zip(file):
        raise InputFileError(f"{file}: this is a zip archive but not an Excel workbook.")
    file_format = "xls" if head.startswith(_OLE_MAGIC) else "xlsx"
    try:
        frame = pd.read_excel(file, engine="calamine", header=0, dtype=object)
    except Exception as err:  # calamine raises its own error types for damaged files
        raise InputFileError(
            f"{file}: cannot read this Excel file ({type(err).__name__}: {err}). "
            "Open it in Excel or WPS and save it again as .xlsx, or export as CSV."
        ) from None
    return RawTable(file, _as_strings(frame), file_format, None)


def _is_workbook_zip(file: Path) -> bool:
    try:
        with zipfile.ZipFile(file) as archive:
            return "[Content_Types].xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False


def _read_delimited(file: Path) -> RawTable:
    data = file.read_bytes()
    text, encoding = _decode(file, data)
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    file_format = "tsv" if delimiter == "\t" else "csv"
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=delimiter,
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=True,
            quoting=csv.QUOTE_MINIMAL,
        )
    except pd.errors.ParserError as err:
        raise InputFileError(
            f"{file}: cannot parse it as {file_format.upper()} ({err}). "
            "Check for unbalanced quotes, or re-export the file."
        ) from None
    except pd.errors.EmptyDataError:
        raise EmptyInputError(f"{file}: the file holds no rows.") from None
    frame = frame.replace("", None)
    return RawTable(file, _as_strings(frame), file_format, encoding)


def _decode(file: Path, data: bytes) -> tuple[str, str]:
    """Decode CSV bytes: BOMs first, then strict UTF-8 and GB18030, then detection."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    if b"\x00" in data[:4096]:
        raise InputFileError(
            f"{file}: the file contains NUL bytes and is not a text export. "
            "If it is a spreadsheet, give it the .xlsx or .xls extension."
        )
    for encoding in _CANDIDATE_ENCODINGS:
        try:
            return data.decode(encoding), "gbk" if encoding == "gb18030" else encoding
        except UnicodeDecodeError:
            continue
    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise InputFileError(
            f"{file}: cannot tell the text encoding (not UTF-8, not GBK). "
            "Save the file as 'CSV UTF-8' in Excel or WPS and try again."
        )
    logger.info("%s: detected encoding %s", file, best.encoding)
    return str(best), best.encoding


def _as_strings(frame: pd.DataFrame) -> pd.DataFrame:
    """Every cell as a stripped ``str`` or ``None``; unique, stripped column names."""
    names: list[str] = []
    for i, column in enumerate(frame.columns):
        name = str(column).strip() if not _is_missing(column) else ""
        if not name or name.startswith("Unnamed:"):
            name = f"column_{i + 1}"
        while name in names:
            name = f"{name}_{i + 1}"
        names.append(name)
    out = pd.DataFrame(
        {name: [_cell(v) for v in frame.iloc[:, i]] for i, name in enumerate(names)},
        dtype=object,
    )
    out.index = pd.RangeIndex(len(out))
    return out


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
    text = str(value).strip()
    return text or None
