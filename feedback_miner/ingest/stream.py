"""Reading files into records block by block, and flagging duplicates across them.

:class:`IngestStream` is the one way files become records: :func:`ingest_files`
and :func:`ingest_file` gather its chunks into one table, and the analysis
consumes the chunks as they come.
"""

from __future__ import annotations

import logging
import pickle
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import FeedbackMinerError
from .chat import MessageLayout, find_message_layout, is_transcript_column
from .columns import ColumnRoles, infer_roles
from .dedupe import DuplicateFinder
from .platforms import PlatformTable, detect_platform, plain_rows
from .raw import RawTable, RejectedRow
from .readers import iter_raw_tables
from .records import (
    ADDRESSEE_COLUMN,
    RECORD_COLUMNS,
    REJECT_COLUMNS,
    FileSummary,
    IngestOptions,
    IngestResult,
    _Builder,
    _count_reasons,
    _detect_source,
    load_non_answers,
)

__all__ = ["INGEST_BLOCK_ROWS", "IngestStream", "ingest_file", "ingest_files"]

logger = logging.getLogger(__name__)

INGEST_BLOCK_ROWS = 50_000


def ingest_files(
    paths: Sequence[str | Path], options: IngestOptions | None = None, *, row_numbers: bool = False
) -> IngestResult:
    """Read several files into one set of records and rejects, then flag duplicates.

    Duplicates are looked for across all the files (a post reposted in two
    exports is one voice); see :mod:`feedback_miner.ingest.dedupe`. With
    ``row_numbers``, records keep a ``row`` column: the input row they come from
    (the first row of a chat session). See :class:`IngestStream` to read
    large files block by block instead.
    """
    return IngestStream(paths, options, row_numbers=row_numbers).read_all()


def ingest_file(
    path: str | Path,
    options: IngestOptions | None = None,
    *,
    non_answers: frozenset[str] | None = None,
    row_numbers: bool = False,
) -> IngestResult:
    """Read one file into canonical records and rejects.

    Parameters
    ----------
    path : str or Path
        A survey export, service log or social-post export.
    options : IngestOptions, optional
        Column and source options.
    non_answers : frozenset of str, optional
        Texts rejected as ``non_answer``; the shipped list when not given.
    row_numbers : bool, default False
        Keep a ``row`` column in the records: the input row each comes from.

    Returns
    -------
    IngestResult
        ``records`` with :data:`RECORD_COLUMNS` plus ``meta:`` columns,
        ``rejects`` with :data:`REJECT_COLUMNS`.
    """
    stream = IngestStream([path], options, non_answers=non_answers, row_numbers=row_numbers)
    return stream.read_all()


class IngestStream:
    """Canonical records of several files, one block of rows at a time.

    Iterating yields record chunks in input order; once iterated,
    :meth:`rejects` and :attr:`files` hold every file's rejects and summary.
    CSV and TSV exports without survey-platform header rows or chat layout
    (ticket logs, social exports, plain tables) are read in blocks of
    ``block_rows`` rows; their column roles are found on the first block.
    Other files are read whole, each as one chunk. Duplicates are flagged
    across all files and blocks.

    When several inputs have the same file name stem, their records' ids get
    ``#<position of the input>`` so that ids stay unique.

    Parameters
    ----------
    paths : sequence of path
        The inputs.
    options : IngestOptions, optional
        Column and source options.
    non_answers : frozenset of str, optional
        Texts rejected as ``non_answer``; the shipped list when not given.
    row_numbers : bool, default False
        Keep a ``row`` column in the records (see :func:`ingest_files`).
    block_rows : int
        Rows per block for files read in blocks.
    """

    def __init__(
        self,
        paths: Sequence[str | Path],
        options: IngestOptions | None = None,
        *,
        non_answers: frozenset[str] | None = None,
        row_numbers: bool = False,
        block_rows: int = INGEST_BLOCK_ROWS,
    ) -> None:
        self.paths = [Path(p) for p in paths]
        self.options = options or IngestOptions()
        self.non_answers = load_non_answers() if non_answers is None else non_answers
        self.row_numbers = row_numbers
        self.block_rows = block_rows
        self.files: tuple[FileSummary, ...] = ()
        # each block's rejects pickled: their strings (a duplicate's text and ids) would
        # otherwise outlive the block they came from, and pin the memory of all its others
        self._rejects: list[bytes] = []
        stems = pd.Series([p.stem for p in self.paths])
        self._shared_stem = stems.duplicated(keep=False).tolist()

    def __iter__(self) -> Iterator[pd.DataFrame]:
        finder = DuplicateFinder()
        self.files, self._rejects = (), []
        for position, path in enumerate(self.paths):
            summary: FileSummary | None = None
            for records, rejects, part in self._file_parts(path):
                if self._shared_stem[position]:
                    records["doc_id"] = records["doc_id"] + f"#{position + 1}"
                records, duplicates = _drop_duplicates(records, finder, part.file)
                if len(duplicates):
                    part = _count_duplicates(part, len(duplicates))
                    rejects = pd.concat([rejects, duplicates], ignore_index=True)
                summary = part if summary is None else _add_summaries(summary, part)
                if len(rejects):
                    self._rejects.append(pickle.dumps(rejects, pickle.HIGHEST_PROTOCOL))
                if len(records):
                    yield _finish(records, self.row_numbers)
            if summary is not None:
                logger.info("%s: %s", summary.file, summary.describe_roles())
                self.files = (*self.files, summary)

    def rejects(self) -> pd.DataFrame:
        """Every reject so far, in input order."""
        if not self._rejects:
            return pd.DataFrame(columns=list(REJECT_COLUMNS))
        rejects = pd.concat([pickle.loads(r) for r in self._rejects], ignore_index=True)
        # concat turns the None of rows that duplicate nothing into NaN: keep them None
        rejects["duplicate_of"] = (
            rejects["duplicate_of"].astype(object).where(rejects["duplicate_of"].notna(), None)
        )
        return rejects

    def read_all(self) -> IngestResult:
        """Every chunk gathered into one records table, with the rejects and summaries."""
        chunks = list(self)
        if chunks:
            records = pd.concat(chunks, ignore_index=True)
        else:  # every input row was rejected
            columns = [*RECORD_COLUMNS, ADDRESSEE_COLUMN]
            if self.row_numbers:
                columns.insert(1, "row")
            records = pd.DataFrame(columns=columns)
        return IngestResult(records, self.rejects(), self.files)

    def _file_parts(self, path: Path) -> Iterator[tuple[pd.DataFrame, pd.DataFrame, FileSummary]]:
        """One file's records and rejects (duplicates not yet flagged), block by block."""
        blocks = iter_raw_tables(path, self.block_rows, sheet=self.options.sheet)
        first = next(blocks)
        try:
            plan: _FilePlan | None = _plan(first, self.options.for_file(path))
        except FeedbackMinerError:
            plan = None  # a first block of header rows only: decide on the whole table
        if plan is None or not plan.streamable:
            rest = list(blocks)
            if rest or plan is None:  # needs the whole table: platform rows, chat sessions
                whole = replace(
                    first,
                    frame=pd.concat([first.frame, *(b.frame for b in rest)], ignore_index=True),
                    rows=np.concatenate([first.row_numbers(), *(b.row_numbers() for b in rest)]),
                    rejected=tuple(r for b in (first, *rest) for r in b.rejected),
                )
                plan = _plan(whole, self.options.for_file(path))
            yield self._part(plan, plan.table.frame, _platform_rows(plan), plan.raw.rejected)
            return
        yield self._part(plan, plan.table.frame, _platform_rows(plan), first.rejected)
        for block in blocks:
            yield self._part(
                plan,
                plain_rows(block.frame, plan.table.platform),
                block.row_numbers(),
                block.rejected,
            )

    def _part(
        self,
        plan: _FilePlan,
        frame: pd.DataFrame,
        rows: np.ndarray,
        rejected: tuple[RejectedRow, ...],
    ) -> tuple[pd.DataFrame, pd.DataFrame, FileSummary]:
        raw = plan.raw
        builder = _Builder(
            raw.path, frame, plan.roles, plan.source, plan.channel, self.non_answers, rows
        )
        records, rejects, rows_in_records = (
            builder.from_messages(plan.layout)
            if plan.layout
            else builder.from_rows(transcript=plan.transcript)
        )
        if rejected:
            refused = builder.raw_rejects(rejected)
            rejects = (
                pd.concat([rejects, refused], ignore_index=True)
                .sort_values("row", kind="mergesort")
                .reset_index(drop=True)
                if len(rejects)
                else refused
            )
        summary = FileSummary(
            file=str(raw.path),
            file_format=raw.file_format,
            encoding=raw.encoding,
            platform=plan.table.platform,
            source=plan.source,
            channel=plan.channel,
            roles=plan.roles,
            rows_read=len(frame) + len(rejected),
            records=len(records),
            rows_in_records=rows_in_records,
            rejected=_count_reasons(rejects),
            sheet=raw.sheet,
            other_sheets=raw.other_sheets,
        )
        return records, rejects, summary


def _platform_rows(plan: _FilePlan) -> np.ndarray:
    """Data row numbers of the platform table's rows: below the platform's extra header rows."""
    skipped = plan.table.header_rows
    return plan.raw.row_numbers()[skipped:] - skipped


@dataclass(frozen=True)
class _FilePlan:
    """What the first block of a file decided for all of it."""

    raw: RawTable
    table: PlatformTable
    roles: ColumnRoles
    layout: MessageLayout | None
    transcript: bool
    source: str
    channel: str | None

    @property
    def streamable(self) -> bool:
        """Whether later blocks can be read on their own (no header rows, no chat sessions)."""
        return (
            self.raw.file_format in ("csv", "tsv")
            and self.table.platform in ("generic", "tencent")
            and self.layout is None
            and not self.transcript
        )


def _plan(raw: RawTable, options: IngestOptions) -> _FilePlan:
    table = detect_platform(raw)
    frame = table.frame
    roles = infer_roles(
        frame,
        file=str(raw.path),
        text_cols=options.text_cols,
        user_id_col=options.user_id_col,
        time_col=options.time_col,
        rating_col=options.rating_col,
        aliases=table.aliases,
    )
    layout = find_message_layout(frame, roles.text[0]) if len(roles.text) == 1 else None
    transcript = (
        layout is None and len(roles.text) == 1 and is_transcript_column(frame[roles.text[0]])
    )
    source, channel = _detect_source(
        table,
        layout is not None or transcript,
        options.source,
        frame[roles.text[0]] if roles.text else None,
    )
    return _FilePlan(raw, table, roles, layout, transcript, source, channel)


def _add_summaries(first: FileSummary, later: FileSummary) -> FileSummary:
    """One file's summary from those of two of its blocks."""
    rejected = dict(first.rejected)
    for reason, n in later.rejected.items():
        rejected[reason] = rejected.get(reason, 0) + n
    return replace(
        first,
        rows_read=first.rows_read + later.rows_read,
        records=first.records + later.records,
        rows_in_records=first.rows_in_records + later.rows_in_records,
        rejected=dict(sorted(rejected.items())),
    )


def _count_duplicates(summary: FileSummary, n: int) -> FileSummary:
    rejected = dict(summary.rejected)
    rejected["duplicate"] = rejected.get("duplicate", 0) + n
    return replace(
        summary,
        records=summary.records - n,
        rows_in_records=summary.rows_in_records - n,
        rejected=dict(sorted(rejected.items())),
    )


def _finish(records: pd.DataFrame, row_numbers: bool) -> pd.DataFrame:
    """Drop the internal input-row column, or keep it as ``row`` after ``doc_id``."""
    if not row_numbers:
        return records.drop(columns="_row")
    rows = records.pop("_row")
    records.insert(1, "row", rows)
    return records


def _drop_duplicates(
    records: pd.DataFrame, finder: DuplicateFinder, file: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The records without duplicates, and the duplicates as rejects naming the copy kept."""
    found = finder.find(records["doc_id"], records["user_id"], records["text"], records["source"])
    original = pd.Series(found, index=records.index, dtype=object)
    # a chat session merges several rows into one record and is no repost: never a duplicate
    duplicate = original.notna() & (records["channel"] != "chat")
    if not duplicate.any():
        return records, pd.DataFrame(columns=list(REJECT_COLUMNS))
    dropped = records[duplicate]
    moved = pd.DataFrame(
        {
            "file": file,
            "row": dropped["_row"].to_numpy(dtype=int),
            "doc_id": dropped["doc_id"].to_numpy(dtype=object),
            "user_id": dropped["user_id"].to_numpy(dtype=object),
            "reason": "duplicate",
            "duplicate_of": original[duplicate].to_numpy(dtype=object),
            "text": dropped["text"].to_numpy(dtype=object),
        },
        columns=list(REJECT_COLUMNS),
    )
    return records[~duplicate].reset_index(drop=True), moved
