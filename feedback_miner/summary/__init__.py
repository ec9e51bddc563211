"""Summaries of an analysis that the report shows: theme counts, quotes, trends,
segments, churn types, competitors and emerging themes.

They are computed once, in the analysis, so that the report only formats.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pandas as pd

from ..attribution import AttributionResult, ChurnLabels
from ..errors import FeedbackMinerError
from ..sentiment import SentimentScorer
from ..themes import Taxonomy
from .emerging import EmergingThemes, emerging_themes
from .quotes import QUOTE_COLUMNS, representative_quotes
from .segments import pick_segment_columns, segment_shares
from .themes import (
    CHURN_TYPES,
    THEME_SUMMARY_COLUMNS,
    churn_type_split,
    competitor_table,
    hierarchy_order,
    theme_summary,
)
from .trends import monthly_trends

__all__ = [
    "CHURN_TYPES",
    "QUOTE_COLUMNS",
    "THEME_SUMMARY_COLUMNS",
    "TOP_THEMES",
    "EmergingThemes",
    "Summary",
    "churn_type_split",
    "competitor_table",
    "emerging_themes",
    "hierarchy_order",
    "monthly_trends",
    "representative_quotes",
    "rolled_up_themes",
    "segment_shares",
    "summarize",
    "theme_summary",
]

TOP_THEMES = 6


@dataclass(frozen=True)
class Summary:
    """What the report shows besides the attribution table.

    Attributes
    ----------
    themes : pandas.DataFrame
        :func:`theme_summary` of every theme (parents' figures include their
        sub-themes), in the report's order: by impact when there is
        attribution, else by negative mentions, each theme's sub-themes
        beneath it; themes without mentions last.
    reason_order : tuple of str
        The themes the report lists, in that order: those with mentions.
    hidden_themes : tuple of str
        The themes without any mention, which the report names in one line.
    sentiment_counts : dict
        Documents per sentiment label (``negative``, ``neutral``, ``positive``,
        and ``unscored`` for empty texts).
    quotes : pandas.DataFrame
        :func:`representative_quotes`.
    top_themes : tuple of str
        The themes followed over time (at most six, first in ``themes``).
    trends : pandas.DataFrame or None
        :func:`monthly_trends` of ``top_themes``; ``None`` without dates.
    segments : dict
        Segment column -> :func:`segment_shares` of every theme.
    churn_types : pandas.DataFrame
        :func:`churn_type_split`.
    competitors : pandas.DataFrame
        :func:`competitor_table`.
    emerging : EmergingThemes
        Topics in the negative feedback no theme covers.
    """

    themes: pd.DataFrame
    reason_order: tuple[str, ...]
    hidden_themes: tuple[str, ...]
    sentiment_counts: dict[str, int]
    quotes: pd.DataFrame
    top_themes: tuple[str, ...]
    trends: pd.DataFrame | None
    segments: dict[str, pd.DataFrame]
    churn_types: pd.DataFrame
    competitors: pd.DataFrame
    emerging: EmergingThemes


def rolled_up_themes(themes: pd.Series, taxonomy: Taxonomy) -> pd.Series:
    """Each document's ``;``-joined themes with their parents added (each once).

    Examples
    --------
    >>> from feedback_miner.themes import load_taxonomy
    >>> rolled_up_themes(pd.Series(["billing", "", "price;billing"]), load_taxonomy()).tolist()
    ['billing;price', '', 'price;billing']
    """
    cache: dict[str, str] = {}

    def roll(value: object) -> str:
        joined = value if isinstance(value, str) else ""
        if joined not in cache:
            ids = [t for t in joined.split(";") if t]
            known = set(taxonomy.ids)
            extra = [a for t in ids if t in known for a in taxonomy.ancestors(t)]
            cache[joined] = ";".join(dict.fromkeys([*ids, *extra]))
        return cache[joined]

    return themes.map(roll)


def _reason_order(summary: pd.DataFrame, attribution: AttributionResult | None) -> list[str]:
    if attribution is not None:
        return list(attribution.table["theme_id"])
    ordered = summary.sort_values(
        ["negative", "mentions", "theme_id"], ascending=[False, False, True], kind="mergesort"
    )
    return list(ordered["theme_id"])


def summarize(
    docs: pd.DataFrame,
    mentions: pd.DataFrame,
    taxonomy: Taxonomy,
    *,
    labels: ChurnLabels | None = None,
    attribution: AttributionResult | None = None,
    segment_columns: Sequence[str] = (),
    neutral_band: float = 0.1,
    seed: int = 0,
    scorer: SentimentScorer | None = None,
    emerging: Callable[[], EmergingThemes] | None = None,
) -> Summary:
    """Compute every summary of :class:`Summary`.

    ``scorer`` (fitted) lets emerging themes read the negative clauses of mixed documents.
    ``emerging``, when given, gives the emerging themes instead (the same function's result,
    computed elsewhere: see :class:`~feedback_miner.beside.Beside`); it is called last.

    Raises
    ------
    FeedbackMinerError
        When a requested segment column is neither a docs column nor a column
        of the label file.
    """
    known = set(docs.columns) | (set(labels.frame.columns) if labels is not None else set())
    for column in segment_columns:
        if column not in known and f"meta:{column}" not in known:
            raise FeedbackMinerError(
                f"--segment-col {column}: no such column in the inputs or the label file; "
                f"the input columns are {', '.join(repr(c.removeprefix('meta:')) for c in docs.columns if c.startswith('meta:')) or '(none)'}."
            )
    requested = [c if c in known else f"meta:{c}" for c in segment_columns]
    summary = theme_summary(docs, mentions, taxonomy, neutral_band=neutral_band)
    ranked = _reason_order(summary, attribution)
    counts = summary.set_index("theme_id")["mentions"]
    mentioned = [t for t in ranked if counts[t] > 0]
    shown = hierarchy_order(taxonomy, mentioned)
    hidden = [t for t in taxonomy.ids if counts[t] == 0]
    order = [*shown, *hidden]
    summary = summary.set_index("theme_id").loc[order].reset_index()
    top = tuple(mentioned[:TOP_THEMES])
    labels_count = docs["sentiment_label"].fillna("unscored").value_counts()
    columns = pick_segment_columns(docs, labels, requested)
    # trends and segments count a sub-theme's documents for its parent too
    rolled = docs[
        [
            c
            for c in dict.fromkeys(["created_at", "sentiment_score", "user_id", *columns])
            if c in docs
        ]
    ].assign(themes=rolled_up_themes(docs["themes"], taxonomy))
    return Summary(
        themes=summary,
        reason_order=tuple(shown),
        hidden_themes=tuple(hidden),
        sentiment_counts={
            key: int(labels_count.get(key, 0))
            for key in ("negative", "neutral", "positive", "unscored")
        },
        quotes=representative_quotes(docs, mentions, shown, neutral_band=neutral_band, seed=seed),
        top_themes=top,
        trends=monthly_trends(rolled, top) if top else None,
        segments={c: segment_shares(rolled, mentioned, c, labels) for c in columns},
        churn_types=churn_type_split(docs, labels),
        competitors=competitor_table(docs, labels),
        emerging=emerging()
        if emerging is not None
        else emerging_themes(docs, seed=seed, scorer=scorer, names=taxonomy.competitors),
    )
