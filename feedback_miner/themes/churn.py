"""The churn type of a document (自然 / 主动 / 被动流失) from its theme mentions."""

from __future__ import annotations

from collections.abc import Sequence

from .matcher import Mention
from .taxonomy import Taxonomy

__all__ = ["document_churn_type"]


def document_churn_type(
    mentions: Sequence[Mention], taxonomy: Taxonomy, *, neutral_band: float = 0.1
) -> str:
    """``natural``, ``active``, ``passive`` or ``""`` when the text gives no churn reason.

    A reason is a negative mention, or any mention of a natural or passive
    theme (需求消失, 支付失败 are stated, rarely complained about). Of these,
    the most negative decides.

    Examples
    --------
    >>> from feedback_miner.themes import load_taxonomy
    >>> taxonomy = load_taxonomy()
    >>> document_churn_type([Mention("need_gone", 0.0, "工作忙没时间", ())], taxonomy)
    'natural'
    >>> document_churn_type([Mention("price", 0.6, "价格便宜", ())], taxonomy)
    ''
    """
    reasons = [
        (m.sentiment_score, taxonomy.theme(m.theme_id).churn_type)
        for m in mentions
        if m.sentiment_score <= -neutral_band or taxonomy.theme(m.theme_id).churn_type != "active"
    ]
    return min(reasons)[1] if reasons else ""
