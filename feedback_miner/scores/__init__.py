"""Survey scores: what drags them down (score drivers), and the metric of a rating column."""

from .drivers import DRIVER_COLUMNS, ScoreDrivers, score_drivers, theme_matrix
from .metrics import METRICS, Metric, ScoreMetric, choose_metric, contributions
from .run import ScoreAnalysis, ScoreOptions, analyze_scores
from .source import ScoreSource, score_values

__all__ = [
    "DRIVER_COLUMNS",
    "METRICS",
    "Metric",
    "ScoreAnalysis",
    "ScoreDrivers",
    "ScoreMetric",
    "ScoreOptions",
    "ScoreSource",
    "analyze_scores",
    "choose_metric",
    "contributions",
    "score_drivers",
    "score_values",
    "theme_matrix",
]
