"""Churn labels from activity: a user has churned when their last activity is at least N days
before the as-of date; with their RFM scores and segment, ready to be a ``--labels`` file."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import FeedbackMinerError
from .events import Events
from .rfm import quintile_scores, rfm_segments

__all__ = ["LABEL_COLUMNS", "ActivityLabels", "churn_rate_at", "labels_from_events"]

LABEL_COLUMNS = (
    "user_id",
    "churned",
    "churn_date",
    "first_active",
    "last_active",
    "tenure_days",
    "recency_days",
    "frequency",
    "monetary",
    "r_score",
    "f_score",
    "m_score",
    "rfm_segment",
)


@dataclass(frozen=True)
class ActivityLabels:
    """Labels made from an activity log.

    Attributes
    ----------
    table : pandas.DataFrame
        :data:`LABEL_COLUMNS`, one row per user, sorted by user id.
    as_of : Timestamp
        The date the labels describe.
    inactive_days : int
        The churn window N.
    sensitivity : dict
        Churn rate at N/2, N and 2N days (window -> rate), to show how much
        the choice of N decides.
    """

    table: pd.DataFrame
    as_of: pd.Timestamp
    inactive_days: int
    sensitivity: dict[int, float]

    @property
    def churn_rate(self) -> float:
        return float(self.table["churned"].mean()) if len(self.table) else 0.0


def labels_from_events(
    events: Events, inactive_days: int, *, as_of: str | pd.Timestamp | None = None
) -> ActivityLabels:
    """One label row per user of ``events``.

    ``churned`` is 1 when the last activity is at least ``inactive_days``
    before ``as_of`` (default: the latest event's day); ``churn_date`` is then
    the day of that last activity. ``tenure_days`` runs from the first
    activity to the churn date (or to ``as_of`` for the others);
    ``recency_days`` is ``as_of`` minus the last activity; ``frequency`` counts
    events, ``monetary`` sums amounts (empty without an amount column).

    Raises
    ------
    FeedbackMinerError
        When ``inactive_days`` is not positive, ``as_of`` is not a date or
        comes before the first event, or the log is empty.
    """
    if inactive_days < 1:
        raise FeedbackMinerError(f"--inactive-days is {inactive_days}; use 1 or more days.")
    frame = events.frame
    if frame.empty:
        raise FeedbackMinerError(
            f"{', '.join(events.files)}: no event has both a user id and a date."
        )
    first_event = frame["day"].min()
    moment = _as_of(as_of, frame["day"].max())
    if moment < first_event:
        raise FeedbackMinerError(
            f"--as-of {moment.date()} is before the first event ({first_event.date()}); give a "
            "date within or after the log."
        )
    frame = frame[frame["day"] <= moment]
    grouped = frame.groupby("user_id", sort=True)
    first = grouped["day"].min()
    last = grouped["day"].max()
    recency = (moment - last).dt.days
    churned = (recency >= inactive_days).astype(int)
    frequency = grouped.size().astype(int)
    has_amount = frame["amount"].notna().any()
    monetary = (
        # rounded off the float noise of summing (0.1 + 0.2), not to any currency's unit
        grouped["amount"].sum(min_count=1).round(6)
        if has_amount
        else pd.Series(np.nan, index=first.index)
    )
    end = last.where(churned == 1, moment)
    table = pd.DataFrame(
        {
            "user_id": first.index.astype(str),
            "churned": churned.to_numpy(),
            "churn_date": last.where(churned == 1).to_numpy(),
            "first_active": first.to_numpy(),
            "last_active": last.to_numpy(),
            "tenure_days": (end - first).dt.days.to_numpy(),
            "recency_days": recency.to_numpy(),
            "frequency": frequency.to_numpy(),
            "monetary": monetary.to_numpy(dtype=float),
        }
    )
    table["r_score"] = quintile_scores(table["recency_days"], higher_is_better=False)
    table["f_score"] = quintile_scores(table["frequency"])
    table["m_score"] = quintile_scores(table["monetary"])
    table["rfm_segment"] = rfm_segments(table["r_score"], table["f_score"], table["m_score"])
    for column in ("r_score", "f_score", "m_score"):
        table[column] = table[column].astype("Int64")
    sensitivity = {
        days: churn_rate_at(recency, days)
        for days in sorted({max(1, inactive_days // 2), inactive_days, 2 * inactive_days})
    }
    return ActivityLabels(table.reset_index(drop=True), moment, inactive_days, sensitivity)


def churn_rate_at(recency_days: pd.Series, window: int) -> float:
    """Share of users whose last activity is at least ``window`` days old."""
    return float((recency_days >= window).mean()) if len(recency_days) else 0.0


def _as_of(value: str | pd.Timestamp | None, latest: pd.Timestamp) -> pd.Timestamp:
    if value is None:
        return pd.Timestamp(latest).normalize()
    try:
        return pd.Timestamp(value).normalize()
    except (ValueError, TypeError):
        raise FeedbackMinerError(
            f"--as-of {value!r} is not a date; give it as YYYY-MM-DD."
        ) from None
