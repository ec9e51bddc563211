"""Per-theme counts, churn types and competitor destinations, from docs and mentions."""

from __future__ import annotations

import pandas as pd

from ..attribution import ChurnLabels
from ..themes import Taxonomy

__all__ = ["CHURN_TYPES", "churn_type_split", "competitor_table", "theme_summary"]

CHURN_TYPES = ("natural", "active", "passive")
_TOP_KEYWORDS = 5


def theme_summary(
    docs: pd.DataFrame, mentions: pd.DataFrame, taxonomy: Taxonomy, *, neutral_band: float
) -> pd.DataFrame:
    """One row per theme: mentions, negative mentions, share of documents, keywords.

    Returns
    -------
    pandas.DataFrame
        Columns ``theme_id, theme_name, churn_type, mentions, negative, share,
        mean_sentiment, top_keywords`` in taxonomy order. ``share`` is mentions
        over all documents; ``top_keywords`` are the five matched keywords seen
        in most mentions, ``、``-joined.

    Examples
    --------
    >>> from feedback_miner.themes import load_taxonomy
    >>> docs = pd.DataFrame({"doc_id": ["a", "b"]})
    >>> mentions = pd.DataFrame({"doc_id": ["a"], "theme_id": ["price"],
    ...     "sentiment_score": [-0.5], "keywords": ["太贵;涨价"]})
    >>> row = theme_summary(docs, mentions, load_taxonomy(), neutral_band=0.1).iloc[0]
    >>> print(row["theme_id"], row["mentions"], row["negative"], row["share"], row["top_keywords"])
    price 1 1 0.5 太贵、涨价
    """
    n_docs = max(len(docs), 1)
    positions = mentions.groupby("theme_id", sort=False).indices
    rows = []
    for theme in taxonomy.themes:
        own = mentions.iloc[positions.get(theme.id, [])]
        scores = own["sentiment_score"]
        rows.append(
            {
                "theme_id": theme.id,
                "theme_name": theme.name,
                "churn_type": theme.churn_type,
                "mentions": len(own),
                "negative": int((scores <= -neutral_band).sum()),
                "share": len(own) / n_docs,
                "mean_sentiment": float(scores.mean()) if len(own) else None,
                "top_keywords": "、".join(_top_keywords(own)),
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "theme_id",
            "theme_name",
            "churn_type",
            "mentions",
            "negative",
            "share",
            "mean_sentiment",
            "top_keywords",
        ],
    )


def _top_keywords(own: pd.DataFrame) -> list[str]:
    """The keywords seen in most mentions, ties in order of first appearance."""
    if "keywords" not in own.columns:
        return []
    counts: dict[str, int] = {}
    # each distinct keyword list once (in order of first appearance), with its count
    for joined, n in own["keywords"].value_counts(sort=False).items():
        for keyword in str(joined).split(";"):
            if keyword:
                counts[keyword] = counts.get(keyword, 0) + int(n)
    ranked = sorted(counts, key=lambda k: -counts[k])  # stable: ties keep appearance order
    return ranked[:_TOP_KEYWORDS]


def _churned_users(labels: ChurnLabels | None) -> set[str] | None:
    if labels is None:
        return None
    frame = labels.frame
    return set(frame.loc[frame["churned"] == 1, "user_id"].astype(str))


def churn_type_split(docs: pd.DataFrame, labels: ChurnLabels | None) -> pd.DataFrame:
    """Documents and users per churn type (natural / active / passive).

    Returns
    -------
    pandas.DataFrame
        ``churn_type, documents, doc_share, users, churned_users``; ``doc_share``
        is over the documents that give a reason; ``churned_users`` is empty
        without labels.
    """
    churned = _churned_users(labels)
    types = docs["churn_type"].fillna("") if "churn_type" in docs.columns else pd.Series()
    with_reason = max(int((types != "").sum()), 1)
    rows = []
    for kind in CHURN_TYPES:
        own = docs.loc[types == kind, "user_id"]
        users = set(map(str, own.dropna().unique()))
        rows.append(
            {
                "churn_type": kind,
                "documents": len(own),
                "doc_share": len(own) / with_reason,
                "users": len(users),
                "churned_users": None if churned is None else len(users & churned),
            }
        )
    return pd.DataFrame(rows)


def competitor_table(docs: pd.DataFrame, labels: ChurnLabels | None) -> pd.DataFrame:
    """Where users say they went: one row per competitor, most mentioned first.

    Returns
    -------
    pandas.DataFrame
        ``competitor, texts, users, churned_users, example``.
    """
    columns = ["competitor", "texts", "users", "churned_users", "example"]
    if "competitors" not in docs.columns:
        return pd.DataFrame(columns=columns)
    named = docs.loc[docs["competitors"].fillna("") != "", ["competitors", "user_id", "text"]]
    if named.empty:
        return pd.DataFrame(columns=columns)
    churned = _churned_users(labels)
    pairs = named.assign(competitor=named["competitors"].str.split(";")).explode("competitor")
    rows = []
    for name, group in pairs.groupby("competitor", sort=False):
        users = set(group["user_id"].dropna().astype(str))
        rows.append(
            {
                "competitor": name,
                "texts": len(group),
                "users": len(users),
                "churned_users": None if churned is None else len(users & churned),
                "example": group["text"].iloc[0],
            }
        )
    return (
        pd.DataFrame(rows, columns=columns)
        .sort_values(["texts", "competitor"], ascending=[False, True])
        .reset_index(drop=True)
    )
