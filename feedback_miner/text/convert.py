"""Traditional to simplified Chinese, with OpenCC."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

__all__ = ["to_simplified"]


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
