"""Normalisation of customer text: small pure ``str -> str`` functions.

Full-width letters, digits and spaces become half-width, but Chinese
punctuation (，。！？) is kept: it is part of what the customer wrote and it is
what quotes in the report should show.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["collapse_repeats", "guard_formula_start", "normalize_text", "to_halfwidth"]

# Zero-width characters, BOMs and C0/C1 controls other than tab and newline.
_INVISIBLE = re.compile(
    "[\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\ufeff\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"
)
_SPACES = re.compile(r"[ \t\u00a0\u3000]+")
_NEWLINES = re.compile(r"\s*\n\s*")
# Lone UTF-16 surrogates (from JSON escapes) cannot be encoded, converted or written.
_SURROGATES = re.compile("[\ud800-\udfff]")
# What a spreadsheet reads as the start of a formula, and the full-width forms they came from.
_FORMULA_START = {"=": "＝", "+": "＋", "-": "－", "@": "＠"}
# A punctuation mark or emoticon-free symbol repeated more than three times.
_REPEATS = re.compile(r"([!！?？。.,，~～…、;；\-—=*])\1{3,}")


@lru_cache(maxsize=1)
def _halfwidth_table() -> dict[int, int]:
    keep = {ord(c) for c in "，！？：；（）"}
    table = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F) if code not in keep}
    table[0x3000] = ord(" ")
    return table


def to_halfwidth(text: str) -> str:
    """Turn full-width ASCII letters, digits and symbols (U+FF01-FF5E) into half-width.

    Chinese punctuation that has a full-width form (，！？：；（）) is kept as is.

    Examples
    --------
    >>> to_halfwidth("ＡＰＰ卡顿，５Ｇ信号差！")
    'APP卡顿，5G信号差！'
    """
    return text.translate(_halfwidth_table())


def collapse_repeats(text: str, *, keep: int = 3) -> str:
    """Shorten runs of one punctuation mark to at most ``keep`` characters.

    Examples
    --------
    >>> collapse_repeats("太慢了！！！！！！")
    '太慢了！！！'
    """
    return _REPEATS.sub(lambda m: m.group(1) * keep, text)


def normalize_text(text: str) -> str:
    """Normalise one text for analysis and display.

    Removes invisible and control characters (and lone surrogates), applies
    Unicode NFC, turns full-width ASCII into half-width, folds runs of spaces,
    trims each line and collapses long runs of punctuation. Cleaning never
    puts a formula character (``= + - @``) at the start that was not the
    text's first character: one that comes first only after cleaning keeps its
    full-width form (``＝``), which no spreadsheet evaluates.

    Examples
    --------
    >>> normalize_text("  资费\u3000太贵了！！！！！\u200b ")
    '资费 太贵了！！！'
    >>> normalize_text("＝HYPERLINK(1)"), normalize_text("=1+1")
    ('＝HYPERLINK(1)', '=1+1')
    """
    raw = text
    text = unicodedata.normalize("NFC", _SURROGATES.sub("\ufffd", text))
    text = _INVISIBLE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = to_halfwidth(text)
    text = _SPACES.sub(" ", text)
    text = _NEWLINES.sub("\n", text)
    return guard_formula_start(collapse_repeats(text).strip(), original=raw)


def guard_formula_start(text: str, *, original: str) -> str:
    """``text`` whose first character, if a formula character (``= + - @``) that did not start
    ``original``, is given its full-width form: cleaning never makes a formula.

    Examples
    --------
    >>> guard_formula_start("=cmd|x", original="@user =cmd|x")
    '＝cmd|x'
    """
    if text[:1] in _FORMULA_START and original[:1] != text[:1]:
        return _FORMULA_START[text[0]] + text[1:]
    return text
