"""Adapting sentiment to the records of one analysis, once, before they are scored.

The analysis fits the adaptation here, on all its records (or a seeded sample
of them), and hands the fitted :class:`~feedback_miner.sentiment.adapt.Adaptation`
to every worker, so that the scores do not depend on how records are cut into
chunks or where they run.

Ratings are read per input file: each file's scale (1-5 or 0-10) is decided on
its own ratings, so that a survey's NPS and a ticket system's CSAT can be
analysed together. A file whose ratings are on neither scale is left out of
adaptation, with a note.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .adapt import Adaptation, AdaptationReport
from .ratings import rating_scale
from .scorer import SentimentScorer

__all__ = [
    "MAX_ADAPTATION_ROWS",
    "AdaptationPlan",
    "CorpusAdaptation",
    "adapt_to_corpus",
    "plan_adaptation",
]

MAX_ADAPTATION_ROWS = 100_000


@dataclass(frozen=True)
class CorpusAdaptation:
    """What adapting sentiment to an analysis's records did.

    Attributes
    ----------
    adaptation : Adaptation or None
        The fitted adaptation every worker scores with; ``None`` when the
        rules score alone.
    report : AdaptationReport or None
        What was learnt and how it agrees with held-back ratings; ``None``
        when there was nothing to learn from (no ratings, no self-training).
    notes : tuple of str
        What else the user should know (ratings left out, a sample taken).
    """

    adaptation: Adaptation | None
    report: AdaptationReport | None
    notes: tuple[str, ...] = ()

    def describe(self) -> list[str]:
        """The lines to show the user."""
        lines = list(self.notes)
        if self.report is not None:
            lines.append(self.report.describe())
        return lines

    @property
    def method(self) -> str:
        """How documents are scored, in a few words (for the report's settings)."""
        if self.adaptation is None:
            return "rules"
        return f"rules + n-gram model learnt from {self.adaptation.report.source}"


@dataclass(frozen=True)
class AdaptationPlan:
    """The records an adaptation is fitted on, chosen before it is fitted.

    Choosing is cheap and needs every record (each file's rating scale, the
    seeded sample); fitting needs only the chosen ones. An analysis chooses in
    its own process and can fit elsewhere: the plan is all the fit needs.

    Attributes
    ----------
    texts : tuple of str
        The chosen records' texts.
    ratings : numpy.ndarray or None
        Their ratings on usable scales (``nan`` where none), or ``None`` when
        the adaptation learns from the rules alone.
    groups : numpy.ndarray or None
        The input file of each chosen record (whose scale its rating is read on).
    self_train : bool
        Also learn from the texts the rules are sure about.
    seed : int
        Seed of the held-back split and the model.
    notes : tuple of str
        What the user should know of the choice (ratings left out, a sample taken).
    """

    texts: tuple[str, ...]
    ratings: np.ndarray | None
    groups: np.ndarray | None
    self_train: bool
    seed: int
    notes: tuple[str, ...] = ()

    def fit(self, rules: SentimentScorer | None = None) -> CorpusAdaptation:
        """Fit the adaptation on the chosen records; ``rules``, a scorer of the rules alone
        already built, saves building the segmenter again (see :meth:`SentimentScorer.fit`)."""
        scorer = SentimentScorer(self_training=self.self_train, random_state=self.seed).fit(
            list(self.texts), ratings=self.ratings, rating_groups=self.groups, rules=rules
        )
        return CorpusAdaptation(scorer.adaptation_, scorer.training_, self.notes)


def plan_adaptation(
    texts: Sequence[str],
    ratings: np.ndarray,
    files: Sequence[str],
    *,
    self_train: bool = False,
    use_ratings: bool = True,
    seed: int = 0,
    max_rows: int = MAX_ADAPTATION_ROWS,
) -> AdaptationPlan | CorpusAdaptation:
    """Choose the records to adapt sentiment on (the parameters of :func:`adapt_to_corpus`).

    Returns
    -------
    AdaptationPlan or CorpusAdaptation
        The plan to fit, or, when there is nothing to learn from, the finished
        (empty) adaptation with its notes.

    Examples
    --------
    >>> plan = plan_adaptation(["很好用", "太差了"] * 3, np.array([5.0, 1.0] * 3), ["a.csv"] * 6)
    >>> len(plan.texts), plan.ratings.tolist()
    (6, [5.0, 1.0, 5.0, 1.0, 5.0, 1.0])
    """
    values = np.asarray(ratings, dtype=float).copy()
    notes: list[str] = []
    groups = np.asarray(files, dtype=object)
    if use_ratings:
        for file in dict.fromkeys(groups.tolist()):
            rows = groups == file
            present = values[rows][~np.isnan(values[rows])]
            if present.size and rating_scale(present) is None:
                notes.append(
                    f"{file}: the ratings range from {present.min():g} to {present.max():g}, "
                    "neither 1-5 (CSAT, stars) nor 0-10 (NPS); they are not used to adapt sentiment."
                )
                values[rows] = np.nan
    rated = use_ratings and bool((~np.isnan(values)).any())
    if not rated and not self_train:
        return CorpusAdaptation(None, None, tuple(notes))
    chosen = np.arange(len(texts))
    if len(texts) > max_rows:
        chosen = np.sort(np.random.default_rng(seed).choice(len(texts), max_rows, replace=False))
        notes.append(
            f"Sentiment adapted on a seeded sample of {max_rows:,} of {len(texts):,} records."
        )
    return AdaptationPlan(
        texts=tuple(texts[i] for i in chosen.tolist()),
        ratings=values[chosen] if rated else None,
        groups=groups[chosen] if rated else None,
        self_train=self_train,
        seed=seed,
        notes=tuple(notes),
    )


def adapt_to_corpus(
    texts: Sequence[str],
    ratings: np.ndarray,
    files: Sequence[str],
    *,
    self_train: bool = False,
    use_ratings: bool = True,
    seed: int = 0,
    max_rows: int = MAX_ADAPTATION_ROWS,
) -> CorpusAdaptation:
    """Fit the sentiment adaptation of one analysis.

    Parameters
    ----------
    texts : sequence of str
        The records' texts.
    ratings : numpy.ndarray
        The records' ratings (``nan`` where there is none).
    files : sequence of str
        The input file of each record: ratings are read on each file's own scale.
    self_train : bool
        Also learn from the texts the rules are sure about.
    use_ratings : bool
        Learn from the ratings' extremes when there are any.
    seed : int
        Seed of the sample, the held-back split and the model.
    max_rows : int
        At most this many records (a seeded sample) are used to fit.

    Examples
    --------
    >>> texts = ["很好用"] * 30 + ["太差了"] * 30
    >>> adapted = adapt_to_corpus(texts, np.full(60, np.nan), ["a.csv"] * 60)
    >>> adapted.adaptation is None and adapted.report is None
    True
    """
    plan = plan_adaptation(
        texts,
        ratings,
        files,
        self_train=self_train,
        use_ratings=use_ratings,
        seed=seed,
        max_rows=max_rows,
    )
    return plan if isinstance(plan, CorpusAdaptation) else plan.fit()
