"""The fixed column names of the output tables (DESIGN.md: "Output tables").

Scripts outside this repository read these tables by name; a column here
changes only with a note in CHANGELOG.md.
"""

from __future__ import annotations

__all__ = ["DOC_COLUMNS", "MENTION_COLUMNS", "MENTION_EXTRA_COLUMNS"]

# the docs table's fixed columns (DESIGN.md); the records' other columns follow
DOC_COLUMNS = (
    "doc_id",
    "user_id",
    "source",
    "created_at",
    "text",
    "sentiment_score",
    "sentiment_label",
    "themes",
)
# the mentions table's fixed columns, then the matched keywords (";"-joined) and how the
# mention was found (keyword or learned)
MENTION_COLUMNS = ("doc_id", "user_id", "theme_id", "sentiment_score", "evidence")
MENTION_EXTRA_COLUMNS = ("keywords", "method")
