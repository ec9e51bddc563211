"""Shared look of the report's sheets."""

from __future__ import annotations

from openpyxl.styles import Alignment, Font, PatternFill

from .cells import CellStyle

__all__ = ["DATE", "HEADER", "PERCENT", "SECTION", "TITLE", "WRAP"]

PERCENT = "0.0%"
DATE = "yyyy-mm-dd hh:mm"
TITLE = CellStyle(font=Font(bold=True, size=14))
SECTION = CellStyle(font=Font(bold=True))
WRAP = CellStyle(alignment=Alignment(wrap_text=True, vertical="top"))
HEADER = CellStyle(
    font=Font(bold=True),
    fill=PatternFill("solid", fgColor="DDEBF7"),
    alignment=Alignment(wrap_text=True, vertical="center"),
)
