"""Which users were exposed to which theme before they churned (leakage-safe)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import pandas as pd

from ..errors import LabelError
from .labels import ChurnLabels

__all__ = ["Exposure", "ExposureRule", "build_exposure"]

ExposureRule = Literal["negative", "any"]


@dataclass(frozen=True)
class Exposure:
    """The users analysed and their theme exposures.

    Attributes
    ----------
    matrix : pandas.DataFrame
        Index ``user_id``; one 0/1 column per theme id.
    labels : pandas.DataFrame
        The label rows of the same users, in the same order.
    docs_used : int
        Feedback texts that count (written before churn, by a labelled user).
    docs_after_churn : int
        Texts left out because they were written on or after the churn date.
    docs_unlabelled : int
        Texts whose user is not in the label file (or has no user id).
    users_in_labels : int
        Users in the label file.
    feedback_users, matched_users : int
        Users with a user id in the feedback, and how many of them the label
        file has.
    docs_outside_window : int
        Texts left out for being older than ``window_days`` before the
        reference date.
    last_feedback : pandas.Series
        Date of each analysed user's latest counted text (NaT when undated).
    """

    matrix: pd.DataFrame
    labels: pd.DataFrame
    docs_used: int
    docs_after_churn: int
    docs_unlabelled: int
    users_in_labels: int
    feedback_users: int = 0
    matched_users: int = 0
    docs_outside_window: int = 0
    last_feedback: pd.Series = field(default_factory=lambda: pd.Series(dtype="datetime64[ns]"))


def build_exposure(
    docs: pd.DataFrame,
    mentions: pd.DataFrame,
    labels: ChurnLabels,
    theme_ids: tuple[str, ...],
    *,
    rule: ExposureRule = "negative",
    neutral_band: float = 0.1,
    window_days: int | None = None,
) -> Exposure:
    """Flag, per user and theme, whether a counted text mentions the theme.

    A text counts when its user is in the label file and, for churned users
    with a churn date, it was written before that date (texts without a date
    count). With ``rule="negative"`` only mentions with sentiment at or below
    ``-neutral_band`` expose; with ``"any"`` every mention does. With
    ``window_days``, only texts of the last ``window_days`` before the churn
    date (for retained users, before the latest feedback) count.

    The population is the labelled users with at least one counted text, so
    that "wrote feedback at all" is the same for exposed and unexposed users.

    Raises
    ------
    LabelError
        When no user id in the feedback matches the label file.
    """
    table = labels.frame.set_index("user_id")
    # only the columns used here: a million documents' texts are not copied
    needed = docs[["doc_id", "user_id", "created_at"]]
    with_user = needed[needed["user_id"].notna()]
    user_ids = with_user["user_id"].astype(str)
    labelled = user_ids.isin(table.index)
    if not labelled.any():
        sample_docs = ", ".join(map(repr, user_ids.drop_duplicates().head(3))) or "none"
        sample_labels = ", ".join(map(repr, table.index[:3]))
        raise LabelError(
            f"{labels.file}: none of its {len(table)} user ids matches a user id in the feedback "
            f"({user_ids.nunique()} users, e.g. {sample_docs}; label ids look like {sample_labels}). "
            "Check that --id-col names the user id column of the feedback and --label-id-col "
            "that of the label file, and that both use the same ids."
        )
    counted = with_user[labelled].copy()
    counted["user_id"] = counted["user_id"].astype(str)
    churn_date = counted["user_id"].map(table["churn_date"])
    churned = counted["user_id"].map(table["churned"]) == 1
    created = pd.to_datetime(counted["created_at"])
    after = churned & churn_date.notna() & created.notna() & (created >= churn_date)
    outside = pd.Series(False, index=counted.index)
    if window_days is not None:
        # only the last window_days before the churn date (retained users: before the last feedback)
        end = churn_date.where(churned & churn_date.notna(), created.max())
        outside = created.notna() & (created < end - pd.Timedelta(days=window_days)) & ~after
    eligible = counted[~after & ~outside]

    kept_mentions = mentions[mentions["doc_id"].isin(eligible["doc_id"])]
    if rule == "negative":
        kept_mentions = kept_mentions[kept_mentions["sentiment_score"] <= -neutral_band]
    users = pd.Index(sorted(eligible["user_id"].unique()), name="user_id")
    matrix = pd.DataFrame(0, index=users, columns=list(theme_ids), dtype=int)
    if len(kept_mentions):
        pairs = kept_mentions.assign(user_id=kept_mentions["user_id"].astype(str))[
            ["user_id", "theme_id"]
        ].drop_duplicates()
        pairs = pairs[pairs["theme_id"].isin(theme_ids)]
        for theme_id, group in pairs.groupby("theme_id"):
            matrix.loc[group["user_id"].to_numpy(), theme_id] = 1
    return Exposure(
        matrix=matrix,
        labels=table.loc[users].reset_index(),
        docs_used=len(eligible),
        docs_after_churn=int(after.sum()),
        docs_unlabelled=int(len(docs) - labelled.sum()),
        users_in_labels=len(table),
        feedback_users=int(user_ids.nunique()),
        matched_users=int(user_ids[labelled].nunique()),
        docs_outside_window=int(outside.sum()),
        last_feedback=pd.to_datetime(eligible["created_at"]).groupby(eligible["user_id"]).max(),
    )
