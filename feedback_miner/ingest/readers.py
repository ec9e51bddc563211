"""Reading input files into raw tables of strings.

Supported: CSV and TSV (UTF-8, UTF-8 with BOM, UTF-16, GBK/GB18030, detected by
content), Excel .xlsx/.xlsm and the old .xls (via python-calamine), JSON Lines
and JSON arrays of objects, and Parquet. The type is decided by the file's
content where it can be (a zip or OLE container is a workbook whatever its
name), else by its extension. Every cell comes back as a ``str`` or ``None``;
typing happens later, per role.

Large CSV and TSV exports can be read in blocks of rows
(:func:`iter_raw_tables`), so that no more than one block of cells is held as
Python strings at a time.
"""

from __future__ import annotations

import csv
import json
import logging
import math
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

import pandas as pd

from ..errors import EmptyInputError, InputFileError
from .encoding import decode_text
from .safety import check_cells, check_ole, check_zip

__all__ = ["SUPPORTED_SUFFIXES", "RawTable", "iter_raw_tables", "read_raw_table"]

logger = logging.getLogger(__name__)

SUPPORTED_SUFFIXES = (
    ".csv",
    ".tsv",
    ".txt",
    ".xlsx",
    ".xlsm",
    ".xls",
    ".jsonl",
    ".json",
    ".parquet",
)
_TEXT_SUFFIXES = (".csv", ".tsv", ".txt")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
_PARQUET_MAGIC = b"PAR1"


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
        frame's first row; above 1 for the later blocks of :func:`iter_raw_tables`.
    """

    path: Path
    frame: pd.DataFrame
    file_format: str
    encoding: str | None
    first_row: int = 1


def read_raw_table(path: str | Path) -> RawTable:
    """Read ``path`` as a table of strings.

    Raises
    ------
    InputFileError
        If the file does not exist, has an unsupported type, is damaged,
        password-protected, a zip bomb, or cannot be decoded.
    EmptyInputError
        If it holds no data rows.
    """
    file = Path(path)
    kind = _kind(file)
    if kind == "delimited":
        table = _read_delimited(file)
    elif kind == "json":
        table = _read_json(file, file.suffix.lower())
    elif kind == "parquet":
        table = _read_parquet(file)
    else:
        table = _read_excel(file, kind)
    if table.frame.empty:
        raise _no_rows(file)
    check_cells(file, table.frame)
    return table


def iter_raw_tables(path: str | Path, block_rows: int) -> Iterator[RawTable]:
    """Read ``path`` in blocks of at most ``block_rows`` data rows.

    CSV and TSV files are parsed block by block from one decoding of the file
    (the encoding checks of :func:`read_raw_table` see the whole file); every
    block has the same columns, and its ``first_row`` says where it starts.
    Other formats come as one table.

    Raises
    ------
    InputFileError, EmptyInputError
        As :func:`read_raw_table`; a block's oversized cell is reported with
        its row number in the file.
    """
    file = Path(path)
    if _kind(file) != "delimited":
        yield read_raw_table(file)
        return
    first_row = 1
    for frame in _delimited_frames(file, block_rows):
        table = RawTable(
            file, _as_strings(frame.frame), frame.file_format, frame.encoding, first_row
        )
        if table.frame.empty:
            break
        check_cells(file, table.frame, first_row=first_row)
        yield table
        first_row += len(table.frame)
    if first_row == 1:
        raise _no_rows(file)


def _kind(file: Path) -> str:
    """``xlsx``, ``xls``, ``parquet``, ``json`` or ``delimited``; refuses what cannot be read."""
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
    if head.startswith(_ZIP_MAGIC):
        check_zip(file)
        return "xlsx"
    if head.startswith(_OLE_MAGIC):
        check_ole(file)
        return "xls"
    if head.startswith(_PARQUET_MAGIC) or suffix == ".parquet":
        return "parquet"
    if suffix in (".xlsx", ".xlsm", ".xls"):
        raise InputFileError(
            f"{file}: the name says Excel but the content is not a workbook (damaged, or another "
            "file renamed). Open it in Excel or WPS and save it again, or export as CSV."
        )
    if suffix in (".jsonl", ".json"):
        return "json"
    if suffix in _TEXT_SUFFIXES:
        return "delimited"
    raise InputFileError(
        f"{file}: unsupported file type {suffix or '(no extension)'!r}; "
        f"use one of {', '.join(SUPPORTED_SUFFIXES)} (save the export as CSV or Excel)."
    )


def _no_rows(file: Path) -> EmptyInputError:
    return EmptyInputError(
        f"{file}: the file has a header but no data rows. Check that the export holds responses."
    )


def _read_excel(file: Path, file_format: str) -> RawTable:
    try:
        sheets = pd.read_excel(file, engine="calamine", header=0, dtype=object, sheet_name=None)
    except Exception as err:  # calamine raises its own error types for damaged files
        raise InputFileError(
            f"{file}: cannot read this Excel file ({type(err).__name__}: {err}). "
            "Open it in Excel or WPS and save it again as .xlsx, or export as CSV."
        ) from None
    # The first sheet that holds data: exports sometimes start with a cover sheet.
    frame = next((f for f in sheets.values() if not f.dropna(how="all").empty), None)
    if frame is None:
        frame = next(iter(sheets.values()), pd.DataFrame())
    return RawTable(file, _as_strings(frame), file_format, None)


def _read_parquet(file: Path) -> RawTable:
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        raise InputFileError(
            f"{file}: reading Parquet needs pyarrow; install it with: "
            "pip install 'feedback-miner[parquet]'."
        ) from None
    try:
        frame = pd.read_parquet(file)
    except Exception as err:  # pyarrow's errors for damaged files
        raise InputFileError(
            f"{file}: cannot read this Parquet file ({type(err).__name__}: {err})."
        ) from None
    return RawTable(file, _as_strings(frame), "parquet", None)


def _read_json(file: Path, suffix: str) -> RawTable:
    text, encoding = decode_text(file, file.read_bytes())
    stripped = text.lstrip()
    rows: list[object]
    if suffix == ".json" and stripped.startswith("["):
        try:
            rows = json.loads(stripped)
        except json.JSONDecodeError as err:
            raise InputFileError(
                f"{file}: not valid JSON at line {err.lineno}: {err.msg}."
            ) from None
        file_format = "json"
    else:
        rows = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as err:
                raise InputFileError(
                    f"{file}: line {number} is not a JSON object ({err.msg}). JSON Lines files "
                    "hold one object per line."
                ) from None
        file_format = "jsonl"
    bad = next((i for i, r in enumerate(rows, start=1) if not isinstance(r, dict)), None)
    if bad is not None:
        raise InputFileError(f"{file}: record {bad} is not a JSON object with named fields.")
    records = [
        {
            k: json.dumps(v, ensure_ascii=False) if isinstance(v, dict | list) else v
            for k, v in r.items()
        }
        for r in rows
        if isinstance(r, dict)
    ]
    return RawTable(file, _as_strings(pd.DataFrame.from_records(records)), file_format, encoding)


def _read_delimited(file: Path) -> RawTable:
    (table,) = _delimited_frames(file, None)
    return RawTable(file, _as_strings(table.frame), table.file_format, table.encoding)


def _delimited_frames(file: Path, block_rows: int | None) -> Iterator[RawTable]:
    """The file's rows as one frame, or in blocks; cells not yet cleaned.

    The whole file is decoded once to check its encoding; pandas then parses
    the file itself with that encoding, so that the decoded text is not kept.
    """
    text, encoding = decode_text(file, file.read_bytes())
    first_line = text.split("\n", 1)[0]
    del text
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    file_format = "tsv" if delimiter == "\t" else "csv"
    options: dict[str, object] = {
        "sep": delimiter,
        "dtype": str,
        "keep_default_na": False,
        "skip_blank_lines": True,
        "quoting": csv.QUOTE_MINIMAL,
        # decode_text reports GB18030 as gbk, its common name
        "encoding": "gb18030" if encoding == "gbk" else encoding,
        "encoding_errors": "strict",
    }
    try:
        if block_rows is None:
            yield RawTable(file, pd.read_csv(file, **options), file_format, encoding)  # type: ignore[call-overload]
        else:
            with pd.read_csv(file, chunksize=block_rows, **options) as reader:  # type: ignore[call-overload]
                for frame in reader:
                    yield RawTable(file, frame, file_format, encoding)
    except pd.errors.ParserError as err:
        raise InputFileError(
            f"{file}: cannot parse it as {file_format.upper()} ({err}). "
            "Check for unbalanced quotes, or re-export the file."
        ) from None
    except pd.errors.EmptyDataError:
        raise EmptyInputError(f"{file}: the file holds no rows.") from None


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
        {name: _column_as_strings(frame.iloc[:, i]) for i, name in enumerate(names)},
        dtype=object,
    )
    out.index = pd.RangeIndex(len(out))
    return out


def _column_as_strings(values: pd.Series) -> list[str | None]:
    """One column as stripped strings or ``None``; vectorised when it is all text already."""
    cells = values.tolist()
    if all(isinstance(v, str) or _is_missing(v) for v in cells):
        return [(v.strip() or None) if isinstance(v, str) else None for v in cells]
    return [_cell(v) for v in cells]


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
