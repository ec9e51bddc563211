"""Churn-reason themes: the taxonomy, its built-in packs, the matcher and its senses,
the corpus model and learned recall, and which pack fits a corpus."""

from .churn import document_churn_type
from .competitors import find_competitors, recurring_competitors
from .matcher import Mention, ThemeMatcher, build_matcher, taxonomy_vocabulary
from .taxonomy import (
    CHURN_TYPES,
    PACKS,
    ChurnType,
    Taxonomy,
    Theme,
    load_pack,
    load_taxonomy,
    parse_taxonomy,
)

__all__ = [
    "CHURN_TYPES",
    "PACKS",
    "ChurnType",
    "Mention",
    "Taxonomy",
    "Theme",
    "ThemeMatcher",
    "build_matcher",
    "document_churn_type",
    "find_competitors",
    "load_pack",
    "load_taxonomy",
    "parse_taxonomy",
    "recurring_competitors",
    "taxonomy_vocabulary",
]
