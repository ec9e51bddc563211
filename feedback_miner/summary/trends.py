"""Theme shares over time (per calendar month)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

__all__ = ["MIN_MONTHS", "MIN_MONTH_DOCUMENTS", "monthly_trends", "theme_flags"]

MIN_MONTHS = 2
# a month with fewer dated documents gets no shares (one complaint among three is not a trend)
MIN_MONTH_DOCUMENTS = 10


def theme_flags(docs: pd.DataFrame, theme_ids: Sequence[str]) -> pd.DataFrame:
    """One 0/1 column per theme (bytes): does the document mention it.

    A corpus has few distinct ``themes`` values (combinations of themes): each is
    read once, and the documents take their value's row. On a million documents
    no per-document string is built, and the flags weigh one byte per cell.

    Examples
    --------
    >>> docs = pd.DataFrame({"themes": ["price;bugs", None, "price", "bugs_x"]})
    >>> theme_flags(docs, ["price", "bugs"]).to_dict("list")
    {'price': [1, 0, 1, 0], 'bugs': [1, 0, 0, 0]}
    """
    codes, values = pd.factorize(docs["themes"].fillna("").astype(str))
    known = {theme: j for j, theme in enumerate(theme_ids)}
    table = np.zeros((len(values) + 1, len(theme_ids)), dtype=np.int8)  # the last row: none
    for i, joined in enumerate(values):
        for theme in joined.split(";"):
            if theme in known:
                table[i, known[theme]] = 1
    flags = table[np.where(codes < 0, len(values), codes)]
    return pd.DataFrame(flags, columns=list(theme_ids), index=docs.index)


def monthly_trends(
    docs: pd.DataFrame, theme_ids: Sequence[str], *, min_documents: int = MIN_MONTH_DOCUMENTS
) -> pd.DataFrame | None:
    """Share of documents mentioning each theme, and mean sentiment, per calendar month.

    Returns
    -------
    pandas.DataFrame or None
        ``month`` (first day, datetime), ``documents``, ``mean_sentiment``, then
        one share column per theme id; ``None`` when fewer than two months have
        dated documents. Months with fewer than ``min_documents`` documents
        keep their count but no shares or sentiment.

    Examples
    --------
    >>> docs = pd.DataFrame({
    ...     "created_at": pd.to_datetime(["2026-01-05", "2026-01-20", "2026-02-03"]),
    ...     "themes": ["price", "", "price;bugs"], "sentiment_score": [-0.5, 0.5, -0.2]})
    >>> table = monthly_trends(docs, ["price", "bugs"], min_documents=1)
    >>> table[["documents", "price", "bugs"]].to_dict("list")
    {'documents': [2, 1], 'price': [0.5, 1.0], 'bugs': [0.0, 1.0]}
    """
    dated = docs.loc[docs["created_at"].notna(), ["created_at", "themes", "sentiment_score"]]
    if dated.empty:
        return None
    month = dated["created_at"].dt.to_period("M").dt.to_timestamp()
    if month.nunique() < MIN_MONTHS:
        return None
    flags = theme_flags(dated, theme_ids)
    grouped = flags.groupby(month)
    table = grouped.mean()
    table.insert(0, "mean_sentiment", dated["sentiment_score"].groupby(month).mean())
    sizes = grouped.size()
    table.loc[sizes < min_documents] = float("nan")
    table.insert(0, "documents", sizes)
    table.index.name = "month"
    return table.reset_index()
