"""An early-warning list: which active users are about to leave, why, and what to do.

The model is trained on the past with a time split. At T0 = as-of minus the
horizon, every user still active then (their last activity less than N days
old) is described by what was known at T0: recency, frequency, spend, tenure
and how overdue they are against their own usual gap between events, from the
activity log, and the text features of the feedback they
wrote before T0. The outcome is whether they had churned by as-of (their last
activity at least N days old then). Logistic regression, a random forest and
gradient boosting are compared on that backtest (out-of-fold ROC AUC, the same
folds, with and without the text); the best of the six (ties go to the simpler:
logistic regression, then without the text) is refitted on all of it and scores
the users active at as-of, described the same way at as-of. Each gets
the themes of their negative feedback of the last ``reason_days`` days (the
most negative first), the most negative of those texts, and the first action
the taxonomy gives for the top theme.

Covariates from a label file join as they are, except the columns ``labels``
derives from activity (recency, frequency, RFM scores ...): those describe the
label file's date, which for the backtest is the future, so the model takes
them from the log at each date instead.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import FeedbackMinerError
from ..features.users import user_features
from ..joins import doc_rows, user_codes
from ..themes import Taxonomy
from .backtest import (
    LIFT_BINS,
    Backtest,
    choose_model,
    compare_models,
    features_without_text,
    join_features,
    lift_table,
    make_model,
    text_gain,
)
from .events import Events
from .labels import LABEL_COLUMNS, labels_from_events

__all__ = ["ACTION_COLUMNS", "RISK_COLUMNS", "RiskResult", "risk_list"]

RISK_COLUMNS = (
    "user_id",
    "risk",
    "rank",
    "top_reasons",
    "reason_quote",
    "suggested_action",
    "last_active",
    "rfm_segment",
)
ACTION_COLUMNS = (
    "theme_id",
    "theme_name",
    "at_risk_users",
    "listed_users",
    "churned_users",
    "actions",
    "owner",
    "quote",
)
_MIN_PER_CLASS = 10


@dataclass(frozen=True)
class RiskResult:
    """The risk list, its backtest, and what to do per reason.

    Attributes
    ----------
    table : pandas.DataFrame
        :data:`RISK_COLUMNS`, the riskiest user first.
    backtest : Backtest
    actions : pandas.DataFrame
        :data:`ACTION_COLUMNS`, one row per theme some listed or churned user
        complained about: ``at_risk_users`` among the riskiest tenth of the
        list (whose top reasons include the theme), ``listed_users`` in the
        whole list, ``churned_users`` who had churned by as-of after a
        negative mention of it, the taxonomy's actions (``;``-joined) and
        owner, and the most negative recent quote of an at-risk user.
    horizon_days, inactive_days, reason_days : int
        H, N, and the days of feedback a user's reasons come from.
    """

    table: pd.DataFrame
    backtest: Backtest
    actions: pd.DataFrame
    horizon_days: int
    inactive_days: int
    reason_days: int


def risk_list(
    events: Events,
    docs: pd.DataFrame,
    mentions: pd.DataFrame,
    taxonomy: Taxonomy,
    *,
    inactive_days: int,
    horizon_days: int | None = None,
    as_of: str | pd.Timestamp | None = None,
    covariates: pd.DataFrame | None = None,
    reason_days: int = 180,
    neutral_band: float = 0.1,
    seed: int = 0,
) -> RiskResult:
    """Score the users active at ``as_of`` by their risk of churning within the horizon.

    Parameters
    ----------
    events : Events
        The activity log.
    docs, mentions : pandas.DataFrame
        The analysed feedback.
    taxonomy : Taxonomy
        Its themes (their ``actions`` give the suggestions).
    inactive_days : int
        N: churned means N days without activity.
    horizon_days : int, optional
        H: how far ahead the risk looks (default N).
    as_of : date, optional
        Today (default the latest event).
    covariates : pandas.DataFrame, optional
        ``user_id`` and extra numeric or categorical columns (a label file's).
    reason_days : int
        A user's reasons come from their negative feedback of the last
        ``reason_days`` days before as-of.
    neutral_band : float
        Negative means a score at or below ``-neutral_band``.
    seed : int
        Seed of the folds, the models and the bootstrap.

    Raises
    ------
    FeedbackMinerError
        When the window or horizon is not positive, or the backtest has too
        few users on either side.
    """
    horizon = inactive_days if horizon_days is None else horizon_days
    if horizon < 1:
        raise FeedbackMinerError(f"--horizon-days is {horizon}; use 1 or more days.")
    if reason_days < 1:
        raise FeedbackMinerError(f"--reason-days is {reason_days}; use 1 or more days.")
    now = labels_from_events(events, inactive_days, as_of=as_of)
    cutoff = now.as_of - pd.Timedelta(days=horizon)
    if cutoff < events.frame["day"].min():
        raise FeedbackMinerError(
            f"the horizon of {horizon} days reaches back to {cutoff.date()}, before the first "
            f"event ({events.frame['day'].min().date()}): the model has no past to learn from. "
            "Use a shorter --horizon-days or a longer log."
        )
    then = labels_from_events(events, inactive_days, as_of=cutoff)
    at_risk_then = then.table[then.table["churned"] == 0]
    outcome = now.table.set_index("user_id").loc[at_risk_then["user_id"], "churned"].to_numpy()
    n_churned = int(outcome.sum())
    if min(n_churned, len(outcome) - n_churned) < _MIN_PER_CLASS:
        raise FeedbackMinerError(
            f"the backtest at {cutoff.date()} has {len(outcome)} active users, of whom "
            f"{n_churned} churned by {now.as_of.date()}; at least {_MIN_PER_CLASS} on each side are "
            "needed. Use a longer log, a longer --horizon-days, or a shorter --inactive-days."
        )
    ids = list(taxonomy.ids)
    past_activity = _activity(at_risk_then)
    past_text = _text(docs, mentions, ids, at_risk_then["user_id"], cutoff, neutral_band)
    past_extra = _extra(covariates, at_risk_then["user_id"])
    auc, predictions = compare_models(past_activity, past_text, past_extra, outcome, seed)
    chosen, uses_text = choose_model(auc)
    lift = lift_table(predictions[chosen][uses_text], outcome)
    gain = text_gain(*predictions[chosen], outcome, seed)
    active_now = now.table[now.table["churned"] == 0]
    now_activity = _activity(active_now)
    now_extra = _extra(covariates, active_now["user_id"])
    if uses_text:
        now_text = _text(docs, mentions, ids, active_now["user_id"], now.as_of, neutral_band)
        model = make_model(chosen, seed).fit(
            join_features(past_activity, past_text, past_extra), outcome
        )
        X_now = join_features(now_activity, now_text, now_extra)
    else:
        model = make_model(chosen, seed).fit(
            features_without_text(past_activity, past_extra), outcome
        )
        X_now = features_without_text(now_activity, now_extra)
    risk = model.predict_proba(X_now)[:, 1]
    reasons = _recent_reasons(
        docs, mentions, taxonomy, active_now["user_id"], now.as_of, reason_days, neutral_band
    )
    table = pd.DataFrame(
        {
            "user_id": active_now["user_id"].to_numpy(),
            "risk": risk,
            "top_reasons": reasons["top_reasons"].to_numpy(),
            "reason_quote": reasons["reason_quote"].to_numpy(),
            "suggested_action": reasons["suggested_action"].to_numpy(),
            "last_active": active_now["last_active"].to_numpy(),
            "rfm_segment": active_now["rfm_segment"].to_numpy(),
        }
    )
    table = table.sort_values(["risk", "user_id"], ascending=[False, True], kind="mergesort")
    table.insert(2, "rank", np.arange(1, len(table) + 1))
    table = table.reset_index(drop=True)[list(RISK_COLUMNS)]
    backtest = Backtest(
        cutoff, now.as_of, len(outcome), n_churned, auc, chosen, uses_text, gain, lift
    )
    churned = now.table.loc[now.table["churned"] == 1, ["user_id", "churn_date"]]
    actions = _actions(table, taxonomy, _churned_reasons(docs, mentions, churned, neutral_band))
    return RiskResult(table, backtest, actions, horizon, inactive_days, reason_days)


def _activity(labels: pd.DataFrame) -> pd.DataFrame:
    """Activity features at the labels' date: recency, frequency, spend, tenure, and how
    overdue the user is (recency over their usual gap between events), on log scales."""
    recency = labels["recency_days"].to_numpy(dtype=float)
    frequency = labels["frequency"].to_numpy(dtype=float)
    tenure = labels["tenure_days"].to_numpy(dtype=float)
    gap = tenure / np.maximum(frequency - 1, 1) + 1
    frame = pd.DataFrame(
        {
            "log_recency": np.log1p(recency),
            "log_frequency": np.log1p(frequency),
            "log_tenure": np.log1p(tenure),
            "log_gap": np.log(gap),
            "overdue": np.log1p(recency / gap),
            "log_monetary": np.log1p(
                labels["monetary"].fillna(0.0).clip(lower=0).to_numpy(dtype=float)
            ),
        }
    )
    return frame


def _text(
    docs: pd.DataFrame,
    mentions: pd.DataFrame,
    ids: list[str],
    users: pd.Series,
    moment: pd.Timestamp,
    neutral_band: float,
) -> pd.DataFrame:
    """Text features of each user from the feedback written before ``moment``."""
    features = user_features(
        docs,
        mentions,
        ids,
        users=users.astype(str).tolist(),
        as_of=moment - pd.Timedelta(1, "ns"),
        dated_only=True,
        neutral_band=neutral_band,
    )
    return features.drop(columns="user_id").reset_index(drop=True)


def _extra(covariates: pd.DataFrame | None, users: pd.Series) -> pd.DataFrame:
    """The label file's columns of each user.

    Numbers as they are (a missing value: the median plus a missing indicator), categories
    as indicators; columns that ``labels`` derives from the activity itself are dropped,
    since at the backtest's cut-off they would tell the future.
    """
    if covariates is None:
        return pd.DataFrame(index=range(len(users)))
    derived = [c for c in LABEL_COLUMNS if c != "user_id" and c in covariates.columns]
    table = (
        covariates.drop(columns=derived)
        .drop_duplicates("user_id")
        .set_index("user_id")
        .reindex(users.astype(str))
    )
    numeric = table.select_dtypes("number")
    gaps = numeric.isna()
    parts = [
        numeric.fillna(numeric.median()).fillna(0.0),
        gaps.loc[:, gaps.any()].add_suffix(" missing").astype(float),
    ]
    other = table.select_dtypes(exclude="number")
    if other.shape[1]:
        parts.append(pd.get_dummies(other.astype(str), dtype=float))
    return pd.concat(parts, axis=1).reset_index(drop=True)


def _recent_reasons(
    docs: pd.DataFrame,
    mentions: pd.DataFrame,
    taxonomy: Taxonomy,
    users: pd.Series,
    moment: pd.Timestamp,
    window_days: int,
    neutral_band: float,
) -> pd.DataFrame:
    """Per user: the themes of their negative feedback of the last ``window_days`` (most
    negative first), the most negative of those texts, and the top theme's first action."""
    out = pd.DataFrame(
        {"top_reasons": "", "reason_quote": "", "suggested_action": ""}, index=range(len(users))
    )
    codes, names = user_codes(docs["user_id"])
    # per document: the row of its user in ``users`` (-1: not one of them, or no user)
    doc_user = np.append(pd.Index(users.astype(str)).get_indexer(names), -1)[codes]
    created = pd.to_datetime(docs["created_at"])
    recent = ((created >= moment - pd.Timedelta(days=window_days)) & (created <= moment)).to_numpy()
    in_doc = doc_rows(docs["doc_id"], mentions["doc_id"])
    score = mentions["sentiment_score"].to_numpy(dtype=float)
    safe = np.clip(in_doc, 0, None)
    keep = (in_doc >= 0) & (score <= -neutral_band) & recent[safe] & (doc_user[safe] >= 0)
    user_row = doc_user[safe]
    found = pd.DataFrame(
        {
            "user": user_row[keep],
            "theme": mentions["theme_id"].to_numpy(dtype=object)[keep],
            "score": score[keep],
            "text": docs["text"].to_numpy(dtype=object)[in_doc[keep]],
        }
    ).sort_values(["user", "score", "theme"], kind="mergesort")
    actions = {t.id: (t.actions[0] if t.actions else "") for t in taxonomy.themes}
    reasons, quotes, suggested = (out[c].to_numpy(dtype=object).copy() for c in out.columns)
    for user, group in found.groupby("user", sort=False).indices.items():
        position = int(user)  # type: ignore[call-overload]
        rows = found.iloc[group]
        themes = list(dict.fromkeys(rows["theme"]))[:3]
        reasons[position] = ";".join(themes)
        quotes[position] = str(rows["text"].iloc[0])
        suggested[position] = actions.get(themes[0], "")
    return pd.DataFrame(
        {"top_reasons": reasons, "reason_quote": quotes, "suggested_action": suggested}
    )


def _churned_reasons(
    docs: pd.DataFrame, mentions: pd.DataFrame, churned: pd.DataFrame, neutral_band: float
) -> pd.Series:
    """Per theme: how many churned users mentioned it negatively on or before their churn day."""
    if churned.empty or mentions.empty:
        return pd.Series(dtype=int)
    negative = mentions[mentions["sentiment_score"].to_numpy(dtype=float) <= -neutral_band]
    in_doc = doc_rows(docs["doc_id"], negative["doc_id"])
    found = negative[in_doc >= 0]
    rows = in_doc[in_doc >= 0]
    frame = pd.DataFrame(
        {
            "user_id": docs["user_id"].to_numpy(dtype=object)[rows],
            "created": pd.to_datetime(docs["created_at"]).to_numpy()[rows],
            "theme": found["theme_id"].to_numpy(dtype=object),
        }
    ).dropna(subset=["user_id"])
    frame["user_id"] = frame["user_id"].astype(str)
    churn_day = churned.set_index(churned["user_id"].astype(str))["churn_date"]
    frame["churn_date"] = pd.to_datetime(frame["user_id"].map(churn_day))
    before = frame["churn_date"].notna() & (
        frame["created"].isna() | (frame["created"] < frame["churn_date"] + pd.Timedelta(days=1))
    )
    return frame[before].drop_duplicates(["user_id", "theme"])["theme"].value_counts()


def _actions(table: pd.DataFrame, taxonomy: Taxonomy, churned: pd.Series) -> pd.DataFrame:
    """One row per theme carried by a listed or churned user, the most at-risk users first."""
    at_risk = table.head(int(np.ceil(len(table) / LIFT_BINS)))
    rows = []
    for theme in taxonomy.themes:

        def carries(frame: pd.DataFrame, theme_id: str = theme.id) -> pd.Series:
            return frame["top_reasons"].str.split(";").map(lambda ids: theme_id in ids)

        risky = at_risk[carries(at_risk)] if len(at_risk) else at_risk
        listed = int(carries(table).sum()) if len(table) else 0
        n_churned = int(churned.get(theme.id, 0))
        if not (len(risky) or listed or n_churned):
            continue
        rows.append(
            {
                "theme_id": theme.id,
                "theme_name": theme.name,
                "at_risk_users": len(risky),
                "listed_users": listed,
                "churned_users": n_churned,
                "actions": ";".join(theme.actions),
                "owner": theme.owner,
                "quote": _quote(risky, theme.id),
            }
        )
    frame = pd.DataFrame(rows, columns=list(ACTION_COLUMNS))
    return frame.sort_values(
        ["at_risk_users", "churned_users", "theme_id"],
        ascending=[False, False, True],
        kind="mergesort",
    ).reset_index(drop=True)


def _quote(users: pd.DataFrame, theme_id: str) -> str:
    """The quote of the riskiest user whose first reason is the theme (else of the riskiest)."""
    if users.empty:
        return ""
    first = users["top_reasons"].str.split(";").str[0] == theme_id
    return str(
        users.loc[first, "reason_quote"].iloc[0] if first.any() else users["reason_quote"].iloc[0]
    )
