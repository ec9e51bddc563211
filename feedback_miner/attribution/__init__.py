"""Joining themes to churn labels, and how much each reason weighs in churn."""

from .exposure import Exposure, ExposureRule, build_exposure
from .labels import ChurnLabels, load_labels, parse_churn_value
from .model import LogisticFit, design_matrix, fit_logistic
from .stats import ATTRIBUTION_COLUMNS, AttributionResult, attribute

__all__ = [
    "ATTRIBUTION_COLUMNS",
    "AttributionResult",
    "ChurnLabels",
    "Exposure",
    "ExposureRule",
    "LogisticFit",
    "attribute",
    "build_exposure",
    "design_matrix",
    "fit_logistic",
    "load_labels",
    "parse_churn_value",
]
