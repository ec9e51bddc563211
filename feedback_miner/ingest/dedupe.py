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

import hashlib
import re
from collections.abc import Iterable
from typing import Any

import pandas as pd

__all__ = ["DuplicateFinder", "duplicate_key", "find_duplicates"]

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


def _digest(*parts: str) -> bytes:
    """A 128-bit digest of ``parts`` (a chance collision among 10^12 keys is about 10^-15)."""
    return hashlib.blake2b("\x00".join(parts).encode("utf-8"), digest_size=16).digest()


class DuplicateFinder:
    """Finds duplicates across records fed to it in several batches, in order.

    Examples
    --------
    >>> finder = DuplicateFinder()
    >>> finder.find(["a:1"], ["U1"], ["太贵了！"], ["service"])
    [None]
    >>> finder.find(["a:2", "a:3"], ["U1", "U2"], ["太贵了", "太贵了"], ["service", "service"])
    ['a:1', None]
    """

    def __init__(self) -> None:
        # keyed by a 128-bit digest of the text key (and user), not the text: a
        # million texts stay a few dozen bytes each
        self._first: dict[bytes, object] = {}  # key -> first record kept
        self._first_anonymous: dict[bytes, object] = {}  # key -> first record kept without a user
        self._by_user: dict[bytes, object] = {}  # (key, user) -> first record kept

    def find(
        self,
        doc_ids: Iterable[object],
        user_ids: Iterable[Any],
        texts: Iterable[object],
        sources: Iterable[object],
    ) -> list[object]:
        """For each record, the ``doc_id`` of the earlier copy it duplicates, else ``None``."""
        first, first_anonymous, by_user = self._first, self._first_anonymous, self._by_user
        result: list[object] = []
        for doc_id, user, text, source in zip(doc_ids, user_ids, texts, sources, strict=True):
            key = duplicate_key(text) if isinstance(text, str) else ""
            original = None
            if key:
                copy_rule = source != "survey" and len(key) >= MIN_ANONYMOUS_COPY_CHARS
                text_digest = _digest(key)
                user_digest = None if pd.isna(user) else _digest(key, str(user))
                if user_digest is None:
                    original = first.get(text_digest) if copy_rule else None
                else:
                    original = by_user.get(user_digest)
                    if original is None and copy_rule:
                        original = first_anonymous.get(text_digest)
                if original is None:
                    first.setdefault(text_digest, doc_id)
                    if user_digest is None:
                        first_anonymous.setdefault(text_digest, doc_id)
                    else:
                        by_user[user_digest] = doc_id
            result.append(original)
        return result


def find_duplicates(
    doc_ids: pd.Series, user_ids: pd.Series, texts: pd.Series, sources: pd.Series
) -> pd.Series:
    """For each record, the ``doc_id`` of the earlier copy it duplicates, else ``None``."""
    found = DuplicateFinder().find(doc_ids, user_ids, texts, sources)
    return pd.Series(found, index=doc_ids.index, dtype=object)
