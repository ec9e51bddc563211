"""Ratings as labels: the extremes of a 1-5 or 0-10 score are negative or positive."""

from __future__ import annotations

from typing import Literal

import numpy as np

from ..errors import FeedbackMinerError

__all__ = ["labels_from_ratings", "rating_scale"]


def rating_scale(ratings: np.ndarray) -> Literal["1-5", "0-10"] | None:
    """The scale of a set of ratings: ``"1-5"``, ``"0-10"``, or ``None`` when on neither
    (or only 0 and 1: a yes/no answer).

    Examples
    --------
    >>> rating_scale(np.array([1.0, 4.0])), rating_scale(np.array([0.0, 9.0]))
    ('1-5', '0-10')
    >>> rating_scale(np.array([0.0, 1.0, 1.0])) is None
    True
    """
    present = ratings[~np.isnan(ratings)]
    if present.size == 0:
        return None
    low, high = present.min(), present.max()
    if set(np.unique(present)) == {0.0, 1.0}:
        return None  # yes/no, not a score
    if low >= 1 and high <= 5:
        return "1-5"
    if low >= 0 and high <= 10:
        return "0-10"
    return None


def labels_from_ratings(ratings: np.ndarray, groups: np.ndarray | None = None) -> np.ndarray:
    """Negative (0), positive (1) or unknown (nan) from a rating's extremes.

    A 1-5 scale (CSAT, stars): 1-2 negative, 4-5 positive. A 0-10 scale (NPS):
    0-6 negative (detractors), 9-10 positive (promoters). Middle scores and
    missing ratings are unknown. With ``groups`` (one value per rating, e.g.
    the input file), each group's scale is decided on its own ratings: a
    survey's NPS and a ticket system's CSAT can be read together.

    Raises
    ------
    FeedbackMinerError
        When the ratings (of a group) are on neither scale.

    Examples
    --------
    >>> labels_from_ratings(np.array([1, 3, 5, np.nan])).tolist()
    [0.0, nan, 1.0, nan]
    >>> labels_from_ratings(np.array([9.0, 5.0, 5.0]), groups=np.array([0, 0, 1])).tolist()
    [1.0, 0.0, 1.0]
    """
    values = np.asarray(ratings, dtype=float)
    out = np.full(values.shape, np.nan)
    keys = np.zeros(len(values), dtype=int) if groups is None else np.asarray(groups)
    if np.isnan(values).all():
        raise FeedbackMinerError(
            "the rating column is empty; it needs scores such as 1-5 stars or NPS 0-10."
        )
    for key in dict.fromkeys(keys.tolist()):
        rows = keys == key
        part = values[rows]
        if np.isnan(part).all():
            continue
        scale = rating_scale(part)
        present = part[~np.isnan(part)]
        if set(np.unique(present)) == {0.0, 1.0}:
            raise FeedbackMinerError(
                "the ratings are only 0 and 1: that is a yes/no answer, not a score. "
                "Use a 1-5 score (CSAT, stars) or 0-10 (NPS), or leave the rating out."
            )
        if scale is None:
            raise FeedbackMinerError(
                f"the ratings range from {present.min():g} to {present.max():g}; "
                "use a 1-5 score (CSAT, stars) or 0-10 (NPS)."
            )
        low, high = (2, 4) if scale == "1-5" else (6, 9)
        labels = np.full(part.shape, np.nan)
        labels[part <= low] = 0.0
        labels[part >= high] = 1.0
        out[rows] = labels
    return out
