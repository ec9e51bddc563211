"""Discovering emerging themes the taxonomy misses.

Short Chinese feedback gives a topic model little to work with: a few words
per text, usually about one thing. We use non-negative matrix factorisation
(scikit-learn) of TF-IDF weighted word counts, with words from our own
tokenizer (stopwords, numbers and single characters removed), and give each
text the topic that dominates it. NMF is deterministic for a given seed, fast,
and on short texts separates topics better than LDA's bag-of-words mixture.
With ``k="auto"`` the number of topics is chosen by topic coherence (NPMI,
gensim's CoherenceModel) over a range of candidates.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.decomposition import NMF
from sklearn.feature_extraction.text import TfidfVectorizer

from ..errors import FeedbackMinerError
from ..text import ChineseTokenizer

__all__ = [
    "ASSIGNMENT_COLUMNS",
    "DiscoveredTopic",
    "Discovery",
    "discover_topics",
    "to_toml",
    "topic_assignments",
]

logger = logging.getLogger(__name__)

_WORD = re.compile(r"^(?:[\u4e00-\u9fff]{2,}|[a-z][a-z0-9]{2,})$")
_TOP_TERMS = 12
_MIN_DOCS = 20
_AUTO_RANGE = range(3, 13)
ASSIGNMENT_COLUMNS = ("file", "row", "doc_id", "topic")


@dataclass(frozen=True)
class DiscoveredTopic:
    """One proposed theme.

    Attributes
    ----------
    index : int
        Topic number (the ``topic`` of ``--assignments``).
    keywords : tuple of str
        Its top words, most characteristic first.
    size : int
        Texts assigned to it.
    coherence : float
        NPMI coherence of its top words (-1 to 1; higher is better).
    quotes : tuple of str
        The three texts that express it most strongly.
    """

    index: int
    keywords: tuple[str, ...]
    size: int
    coherence: float
    quotes: tuple[str, ...]


@dataclass(frozen=True)
class Discovery:
    """Topics and the topic of each text (-1 for texts with none of the kept words)."""

    topics: tuple[DiscoveredTopic, ...]
    assignments: np.ndarray
    k: int
    coherence_by_k: dict[int, float]


def _tokens(texts: Sequence[str], tokenizer: ChineseTokenizer) -> list[list[str]]:
    return [[t for t in tokenizer.content_tokens(text) if _WORD.match(t)] for text in texts]


def _coherence(topics: list[list[str]], tokenized: list[list[str]]) -> list[float]:
    from gensim.corpora import Dictionary
    from gensim.models.coherencemodel import CoherenceModel

    dictionary = Dictionary(tokenized)
    model = CoherenceModel(
        topics=topics, texts=tokenized, dictionary=dictionary, coherence="c_npmi", processes=1
    )
    return [float(c) for c in model.get_coherence_per_topic()]


def _fit(matrix: object, k: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    model = NMF(n_components=k, init="nndsvda", random_state=seed, max_iter=400)
    weights = model.fit_transform(matrix)
    return weights, model.components_


def discover_topics(
    texts: Sequence[str],
    *,
    k: int | str = "auto",
    seed: int = 0,
    tokenizer: ChineseTokenizer | None = None,
) -> Discovery:
    """Find topics in ``texts``.

    Parameters
    ----------
    texts : sequence of str
        The texts (already cleaned).
    k : int or "auto"
        Number of topics, or ``"auto"`` to choose 3-12 by mean NPMI coherence.
    seed : int
        Seed of the factorisation; same texts and seed give the same topics.
    tokenizer : ChineseTokenizer, optional
        Tokenizer to use; a default one is made when not given.

    Raises
    ------
    FeedbackMinerError
        With fewer than 20 texts, or fewer distinct words than topics.
    """
    if len(texts) < _MIN_DOCS:
        raise FeedbackMinerError(
            f"discovery needs at least {_MIN_DOCS} texts; there are {len(texts)}. "
            "Add more feedback, or use --all to include texts the taxonomy already covers."
        )
    tokenizer = tokenizer or ChineseTokenizer()
    tokenized = _tokens(texts, tokenizer)
    vectorizer = TfidfVectorizer(
        analyzer=lambda doc: doc, min_df=2, max_df=0.5, sublinear_tf=True, norm="l2"
    )
    try:
        matrix = vectorizer.fit_transform(tokenized)
    except ValueError:
        raise FeedbackMinerError(
            "the texts share too few words to find topics (every word occurs in one text only)."
        ) from None
    vocabulary = np.array(vectorizer.get_feature_names_out())
    candidates = list(_AUTO_RANGE) if k == "auto" else [int(k)]
    if candidates[0] < 2 or candidates[0] >= len(vocabulary):
        raise FeedbackMinerError(
            f"-k is {k}; use a number from 2 to {len(vocabulary) - 1}, or auto."
        )
    candidates = [c for c in candidates if c < min(len(vocabulary), len(texts))]
    best: tuple[float, int, np.ndarray, np.ndarray, list[float]] | None = None
    scores: dict[int, float] = {}
    for n_topics in candidates:
        weights, components = _fit(matrix, n_topics, seed)
        top = [list(vocabulary[np.argsort(-row)[:_TOP_TERMS]]) for row in components]
        per_topic = _coherence(top, tokenized)
        scores[n_topics] = float(np.mean(per_topic))
        logger.info("k=%d: mean NPMI coherence %.3f", n_topics, scores[n_topics])
        if best is None or scores[n_topics] > best[0]:
            best = (scores[n_topics], n_topics, weights, components, per_topic)
    if best is None:
        raise FeedbackMinerError(
            f"-k is {k}; there are too few texts or words for that many topics."
        )
    _, chosen, weights, components, per_topic = best
    assignments = np.where(weights.max(axis=1) > 0, weights.argmax(axis=1), -1)
    topics = []
    for index, row in enumerate(components):
        members = np.where(assignments == index)[0]
        ranked = members[np.argsort(-weights[members, index], kind="stable")]
        # three different texts: copies of one post would say the same thing three times
        strongest = list(dict.fromkeys(texts[i] for i in ranked))[:3]
        topics.append(
            DiscoveredTopic(
                index=index,
                keywords=tuple(vocabulary[np.argsort(-row, kind="stable")[:_TOP_TERMS]]),
                size=len(members),
                coherence=per_topic[index],
                quotes=tuple(strongest),
            )
        )
    return Discovery(tuple(topics), assignments, chosen, scores)


def to_toml(discovery: Discovery, *, id_prefix: str = "emerging") -> str:
    """The topics as ``[[themes]]`` blocks ready to paste into a taxonomy file."""
    lines = [
        "# Emerging themes proposed by feedback-miner themes discover.",
        f"# k = {discovery.k} topics; mean NPMI coherence by k: "
        + ", ".join(f"{k}: {c:.3f}" for k, c in discovery.coherence_by_k.items()),
        "# Review each block: rename it, keep the keywords that fit, delete what does not,",
        "# then paste it into your taxonomy file. Ids must stay stable once in use.",
        "",
    ]
    for topic in sorted(discovery.topics, key=lambda t: (-t.size, t.index)):
        if not topic.size:
            continue
        lines += [
            f"# topic {topic.index}: {topic.size} texts, coherence {topic.coherence:.3f}",
            *[f"#   「{_one_line(q)}」" for q in topic.quotes],
            "[[themes]]",
            f'id = "{id_prefix}_{topic.index + 1}"',
            f'name = "{"·".join(topic.keywords[:3])}"',
            'churn_type = "active"',
            "keywords = [" + ", ".join(f'"{w}"' for w in topic.keywords) + "]",
            "",
        ]
    return "\n".join(lines)


def _one_line(text: str, limit: int = 80) -> str:
    flat = " ".join(text.split()).replace("」", "").replace("「", "")
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def topic_assignments(
    records: pd.DataFrame,
    rejects: pd.DataFrame,
    files: Sequence[str],
    topics: Sequence[int],
) -> pd.DataFrame:
    """The topic of every input row, in input order (``--assignments``).

    Parameters
    ----------
    records : pandas.DataFrame
        Ingested records with ``doc_id`` and ``row`` (the row in its file).
    rejects : pandas.DataFrame
        Rejected rows with ``file``, ``row`` and ``doc_id``; their topic is -1.
    files : sequence of str
        The input files in the order they were given; a record's file is the
        first whose stem begins its ``doc_id``.
    topics : sequence of int
        The topic of each record (-1 for none).

    Returns
    -------
    pandas.DataFrame
        :data:`ASSIGNMENT_COLUMNS`, one row per input row, ordered by file
        (as given) and row.
    """
    by_stem: dict[str, str] = {}
    for file in files:
        by_stem.setdefault(Path(file).stem, file)
    kept = pd.DataFrame(
        {
            "file": [by_stem.get(str(d).split(":", 1)[0], "") for d in records["doc_id"]],
            "row": records["row"],
            "doc_id": records["doc_id"],
            "topic": list(topics),
        }
    )
    rejected = pd.DataFrame(
        {
            "file": rejects["file"],
            "row": rejects["row"],
            "doc_id": rejects["doc_id"],
            "topic": -1,
        }
    )
    table = pd.concat([kept, rejected], ignore_index=True)
    order = {file: i for i, file in enumerate(files)}
    table = table.sort_values(
        ["file", "row"], key=lambda s: s.map(order) if s.name == "file" else s, kind="mergesort"
    )
    return table.reset_index(drop=True)
