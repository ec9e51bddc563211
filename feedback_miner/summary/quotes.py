"""Representative quotes per theme: the most typical and the most negative.

*Most negative*: the mentions with the lowest aspect sentiment. *Most
typical*: of the other negative mentions (all mentions when it has none), those
whose matched clauses are closest (cosine of character 1-2-gram TF-IDF) to the
theme's average wording; so no typical quote is more negative than the most
negative ones. A theme quotes each document once, and clauses that share half
of their character pairs with one already quoted are left out, so reposts and
copy-paste do not crowd out other voices.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer

from ..joins import doc_rows

__all__ = ["NEAR_DUPLICATE", "QUOTE_COLUMNS", "TYPICAL_SAMPLE", "representative_quotes"]

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
# two quotes sharing this share of the shorter one's character pairs say the same thing
NEAR_DUPLICATE = 0.5


def _by_typicality(own: pd.DataFrame, seed: int) -> pd.DataFrame:
    """``own`` from the most to the least typical wording (a seeded sample when large)."""
    if len(own) > TYPICAL_SAMPLE:
        own = own.sample(TYPICAL_SAMPLE, random_state=seed).sort_values("doc_id")
    if len(own) <= 1:
        return own
    vectorizer = TfidfVectorizer(analyzer="char", ngram_range=(1, 2), sublinear_tf=True)
    try:
        matrix = vectorizer.fit_transform(own["evidence"].astype(str))
    except ValueError:  # no characters at all
        return own
    centroid = np.asarray(matrix.mean(axis=0)).ravel()
    closeness = matrix @ centroid / max(float(np.linalg.norm(centroid)), 1e-12)
    order = np.lexsort((own["doc_id"].astype(str).to_numpy(), -closeness))
    return own.iloc[order]


def _bigrams(text: str) -> frozenset[str]:
    words = re.sub(_NOT_WORD, "", text)
    return frozenset(words[i : i + 2] for i in range(max(len(words) - 1, 1)))


def _pick_distinct(
    candidates: pd.DataFrame, n: int, taken: list[tuple[str, frozenset[str]]]
) -> pd.DataFrame:
    """The first ``n`` candidates that are not near-duplicates of one already taken
    (same document, or half or more of their character pairs shared); ``taken`` grows."""
    chosen: list[object] = []
    for index, doc_id, evidence in zip(
        candidates.index, candidates["doc_id"], candidates["evidence"].astype(str), strict=True
    ):
        if len(chosen) == n:
            break
        pairs = _bigrams(evidence)
        if any(
            doc_id == other or len(pairs & seen) >= NEAR_DUPLICATE * min(len(pairs), len(seen))
            for other, seen in taken
        ):
            continue
        taken.append((doc_id, pairs))
        chosen.append(index)
    return candidates.loc[chosen]


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
        chosen as most negative is not repeated as typical.
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
        taken: list[tuple[str, frozenset[str]]] = []
        # the most negative first, so that no typical quote is more negative than they are
        worst = _pick_distinct(negative, per_kind, taken)
        pool = negative if len(negative) else own
        typical = _pick_distinct(
            _by_typicality(pool[~pool.index.isin(worst.index)], seed), per_kind, taken
        )
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
