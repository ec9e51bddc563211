"""``feedback-miner features``: one row per user, for churn models."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from .common import check_run_options, run_analysis, say
from .options import add_column_options, add_csv_options, add_label_options, add_run_options

__all__ = ["register", "run"]


def register(commands: Any) -> None:
    """Add ``features`` to the sub-command parsers."""
    parser = commands.add_parser(
        "features",
        help="user-level features for churn models",
        description="Write one row per user with theme and sentiment features (stable column names).",
    )
    parser.add_argument("inputs", nargs="+", type=Path, metavar="INPUT")
    parser.add_argument(
        "-o", "--output", type=Path, required=True, metavar="FEATURES", help=".parquet or .csv"
    )
    parser.add_argument(
        "--taxonomy",
        default="default",
        metavar="auto|PACK|FILE.toml",
        help="taxonomy whose themes become columns (default: the default pack, so that the "
        "columns stay the same from run to run; auto picks the pack that fits the inputs)",
    )
    add_column_options(parser)
    add_label_options(parser)
    add_run_options(parser)
    add_csv_options(parser)
    parser.add_argument("--quiet", action="store_true", help="no progress bar or summary")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Analyse without the report's summaries and write the user feature table."""
    from ..features import features_of
    from ..report import check_table_path, write_table_file

    check_run_options(args)
    check_table_path(args.output, "-o")
    result = run_analysis(args, with_summary=False)
    table = features_of(result)
    write_table_file(table, args.output, raw=args.raw_csv, option="-o")
    say(args, f"{len(table)} users x {table.shape[1] - 1} features -> {args.output}")
    return 0
