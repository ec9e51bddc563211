"""``feedback-miner ingest``: exports into canonical records plus rejected rows."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from .common import describe_file, ingest_options, say
from .options import add_column_options, add_csv_options

__all__ = ["register", "run"]


def register(commands: Any) -> None:
    """Add ``ingest`` to the sub-command parsers."""
    parser = commands.add_parser(
        "ingest",
        help="read exports into canonical records",
        description="Read exports into canonical records plus rejected rows.",
    )
    parser.add_argument("inputs", nargs="+", type=Path, metavar="INPUT")
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        required=True,
        metavar="RECORDS",
        help="records table (.csv or .parquet)",
    )
    parser.add_argument(
        "--rejects", type=Path, metavar="FILE", help="rejected rows with their reason"
    )
    add_column_options(parser)
    add_csv_options(parser)
    parser.add_argument("--quiet", action="store_true", help="no summary")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Read the inputs and write the records (and rejects)."""
    from ..ingest import ingest_files
    from ..report import check_table_path, write_table_file

    check_table_path(args.output, "-o")
    if args.rejects is not None:
        check_table_path(args.rejects, "--rejects")
    result = ingest_files(args.inputs, ingest_options(args))
    write_table_file(result.records, args.output, raw=args.raw_csv, option="-o")
    if args.rejects is not None:
        write_table_file(result.rejects, args.rejects, raw=args.raw_csv, option="--rejects")
    for summary in result.files:
        say(args, describe_file(summary))
    return 0
