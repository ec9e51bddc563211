"""The per-chunk text stages: sentiment, theme matching, churn type and competitors.

:func:`analyze_chunk` is a pure function of one chunk of canonical records
and the :class:`Stages` built from an :class:`AnalyzerSpec`, so that the same
code gives the same tables in one process, in ``--jobs N`` processes and on a
Dask cluster. Building the stages loads the dictionaries (about a second);
an engine builds them once per worker and reuses them for every chunk.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
import pandas as pd

from .schema import MENTION_COLUMNS, MENTION_EXTRA_COLUMNS
from .sentiment import Adaptation, SentimentScorer, label_score
from .text import ChineseTokenizer, split_clauses
from .themes import (
    Taxonomy,
    ThemeMatcher,
    document_churn_type,
    find_competitors,
    taxonomy_vocabulary,
)

__all__ = [
    "ANALYSIS_COLUMNS",
    "AnalysedChunk",
    "AnalyzerSpec",
    "Stages",
    "analyze_chunk",
    "build_stages",
    "empty_tables",
]

# what analyze_chunk adds after the records' own columns
ANALYSIS_COLUMNS = ("churn_type", "competitors")


@dataclass(frozen=True)
class AnalyzerSpec:
    """Everything the per-chunk stages need; hashable and picklable.

    Attributes
    ----------
    taxonomy : Taxonomy
        The churn-reason themes.
    neutral_band : float
        Sentiment scores within this distance of 0 are neutral.
    adaptation : Adaptation, optional
        A sentiment adaptation fitted once on the analysis's records (see
        :func:`~feedback_miner.sentiment.adapt_to_corpus`): every worker scores
        documents with this same model.
    """

    taxonomy: Taxonomy
    neutral_band: float = 0.1
    adaptation: Adaptation | None = field(default=None, compare=False)


class AnalysedChunk(NamedTuple):
    """The tables of one analysed chunk (or of a whole analysis, once collected)."""

    docs: pd.DataFrame
    mentions: pd.DataFrame


@dataclass(frozen=True)
class Stages:
    """The built text stages of one :class:`AnalyzerSpec`.

    Attributes
    ----------
    spec : AnalyzerSpec
        What they were built from.
    scorer : SentimentScorer
        The fitted sentiment scorer.
    matcher : ThemeMatcher
        The fitted theme matcher, with a tokenizer that knows the taxonomy's
        keywords and the sentiment lexicon's words.
    """

    spec: AnalyzerSpec
    scorer: SentimentScorer
    matcher: ThemeMatcher


def build_stages(spec: AnalyzerSpec) -> Stages:
    """Build the scorer and matcher of ``spec`` (loads the dictionaries: about a second).

    Each call builds new objects: callers that analyse many chunks build once
    and pass the result to :func:`analyze_chunk`.

    Examples
    --------
    >>> from feedback_miner.themes import load_taxonomy
    >>> stages = build_stages(AnalyzerSpec(taxonomy=load_taxonomy()))
    >>> docs, mentions = analyze_chunk(
    ...     pd.DataFrame({"doc_id": ["a:1"], "user_id": ["u1"], "text": ["自动续费乱扣钱"]}), stages
    ... )
    >>> docs.loc[0, "sentiment_label"], mentions["theme_id"].tolist()
    ('negative', ['billing'])
    """
    scorer = SentimentScorer(neutral_band=spec.neutral_band, adaptation=spec.adaptation).fit()
    vocabulary = taxonomy_vocabulary(spec.taxonomy)
    tokenizer = ChineseTokenizer(
        extra_words=vocabulary, split_words=[*vocabulary, *scorer.lexicon_.split_vocabulary()]
    )
    matcher = ThemeMatcher(taxonomy=spec.taxonomy, tokenizer=tokenizer).fit()
    return Stages(spec=spec, scorer=scorer, matcher=matcher)


def analyze_chunk(records: pd.DataFrame, stages: Stages) -> AnalysedChunk:
    """Score and match one chunk of canonical records.

    Besides sentiment and themes, each document gets its ``churn_type`` (see
    :func:`~feedback_miner.themes.document_churn_type`) and the
    ``competitors`` it names (``;``-joined).

    Parameters
    ----------
    records : pandas.DataFrame
        Canonical records (at least ``doc_id``, ``user_id``, ``text``).
    stages : Stages
        The built stages (:func:`build_stages`).

    Returns
    -------
    AnalysedChunk
        ``docs`` is ``records`` with ``sentiment_score``, ``sentiment_label``,
        ``themes`` and :data:`ANALYSIS_COLUMNS` added; ``mentions`` has
        :data:`~feedback_miner.result.MENTION_COLUMNS` and ``keywords`` (the
        matched keywords, ``;``-joined).
    """
    spec, scorer, matcher = stages.spec, stages.scorer, stages.matcher
    scores: list[float | None] = []
    themes: list[str] = []
    churn_types: list[str] = []
    competitors: list[str] = []
    mention_rows: list[tuple[object, ...]] = []
    texts = [t if isinstance(t, str) else "" for t in records["text"]]
    for doc_id, user_id, text in zip(records["doc_id"], records["user_id"], texts, strict=True):
        # records are already normalised and simplified by ingest: split and score
        scored = scorer.score_clauses(split_clauses(text))
        scores.append(scored.score)
        found = matcher.mentions(scored)
        themes.append(";".join(m.theme_id for m in found))
        churn_types.append(
            document_churn_type(found, spec.taxonomy, neutral_band=spec.neutral_band)
        )
        competitors.append(";".join(find_competitors(text, spec.taxonomy.competitors)))
        mention_rows.extend(
            (doc_id, user_id, m.theme_id, m.sentiment_score, m.evidence, ";".join(m.keywords))
            for m in found
        )
    if scorer.adaptation_ is not None and scores:
        # one document's blended score depends on its own text only, never on the chunk
        rule = np.array([np.nan if s is None else s for s in scores], dtype=float)
        blended = scorer.blend_scores(texts, rule)
        scores = [None if np.isnan(s) else float(s) for s in blended]
    labels: list[str | None] = [
        None if s is None else label_score(s, neutral_band=spec.neutral_band) for s in scores
    ]
    return _tables(records, scores, labels, themes, churn_types, competitors, mention_rows)


def empty_tables(records: pd.DataFrame) -> AnalysedChunk:
    """The docs and mentions of no records, with the columns :func:`analyze_chunk` gives.

    Parameters
    ----------
    records : pandas.DataFrame
        A table of records whose columns the empty docs table keeps (its rows
        are not used).
    """
    return _tables(records.iloc[:0], [], [], [], [], [], [])


def _tables(
    records: pd.DataFrame,
    scores: list[float | None],
    labels: list[str | None],
    themes: list[str],
    churn_types: list[str],
    competitors: list[str],
    mention_rows: list[tuple[object, ...]],
) -> AnalysedChunk:
    docs = records.copy()
    docs["sentiment_score"] = pd.array(scores, dtype="Float64").astype(float)
    docs["sentiment_label"] = pd.Series(labels, index=docs.index, dtype=object)
    docs["themes"] = pd.Series(themes, index=docs.index, dtype=object)
    docs["churn_type"] = pd.Series(churn_types, index=docs.index, dtype=object)
    docs["competitors"] = pd.Series(competitors, index=docs.index, dtype=object)
    mentions = pd.DataFrame(mention_rows, columns=[*MENTION_COLUMNS, *MENTION_EXTRA_COLUMNS])
    mentions["sentiment_score"] = mentions["sentiment_score"].astype(float)
    return AnalysedChunk(docs, mentions)
