"""``feedback-miner analyze``: the reason report and the tables of one analysis."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import FeedbackMinerError
from ..timing import Stopwatch, timings_table
from .common import check_run_options, describe_file, run_analysis, say
from .options import (
    add_column_options,
    add_csv_options,
    add_label_options,
    add_report_options,
    add_run_options,
    add_score_options,
    add_sentiment_options,
)

if TYPE_CHECKING:
    from ..result import AnalysisResult

__all__ = ["AUTO_CSV_DOCUMENTS", "configure", "register", "run"]

# beyond this many documents, and unless --docs-sheet-rows says otherwise, the documents
# go to the CSV beside the workbook: a sheet of that size takes longer to write than the
# rest of the report and is too large for Excel to open comfortably
AUTO_CSV_DOCUMENTS = 200_000


def register(commands: Any) -> None:
    """Add ``analyze`` to the sub-command parsers."""
    parser = commands.add_parser(
        "analyze",
        help="full analysis: Excel reason report and tables",
        description="Analyse feedback exports end to end and write the reason report.",
    )
    configure(parser)


def configure(parser: argparse.ArgumentParser) -> None:
    """The arguments of ``analyze`` (also used by ``demo``, which runs it)."""
    parser.add_argument(
        "inputs", nargs="+", type=Path, metavar="INPUT", help="CSV, TSV or Excel exports"
    )
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        default=Path("report.xlsx"),
        metavar="REPORT.xlsx",
        help="the Excel report (default: report.xlsx)",
    )
    parser.add_argument(
        "--taxonomy",
        default="auto",
        metavar="auto|PACK|FILE.toml",
        help="churn-reason taxonomy: auto (default) picks the built-in pack that fits the "
        "inputs best (see themes fit); or a pack (default, ecommerce, restaurant, hotel, "
        "telecom, automotive, finance, app, education) or your own TOML file",
    )
    parser.add_argument(
        "--learned",
        choices=["auto", "on", "off"],
        default="auto",
        help="add mentions found by theme models learned from the inputs' own keyword "
        "matches (marked learned in --mentions): auto (default) from 200 documents on",
    )
    add_column_options(parser)
    add_label_options(parser)
    outputs = parser.add_argument_group("tables (.csv or .parquet by suffix)")
    outputs.add_argument("--docs", type=Path, metavar="FILE", help="one row per document")
    outputs.add_argument(
        "--mentions", type=Path, metavar="FILE", help="one row per document and theme"
    )
    outputs.add_argument(
        "--attribution", type=Path, metavar="FILE", help="one row per theme (needs --labels)"
    )
    outputs.add_argument(
        "--features", type=Path, metavar="FILE", help="one row per user: features for churn models"
    )
    outputs.add_argument(
        "--drivers", type=Path, metavar="FILE", help="one row per theme: what it does to the score"
    )
    outputs.add_argument(
        "--changes", type=Path, metavar="FILE", help="one row per theme: the last two periods"
    )
    outputs.add_argument(
        "--summary",
        type=Path,
        metavar="FILE.json",
        help="the run's key figures and warnings as JSON, for scripts and monitoring",
    )
    add_score_options(parser)
    add_csv_options(parser)
    add_sentiment_options(parser)
    add_report_options(parser)
    add_run_options(parser)
    parser.add_argument("--quiet", action="store_true", help="no progress bar or summary")
    parser.add_argument(
        "--timings",
        action="store_true",
        help="print the seconds each phase of the run took, on standard error (also with "
        "--quiet); 'text stages' includes reading what was not read ahead",
    )
    parser.set_defaults(run=run)


def _check(args: argparse.Namespace) -> None:
    """Every option that can be checked before the work starts."""
    from ..report import check_output_path, check_table_path

    check_run_options(args)
    if args.docs_sheet_rows is not None and args.docs_sheet_rows < 0:
        raise FeedbackMinerError(
            f"--docs-sheet-rows is {args.docs_sheet_rows}; use 0 or more (0: all documents go to the CSV)."
        )
    if args.output.suffix.lower() != ".xlsx":
        raise FeedbackMinerError(
            f"-o {args.output}: the report is an Excel workbook; give a name ending in .xlsx."
        )
    check_output_path(args.output, "-o")
    tables = {
        "--docs": args.docs,
        "--mentions": args.mentions,
        "--attribution": args.attribution,
        "--features": args.features,
        "--drivers": args.drivers,
        "--changes": args.changes,
    }
    for option, path in tables.items():
        if path is not None:
            check_table_path(path, option)
    if args.summary is not None:
        if args.summary.suffix.lower() != ".json":
            raise FeedbackMinerError(
                f"--summary {args.summary}: the run summary is JSON; give a name ending in .json."
            )
        check_output_path(args.summary, "--summary")
    if args.attribution is not None and args.labels is None:
        raise FeedbackMinerError(
            "--attribution needs --labels: attribution joins themes to a churn label file."
        )


def run(args: argparse.Namespace) -> int:
    """Analyse, write the tables asked for and the report, and print a summary."""
    from ..features import features_of
    from ..report import build_report, write_table_file
    from ..report.run_summary import write_run_summary

    _check(args)
    result = run_analysis(args)
    watch = Stopwatch(result.timings)
    for summary in result.files:
        say(args, describe_file(summary))
    if result.adaptation is not None:
        for line in result.adaptation.describe():
            say(args, line)
    _say_taxonomy(args, result)
    raw = args.raw_csv
    if args.docs:
        write_table_file(result.docs, args.docs, raw=raw, option="--docs")
    if args.mentions:
        write_table_file(result.mentions, args.mentions, raw=raw, option="--mentions")
    if args.attribution and result.attribution is not None:
        write_table_file(
            result.attribution.table, args.attribution, raw=raw, option="--attribution"
        )
    if args.features:
        write_table_file(features_of(result), args.features, raw=raw, option="--features")
    if args.drivers:
        if result.drivers is None:
            raise FeedbackMinerError(
                f"--drivers {args.drivers}: no score drivers: {result.drivers_note}."
            )
        write_table_file(result.drivers.table, args.drivers, raw=raw, option="--drivers")
    if args.changes:
        if result.changes is None:
            raise FeedbackMinerError(
                f"--changes {args.changes}: no period comparison: {result.changes_note}"
            )
        write_table_file(result.changes.table, args.changes, raw=raw, option="--changes")
    if args.summary:
        write_run_summary(result, args.summary)
    watch.lap("tables written")
    rows = args.docs_sheet_rows
    if rows is None and len(result.docs) > AUTO_CSV_DOCUMENTS:
        rows = 0
        say(
            args,
            f"{len(result.docs):,} documents (more than {AUTO_CSV_DOCUMENTS:,}): the 明细 sheet "
            "points to the CSV beside the report, which holds them all; --docs-sheet-rows N keeps "
            "N of them in the sheet.",
        )
    sheet_rows = {} if rows is None else {"max_rows": rows + 2}
    written = build_report(result, args.output, lang=args.lang, raw_csv=raw, **sheet_rows)
    if written.overflow is not None:
        say(args, f"The documents that do not fit in the sheet are in {written.overflow}")
    watch.lap("report written")
    _summarise(args, result)
    if args.timings:
        print("\n".join(timings_table(result.timings)), file=sys.stderr)
    return 0


def _say_taxonomy(args: argparse.Namespace, result: AnalysisResult) -> None:
    """Which taxonomy was used and how well it covered the documents."""
    fit = result.taxonomy_fit
    if fit is None:
        return
    how = "picked by --taxonomy auto" if fit.how == "auto" else "given"
    line = (
        f"Taxonomy: {fit.taxonomy} ({how}): {fit.coverage:.0%} of documents and "
        f"{fit.negative_coverage:.0%} of negative ones get a theme."
    )
    if fit.candidates is not None:
        runners = sorted(
            (f for f in fit.candidates.fits if f.taxonomy != fit.taxonomy),
            key=lambda f: -f.negative_coverage,
        )[:2]
        line += (
            " Next best: "
            + ", ".join(f"{f.taxonomy} {f.negative_coverage:.0%}" for f in runners)
            + " of negative documents."
        )
    say(args, line)


def _summarise(args: argparse.Namespace, result: AnalysisResult) -> None:
    docs = result.docs
    say(
        args,
        f"{len(docs)} documents, {int((docs['sentiment_label'] == 'negative').sum())} negative, "
        f"{len(result.mentions)} theme mentions.",
    )
    if result.attribution is not None:
        top = result.attribution.table.dropna(subset=["impact"]).head(3)
        reasons = ", ".join(
            f"{r.theme_name} ({r.impact:.1%} of churn, OR {r.odds_ratio:.2f})"
            for r in top.itertuples()
        )
        say(
            args,
            f"{result.attribution.n_users} users analysed, {result.attribution.n_churned} churned. "
            f"Top reasons: {reasons or 'none with enough users'}.",
        )
    if result.incremental is not None:
        inc = result.incremental
        where = (
            f"features from feedback before {inc.cutoff.date.date()}, churn from then to "
            f"{inc.cutoff.end.date()}; "
            if inc.cutoff
            else ""
        )
        if inc.auc_covariates is None:
            versus = "the label file has no covariates, so the model is compared with chance (0.5)"
        else:
            versus = f"{inc.auc_covariates:.3f} on the label file's columns"
        say(
            args,
            f"Churn model ROC AUC ({where}{inc.n_users} users, {inc.split}): {versus}, "
            f"{inc.auc_with_text:.3f} with the text features ({inc.delta:+.3f}, 95% CI "
            f"{inc.ci_low:+.3f} to {inc.ci_high:+.3f}).",
        )
    elif result.incremental_note:
        say(
            args, f"The text's value for a churn model was not measured: {result.incremental_note}."
        )
    if result.drivers is not None:
        drivers = result.drivers
        metric = drivers.metric
        costly = drivers.table[
            (drivers.table["certainty"] == "sure") & (drivers.table["impact"] < 0)
        ]
        named = ", ".join(f"{r.theme_name} ({r.impact:+.1f})" for r in costly.head(3).itertuples())
        say(
            args,
            f"Score: {metric.name} of {drivers.column!r} ({metric.why}) = {drivers.overall:.1f} on "
            f"{drivers.n_docs} documents; costing the most {metric.unit}: {named or 'none for sure'}.",
        )
    if result.changes is not None:
        changes = result.changes
        alerts = changes.alerts()
        listed = ", ".join(
            f"{r.theme_name} ({r.flag}, {r.change:+.1%})" for r in alerts.itertuples()
        )
        say(
            args,
            f"Changes {changes.before} -> {changes.after} ({changes.docs_before} and "
            f"{changes.docs_after} documents): {listed or 'no theme rose significantly'}.",
        )
    for warning in result.warnings:
        say(args, f"Warning ({warning.code}): {warning.message}")
    say(args, f"Report: {args.output}")
