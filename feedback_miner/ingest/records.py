"""From raw tables to canonical records and rejects.

Every input row ends in exactly one of the two tables: a record (the canonical
columns of DESIGN.md) or a reject with a reason.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import pandas as pd

from ..errors import invalid_choice_message
from ..resources import lexicon_file, read_table
from ..text import mask_pii, normalize_text
from .columns import ColumnRoles, canonical_name, infer_roles
from .readers import RawTable, read_raw_table

__all__ = [
    "RECORD_COLUMNS",
    "REJECT_COLUMNS",
    "SOURCES",
    "FileSummary",
    "IngestOptions",
    "IngestResult",
    "Source",
    "ingest_file",
    "ingest_files",
    "load_non_answers",
]

logger = logging.getLogger(__name__)

Source = Literal["survey", "service", "social"]
SOURCES: tuple[str, ...] = ("survey", "service", "social", "auto")
RECORD_COLUMNS = ("doc_id", "user_id", "source", "channel", "created_at", "text", "rating")
REJECT_COLUMNS = ("file", "row", "doc_id", "user_id", "reason", "text")

_WJX_COLUMNS = {"序号", "提交答卷时间", "所用时间", "来源", "来源详情", "来自ip"}
_TENCENT_COLUMNS = {"编号", "开始答题时间", "结束答题时间", "答题时长", "用户标识"}
_SERVICE_HINTS = ("工单", "客服", "会话", "ticket", "session", "坐席", "处理人")
_SOCIAL_HINTS = ("微博", "转发", "点赞", "评论数", "粉丝", "repost", "likes", "小红书", "话题")
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
    """What ingest did with one file, for the data-quality sheet."""

    file: str
    file_format: str
    encoding: str | None
    source: str
    channel: str | None
    roles: ColumnRoles
    rows_read: int
    records: int
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


def ingest_files(paths: Sequence[str | Path], options: IngestOptions | None = None) -> IngestResult:
    """Read several files into one set of records and rejects (see :func:`ingest_file`)."""
    options = options or IngestOptions()
    non_answers = load_non_answers()
    parts = [ingest_file(p, options, non_answers=non_answers) for p in paths]
    records = pd.concat([p.records for p in parts], ignore_index=True)
    rejects = pd.concat([p.rejects for p in parts], ignore_index=True)
    duplicated = records["doc_id"].duplicated(keep=False)
    if duplicated.any():
        # Two inputs share a file stem and ids: make ids unique by input position.
        position = pd.Series(
            [i for i, p in enumerate(parts) for _ in range(len(p.records))], index=records.index
        )
        records.loc[duplicated, "doc_id"] = (
            records.loc[duplicated, "doc_id"] + "#" + (position[duplicated] + 1).astype(str)
        )
    return IngestResult(records, rejects, tuple(f for p in parts for f in p.files))


def ingest_file(
    path: str | Path,
    options: IngestOptions | None = None,
    *,
    non_answers: frozenset[str] | None = None,
) -> IngestResult:
    """Read one file into canonical records and rejects.

    Parameters
    ----------
    path : str or Path
        A CSV, TSV or Excel export.
    options : IngestOptions, optional
        Column and source options.
    non_answers : frozenset of str, optional
        Texts rejected as ``non_answer``; the shipped list when not given.

    Returns
    -------
    IngestResult
        ``records`` with the columns of :data:`RECORD_COLUMNS` plus ``meta:``
        columns, ``rejects`` with :data:`REJECT_COLUMNS`.
    """
    options = options or IngestOptions()
    non_answers = load_non_answers() if non_answers is None else non_answers
    raw = read_raw_table(path)
    roles = infer_roles(
        raw.frame,
        file=str(raw.path),
        text_cols=options.text_cols,
        user_id_col=options.user_id_col,
        time_col=options.time_col,
        rating_col=options.rating_col,
    )
    source, channel = _detect_source(raw, roles, options.source)
    records, rejects = _build(raw, roles, source, channel, non_answers)
    counts = rejects["reason"].value_counts().to_dict() if len(rejects) else {}
    summary = FileSummary(
        file=str(raw.path),
        file_format=raw.file_format,
        encoding=raw.encoding,
        source=source,
        channel=channel,
        roles=roles,
        rows_read=len(raw.frame),
        records=len(records),
        rejected={str(k): int(v) for k, v in counts.items()},
    )
    logger.info("%s: %s", raw.path, summary.describe_roles())
    return IngestResult(records, rejects, (summary,))


def _detect_source(raw: RawTable, roles: ColumnRoles, wanted: str) -> tuple[str, str | None]:
    names = {canonical_name(str(c)) for c in raw.frame.columns}
    if len(names & _WJX_COLUMNS) >= 3:
        channel: str | None = "wjx"
    elif len(names & {canonical_name(c) for c in _TENCENT_COLUMNS}) >= 3:
        channel = "tencent"
    else:
        channel = None
    joined = " ".join(names)
    if wanted != "auto":
        return wanted, channel
    if channel:
        return "survey", channel
    if any(h in joined for h in _SERVICE_HINTS):
        return "service", "ticket"
    if any(h in joined for h in _SOCIAL_HINTS):
        return "social", "weibo" if "微博" in joined or "转发" in joined else None
    return "survey", None


def _build(
    raw: RawTable, roles: ColumnRoles, source: str, channel: str | None, non_answers: frozenset[str]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    frame = raw.frame
    stem = raw.path.stem
    texts = _joined_text(frame, roles.text)
    cleaned = texts.map(lambda t: mask_pii(normalize_text(t)) if t else "")
    if roles.record_id:
        doc_ids = stem + ":" + frame[roles.record_id].fillna("").astype(str)
        doc_ids = doc_ids.where(frame[roles.record_id].notna(), stem + ":" + _row_numbers(frame))
    else:
        doc_ids = stem + ":" + _row_numbers(frame)
    user_ids = (
        frame[roles.user_id] if roles.user_id else pd.Series([None] * len(frame), dtype=object)
    )
    reasons = cleaned.map(lambda t: _reject_reason(t, non_answers))
    empty_rows = frame.isna().all(axis=1)
    reasons = reasons.where(~empty_rows, "empty_row")

    keep = reasons.isna()
    records = pd.DataFrame(
        {
            "doc_id": doc_ids[keep].to_numpy(dtype=object),
            "user_id": user_ids[keep].to_numpy(dtype=object),
            "source": source,
            "channel": channel,
            "created_at": _parse_times(frame[roles.time])[keep].to_numpy()
            if roles.time
            else pd.NaT,
            "text": cleaned[keep].to_numpy(dtype=object),
            "rating": pd.to_numeric(frame[roles.rating], errors="coerce")[keep].to_numpy()
            if roles.rating
            else float("nan"),
        }
    )
    records["created_at"] = pd.to_datetime(records["created_at"])
    records["rating"] = records["rating"].astype(float)
    for column in frame.columns:
        if column not in roles.used():
            records[f"meta:{column}"] = frame[column][keep].to_numpy(dtype=object)
    drop = ~keep
    rejects = pd.DataFrame(
        {
            "file": str(raw.path),
            "row": _row_numbers(frame)[drop].astype(int).to_numpy(),
            "doc_id": doc_ids[drop].to_numpy(dtype=object),
            "user_id": user_ids[drop].to_numpy(dtype=object),
            "reason": reasons[drop].to_numpy(dtype=object),
            "text": texts[drop].to_numpy(dtype=object),
        },
        columns=list(REJECT_COLUMNS),
    )
    return records, rejects


def _row_numbers(frame: pd.DataFrame) -> pd.Series:
    """1-based data row numbers (the first row under the header is 1)."""
    return pd.Series(range(1, len(frame) + 1), index=frame.index).astype(str)


def _joined_text(frame: pd.DataFrame, columns: Sequence[str]) -> pd.Series:
    parts = frame[list(columns)]
    return (
        parts.apply(
            lambda row: "\n".join(str(v) for v in row if isinstance(v, str) and v.strip()), axis=1
        ).astype(object)
        if len(frame)
        else pd.Series([], dtype=object)
    )


def _reject_reason(text: str, non_answers: frozenset[str]) -> str | None:
    if not text:
        return "empty_text"
    compact = text.strip().lower()
    if compact in non_answers or _PUNCTUATION_ONLY.match(compact) or len(compact) == 1:
        return "non_answer"
    return None


def _parse_times(values: pd.Series) -> pd.Series:
    parsed = pd.to_datetime(values, errors="coerce", format="mixed")
    if getattr(parsed.dt, "tz", None) is not None:
        parsed = parsed.dt.tz_convert(None)
    return parsed
