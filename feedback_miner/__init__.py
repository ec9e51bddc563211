"""feedback-miner (流失原因挖掘): why customers leave, from what they write.

Reads Chinese survey exports, service tickets and social posts, scores
sentiment, finds churn-reason themes and ties them to churn labels.

Examples
--------
>>> from feedback_miner import analyze, LabelOptions          # doctest: +SKIP
>>> result = analyze(["survey.xlsx"], labels=LabelOptions(Path("churn.csv")))  # doctest: +SKIP
>>> result.attribution.table.head()                           # doctest: +SKIP
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [
    "AnalysisResult",
    "FeedbackMinerError",
    "IngestOptions",
    "LabelOptions",
    "SentimentScorer",
    "Taxonomy",
    "ThemeMatcher",
    "__version__",
    "analyze",
    "build_report",
    "load_taxonomy",
]

if TYPE_CHECKING:
    from .errors import FeedbackMinerError
    from .ingest import IngestOptions
    from .pipeline import analyze
    from .report import build_report
    from .result import AnalysisResult, LabelOptions
    from .sentiment import SentimentScorer
    from .themes import Taxonomy, ThemeMatcher, load_taxonomy

_LAZY = {
    "AnalysisResult": "result",
    "LabelOptions": "result",
    "analyze": "pipeline",
    "FeedbackMinerError": "errors",
    "IngestOptions": "ingest",
    "build_report": "report",
    "SentimentScorer": "sentiment",
    "Taxonomy": "themes",
    "ThemeMatcher": "themes",
    "load_taxonomy": "themes",
}


def __getattr__(name: str) -> Any:
    # Import on first use: `import feedback_miner` stays cheap and does no work.
    if name in _LAZY:
        from importlib import import_module

        return getattr(import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
