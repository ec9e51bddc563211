"""From raw tables to canonical records and rejects.

Every input row ends in exactly one place: in a record (a chat session's
customer messages share one record), or among the rejects with a reason.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

import pandas as pd

from ..errors import FeedbackMinerError, invalid_choice_message
from ..resources import lexicon_file, read_table
from ..text import mask_pii, normalize_text, to_simplified
from .chat import (
    MessageLayout,
    customer_text,
    find_message_layout,
    is_transcript_column,
    merge_sessions,
)
from .columns import ColumnRoles, canonical_name, infer_roles
from .dedupe import DuplicateFinder
from .platforms import PlatformTable, detect_platform, plain_rows
from .readers import RawTable, iter_raw_tables
from .social import clean_social_post

__all__ = [
    "RECORD_COLUMNS",
    "REJECT_COLUMNS",
    "REJECT_REASONS",
    "SOURCES",
    "FileSummary",
    "IngestOptions",
    "IngestResult",
    "IngestStream",
    "Source",
    "ingest_file",
    "ingest_files",
    "load_non_answers",
]

logger = logging.getLogger(__name__)

Source = Literal["survey", "service", "social"]
SOURCES: tuple[str, ...] = ("survey", "service", "social", "auto")
RECORD_COLUMNS = ("doc_id", "user_id", "source", "channel", "created_at", "text", "rating")
REJECT_COLUMNS = ("file", "row", "doc_id", "user_id", "reason", "duplicate_of", "text")
REJECT_REASONS = {
    "empty_row": "the row is empty",
    "empty_text": "no free text in the row",
    "non_answer": "the answer says nothing (无, 不知道, 。。。)",
    "repost_only": "a repost with no words of the author's own",
    "agent_turn": "a chat message written by an agent",
    "stock_phrase": "a greeting or boilerplate chat message (在吗, 好的)",
    "no_customer_text": "a chat transcript with no customer words",
    "duplicate": "the same text as an earlier record (see duplicate_of)",
}

_SERVICE_HINTS = ("工单", "客服", "会话", "ticket", "session", "坐席", "处理人")
_SOCIAL_HINTS = (
    "微博",
    "转发",
    "点赞",
    "评论数",
    "粉丝",
    "repost",
    "likes",
    "小红书",
    "话题",
    "笔记",
)
_PUNCTUATION_ONLY = re.compile(r"^[\W_]+$")


@dataclass(frozen=True)
class IngestOptions:
    """Column and source options shared by every input file (the CLI's options).

    Attributes
    ----------
    text_cols : tuple of str
        Free-text columns; inferred when empty.
    user_id_col, time_col, rating_col : str or None
        Columns for these roles; inferred when ``None``.
    source : {"survey", "service", "social", "auto"}
        The kind of input; ``auto`` decides from the columns.
    """

    text_cols: tuple[str, ...] = ()
    user_id_col: str | None = None
    time_col: str | None = None
    rating_col: str | None = None
    source: str = "auto"

    def __post_init__(self) -> None:
        if self.source not in SOURCES:
            raise ValueError(invalid_choice_message("--source", self.source, SOURCES))


@dataclass(frozen=True)
class FileSummary:
    """What ingest did with one file, for the data-quality sheet.

    ``rows_read == rows_in_records + sum(rejected.values())`` always; for chat
    exports several rows (messages) make one record, elsewhere
    ``rows_in_records == records``.
    """

    file: str
    file_format: str
    encoding: str | None
    platform: str
    source: str
    channel: str | None
    roles: ColumnRoles
    rows_read: int
    records: int
    rows_in_records: int
    rejected: dict[str, int] = field(default_factory=dict)

    def describe_roles(self) -> str:
        """The column mapping in one line, e.g. ``text=原因 (content); user_id=用户ID (name)``."""
        parts = [f"text={'+'.join(self.roles.text)} ({self.roles.how.get('text', '')})"]
        for role in ("user_id", "time", "rating", "record_id"):
            column = getattr(self.roles, role)
            if column:
                parts.append(f"{role}={column} ({self.roles.how.get(role, '')})")
        return "; ".join(parts)


@dataclass(frozen=True)
class IngestResult:
    """Records, rejects and one summary per file."""

    records: pd.DataFrame
    rejects: pd.DataFrame
    files: tuple[FileSummary, ...]


def load_non_answers() -> frozenset[str]:
    """Answers that say nothing (无, 不知道, 。。。): ``lexicons/non_answers.tsv``."""
    return frozenset(
        r["text"].lower() for r in read_table(lexicon_file("non_answers.tsv"), ["text"])
    )


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
    stream = IngestStream(paths, options, row_numbers=row_numbers)
    chunks = list(stream)
    records = pd.concat(chunks, ignore_index=True) if chunks else stream.empty_records()
    return IngestResult(records, stream.rejects(), stream.files)


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
    chunks = list(stream)
    records = pd.concat(chunks, ignore_index=True) if chunks else stream.empty_records()
    return IngestResult(records, stream.rejects(), stream.files)


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
    on_rows : callable, optional
        Called with the number of rows of each file when it is opened (an
        estimate for files read in blocks: their line count), for progress bars.
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
        self._rejects: list[pd.DataFrame] = []
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
                    self._rejects.append(rejects)
                if len(records):
                    yield _finish(records, self.row_numbers)
            if summary is not None:
                logger.info("%s: %s", summary.file, summary.describe_roles())
                self.files = (*self.files, summary)

    def rejects(self) -> pd.DataFrame:
        """Every reject so far, in input order."""
        if not self._rejects:
            return pd.DataFrame(columns=list(REJECT_COLUMNS))
        rejects = pd.concat(self._rejects, ignore_index=True)
        # concat turns the None of rows that duplicate nothing into NaN: keep them None
        rejects["duplicate_of"] = (
            rejects["duplicate_of"].astype(object).where(rejects["duplicate_of"].notna(), None)
        )
        return rejects

    def empty_records(self) -> pd.DataFrame:
        """A records table without rows (every input row was rejected)."""
        columns = list(RECORD_COLUMNS)
        if self.row_numbers:
            columns.insert(1, "row")
        return pd.DataFrame(columns=columns)

    def _file_parts(self, path: Path) -> Iterator[tuple[pd.DataFrame, pd.DataFrame, FileSummary]]:
        """One file's records and rejects (duplicates not yet flagged), block by block."""
        blocks = iter_raw_tables(path, self.block_rows)
        first = next(blocks)
        try:
            plan: _FilePlan | None = _plan(first, self.options)
        except FeedbackMinerError:
            plan = None  # a first block of header rows only: decide on the whole table
        if plan is None or not plan.streamable:
            rest = [block.frame for block in blocks]
            if rest or plan is None:  # needs the whole table: platform rows, chat sessions
                whole = pd.concat([first.frame, *rest], ignore_index=True)
                plan = _plan(replace(first, frame=whole), self.options)
            yield self._part(plan, plan.table.frame, 1)
            return
        yield self._part(plan, plan.table.frame, 1)
        for block in blocks:
            yield self._part(plan, plain_rows(block.frame, plan.table.platform), block.first_row)

    def _part(
        self, plan: _FilePlan, frame: pd.DataFrame, first_row: int
    ) -> tuple[pd.DataFrame, pd.DataFrame, FileSummary]:
        raw = plan.raw
        builder = _Builder(
            raw.path, frame, plan.roles, plan.source, plan.channel, self.non_answers, first_row
        )
        records, rejects, rows_in_records = (
            builder.from_messages(plan.layout)
            if plan.layout
            else builder.from_rows(transcript=plan.transcript)
        )
        summary = FileSummary(
            file=str(raw.path),
            file_format=raw.file_format,
            encoding=raw.encoding,
            platform=plan.table.platform,
            source=plan.source,
            channel=plan.channel,
            roles=plan.roles,
            rows_read=len(frame),
            records=len(records),
            rows_in_records=rows_in_records,
            rejected=_count_reasons(rejects),
        )
        return records, rejects, summary


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
    source, channel = _detect_source(table, layout is not None or transcript, options.source)
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


def _count_reasons(rejects: pd.DataFrame) -> dict[str, int]:
    return {str(k): int(v) for k, v in rejects["reason"].value_counts().sort_index().items()}


def _detect_source(table: PlatformTable, chat: bool, wanted: str) -> tuple[str, str | None]:
    platform_channel = table.platform if table.platform != "generic" else None
    names = " ".join(canonical_name(str(c)) for c in table.frame.columns)
    channel: str | None
    if chat:
        guess, channel = "service", "chat"
    elif platform_channel:
        guess, channel = "survey", platform_channel
    elif any(h in names for h in _SERVICE_HINTS):
        guess, channel = "service", "ticket"
    elif any(h in names for h in _SOCIAL_HINTS):
        guess, channel = "social", "weibo" if "微博" in names or "转发" in names else None
    else:
        guess, channel = "survey", None
    return (guess if wanted == "auto" else wanted), channel


class _Builder:
    """Turns one platform-normalised table into records and rejects."""

    def __init__(
        self,
        path: Path,
        frame: pd.DataFrame,
        roles: ColumnRoles,
        source: str,
        channel: str | None,
        non_answers: frozenset[str],
        first_row: int = 1,
    ) -> None:
        self.path, self.frame, self.roles = path, frame, roles
        self.source, self.channel, self.non_answers = source, channel, non_answers
        self.stem = path.stem
        self.rows = pd.Series(range(first_row, first_row + len(frame)), index=frame.index)

    def _clean(self, text: str) -> tuple[str, str]:
        """Cleaned text and the hashtags it carried (social posts only).

        Personal data is masked before social cleaning, so that an e-mail
        address is not mistaken for an @mention.
        """
        text = mask_pii(to_simplified(normalize_text(text)))
        topics: list[str] = []
        if self.source == "social":
            text, topics = clean_social_post(text)
        return text, ";".join(topics)

    def _reason(self, raw_text: str, cleaned: str) -> str | None:
        if not raw_text.strip():
            return "empty_text"
        if not cleaned:
            return "repost_only" if self.source == "social" else "non_answer"
        compact = cleaned.strip().lower()
        if compact in self.non_answers or _PUNCTUATION_ONLY.match(compact) or len(compact) == 1:
            return "non_answer"
        return None

    def from_rows(self, *, transcript: bool) -> tuple[pd.DataFrame, pd.DataFrame, int]:
        frame, roles = self.frame, self.roles
        columns = [frame[c].tolist() for c in roles.text]
        texts = pd.Series(
            [
                "\n".join(v for v in row if isinstance(v, str) and v.strip())
                for row in zip(*columns, strict=True)
            ],
            index=frame.index,
            dtype=object,
        )
        if transcript:
            customer = texts.map(customer_text)
            no_customer = (texts.str.strip() != "") & (customer == "")
            texts_for_records = customer
        else:
            no_customer = pd.Series(False, index=frame.index)
            texts_for_records = texts
        cleaned = texts_for_records.map(self._clean)
        clean_text = cleaned.map(lambda c: c[0])
        topics = cleaned.map(lambda c: c[1])
        reasons = pd.Series(
            [self._reason(t, c) for t, c in zip(texts_for_records, clean_text, strict=True)],
            index=frame.index,
            dtype=object,
        )
        reasons[no_customer] = "no_customer_text"
        reasons[frame.isna().all(axis=1)] = "empty_row"
        doc_ids = self._doc_ids(frame, roles.record_id)
        keep = reasons.isna()
        records = self._records(
            frame[keep], doc_ids[keep], clean_text[keep], topics[keep], self.rows[keep]
        )
        rejects = self._rejects(~keep, doc_ids, reasons, texts)
        return records, rejects, int(keep.sum())

    def from_messages(self, layout: MessageLayout) -> tuple[pd.DataFrame, pd.DataFrame, int]:
        frame, roles = self.frame, self.roles
        text_col = roles.text[0]
        keys = [roles.user_id] if roles.user_id else []
        merged, reasons = merge_sessions(frame, layout, text_col, keys)
        session_ids = self.stem + ":" + merged[layout.session].fillna("").astype(str)
        if roles.user_id and session_ids.duplicated().any():
            session_ids = session_ids + ":" + merged[roles.user_id].fillna("").astype(str)
        cleaned = merged[text_col].map(lambda t: self._clean(t) if isinstance(t, str) else ("", ""))
        clean_text = cleaned.map(lambda c: c[0])
        empty = clean_text.map(lambda t: self._reason(t, t) is not None)
        # every row is labelled with its session's document id; a session whose
        # customer said nothing usable has all its rows rejected
        doc_of_row = self.stem + ":" + frame[layout.session].fillna("").astype(str)
        for i, rows in enumerate(merged["_rows"]):
            doc_of_row[rows] = session_ids.iloc[i]
            if empty.iloc[i]:
                reasons[rows] = "no_customer_text"
        kept = merged[~empty.to_numpy()]
        records = self._records(
            kept.drop(columns=["_rows", layout.sender]),
            session_ids[~empty.to_numpy()],
            clean_text[~empty.to_numpy()],
            pd.Series("", index=kept.index),
            kept["_rows"].map(lambda rows: int(rows[0]) + 1),
        )
        rejects = self._rejects(reasons.notna(), doc_of_row, reasons, frame[text_col])
        rows_in_records = int(sum(len(r) for r in kept["_rows"]))
        return records, rejects, rows_in_records

    def _doc_ids(self, frame: pd.DataFrame, record_id: str | None) -> pd.Series:
        by_row = self.stem + ":" + self.rows.astype(str)
        if not record_id:
            return by_row
        own = self.stem + ":" + frame[record_id].fillna("").astype(str)
        return own.where(frame[record_id].notna(), by_row)

    def _records(
        self,
        rows: pd.DataFrame,
        doc_ids: pd.Series,
        texts: pd.Series,
        topics: pd.Series,
        row_numbers: pd.Series,
    ) -> pd.DataFrame:
        """Canonical records; ``_row`` (the input row) is dropped once duplicates are found."""
        roles = self.roles
        n = len(rows)
        records = pd.DataFrame(
            {
                "doc_id": doc_ids.to_numpy(dtype=object),
                "user_id": rows[roles.user_id].to_numpy(dtype=object)
                if roles.user_id
                else [None] * n,
                "source": [self.source] * n,
                "channel": [self.channel] * n,
                "created_at": _parse_times(rows[roles.time]).to_numpy()
                if roles.time
                else [pd.NaT] * n,
                "text": texts.to_numpy(dtype=object),
                "rating": pd.to_numeric(rows[roles.rating], errors="coerce").to_numpy(dtype=float)
                if roles.rating
                else [float("nan")] * n,
            }
        )
        records["created_at"] = pd.to_datetime(records["created_at"])
        records["rating"] = records["rating"].astype(float)
        used = roles.used()
        for column in rows.columns:
            if column not in used:
                records[f"meta:{column}"] = [
                    mask_pii(v) if isinstance(v, str) else v
                    for v in rows[column].to_numpy(dtype=object)
                ]
        if self.source == "social":
            records["meta:话题"] = topics.to_numpy(dtype=object)
        records["_row"] = row_numbers.to_numpy(dtype=int)
        return records

    def _rejects(
        self, mask: pd.Series, doc_ids: pd.Series, reasons: pd.Series, texts: pd.Series
    ) -> pd.DataFrame:
        users = (
            self.frame[self.roles.user_id]
            if self.roles.user_id
            else pd.Series(None, index=self.frame.index)
        )
        return pd.DataFrame(
            {
                "file": str(self.path),
                "row": self.rows[mask].astype(int).to_numpy(),
                "doc_id": doc_ids[mask].to_numpy(dtype=object),
                "user_id": users[mask].to_numpy(dtype=object),
                "reason": reasons[mask].to_numpy(dtype=object),
                "duplicate_of": None,
                "text": [mask_pii(t) if isinstance(t, str) else t for t in texts[mask]],
            },
            columns=list(REJECT_COLUMNS),
        )


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


def _parse_times(values: pd.Series) -> pd.Series:
    parsed = pd.to_datetime(values, errors="coerce", format="mixed")
    if getattr(parsed.dt, "tz", None) is not None:
        parsed = parsed.dt.tz_convert(None)
    return parsed
