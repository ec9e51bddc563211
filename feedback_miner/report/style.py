"""Shared look of the report's sheets."""

from __future__ import annotations

from openpyxl.styles import Alignment, PatternFill

from .cells import CellStyle, report_font

__all__ = ["DATE", "HEADER", "PERCENT", "SECTION", "TITLE", "TOP_SECTION", "WRAP"]

PERCENT = "0.0%"
DATE = "yyyy-mm-dd hh:mm"
TITLE = CellStyle(font=report_font(bold=True, sz=14))
SECTION = CellStyle(font=report_font(bold=True))
# a bold name beside wrapped text, on its first line
TOP_SECTION = CellStyle(font=report_font(bold=True), alignment=Alignment(vertical="top"))
WRAP = CellStyle(font=report_font(), alignment=Alignment(wrap_text=True, vertical="top"))
HEADER = CellStyle(
    font=report_font(bold=True),
    fill=PatternFill("solid", fgColor="DDEBF7"),
    alignment=Alignment(wrap_text=True, vertical="center"),
)
