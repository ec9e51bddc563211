"""Traditional to simplified Chinese, with OpenCC."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

__all__ = ["to_simplified", "to_simplified_all"]

# joins texts for one conversion: a control character no dictionary entry holds, so
# that no phrase is matched across it (and one normalize_text removes from any text)
_JOIN = "\x01"


@lru_cache(maxsize=1)
def _converter() -> Any:
    import opencc  # the dictionary loads on first use, not at import

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Convert traditional characters to simplified ones; simplified text is unchanged.

    Examples
    --------
    >>> to_simplified("這個軟體經常閃退，資費太貴了")
    '这个软体经常闪退，资费太贵了'
    """
    if text.isascii():
        return text
    return str(_converter().convert(text))


def to_simplified_all(texts: Sequence[str]) -> list[str]:
    """:func:`to_simplified` of each text, in one call to OpenCC (a call costs more than
    the characters of a short text).

    OpenCC converts a text phrase by phrase, the longest dictionary phrase first,
    and no phrase holds the control character the texts are joined with, so each
    text converts as it does alone. Texts that hold that character are converted
    one by one.

    Examples
    --------
    >>> to_simplified_all(["資費太貴", "", "好評"])
    ['资费太贵', '', '好评']
    """
    if any(_JOIN in text for text in texts):
        return [to_simplified(text) for text in texts]
    joined = _JOIN.join(texts)
    if joined.isascii():
        return list(texts)
    converted = str(_converter().convert(joined)).split(_JOIN)
    if len(converted) != len(texts):  # not expected; one by one is always right
        return [to_simplified(text) for text in texts]
    return converted
