"""What an analysis learns from the whole corpus before the per-chunk stages run.

The per-chunk stages are pure functions of one chunk, so that ``--jobs`` and
the Dask engine give the tables one process gives. Some knowledge needs many
documents: boilerplate repeated across them, account names, competitor names
that recur as objects of switching verbs, and the learned theme models. It is
fitted here once, on the corpus or a seeded sample of it, and travels to every
worker inside the :class:`~feedback_miner.stages.AnalyzerSpec`.
"""

from __future__ import annotations

import heapq
import logging
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from ..sentiment import SentimentScorer
from ..text import split_clauses
from ..text.boilerplate import find_boilerplate, known_handles
from ..text.entities import EntityFinder
from .competitors import recurring_competitors
from .learned import MIN_DOCUMENTS, LearnedThemes, TrainingClause, fit_learned_themes
from .matcher import ThemeMatcher

__all__ = [
    "LEARNED_CHOICES",
    "CorpusModel",
    "LearnedChoice",
    "entity_finder",
    "fit_corpus",
    "sample_texts",
]

logger = logging.getLogger(__name__)

LearnedChoice = Literal["auto", "on", "off"]
LEARNED_CHOICES: tuple[LearnedChoice, ...] = ("auto", "on", "off")


@dataclass(frozen=True, eq=False)
class CorpusModel:
    """Corpus-level knowledge for the per-chunk stages (small, picklable).

    Attributes
    ----------
    documents : int
        Documents it was fitted on.
    handles : tuple of str
        Account names seen ending at a space or punctuation.
    boilerplate : tuple of str
        Clauses repeated across many documents.
    competitors : tuple of str
        Names outside the taxonomy's list that recur as switching objects.
    learned : LearnedThemes or None
        The learned theme models, when fitted and any passed their checks.
    """

    documents: int = 0
    handles: tuple[str, ...] = ()
    boilerplate: tuple[str, ...] = ()
    competitors: tuple[str, ...] = ()
    learned: LearnedThemes | None = None


def sample_texts(chunks: Iterable[pd.DataFrame], size: int, *, seed: int = 0) -> list[str]:
    """A seeded sample of up to ``size`` texts of the record chunks, in input order.

    A record is kept when its ``doc_id``'s seeded hash is among the ``size``
    smallest: the sample does not depend on how the records were cut into
    chunks, and the same inputs and seed give the same sample.
    """
    heap: list[tuple[int, int, str]] = []  # (-hash, position, text): the largest hash on top
    position = 0
    for chunk in chunks:
        for doc_id, text in zip(chunk["doc_id"], chunk["text"], strict=True):
            key = zlib.crc32(f"{seed}:{doc_id}".encode())
            item = (-key, position, text if isinstance(text, str) else "")
            if len(heap) < size:
                heapq.heappush(heap, item)
            elif -key > heap[0][0]:
                heapq.heapreplace(heap, item)
            position += 1
    return [text for _, _, text in sorted(heap, key=lambda item: item[1])]


def entity_finder(competitors: Sequence[str], corpus: CorpusModel) -> EntityFinder:
    """The entity finder of an analysis: the taxonomy's competitor names and the corpus's
    handles and boilerplate."""
    return EntityFinder(
        names=[*competitors, *corpus.competitors],
        handles=corpus.handles,
        boilerplate=corpus.boilerplate,
    )


def fit_corpus(
    texts: Sequence[str],
    matcher: ThemeMatcher,
    *,
    learned: LearnedChoice = "auto",
    seed: int = 0,
    learn_sample: int = 5000,
    scorer: SentimentScorer | None = None,
) -> CorpusModel:
    """Fit the corpus knowledge of :class:`CorpusModel` on ``texts``.

    Parameters
    ----------
    texts : sequence of str
        The corpus's cleaned texts (or a seeded sample of them).
    matcher : ThemeMatcher
        A fitted matcher of the analysis's taxonomy.
    learned : {"auto", "on", "off"}
        Fit the learned theme models: ``auto`` when there are at least
        :data:`~feedback_miner.themes.learned.MIN_DOCUMENTS` texts, ``on``
        whenever any theme has enough examples, ``off`` never.
    seed : int
        Seed of the models' held-back split and samples.
    learn_sample : int
        The learned models read at most this many of the texts (evenly spaced).
    scorer : SentimentScorer, optional
        A fitted sentiment scorer: a clause with a judgement is no boilerplate.
    """
    taxonomy = matcher.taxonomy_
    handles = known_handles(texts)
    judged = None
    if scorer is not None:
        sentiment = scorer

        def judged(clause: str) -> bool:
            return bool(sentiment.score_clauses([clause]).score)

    boilerplate = find_boilerplate(texts, judged=judged)
    frequency = matcher.tokenizer_.frequency
    competitors = recurring_competitors(texts, taxonomy.competitors, frequency=frequency)
    corpus = CorpusModel(
        documents=len(texts), handles=handles, boilerplate=boilerplate, competitors=competitors
    )
    if learned == "off" or (learned == "auto" and len(texts) < MIN_DOCUMENTS):
        return corpus
    finder = entity_finder(taxonomy.competitors, corpus)
    step = max(1, len(texts) // learn_sample)  # evenly across the inputs
    clauses = training_clauses(texts[::step][:learn_sample], matcher, finder)
    models = fit_learned_themes(clauses, len(taxonomy.themes), seed=seed)
    logger.info(
        "corpus: %d texts, %d handles, %d boilerplate clauses, %d recurring competitors, "
        "%d learned themes",
        len(texts),
        len(handles),
        len(boilerplate),
        len(competitors),
        len(models.theme_indices) if models else 0,
    )
    return CorpusModel(
        documents=len(texts),
        handles=handles,
        boilerplate=boilerplate,
        competitors=competitors,
        learned=models,
    )


def training_clauses(
    texts: Sequence[str], matcher: ThemeMatcher, finder: EntityFinder
) -> list[TrainingClause]:
    """Every clause of ``texts`` with its keyword matches (see :class:`TrainingClause`)."""
    clauses = []
    for document, text in enumerate(texts):
        for clause in split_clauses(finder.view(text).masked):
            tokens = matcher.tokenizer_.cut(clause)
            if not tokens:
                continue
            matched = matcher.match_clause(tokens, clause) if matcher.may_match(clause) else {}
            present = matcher.themes_present(tokens)
            clauses.append(
                TrainingClause(
                    document=document,
                    text=clause,
                    matched={t: tuple(k) for t, k in matched.items()},
                    present=present,
                    names_something=not present and matcher.names_something(clause),
                )
            )
    return clauses
