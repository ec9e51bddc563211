"""What an analysis learns from the whole corpus before the per-chunk stages run.

The per-chunk stages are pure functions of one chunk, so that ``--jobs`` and
the Dask engine give the tables one process gives. Some knowledge needs many
documents: boilerplate repeated across them, account names, competitor names
that recur as objects of switching verbs, and the learned theme models. It is
fitted here once, on the corpus or a seeded sample of it, and travels to every
worker inside the :class:`~feedback_miner.stages.AnalyzerSpec`.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from ..text import split_clauses
from ..text.boilerplate import find_boilerplate, known_handles
from ..text.entities import EntityFinder
from .competitors import recurring_competitors
from .learned import MIN_DOCUMENTS, LearnedThemes, TrainingClause, fit_learned_themes
from .matcher import ThemeMatcher

__all__ = ["LEARNED_CHOICES", "CorpusModel", "LearnedChoice", "entity_finder", "fit_corpus"]

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
    """
    taxonomy = matcher.taxonomy_
    handles = known_handles(texts)
    boilerplate = find_boilerplate(texts)
    frequency = matcher.tokenizer_.frequency
    competitors = recurring_competitors(texts, taxonomy.competitors, frequency=frequency)
    corpus = CorpusModel(
        documents=len(texts), handles=handles, boilerplate=boilerplate, competitors=competitors
    )
    if learned == "off" or (learned == "auto" and len(texts) < MIN_DOCUMENTS):
        return corpus
    finder = entity_finder(taxonomy.competitors, corpus)
    clauses = training_clauses(texts, matcher, finder)
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
            clauses.append(
                TrainingClause(
                    document=document,
                    text=clause,
                    matched={t: tuple(k) for t, k in matched.items()},
                    present=matcher.themes_present(tokens),
                )
            )
    return clauses
