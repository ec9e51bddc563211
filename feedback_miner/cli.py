"""The ``feedback-miner`` command line (names fixed by DESIGN.md).

Exit status 0 on success, 2 on a user's mistake (with a message on stderr
naming the file, what is wrong and how to fix it), 130 when interrupted.
"""

from __future__ import annotations

import argparse
import logging
import shutil
import sys
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any

import pandas as pd

from . import __version__
from .cli_options import (
    add_column_options,
    add_label_options,
    add_report_options,
    add_run_options,
)
from .errors import FeedbackMinerError

__all__ = ["build_parser", "main"]

logger = logging.getLogger(__name__)

SAMPLE_INPUTS = ("survey_wjx.xlsx", "service_tickets.csv", "social_posts.csv")
SAMPLE_LABELS = "churn_labels.csv"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # argparse's own usage errors also exit 2
        self.print_usage(sys.stderr)
        self.exit(2, f"feedback-miner: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every sub-command."""
    parser = _Parser(
        prog="feedback-miner",
        description="流失原因挖掘: find why customers leave from Chinese feedback and churn labels.",
    )
    parser.add_argument("--version", action="version", version=f"feedback-miner {__version__}")
    commands = parser.add_subparsers(
        dest="command", required=True, metavar="COMMAND", parser_class=_Parser
    )

    analyze = commands.add_parser(
        "analyze",
        help="full analysis: Excel reason report and tables",
        description="Analyse feedback exports end to end and write the reason report.",
    )
    analyze.add_argument(
        "inputs", nargs="+", type=Path, metavar="INPUT", help="CSV, TSV or Excel exports"
    )
    analyze.add_argument(
        "-o",
        "--output",
        type=Path,
        default=Path("report.xlsx"),
        metavar="REPORT.xlsx",
        help="the Excel report (default: report.xlsx)",
    )
    analyze.add_argument(
        "--taxonomy",
        type=Path,
        metavar="FILE.toml",
        help="churn-reason taxonomy (default: built in)",
    )
    add_column_options(analyze)
    add_label_options(analyze)
    outputs = analyze.add_argument_group("tables (.csv or .parquet by suffix)")
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
    add_report_options(analyze)
    add_run_options(analyze)
    analyze.add_argument("--quiet", action="store_true", help="no progress bar or summary")
    analyze.set_defaults(run=_run_analyze)

    ingest = commands.add_parser(
        "ingest",
        help="read exports into canonical records",
        description="Read exports into canonical records plus rejected rows.",
    )
    ingest.add_argument("inputs", nargs="+", type=Path, metavar="INPUT")
    ingest.add_argument(
        "-o",
        "--output",
        type=Path,
        required=True,
        metavar="RECORDS",
        help="records table (.csv or .parquet)",
    )
    ingest.add_argument(
        "--rejects", type=Path, metavar="FILE", help="rejected rows with their reason"
    )
    add_column_options(ingest)
    ingest.add_argument("--quiet", action="store_true", help="no summary")
    ingest.set_defaults(run=_run_ingest)

    sentiment = commands.add_parser(
        "sentiment",
        help="score the sentiment of a text column",
        description="Add sentiment_score and sentiment_label to every row of a file.",
    )
    sentiment.add_argument("input", type=Path, metavar="INPUT")
    sentiment.add_argument("--text-col", required=True, metavar="NAME", help="the column to score")
    sentiment.add_argument(
        "-o",
        "--output",
        type=Path,
        required=True,
        metavar="SCORED",
        help="scored table (.csv or .parquet)",
    )
    sentiment.add_argument(
        "--rating-col",
        metavar="NAME",
        help="a score on the same row (NPS 0-10, CSAT 1-5, stars) to learn from",
    )
    sentiment.add_argument(
        "--self-train",
        action="store_true",
        help="adapt to this file: learn from the texts the rules are sure about",
    )
    sentiment.add_argument("--quiet", action="store_true", help="no progress bar")
    sentiment.set_defaults(run=_run_sentiment)

    features = commands.add_parser(
        "features",
        help="user-level features for churn models",
        description="Write one row per user with theme and sentiment features (stable column names).",
    )
    features.add_argument("inputs", nargs="+", type=Path, metavar="INPUT")
    features.add_argument(
        "-o", "--output", type=Path, required=True, metavar="FEATURES", help=".parquet or .csv"
    )
    features.add_argument(
        "--taxonomy", type=Path, metavar="FILE.toml", help="taxonomy (default: built in)"
    )
    add_column_options(features)
    add_label_options(features)
    add_run_options(features)
    features.add_argument("--quiet", action="store_true", help="no progress bar or summary")
    features.set_defaults(run=_run_features)

    from .cli_themes import add_theme_commands

    add_theme_commands(commands)

    from .cli_serve import add_serve_command

    add_serve_command(commands)

    demo = commands.add_parser(
        "demo",
        help="analyse the bundled sample data",
        description="Copy the bundled samples to a folder and analyse them.",
    )
    demo.add_argument(
        "-o",
        "--output",
        type=Path,
        default=Path("feedback-miner-demo"),
        metavar="DIR",
        help="folder for the samples and results (default: feedback-miner-demo)",
    )
    demo.add_argument(
        "--lang", choices=("zh", "en"), default="zh", help="report language (default: zh)"
    )
    demo.add_argument(
        "--jobs", type=int, default=1, metavar="N", help="worker processes (default: 1)"
    )
    demo.add_argument("--quiet", action="store_true", help="no progress bar or summary")
    demo.set_defaults(run=_run_demo)
    return parser


def _say(args: argparse.Namespace, message: str) -> None:
    if not getattr(args, "quiet", False):
        print(message, file=sys.stderr)


def _progress(
    args: argparse.Namespace, unit: str
) -> tuple[AbstractContextManager[Any], Callable[[int], None], Callable[[int], None]]:
    """A tqdm bar on a terminal (unless --quiet); callbacks to size and advance it."""
    if getattr(args, "quiet", False) or not sys.stderr.isatty():
        return nullcontext(), lambda n: None, lambda n: None
    from tqdm import tqdm

    bar = tqdm(total=0, unit=unit, file=sys.stderr, dynamic_ncols=True, leave=False)

    def set_total(n: int) -> None:
        bar.total = n
        bar.refresh()

    return bar, set_total, bar.update


def _describe_file(summary: Any) -> str:
    """One line per input: format, encoding, source, counts, rejects by reason, column roles."""
    reasons = ", ".join(f"{k} {v}" for k, v in sorted(summary.rejected.items()))
    return (
        f"{summary.file}: {summary.file_format}, {summary.platform}, {summary.encoding or '-'}, "
        f"{summary.source}; {summary.rows_read} rows -> {summary.records} records, "
        f"{sum(summary.rejected.values())} rejected{f' ({reasons})' if reasons else ''}; "
        f"columns: {summary.describe_roles()}"
    )


def _ingest_options(args: argparse.Namespace) -> Any:
    from .ingest import IngestOptions

    return IngestOptions(
        text_cols=tuple(args.text_col),
        user_id_col=args.id_col,
        time_col=args.time_col,
        source=args.source,
    )


def _analyze(args: argparse.Namespace, *, with_summary: bool = True) -> Any:
    """Run the analysis with the input, label and exposure options of ``args``, with progress."""
    from .pipeline import LabelOptions, analyze

    labels = (
        LabelOptions(
            args.labels,
            id_col=args.label_id_col,
            churn_col=args.label_col,
            date_col=args.churn_date_col,
        )
        if args.labels
        else None
    )
    bar, set_total, advance = _progress(args, "doc")
    with bar:
        return analyze(
            args.inputs,
            labels=labels,
            taxonomy=args.taxonomy,
            ingest_options=_ingest_options(args),
            jobs=args.jobs,
            engine=args.engine,
            scheduler=args.scheduler,
            on_progress=advance,
            on_total=set_total,
            exposure_rule=args.exposure,
            window_days=args.window_days,
            segment_columns=getattr(args, "segment_col", ()),
            seed=getattr(args, "seed", 0),
            with_summary=with_summary,
        )


def _check_run_options(args: argparse.Namespace) -> None:
    """--jobs, --engine and --scheduler, before any work starts."""
    if args.jobs < 1:
        raise FeedbackMinerError(f"--jobs is {args.jobs}; use 1 or more worker processes.")
    if args.engine == "dask":
        from .dask_engine import require_dask

        require_dask()
    elif args.scheduler:
        raise FeedbackMinerError(
            f"--scheduler {args.scheduler} needs --engine dask: the local engine has no scheduler."
        )


def _run_analyze(args: argparse.Namespace) -> int:
    from .report import build_report, check_table_path, write_table_file

    _check_run_options(args)
    if args.docs_sheet_rows is not None and args.docs_sheet_rows < 0:
        raise FeedbackMinerError(
            f"--docs-sheet-rows is {args.docs_sheet_rows}; use 0 or more (0: all documents go to the CSV)."
        )
    if args.output.suffix.lower() != ".xlsx":
        raise FeedbackMinerError(
            f"-o {args.output}: the report is an Excel workbook; give a name ending in .xlsx."
        )
    if not args.output.parent.exists():
        raise FeedbackMinerError(
            f"-o {args.output}: the folder {args.output.parent} does not exist; create it first."
        )
    tables = {
        "--docs": args.docs,
        "--mentions": args.mentions,
        "--attribution": args.attribution,
        "--features": args.features,
    }
    for option, path in tables.items():
        if path is not None:
            check_table_path(path, option)
    if args.attribution is not None and args.labels is None:
        raise FeedbackMinerError(
            "--attribution needs --labels: attribution joins themes to a churn label file."
        )
    result = _analyze(args)
    for summary in result.files:
        _say(args, _describe_file(summary))
    from .pipeline import DOC_COLUMNS, MENTION_COLUMNS

    if args.docs:
        write_table_file(_docs_table(result.docs, DOC_COLUMNS), args.docs)
    if args.mentions:
        write_table_file(_docs_table(result.mentions, MENTION_COLUMNS), args.mentions)
    if args.attribution and result.attribution is not None:
        write_table_file(result.attribution.table, args.attribution)
    if args.features:
        from .features import features_of

        write_table_file(features_of(result), args.features)
    sheet_rows = {} if args.docs_sheet_rows is None else {"max_rows": args.docs_sheet_rows + 2}
    written = build_report(result, args.output, lang=args.lang, **sheet_rows)
    if written.overflow is not None:
        _say(args, f"The documents that do not fit in the sheet are in {written.overflow}")
    _summarise(args, result)
    return 0


def _docs_table(docs: pd.DataFrame, first: Sequence[str]) -> pd.DataFrame:
    return docs[list(first) + [c for c in docs.columns if c not in first]]


def _summarise(args: argparse.Namespace, result: Any) -> None:
    docs = result.docs
    _say(
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
        _say(
            args,
            f"{result.attribution.n_users} users analysed, {result.attribution.n_churned} churned. "
            f"Top reasons: {reasons or 'none with enough users'}.",
        )
    if result.incremental is not None:
        inc = result.incremental
        _say(
            args,
            f"Churn model ROC AUC ({inc.split} cross-validation): {inc.auc_covariates:.3f} on the "
            f"label file's columns, {inc.auc_with_text:.3f} with the text features "
            f"(+{inc.delta:.3f}, 95% CI {inc.ci_low:+.3f} to {inc.ci_high:+.3f}).",
        )
    _say(args, f"Report: {args.output}")


def _run_ingest(args: argparse.Namespace) -> int:
    from .ingest import ingest_files
    from .report import check_table_path, write_table_file

    check_table_path(args.output, "-o")
    if args.rejects is not None:
        check_table_path(args.rejects, "--rejects")
    result = ingest_files(args.inputs, _ingest_options(args))
    write_table_file(result.records, args.output)
    if args.rejects is not None:
        write_table_file(result.rejects, args.rejects)
    for summary in result.files:
        _say(args, _describe_file(summary))
    return 0


def _run_sentiment(args: argparse.Namespace) -> int:
    import numpy as np

    from .ingest import read_raw_table
    from .ingest.columns import find_column
    from .report import check_table_path, write_table_file
    from .sentiment import SentimentScorer, label_score

    check_table_path(args.output, "-o")
    raw = read_raw_table(args.input)
    file = str(raw.path)
    column = find_column(raw.frame, args.text_col, file=file, option="--text-col")
    texts = [t if isinstance(t, str) else "" for t in raw.frame[column]]
    ratings = None
    if args.rating_col:
        rating_col = find_column(raw.frame, args.rating_col, file=file, option="--rating-col")
        ratings = pd.to_numeric(raw.frame[rating_col], errors="coerce").to_numpy(dtype=float)
        if np.isnan(ratings).all():
            raise FeedbackMinerError(
                f"{file}: --rating-col {rating_col!r} holds no numbers; name a column of scores "
                "(NPS 0-10, CSAT 1-5, stars)."
            )
    scorer = SentimentScorer(self_training=args.self_train)
    try:
        if ratings is not None or args.self_train:
            scorer.fit(texts, ratings)
        else:
            scorer.fit()
    except FeedbackMinerError as err:
        raise FeedbackMinerError(f"{file}: --rating-col {args.rating_col!r}: {err}") from None
    if args.rating_col or args.self_train:
        _say(args, _describe_training(scorer))
    scores: list[float] = []
    bar, set_total, advance = _progress(args, "row")
    with bar:
        set_total(len(texts))
        for start in range(0, len(texts), 5000):
            batch = texts[start : start + 5000]
            scores.extend(scorer.transform(batch)[:, 0].tolist())
            advance(len(batch))
    out = raw.frame.copy()
    empty = [not t.strip() for t in texts]
    out["sentiment_score"] = pd.array(
        [None if e or np.isnan(s) else s for s, e in zip(scores, empty, strict=True)],
        dtype="Float64",
    )
    out["sentiment_label"] = [
        None if e or np.isnan(s) else label_score(s, neutral_band=scorer.neutral_band)
        for s, e in zip(scores, empty, strict=True)
    ]
    write_table_file(out, args.output)
    _say(args, f"{len(out)} rows scored -> {args.output}")
    return 0


def _describe_training(scorer: Any) -> str:
    """What adaptation learnt, in one line, so the user can see whether it helped."""
    info = scorer.training_
    if "model_cv_auc" not in info:
        return (
            "Not enough clear examples to adapt (20 positive and 20 negative are needed); "
            "scored with the rules alone."
        )
    line = (
        f"Adapted from {info['source']}: {info['n_positive']} positive and {info['n_negative']} "
        f"negative training texts; cross-validated AUC of the learnt model {info['model_cv_auc']:.3f}"
    )
    if "rules_auc_vs_ratings" in info:
        line += (
            f" (the rules alone agree with the ratings at AUC {info['rules_auc_vs_ratings']:.3f})"
        )
    return line + "."


def _run_features(args: argparse.Namespace) -> int:
    from .features import features_of
    from .report import check_table_path, write_table_file

    _check_run_options(args)
    check_table_path(args.output, "-o")
    result = _analyze(args, with_summary=False)
    table = features_of(result)
    write_table_file(table, args.output)
    _say(args, f"{len(table)} users x {table.shape[1] - 1} features -> {args.output}")
    return 0


def _run_demo(args: argparse.Namespace) -> int:
    from .resources import SAMPLES_PACKAGE, data_root

    folder: Path = args.output
    folder.mkdir(parents=True, exist_ok=True)
    samples = data_root(SAMPLES_PACKAGE)
    for name in (*SAMPLE_INPUTS, SAMPLE_LABELS):
        with samples.joinpath(name).open("rb") as source, (folder / name).open("wb") as target:
            shutil.copyfileobj(source, target)
    _say(args, f"Sample data of a fictional video app copied to {folder}/")
    analyze_args = build_parser().parse_args(
        [
            "analyze",
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
    code = _run_analyze(analyze_args)
    _say(
        args,
        f"Tables: {folder / 'docs.csv'}, {folder / 'mentions.csv'}, {folder / 'attribution.csv'}",
    )
    return code


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="feedback-miner: %(levelname)s: %(message)s")
    import jieba  # noqa: F401  jieba sets its logger to DEBUG on import; quiet it after

    logging.getLogger("jieba").setLevel(logging.WARNING)
    try:
        code: int = args.run(args)
        return code
    except FeedbackMinerError as err:
        print(f"feedback-miner: error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("feedback-miner: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
