"""Score metrics of survey ratings: NPS, mean, top-two-box, and which one a column calls for.

Each metric is the mean of a per-answer *contribution*, so that "the score
without these answers" and bootstrap resamples are weighted means, and a
regression of the contribution on the themes gives points of the metric:

- ``nps`` (0-10 recommendation scales): promoters (9-10) count +100,
  detractors (0-6) -100, passives 0: the NPS in points.
- ``mean``: the rating itself (stars, 1-5 or 1-7 satisfaction).
- ``top2box``: 100 for the top two values of the scale, else 0: the share of
  satisfied answers in percent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from ..errors import FeedbackMinerError, invalid_choice_message

__all__ = ["METRICS", "Metric", "ScoreMetric", "choose_metric", "contributions"]

Metric = Literal["nps", "mean", "top2box"]
METRICS: tuple[str, ...] = ("nps", "mean", "top2box")
_NPS_NAME = re.compile(r"推荐|nps|recommend|净推荐", re.I)
_SATISFACTION_NAME = re.compile(r"满意|csat|satisf", re.I)


@dataclass(frozen=True)
class ScoreMetric:
    """A metric on a scale.

    Attributes
    ----------
    name : {"nps", "mean", "top2box"}
        The metric.
    low, high : float
        The scale's ends (0-10 for NPS).
    why : str
        How it was chosen, for the message and the method sheet.
    """

    name: Metric
    low: float
    high: float
    why: str

    @property
    def unit(self) -> str:
        """What a difference of the metric is counted in."""
        return {"nps": "NPS points", "mean": "points of the mean", "top2box": "percentage points"}[
            self.name
        ]


def choose_metric(values: pd.Series, column: str, wanted: str | None = None) -> ScoreMetric:
    """The metric for a rating column: ``wanted``, or from its scale and name.

    0-10 scales (or a recommendation question) give NPS; 1-5/1-7 satisfaction
    columns the top-two-box share; other scales the mean.

    Raises
    ------
    FeedbackMinerError
        When ``wanted`` is not a metric, the column holds no numbers, or is 0/1.
    """
    numbers = pd.to_numeric(values, errors="coerce").dropna()
    if numbers.empty:
        raise FeedbackMinerError(
            f"--score-col {column!r} holds no numbers; name a column of ratings (NPS 0-10, "
            "满意度 1-5, stars)."
        )
    low, high = float(numbers.min()), float(numbers.max())
    if set(numbers.unique()) <= {0.0, 1.0}:
        raise FeedbackMinerError(
            f"--score-col {column!r} holds only 0 and 1: that is a yes/no answer, not a rating "
            "scale. Name a column of ratings (NPS 0-10, 满意度 1-5, stars)."
        )
    if wanted is not None:
        if wanted not in METRICS:
            raise FeedbackMinerError(invalid_choice_message("--score-metric", wanted, METRICS))
        name: Metric = "nps" if wanted == "nps" else "top2box" if wanted == "top2box" else "mean"
        scale_high = 10.0 if name == "nps" else max(high, 5.0)
        return ScoreMetric(
            name, 0.0 if name == "nps" else min(low, 1.0), scale_high, "--score-metric"
        )
    if high > 7 or _NPS_NAME.search(column):
        return ScoreMetric(
            "nps", 0.0, 10.0, "a 0-10 scale" if high > 7 else "a recommendation question"
        )
    scale_high = 7.0 if high > 5 else 5.0
    if _SATISFACTION_NAME.search(column):
        return ScoreMetric("top2box", 1.0, scale_high, "a satisfaction scale")
    return ScoreMetric("mean", 1.0, scale_high, f"a 1-{scale_high:g} scale")


def contributions(values: np.ndarray, metric: ScoreMetric) -> np.ndarray:
    """Each answer's contribution to the metric (NaN where there is no rating)."""
    v = np.asarray(values, dtype=float)
    if metric.name == "nps":
        out = np.where(v >= 9, 100.0, np.where(v <= 6, -100.0, 0.0))
    elif metric.name == "top2box":
        out = np.where(v >= metric.high - 1, 100.0, 0.0)
    else:
        out = v.copy()
    return np.where(np.isnan(v), np.nan, out)
