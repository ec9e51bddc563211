"""``feedback-miner sentiment``: a score and label for every row of a file."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ..errors import FeedbackMinerError
from .common import progress, say
from .options import add_csv_options

__all__ = ["register", "run"]


def register(commands: Any) -> None:
    """Add ``sentiment`` to the sub-command parsers."""
    parser = commands.add_parser(
        "sentiment",
        help="score the sentiment of a text column",
        description="Add sentiment_score and sentiment_label to every row of a file.",
    )
    parser.add_argument("input", type=Path, metavar="INPUT")
    parser.add_argument("--text-col", required=True, metavar="NAME", help="the column to score")
    parser.add_argument(
        "--sheet",
        metavar="NAME",
        help="the sheet of a workbook (default: the one with most values)",
    )
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        required=True,
        metavar="SCORED",
        help="scored table (.csv or .parquet)",
    )
    parser.add_argument(
        "--rating-col",
        metavar="NAME",
        help="a score on the same row (NPS 0-10, CSAT 1-5, stars) to learn from",
    )
    parser.add_argument(
        "--self-train",
        action="store_true",
        help="adapt to this file: learn from the texts the rules are sure about",
    )
    add_csv_options(parser)
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Read the file, fit the scorer (adapted when asked), score every row and write it."""
    import numpy as np
    import pandas as pd

    from ..ingest import read_raw_table
    from ..ingest.columns import find_column
    from ..ingest.raw import require_every_row
    from ..report import check_table_path, write_table_file
    from ..sentiment import SentimentScorer, score_table

    check_table_path(args.output, "-o")
    raw = read_raw_table(args.input, sheet=getattr(args, "sheet", None))
    require_every_row(raw, "The sentiment command (one output row per input row)")
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
            scorer.fit(texts, ratings=ratings)
        else:
            scorer.fit()
    except FeedbackMinerError as err:
        raise FeedbackMinerError(f"{file}: --rating-col {args.rating_col!r}: {err}") from None
    if scorer.training_ is not None:
        say(args, scorer.training_.describe())
    bar, set_total, advance = progress(args, "row")
    with bar:
        set_total(len(texts))
        out = score_table(raw.frame, texts, scorer, on_progress=advance)
    write_table_file(out, args.output, raw=args.raw_csv, option="-o")
    say(args, f"{len(out)} rows scored -> {args.output}")
    return 0
