"""The churn side of an analysis: exposure, attribution, guardrails, incremental value.

:func:`analyze_churn` is what :func:`feedback_miner.pipeline.analyze` runs once
the documents and mentions are known and a label file was given. It gathers
the warnings a reader needs (undated feedback, no covariates, a penalised
fit, possible confounders, an incremental value that could not be measured).
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import nullcontext
from dataclasses import dataclass, replace

import pandas as pd

from ..advice import RunWarning
from ..beside import Beside
from ..errors import LabelError
from ..features.users import user_features
from ..memory import release_freed_memory
from ..themes import Taxonomy
from .confounders import (
    ConfounderFlag,
    candidate_segments,
    check_confounders,
    segment_label,
    user_segments,
)
from .exposure import Exposure, ExposureRule, UndatedRule, build_exposure
from .incremental import (
    Cutoff,
    IncrementalValue,
    NoCutoff,
    choose_cutoff,
    incremental_auc,
    outcome_after,
    sample_at_risk,
)
from .labels import MISSING_LEVEL, ChurnLabels
from .stats import AttributionResult, attribute, rolled_up

__all__ = ["ChurnAnalysis", "ChurnOptions", "analyze_churn"]


@dataclass(frozen=True)
class ChurnOptions:
    """How the churn side is analysed (the command line's label options)."""

    exposure_rule: ExposureRule = "negative"
    window_days: int | None = None
    neutral_band: float = 0.1
    undated: UndatedRule = "include"
    adjust_for: tuple[str, ...] = ()
    as_of: pd.Timestamp | None = None
    seed: int = 0
    beside: bool = False
    """Measure the incremental value in a forked process while this one fits the
    attribution (see :class:`~feedback_miner.beside.Beside`); the result is the same."""


@dataclass(frozen=True)
class ChurnAnalysis:
    """What the churn side produced.

    Attributes
    ----------
    exposure : Exposure
        Users and their exposures (with the adjustment columns among the labels).
    attribution : AttributionResult
        The attribution table.
    incremental : IncrementalValue or None
        What the text adds to a churn model, on a cut-off design.
    incremental_note : str or None
        Why the incremental value was not measured, when it was not.
    confounders : tuple of ConfounderFlag
        Themes whose effect vanishes within a segment.
    covariates : tuple of str
        The covariates of the models (the label file's and ``adjust_for``).
    warnings : tuple of RunWarning
        What a reader must know.
    """

    exposure: Exposure
    attribution: AttributionResult
    incremental: IncrementalValue | None
    incremental_note: str | None
    confounders: tuple[ConfounderFlag, ...]
    covariates: tuple[str, ...]
    warnings: tuple[RunWarning, ...]


def analyze_churn(
    docs: pd.DataFrame,
    mentions: pd.DataFrame,
    labels: ChurnLabels,
    taxonomy: Taxonomy,
    options: ChurnOptions | None = None,
) -> ChurnAnalysis:
    """Exposure, attribution, confounder checks and the incremental value of the text."""
    options = options or ChurnOptions()
    exposure = build_exposure(
        docs,
        mentions,
        labels,
        taxonomy.ids,
        rule=options.exposure_rule,
        neutral_band=options.neutral_band,
        window_days=options.window_days,
        undated=options.undated,
    )
    exposure, covariates = _adjusted(exposure, docs, labels, options.adjust_for)
    cutoff = choose_cutoff(labels)
    # the incremental value needs nothing the attribution computes
    measured: Beside[IncrementalValue | None] | None = None
    if options.beside and isinstance(cutoff, Cutoff):
        measured = Beside(
            _incremental, docs, mentions, labels, taxonomy, covariates, cutoff, options
        )
    with measured or nullcontext():
        attribution = attribute(
            exposure,
            taxonomy,
            covariates=covariates,
            survival=True,
            snapshot=labels.snapshot,
            tenure=(labels.tenure_col, labels.tenure_unit_days),
        )
        flags = _confounders(exposure, docs, taxonomy, attribution, covariates)
        if flags:
            attribution = _with_confounder_notes(attribution, flags)
        incremental: IncrementalValue | None = None
        if measured is not None:
            incremental = measured.result()
        elif isinstance(cutoff, Cutoff):
            incremental = _incremental(
                docs, mentions, labels, taxonomy, covariates, cutoff, options
            )
            # the cross-validated fits copied the users x features matrix many times over
            release_freed_memory()
    missing: NoCutoff | None = None
    if not isinstance(cutoff, Cutoff):
        missing = cutoff
    elif incremental is None:
        missing = NoCutoff(
            "too_few",
            "too few users at risk at the cut-off to compare models out of fold",
            {"date": str(cutoff.date.date())},
        )
    note = missing.message if missing else None
    warnings = _warnings(exposure, labels, covariates, attribution, flags, missing, taxonomy)
    return ChurnAnalysis(
        exposure, attribution, incremental, note, tuple(flags), covariates, warnings
    )


def _adjusted(
    exposure: Exposure, docs: pd.DataFrame, labels: ChurnLabels, wanted: Sequence[str]
) -> tuple[Exposure, tuple[str, ...]]:
    """The exposure with ``--adjust-for`` columns among its labels, and the covariates."""
    covariates = list(labels.covariates)
    frame = exposure.labels
    for name in wanted:
        doc_column = next((c for c in (name, f"meta:{name}") if c in docs.columns), None)
        if name in labels.frame.columns and name not in ("user_id", "churned", "churn_date"):
            if name not in covariates:
                values = labels.frame.set_index("user_id")[name]
                frame = frame.assign(
                    **{name: frame["user_id"].map(values).fillna(MISSING_LEVEL).astype(str)}
                )
                covariates.append(name)
        elif doc_column is not None:
            segments = user_segments(docs, pd.Index(frame["user_id"]), [doc_column])
            column = f"segment:{segment_label(doc_column)}"
            frame = frame.assign(**{column: segments[doc_column].to_numpy(dtype=object)})
            covariates.append(column)
        else:
            choices = sorted(
                {segment_label(c) for c in candidate_segments(docs)}
                | {c for c in labels.frame.columns if c not in ("user_id", "churned", "churn_date")}
            )
            raise LabelError(
                f"--adjust-for {name!r}: no such column in the label file or the feedback; "
                f"columns that can be adjusted for: {', '.join(choices) or '(none)'}."
            )
    return replace(exposure, labels=frame), tuple(covariates)


def _confounders(
    exposure: Exposure,
    docs: pd.DataFrame,
    taxonomy: Taxonomy,
    attribution: AttributionResult,
    covariates: tuple[str, ...],
) -> list[ConfounderFlag]:
    adjusted = [c.removeprefix("segment:") for c in covariates]
    columns = candidate_segments(docs, exclude=adjusted)
    if not columns:
        return []
    users = pd.Index(exposure.labels["user_id"])
    segments = user_segments(docs, users, columns)
    matrix = rolled_up(exposure.matrix, taxonomy).loc[users]
    churned = exposure.labels["churned"].to_numpy(dtype=int)
    return check_confounders(matrix, churned, segments, attribution.table)


def _with_confounder_notes(
    attribution: AttributionResult, flags: list[ConfounderFlag]
) -> AttributionResult:
    table = attribution.table.copy()
    for flag in flags:
        at = table["theme_id"] == flag.theme_id
        note = f"possible confounder: {segment_label(flag.segment)}"
        table.loc[at, "note"] = [
            "; ".join(filter(None, [str(n), note])) for n in table.loc[at, "note"]
        ]
    return replace(attribution, table=table)


def _incremental(
    docs: pd.DataFrame,
    mentions: pd.DataFrame,
    labels: ChurnLabels,
    taxonomy: Taxonomy,
    covariates: tuple[str, ...],
    cutoff: Cutoff,
    options: ChurnOptions,
) -> IncrementalValue | None:
    at_risk = outcome_after(labels, cutoff)
    # the features are made only for the users compared (all of them up to MAX_USERS)
    outcome = sample_at_risk(at_risk, seed=options.seed)
    label_covariates = tuple(c for c in covariates if c in outcome.columns)
    features = user_features(
        docs,
        mentions,
        taxonomy.ids,
        users=outcome["user_id"].tolist(),
        # feedback written before the cut-off day: texts of that day are already outcome time
        as_of=cutoff.date - pd.Timedelta(1, "ns"),
        dated_only=True,
        neutral_band=options.neutral_band,
    )
    return incremental_auc(
        outcome,
        features,
        label_covariates,
        seed=options.seed,
        cutoff=cutoff,
        at_risk=len(at_risk),
    )


def _warnings(
    exposure: Exposure,
    labels: ChurnLabels,
    covariates: tuple[str, ...],
    attribution: AttributionResult,
    flags: list[ConfounderFlag],
    missing: NoCutoff | None,
    taxonomy: Taxonomy,
) -> tuple[RunWarning, ...]:
    found: list[RunWarning] = []
    if exposure.docs_undated and exposure.undated_rule == "include":
        found.append(
            RunWarning(
                "undated_feedback",
                f"{exposure.docs_undated} of the texts of labelled users have no date; they are "
                "counted as written before churn, which may count texts written after it. Give "
                "the time column with --time-col, or leave them out with --undated exclude.",
                {"n": exposure.docs_undated},
            )
        )
    if not covariates:
        found.append(
            RunWarning(
                "no_covariates",
                f"{labels.file} has no column besides the user id, churn and its date: the odds "
                "ratios are adjusted for the themes only, and the churn model's value is "
                "compared with chance. Add tenure, plan or spend columns to adjust for them.",
                {"file": labels.file},
            )
        )
    if attribution.penalised:
        reasons = {
            f.note
            for f in (attribution.model, *attribution.child_models.values())
            if f is not None and f.penalised and f.note
        }
        found.append(
            RunWarning(
                "penalised_fit",
                "Firth's penalised likelihood was used ("
                + "; ".join(sorted(reasons))
                + "); intervals and p-values come from its likelihood profile.",
                {"reasons": sorted(reasons)},
            )
        )
    names = {t.id: t.name for t in taxonomy.themes}
    for flag in flags:
        found.append(
            RunWarning(
                "possible_confounder",
                flag.message(names[flag.theme_id]),
                {
                    "theme": names[flag.theme_id],
                    "segment": segment_label(flag.segment),
                    "odds_ratio": flag.odds_ratio,
                    "within": flag.within_odds_ratio,
                    "low": flag.within_ci_low,
                    "high": flag.within_ci_high,
                },
            )
        )
    if missing is not None:
        found.append(
            RunWarning(
                "incremental_not_measured",
                f"The text's value for a churn model was not measured: {missing.message}.",
                {"kind": missing.kind, **missing.values},
            )
        )
    return tuple(found)
