"""Joining themes to churn labels, and how much each reason weighs in churn."""

from .confounders import ConfounderFlag, check_confounders, user_segments
from .exposure import Exposure, ExposureRule, UndatedRule, build_exposure
from .incremental import Cutoff, IncrementalValue, choose_cutoff, incremental_auc, outcome_after
from .labels import ChurnLabels, load_labels, parse_churn_value
from .model import LogisticFit, design_matrix, fit_logistic
from .run import ChurnAnalysis, ChurnOptions, analyze_churn
from .stats import (
    ATTRIBUTION_COLUMNS,
    CERTAINTY,
    QUADRANTS,
    AttributionResult,
    attribute,
    certainty,
    key_driver_quadrants,
    quadrant_cuts,
    rolled_up,
)

__all__ = [
    "ATTRIBUTION_COLUMNS",
    "CERTAINTY",
    "QUADRANTS",
    "AttributionResult",
    "ChurnAnalysis",
    "ChurnLabels",
    "ChurnOptions",
    "ConfounderFlag",
    "Cutoff",
    "Exposure",
    "ExposureRule",
    "IncrementalValue",
    "LogisticFit",
    "UndatedRule",
    "analyze_churn",
    "attribute",
    "build_exposure",
    "certainty",
    "check_confounders",
    "choose_cutoff",
    "design_matrix",
    "fit_logistic",
    "incremental_auc",
    "key_driver_quadrants",
    "load_labels",
    "outcome_after",
    "parse_churn_value",
    "quadrant_cuts",
    "rolled_up",
    "user_segments",
]
