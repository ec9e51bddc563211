"""Emerging themes: topics among the complaints the taxonomy does not cover."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import FeedbackMinerError
from ..sentiment import SentimentScorer
from ..text import ChineseTokenizer
from ..text.boilerplate import find_boilerplate, known_handles
from ..text.entities import EntityFinder
from ..themes.discover import MIN_TEXTS, Discovery, discover_topics
from ..themes.reasons import reason_text
from ..themes.vocabulary import ReasonVocabulary

__all__ = ["EmergingThemes", "Uncovered", "emerging_among", "emerging_themes", "uncovered_texts"]

logger = logging.getLogger(__name__)

# discovery runs on at most this many uncovered complaints (a seeded sample)
MAX_TEXTS = 5000
# and looks for complaints in at most this many uncovered texts (a seeded sample)
MAX_SCORED = 100_000
_MIN_CHARS = 6


@dataclass(frozen=True)
class EmergingThemes:
    """What discovery proposed, or why it did not run.

    Attributes
    ----------
    uncovered : int
        Uncovered texts of at least six characters with a complaint: negative
        documents, and with a scorer the negative clauses of mixed ones (and
        only negative documents with a negative clause). With ``all_texts``:
        every text of six characters or more.
    used : int
        How many of them discovery read (a seeded sample of at most 5,000).
    discovery : Discovery or None
        The topics, when there were enough texts.
    reason : str
        Why there is no discovery: ``too_few`` complaints (fewer than 20), or
        ``no_topics`` (no topic is shared by enough of them); empty when there is one.
    rows : tuple of int
        The position in ``docs`` of each text read, in the order of
        ``discovery.assignments``.
    texts : tuple of str
        What was read of each of them (a mixed text's negative clauses).
    message : str
        Why there is no discovery, in words.
    """

    uncovered: int
    used: int
    discovery: Discovery | None
    reason: str = ""
    rows: tuple[int, ...] = ()
    texts: tuple[str, ...] = ()
    message: str = ""


def emerging_themes(
    docs: pd.DataFrame,
    *,
    seed: int = 0,
    scorer: SentimentScorer | None = None,
    k: int | str = "auto",
    all_texts: bool = False,
    names: Sequence[str] = (),
) -> EmergingThemes:
    """Run topic discovery on the complaints that no theme matched.

    The report's 新主题 sheet and ``themes discover`` both call this on the
    analysis's documents, so that they propose the same topics.

    Parameters
    ----------
    docs : pandas.DataFrame
        The docs table (``text``, ``themes``, ``sentiment_label``).
    seed : int
        Seed of the sample and of discovery.
    scorer : SentimentScorer, optional
        A fitted scorer: the negative clauses of uncovered documents that are
        not negative as a whole are read too, and negative documents none of
        whose clauses complains are not, as ``themes discover`` does.
    k : int or "auto"
        Number of topics (see :func:`~feedback_miner.themes.discover.discover_topics`).
    all_texts : bool
        Read every text whole, covered or not (``themes discover --all``).
    names : sequence of str
        Names to keep out of topics besides the built-in organisations (the
        taxonomy's competitors).

    Examples
    --------
    >>> emerging_themes(pd.DataFrame({"text": ["太卡了"], "themes": [""],
    ...     "sentiment_label": ["negative"]})).reason
    'too_few'
    """
    chosen = uncovered_texts(docs, seed=seed, scored=scorer is not None, all_texts=all_texts)
    return emerging_among(chosen, seed=seed, scorer=scorer, k=k, names=names)


@dataclass(frozen=True)
class Uncovered:
    """The texts emerging themes look for complaints in (see :func:`uncovered_texts`).

    Attributes
    ----------
    rows : tuple of int
        Their positions in the docs table.
    texts : tuple of str
        The texts.
    negative : tuple of bool
        Whether each is negative as a whole.
    all_texts : bool
        Whether every text was chosen, covered or not (each read whole).
    """

    rows: tuple[int, ...]
    texts: tuple[str, ...]
    negative: tuple[bool, ...]
    all_texts: bool = False


def uncovered_texts(
    docs: pd.DataFrame, *, seed: int = 0, scored: bool = True, all_texts: bool = False
) -> Uncovered:
    """The texts of ``docs`` that emerging themes read: no theme, six characters or more,
    and negative unless ``scored`` (a scorer will find their negative clauses); every text
    of six characters or more with ``all_texts``. At most :data:`MAX_SCORED`, a seeded sample.

    Examples
    --------
    >>> uncovered_texts(pd.DataFrame({"text": ["送餐太慢了等了很久", "好"], "themes": ["", ""],
    ...     "sentiment_label": ["negative", "positive"]}))
    Uncovered(rows=(0,), texts=('送餐太慢了等了很久',), negative=(True,), all_texts=False)
    """
    column = docs["text"]
    text: np.ndarray | None = None
    if isinstance(column.dtype, pd.StringDtype):
        # each value a string or missing: lengths are counted in the column (Arrow's, for an
        # analysis's docs), and only the texts read below become Python strings
        long_enough = column.str.len().fillna(0).to_numpy(dtype=np.int64) >= _MIN_CHARS
    else:
        text = column.fillna("").astype(str).to_numpy()
        long_enough = np.array([len(t) >= _MIN_CHARS for t in text], dtype=bool)
    negative = (docs["sentiment_label"] == "negative").to_numpy()
    if all_texts:
        wanted = long_enough
    else:
        open_docs = (docs["themes"].fillna("") == "").to_numpy() & long_enough
        wanted = open_docs & (negative | scored)
    positions = np.flatnonzero(wanted)
    if len(positions) > MAX_SCORED:
        positions = np.sort(
            np.random.default_rng(seed).choice(positions, MAX_SCORED, replace=False)
        )
    values = (
        column.iloc[positions].fillna("").astype(str).to_numpy()
        if text is None
        else text[positions]
    )
    return Uncovered(
        tuple(positions.tolist()),
        tuple(values.tolist()),
        tuple(negative[positions].tolist()),
        all_texts=all_texts,
    )


def emerging_among(
    chosen: Uncovered,
    *,
    seed: int = 0,
    scorer: SentimentScorer | None = None,
    k: int | str = "auto",
    names: Sequence[str] = (),
    jobs: int = 1,
) -> EmergingThemes:
    """:func:`emerging_themes` on the texts :func:`uncovered_texts` ``chosen``: this part
    reads no table, so it can run in a process of its own (see
    :class:`~feedback_miner.beside.Beside`). With ``jobs`` of 2 or more, discovery's
    search for k takes a second process (see
    :func:`~feedback_miner.themes.discover.discover_topics`); the result is the same."""
    all_texts = chosen.all_texts
    complaints: list[tuple[int, str, bool]] = []
    for position, value, is_negative in zip(
        chosen.rows, chosen.texts, chosen.negative, strict=True
    ):
        if all_texts or scorer is None:
            complaints.append((position, value, is_negative if all_texts else True))
            continue
        complaint = reason_text(value, scorer, negative=is_negative)
        if len(complaint.text) >= _MIN_CHARS:
            complaints.append((position, complaint.text, complaint.negative))
    uncovered = len(complaints)
    if uncovered > MAX_TEXTS:
        rng = np.random.default_rng(seed)
        complaints = [
            complaints[i] for i in np.sort(rng.choice(uncovered, MAX_TEXTS, replace=False))
        ]
    rows = tuple(p for p, _, _ in complaints)
    read = [c for _, c, _ in complaints]
    flags = [f for _, _, f in complaints]
    finder = EntityFinder(
        names=names, handles=known_handles(read), boilerplate=find_boilerplate(read)
    )
    try:
        discovery = discover_topics(
            read,
            k=k,
            seed=seed,
            negative=flags,
            vocabulary=ReasonVocabulary(ChineseTokenizer(), finder=finder),
            jobs=jobs,
        )
    except FeedbackMinerError as error:
        logger.info("no emerging themes: %s", error)
        reason = "too_few" if len(read) < MIN_TEXTS else "no_topics"
        return EmergingThemes(uncovered, len(read), None, reason, rows, tuple(read), str(error))
    return EmergingThemes(uncovered, len(read), discovery, "", rows, tuple(read))
