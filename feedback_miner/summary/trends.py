"""Theme shares over time and across segments (source, channel, a segment column)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from ..attribution import ChurnLabels

__all__ = ["MIN_MONTHS", "monthly_trends", "pick_segment_columns", "segment_shares"]

MIN_MONTHS = 2
# a month with fewer dated documents gets no shares (one complaint among three is not a trend)
MIN_MONTH_DOCUMENTS = 10
_MAX_SEGMENT_VALUES = 12
# a column names segments when it has 2-12 values that cover this share of documents,
# with at least this many documents per value on average (not an id or a free answer)
_MIN_SEGMENT_COVERAGE = 0.3
_MIN_PER_VALUE = 5


def _theme_flags(docs: pd.DataFrame, theme_ids: Sequence[str]) -> pd.DataFrame:
    """One 0/1 column per theme: does the document mention it."""
    themes = docs["themes"].fillna("").astype(str)
    padded = ";" + themes + ";"
    return pd.DataFrame(
        {theme: padded.str.contains(f";{theme};", regex=False).astype(int) for theme in theme_ids},
        index=docs.index,
    )


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
    flags = _theme_flags(dated, theme_ids)
    grouped = flags.groupby(month)
    table = grouped.mean()
    table.insert(0, "mean_sentiment", dated["sentiment_score"].groupby(month).mean())
    sizes = grouped.size()
    table.loc[sizes < min_documents] = float("nan")
    table.insert(0, "documents", sizes)
    table.index.name = "month"
    return table.reset_index()


def pick_segment_columns(
    docs: pd.DataFrame, labels: ChurnLabels | None, requested: Sequence[str] = ()
) -> list[str]:
    """The columns to segment by: ``requested`` if given, else source, channel and
    the ``meta:`` or label columns with 2-12 values covering 30% of documents
    and holding at least five documents per value on average."""
    if requested:
        return list(requested)
    chosen = [c for c in ("source", "channel") if c in docs.columns and docs[c].nunique() > 1]
    if (
        len(chosen) == 2
        and docs.groupby("channel")["source"].nunique().max() <= 1
        and docs.groupby("source")["channel"].nunique().max() <= 1
    ):
        chosen.remove("channel")  # one channel per source: the same split twice
    candidates = [c for c in docs.columns if c.startswith("meta:")]
    if labels is not None:
        candidates += [c for c in labels.covariates if labels.frame[c].dtype == object]
    for column in candidates:
        values = (
            docs[column]
            if column in docs.columns
            else docs["user_id"].map(labels.frame.set_index("user_id")[column])  # type: ignore[union-attr]
        )
        present = values.dropna().astype(str)
        present = present[~present.str.contains("┋", regex=False)]  # multi-select answers
        if (
            2 <= present.nunique() <= _MAX_SEGMENT_VALUES
            and len(present) >= _MIN_SEGMENT_COVERAGE * len(docs)
            and len(present) >= _MIN_PER_VALUE * present.nunique()
        ):
            chosen.append(column)
    return chosen


def segment_shares(
    docs: pd.DataFrame,
    theme_ids: Sequence[str],
    column: str,
    labels: ChurnLabels | None = None,
) -> pd.DataFrame:
    """Share of each segment's documents that mention each theme.

    ``column`` is a docs column, or a column of the label file joined by user.
    Documents without a value (e.g. from another input file) are left out.

    Returns
    -------
    pandas.DataFrame
        ``segment``, ``documents``, then one share column per theme id; the
        segments with most documents first.
    """
    if column in docs.columns:
        values = docs[column]
    elif labels is not None and column in labels.frame.columns:
        values = docs["user_id"].map(labels.frame.set_index("user_id")[column])
    else:
        raise KeyError(column)
    values = values.astype("string")
    present = values.notna() & (values.str.strip() != "")
    flags = _theme_flags(docs.loc[present, ["themes"]], theme_ids)
    grouped = flags.groupby(values[present].to_numpy())
    table = grouped.mean()
    table.insert(0, "documents", grouped.size())
    table.index.name = "segment"
    table = table.reset_index().sort_values(
        ["documents", "segment"], ascending=[False, True], kind="mergesort"
    )
    return table.reset_index(drop=True)
