"""RFM: recency, frequency and monetary scores in quintiles, and the eight classic segments.

Scores run 1-5, 5 the best (the most recent, the most frequent, the most
spent). A user's score is the quintile of their percentile rank among all
users, ties sharing a rank (so equal values always get equal scores):
``score = ceil(5 x average-rank / n)``. A dimension is *high* when its score
is 3 or more. The segments are the eight combinations of high and low:

======  =====  =====  ==============
R       F      M      segment
======  =====  =====  ==============
high    high   high   重要价值客户
high    low    high   重要发展客户
low     high   high   重要保持客户
low     low    high   重要挽留客户
high    high   low    一般价值客户
high    low    low    一般发展客户
low     high   low    一般保持客户
low     low    low    一般挽留客户
======  =====  =====  ==============

Without an amount there is no M and no segment.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["SEGMENTS", "quintile_scores", "rfm_segments"]

SEGMENTS = {
    (True, True, True): "重要价值客户",
    (True, False, True): "重要发展客户",
    (False, True, True): "重要保持客户",
    (False, False, True): "重要挽留客户",
    (True, True, False): "一般价值客户",
    (True, False, False): "一般发展客户",
    (False, True, False): "一般保持客户",
    (False, False, False): "一般挽留客户",
}
_HIGH = 3


def quintile_scores(values: pd.Series, *, higher_is_better: bool = True) -> pd.Series:
    """1-5 scores by the quintile of each value's average rank (NaN stays NaN).

    Examples
    --------
    >>> quintile_scores(pd.Series([10, 20, 20, 30, 40])).tolist()
    [1.0, 3.0, 3.0, 4.0, 5.0]
    >>> quintile_scores(pd.Series([1, 2, 3, 4, 5]), higher_is_better=False).tolist()
    [5.0, 4.0, 3.0, 2.0, 1.0]
    """
    present = values.notna()
    ranks = (values if higher_is_better else -values).rank(method="average")
    n = int(present.sum())
    scores = pd.Series(
        np.ceil(5 * ranks.to_numpy(float) / max(n, 1)).clip(1, 5), index=values.index
    )
    return scores.where(present)


def rfm_segments(r: pd.Series, f: pd.Series, m: pd.Series) -> pd.Series:
    """The segment of each user from their three scores (None where M is missing)."""
    out = [
        SEGMENTS[(ri >= _HIGH, fi >= _HIGH, mi >= _HIGH)] if not np.isnan(mi) else None
        for ri, fi, mi in zip(r.to_numpy(float), f.to_numpy(float), m.to_numpy(float), strict=True)
    ]
    return pd.Series(out, index=r.index, dtype=object)
