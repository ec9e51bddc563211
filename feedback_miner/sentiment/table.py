"""Scoring a text column of a table: the ``sentiment`` command's work, for any caller."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from ..text import mask_pii
from .rules import label_score
from .scorer import SentimentScorer

__all__ = ["score_table"]

_BATCH_ROWS = 5000


def score_table(
    frame: pd.DataFrame,
    texts: Sequence[str],
    scorer: SentimentScorer,
    *,
    on_progress: Callable[[int], None] | None = None,
) -> pd.DataFrame:
    """``frame`` with ``sentiment_score`` and ``sentiment_label`` added to every row.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table; its rows and columns are kept as they are, in order.
    texts : sequence of str
        The text of each row of ``frame`` ("" for none).
    scorer : SentimentScorer
        A fitted scorer.
    on_progress : callable, optional
        Called with the number of rows of each batch scored.

    Returns
    -------
    pandas.DataFrame
        A copy of ``frame`` with personal data masked in every text cell (as
        ingest masks it: the output is as safe to share as the docs table);
        the score is empty (``<NA>``) and the label ``None`` for empty texts.

    Examples
    --------
    >>> scorer = SentimentScorer().fit()
    >>> table = pd.DataFrame({"评价": ["客服太差了！", ""]})
    >>> score_table(table, ["客服太差了！", ""], scorer)["sentiment_label"].tolist()
    ['negative', None]
    """
    scores: list[float] = []
    for start in range(0, len(texts), _BATCH_ROWS):
        batch = list(texts[start : start + _BATCH_ROWS])
        scores.extend(scorer.transform(batch)[:, 0].tolist())
        if on_progress:
            on_progress(len(batch))
    empty = [not t.strip() for t in texts]
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object:
            out[column] = out[column].map(lambda v: mask_pii(v) if isinstance(v, str) else v)
    out["sentiment_score"] = pd.array(
        [None if e or np.isnan(s) else s for s, e in zip(scores, empty, strict=True)],
        dtype="Float64",
    )
    out["sentiment_label"] = [
        None if e or np.isnan(s) else label_score(s, neutral_band=scorer.neutral_band)
        for s, e in zip(scores, empty, strict=True)
    ]
    return out
