"""Customer-service chats: keep only the customer's words, one document per session.

Two layouts are recognised:

- **one row per message**, with a session column (会话ID, session_id ...) and a
  sender column (发送者, 角色, sender ...) whose values name roles (用户, 客服 ...);
- **one transcript per row**, whose lines start with a speaker prefix
  (``客服：``, ``用户:``, ``[2026-05-01 10:00] 昵称:``).

Agent turns and stock phrases (您好，很高兴为您服务 / 在吗 / 好的) are dropped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import pandas as pd

from ..resources import lexicon_file, read_table
from ..text import normalize_text
from .columns import canonical_name

__all__ = [
    "MessageLayout",
    "Speaker",
    "customer_text",
    "find_message_layout",
    "is_stock_phrase",
    "is_transcript_column",
    "merge_sessions",
    "speaker_of",
]

Speaker = Literal["customer", "agent", "unknown"]

SESSION_NAMES = (
    "会话id",
    "会话编号",
    "会话",
    "对话id",
    "对话编号",
    "session_id",
    "sessionid",
    "session",
    "conversation_id",
    "conversationid",
    "chat_id",
    "chatid",
)
SENDER_NAMES = (
    "发送者",
    "发送方",
    "发送人",
    "发言人",
    "发言方",
    "角色",
    "身份",
    "消息来源",
    "sender",
    "role",
    "speaker",
    "from",
    "author_type",
)
_PREFIX = re.compile(
    r"^\s*(?:[\[【(（][^\]】)）]{0,40}[\]】)）]\s*)?([^\s:：\[\]]{1,20})\s*[:：]\s*(.*)$"
)
_NON_WORD = re.compile(r"[\W_]+")
_MIN_TRANSCRIPT_SHARE = 0.5


@dataclass(frozen=True)
class MessageLayout:
    """Columns of a one-row-per-message chat export."""

    session: str
    sender: str


@lru_cache(maxsize=1)
def _roles() -> dict[str, str]:
    return {
        r["role"].lower(): r["speaker"]
        for r in read_table(lexicon_file("speaker_roles.tsv"), ["role", "speaker"])
    }


@lru_cache(maxsize=1)
def _stock_phrases() -> frozenset[str]:
    rows = read_table(lexicon_file("stock_phrases.tsv"), ["phrase", "speaker"])
    return frozenset(_NON_WORD.sub("", r["phrase"]).lower() for r in rows)


def speaker_of(label: str) -> Speaker:
    """``customer``, ``agent`` or ``unknown`` for a sender label or nickname.

    Examples
    --------
    >>> [speaker_of(s) for s in ["用户", "客服小美", "Agent", "张三"]]
    ['customer', 'agent', 'agent', 'unknown']
    """
    key = label.strip().lower()
    roles = _roles()
    if key in roles:
        return "customer" if roles[key] == "customer" else "agent"
    for role, speaker in roles.items():
        if speaker == "agent" and len(role) >= 2 and role in key:
            return "agent"
    return "unknown"


def is_stock_phrase(line: str) -> bool:
    """Whether a line is a greeting or boilerplate that says nothing about the service."""
    return _NON_WORD.sub("", normalize_text(line)).lower() in _stock_phrases()


def find_message_layout(frame: pd.DataFrame, text_col: str) -> MessageLayout | None:
    """The session and sender columns, when ``frame`` holds one chat message per row."""
    canon = {canonical_name(str(c)): str(c) for c in frame.columns if c != text_col}
    session = next((canon[n] for n in SESSION_NAMES if n in canon), None)
    sender = next((canon[n] for n in SENDER_NAMES if n in canon), None)
    if session is None or sender is None:
        return None
    labels = frame[sender].dropna().astype(str)
    if labels.empty or labels.map(speaker_of).eq("unknown").mean() > 0.5:
        return None
    return MessageLayout(session, sender)


def is_transcript_column(values: pd.Series) -> bool:
    """Whether most cells are multi-line transcripts with speaker prefixes."""
    present = values.dropna().astype(str)
    if present.empty:
        return False

    def prefixed(cell: str) -> bool:
        lines = [line for line in cell.splitlines() if line.strip()]
        if len(lines) < 2:
            return False
        hits = [m for m in map(_PREFIX.match, lines) if m]
        named = any(speaker_of(m.group(1)) != "unknown" for m in hits) or all(
            _is_nickname_line(line) for line in lines[:2]
        )
        return len(hits) >= 0.5 * len(lines) and named

    return bool(present.map(prefixed).mean() >= _MIN_TRANSCRIPT_SHARE)


def customer_text(transcript: str) -> str:
    """The customer's lines of a speaker-prefixed transcript, stock phrases removed.

    A line without a prefix continues the previous speaker's turn. A nickname
    that is neither a known customer nor an agent role counts as the customer.

    Examples
    --------
    >>> customer_text("客服：您好，很高兴为您服务\\n用户：在吗\\n用户：会员被重复扣费了\\n客服：请稍等")
    '会员被重复扣费了'
    """
    kept: list[str] = []
    speaker: Speaker = "unknown"
    for line in transcript.splitlines():
        if not line.strip():
            continue
        match = _PREFIX.match(line)
        if match and (speaker_of(match.group(1)) != "unknown" or _is_nickname_line(line)):
            speaker = speaker_of(match.group(1))
            line = match.group(2)
        if speaker != "agent" and line.strip() and not is_stock_phrase(line):
            kept.append(line.strip())
    return "\n".join(kept)


def _is_nickname_line(line: str) -> bool:
    """``[time] nickname: ...`` lines name their speaker even when the nickname is unknown."""
    return line.lstrip().startswith(("[", "【", "(", "（"))


def merge_sessions(
    frame: pd.DataFrame, layout: MessageLayout, text_col: str, keys: Sequence[str]
) -> tuple[pd.DataFrame, pd.Series]:
    """Group customer messages into one row per session (and user, when known).

    Returns
    -------
    merged : pandas.DataFrame
        One row per session: the first customer message's row, with the text
        column holding all the customer's messages joined by line breaks, and
        a ``_rows`` column listing the 0-based input rows merged into it.
    reasons : pandas.Series
        For every input row, ``None`` when merged, else the reject reason
        (``agent_turn``, ``stock_phrase``).
    """
    speakers = frame[layout.sender].fillna("").astype(str).map(speaker_of)
    texts = frame[text_col]
    reasons = pd.Series([None] * len(frame), index=frame.index, dtype=object)
    reasons[speakers == "agent"] = "agent_turn"
    stock = texts.map(lambda t: isinstance(t, str) and is_stock_phrase(t))
    reasons[(speakers != "agent") & stock] = "stock_phrase"
    customer = frame[reasons.isna()]
    group_keys = [layout.session, *[k for k in keys if k != layout.session]]
    rows = []
    for _, group in customer.groupby(
        [customer[k].fillna("") for k in group_keys], sort=False, dropna=False
    ):
        first = group.iloc[0].copy()
        first[text_col] = "\n".join(t for t in group[text_col] if isinstance(t, str) and t.strip())
        first["_rows"] = list(group.index)
        rows.append(first)
    merged = (
        pd.DataFrame(rows, columns=[*frame.columns, "_rows"])
        if rows
        else frame.iloc[:0].assign(_rows=None)
    )
    return merged.reset_index(drop=True), reasons
