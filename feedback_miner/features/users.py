"""User-level features for churn models, from documents and theme mentions.

Columns, in this order and with these names whatever the data (so that churn
models keep working when a new month of feedback arrives):

``user_id``, ``n_docs``, ``n_negative_docs``, ``sentiment_mean``,
``sentiment_min``, ``days_since_last_complaint``, then for each theme id of the
taxonomy, in taxonomy order: ``theme_<id>_mentions``, ``theme_<id>_negative``,
``theme_<id>_recent_negativity``.

Only feedback written before the reference date counts: the user's churn date
when they churned and it is known, otherwise the observation end (the latest
feedback date, or the one given).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from ..pipeline import AnalysisResult

__all__ = ["NO_COMPLAINT_DAYS", "feature_columns", "features_of", "user_features"]

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
    churn_dates: pd.Series | None = None,
    observation_end: pd.Timestamp | None = None,
    neutral_band: float = 0.1,
) -> pd.DataFrame:
    """One row per user with the columns of :func:`feature_columns`.

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
    churn_dates : pandas.Series, optional
        Churn date per user id (NaT for retained users).
    observation_end : Timestamp, optional
        Reference date of users without a churn date; default the latest
        feedback date.
    neutral_band : float
        Documents and mentions at or below ``-neutral_band`` are negative.
    """
    # only the columns used here: a million documents' texts are not copied
    needed = docs[["doc_id", "user_id", "created_at", "sentiment_score"]]
    frame = needed[needed["user_id"].notna()].copy()
    frame["user_id"] = frame["user_id"].astype(str)
    frame["created_at"] = pd.to_datetime(frame["created_at"])
    end = observation_end if observation_end is not None else frame["created_at"].max()
    end = pd.Timestamp("1970-01-01") if pd.isna(end) else pd.Timestamp(end)
    reference = pd.Series(end, index=frame.index)
    if churn_dates is not None:
        dates = frame["user_id"].map(churn_dates)
        reference = dates.where(dates.notna(), end)
    before = frame["created_at"].isna() | (frame["created_at"] < reference)
    frame = frame[before]
    age_days = ((reference[before] - frame["created_at"]).dt.total_seconds() / 86400).fillna(0.0)
    frame = frame.assign(age_days=age_days.clip(lower=0.0))
    negative = frame["sentiment_score"] <= -neutral_band
    grouped = frame.groupby("user_id")
    out = pd.DataFrame(
        {
            "n_docs": grouped.size(),
            "n_negative_docs": negative.groupby(frame["user_id"]).sum(),
            "sentiment_mean": grouped["sentiment_score"].mean(),
            "sentiment_min": grouped["sentiment_score"].min(),
            "days_since_last_complaint": frame[negative].groupby("user_id")["age_days"].min(),
        }
    )
    kept = mentions[mentions["doc_id"].isin(frame["doc_id"])].merge(
        frame[["doc_id", "user_id", "age_days"]], on="doc_id", suffixes=("_mention", "")
    )
    kept = kept.assign(
        negative=(kept["sentiment_score"] <= -neutral_band).astype(int),
        weighted=np.exp(-math.log(2) * kept["age_days"] / _HALF_LIFE_DAYS)
        * (-kept["sentiment_score"]).clip(lower=0),
    )
    for theme in theme_ids:
        own = kept[kept["theme_id"] == theme].groupby("user_id")
        out[f"theme_{theme}_mentions"] = own.size()
        out[f"theme_{theme}_negative"] = own["negative"].sum()
        out[f"theme_{theme}_recent_negativity"] = own["weighted"].sum()
    index = pd.Index(
        sorted(set(frame["user_id"])) if users is None else [str(u) for u in users], name="user_id"
    )
    out = out.reindex(index)
    out["days_since_last_complaint"] = out["days_since_last_complaint"].fillna(NO_COMPLAINT_DAYS)
    out = out.fillna(0.0)[feature_columns(theme_ids)].astype(float)
    return out.reset_index()


def features_of(result: AnalysisResult) -> pd.DataFrame:
    """The user feature table of an analysis.

    With churn labels: every labelled user (zeros for those who wrote
    nothing), feedback cut at each churn date — the table the analysis already
    built. Without: the users who wrote.
    """
    if result.user_features is not None:
        return result.user_features
    band = float(str(result.settings.get("neutral_band", 0.1)))
    return user_features(result.docs, result.mentions, result.taxonomy.ids, neutral_band=band)
