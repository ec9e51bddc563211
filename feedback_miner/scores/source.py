"""Which rating the score drivers read: a named column, or the inputs' detected rating.

Inputs can carry different scales (an NPS question in a survey, a 1-5
satisfaction field in tickets): the drivers read one column of one kind, so
the documents of the other inputs are left out, and the choice is said.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import FeedbackMinerError
from ..ingest import FileSummary

__all__ = ["ScoreSource", "doc_files", "score_values"]

_NUMBER = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*(?:分|星|颗星|points?|stars?)?\s*$", re.I)


@dataclass(frozen=True)
class ScoreSource:
    """Per document, its rating (NaN when it has none), and where it came from."""

    values: np.ndarray
    column: str
    files: tuple[str, ...]

    @property
    def rated(self) -> int:
        """Documents with a rating."""
        return int(np.isfinite(self.values).sum())


def doc_files(doc_ids: pd.Series, files: Sequence[FileSummary]) -> np.ndarray:
    """The input (position in ``files``) of each document, -1 when it cannot be told.

    A doc id is ``<file stem>:<row or id>``, with ``#<position>`` at the end
    when several inputs share a stem.
    """
    by_stem: dict[str, int] = {}
    for i, summary in enumerate(files):
        stem = summary.file.replace("\\", "/").rsplit("/", 1)[-1].rsplit(".", 1)[0]
        by_stem.setdefault(stem, i)
    out = np.full(len(doc_ids), -1, dtype=np.int64)
    for i, doc_id in enumerate(doc_ids.astype(str)):
        head, _, tail = doc_id.rpartition("#")
        if head and tail.isdigit() and ":" in head:
            out[i] = int(tail) - 1
        else:
            out[i] = by_stem.get(doc_id.split(":", 1)[0], -1)
    return out


def score_values(
    docs: pd.DataFrame, files: Sequence[FileSummary], column: str | None = None
) -> ScoreSource | None:
    """The rating of each document, from ``column`` or the detected rating column.

    With ``column``: the inputs whose detected rating is that column give the
    docs' ``rating``; otherwise its ``meta:`` column is read (``4分`` is 4).
    Without: the detected rating column of the input with the most rated
    documents (others with the same column name join it). ``None`` when no
    input has a rating.

    Raises
    ------
    FeedbackMinerError
        When ``column`` is in no input.
    """
    which = doc_files(docs["doc_id"], files)
    rating = pd.to_numeric(docs.get("rating", pd.Series(np.nan, index=docs.index)), errors="coerce")
    rating_values = rating.to_numpy(dtype=float)
    if column is None:
        counts: dict[str, int] = {}
        for i, summary in enumerate(files):
            if summary.roles.rating:
                rated = int(np.isfinite(rating_values[which == i]).sum())
                counts[summary.roles.rating] = counts.get(summary.roles.rating, 0) + rated
        if not counts or max(counts.values()) == 0:
            return None
        column = max(counts, key=lambda c: (counts[c], c))
    chosen = [i for i, f in enumerate(files) if f.roles.rating == column]
    if chosen:
        keep = np.isin(which, chosen)
        values = np.where(keep, rating_values, np.nan)
        return ScoreSource(values, column, tuple(files[i].file for i in chosen))
    meta = f"meta:{column}"
    if meta not in docs.columns:
        seen = sorted(
            {f.roles.rating for f in files if f.roles.rating}
            | {c.removeprefix("meta:") for c in docs.columns if str(c).startswith("meta:")}
        )
        raise FeedbackMinerError(
            f"--score-col {column!r} is not a column of the inputs; the columns that can be "
            f"scores: {', '.join(seen) or '(none)'}."
        )
    values = docs[meta].map(_number).to_numpy(dtype=float)
    present = sorted({files[i].file for i in set(which[np.isfinite(values)]) if i >= 0})
    return ScoreSource(values, column, tuple(present))


def _number(value: object) -> float:
    """A rating written as a number, ``4分`` or ``4 stars``; NaN otherwise."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if not isinstance(value, str):
        return float("nan")
    found = _NUMBER.match(value)
    return float(found.group(1)) if found else float("nan")
