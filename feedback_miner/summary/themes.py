"""Per-theme counts, churn types and competitor destinations, from docs and mentions."""

from __future__ import annotations

import pandas as pd

from ..attribution import ChurnLabels
from ..themes import Taxonomy

__all__ = [
    "CHURN_TYPES",
    "THEME_SUMMARY_COLUMNS",
    "churn_type_split",
    "competitor_table",
    "hierarchy_order",
    "theme_summary",
]

CHURN_TYPES = ("natural", "active", "passive")
THEME_SUMMARY_COLUMNS = (
    "theme_id",
    "theme_name",
    "churn_type",
    "mentions",
    "negative",
    "share",
    "mean_sentiment",
    "top_keywords",
    "parent",
    "depth",
    "own_mentions",
)
_TOP_KEYWORDS = 5


def theme_summary(
    docs: pd.DataFrame, mentions: pd.DataFrame, taxonomy: Taxonomy, *, neutral_band: float
) -> pd.DataFrame:
    """One row per theme: mentions, negative mentions, share of documents, keywords.

    A theme's figures include its sub-themes (rolled up): a document that
    mentions 扣费与续费 counts for 价格资费 too, and a document that mentions
    both counts once.

    Returns
    -------
    pandas.DataFrame
        Columns ``theme_id, theme_name, churn_type, mentions, negative, share,
        mean_sentiment, top_keywords, parent, depth, own_mentions`` in taxonomy
        order. ``mentions`` counts the documents that mention the theme or one
        of its sub-themes; ``negative`` those among them with a negative
        mention; ``share`` is ``mentions`` over all documents;
        ``mean_sentiment`` the mean over those documents of their mentions'
        mean; ``top_keywords`` the five matched keywords seen in most mentions,
        ``、``-joined; ``own_mentions`` the documents that mention the theme
        itself; ``depth`` 0 for a top-level theme, 1 for its sub-themes ...

    Examples
    --------
    >>> from feedback_miner.themes import load_taxonomy
    >>> docs = pd.DataFrame({"doc_id": ["a", "b"]})
    >>> mentions = pd.DataFrame({"doc_id": ["a", "a"], "theme_id": ["price", "billing"],
    ...     "sentiment_score": [-0.5, -0.7], "keywords": ["太贵;涨价", "乱扣费"]})
    >>> table = theme_summary(docs, mentions, load_taxonomy(), neutral_band=0.1)
    >>> row = table.set_index("theme_id").loc["price"]
    >>> print(row["mentions"], row["own_mentions"], row["negative"], row["share"], row["top_keywords"])
    1 1 1 0.5 太贵、涨价、乱扣费
    """
    n_docs = max(len(docs), 1)
    positions = mentions.groupby("theme_id", sort=False).indices
    # each theme's mentions are taken from the columns used, not from every column
    used = mentions[[c for c in ("doc_id", "sentiment_score", "keywords") if c in mentions]]
    rows = []
    for theme in taxonomy.themes:
        subtree = [theme.id, *_descendants(taxonomy, theme.id)]
        picked = [i for t in subtree for i in positions.get(t, [])]
        own = used.iloc[sorted(picked)]
        per_doc = own.groupby("doc_id", sort=False)["sentiment_score"]
        doc_means = per_doc.mean()
        doc_worst = per_doc.min()
        rows.append(
            {
                "theme_id": theme.id,
                "theme_name": theme.name,
                "churn_type": theme.churn_type,
                "mentions": len(doc_means),
                "negative": int((doc_worst <= -neutral_band).sum()),
                "share": len(doc_means) / n_docs,
                "mean_sentiment": float(doc_means.mean()) if len(doc_means) else None,
                "top_keywords": "、".join(_top_keywords(own)),
                "parent": theme.parent,
                "depth": len(taxonomy.ancestors(theme.id)),
                "own_mentions": len(positions.get(theme.id, [])),
            }
        )
    return pd.DataFrame(rows, columns=list(THEME_SUMMARY_COLUMNS))


def _descendants(taxonomy: Taxonomy, theme_id: str) -> list[str]:
    found: list[str] = []
    for child in taxonomy.children(theme_id):
        found += [child, *_descendants(taxonomy, child)]
    return found


def hierarchy_order(taxonomy: Taxonomy, ranked: list[str]) -> list[str]:
    """``ranked`` (theme ids, most important first) with each theme's sub-themes beneath it.

    A top-level theme stands where its best-ranked theme stands, itself or a
    sub-theme; sub-themes keep their order among themselves.

    Examples
    --------
    >>> from feedback_miner.themes import load_taxonomy
    >>> hierarchy_order(load_taxonomy(), ["bugs", "billing", "service", "price"])[:4]
    ['bugs', 'price', 'billing', 'service']
    """
    rank = {theme_id: i for i, theme_id in enumerate(ranked)}
    last = len(ranked)

    def best(theme_id: str) -> int:
        return min(rank.get(t, last) for t in [theme_id, *_descendants(taxonomy, theme_id)])

    def visit(theme_id: str) -> list[str]:
        ordered = [theme_id] if theme_id in rank else []
        for child in sorted(taxonomy.children(theme_id), key=lambda c: (best(c), c)):
            ordered += visit(child)
        return ordered

    tops = [t.id for t in taxonomy.themes if not t.parent]
    result: list[str] = []
    for top in sorted(tops, key=lambda t: (best(t), tops.index(t))):
        result += visit(top)
    # a sub-theme ranked while its parent is not still appears, under its nearest shown ancestor
    return result + [t for t in ranked if t not in result]


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
