"""Themes across segments (source, channel, a segment column), with churn by segment.

A segment column is one a manager would split by: a few named values (plan,
city, tenure band), not a count (reposts 0-11), an id or a free answer, and
not one value for nearly everyone. Bands such as 不到3个月 / 3-12个月 / 1-2年 /
2年以上 are shown in their order, not alphabetically.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import pandas as pd

from ..attribution import ChurnLabels
from .trends import theme_flags

__all__ = ["ordinal_key", "pick_segment_columns", "segment_shares"]

_MAX_SEGMENT_VALUES = 12
# a column names segments when it has 2-12 values that cover this share of documents,
# with at least this many documents per value on average (not an id or a free answer)
_MIN_SEGMENT_COVERAGE = 0.3
_MIN_PER_VALUE = 5
# one value for more than this share of the documents splits nothing
_MAX_TOP_SHARE = 0.9
# numbers with more distinct values than this are counts or measures, not segments
_MAX_NUMERIC_VALUES = 5
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
# units of bands, in days for durations (others keep their number as it is)
_UNITS = (("个月", 30.44), ("月", 30.44), ("年", 365.25), ("周", 7.0), ("天", 1.0), ("日", 1.0))
_BELOW = ("不到", "不足", "少于", "低于", "以下", "以内", "及以下", "<")
_ABOVE = ("以上", "超过", "多于", "高于", "及以上", "+", ">")


def ordinal_key(value: str) -> float | None:
    """Where a band such as ``3-12个月`` or ``2年以上`` lies on its scale, or None.

    The first number, in days when a duration unit follows; "below" words put
    it just under that number, "above" words just over it.

    Examples
    --------
    >>> [ordinal_key(v) for v in ["不到3个月", "3-12个月", "1-2年", "2年以上"]]
    [91.31, 91.32, 365.25, 730.51]
    >>> ordinal_key("北京") is None
    True
    """
    found = _NUMBER.search(value)
    if found is None:
        return None
    number = float(found.group())
    rest = value[found.end() :]
    unit = next((days for name, days in _UNITS if name in rest), 1.0)
    key = number * unit
    if any(w in value for w in _BELOW):
        key -= 0.01
    elif any(w in value for w in _ABOVE):
        key += 0.01
    return round(key, 2)


def _segment_values(
    docs: pd.DataFrame, column: str, labels: ChurnLabels | None
) -> pd.Series | None:
    if column in docs.columns:
        return docs[column]
    if labels is not None and column in labels.frame.columns:
        return docs["user_id"].map(labels.frame.set_index("user_id")[column])
    return None


def _is_segment(present: pd.Series, documents: int) -> bool:
    """Whether these values (of the documents that have one) split the documents usefully."""
    present = present[~present.str.contains("┋", regex=False)]  # multi-select answers
    counts = present.value_counts()
    if not 2 <= len(counts) <= _MAX_SEGMENT_VALUES:
        return False
    if len(present) < _MIN_SEGMENT_COVERAGE * documents or len(present) < _MIN_PER_VALUE * len(
        counts
    ):
        return False
    if counts.iloc[0] > _MAX_TOP_SHARE * len(present):
        return False
    numeric = pd.to_numeric(present, errors="coerce").notna().all()
    return not (numeric and len(counts) > _MAX_NUMERIC_VALUES)


def pick_segment_columns(
    docs: pd.DataFrame, labels: ChurnLabels | None, requested: Sequence[str] = ()
) -> list[str]:
    """The columns to segment by: ``requested`` if given, else source, channel and
    the ``meta:`` or label columns that name segments (see the module's note)."""
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
        values = _segment_values(docs, column, labels)
        if values is not None and _is_segment(values.dropna().astype(str), len(docs)):
            chosen.append(column)
    return chosen


def segment_shares(
    docs: pd.DataFrame,
    theme_ids: Sequence[str],
    column: str,
    labels: ChurnLabels | None = None,
) -> pd.DataFrame:
    """Share of each segment's documents that mention each theme, and with labels the
    churn rate of the segment's labelled users.

    ``column`` is a docs column, or a column of the label file joined by user.
    Documents without a value (e.g. from another input file) are left out.

    Returns
    -------
    pandas.DataFrame
        ``segment``, ``documents``, with labels ``users`` (labelled users who
        wrote in the segment) and ``churn_rate`` (their share churned), then
        one share column per theme id. Bands (:func:`ordinal_key`) in their
        order, other segments with most documents first.

    Examples
    --------
    >>> docs = pd.DataFrame({"meta:时长": ["1-2年", "不到3个月", "1-2年"],
    ...                      "themes": ["price", "", "bugs"], "user_id": ["a", "b", "c"]})
    >>> segment_shares(docs, ["price"], "meta:时长").to_dict("list")
    {'segment': ['不到3个月', '1-2年'], 'documents': [1, 2], 'price': [0.0, 0.5]}
    """
    values = _segment_values(docs, column, labels)
    if values is None:
        raise KeyError(column)
    values = values.astype("string")
    present = values.notna() & (values.str.strip() != "")
    keys = values[present].to_numpy()
    flags = theme_flags(docs.loc[present, ["themes"]], theme_ids)
    grouped = flags.groupby(keys)
    table = grouped.mean()
    table.insert(0, "documents", grouped.size())
    if labels is not None and "user_id" in docs.columns:
        churned = labels.frame.set_index("user_id")["churned"]
        users = pd.DataFrame({"segment": keys, "user_id": docs.loc[present, "user_id"].to_numpy()})
        users = users.dropna().drop_duplicates()
        users = users.assign(churned=users["user_id"].map(churned)).dropna(subset=["churned"])
        by_segment = users.groupby("segment")["churned"]
        table.insert(1, "users", by_segment.size().reindex(table.index).fillna(0).astype(int))
        table.insert(2, "churn_rate", by_segment.mean().reindex(table.index))
    table.index.name = "segment"
    table = table.reset_index()
    order = pd.Series([ordinal_key(str(v)) for v in table["segment"]], index=table.index)
    if order.notna().all() and order.is_unique:
        table = table.loc[order.sort_values(kind="mergesort").index]
    else:
        table = table.sort_values(
            ["documents", "segment"], ascending=[False, True], kind="mergesort"
        )
    return table.reset_index(drop=True)
