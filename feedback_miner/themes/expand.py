"""Keyword suggestions for a taxonomy from word vectors trained on the user's corpus.

For each theme, the corpus words nearest (cosine similarity of gensim Word2Vec
vectors) to the theme's keywords are proposed, with their similarity and
frequency, for the user to accept or reject. Words already used as keywords by
any theme are not proposed.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

import pandas as pd

from ..errors import FeedbackMinerError
from ..text import ChineseTokenizer
from ..text.vectors import train_word_vectors
from .taxonomy import Taxonomy

__all__ = ["SUGGESTION_COLUMNS", "suggest_keywords"]

# a candidate is two or more Chinese characters or a Latin word of three or more letters
_WORD = re.compile(r"^(?:[\u4e00-\u9fff]{2,}|[a-z][a-z0-9]{2,})$")

SUGGESTION_COLUMNS = (
    "theme_id",
    "theme_name",
    "candidate",
    "similarity",
    "frequency",
    "nearest_keyword",
)


def suggest_keywords(
    texts: Sequence[str],
    taxonomy: Taxonomy,
    *,
    tokenizer: ChineseTokenizer,
    per_theme: int = 10,
    min_similarity: float = 0.5,
    min_count: int = 3,
    seed: int = 0,
) -> pd.DataFrame:
    """Candidate keywords per theme, most similar first (columns :data:`SUGGESTION_COLUMNS`).

    Raises
    ------
    FeedbackMinerError
        When no keyword of the taxonomy occurs often enough in the texts.
    """
    tokenized = [[t for t in tokenizer.content_tokens(x) if _WORD.match(t)] for x in texts]
    counts = Counter(token for doc in tokenized for token in doc)
    model = train_word_vectors(tokenized, min_count=min_count, epochs=20, seed=seed)
    used = {k.lower() for theme in taxonomy.themes for k in theme.keywords}
    rows = []
    for theme in taxonomy.themes:
        seeds = [k.lower() for k in theme.keywords if k.lower() in model.wv.key_to_index]
        if not seeds:
            continue
        best: dict[str, tuple[float, str]] = {}
        for keyword in seeds:
            for word, similarity in model.wv.most_similar(keyword, topn=per_theme * 3):
                if word in used or similarity < min_similarity:
                    continue
                if word not in best or similarity > best[word][0]:
                    best[word] = (similarity, keyword)
        ranked = sorted(best.items(), key=lambda kv: (-kv[1][0], kv[0]))[:per_theme]
        rows += [
            (theme.id, theme.name, word, round(float(sim), 4), counts[word], keyword)
            for word, (sim, keyword) in ranked
        ]
    if not any(k.lower() in model.wv.key_to_index for t in taxonomy.themes for k in t.keywords):
        raise FeedbackMinerError(
            f"none of the taxonomy's keywords occurs {min_count} times or more in the texts; "
            "suggestions need the themes to be present in the corpus."
        )
    return pd.DataFrame(rows, columns=list(SUGGESTION_COLUMNS))
