"""Churn-reason themes: the taxonomy and the matcher."""

from .churn import document_churn_type
from .competitors import find_competitors
from .matcher import Mention, ThemeMatcher, taxonomy_vocabulary
from .taxonomy import CHURN_TYPES, ChurnType, Taxonomy, Theme, load_taxonomy, parse_taxonomy

__all__ = [
    "CHURN_TYPES",
    "ChurnType",
    "Mention",
    "Taxonomy",
    "Theme",
    "ThemeMatcher",
    "document_churn_type",
    "find_competitors",
    "load_taxonomy",
    "parse_taxonomy",
    "taxonomy_vocabulary",
]
