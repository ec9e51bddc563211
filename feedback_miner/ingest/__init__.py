"""Reading exports into canonical records plus rejects."""

from .columns import ColumnRoles, canonical_name, infer_roles
from .raw import RawTable
from .readers import SUPPORTED_SUFFIXES, read_raw_table
from .records import (
    ADDRESSEE_COLUMN,
    RECORD_COLUMNS,
    REJECT_COLUMNS,
    SOURCES,
    FileColumns,
    FileSummary,
    IngestOptions,
    IngestResult,
    load_non_answers,
)
from .stream import IngestStream, ingest_file, ingest_files

__all__ = [
    "ADDRESSEE_COLUMN",
    "RECORD_COLUMNS",
    "REJECT_COLUMNS",
    "SOURCES",
    "SUPPORTED_SUFFIXES",
    "ColumnRoles",
    "FileColumns",
    "FileSummary",
    "IngestOptions",
    "IngestResult",
    "IngestStream",
    "RawTable",
    "canonical_name",
    "infer_roles",
    "ingest_file",
    "ingest_files",
    "load_non_answers",
    "read_raw_table",
]
