"""``feedback-miner demo``: the bundled samples, copied to a folder and analysed."""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path
from typing import Any

from . import analyze
from .common import Parser, say

__all__ = ["SAMPLE_INPUTS", "SAMPLE_LABELS", "register", "run"]

SAMPLE_INPUTS = ("survey_wjx.xlsx", "service_tickets.csv", "social_posts.csv")
SAMPLE_LABELS = "churn_labels.csv"


def register(commands: Any) -> None:
    """Add ``demo`` to the sub-command parsers."""
    parser = commands.add_parser(
        "demo",
        help="analyse the bundled sample data",
        description="Copy the bundled samples to a folder and analyse them.",
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
    """Copy the samples and run ``analyze`` on them with every table written."""
    from ..resources import SAMPLES_PACKAGE, data_root

    folder: Path = args.output
    folder.mkdir(parents=True, exist_ok=True)
    samples = data_root(SAMPLES_PACKAGE)
    for name in (*SAMPLE_INPUTS, SAMPLE_LABELS):
        with samples.joinpath(name).open("rb") as source, (folder / name).open("wb") as target:
            shutil.copyfileobj(source, target)
    say(args, f"Sample data of a fictional video app copied to {folder}/")
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
            *(["--quiet"] if args.quiet else []),
        ]
    )
    code = analyze.run(analyze_args)
    say(
        args,
        f"Tables: {folder / 'docs.csv'}, {folder / 'mentions.csv'}, {folder / 'attribution.csv'}",
    )
    return code
