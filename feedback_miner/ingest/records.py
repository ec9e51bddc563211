"""From raw tables to canonical records and rejects.

Every input row ends in exactly one place: in a record (a chat session's
customer messages share one record), or among the rejects with a reason.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from ..errors import invalid_choice_message
from ..resources import lexicon_file, read_table
from ..text import guard_formula_start, mask_pii, normalize_text, to_simplified
from ..text.entities import EntityFinder
from .chat import MessageLayout, customer_text, merge_sessions
from .columns import ColumnRoles, canonical_name
from .platforms import PlatformTable
from .questions import looks_social, score_numbers
from .raw import RAW_REJECT_REASONS, RejectedRow
from .social import clean_social_post
from .times import parse_times

__all__ = [
    "ADDRESSEE_COLUMN",
    "RECORD_COLUMNS",
    "REJECT_COLUMNS",
    "REJECT_REASONS",
    "SOURCES",
    "FileSummary",
    "IngestOptions",
    "IngestResult",
    "Source",
    "load_non_answers",
]

logger = logging.getLogger(__name__)

Source = Literal["survey", "service", "social"]
SOURCES: tuple[str, ...] = ("survey", "service", "social", "auto")
RECORD_COLUMNS = ("doc_id", "user_id", "source", "channel", "created_at", "text", "rating")
# after the canonical columns: the organisation the text addresses (@中国联通客服 -> 中国联通)
ADDRESSEE_COLUMN = "addressee"
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
    **RAW_REJECT_REASONS,
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
    sheet : str or None
        For workbooks, the sheet to read; by default the one with the most values.
    per_file : tuple of (path, FileColumns)
        Columns chosen for single inputs, which take the place of the shared ones.
    """

    text_cols: tuple[str, ...] = ()
    user_id_col: str | None = None
    time_col: str | None = None
    rating_col: str | None = None
    source: str = "auto"
    sheet: str | None = None
    per_file: tuple[tuple[str, FileColumns], ...] = ()

    def __post_init__(self) -> None:
        if self.source not in SOURCES:
            raise ValueError(invalid_choice_message("--source", self.source, SOURCES))

    def for_file(self, path: str | Path) -> IngestOptions:
        """The options for one input: its own columns (:attr:`per_file`, keyed by the
        input's path as given) before the shared ones."""
        own = {str(Path(k)): v for k, v in self.per_file}.get(str(Path(path)))
        if own is None:
            return self
        return replace(
            self,
            text_cols=own.text_cols or self.text_cols,
            user_id_col=own.user_id_col or self.user_id_col,
            time_col=own.time_col or self.time_col,
            per_file=(),
        )


@dataclass(frozen=True)
class FileColumns:
    """The columns chosen for one input file (the upload page chooses them per file).

    Attributes
    ----------
    text_cols : tuple of str
        Its free-text columns; the shared ones (or inferred) when empty.
    user_id_col, time_col : str or None
        Its user id and time columns; the shared ones (or inferred) when ``None``.
    """

    text_cols: tuple[str, ...] = ()
    user_id_col: str | None = None
    time_col: str | None = None


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
    sheet: str | None = None
    other_sheets: tuple[str, ...] = ()

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


def _count_reasons(rejects: pd.DataFrame) -> dict[str, int]:
    return {str(k): int(v) for k, v in rejects["reason"].value_counts().sort_index().items()}


def _detect_source(
    table: PlatformTable, chat: bool, wanted: str, texts: pd.Series | None = None
) -> tuple[str, str | None]:
    """The source and channel of a file: from its platform, its column names, and the
    content of its text column ``texts`` (reposts, replies and tags make it social)."""
    platform_channel = table.platform if table.platform != "generic" else None
    names = " ".join(canonical_name(str(c)) for c in table.frame.columns)
    channel: str | None
    social_text = texts is not None and looks_social(texts)
    if chat:
        guess, channel = "service", "chat"
    elif platform_channel:
        guess, channel = "survey", platform_channel
    elif any(h in names for h in _SERVICE_HINTS):
        guess, channel = "service", "ticket"
    elif social_text or any(h in names for h in _SOCIAL_HINTS):
        reposts = texts is not None and texts.astype(str).str.contains("//@|转发微博").any()
        weibo = "微博" in names or "转发" in names or reposts
        guess, channel = "social", "weibo" if weibo else None
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
        rows: np.ndarray | None = None,
    ) -> None:
        self.path, self.frame, self.roles = path, frame, roles
        self.source, self.channel, self.non_answers = source, channel, non_answers
        self.stem = path.stem
        numbers = np.arange(1, len(frame) + 1) if rows is None else rows
        self.rows = pd.Series(numbers, index=frame.index)
        self.entities = EntityFinder()

    def _clean(self, text: str) -> tuple[str, str, str]:
        """Cleaned text, the hashtags it carried (social posts only) and its addressee.

        Personal data is masked before social cleaning, so that an e-mail
        address is not mistaken for an @mention; the addressee is read before
        social cleaning takes the @mentions out.
        """
        cleaned = mask_pii(to_simplified(normalize_text(text)))
        addressee = self.entities.addressee(cleaned)
        topics: list[str] = []
        if self.source == "social":
            cleaned, topics = clean_social_post(cleaned)
        return guard_formula_start(cleaned, original=text), ";".join(topics), addressee

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
        addressees = cleaned.map(lambda c: c[2])
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
            frame[keep],
            doc_ids[keep],
            clean_text[keep],
            topics[keep],
            self.rows[keep],
            addressees[keep],
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
        cleaned = merged[text_col].map(
            lambda t: self._clean(t) if isinstance(t, str) else ("", "", "")
        )
        clean_text = cleaned.map(lambda c: c[0])
        addressees = cleaned.map(lambda c: c[2])
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
            addressees[~empty.to_numpy()],
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
        addressees: pd.Series,
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
                "created_at": parse_times(rows[roles.time]).to_numpy()
                if roles.time
                else [pd.NaT] * n,
                "text": texts.to_numpy(dtype=object),
                "rating": score_numbers(rows[roles.rating]).to_numpy(dtype=float)
                if roles.rating
                else [float("nan")] * n,
            }
        )
        records["created_at"] = pd.to_datetime(records["created_at"])
        records["rating"] = records["rating"].astype(float)
        records[ADDRESSEE_COLUMN] = addressees.to_numpy(dtype=object)
        used = roles.used()
        # the other columns in one step: added one by one, thousands of them take minutes
        extra = {
            f"meta:{column}": [
                mask_pii(v) if isinstance(v, str) else v
                for v in rows[column].to_numpy(dtype=object)
            ]
            for column in rows.columns
            if column not in used
        }
        if self.source == "social":
            extra["meta:话题"] = list(topics.to_numpy(dtype=object))
        extra["_row"] = list(row_numbers.to_numpy(dtype=int))
        meta = pd.DataFrame(extra, index=records.index)
        meta["_row"] = meta["_row"].astype(int)
        return pd.concat([records, meta], axis=1)

    def raw_rejects(self, rejected: tuple[RejectedRow, ...]) -> pd.DataFrame:
        """Rows refused while reading (ragged rows, NUL bytes) as rejects."""
        return pd.DataFrame(
            {
                "file": str(self.path),
                "row": [r.row for r in rejected],
                "doc_id": [f"{self.stem}:{r.row}" for r in rejected],
                "user_id": None,
                "reason": [r.reason for r in rejected],
                "duplicate_of": None,
                "text": [mask_pii(r.text) for r in rejected],
            },
            columns=list(REJECT_COLUMNS),
        )

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
