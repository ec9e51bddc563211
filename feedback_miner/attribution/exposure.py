"""Which users were exposed to which theme before they churned (leakage-safe)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

from ..errors import LabelError
from ..joins import doc_rows, positions, take, user_codes
from .labels import ChurnLabels

__all__ = ["Exposure", "ExposureRule", "UndatedRule", "build_exposure"]

ExposureRule = Literal["negative", "any"]
UndatedRule = Literal["include", "exclude"]


@dataclass(frozen=True)
class Exposure:
    """The users analysed and their theme exposures.

    Attributes
    ----------
    matrix : pandas.DataFrame
        Index ``user_id``; one 0/1 column (int8) per theme id.
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
    first_feedback : pandas.Series
        Date of each analysed user's first text, counted or not (NaT when undated).
    latest_date : Timestamp or None
        The latest date of any text with a user id (the end of observation).
    docs_undated : int
        Texts of labelled users without a date: counted as written before
        churn (``undated="include"``) or left out (``"exclude"``).
    undated_rule : str
        Which of the two.
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
    first_feedback: pd.Series = field(default_factory=lambda: pd.Series(dtype="datetime64[ns]"))
    latest_date: pd.Timestamp | None = None
    docs_undated: int = 0
    undated_rule: str = "include"


def build_exposure(
    docs: pd.DataFrame,
    mentions: pd.DataFrame,
    labels: ChurnLabels,
    theme_ids: tuple[str, ...],
    *,
    rule: ExposureRule = "negative",
    neutral_band: float = 0.1,
    window_days: int | None = None,
    undated: UndatedRule = "include",
) -> Exposure:
    """Flag, per user and theme, whether a counted text mentions the theme.

    A text counts when its user is in the label file and, for churned users
    with a churn date, it was written before that date. A text without a
    date cannot be placed: with ``undated="include"`` it counts (and is
    counted in ``docs_undated``, for a warning), with ``"exclude"`` it does
    not. With ``rule="negative"`` only mentions with sentiment at or below
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
    codes, feedback_users = user_codes(docs["user_id"])
    # per distinct user of the feedback: its row in the label file, or -1
    label_row = table.index.get_indexer(feedback_users)
    doc_label = take(label_row, codes, fill=-1)
    labelled = doc_label >= 0
    if not labelled.any():
        sample_docs = ", ".join(map(repr, feedback_users[:3])) or "none"
        sample_labels = ", ".join(map(repr, table.index[:3]))
        raise LabelError(
            f"{labels.file}: none of its {len(table)} user ids matches a user id in the feedback "
            f"({len(feedback_users)} users, e.g. {sample_docs}; label ids look like {sample_labels}). "
            "Check that --id-col names the user id column of the feedback and --label-id-col "
            "that of the label file, and that both use the same ids."
        )
    # counted texts, by position: only integer and date arrays, never the texts or ids
    position = np.flatnonzero(labelled)
    rows = doc_label[position]
    all_created = pd.to_datetime(docs["created_at"]).reset_index(drop=True)
    created = all_created.iloc[position].reset_index(drop=True)
    churn_date = table["churn_date"].iloc[rows].reset_index(drop=True)
    churned = pd.Series(table["churned"].to_numpy()[rows] == 1)
    after = churned & churn_date.notna() & created.notna() & (created >= churn_date)
    outside = pd.Series(False, index=created.index)
    if window_days is not None:
        # only the last window_days before the churn date (retained users: before the last feedback)
        end = churn_date.where(churned & churn_date.notna(), created.max())
        outside = created.notna() & (created < end - pd.Timedelta(days=window_days)) & ~after
    undated_texts = created.isna()
    keep = (~after & ~outside).to_numpy()
    if undated == "exclude":
        keep &= ~undated_texts.to_numpy()
    eligible = np.zeros(len(docs), dtype=bool)
    eligible[position[keep]] = True

    users = pd.Index(sorted(feedback_users[np.unique(codes[eligible])]), name="user_id")
    user_row = users.get_indexer(feedback_users)  # per feedback user: its matrix row, or -1
    # 0/1 flags as bytes: hundreds of thousands of users by dozens of themes, copied by the fits
    matrix = np.zeros((len(users), len(theme_ids)), dtype=np.int8)
    in_doc = doc_rows(docs["doc_id"], mentions["doc_id"])
    counted = take(eligible, in_doc, fill=False)
    if rule == "negative":
        counted &= mentions["sentiment_score"].to_numpy(dtype=float) <= -neutral_band
    theme_col = positions(mentions["theme_id"], theme_ids)
    counted &= theme_col >= 0
    matrix[user_row[codes[in_doc[counted]]], theme_col[counted]] = 1

    with_user = codes >= 0
    latest = all_created[with_user].max()
    return Exposure(
        matrix=pd.DataFrame(matrix, index=users, columns=list(theme_ids)),
        labels=table.loc[users].reset_index(),
        docs_used=int(eligible.sum()),
        docs_after_churn=int(after.sum()),
        docs_unlabelled=int(len(docs) - labelled.sum()),
        users_in_labels=len(table),
        feedback_users=len(feedback_users),
        matched_users=int((label_row >= 0).sum()),
        docs_outside_window=int(outside.sum()),
        last_feedback=_per_user(all_created[eligible], codes[eligible], feedback_users, "max"),
        first_feedback=_per_user(
            all_created[with_user], codes[with_user], feedback_users, "min"
        ).reindex(users),
        latest_date=None if pd.isna(latest) else pd.Timestamp(latest),
        docs_undated=int(undated_texts.sum()),
        undated_rule=undated,
    )


def _per_user(
    dates: pd.Series, codes: np.ndarray, users: pd.Index, how: Literal["min", "max"]
) -> pd.Series:
    """The earliest or latest of ``dates`` per user, indexed by sorted user id."""
    found = dates.groupby(codes).agg(how)
    index = pd.Index(users[found.index.to_numpy()], name="user_id")
    return pd.Series(found.to_numpy(), index=index, name="created_at").sort_index()
