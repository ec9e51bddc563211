"""What the upload page shows of a finished run: the key figures and the top reasons.

Written as ``overview.json`` beside the job's other outputs, so that the page
shows the result at once, without opening the workbook.
"""

from __future__ import annotations

from typing import Any

from ..report.i18n import CHURN_TYPE_NAMES
from ..result import AnalysisResult

__all__ = ["TOP_REASONS", "page_overview"]

TOP_REASONS = 8


def _number(value: object) -> float | None:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if number != number else number


def page_overview(result: AnalysisResult) -> dict[str, Any]:
    """Key figures and up to :data:`TOP_REASONS` top-level reasons, JSON-ready.

    With churn labels the reasons are ranked by the share of churn they account
    for (``impact``), with their adjusted odds ratio and certainty; without,
    by negative mentions.
    """
    docs = result.docs
    counts = result.summary.sentiment_counts if result.summary is not None else {}
    figures: dict[str, Any] = {
        "documents": len(docs),
        "users": int(docs["user_id"].dropna().nunique()),
        "negative_share": counts.get("negative", 0) / max(len(docs), 1),
        "rejected": len(result.rejects),
        "taxonomy": result.taxonomy.name,
    }
    reasons: list[dict[str, Any]] = []
    attribution = result.attribution
    if attribution is not None:
        figures["labelled_users"] = attribution.n_users
        figures["churn_rate"] = attribution.n_churned / max(attribution.n_users, 1)
        table = attribution.table
        top = table[table["parent_id"] == ""].dropna(subset=["impact"]).head(TOP_REASONS)
        for row in top.to_dict("records"):
            reasons.append(
                {
                    "theme": row["theme_name"],
                    "users": int(row["n_users"]),
                    "impact": _number(row["impact"]),
                    "odds_ratio": _number(row["odds_ratio"]),
                    "ci_low": _number(row["ci_low"]),
                    "ci_high": _number(row["ci_high"]),
                    "certainty": row["certainty"],
                    "churn_type": CHURN_TYPE_NAMES.get(str(row["churn_type"] or ""), ""),
                }
            )
    elif result.summary is not None:
        themes = result.summary.themes
        top = themes[(themes["depth"] == 0) & (themes["negative"] > 0)].head(TOP_REASONS)
        for row in top.to_dict("records"):
            reasons.append(
                {
                    "theme": row["theme_name"],
                    "mentions": int(row["mentions"]),
                    "negative": int(row["negative"]),
                    "churn_type": CHURN_TYPE_NAMES.get(str(row["churn_type"] or ""), ""),
                }
            )
    if result.incremental is not None:
        inc = result.incremental
        figures["auc"] = {
            "base": _number(inc.auc_covariates),
            "with_text": _number(inc.auc_with_text),
            "gain": _number(inc.delta),
            "ci_low": _number(inc.ci_low),
            "ci_high": _number(inc.ci_high),
        }
    return {
        "figures": figures,
        "reasons": reasons,
        "ranked_by": "impact" if attribution is not None else "negative",
    }
