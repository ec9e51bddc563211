"""How much of the feedback a taxonomy covers."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

__all__ = ["LOW_COVERAGE", "Coverage", "taxonomy_coverage"]

# below this share of negative documents with a theme, the taxonomy misses most reasons
LOW_COVERAGE = 0.5


@dataclass(frozen=True)
class Coverage:
    """Share of documents with at least one theme, overall and among negative documents."""

    coverage: float
    negative_coverage: float
    documents: int
    negative_documents: int


def taxonomy_coverage(docs: pd.DataFrame) -> Coverage:
    """Coverage of the docs table's ``themes`` column (``sentiment_label`` for negativity).

    Examples
    --------
    >>> docs = pd.DataFrame({"themes": ["price", "", "bugs;price", ""],
    ...                      "sentiment_label": ["negative", "negative", "neutral", None]})
    >>> taxonomy_coverage(docs)
    Coverage(coverage=0.5, negative_coverage=0.5, documents=4, negative_documents=2)
    """
    covered = docs["themes"].fillna("").astype(str) != ""
    negative = (docs["sentiment_label"] == "negative").to_numpy()
    n_negative = int(negative.sum())
    return Coverage(
        coverage=float(covered.mean()) if len(docs) else 0.0,
        negative_coverage=float(covered[negative].mean()) if n_negative else 0.0,
        documents=len(docs),
        negative_documents=n_negative,
    )
