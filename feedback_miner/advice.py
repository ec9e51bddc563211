"""Warnings of a run: what a reader must know to read its results right.

They travel with the result (:class:`~feedback_miner.result.AnalysisResult`),
are printed by the command line, listed by the report, and written to the run
summary (``analyze --summary``) for scripts and monitoring.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["WARNING_CODES", "RunWarning"]

WARNING_CODES = (
    "undated_feedback",
    "no_covariates",
    "penalised_fit",
    "possible_confounder",
    "low_coverage",
    "incremental_not_measured",
)


@dataclass(frozen=True)
class RunWarning:
    """One warning.

    Attributes
    ----------
    code : str
        Stable, one of :data:`WARNING_CODES`.
    message : str
        What it means and what to do, in words (English; the report words it
        in its own language from ``code`` and ``values``).
    values : dict
        The figures and names the message quotes.
    """

    code: str
    message: str
    values: dict[str, object] = field(default_factory=dict)
