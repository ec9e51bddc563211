"""The end-to-end analysis: read, run the text stages on an engine, then attribution and summaries.

This is the only module that strings the stages together; the command line,
the web service and ``feedback_miner.analyze`` call it. The per-chunk text
stages are in :mod:`feedback_miner.stages`, where they run in
:mod:`feedback_miner.engines`, and what an analysis produced in
:mod:`feedback_miner.result`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import replace
from itertools import chain
from pathlib import Path

import numpy as np
import pandas as pd

from . import __version__
from .advice import RunWarning
from .attribution import ChurnOptions, ExposureRule, UndatedRule, analyze_churn, load_labels
from .beside import Beside
from .engines import DEFAULT_CHUNK_SIZE, Engine, Workers, analyze_blocks, analyze_records
from .ingest import IngestOptions, IngestStream
from .memory import release_freed_memory
from .prephase import (
    HeldBlocks,
    fit_adaptation,
    fit_packs_beside,
    one_blas_thread,
    plan_adaptation_of,
    read_ahead,
)
from .result import AnalysisResult, LabelOptions, RunSettings
from .schema import DOC_COLUMNS, MENTION_COLUMNS
from .scores import ScoreOptions, analyze_scores
from .sentiment import AdaptationPlan, CorpusAdaptation, SentimentScorer
from .stages import AnalyzerSpec, Dictionaries
from .summary import summarize
from .summary.coverage import LOW_COVERAGE, taxonomy_coverage
from .summary.emerging import EmergingThemes, emerging_among, uncovered_texts
from .text import ChineseTokenizer
from .themes import Taxonomy, load_pack
from .themes.corpus import LearnedChoice, fit_corpus, sample_texts
from .themes.fit import FitResult, TaxonomyFit, resolve_taxonomy
from .themes.matcher import build_matcher
from .timing import Stopwatch

# texts sampled (seeded) to fit what needs the whole corpus, and the part of them that
# picks the taxonomy: each pack's coverage is then within about a point of the corpus's
FIT_SAMPLE = 20_000
PACK_SAMPLE = 5_000
# up to this many documents emerging themes, and the incremental value of the text, are
# found in processes beside the main one (--jobs 2 or more). A forked process shares this
# one's pages, and a sum of the processes' RSS counts them twice: beyond it, where this
# process is largest, they are found here
BESIDE_LIMIT = 200_000

# AnalysisResult, LabelOptions and the column names are re-exported for scripts
# written against earlier versions (they live in result.py and schema.py)
__all__ = ["DOC_COLUMNS", "MENTION_COLUMNS", "AnalysisResult", "LabelOptions", "analyze"]


@one_blas_thread
def analyze(
    inputs: Sequence[str | Path],
    *,
    labels: LabelOptions | None = None,
    taxonomy: str | Path | Taxonomy | None = "auto",
    learned: LearnedChoice = "auto",
    ingest_options: IngestOptions | None = None,
    exposure_rule: ExposureRule = "negative",
    window_days: int | None = None,
    undated: UndatedRule = "include",
    adjust_for: Sequence[str] = (),
    neutral_band: float = 0.1,
    segment_columns: Sequence[str] = (),
    scores: ScoreOptions | None = None,
    seed: int = 0,
    self_train: bool = False,
    rating_adapt: bool = True,
    with_summary: bool = True,
    jobs: int = 1,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    engine: Engine = "local",
    scheduler: str | None = None,
    on_progress: Callable[[int], None] | None = None,
    on_total: Callable[[int], None] | None = None,
) -> AnalysisResult:
    """Analyse feedback files end to end.

    Parameters
    ----------
    inputs : sequence of path
        Survey exports, service logs, social posts (CSV, TSV, Excel).
    labels : LabelOptions, optional
        The churn label file; without it there is no attribution.
    taxonomy : "auto", pack id, path or Taxonomy
        The churn-reason taxonomy: ``auto`` (or ``None``) picks the built-in
        pack that fits the inputs best (:mod:`feedback_miner.themes.fit`); a
        pack id (``default``, ``ecommerce``, ``restaurant`` ...) or a file.
    learned : {"auto", "on", "off"}
        Add mentions found by theme models learned from the inputs' own
        keyword matches (:mod:`feedback_miner.themes.learned`): ``auto`` when
        there are enough documents.
    ingest_options : IngestOptions, optional
        Column and source options for the inputs.
    exposure_rule : {"negative", "any"}
        Which mentions expose a user to a theme.
    window_days : int, optional
        Only feedback of the last ``window_days`` before the churn date counts.
    undated : {"include", "exclude"}
        Whether texts without a date count as written before churn (with a
        warning) or are left out of the attribution.
    adjust_for : sequence of str
        Label-file or document columns (a channel, the company addressed, a
        ``meta:`` column) to add to the models as covariates.
    neutral_band : float
        Sentiment scores within this distance of 0 are neutral.
    segment_columns : sequence of str
        Columns to break themes down by in the report (docs columns, ``meta:``
        columns with or without the prefix, or label-file columns); chosen
        automatically when empty.
    scores : ScoreOptions, optional
        The score column and metric, and how to cut two periods; by default
        the detected rating and the last two months.
    seed : int
        Seed of the samples taken for quotes and emerging-theme discovery, of
        the bootstraps and of sentiment adaptation.
    self_train : bool
        Adapt sentiment to these texts: learn from those the rules are sure about.
    rating_adapt : bool
        When the records carry a rating (stars, NPS, 满意度), adapt sentiment to
        the ratings' extremes; each input file's ratings are read on their own
        scale. The fitted model scores every document (see
        :class:`~feedback_miner.result.AnalysisResult` ``.adaptation``).
    with_summary : bool
        Compute the report's summaries (:mod:`feedback_miner.summary`); not
        needed when only tables or features are wanted.
    jobs : int
        Worker processes for the per-chunk stages.
    chunk_size : int
        Records per chunk.
    engine : {"local", "dask"}
        Where the per-chunk stages run: ``jobs`` local processes, or Dask.
    scheduler : str, optional
        With ``engine="dask"``, the address of a running scheduler; a local
        cluster of ``jobs`` workers otherwise.
    on_progress, on_total : callable, optional
        Called with the number of records done per chunk, and once with the
        total number of records (for progress bars).

    Returns
    -------
    AnalysisResult
    """
    timings: dict[str, float] = {}
    watch = Stopwatch(timings)
    key, given = resolve_taxonomy(taxonomy)
    # local workers are forked first, while this process holds only its imports: the labels,
    # records and corpus models read and fitted below are never copied into them. One of them
    # fits the sentiment adaptation while this process fits the corpus models
    with _local_workers(engine, jobs) as workers:
        watch.lap("workers started")
        churn_labels = (
            load_labels(
                labels.path,
                id_col=labels.id_col,
                churn_col=labels.churn_col,
                date_col=labels.date_col,
                as_of=labels.as_of,
                input_id_col=ingest_options.user_id_col if ingest_options is not None else None,
            )
            if labels
            else None
        )
        release_freed_memory()  # what reading the label file freed
        watch.lap("labels read")
        stream = IngestStream(inputs, ingest_options)
        planned: AdaptationPlan | CorpusAdaptation | None = None
        asked = False
        held: HeldBlocks | None = None
        rest: Iterator[pd.DataFrame] | None = None
        blocks: Iterator[pd.DataFrame]
        if self_train or rating_adapt or engine == "dask":
            # adaptation is fitted once on the records before any is scored
            held, rest = read_ahead(stream, everything=self_train or engine == "dask")
            if rest is None and (self_train or rating_adapt):
                planned = plan_adaptation_of(
                    held, stream.paths, self_train=self_train, use_ratings=rating_adapt, seed=seed
                )
                if workers is not None and isinstance(planned, AdaptationPlan):
                    workers.call(fit_adaptation, planned)
                    asked = True
            blocks = chain(held.release(), rest or ())
            # reading freed each block's tables and strings: hand that memory back before the
            # corpus models and the collected tables add to it
            release_freed_memory()
        else:
            blocks = iter(stream)
        records = _concat(list(blocks), stream) if engine == "dask" else None
        watch.lap("inputs read ahead")
        # what needs the whole corpus is fitted on a seeded sample before any chunk is analysed:
        # from the records already read when all are, else from a first pass over the inputs
        if records is not None:
            sample = sample_texts([records], FIT_SAMPLE, seed=seed)
        elif held is not None and rest is None:
            sample = sample_texts((block for _, block in held), FIT_SAMPLE, seed=seed)
        else:
            sample = sample_texts(IngestStream(inputs, ingest_options), FIT_SAMPLE, seed=seed)
        scorer = SentimentScorer(neutral_band=neutral_band).fit()
        # jieba's dictionary read once here: the packs' matchers and the corpus's copy it
        base = ChineseTokenizer()
        candidates: FitResult | None = None
        if given is None:
            candidates = fit_packs_beside(
                workers,
                _subsample(sample, PACK_SAMPLE, seed),
                neutral_band=neutral_band,
                scorer=scorer,
                busy=asked,
                base=base,
            )
            key, chosen = candidates.chosen, load_pack(candidates.chosen)
        else:
            chosen = given
        corpus = fit_corpus(
            sample,
            build_matcher(chosen, split_words=scorer.lexicon_.split_vocabulary(), base=base),
            learned=learned,
            seed=seed,
            scorer=scorer,
        )
        del base  # the text stages build their own
        watch.lap("corpus models")
        adaptation: CorpusAdaptation | None
        if asked and workers is not None:
            adaptation = workers.answer()
        elif isinstance(planned, AdaptationPlan):
            adaptation = fit_adaptation(Dictionaries(rules=scorer), planned)
        else:
            adaptation = planned
        del planned  # its texts are not needed any more
        watch.lap("sentiment adaptation")
        spec = AnalyzerSpec(
            taxonomy=chosen,
            neutral_band=neutral_band,
            adaptation=adaptation.adaptation if adaptation is not None else None,
            corpus=corpus,
        )
        if records is not None:
            if on_total:
                on_total(len(records))
            docs, mentions = analyze_records(
                records,
                spec,
                jobs=jobs,
                chunk_size=chunk_size,
                engine=engine,
                scheduler=scheduler,
                on_progress=on_progress,
            )
            del records
        else:
            # ingest and the text stages overlap: blocks are analysed while later ones are read
            docs, mentions = analyze_blocks(
                blocks,
                spec,
                jobs=jobs,
                chunk_size=chunk_size,
                on_total=on_total,
                on_progress=on_progress,
                workers=workers,
                # one job analyses here, with the rules this process fitted above
                dictionaries=Dictionaries(rules=scorer) if workers is None else None,
            )
        watch.lap("text stages")
    # emerging themes need only the documents and the rules: with processes to spare they are
    # found beside attribution and the other summaries (the incremental value of the text is
    # measured beside the attribution's fits too). Without labels there is no attribution and
    # this process has little to do meanwhile: discovery's k search takes a process more
    spare = jobs > 1 and engine == "local" and len(docs) <= BESIDE_LIMIT
    beside: Beside[EmergingThemes] | None = None
    if with_summary and spare:
        beside = Beside(
            emerging_among,
            uncovered_texts(docs, seed=seed, scored=True),
            seed=seed,
            scorer=scorer,
            names=chosen.competitors,
            jobs=jobs if churn_labels is None else 1,
        )
    with beside or nullcontext():
        taxonomy_fit = _taxonomy_fit(docs, key, candidates)

        churn = None
        warnings: list[RunWarning] = []
        if churn_labels is not None:
            churn = analyze_churn(
                docs,
                mentions,
                churn_labels,
                chosen,
                ChurnOptions(
                    exposure_rule=exposure_rule,
                    window_days=window_days,
                    neutral_band=neutral_band,
                    undated=undated,
                    adjust_for=tuple(adjust_for),
                    as_of=churn_labels.snapshot if labels and labels.as_of else None,
                    seed=seed,
                    beside=spare,
                ),
            )
            warnings += churn.warnings
            release_freed_memory()
            watch.lap("attribution")
        score_options = (
            replace(scores, seed=seed) if scores is not None else ScoreOptions(seed=seed)
        )
        scored = analyze_scores(docs, mentions, stream.files, chosen, score_options)
        release_freed_memory()
        watch.lap("score drivers and changes")
        coverage = taxonomy_coverage(docs)
        if coverage.negative_documents and coverage.negative_coverage < LOW_COVERAGE:
            warnings.append(
                RunWarning(
                    "low_coverage",
                    f"the taxonomy {chosen.name!r} gives a theme to only "
                    f"{coverage.negative_coverage:.0%} of the {coverage.negative_documents} negative "
                    "texts: most reasons are missing from it. Run `feedback-miner themes discover` "
                    "on these inputs to see what it misses, or choose another --taxonomy.",
                    {
                        "taxonomy": chosen.name,
                        "share": coverage.negative_coverage,
                        "n": coverage.negative_documents,
                    },
                )
            )
        summary = None
        if with_summary:
            summary = summarize(
                docs,
                mentions,
                chosen,
                labels=churn_labels,
                attribution=churn.attribution if churn else None,
                segment_columns=segment_columns,
                neutral_band=neutral_band,
                seed=seed,
                scorer=scorer,
                emerging=beside.result if beside is not None else None,
            )
            release_freed_memory()
            watch.lap("summaries")
    settings = RunSettings(
        version=__version__,
        taxonomy=f"{chosen.name} {chosen.version} ({chosen.source}"
        + (", chosen by --taxonomy auto)" if candidates is not None else ")"),
        exposure=exposure_rule,
        window_days=window_days,
        neutral_band=neutral_band,
        seed=seed,
        engine=engine if scheduler is None else f"{engine} ({scheduler})",
        jobs=jobs,
        chunk_size=chunk_size,
        sentiment=adaptation.method if adaptation is not None else "rules",
        inputs=tuple(str(p) for p in inputs),
        labels=str(labels.path) if labels else None,
        undated=undated,
        adjust_for=tuple(adjust_for),
        as_of=churn_labels.snapshot
        if churn_labels is not None and labels and labels.as_of
        else None,
    )
    return AnalysisResult(
        docs=docs,
        mentions=mentions,
        rejects=stream.rejects(),
        files=stream.files,
        taxonomy=chosen,
        taxonomy_fit=taxonomy_fit,
        corpus=corpus,
        labels=churn_labels,
        exposure=churn.exposure if churn else None,
        attribution=churn.attribution if churn else None,
        incremental=churn.incremental if churn else None,
        incremental_note=churn.incremental_note if churn else None,
        confounders=churn.confounders if churn else (),
        drivers=scored.drivers,
        drivers_note=scored.drivers_note,
        changes=scored.changes,
        changes_note=scored.changes_note,
        summary=summary,
        settings=settings,
        warnings=tuple(warnings),
        timings=timings,
        adaptation=adaptation,
    )


def _local_workers(engine: Engine, jobs: int) -> AbstractContextManager[Workers | None]:
    """Worker processes for the local engine's text stages (none for one job or Dask)."""
    if engine == "local" and jobs > 1:
        return Workers(jobs)
    return nullcontext(None)


def _subsample(texts: list[str], size: int, seed: int) -> list[str]:
    """A seeded sample of ``size`` of ``texts`` in their order (all of them when fewer)."""
    if len(texts) <= size:
        return texts
    chosen = np.sort(np.random.default_rng(seed).choice(len(texts), size, replace=False))
    return [texts[i] for i in chosen.tolist()]


def _concat(blocks: list[pd.DataFrame], stream: IngestStream) -> pd.DataFrame:
    """All record blocks in one table (the Dask engine partitions one table)."""
    if blocks:
        return pd.concat(blocks, ignore_index=True)
    return stream.read_all().records


def _taxonomy_fit(docs: pd.DataFrame, key: str, candidates: FitResult | None) -> TaxonomyFit:
    """Which taxonomy the analysis used, how it was chosen and how it covered the documents."""
    coverage = taxonomy_coverage(docs)
    return TaxonomyFit(
        taxonomy=key,
        how="auto" if candidates is not None else "given",
        coverage=coverage.coverage,
        negative_coverage=coverage.negative_coverage,
        candidates=candidates,
    )
