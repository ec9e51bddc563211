"""Cleaning, clause splitting and tokenisation of customer text."""

from .clauses import split_clauses
from .convert import to_simplified, to_simplified_all
from .normalize import collapse_repeats, guard_formula_start, normalize_text, to_halfwidth
from .pii import PII_PLACEHOLDERS, mask_pii
from .tokenize import ChineseTokenizer, load_stopwords

__all__ = [
    "PII_PLACEHOLDERS",
    "ChineseTokenizer",
    "collapse_repeats",
    "guard_formula_start",
    "load_stopwords",
    "mask_pii",
    "normalize_text",
    "split_clauses",
    "to_halfwidth",
    "to_simplified",
    "to_simplified_all",
]
