"""``feedback-miner risk``: which active users are about to leave, why, and what to do."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from .common import check_run_options, describe_file, run_analysis, say
from .labels import add_event_options
from .options import add_column_options, add_csv_options, add_run_options

__all__ = ["configure", "register", "run"]


def register(commands: Any) -> None:
    """Add ``risk`` to the sub-command parsers."""
    parser = commands.add_parser(
        "risk",
        help="an early-warning list: active users at risk of churning, with reasons",
        description="Train on the past with a time split, then score the users still active: "
        "risk of churning within the horizon, the reasons in their recent feedback, an action.",
    )
    configure(parser)


def configure(parser: argparse.ArgumentParser) -> None:
    """The arguments of ``risk`` (also used by ``demo``, which runs it)."""
    parser.add_argument("inputs", nargs="+", type=Path, metavar="INPUT", help="feedback exports")
    parser.add_argument(
        "--events",
        type=Path,
        required=True,
        action="append",
        metavar="EVENTS",
        help="an activity log (repeat for several)",
    )
    parser.add_argument(
        "-o", "--output", type=Path, required=True, metavar="RISK", help=".csv, .parquet or .xlsx"
    )
    parser.add_argument(
        "--horizon-days", type=int, metavar="H", help="how far ahead the risk looks (default: N)"
    )
    parser.add_argument(
        "--reason-days",
        type=int,
        default=180,
        metavar="D",
        help="a user's reasons come from their negative feedback of the last D days (default: 180)",
    )
    parser.add_argument(
        "--taxonomy", metavar="FILE.toml", help="taxonomy (default: as for analyze)"
    )
    parser.add_argument(
        "--lang",
        choices=("zh", "en"),
        default="zh",
        help="language of the .xlsx report (default: zh)",
    )
    parser.add_argument("--seed", type=int, default=0, help="seed of the folds and models")
    add_event_options(
        parser,
        time_option="--event-time-col",
        as_of_help="today: users active then are scored (default: the latest event)",
    )
    add_column_options(parser)
    group = parser.add_argument_group("label file (optional: its columns join as covariates)")
    group.add_argument("--labels", metavar="FILE", help="a churn table with plan, city ...")
    group.add_argument("--label-col", metavar="NAME", help="its churn column")
    group.add_argument("--label-id-col", metavar="NAME", help="its user id column")
    group.add_argument("--churn-date-col", metavar="NAME", help="its churn date column")
    add_run_options(parser)
    add_csv_options(parser)
    parser.add_argument("--quiet", action="store_true", help="no progress bar or summary")
    # analyze's attribution settings, fixed: risk reads the labels for covariates only
    parser.set_defaults(
        run=run, exposure="negative", window_days=None, undated="include", adjust_for=[]
    )


def run(args: argparse.Namespace) -> int:
    """Analyse the feedback, read the logs, backtest, score and write the list."""
    from ..activity import read_events, risk_list
    from ..report import check_output_path, check_table_path, write_table_file
    from ..report.risk import write_risk_report

    check_run_options(args)
    if args.output.suffix.lower() == ".xlsx":
        check_output_path(args.output, "-o")
    else:
        check_table_path(args.output, "-o")
    events = read_events(
        args.events,
        user_col=args.user_col,
        time_col=args.event_time_col,
        amount_col=args.amount_col,
        time_option="--event-time-col",
    )
    result = run_analysis(args, with_summary=False)
    for summary in result.files:
        say(args, describe_file(summary))
    covariates = None
    if result.labels is not None:
        frame = result.labels.frame
        covariates = frame[["user_id", *result.labels.covariates]]
    risk = risk_list(
        events,
        result.docs,
        result.mentions,
        result.taxonomy,
        inactive_days=args.inactive_days,
        horizon_days=args.horizon_days,
        as_of=args.as_of,
        covariates=covariates,
        reason_days=args.reason_days,
        seed=args.seed,
    )
    if args.output.suffix.lower() == ".xlsx":
        write_risk_report(risk, result.taxonomy, args.output, lang=args.lang)
    else:
        write_table_file(
            risk.table, args.output, raw=args.raw_csv, option="-o", date_format="%Y-%m-%d"
        )
    backtest = risk.backtest
    aucs = "; ".join(
        f"{m}: {a:.3f} without text, {b:.3f} with" for m, (a, b) in backtest.auc.items()
    )
    top = backtest.lift.iloc[0]
    gain, low, high = backtest.text_gain
    sure = "not significant" if low <= 0 <= high else "significant"
    say(
        args,
        f"Backtest: {backtest.n_users} users active on {backtest.cutoff.date()}, "
        f"{backtest.n_churned} churned by {backtest.as_of.date()}. ROC AUC {aucs}. The text changes "
        f"{backtest.chosen}'s AUC by {gain:+.3f} (95% CI {low:+.3f} to {high:+.3f}; {sure}). Chosen: "
        f"{backtest.chosen} {'with' if backtest.uses_text else 'without'} text; the riskiest tenth churned at {top['churn_rate']:.0%} "
        f"({top['lift']:.1f}x the average).",
    )
    say(args, f"{len(risk.table)} active users scored -> {args.output}")
    return 0
