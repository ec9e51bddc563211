"""Joining themes to churn labels, and how much each reason weighs in churn."""

from .exposure import Exposure, ExposureRule, build_exposure
from .incremental import IncrementalValue, incremental_auc
from .labels import ChurnLabels, load_labels, parse_churn_value
from .model import LogisticFit, design_matrix, fit_logistic
from .stats import (
    ATTRIBUTION_COLUMNS,
    QUADRANTS,
    AttributionResult,
    attribute,
    key_driver_quadrants,
)

__all__ = [
    "ATTRIBUTION_COLUMNS",
    "QUADRANTS",
    "AttributionResult",
    "ChurnLabels",
    "Exposure",
    "ExposureRule",
    "IncrementalValue",
    "LogisticFit",
    "attribute",
    "build_exposure",
    "design_matrix",
    "fit_logistic",
    "incremental_auc",
    "key_driver_quadrants",
    "load_labels",
    "parse_churn_value",
]
