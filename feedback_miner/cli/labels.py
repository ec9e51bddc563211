"""``feedback-miner labels``: churn labels and RFM segments from activity logs."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from .common import say
from .options import add_csv_options

__all__ = ["add_event_options", "configure", "register", "run"]


def register(commands: Any) -> None:
    """Add ``labels`` to the sub-command parsers."""
    parser = commands.add_parser(
        "labels",
        help="churn labels and RFM segments from an order, login or usage log",
        description="Label every user of activity logs as churned or not (N days without "
        "activity), with RFM scores and segments; the output is a valid --labels file.",
    )
    configure(parser)


def configure(parser: argparse.ArgumentParser) -> None:
    """The arguments of ``labels`` (also used by ``demo``, which runs it)."""
    parser.add_argument("events", nargs="+", type=Path, metavar="EVENTS", help="activity logs")
    parser.add_argument(
        "-o", "--output", type=Path, required=True, metavar="LABELS", help=".csv or .parquet"
    )
    add_event_options(
        parser,
        time_option="--time-col",
        as_of_help="the date to label at (default: the latest event)",
    )
    add_csv_options(parser)
    parser.add_argument("--quiet", action="store_true", help="no summary")
    parser.set_defaults(run=run)


def add_event_options(
    parser: argparse.ArgumentParser, *, time_option: str, as_of_help: str
) -> None:
    """The activity log's options (``labels`` calls the time column --time-col, ``risk``
    --event-time-col, since its --time-col is the feedback's)."""
    group = parser.add_argument_group("activity log (columns found by name when left out)")
    group.add_argument("--user-col", metavar="NAME", help="user id column of the log")
    group.add_argument(
        time_option, dest="event_time_col", metavar="NAME", help="time of each event"
    )
    group.add_argument("--amount-col", metavar="NAME", help="amount spent (for the M of RFM)")
    group.add_argument(
        "--inactive-days",
        type=int,
        required=True,
        metavar="N",
        help="a user has churned after N days without activity",
    )
    group.add_argument("--as-of", metavar="DATE", help=as_of_help)


def run(args: argparse.Namespace) -> int:
    """Read the logs, label every user, write the table and say the churn rate."""
    from ..activity import labels_from_events, read_events
    from ..report import check_table_path, write_table_file

    check_table_path(args.output, "-o")
    events = read_events(
        args.events,
        user_col=args.user_col,
        time_col=args.event_time_col,
        amount_col=args.amount_col,
    )
    labels = labels_from_events(events, args.inactive_days, as_of=args.as_of)
    write_table_file(
        labels.table, args.output, raw=args.raw_csv, option="-o", date_format="%Y-%m-%d"
    )
    rates = ", ".join(f"{days} days {rate:.1%}" for days, rate in labels.sensitivity.items())
    say(
        args,
        f"{len(labels.table)} users as of {labels.as_of.date()}: {labels.churn_rate:.1%} churned "
        f"({args.inactive_days} days without activity; columns user={events.user_col}, "
        f"time={events.time_col}, amount={events.amount_col or '-'}). Churn rate by window: "
        f"{rates}. -> {args.output}",
    )
    if events.amount_col is None:
        say(args, "No amount column: monetary, m_score and rfm_segment are empty (--amount-col).")
    return 0
