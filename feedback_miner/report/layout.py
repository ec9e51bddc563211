"""Where things are in the workbook: sheet titles and the rows that link to each other.

The reasons sheet links each theme to its first quote, and every quote links
back to its theme's row; both sheets are streamed, so the rows are fixed
before either is written.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..result import AnalysisResult
from ..summary import Summary
from .cells import quote_sheet_title
from .i18n import SHEET_KEYS, Labels, sheet_names

__all__ = ["FIRST_ROW", "Layout", "reason_order"]

# tables start with a note in row 1, a header in row 3 and data from row 4
FIRST_ROW = 4


def reason_order(result: AnalysisResult, summary: Summary) -> list[str]:
    """The themes the reasons sheet lists, top to bottom: those with mentions, each
    theme's sub-themes beneath it (:attr:`Summary.reason_order`); with attribution,
    those of its table."""
    if result.attribution is None:
        return list(summary.reason_order)
    modelled = set(result.attribution.table["theme_id"])
    return [t for t in summary.reason_order if t in modelled]


@dataclass(frozen=True)
class Layout:
    """Sheet titles in the report's language, and the rows of reasons and quotes.

    Attributes
    ----------
    names : tuple of str
        Sheet titles in order.
    reason_rows : dict
        Theme id -> its row on the reasons sheet.
    quote_rows : dict
        Theme id -> the row of its first quote on the quotes sheet.
    """

    names: tuple[str, ...]
    reason_rows: dict[str, int]
    quote_rows: dict[str, int]

    @classmethod
    def of(cls, result: AnalysisResult, summary: Summary, t: Labels) -> Layout:
        """The layout of ``result``'s report (``summary`` is ``result.summary``)."""
        order = reason_order(result, summary)
        quote_rows: dict[str, int] = {}
        for i, theme_id in enumerate(summary.quotes["theme_id"]):
            quote_rows.setdefault(theme_id, FIRST_ROW + i)
        return cls(
            names=sheet_names(t.lang),
            reason_rows={theme_id: FIRST_ROW + i for i, theme_id in enumerate(order)},
            quote_rows=quote_rows,
        )

    def title(self, sheet: str) -> str:
        """The title of the sheet with key ``sheet`` (see :data:`~.i18n.SHEET_KEYS`)."""
        return self.names[SHEET_KEYS.index(sheet)]

    def link(self, sheet: str, row: int, column: str = "A") -> str:
        """The in-workbook link target of a cell on the sheet with key ``sheet``."""
        return f"{quote_sheet_title(self.title(sheet))}!{column}{row}"
