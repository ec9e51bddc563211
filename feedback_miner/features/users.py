"""User-level features for churn models, from documents and theme mentions.

Columns, in this order and with these names whatever the data (so that churn
models keep working when a new month of feedback arrives):

``user_id``, ``n_docs``, ``n_negative_docs``, ``sentiment_mean``,
``sentiment_min``, ``days_since_last_complaint``, then for each theme id of the
taxonomy, in taxonomy order: ``theme_<id>_mentions``, ``theme_<id>_negative``,
``theme_<id>_recent_negativity``.

Every user is described at one cut-off date, ``as_of`` (by default the latest
feedback date): only feedback written at or before it counts, and "recent"
and "days since" are measured from it. Never at each user's own churn date: a
churner's features would then end where the label begins, and a churn model
would learn the label from them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..joins import doc_rows, positions, take, user_codes

if TYPE_CHECKING:
    from ..result import AnalysisResult

__all__ = [
    "NO_COMPLAINT_DAYS",
    "feature_columns",
    "features_of",
    "user_features",
]

NO_COMPLAINT_DAYS = 9999.0
_HALF_LIFE_DAYS = 30.0


def feature_columns(theme_ids: Sequence[str]) -> list[str]:
    """The feature columns (without ``user_id``) for a taxonomy's theme ids."""
    columns = [
        "n_docs",
        "n_negative_docs",
        "sentiment_mean",
        "sentiment_min",
        "days_since_last_complaint",
    ]
    for theme in theme_ids:
        columns += [
            f"theme_{theme}_mentions",
            f"theme_{theme}_negative",
            f"theme_{theme}_recent_negativity",
        ]
    return columns


def user_features(
    docs: pd.DataFrame,
    mentions: pd.DataFrame,
    theme_ids: Sequence[str],
    *,
    users: Sequence[str] | None = None,
    as_of: pd.Timestamp | None = None,
    dated_only: bool = False,
    neutral_band: float = 0.1,
) -> pd.DataFrame:
    """One row per user with the columns of :func:`feature_columns`, at one cut-off date.

    Parameters
    ----------
    docs : pandas.DataFrame
        ``doc_id``, ``user_id``, ``created_at``, ``sentiment_score``.
    mentions : pandas.DataFrame
        ``doc_id``, ``theme_id``, ``sentiment_score``.
    theme_ids : sequence of str
        The taxonomy's theme ids: one group of columns each.
    users : sequence of str, optional
        The users to describe (e.g. every user of a label file, with zeros for
        those who wrote nothing); default the users of ``docs``.
    as_of : Timestamp, optional
        The cut-off: feedback written at or before it counts; default the
        latest feedback date.
    dated_only : bool
        Leave out texts without a date (they cannot be placed before a cut-off).
    neutral_band : float
        Documents and mentions at or below ``-neutral_band`` are negative.
    """
    codes, names = user_codes(docs["user_id"])
    created = pd.to_datetime(docs["created_at"]).reset_index(drop=True)
    with_user = codes >= 0
    end = as_of if as_of is not None else created[with_user].max()
    end = pd.Timestamp("1970-01-01") if pd.isna(end) else pd.Timestamp(end)
    placed = created.notna() if dated_only else pd.Series(True, index=created.index)
    kept = with_user & (placed & (created.isna() | (created <= end))).to_numpy()
    age_days = ((end - created).dt.total_seconds() / 86400).fillna(0.0).clip(lower=0.0).to_numpy()
    score = docs["sentiment_score"].to_numpy(dtype=float)
    index = pd.Index(
        sorted(names[np.unique(codes[kept])]) if users is None else [str(u) for u in users],
        name="user_id",
    )
    table = _FeatureTable(index, names, theme_ids)
    frame = pd.DataFrame({"user": codes[kept], "score": score[kept], "age_days": age_days[kept]})
    negative = frame["score"] <= -neutral_band
    grouped = frame.groupby("user")
    table.put("n_docs", grouped.size())
    table.put("n_negative_docs", negative.groupby(frame["user"]).sum())
    table.put("sentiment_mean", grouped["score"].mean())
    table.put("sentiment_min", grouped["score"].min())
    table.put(
        "days_since_last_complaint",
        frame[negative].groupby("user")["age_days"].min(),
        fill=NO_COMPLAINT_DAYS,
    )
    del frame, negative, grouped
    in_doc = doc_rows(docs["doc_id"], mentions["doc_id"])
    theme = positions(mentions["theme_id"], theme_ids)
    counted = take(kept, in_doc, fill=False) & (theme >= 0)
    rows = in_doc[counted]
    mention_score = mentions["sentiment_score"].to_numpy(dtype=float)[counted]
    said = pd.DataFrame(
        {
            "user": codes[rows],
            "theme": theme[counted],
            "negative": (mention_score <= -neutral_band).astype(int),
            "weighted": np.exp(-math.log(2) * age_days[rows] / _HALF_LIFE_DAYS)
            * np.clip(-mention_score, 0, None),
        }
    )
    for position, theme_id in enumerate(theme_ids):
        own = said[said["theme"] == position].groupby("user")
        table.put(f"theme_{theme_id}_mentions", own.size())
        table.put(f"theme_{theme_id}_negative", own["negative"].sum())
        table.put(f"theme_{theme_id}_recent_negativity", own["weighted"].sum())
    return table.frame()


class _FeatureTable:
    """The output table, filled one column at a time from aggregates per user code.

    One float array of users x features is allocated once: with hundreds of
    thousands of users, each intermediate copy of the table would weigh as much.
    """

    def __init__(self, index: pd.Index, names: pd.Index, theme_ids: Sequence[str]) -> None:
        self.index = index
        self.columns = feature_columns(theme_ids)
        self.values = np.zeros((len(index), len(self.columns)))
        self.n_codes = len(names)
        self.code_of_row = names.get_indexer(index)  # -1: a user who wrote nothing counted

    def put(self, column: str, by_code: pd.Series, fill: float = 0.0) -> None:
        """Set ``column`` from values indexed by user code; ``fill`` for the others and NaN."""
        values = by_code.to_numpy(dtype=float)
        per_code = np.full(self.n_codes, fill)
        per_code[by_code.index.to_numpy()] = np.where(np.isnan(values), fill, values)
        self.values[:, self.columns.index(column)] = take(per_code, self.code_of_row, fill=fill)

    def frame(self) -> pd.DataFrame:
        out = pd.DataFrame(self.values, columns=self.columns)
        out.insert(0, "user_id", self.index.to_numpy(dtype=object))
        return out


def features_of(result: AnalysisResult) -> pd.DataFrame:
    """The user feature table of an analysis, at its cut-off date.

    With churn labels: every labelled user (zeros for those who wrote
    nothing). Without: the users who wrote. The table is built when it is
    asked for: an analysis that writes no feature table does not hold one.
    """
    return user_features(
        result.docs,
        result.mentions,
        result.taxonomy.ids,
        users=result.labels.frame["user_id"].tolist() if result.labels is not None else None,
        as_of=result.settings.as_of,
        neutral_band=result.settings.neutral_band,
    )
