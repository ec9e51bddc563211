"""The per-chunk text stages: entities, sentiment, theme matching, churn type and competitors.

:func:`analyze_chunk` is a pure function of one chunk of canonical records
and the :class:`Stages` built from an :class:`AnalyzerSpec`, so that the same
code gives the same tables in one process, in ``--jobs N`` processes and on a
Dask cluster. Building the stages loads the dictionaries (about a second);
an engine builds them once per worker and reuses them for every chunk. What
needs the whole corpus (boilerplate, account names, recurring competitors,
learned theme models) is fitted before, once, into the spec's
:class:`~feedback_miner.themes.corpus.CorpusModel`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
import pandas as pd

from .schema import MENTION_COLUMNS, MENTION_EXTRA_COLUMNS
from .sentiment import Adaptation, SentimentScorer, label_score
from .sentiment.scorer import ScoredDocument
from .text import split_clauses
from .text.entities import EntityFinder, EntityView
from .themes import (
    Taxonomy,
    ThemeMatcher,
    document_churn_type,
    find_competitors,
)
from .themes.corpus import CorpusModel, entity_finder
from .themes.matcher import ClauseHits, build_matcher

__all__ = [
    "ANALYSIS_COLUMNS",
    "AnalysedChunk",
    "AnalyzerSpec",
    "Dictionaries",
    "Stages",
    "analyze_chunk",
    "build_stages",
    "empty_tables",
    "load_dictionaries",
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
    corpus : CorpusModel
        What was learned from the whole corpus before the chunks (empty: nothing).
    """

    taxonomy: Taxonomy
    neutral_band: float = 0.1
    adaptation: Adaptation | None = field(default=None, compare=False)
    corpus: CorpusModel = field(default_factory=CorpusModel)


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
    entities : EntityFinder
        Finds what is no evidence (handles, links, names, boilerplate).
    competitor_names : tuple of str
        Names that count as competitors: the taxonomy's and the corpus's.
    """

    spec: AnalyzerSpec
    scorer: SentimentScorer
    matcher: ThemeMatcher
    entities: EntityFinder
    competitor_names: tuple[str, ...]


@dataclass(frozen=True)
class Dictionaries:
    """What the stages load whatever their spec: the sentiment rules' lexicon and segmenter.

    A worker process loads them while the main process is still reading the
    inputs and fitting what the spec holds: building the segmenter is most of
    the time it takes to build the stages. (jieba's dictionary is loaded when
    the spec comes, with the taxonomy's words: loading it before would make a
    second copy of it.)

    Attributes
    ----------
    rules : SentimentScorer
        The rule scorer, fitted without data (its lexicon and segmenter).
    """

    rules: SentimentScorer


def load_dictionaries() -> Dictionaries:
    """Load the :class:`Dictionaries` (a second or two)."""
    return Dictionaries(rules=SentimentScorer().fit())


def build_stages(spec: AnalyzerSpec, dictionaries: Dictionaries | None = None) -> Stages:
    """Build the scorer and matcher of ``spec`` (about two seconds, most of it the
    sentiment segmenter, which ``dictionaries`` loaded earlier bring built).

    Each call builds new objects (sharing the read-only lexicon and segmenter
    of ``dictionaries``): callers that analyse many chunks build once and pass
    the result to :func:`analyze_chunk`. With or without ``dictionaries``, the
    stages are the same.

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
    if dictionaries is None:
        dictionaries = load_dictionaries()
    scorer = dictionaries.rules.with_adaptation(spec.adaptation, neutral_band=spec.neutral_band)
    matcher = build_matcher(spec.taxonomy, split_words=scorer.lexicon_.split_vocabulary())
    return Stages(
        spec=spec,
        scorer=scorer,
        matcher=matcher,
        entities=entity_finder(spec.taxonomy.competitors, spec.corpus),
        competitor_names=tuple(
            dict.fromkeys([*spec.taxonomy.competitors, *spec.corpus.competitors])
        ),
    )


def analyze_chunk(records: pd.DataFrame, stages: Stages) -> AnalysedChunk:
    """Score and match one chunk of canonical records.

    Handles, links, names and boilerplate are masked first (see
    :mod:`feedback_miner.text.entities`); sentiment and themes read the rest.
    Besides sentiment and themes, each document gets its ``churn_type`` (see
    :func:`~feedback_miner.themes.document_churn_type`), the ``competitors`` it
    names (``;``-joined) and, when the records lack one, the ``addressee``.

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
        :data:`~feedback_miner.result.MENTION_COLUMNS`, ``keywords`` (the
        matched keywords, ``;``-joined) and ``method`` (``keyword`` or
        ``learned``).
    """
    spec, scorer, matcher = stages.spec, stages.scorer, stages.matcher
    analysed: list[tuple[EntityView, ScoredDocument, ClauseHits, list[frozenset[int]]]] = []
    for text in records["text"]:
        view = stages.entities.view(text if isinstance(text, str) else "")
        # records are already normalised and simplified by ingest: split and score
        scored = scorer.score_clauses(split_clauses(view.masked))
        hits, present = matcher.analyse_clauses(scored.clauses)
        analysed.append((view, scored, hits, present))
    learned = _learned_hits(stages, analysed)
    scores: list[float | None] = []
    themes: list[str] = []
    churn_types: list[str] = []
    competitors: list[str] = []
    mention_rows: list[tuple[object, ...]] = []
    texts = [t if isinstance(t, str) else "" for t in records["text"]]
    for (view, scored, hits, _), extra, doc_id, user_id in zip(
        analysed, learned, records["doc_id"], records["user_id"], strict=True
    ):
        scores.append(scored.score)
        found = matcher.mentions(scored, view=view, hits=hits, learned=extra)
        themes.append(";".join(m.theme_id for m in found))
        churn_types.append(
            document_churn_type(found, spec.taxonomy, neutral_band=spec.neutral_band)
        )
        own_words = view.evidence(0, len(view.text))
        competitors.append(";".join(find_competitors(own_words, stages.competitor_names)))
        mention_rows.extend(
            (
                doc_id,
                user_id,
                m.theme_id,
                m.sentiment_score,
                m.evidence,
                ";".join(m.keywords),
                m.method,
            )
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
    tables = _tables(records, scores, labels, themes, churn_types, competitors, mention_rows)
    if "addressee" not in tables.docs.columns:
        tables.docs.insert(
            len(tables.docs.columns) - len(ANALYSIS_COLUMNS),
            "addressee",
            [stages.entities.addressee(v.text) for v, _, _, _ in analysed],
        )
    return tables


def _learned_hits(
    stages: Stages,
    analysed: list[tuple[EntityView, ScoredDocument, ClauseHits, list[frozenset[int]]]],
) -> list[ClauseHits]:
    """The clauses each document's learned theme models recognise, for the whole chunk at once."""
    models = stages.spec.corpus.learned
    if models is None:
        return [{} for _ in analysed]
    clauses = [clause for _, scored, _, _ in analysed for clause in scored.clauses]
    present = [p for _, _, _, blocked in analysed for p in blocked]
    asked = [
        i
        for i, (clause, blocked) in enumerate(zip(clauses, present, strict=True))
        if not blocked and stages.matcher.names_something(clause)
    ]
    recognised = models.recognise(clauses, asked)
    result: list[ClauseHits] = []
    position = 0
    for _, scored, hits, _ in analysed:
        found: ClauseHits = {}
        for clause_index in range(len(scored.clauses)):
            themes = recognised[position + clause_index]
            if themes:
                found[clause_index] = {t: [] for t in themes if t not in hits.get(clause_index, {})}
        result.append({c: t for c, t in found.items() if t})
        position += len(scored.clauses)
    return result


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
