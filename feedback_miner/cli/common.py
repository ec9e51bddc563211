"""What every command shares: the argument parser class, messages, progress bars, and
turning options into the package's option objects."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from typing import TYPE_CHECKING, Any, NoReturn

from ..errors import FeedbackMinerError

if TYPE_CHECKING:
    from ..ingest import FileSummary, IngestOptions
    from ..result import AnalysisResult, LabelOptions

__all__ = [
    "Parser",
    "Progress",
    "check_run_options",
    "describe_file",
    "ingest_options",
    "label_options",
    "progress",
    "run_analysis",
    "say",
]

Progress = tuple[AbstractContextManager[Any], Callable[[int], None], Callable[[int], None]]


class Parser(argparse.ArgumentParser):
    """argparse's parser, whose usage errors exit 2 with a ``feedback-miner: error:`` line."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"feedback-miner: error: {message}\n")


def say(args: argparse.Namespace, message: str) -> None:
    """Print ``message`` on stderr unless ``--quiet``."""
    if not getattr(args, "quiet", False):
        print(message, file=sys.stderr)


def progress(args: argparse.Namespace, unit: str) -> Progress:
    """A tqdm bar on a terminal (unless --quiet); callbacks to size and advance it."""
    if getattr(args, "quiet", False) or not sys.stderr.isatty():
        return nullcontext(), lambda n: None, lambda n: None
    from tqdm import tqdm

    bar = tqdm(total=0, unit=unit, file=sys.stderr, dynamic_ncols=True, leave=False)

    def set_total(n: int) -> None:
        bar.total = n
        bar.refresh()

    return bar, set_total, bar.update


def describe_file(summary: FileSummary) -> str:
    """One line per input: format, encoding, source, counts, rejects by reason, column roles."""
    reasons = ", ".join(f"{k} {v}" for k, v in sorted(summary.rejected.items()))
    sheet = ""
    if summary.sheet is not None:
        sheet = f" sheet {summary.sheet!r}"
        if summary.other_sheets:
            others = ", ".join(repr(s) for s in summary.other_sheets)
            sheet += f" (not read: {others}; --sheet NAME reads another)"
        sheet += ","
    return (
        f"{summary.file}:{sheet} {summary.file_format}, {summary.platform}, "
        f"{summary.encoding or '-'}, "
        f"{summary.source}; {summary.rows_read} rows -> {summary.records} records, "
        f"{sum(summary.rejected.values())} rejected{f' ({reasons})' if reasons else ''}; "
        f"columns: {summary.describe_roles()}"
    )


def ingest_options(args: argparse.Namespace) -> IngestOptions:
    """The input column options of ``args``."""
    from ..ingest import IngestOptions

    return IngestOptions(
        text_cols=tuple(args.text_col),
        user_id_col=args.id_col,
        time_col=args.time_col,
        source=args.source,
        sheet=getattr(args, "sheet", None),
    )


def label_options(args: argparse.Namespace) -> LabelOptions | None:
    """The churn label options of ``args``; ``None`` without ``--labels``."""
    from ..result import LabelOptions

    if not args.labels:
        return None
    return LabelOptions(
        args.labels,
        id_col=args.label_id_col,
        churn_col=args.label_col,
        date_col=args.churn_date_col,
        as_of=getattr(args, "as_of", None),
    )


def check_run_options(args: argparse.Namespace) -> None:
    """--jobs, --engine and --scheduler, before any work starts."""
    if args.jobs < 1:
        raise FeedbackMinerError(f"--jobs is {args.jobs}; use 1 or more worker processes.")
    if args.engine == "dask":
        from ..engines import require_dask

        require_dask()
    elif args.scheduler:
        raise FeedbackMinerError(
            f"--scheduler {args.scheduler} needs --engine dask: the local engine has no scheduler."
        )


def run_analysis(args: argparse.Namespace, *, with_summary: bool = True) -> AnalysisResult:
    """Run the analysis with the input, label and exposure options of ``args``, with progress."""
    from ..pipeline import analyze
    from ..scores import ScoreOptions

    scores = ScoreOptions(
        score_col=getattr(args, "score_col", None),
        score_metric=getattr(args, "score_metric", None),
        period=getattr(args, "period", "month"),
        split_date=getattr(args, "split_date", None),
        baseline=getattr(args, "baseline", None),
    )
    bar, set_total, advance = progress(args, "doc")
    with bar:
        return analyze(
            args.inputs,
            labels=label_options(args),
            taxonomy=args.taxonomy,
            learned=getattr(args, "learned", "auto"),
            ingest_options=ingest_options(args),
            jobs=args.jobs,
            engine=args.engine,
            scheduler=args.scheduler,
            on_progress=advance,
            on_total=set_total,
            exposure_rule=args.exposure,
            window_days=args.window_days,
            undated=args.undated,
            adjust_for=tuple(args.adjust_for),
            segment_columns=getattr(args, "segment_col", ()),
            scores=scores,
            seed=getattr(args, "seed", 0),
            self_train=getattr(args, "self_train", False),
            rating_adapt=getattr(args, "rating_adapt", True),
            with_summary=with_summary,
        )
