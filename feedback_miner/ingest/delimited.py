"""Reading CSV and TSV exports, row by row exactly, in blocks.

The file is decoded once to check its encoding (:mod:`.encoding`); Arrow's
CSV reader then parses it from disk in blocks, with quoted newlines. A row
with more fields than the header would shift every later column if it were
read as it is (an unquoted comma in a comment): it is refused as
``ragged_row`` with its row number, unless the extra fields are empty (a
trailing delimiter). A row with fewer fields is padded, as spreadsheets do. A
row holding NUL bytes is refused as ``nul_byte`` (a C string would end there
and lose the rest of the cell). Row numbers count data rows below the
header; blank lines are not rows.
"""

from __future__ import annotations

import csv
import io
from collections import deque
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pa_compute
import pyarrow.csv as pa_csv

from ..errors import EmptyInputError, InputFileError
from .encoding import decode_text
from .raw import RawTable, RejectedRow, as_strings, show_nul

__all__ = ["MAX_COLUMNS", "read_delimited"]

# A block of this many bytes must hold the longest row; cells are limited far below it.
_BLOCK_BYTES = 16 * 1024 * 1024
# Files with more columns than this are refused (they are not feedback exports, and
# every column costs time in role detection).
MAX_COLUMNS = 5000


class _InvalidRows:
    """Arrow's handler of rows whose field count differs from the header's: keep them aside."""

    def __init__(self) -> None:
        self.found: deque[tuple[int, str]] = deque()

    def __call__(self, row: pa_csv.InvalidRow) -> str:
        # Arrow numbers CSV rows from 1 with the header; data rows start below it
        self.found.append((int(row.number) - 1, str(row.text)))
        return "skip"


def read_delimited(file: Path, block_rows: int | None) -> Iterator[RawTable]:
    """The file's rows as one table, or in blocks of ``block_rows`` data rows.

    Raises
    ------
    InputFileError
        When the file cannot be decoded or parsed, or has more than
        :data:`MAX_COLUMNS` columns.
    EmptyInputError
        When it holds no rows at all.
    """
    text, encoding = decode_text(file, file.read_bytes())
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    file_format = "tsv" if delimiter == "\t" else "csv"
    header = _header(text[: 4 * 1024 * 1024], delimiter)
    del text
    if header is None:
        raise EmptyInputError(f"{file}: the file holds no rows.")
    if len(header) > MAX_COLUMNS:
        raise InputFileError(
            f"{file}: the header has {len(header):,} columns; the limit is {MAX_COLUMNS:,}. "
            "This is not a feedback export as it stands: keep the columns you need (the "
            "free-text column, the user id, the time) and save it again."
        )
    names = [f"c{i}" for i in range(len(header))]
    invalid = _InvalidRows()
    reader = _open(file, encoding, delimiter, names, invalid)
    parts = _Blocks(file, header, delimiter, invalid)
    try:
        for batch in reader:
            parts.add(batch)
            while block_rows is not None and parts.size() >= block_rows:
                yield parts.take(block_rows, file_format, encoding)
    except pa.ArrowInvalid as error:
        raise _unparseable(file, file_format, error) from None
    parts.finish()
    if block_rows is None or parts.size() or parts.pending_rejects():
        yield parts.take(None, file_format, encoding)


def _header(head: str, delimiter: str) -> list[str] | None:
    """The header row (the first non-blank CSV record)."""
    for record in csv.reader(io.StringIO(head), delimiter=delimiter):
        if any(field.strip() for field in record):
            return record
    return None


def _open(
    file: Path, encoding: str, delimiter: str, names: list[str], invalid: _InvalidRows
) -> pa_csv.CSVStreamingReader:
    # decode_text reports GB18030 as gbk, its common name
    codec = {"gbk": "gb18030", "utf-8-sig": "utf-8"}.get(encoding, encoding)
    try:
        return pa_csv.open_csv(
            file,
            read_options=pa_csv.ReadOptions(
                use_threads=False,
                block_size=_BLOCK_BYTES,
                column_names=names,
                skip_rows=1,
                encoding=codec,
            ),
            parse_options=pa_csv.ParseOptions(
                delimiter=delimiter, newlines_in_values=True, invalid_row_handler=invalid
            ),
            convert_options=pa_csv.ConvertOptions(
                column_types={n: pa.string() for n in names},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except pa.ArrowInvalid as error:
        raise _unparseable(file, "csv" if delimiter == "," else "tsv", error) from None


def _unparseable(file: Path, file_format: str, error: Exception) -> InputFileError:
    reason = str(error).split("\n", 1)[0]
    if "straddling" in reason or "block size" in reason:
        return InputFileError(
            f"{file}: one row is longer than {_BLOCK_BYTES // 2**20} MB (an unbalanced quote "
            "makes the rest of the file one cell?). Check the quotes, or re-export the file."
        )
    return InputFileError(
        f"{file}: cannot parse it as {file_format.upper()} ({reason}). "
        "Check for unbalanced quotes, or re-export the file."
    )


class _Blocks:
    """Valid rows with their row numbers, gathered from Arrow's batches and cut into blocks."""

    def __init__(
        self, file: Path, header: list[str], delimiter: str, invalid: _InvalidRows
    ) -> None:
        self.file, self.header, self.delimiter, self.invalid = file, header, delimiter, invalid
        self.width = len(header)
        self.next_row = 1
        self.frames: list[pd.DataFrame] = []
        self.rejected: list[RejectedRow] = []
        self.first_row = 1

    def size(self) -> int:
        return sum(len(f) for f in self.frames)

    def pending_rejects(self) -> bool:
        return bool(self.rejected)

    def add(self, batch: pa.RecordBatch) -> None:
        """Number the batch's rows, placing the invalid rows Arrow skipped between them."""
        numbers = np.empty(batch.num_rows, dtype=np.int64)
        rescued: list[tuple[int, list[str]]] = []
        for i in range(batch.num_rows):
            while self.invalid.found and self.invalid.found[0][0] <= self.next_row:
                self._place(self.invalid.found.popleft(), rescued)
            numbers[i] = self.next_row
            self.next_row += 1
        nul = np.zeros(batch.num_rows, dtype=bool)
        for column in batch.columns:
            found = pa_compute.match_substring(column, "\x00")
            nul |= found.to_numpy(zero_copy_only=False).astype(bool)
        frame = pd.DataFrame(
            {
                name: batch.column(i).to_numpy(zero_copy_only=False)
                for i, name in enumerate(self.header_names())
            },
            index=numbers,
        )
        if nul.any():
            for number, values in zip(
                numbers[nul], frame[nul].itertuples(index=False), strict=True
            ):
                self.rejected.append(
                    RejectedRow(
                        int(number),
                        "nul_byte",
                        "NUL bytes in the row",
                        show_nul(self.delimiter.join(values)),
                    )
                )
            frame = frame[~nul]
        self._append(frame, rescued)

    def finish(self) -> None:
        """Place the invalid rows after the last valid one."""
        rescued: list[tuple[int, list[str]]] = []
        while self.invalid.found:
            self._place(self.invalid.found.popleft(), rescued)
        self._append(pd.DataFrame(columns=self.header_names()), rescued)

    def header_names(self) -> list[str]:
        return [f"c{i}" for i in range(self.width)]

    def _place(self, found: tuple[int, str], rescued: list[tuple[int, list[str]]]) -> None:
        _, text = found
        number = self.next_row
        self.next_row += 1
        fields = next(csv.reader(io.StringIO(text), delimiter=self.delimiter), [])
        extra = fields[self.width :]
        if len(fields) < self.width:
            rescued.append((number, fields + [""] * (self.width - len(fields))))
        elif not any(f.strip() for f in extra):
            rescued.append((number, fields[: self.width]))  # a trailing delimiter
        else:
            self.rejected.append(
                RejectedRow(
                    number,
                    "ragged_row",
                    f"{len(fields)} fields, the header has {self.width}",
                    show_nul(text),
                )
            )

    def _check_header(self, kept: int, rejected: list[RejectedRow]) -> None:
        """Most rows longer than the header: the header is short of names, not the rows wrong."""
        ragged = [r for r in rejected if r.reason == "ragged_row"]
        if len(ragged) >= 10 and len(ragged) > kept:
            raise InputFileError(
                f"{self.file}: {len(ragged):,} of the first {len(ragged) + kept:,} rows have more "
                f"fields than the header ({self.width}); the header is probably missing column "
                "names. Add a name for every column in the first line and try again."
            )

    def _append(self, frame: pd.DataFrame, rescued: list[tuple[int, list[str]]]) -> None:
        if rescued:
            extra = pd.DataFrame(
                [values for _, values in rescued],
                columns=self.header_names(),
                index=[n for n, _ in rescued],
            )
            frame = pd.concat([frame, extra]).sort_index() if len(frame) else extra
        if len(frame):
            self.frames.append(frame)

    def take(self, n: int | None, file_format: str, encoding: str) -> RawTable:
        """The next ``n`` rows (all with ``None``) as a raw table, with the rows refused so far."""
        whole = (
            pd.concat(self.frames)
            if len(self.frames) > 1
            else (self.frames[0] if self.frames else pd.DataFrame(columns=self.header_names()))
        )
        block, rest = (whole, whole.iloc[:0]) if n is None else (whole.iloc[:n], whole.iloc[n:])
        self.frames = [rest] if len(rest) else []
        numbers = block.index.to_numpy(dtype=np.int64)
        block = block.set_axis(self.header, axis=1).reset_index(drop=True)
        upto = int(numbers[-1]) if len(numbers) and n is not None else None
        rejected = [r for r in self.rejected if upto is None or r.row <= upto]
        self.rejected = [r for r in self.rejected if upto is not None and r.row > upto]
        if self.first_row == 1:
            self._check_header(len(block), rejected)
        first = int(numbers[0]) if len(numbers) else self.first_row
        table = RawTable(
            self.file,
            as_strings(block),
            file_format,
            encoding,
            first_row=first,
            rows=numbers,
            rejected=tuple(sorted(rejected, key=lambda r: r.row)),
        )
        self.first_row = int(numbers[-1]) + 1 if len(numbers) else self.first_row
        return table
