"""Finding which of many regular expressions match a short text, quickly.

A lexicon holds dozens of construction patterns and a clause matches few of
them. Trying every pattern on every clause costs more than all the other
rules together, so each pattern is filed under the characters its matches
can start with, read from the pattern's own text (``(?:等了|拖了)...`` can
only start with 等 or 拖). A clause is then tried only against the patterns
filed under one of its characters, and against those whose first character
cannot be read (a negated class, a wildcard, an optional start), which are
always tried. Anchors and lookarounds match no character, so they are read
through: ``^没有`` starts with 没 and ``(?<![一有])点不开`` with 点. The result
is the same as trying them all.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Generic, TypeVar

__all__ = ["PatternIndex", "anchored_at_start", "first_characters", "required_characters"]

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


def required_characters(pattern: str, atoms: int = 3) -> list[frozenset[str]]:
    """For up to ``atoms`` leading atoms, the characters one of which any matching text
    contains; empty when the first cannot be read.

    With several top-level branches, a match matches one of them: each level is
    the union of the branches' levels, as deep as the shallowest branch reads.

    Examples
    --------
    >>> [sorted(s) for s in required_characters("(?:没|不)(?:通知|告知)了")]
    [['不', '没'], ['告', '通'], ['了']]
    >>> [sorted(s) for s in required_characters("太少|少得可怜")]
    [['太', '少'], ['少', '得']]
    """
    levels: list[frozenset[str]] | None = None
    for branch in _top_level_branches(pattern):
        found = _branch_requirements(branch, atoms)
        # as deep as the shallowest branch reads
        levels = found if levels is None else [a | b for a, b in zip(levels, found, strict=False)]
    return levels or []


def _branch_requirements(branch: str, atoms: int) -> list[frozenset[str]]:
    """:func:`required_characters` of one branch."""
    found: list[frozenset[str]] = []
    rest = _zero_width_skipped(branch)
    while rest and len(found) < atoms:
        head, after = _first_atom(rest)
        if head is None or _optional(after):
            break
        found.append(frozenset(head))
        if after.startswith(("+", "{")):
            break  # what follows a repeated atom can be anywhere after it
        rest = _zero_width_skipped(after)
    return found


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


class PatternIndex(Generic[Payload]):
    """Patterns filed under their first characters.

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
        self._always = 0
        # a bit per pattern. Level 0: the patterns filed under a character they can
        # start with (under the text's first character only, for a pattern anchored
        # at the start: ``_starts``); levels 1 and 2: under a character their second
        # (third) atom needs, with the patterns that need none in ``_free``
        levels: list[dict[str, int]] = [{}, {}, {}]
        self._starts: dict[str, int] = {}
        self._free = [0, 0, 0]
        for i, (pattern, _) in enumerate(self._entries):
            bit = 1 << i
            start = first_characters(pattern.pattern)
            if start is None:
                self._always |= bit
                continue
            anchored = anchored_at_start(pattern.pattern) and not pattern.flags & re.MULTILINE
            needs = required_characters(pattern.pattern)
            for level, chars in enumerate([start, *needs[1:]][:3]):
                table = self._starts if anchored and not level else levels[level]
                for char in chars:
                    table[char] = table.get(char, 0) | bit
            for level in range(max(len(needs), 1), 3):
                self._free[level] |= bit
        # one lookup per character of a text: its bits at the three levels
        self._table = {
            char: (levels[0].get(char, 0), levels[1].get(char, 0), levels[2].get(char, 0))
            for char in {*levels[0], *levels[1], *levels[2]}
        }

    def candidates(self, text: str) -> int:
        """The patterns worth trying on ``text``, as a bit set (bit ``i``: pattern ``i``)."""
        table = self._table
        a = self._starts.get(text[0], 0) if text else 0
        b, c = self._free[1], self._free[2]
        for char in set(text):
            bits = table.get(char)
            if bits is not None:
                a |= bits[0]
                b |= bits[1]
                c |= bits[2]
        return self._always | (a & b & c)

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
