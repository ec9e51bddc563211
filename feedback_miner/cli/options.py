"""Option groups shared by the analysis commands."""

from __future__ import annotations

import argparse
from pathlib import Path

__all__ = [
    "add_column_options",
    "add_csv_options",
    "add_label_options",
    "add_report_options",
    "add_run_options",
    "add_score_options",
    "add_sentiment_options",
]


def add_column_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group(
        "input columns (inferred from names and content when left out)"
    )
    group.add_argument(
        "--text-col",
        action="append",
        default=[],
        metavar="NAME",
        help="free-text column; repeat for several (joined per row)",
    )
    group.add_argument("--id-col", metavar="NAME", help="user id column of the inputs")
    group.add_argument("--time-col", metavar="NAME", help="time the text was written")
    group.add_argument(
        "--source",
        default="auto",
        choices=["survey", "service", "social", "auto"],
        help="kind of input (default: auto, from the columns)",
    )
    group.add_argument(
        "--sheet",
        metavar="NAME",
        help="the sheet of a workbook to read (default: the sheet with the most values)",
    )


def add_score_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("scores and periods")
    group.add_argument(
        "--score-col",
        metavar="NAME",
        help="a rating column (NPS 0-10, 满意度 1-5, stars) for the score drivers "
        "(default: the detected rating column)",
    )
    group.add_argument(
        "--score-metric",
        choices=["nps", "mean", "top2box"],
        help="how ratings make the score (default: from the scale and the column name)",
    )
    group.add_argument(
        "--period",
        choices=["month", "week", "quarter"],
        default="month",
        help="compare the last two periods of this length (default: month)",
    )
    group.add_argument(
        "--split-date",
        metavar="DATE",
        help="compare the documents before and after this date instead",
    )
    group.add_argument(
        "--baseline",
        type=Path,
        metavar="OLD_DOCS",
        help="compare with the docs table (.csv or .parquet) of an earlier run instead",
    )


def add_csv_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--raw-csv",
        action="store_true",
        help="write CSV cells as they are: by default a text cell starting with = + - @ gets a "
        "leading ' so that Excel and WPS never run it as a formula",
    )


def add_label_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("churn labels")
    group.add_argument(
        "--labels",
        type=Path,
        metavar="FILE",
        help="churn table: user id, churned (1/0, 是/否 ...), optional churn date, covariates",
    )
    group.add_argument("--label-col", metavar="NAME", help="column saying whether the user churned")
    group.add_argument("--label-id-col", metavar="NAME", help="user id column of the label file")
    group.add_argument(
        "--churn-date-col", metavar="NAME", help="churn date column of the label file"
    )
    group.add_argument(
        "--exposure",
        choices=["negative", "any"],
        default="negative",
        help="which mentions expose a user to a theme (default: negative ones)",
    )
    group.add_argument(
        "--window-days",
        type=int,
        metavar="N",
        help="count only feedback of the last N days before the churn date",
    )
    group.add_argument(
        "--undated",
        choices=["include", "exclude"],
        default="include",
        help="texts without a date: count them as written before churn (with a warning; "
        "default) or leave them out",
    )
    group.add_argument(
        "--adjust-for",
        action="append",
        default=[],
        metavar="COL",
        help="add a column to the churn models (a label-file column, or a feedback column "
        "such as a channel or the company addressed); repeatable",
    )
    group.add_argument(
        "--as-of",
        metavar="DATE",
        help="the date the labels describe (users not churned by then are retained); "
        "default: the latest churn date",
    )


def add_report_options(parser: argparse.ArgumentParser) -> None:
    report = parser.add_argument_group("report")
    report.add_argument(
        "--lang",
        choices=("zh", "en"),
        default="zh",
        help="language of the report's sheets and labels (default: zh)",
    )
    report.add_argument(
        "--segment-col",
        action="append",
        default=[],
        metavar="NAME",
        help="break themes down by this column on the 细分 sheet (an input column or a "
        "label-file column such as plan); repeatable; chosen automatically when not given",
    )
    report.add_argument(
        "--docs-sheet-rows",
        type=int,
        metavar="N",
        help="documents on the 明细 sheet (default: all of them up to 200,000 documents, "
        "none beyond); the rest go to <report>.documents.csv beside the workbook. 0 writes "
        "them all to the CSV, which is much faster for very large runs",
    )
    report.add_argument(
        "--seed",
        type=int,
        default=0,
        metavar="N",
        help="seed of the samples behind quotes and new themes (default: 0)",
    )


def add_run_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("where the text stages run")
    group.add_argument(
        "--jobs", type=int, default=1, metavar="N", help="worker processes (default: 1)"
    )
    group.add_argument(
        "--engine",
        choices=["local", "dask"],
        default="local",
        help="local processes, or Dask (needs feedback-miner[dask]; default: local)",
    )
    group.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="with --engine dask: a running Dask scheduler (tcp://host:8786); "
        "without it a local cluster of --jobs workers",
    )


def add_sentiment_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("sentiment")
    group.add_argument(
        "--self-train",
        action="store_true",
        help="adapt sentiment to these texts: learn from the ones the rules are sure about "
        "(no ratings: nothing measures whether it helped)",
    )
    group.add_argument(
        "--no-rating-adapt",
        dest="rating_adapt",
        action="store_false",
        help="do not learn sentiment from the inputs' rating column (stars, NPS, 满意度), "
        "which is done by default, checked against held-back rated rows",
    )
