"""``feedback-miner demo``: the bundled samples, copied to a folder and analysed."""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path
from typing import Any

from . import analyze, labels, risk
from .common import Parser, say

__all__ = ["SAMPLE_EVENTS", "SAMPLE_INPUTS", "SAMPLE_LABELS", "register", "run"]

SAMPLE_INPUTS = ("survey_wjx.xlsx", "service_tickets.csv", "social_posts.csv")
SAMPLE_LABELS = "churn_labels.csv"
SAMPLE_EVENTS = "orders.csv"
_INACTIVE_DAYS = "30"


def register(commands: Any) -> None:
    """Add ``demo`` to the sub-command parsers."""
    parser = commands.add_parser(
        "demo",
        help="analyse the bundled sample data",
        description="Copy the bundled samples to a folder and run the three steps on them: "
        "churn labels from the order log (labels), the reason report (analyze) and the "
        "early-warning list of active users (risk).",
    )
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        default=Path("feedback-miner-demo"),
        metavar="DIR",
        help="folder for the samples and results (default: feedback-miner-demo)",
    )
    parser.add_argument(
        "--lang", choices=("zh", "en"), default="zh", help="report language (default: zh)"
    )
    parser.add_argument(
        "--jobs", type=int, default=1, metavar="N", help="worker processes (default: 1)"
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bar or summary")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Copy the samples; run ``labels`` on the order log, ``analyze`` with every table
    written, and ``risk``."""
    from ..resources import SAMPLES_PACKAGE, data_root

    folder: Path = args.output
    folder.mkdir(parents=True, exist_ok=True)
    samples = data_root(SAMPLES_PACKAGE)
    for name in (*SAMPLE_INPUTS, SAMPLE_LABELS, SAMPLE_EVENTS):
        with samples.joinpath(name).open("rb") as source, (folder / name).open("wb") as target:
            shutil.copyfileobj(source, target)
    say(args, f"Sample data of a fictional video app copied to {folder}/")
    quiet = ["--quiet"] if args.quiet else []
    say(args, f"1. labels: churn labels and RFM segments from the order log ({SAMPLE_EVENTS})")
    labels_parser = Parser(prog="feedback-miner labels")
    labels.configure(labels_parser)
    code = labels.run(
        labels_parser.parse_args(
            [
                str(folder / SAMPLE_EVENTS),
                "--inactive-days",
                _INACTIVE_DAYS,
                "-o",
                str(folder / "activity_labels.csv"),
                *quiet,
            ]
        )
    )
    say(args, "2. analyze: the reason report, with the company's churn table")
    parser = Parser(prog="feedback-miner analyze")
    analyze.configure(parser)
    analyze_args = parser.parse_args(
        [
            *[str(folder / n) for n in SAMPLE_INPUTS],
            "--labels",
            str(folder / SAMPLE_LABELS),
            "-o",
            str(folder / "report.xlsx"),
            "--docs",
            str(folder / "docs.csv"),
            "--mentions",
            str(folder / "mentions.csv"),
            "--attribution",
            str(folder / "attribution.csv"),
            "--jobs",
            str(args.jobs),
            "--lang",
            args.lang,
            *quiet,
        ]
    )
    code = code or analyze.run(analyze_args)
    say(
        args,
        f"Tables: {folder / 'docs.csv'}, {folder / 'mentions.csv'}, {folder / 'attribution.csv'}",
    )
    say(args, "3. risk: which active users are about to leave, why, and what to do")
    risk_parser = Parser(prog="feedback-miner risk")
    risk.configure(risk_parser)
    risk_args = [
        *[str(folder / n) for n in SAMPLE_INPUTS],
        "--events",
        str(folder / SAMPLE_EVENTS),
        "--inactive-days",
        _INACTIVE_DAYS,
        "--labels",
        str(folder / SAMPLE_LABELS),
        "--jobs",
        str(args.jobs),
        "--lang",
        args.lang,
        *quiet,
    ]
    code = code or risk.run(risk_parser.parse_args([*risk_args, "-o", str(folder / "risk.xlsx")]))
    return code
