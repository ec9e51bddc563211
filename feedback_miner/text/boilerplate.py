"""What a corpus repeats that no customer wrote: boilerplate clauses and account names.

Exports of app-store reviews, forums and ticket systems carry footers,
navigation text and signatures (发自我的iPhone, 本评价来自某某客户端) in many
documents; a keyword inside them would count in every one. A clause is
boilerplate when, letter for letter, it appears in many different documents
beside other words of their own, first or last (a header or a footer), and
says nothing evaluative. Real complaints
repeat too, but short ones (太慢了), whole documents (duplicates, which ingest
already flags) or ones that carry a judgement (回复慢而且答非所问); a long,
neutral clause copied into many different texts is a template.

Account names are collected the same way: a handle followed by a space or
punctuation shows where the name ends, which tells where the same handle ends
when another text runs it into its words (``@中国联通客服你们的信号``).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable

from .clauses import split_clauses

__all__ = ["find_boilerplate", "known_handles"]

_NOT_WORD = re.compile(r"[\W_]+")
# headers and footers stand first or last: at least this share of a clause's documents
_AT_AN_END = 0.8
_TRAILING = re.compile(r"[\s\W_]+$")
_DELIMITED_HANDLE = re.compile(
    r"(?<!/)[@＠]([^\W_][\w\-·]{0,29}?)(?=[\s:：，,。.！!？?、;；)）]|$)"
)


def find_boilerplate(
    texts: Iterable[str],
    *,
    min_documents: int = 5,
    min_share: float = 0.02,
    min_chars: int = 8,
    judged: Callable[[str], bool] | None = None,
) -> tuple[str, ...]:
    """Clauses repeated, letter for letter, across many documents beside their own words.

    Parameters
    ----------
    texts : iterable of str
        The documents (a sample is enough).
    min_documents : int
        A clause must appear in at least this many documents ...
    min_share : float
        ... and in at least this share of them.
    min_chars : int
        Letters and digits a clause needs (short phrases are everyday words).
    judged : callable, optional
        Whether a clause carries a judgement (a sentiment); such a clause is
        something customers say, however often, and never boilerplate.

    Returns
    -------
    tuple of str
        The clauses without their end punctuation, longest first.

    Examples
    --------
    >>> texts = [f"第{i}次下单，菜是凉的。发自我的小米手机客户端" for i in range(6)]
    >>> find_boilerplate(texts + ["发自我的小米手机客户端"] * 2)
    ('发自我的小米手机客户端',)
    """
    in_documents: Counter[str] = Counter()
    alone: Counter[str] = Counter()
    at_an_end: Counter[str] = Counter()
    n = 0
    for text in texts:
        n += 1
        ordered = [_TRAILING.sub("", c) for c in split_clauses(text)]
        clauses = {c for c in ordered if len(_NOT_WORD.sub("", c)) >= min_chars}
        in_documents.update(clauses)
        at_an_end.update(clauses & {ordered[0], ordered[-1]} if ordered else set())
        if len(clauses) == 1 and _NOT_WORD.sub("", text) == _NOT_WORD.sub("", next(iter(clauses))):
            alone.update(clauses)
    needed = max(min_documents, math.ceil(min_share * n))
    found = [
        clause
        for clause, count in in_documents.items()
        if count >= needed
        and alone[clause] <= count / 2
        and at_an_end[clause] >= _AT_AN_END * count
        and not (judged is not None and judged(clause))
    ]
    return tuple(sorted(found, key=lambda c: (-len(c), c)))


def known_handles(texts: Iterable[str], *, min_documents: int = 2) -> tuple[str, ...]:
    """Account names (without ``@``) that end at a space or punctuation in at least
    ``min_documents`` documents, longest first.

    Examples
    --------
    >>> known_handles(["@中国联通客服 网速慢", "问一下@中国联通客服。", "@小王"])
    ('中国联通客服',)
    """
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update({m.group(1) for m in _DELIMITED_HANDLE.finditer(text)})
    found = [
        h
        for h, c in counts.items()
        if c >= min_documents and sum(1 if ord(ch) < 0x2E80 else 2 for ch in h) <= 30
    ]
    return tuple(sorted(found, key=lambda h: (-len(h), h)))
