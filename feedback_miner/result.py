"""The result types of an analysis: what the report, the exports and the features read.

These are data only. The analysis (:func:`feedback_miner.pipeline.analyze`)
fills them; :mod:`feedback_miner.report`, :mod:`feedback_miner.summary` and
:mod:`feedback_miner.features` read them and never run the analysis.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .advice import RunWarning
from .attribution import (
    AttributionResult,
    ChurnLabels,
    ConfounderFlag,
    Exposure,
    IncrementalValue,
)
from .ingest import FileSummary
from .scores import ScoreDrivers
from .sentiment import CorpusAdaptation
from .summary import Summary
from .summary.changes import Changes
from .themes import Taxonomy
from .themes.corpus import CorpusModel
from .themes.fit import TaxonomyFit

__all__ = ["AnalysisResult", "LabelOptions", "RunSettings"]


@dataclass(frozen=True)
class LabelOptions:
    """Where the churn labels are and how to read them."""

    path: Path
    id_col: str | None = None
    churn_col: str | None = None
    date_col: str | None = None
    as_of: str | None = None


@dataclass(frozen=True)
class RunSettings:
    """How a run was made, for the report's overview and method sheets.

    Attributes
    ----------
    version : str
        The feedback-miner version.
    taxonomy : str
        The taxonomy's name, version and where it came from.
    exposure : str
        Which mentions expose a user (``negative`` or ``any``).
    window_days : int or None
        Only feedback of this many days before churn counted.
    neutral_band : float
        Sentiment scores within this distance of 0 are neutral.
    seed : int
        Seed of the samples behind quotes and emerging themes.
    engine : str
        Where the text stages ran (``local``, ``dask`` or ``dask (<scheduler>)``).
    jobs : int
        Worker processes.
    chunk_size : int
        Records per chunk.
    sentiment : str
        How documents were scored: ``rules``, or the rules with an n-gram
        model learnt from the ratings or by self-training.
    inputs : tuple of str
        The input files.
    labels : str or None
        The churn label file.
    undated : str
        Whether undated texts counted (``include``) or not (``exclude``).
    adjust_for : tuple of str
        Columns added to the models as covariates.
    as_of : Timestamp or None
        The labels' snapshot date given (``--as-of``); the user features are
        computed at it (else at the latest feedback date).
    """

    version: str
    taxonomy: str
    exposure: str
    window_days: int | None
    neutral_band: float
    seed: int
    engine: str
    jobs: int
    chunk_size: int
    sentiment: str
    inputs: tuple[str, ...]
    labels: str | None
    undated: str = "include"
    adjust_for: tuple[str, ...] = ()
    as_of: pd.Timestamp | None = None


@dataclass(frozen=True)
class AnalysisResult:
    """Everything one analysis produced; the report and exports only format it.

    Attributes
    ----------
    docs, mentions, rejects : pandas.DataFrame
        The tables of DESIGN.md (docs with extra columns after the fixed ones).
    files : tuple of FileSummary
        What ingest did with each input file.
    taxonomy : Taxonomy
        The taxonomy used.
    taxonomy_fit : TaxonomyFit or None
        Which taxonomy was used and why (``--taxonomy auto``: every pack's fit),
        its coverage of all and of negative documents, and its ``warnings``
        for the run summary (``low_coverage``).
    corpus : CorpusModel or None
        What was learned from the whole corpus before the per-chunk stages
        (boilerplate, account names, recurring competitors, learned themes).
    settings : RunSettings
        How the run was made.
    labels : ChurnLabels or None
        The churn labels, when given.
    exposure : Exposure or None
        Users and their exposures, when labels were given.
    attribution : AttributionResult or None
        The attribution table, when labels were given.
    incremental : IncrementalValue or None
        Out-of-fold AUC of a churn model without and with text features, on a
        cut-off design.
    incremental_note : str or None
        Why the incremental value was not measured (with labels).
    confounders : tuple of ConfounderFlag
        Themes whose effect vanishes within a segment.
    drivers : ScoreDrivers or None
        What drags the survey score down, when the inputs carry a rating.
    changes : Changes or None
        The comparison of two periods, when the dates allow one.
    drivers_note, changes_note : str or None
        Why either is missing.
    summary : Summary or None
        Theme counts, quotes, trends, segments, churn types, competitors and
        emerging themes for the report (see :mod:`feedback_miner.summary`).
    warnings : tuple of RunWarning
        What a reader must know (see :mod:`feedback_miner.advice`).
    timings : dict
        Wall seconds per phase of the run, in the order they ran (see
        ``analyze --timings``).
    adaptation : CorpusAdaptation or None
        What adapting sentiment to these records did (what it learnt from and
        its agreement with held-back ratings); ``None`` when it was not tried.
    """

    docs: pd.DataFrame
    mentions: pd.DataFrame
    rejects: pd.DataFrame
    files: tuple[FileSummary, ...]
    taxonomy: Taxonomy
    settings: RunSettings
    taxonomy_fit: TaxonomyFit | None = None
    corpus: CorpusModel | None = None
    labels: ChurnLabels | None = None
    exposure: Exposure | None = None
    attribution: AttributionResult | None = None
    incremental: IncrementalValue | None = None
    incremental_note: str | None = None
    confounders: tuple[ConfounderFlag, ...] = ()
    drivers: ScoreDrivers | None = None
    drivers_note: str | None = None
    changes: Changes | None = None
    changes_note: str | None = None
    summary: Summary | None = None
    warnings: tuple[RunWarning, ...] = ()
    timings: dict[str, float] = field(default_factory=dict)
    adaptation: CorpusAdaptation | None = None
