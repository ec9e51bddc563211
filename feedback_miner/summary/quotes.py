"""Representative quotes per theme: the most typical and the most negative.

*Most negative*: the mentions with the lowest aspect sentiment. *Most
typical*: the mentions whose matched clauses are closest (cosine of character
1-2-gram TF-IDF) to the theme's average wording, over its negative mentions
(all mentions when it has none). Clauses with the same words count once, so reposts and
copy-paste do not crowd out other voices.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer

from ..joins import doc_rows

__all__ = ["QUOTE_COLUMNS", "TYPICAL_SAMPLE", "representative_quotes"]

QUOTE_COLUMNS = (
    "theme_id",
    "kind",
    "sentiment_score",
    "evidence",
    "text",
    "source",
    "created_at",
    "doc_id",
    "user_id",
)
_NOT_WORD = r"[\W_]+"
# a theme with more negative mentions than this is summarised from a seeded sample
TYPICAL_SAMPLE = 3000


def _typical(own: pd.DataFrame, n: int, seed: int) -> pd.DataFrame:
    if len(own) > TYPICAL_SAMPLE:
        own = own.sample(TYPICAL_SAMPLE, random_state=seed).sort_values("doc_id")
    if len(own) <= n:
        return own
    vectorizer = TfidfVectorizer(analyzer="char", ngram_range=(1, 2), sublinear_tf=True)
    try:
        matrix = vectorizer.fit_transform(own["evidence"].astype(str))
    except ValueError:  # no characters at all
        return own.head(n)
    centroid = np.asarray(matrix.mean(axis=0)).ravel()
    closeness = matrix @ centroid / max(float(np.linalg.norm(centroid)), 1e-12)
    order = np.lexsort((own["doc_id"].astype(str).to_numpy(), -closeness))
    return own.iloc[order[:n]]


def representative_quotes(
    docs: pd.DataFrame,
    mentions: pd.DataFrame,
    theme_order: Sequence[str],
    *,
    per_kind: int = 3,
    neutral_band: float = 0.1,
    seed: int = 0,
) -> pd.DataFrame:
    """Up to ``per_kind`` typical and ``per_kind`` most negative quotes per theme.

    Parameters
    ----------
    docs, mentions : pandas.DataFrame
        The analysis tables.
    theme_order : sequence of str
        Themes in the order the quotes should follow (e.g. by impact).
    per_kind : int
        Quotes of each kind per theme.
    neutral_band : float
        Mentions at or below ``-neutral_band`` are negative.
    seed : int
        Seed of the sample used for themes with many mentions.

    Returns
    -------
    pandas.DataFrame
        :data:`QUOTE_COLUMNS`; ``kind`` is ``typical`` or ``negative``. A quote
        chosen as typical is not repeated as most negative.
    """
    if mentions.empty:
        return pd.DataFrame(columns=list(QUOTE_COLUMNS))
    # one theme's mentions at a time: a copy of all of them would double their memory
    positions = mentions.groupby("theme_id", sort=False).indices
    parts = []
    for theme_id in theme_order:
        if theme_id not in positions:
            continue
        own = mentions.iloc[positions[theme_id]]
        own = own.sort_values(["sentiment_score", "doc_id"], kind="mergesort")
        # the same words with other punctuation or spacing are the same quote
        own = own[~own["evidence"].astype(str).str.replace(_NOT_WORD, "", regex=True).duplicated()]
        negative = own[own["sentiment_score"] <= -neutral_band]
        typical = _typical(negative if len(negative) else own, per_kind, seed)
        rest = own[~own.index.isin(typical.index)]
        worst = rest[rest["sentiment_score"] <= -neutral_band].head(per_kind)
        for kind, chosen in (("typical", typical), ("negative", worst)):
            if len(chosen):
                parts.append(chosen.assign(kind=kind))
    if not parts:
        return pd.DataFrame(columns=list(QUOTE_COLUMNS))
    quotes = pd.concat(parts, ignore_index=True)
    # the quoted documents' details, looked up by row (a row of -1 is not in docs: empty)
    rows = doc_rows(docs["doc_id"], quotes["doc_id"])
    details = docs[["text", "source", "created_at"]].reset_index(drop=True).reindex(rows)
    quotes = quotes.join(details.set_axis(quotes.index))
    return quotes[list(QUOTE_COLUMNS)]
