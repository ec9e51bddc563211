"""Shared look of the report's sheets."""

from __future__ import annotations

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

__all__ = ["BOLD", "PERCENT", "TITLE", "WRAP", "header_style"]

TITLE = Font(bold=True, size=14)
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
PERCENT = "0.0%"
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def header_style(sheet: Worksheet, row: int, n_columns: int) -> None:
    """Bold, shaded header cells in ``row``, columns 1 to ``n_columns``."""
    for j in range(1, n_columns + 1):
        cell = sheet.cell(row=row, column=j)
        cell.font = BOLD
        cell.fill = _HEADER_FILL
