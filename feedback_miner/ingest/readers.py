"""Reading input files into raw tables of strings.

Supported: CSV and TSV (UTF-8, UTF-8 with BOM, UTF-16, GBK/GB18030, detected by
content; :mod:`.delimited`), Excel .xlsx/.xlsm and the old .xls (via
python-calamine, after a scan of what the sheets really hold; :mod:`.workbook`),
JSON Lines and JSON arrays of objects, and Parquet. The type is decided by the
file's content where it can be (a zip or OLE container is a workbook whatever
its name), else by its extension. Every cell comes back as a ``str`` or
``None``; typing happens later, per role.

Large CSV and TSV exports can be read in blocks of rows
(:func:`iter_raw_tables`), so that no more than one block of cells is held as
Python strings at a time.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from ..errors import EmptyInputError, InputFileError
from .delimited import MAX_COLUMNS, read_delimited
from .encoding import decode_text
from .raw import RawTable, as_strings
from .safety import check_cells, check_ole, check_zip
from .workbook import read_workbook

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


def read_raw_table(path: str | Path, *, sheet: str | None = None) -> RawTable:
    """Read ``path`` as a table of strings.

    Parameters
    ----------
    path : str or Path
        The file.
    sheet : str, optional
        For a workbook, the sheet to read; by default the one with the most values.

    Raises
    ------
    InputFileError
        If the file does not exist, has an unsupported type, is damaged,
        password-protected, a zip bomb, beyond the size limits, or cannot be
        decoded.
    EmptyInputError
        If it holds no data rows.
    """
    file = Path(path)
    kind = _kind(file)
    if kind == "delimited":
        (table,) = read_delimited(file, None)
    elif kind == "json":
        table = _read_json(file, file.suffix.lower())
    elif kind == "parquet":
        table = _read_parquet(file)
    else:
        table = read_workbook(file, kind, sheet)
    if table.frame.empty and not table.rejected:
        raise _no_rows(file)
    _check_width(file, table)
    check_cells(file, table.frame, rows=table.row_numbers())
    return table


def iter_raw_tables(
    path: str | Path, block_rows: int, *, sheet: str | None = None
) -> Iterator[RawTable]:
    """Read ``path`` in blocks of at most ``block_rows`` data rows.

    CSV and TSV files are parsed block by block from one decoding of the file
    (the encoding checks of :func:`read_raw_table` see the whole file); every
    block has the same columns, and its ``first_row`` and ``rows`` say which
    data rows it holds. Other formats come as one table.

    Raises
    ------
    InputFileError, EmptyInputError
        As :func:`read_raw_table`; a block's oversized cell is reported with
        its row number in the file.
    """
    file = Path(path)
    if _kind(file) != "delimited":
        yield read_raw_table(file, sheet=sheet)
        return
    seen = 0
    for table in read_delimited(file, block_rows):
        check_cells(file, table.frame, rows=table.row_numbers())
        seen += len(table.frame) + len(table.rejected)
        yield table
    if not seen:
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


def _check_width(file: Path, table: RawTable) -> None:
    width = table.frame.shape[1]
    if width > MAX_COLUMNS:
        raise InputFileError(
            f"{file}: the table has {width:,} columns; the limit is {MAX_COLUMNS:,}. Keep the "
            "columns you need (the free-text column, the user id, the time) and save it again."
        )


def _read_parquet(file: Path) -> RawTable:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise InputFileError(
            f"{file}: reading Parquet needs pyarrow; install it with: "
            "pip install 'feedback-miner[parquet]'."
        ) from None
    try:
        width = len(pq.read_schema(file).names)
        if width > MAX_COLUMNS:
            raise InputFileError(
                f"{file}: the table has {width:,} columns; the limit is {MAX_COLUMNS:,}. Keep "
                "the columns you need (the free-text column, the user id, the time)."
            )
        frame = pd.read_parquet(file)
    except InputFileError:
        raise
    except Exception as err:  # pyarrow's errors for damaged files
        raise InputFileError(
            f"{file}: cannot read this Parquet file ({type(err).__name__}: {err})."
        ) from None
    return RawTable(file, as_strings(frame, clean_surrogates=True), "parquet", None)


def _read_json(file: Path, suffix: str) -> RawTable:
    text, encoding = decode_text(file, file.read_bytes())
    stripped = text.lstrip()
    rows: list[object]
    if suffix == ".json" and stripped.startswith("["):
        rows = [_json_value(file, stripped, None)]
        if not isinstance(rows[0], list):
            raise InputFileError(f"{file}: the file is not a JSON array of records.")
        rows = rows[0]
        file_format = "json"
    else:
        rows = []
        for number, line in enumerate(text.splitlines(), start=1):
            if line.strip():
                rows.append(_json_value(file, line, number))
        file_format = "jsonl"
    bad = next((i for i, r in enumerate(rows, start=1) if not isinstance(r, dict)), None)
    if bad is not None:
        raise InputFileError(f"{file}: record {bad} is not a JSON object with named fields.")
    widest = max((len(r) for r in rows if isinstance(r, dict)), default=0)
    if widest > MAX_COLUMNS:
        raise InputFileError(
            f"{file}: a record has {widest:,} fields; the limit is {MAX_COLUMNS:,}. Keep the "
            "fields you need (the free text, the user id, the time) and export it again."
        )
    records = [
        {
            k: json.dumps(v, ensure_ascii=False) if isinstance(v, dict | list) else v
            for k, v in r.items()
        }
        for r in rows
        if isinstance(r, dict)
    ]
    frame = pd.DataFrame.from_records(records)
    return RawTable(file, as_strings(frame, clean_surrogates=True), file_format, encoding)


def _json_value(file: Path, text: str, line: int | None) -> object:
    """One JSON document; integers kept as their digits (no size limit), nesting bounded."""
    where = f"line {line}" if line is not None else "the file"
    try:
        return json.loads(text, parse_int=str)
    except RecursionError:
        raise InputFileError(
            f"{file}: {where} nests arrays or objects too deeply to be a table of feedback. "
            "Export the records as a flat JSON array or JSON Lines."
        ) from None
    except json.JSONDecodeError as err:
        if line is None:
            raise InputFileError(
                f"{file}: not valid JSON at line {err.lineno}: {err.msg}."
            ) from None
        raise InputFileError(
            f"{file}: line {line} is not a JSON object ({err.msg}). JSON Lines files "
            "hold one object per line."
        ) from None
