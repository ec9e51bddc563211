"""English for every Chinese label of the report (see :mod:`.i18n`).

The pairs live in ``lexicons/report_labels.tsv`` (columns ``zh``, ``en``).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from types import MappingProxyType

from ..errors import LexiconError
from ..resources import lexicon_file, read_table

__all__ = ["english_labels"]


@lru_cache(maxsize=1)
def english_labels() -> Mapping[str, str]:
    """Chinese label -> English label, read once per process.

    Raises
    ------
    LexiconError
        When a Chinese label appears twice.
    """
    pairs: dict[str, str] = {}
    for row in read_table(lexicon_file("report_labels.tsv"), ("zh", "en")):
        if row["zh"] in pairs:
            raise LexiconError(f"report_labels.tsv: {row['zh']!r} appears twice.")
        pairs[row["zh"]] = row["en"]
    return MappingProxyType(pairs)
