"""Splitting a document into clauses, the unit of sentiment and theme matching."""

from __future__ import annotations

import re

__all__ = ["split_clauses"]

# Clause ends: Chinese and ASCII sentence and clause punctuation, ellipses,
# tildes and line breaks. ASCII , and . between digits (1,000  3.5) do not split.
_CLAUSE_END = re.compile(r"(?:[，。！？；、…～~\n!?;]+|(?<!\d)[,.]+|[,.]+(?!\d))+")


def split_clauses(text: str) -> list[str]:
    """Split ``text`` into clauses, each keeping the punctuation that ends it.

    The trailing punctuation matters to sentiment (an exclamation mark
    strengthens its clause), so it stays attached.

    Examples
    --------
    >>> split_clauses("价格还行，但是客服太差了！！再也不买")
    ['价格还行，', '但是客服太差了！！', '再也不买']
    >>> split_clauses("月费3.5元, 还算便宜")
    ['月费3.5元,', '还算便宜']
    """
    clauses: list[str] = []
    start = 0
    for match in _CLAUSE_END.finditer(text):
        piece = text[start : match.end()].strip()
        if piece and not _is_only_punctuation(piece):
            clauses.append(piece)
        elif piece and clauses:
            clauses[-1] += piece
        start = match.end()
    tail = text[start:].strip()
    if tail:
        clauses.append(tail)
    return clauses


def _is_only_punctuation(piece: str) -> bool:
    return _CLAUSE_END.fullmatch(piece.replace(" ", "")) is not None
