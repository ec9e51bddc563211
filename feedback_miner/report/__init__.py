"""Formatting and exporting results: the Excel report and the output tables."""

from .cells import clean_text
from .i18n import LANGUAGES, sheet_names
from .tables import TABLE_SUFFIXES, check_table_path, write_table_file
from .workbook import SHEETS, ReportFiles, build_report

__all__ = [
    "LANGUAGES",
    "SHEETS",
    "TABLE_SUFFIXES",
    "ReportFiles",
    "build_report",
    "check_table_path",
    "clean_text",
    "sheet_names",
    "write_table_file",
]
