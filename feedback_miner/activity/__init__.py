"""From activity logs to churn labels, RFM segments and an early-warning risk list."""

from .backtest import Backtest
from .events import Events, read_events
from .labels import LABEL_COLUMNS, ActivityLabels, labels_from_events
from .rfm import SEGMENTS, quintile_scores, rfm_segments
from .risk import RISK_COLUMNS, RiskResult, risk_list

__all__ = [
    "LABEL_COLUMNS",
    "RISK_COLUMNS",
    "SEGMENTS",
    "ActivityLabels",
    "Backtest",
    "Events",
    "RiskResult",
    "labels_from_events",
    "quintile_scores",
    "read_events",
    "rfm_segments",
    "risk_list",
]
