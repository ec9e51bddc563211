"""Formatting and exporting results: the Excel report and the output tables."""

from .cells import clean_text
from .files import check_output_path, replacing
from .i18n import LANGUAGES, sheet_names
from .tables import (
    TABLE_SUFFIXES,
    check_table_path,
    excel_safe,
    write_table_file,
    write_table_workbook,
)
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
