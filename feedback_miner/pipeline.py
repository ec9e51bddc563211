"""The end-to-end analysis: ingest, per-chunk text stages, attribution.

The per-chunk stages (clean text is already in the records; clause splitting,
tokenising, sentiment, theme matching) are one pure function of a chunk of
records, :func:`analyze_chunk`, so the same code runs in one process or in
``jobs`` worker processes with identical results.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Literal

import pandas as pd

from . import __version__
from .attribution import (
    AttributionResult,
    ChurnLabels,
    Exposure,
    ExposureRule,
    IncrementalValue,
    attribute,
    build_exposure,
    incremental_auc,
    load_labels,
)
from .features.users import user_features
from .ingest import FileSummary, IngestOptions, IngestStream
from .sentiment import SentimentScorer, label_score
from .summary import Summary, summarize
from .text import ChineseTokenizer, split_clauses
from .themes import (
    Taxonomy,
    ThemeMatcher,
    document_churn_type,
    find_competitors,
    load_taxonomy,
    taxonomy_vocabulary,
)

__all__ = [
    "DOC_COLUMNS",
    "MENTION_COLUMNS",
    "AnalysisResult",
    "AnalyzerSpec",
    "LabelOptions",
    "analyze",
    "analyze_chunk",
    "analyze_records",
    "run_chunks",
]

logger = logging.getLogger(__name__)

DOC_COLUMNS = (
    "doc_id",
    "user_id",
    "source",
    "created_at",
    "text",
    "sentiment_score",
    "sentiment_label",
    "themes",
)
MENTION_COLUMNS = ("doc_id", "user_id", "theme_id", "sentiment_score", "evidence")
# after the fixed columns: the matched keywords, ";"-joined
MENTION_EXTRA_COLUMNS = ("keywords",)
# what analyze_chunk adds after the records' own columns
_ANALYSIS_COLUMNS = ("churn_type", "competitors")
DEFAULT_CHUNK_SIZE = 2000
# values kept per column by the collector before it stops sharing them
_MAX_SHARED_VALUES = 50_000
_COMPACT_STRINGS = pd.StringDtype("pyarrow")
_DISTINCT_STRING_COLUMNS = frozenset({"doc_id", "user_id", "text", "evidence", "keywords"})
Engine = Literal["local", "dask"]


@dataclass(frozen=True)
class AnalyzerSpec:
    """Everything the per-chunk stages need; small, hashable and picklable."""

    taxonomy: Taxonomy
    neutral_band: float = 0.1


@dataclass(frozen=True)
class LabelOptions:
    """Where the churn labels are and how to read them."""

    path: Path
    id_col: str | None = None
    churn_col: str | None = None
    date_col: str | None = None


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
    labels : ChurnLabels or None
        The churn labels, when given.
    exposure : Exposure or None
        Users and their exposures, when labels were given.
    attribution : AttributionResult or None
        The attribution table, when labels were given.
    incremental : IncrementalValue or None
        Cross-validated AUC of a churn model without and with text features.
    user_features : pandas.DataFrame or None
        With labels, the user feature table of every labelled user (see
        :mod:`feedback_miner.features`).
    summary : Summary or None
        Theme counts, quotes, trends, segments, churn types, competitors and
        emerging themes for the report (see :mod:`feedback_miner.summary`).
    settings : dict
        Run settings for the method sheet.
    timings : dict
        Seconds spent per stage.
    """

    docs: pd.DataFrame
    mentions: pd.DataFrame
    rejects: pd.DataFrame
    files: tuple[FileSummary, ...]
    taxonomy: Taxonomy
    labels: ChurnLabels | None = None
    exposure: Exposure | None = None
    attribution: AttributionResult | None = None
    incremental: IncrementalValue | None = None
    user_features: pd.DataFrame | None = None
    summary: Summary | None = None
    settings: dict[str, object] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)


@lru_cache(maxsize=4)
def _stages(spec: AnalyzerSpec) -> tuple[SentimentScorer, ThemeMatcher]:
    """Build the scorer and matcher once per process (the dictionary load is the slow part)."""
    scorer = SentimentScorer(neutral_band=spec.neutral_band).fit()
    vocabulary = taxonomy_vocabulary(spec.taxonomy)
    tokenizer = ChineseTokenizer(
        extra_words=vocabulary, split_words=[*vocabulary, *scorer.lexicon_.split_vocabulary()]
    )
    matcher = ThemeMatcher(taxonomy=spec.taxonomy, tokenizer=tokenizer).fit()
    return scorer, matcher


def analyze_chunk(records: pd.DataFrame, spec: AnalyzerSpec) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Score and match one chunk of canonical records.

    Besides sentiment and themes, each document gets its ``churn_type`` (see
    :func:`~feedback_miner.themes.document_churn_type`) and the
    ``competitors`` it names (``;``-joined).

    Parameters
    ----------
    records : pandas.DataFrame
        Canonical records (at least ``doc_id``, ``user_id``, ``text``).
    spec : AnalyzerSpec
        Taxonomy and thresholds.

    Returns
    -------
    docs, mentions : pandas.DataFrame
        ``docs`` is ``records`` with ``sentiment_score``, ``sentiment_label``
        and ``themes`` added; ``mentions`` has :data:`MENTION_COLUMNS` and
        ``keywords`` (the matched keywords, ``;``-joined).
    """
    scorer, matcher = _stages(spec)
    scores: list[float | None] = []
    labels: list[str | None] = []
    themes: list[str] = []
    churn_types: list[str] = []
    competitors: list[str] = []
    mention_rows: list[tuple[object, ...]] = []
    for doc_id, user_id, text in zip(
        records["doc_id"], records["user_id"], records["text"], strict=True
    ):
        text = text if isinstance(text, str) else ""
        # records are already normalised and simplified by ingest: split and score
        scored = scorer.score_clauses(split_clauses(text))
        scores.append(scored.score)
        labels.append(
            None
            if scored.score is None
            else label_score(scored.score, neutral_band=spec.neutral_band)
        )
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
    docs = records.copy()
    docs["sentiment_score"] = pd.array(scores, dtype="Float64").astype(float)
    docs["sentiment_label"] = pd.Series(labels, index=docs.index, dtype=object)
    docs["themes"] = pd.Series(themes, index=docs.index, dtype=object)
    docs["churn_type"] = pd.Series(churn_types, index=docs.index, dtype=object)
    docs["competitors"] = pd.Series(competitors, index=docs.index, dtype=object)
    mentions = pd.DataFrame(mention_rows, columns=[*MENTION_COLUMNS, *MENTION_EXTRA_COLUMNS])
    mentions["sentiment_score"] = mentions["sentiment_score"].astype(float)
    return docs, mentions


def _chunks(frame: pd.DataFrame, size: int) -> Iterator[pd.DataFrame]:
    for start in range(0, len(frame), size):
        yield frame.iloc[start : start + size]


def run_chunks(
    chunks: Iterable[pd.DataFrame], spec: AnalyzerSpec, *, jobs: int = 1
) -> Iterator[tuple[pd.DataFrame, pd.DataFrame]]:
    """:func:`analyze_chunk` over ``chunks`` in ``jobs`` processes; results in input order.

    Chunks are taken from ``chunks`` only as workers become free (at most two
    per worker wait), so that a stream of records read block by block is
    analysed while it is being read, and memory holds a few chunks, not all.
    """
    if jobs < 1:
        raise ValueError(f"--jobs is {jobs}; it must be 1 or more.")
    if jobs == 1:
        for chunk in chunks:
            yield analyze_chunk(chunk, spec)
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        waiting: deque[Future[tuple[pd.DataFrame, pd.DataFrame]]] = deque()
        for chunk in chunks:
            waiting.append(pool.submit(analyze_chunk, chunk, spec))
            while len(waiting) > 2 * jobs:
                yield waiting.popleft().result()
        while waiting:
            yield waiting.popleft().result()


def _stream_chunks(
    parts: Iterable[pd.DataFrame], size: int, on_total: Callable[[int], None] | None
) -> Iterator[pd.DataFrame]:
    """Cut a stream of record blocks into chunks of ``size``, reporting the running total."""
    total = 0
    for part in parts:
        total += len(part)
        if on_total:
            on_total(total)
        yield from _chunks(part, size)


class _Collector:
    """Gathers analysed chunks, sharing one string object per repeated value.

    A million documents repeat their source, channel, labels, theme lists and
    segment values: keeping one copy of each cuts the memory of the tables
    that stay for attribution, the summary and the report. Columns of mostly
    distinct strings (ids, texts, evidence, the inputs' own ``meta:`` columns)
    are stored as Arrow strings, a fraction of the size of Python string
    objects; which columns these are does not depend on the data, so the
    tables' types do not depend on how records were cut into chunks.
    """

    def __init__(self) -> None:
        self.docs: list[pd.DataFrame] = []
        self.mentions: list[pd.DataFrame] = []
        self._shared: dict[str, dict[object, object]] = {}

    def add(self, docs: pd.DataFrame, mentions: pd.DataFrame) -> None:
        self.docs.append(self._share(docs, "docs"))
        self.mentions.append(self._share(mentions, "mentions"))

    def _share(self, frame: pd.DataFrame, table: str) -> pd.DataFrame:
        for column in frame.columns:
            values = frame[column]
            if values.dtype != object:
                continue
            if column in _DISTINCT_STRING_COLUMNS or str(column).startswith("meta:"):
                frame[column] = values.astype(_COMPACT_STRINGS)
                continue
            seen = self._shared.setdefault(f"{table}:{column}", {})
            if len(seen) <= _MAX_SHARED_VALUES:
                shared = [seen.setdefault(v, v) if isinstance(v, str) else v for v in values]
                frame[column] = pd.Series(shared, index=frame.index, dtype=object)
        return frame

    def tables(self, spec: AnalyzerSpec) -> tuple[pd.DataFrame, pd.DataFrame]:
        """All docs (fixed columns first) and mentions gathered, emptied from the collector."""
        if not self.docs:
            return analyze_chunk(pd.DataFrame(columns=["doc_id", "user_id", "text"]), spec)
        docs = pd.concat(self.docs, ignore_index=True)
        mentions = pd.concat(self.mentions, ignore_index=True)
        self.docs, self.mentions = [], []
        return _order_doc_columns(docs), mentions


def analyze_records(
    records: pd.DataFrame,
    spec: AnalyzerSpec,
    *,
    jobs: int = 1,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    engine: Engine = "local",
    scheduler: str | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Run :func:`analyze_chunk` over ``records`` in chunks, in ``jobs`` processes.

    With ``engine="dask"`` the chunks are the partitions of a Dask DataFrame,
    analysed on a local cluster of ``jobs`` workers or on ``scheduler`` (see
    :mod:`feedback_miner.dask_engine`). The result does not depend on the
    engine, ``jobs`` or ``chunk_size``.
    """
    if jobs < 1:
        raise ValueError(f"--jobs is {jobs}; it must be 1 or more.")
    if engine == "dask":
        from .dask_engine import analyze_records_dask

        parts = analyze_records_dask(
            records,
            spec,
            scheduler=scheduler,
            workers=jobs,
            chunk_size=chunk_size,
            on_progress=on_progress,
        )
        if not parts:
            return analyze_chunk(records.iloc[:0], spec)
        return _collect(parts, spec, None)
    return _collect(run_chunks(_chunks(records, chunk_size), spec, jobs=jobs), spec, on_progress)


def _collect(
    parts: Iterable[tuple[pd.DataFrame, pd.DataFrame]],
    spec: AnalyzerSpec,
    on_progress: Callable[[int], None] | None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    collector = _Collector()
    for docs, mentions in parts:
        collector.add(docs, mentions)
        if on_progress:
            on_progress(len(docs))
    return collector.tables(spec)


def _order_doc_columns(docs: pd.DataFrame) -> pd.DataFrame:
    """The fixed columns, the records' other columns, then what analysis added.

    Blocks of different inputs have different ``meta:`` columns; the order
    does not depend on how the records were cut into chunks.
    """
    first, last = list(DOC_COLUMNS), list(_ANALYSIS_COLUMNS)
    return docs[first + [c for c in docs.columns if c not in first and c not in last] + last]


def _user_features(
    docs: pd.DataFrame,
    mentions: pd.DataFrame,
    labels: ChurnLabels,
    taxonomy: Taxonomy,
    neutral_band: float,
) -> pd.DataFrame:
    """Features of every labelled user, feedback cut at each churn date."""
    frame = labels.frame
    return user_features(
        docs,
        mentions,
        taxonomy.ids,
        users=frame["user_id"].tolist(),
        churn_dates=frame.set_index("user_id")["churn_date"],
        neutral_band=neutral_band,
    )


def analyze(
    inputs: Sequence[str | Path],
    *,
    labels: LabelOptions | None = None,
    taxonomy: str | Path | Taxonomy | None = None,
    ingest_options: IngestOptions | None = None,
    exposure_rule: ExposureRule = "negative",
    window_days: int | None = None,
    neutral_band: float = 0.1,
    segment_columns: Sequence[str] = (),
    seed: int = 0,
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
    taxonomy : path or Taxonomy, optional
        The churn-reason taxonomy; the shipped default when not given.
    ingest_options : IngestOptions, optional
        Column and source options for the inputs.
    exposure_rule : {"negative", "any"}
        Which mentions expose a user to a theme.
    window_days : int, optional
        Only feedback of the last ``window_days`` before the churn date counts.
    neutral_band : float
        Sentiment scores within this distance of 0 are neutral.
    segment_columns : sequence of str
        Columns to break themes down by in the report (docs columns, ``meta:``
        columns with or without the prefix, or label-file columns); chosen
        automatically when empty.
    seed : int
        Seed of the samples taken for quotes and emerging-theme discovery.
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
    started = time.perf_counter()
    chosen = taxonomy if isinstance(taxonomy, Taxonomy) else load_taxonomy(taxonomy)
    churn_labels = (
        load_labels(
            labels.path, id_col=labels.id_col, churn_col=labels.churn_col, date_col=labels.date_col
        )
        if labels
        else None
    )
    spec = AnalyzerSpec(taxonomy=chosen, neutral_band=neutral_band)
    stream = IngestStream(inputs, ingest_options)
    if engine == "dask":
        records = stream.read_all().records
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
        chunks = _stream_chunks(stream, chunk_size, on_total)
        docs, mentions = _collect(run_chunks(chunks, spec, jobs=jobs), spec, on_progress)
    timings["ingest and text"] = time.perf_counter() - started

    exposure = attribution = incremental = features = None
    if churn_labels is not None:
        started = time.perf_counter()
        exposure = build_exposure(
            docs,
            mentions,
            churn_labels,
            chosen.ids,
            rule=exposure_rule,
            neutral_band=neutral_band,
            window_days=window_days,
        )
        attribution = attribute(exposure, chosen, covariates=churn_labels.covariates, survival=True)
        features = _user_features(docs, mentions, churn_labels, chosen, neutral_band)
        last = exposure.last_feedback
        incremental = incremental_auc(
            churn_labels.frame,
            features,
            churn_labels.covariates,
            last_feedback=last if last.notna().any() else None,
        )
        timings["attribution"] = time.perf_counter() - started
    summary = None
    if with_summary:
        started = time.perf_counter()
        summary = summarize(
            docs,
            mentions,
            chosen,
            labels=churn_labels,
            attribution=attribution,
            segment_columns=segment_columns,
            neutral_band=neutral_band,
            seed=seed,
        )
        timings["summary"] = time.perf_counter() - started
    settings: dict[str, object] = {
        "version": __version__,
        "taxonomy": f"{chosen.name} {chosen.version} ({chosen.source})",
        "exposure": exposure_rule,
        "window_days": window_days,
        "neutral_band": neutral_band,
        "seed": seed,
        "engine": engine if scheduler is None else f"{engine} ({scheduler})",
        "jobs": jobs,
        "chunk_size": chunk_size,
        "inputs": [str(p) for p in inputs],
        "labels": str(labels.path) if labels else None,
    }
    return AnalysisResult(
        docs=docs,
        mentions=mentions,
        rejects=stream.rejects(),
        files=stream.files,
        taxonomy=chosen,
        labels=churn_labels,
        exposure=exposure,
        attribution=attribution,
        incremental=incremental,
        user_features=features,
        summary=summary,
        settings=settings,
        timings=timings,
    )
