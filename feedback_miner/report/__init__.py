"""Formatting and exporting results: the Excel report and the output tables."""

from .cells import clean_text
from .tables import TABLE_SUFFIXES, check_table_path, write_table_file
from .workbook import SHEETS, build_report

__all__ = [
    "SHEETS",
    "TABLE_SUFFIXES",
    "build_report",
    "check_table_path",
    "clean_text",
    "write_table_file",
]
