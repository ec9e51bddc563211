"""Formatting and exporting results: the Excel report and the output tables.

The report's builder (and the result types, statistics and openpyxl it
needs) is imported on first use, so that commands which only write a table
(``sentiment``, ``ingest``, ``labels``) start without them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .files import check_output_path, replacing
from .i18n import LANGUAGES, sheet_names
from .tables import (
    TABLE_SUFFIXES,
    check_table_path,
    excel_safe,
    write_table_file,
    write_table_workbook,
)

if TYPE_CHECKING:
    from .cells import clean_text
    from .workbook import SHEETS, ReportFiles, build_report

__all__ = [
    "LANGUAGES",
    "SHEETS",
    "TABLE_SUFFIXES",
    "ReportFiles",
    "build_report",
    "check_output_path",
    "check_table_path",
    "clean_text",
    "excel_safe",
    "replacing",
    "sheet_names",
    "write_table_file",
    "write_table_workbook",
]

_LAZY = {
    "SHEETS": "workbook",
    "ReportFiles": "workbook",
    "build_report": "workbook",
    "clean_text": "cells",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from importlib import import_module

        return getattr(import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
