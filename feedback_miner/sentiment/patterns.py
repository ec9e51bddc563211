"""Finding which of many regular expressions match a short text, quickly.

A lexicon holds dozens of construction patterns and a clause matches few of
them. Trying every pattern on every clause costs more than all the other
rules together, so each pattern is filed under the characters its matches
can start with, read from the pattern's own text (``(?:等了|拖了)...`` can
only start with 等 or 拖). A clause is then tried only against the patterns
filed under one of its characters, and against those whose first character
cannot be read (a negated class, a wildcard, an optional start), which are
always tried. Anchors and lookarounds match no character, so they are read
through: ``^没有`` starts with 没 and ``(?<![一有])点不开`` with 点.

The first character alone lets common starts through (不, 没, a digit), so a
pattern is also filed under the other atoms every match takes, wherever they
are: ``(?:没有|没)[^，。]{1,8}?(?:好吃|好喝)`` needs 没 and one of 好; the atoms
that may match nothing (``?``, ``*``, ``{0,n}``) and those that cannot be read
(a negated class, a wildcard) are passed over. Each top-level branch is filed on
its own, and a text is tried against a pattern only when it holds a character
of every atom one of its branches needs. The result is the same as trying
them all.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import reduce
from operator import or_
from typing import Generic, TypeVar

__all__ = ["PatternIndex", "anchored_at_start", "branch_requirements", "first_characters"]

Payload = TypeVar("Payload")

_META = set("\\.^$*+?{}[]|()")
_RANGES = {
    "0-9": "0123456789",
    "a-z": "abcdefghijklmnopqrstuvwxyz",
    "A-Z": "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
}


def first_characters(pattern: str) -> frozenset[str] | None:
    """The characters a match of ``pattern`` can start with; ``None`` when not plain to read.

    Examples
    --------
    >>> sorted(first_characters("(?:等了|拖了)很久|慢"))
    ['慢', '拖', '等']
    >>> sorted(first_characters("(?:等了|拖了)?很久"))  # or start with 很
    ['很', '拖', '等']
    >>> sorted(first_characters("^(?:还|也)?没有"))  # an anchor matches no character
    ['也', '没', '还']
    >>> first_characters("[^，。]{0,8}就好了") is None
    True
    """
    found: set[str] = set()
    for branch in _top_level_branches(pattern):
        start = _branch_start(branch)
        if start is None:
            return None
        found |= start
    return frozenset(found)


class _Unreadable(Exception):
    """A construct :func:`branch_requirements` does not read (a backreference, a flag)."""


# what an atom that matches no character stands for
_ZERO_WIDTH = frozenset({"^", "$"})
_ZERO_WIDTH_ESCAPES = set("bBAZ")
_ANY_CHARACTER_ESCAPES = set("dDwWsS")
_HEX_ESCAPES = {"x": 2, "u": 4, "U": 8}
_REPEAT = re.compile(r"\{(\d*)(?:,(\d*))?\}")


def branch_requirements(pattern: str) -> list[list[frozenset[str]]] | None:
    r"""For each top-level branch, the characters of each atom that every match of the
    branch takes: a match holds a character of every set. ``None`` when the pattern
    holds a construct not read here (it is then always tried).

    Atoms that may match nothing (``?``, ``*``, ``{0,n}``), match no character
    (anchors, lookarounds) or any character (``.``, ``\S``, a negated class) are
    passed over, wherever they are; a group counts for the characters its
    matches start with.

    Examples
    --------
    >>> [[sorted(s) for s in b] for b in branch_requirements("(?:没|不)(?:及时)?通知了")]
    [[['不', '没'], ['通'], ['知'], ['了']]]
    >>> [[sorted(s) for s in b] for b in branch_requirements("太少|[^，]{0,4}少得可怜")]
    [[['太'], ['少']], [['少'], ['得'], ['可'], ['怜']]]
    >>> branch_requirements(r"(好)\1") is None  # a backreference
    True
    """
    try:
        return [_mandatory_atoms(branch) for branch in _top_level_branches(pattern)]
    except _Unreadable:
        return None


def _mandatory_atoms(branch: str) -> list[frozenset[str]]:
    """The character sets of the atoms of ``branch`` every match takes, in order."""
    found: list[frozenset[str]] = []
    rest = branch
    while rest:
        chars, rest = _next_atom(rest)
        least, rest = _repetition(rest)
        if least and chars is not None and chars is not _ZERO_WIDTH:
            found.append(frozenset(chars))
    return found


def _next_atom(text: str) -> tuple[frozenset[str] | set[str] | None, str]:
    """The characters the atom at the start of ``text`` can match (``None``: any, or not
    read; :data:`_ZERO_WIDTH`: none), and what follows the atom."""
    char = text[0]
    if char in "^$":
        return _ZERO_WIDTH, text[1:]
    if char == "(":
        end = _closing(text)
        if end is None:
            raise _Unreadable(text)
        if text.startswith(_ZERO_WIDTH_GROUPS):
            return _ZERO_WIDTH, text[end + 1 :]
        if text.startswith("(?:"):
            inner = text[3:end]
        elif text.startswith("(?P<") and ">" in text[:end]:
            inner = text[text.index(">") + 1 : end]
        elif text.startswith("(?"):
            raise _Unreadable(text)  # flags, comments, conditionals
        else:
            inner = text[1:end]
        first = first_characters(inner)
        return (None if first is None else set(first)), text[end + 1 :]
    if char == "[":
        return _class(text)
    if char == "\\":
        return _escape(text)
    if char == ".":
        return None, text[1:]
    if char in _META:
        raise _Unreadable(text)
    return {char}, text[1:]


def _class(text: str) -> tuple[set[str] | None, str]:
    """A character class at the start of ``text``: its characters when plain to read."""
    i = 2 if text[1:2] == "^" else 1
    if text[i : i + 1] == "]":
        i += 1  # a ] first in a class is a character
    while i < len(text) and text[i] != "]":
        i += 2 if text[i] == "\\" else 1
    if i >= len(text):
        raise _Unreadable(text)
    rest = text[i + 1 :]
    plain = text.find("]", 1) == i
    chars, _ = _first_atom(text) if plain else (None, "")
    return chars, rest


def _escape(text: str) -> tuple[frozenset[str] | set[str] | None, str]:
    """An escape at the start of ``text``: a character, a class or a zero-width test."""
    if len(text) < 2:
        raise _Unreadable(text)
    code = text[1]
    if not code.isalnum():
        return {code}, text[2:]
    if code in _ZERO_WIDTH_ESCAPES:
        return _ZERO_WIDTH, text[2:]
    if code in _ANY_CHARACTER_ESCAPES:
        return None, text[2:]
    size = _HEX_ESCAPES.get(code)
    digits = text[2 : 2 + size] if size else ""
    if size and len(digits) == size and all(c in "0123456789abcdefABCDEF" for c in digits):
        return {chr(int(digits, 16))}, text[2 + size :]
    raise _Unreadable(text)  # a backreference, \\N{...}, \\n and the like


def _repetition(text: str) -> tuple[int, str]:
    """The least number of times the atom before ``text`` matches, and what follows
    its quantifier (a lazy or possessive mark included)."""
    if text[:1] in ("?", "*"):
        least, rest = 0, text[1:]
    elif text[:1] == "+":
        least, rest = 1, text[1:]
    elif text[:1] == "{":
        match = _REPEAT.match(text)
        if match is None:
            raise _Unreadable(text)
        least, rest = int(match.group(1) or 0), text[match.end() :]
    else:
        return 1, text
    return least, rest[1:] if rest[:1] in ("?", "+") else rest


def anchored_at_start(pattern: str) -> bool:
    """Whether every top-level branch of ``pattern`` starts with ``^``: a match then
    starts at the text's first character.

    Examples
    --------
    >>> anchored_at_start("^没有|^无"), anchored_at_start("^没有|无")
    (True, False)
    """
    return all(branch.startswith("^") for branch in _top_level_branches(pattern))


def _top_level_branches(pattern: str) -> list[str]:
    """``pattern`` split at the ``|`` outside any group or class."""
    branches, depth, current, i = [], 0, [], 0
    in_class = False
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            current.append(pattern[i : i + 2])
            i += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            branches.append("".join(current))
            current = []
            i += 1
            continue
        current.append(char)
        i += 1
    branches.append("".join(current))
    return branches


def _branch_start(branch: str) -> set[str] | None:
    """First characters of one branch, or ``None``; an optional first atom adds
    the first characters of what follows it."""
    branch = _zero_width_skipped(branch)
    if not branch:
        return None
    head, rest = _first_atom(branch)
    if head is None:
        return None
    if not _optional(rest):
        return head
    tail = _branch_start(_after_quantifier(rest))
    return None if tail is None else head | tail


_ZERO_WIDTH_GROUPS = ("(?=", "(?!", "(?<=", "(?<!")


def _zero_width_skipped(branch: str) -> str:
    """``branch`` without the anchors and lookarounds it starts with: they match no
    character, so the first character of a match is read after them.

    A quantified lookaround (``(?=x)?``) is not a plain read and is kept.
    """
    while True:
        if branch.startswith("^"):
            branch = branch[1:]
        elif branch.startswith(_ZERO_WIDTH_GROUPS):
            end = _closing(branch)
            if end is None or branch[end + 1 : end + 2] in ("?", "*", "+", "{"):
                return branch
            branch = branch[end + 1 :]
        else:
            return branch


def _first_atom(branch: str) -> tuple[set[str] | None, str]:
    """The first characters of the branch's first atom, and what follows the atom."""
    char = branch[0]
    if branch.startswith("(?:"):
        end = _closing(branch)
        if end is None:
            return None, ""
        inner = first_characters(branch[3:end])
        return (None if inner is None else set(inner)), branch[end + 1 :]
    if char == "[":
        end = branch.find("]", 1)
        if end < 0 or branch[1] == "^":
            return None, ""
        body = branch[1:end]
        chars: set[str] = set()
        for name, members in _RANGES.items():
            if name in body:
                chars |= set(members)
                body = body.replace(name, "")
        if "-" in body or "\\" in body:
            return None, ""
        return chars | set(body), branch[end + 1 :]
    if char == "\\" and len(branch) > 1 and not branch[1].isalnum():
        return {branch[1]}, branch[2:]  # an escaped literal: \[
    if char in _META:
        return None, ""
    return {char}, branch[1:]


def _closing(text: str) -> int | None:
    """Index of the parenthesis that closes the group opened at ``text[0]``."""
    depth, i, in_class = 0, 0, False
    while i < len(text):
        char = text[i]
        if char == "\\":
            i += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return None


def _optional(rest: str) -> bool:
    """Whether the atom before ``rest`` may match nothing (``?``, ``*``, ``{0,``)."""
    return rest.startswith(("?", "*", "{0"))


def _after_quantifier(rest: str) -> str:
    """``rest`` without the quantifier it starts with (and a lazy ``?`` after it)."""
    if rest.startswith("{"):
        end = rest.find("}")
        rest = rest[end + 1 :] if end >= 0 else ""
    else:
        rest = rest[1:]
    return rest[1:] if rest.startswith("?") else rest


# how many atoms of a branch are filed (those with the fewest characters, when it has more)
_LEVELS = 4


class PatternIndex(Generic[Payload]):
    """Patterns filed under the characters their matches must hold.

    Parameters
    ----------
    entries : iterable of (Pattern, payload)
        The compiled patterns and what each stands for (a weight, a kind).

    Examples
    --------
    >>> index = PatternIndex([(re.compile("等了很久"), -1.5), (re.compile("下次还来"), 1.5)])
    >>> index.found("等了很久才到")
    [-1.5]
    """

    def __init__(self, entries: Iterable[tuple[re.Pattern[str], Payload]]) -> None:
        self._entries = list(entries)
        # one bit per top-level branch of each pattern, at each of _LEVELS levels: the
        # bit of level k is set in what a character files when the branch's k-th atom
        # can take it (level 0 of a branch anchored at the text's start: its first
        # character, looked up for the text's first character only, in ``_starts``)
        branches: list[tuple[int, list[frozenset[str]]]] = []
        anchored: list[bool] = []
        for i, (pattern, _) in enumerate(self._entries):
            readable = not pattern.flags & (re.IGNORECASE | re.VERBOSE)
            found = branch_requirements(pattern.pattern) if readable else None
            if found is None:  # always tried
                branches.append((i, []))
                anchored.append(False)
                continue
            for text, needs in zip(_top_level_branches(pattern.pattern), found, strict=True):
                start = None
                if text.startswith("^") and not pattern.flags & re.MULTILINE:
                    start = _branch_start(text)
                fewest = sorted(needs, key=len)[: _LEVELS - (start is not None)]
                branches.append((i, ([frozenset(start)] if start else []) + fewest))
                anchored.append(start is not None)
        # each pattern's first branch at its own position, then the other branches
        firsts = [b for b, (i, _) in enumerate(branches) if b == 0 or branches[b - 1][0] != i]
        rest = sorted(set(range(len(branches))) - set(firsts))
        order = firsts + rest
        branches = [branches[b] for b in order]
        anchored = [anchored[b] for b in order]
        width = len(branches)
        table: dict[str, int] = {}
        self._starts: dict[str, int] = {}
        self._free = 0  # the bits of levels a branch does not need
        for b, (_, levels) in enumerate(branches):
            for level in range(_LEVELS):
                bit = 1 << (level * width + b)
                if level >= len(levels):
                    self._free |= bit
                    continue
                filed = self._starts if level == 0 and anchored[b] else table
                for char in levels[level]:
                    filed[char] = filed.get(char, 0) | bit
        self._table = table
        self._width = width
        self._owners = [i for i, _ in branches[len(self._entries) :]]

    def candidates(self, text: str) -> int:
        """The patterns worth trying on ``text``, as a bit set (bit ``i``: pattern ``i``)."""
        held = reduce(
            or_,
            filter(None, map(self._table.get, text)),
            self._free | (self._starts.get(text[0], 0) if text else 0),
        )
        width = self._width
        passing = (1 << width) - 1
        for level in range(_LEVELS):
            passing &= held >> (level * width)
        # bit i is the first branch of pattern i; the other branches come after them
        patterns = len(self._entries)
        chosen = passing & ((1 << patterns) - 1)
        others = passing >> patterns
        owners = self._owners
        while others:
            low = others & -others
            chosen |= 1 << owners[low.bit_length() - 1]
            others ^= low
        return chosen

    def found(self, text: str) -> list[Payload]:
        """The payloads of the patterns that match somewhere in ``text``, in their order."""
        entries = self._entries
        chosen = self.candidates(text)
        out = []
        while chosen:
            low = chosen & -chosen
            pattern, payload = entries[low.bit_length() - 1]
            if pattern.search(text):
                out.append(payload)
            chosen ^= low
        return out
