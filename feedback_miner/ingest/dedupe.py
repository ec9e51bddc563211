"""Exact and near duplicates: reposts, copy-paste, a form submitted twice.

Two texts are the same when they are equal after removing punctuation, spaces,
emoticons and case ("near" duplicates differ only in those). A later copy is a
duplicate of the first when both come from the same user, or, outside
surveys, when either has no user id and the text is a sentence of at least 15
characters (a repost or a copy-paste). Different users, and survey
respondents (each row of a survey export is one submission), who give the
same answer (太贵了, 影视┋购物) are not duplicates.
"""

from __future__ import annotations

import re

import pandas as pd

__all__ = ["duplicate_key", "find_duplicates"]

_BRACKET_EMOTICON = re.compile(r"\[[^\[\]\s]{1,8}\]")
_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)
MIN_ANONYMOUS_COPY_CHARS = 15


def duplicate_key(text: str) -> str:
    """The text without emoticons, punctuation, spaces and case.

    Examples
    --------
    >>> duplicate_key("客服太差了！！[怒] ")
    '客服太差了'
    """
    return _NOT_WORD.sub("", _BRACKET_EMOTICON.sub("", text)).lower()


def find_duplicates(
    doc_ids: pd.Series, user_ids: pd.Series, texts: pd.Series, sources: pd.Series
) -> pd.Series:
    """For each record, the ``doc_id`` of the earlier copy it duplicates, else ``None``."""
    first: dict[str, object] = {}  # key -> first record kept
    first_anonymous: dict[str, object] = {}  # key -> first record kept without a user id
    by_user: dict[tuple[str, object], object] = {}  # (key, user) -> first record kept
    result: list[object] = []
    for doc_id, user, text, source in zip(doc_ids, user_ids, texts, sources, strict=True):
        key = duplicate_key(text) if isinstance(text, str) else ""
        original = None
        if key:
            copy_rule = source != "survey" and len(key) >= MIN_ANONYMOUS_COPY_CHARS
            if pd.isna(user):
                original = first.get(key) if copy_rule else None
            else:
                original = by_user.get((key, user))
                if original is None and copy_rule:
                    original = first_anonymous.get(key)
            if original is None:
                first.setdefault(key, doc_id)
                if pd.isna(user):
                    first_anonymous.setdefault(key, doc_id)
                else:
                    by_user[(key, user)] = doc_id
        result.append(original)
    return pd.Series(result, index=doc_ids.index, dtype=object)
