"""The ``feedback-miner themes discover|expand`` commands (registered by :mod:`feedback_miner.cli`)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import pandas as pd

from .cli import _ingest_options, _Parser, _say
from .cli_options import add_column_options
from .errors import FeedbackMinerError

__all__ = ["add_theme_commands"]


def _k(value: str) -> int | str:
    if value == "auto":
        return value
    try:
        return int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"-k is {value!r}; use a whole number or auto.") from None


def add_theme_commands(commands: Any) -> None:
    """Add ``themes discover`` and ``themes expand`` to the sub-command parsers."""
    themes = commands.add_parser(
        "themes",
        help="propose new themes and keywords",
        description="Grow a taxonomy from your data.",
    )
    actions = themes.add_subparsers(
        dest="action", required=True, metavar="ACTION", parser_class=_Parser
    )

    discover = actions.add_parser(
        "discover",
        help="propose emerging themes the taxonomy misses",
        description="Find topics among texts the taxonomy does not cover and write them as TOML blocks.",
    )
    discover.add_argument("inputs", nargs="+", type=Path, metavar="INPUT")
    discover.add_argument(
        "-k", type=_k, default="auto", metavar="N|auto", help="number of topics (default: auto)"
    )
    discover.add_argument(
        "--seed", type=int, default=0, metavar="N", help="random seed (default: 0)"
    )
    discover.add_argument("-o", "--output", type=Path, required=True, metavar="PROPOSED.toml")
    discover.add_argument(
        "--assignments", type=Path, metavar="FILE", help="the topic of every input row"
    )
    discover.add_argument(
        "--taxonomy", type=Path, metavar="FILE.toml", help="taxonomy whose themes are known"
    )
    discover.add_argument(
        "--all", action="store_true", help="model all texts, not only uncovered ones"
    )
    add_column_options(discover)
    discover.add_argument("--quiet", action="store_true", help="no summary")
    discover.set_defaults(run=_run_discover)

    expand = actions.add_parser(
        "expand",
        help="suggest new keywords for each theme",
        description="Suggest keywords for each theme from word vectors trained on your texts.",
    )
    expand.add_argument("inputs", nargs="+", type=Path, metavar="INPUT")
    expand.add_argument("--taxonomy", type=Path, required=True, metavar="FILE.toml")
    expand.add_argument("-o", "--output", type=Path, required=True, metavar="SUGGESTIONS.csv")
    expand.add_argument("--seed", type=int, default=0, metavar="N", help="random seed (default: 0)")
    add_column_options(expand)
    expand.add_argument("--quiet", action="store_true", help="no summary")
    expand.set_defaults(run=_run_expand)


def _run_discover(args: argparse.Namespace) -> int:
    from .ingest import ingest_files
    from .pipeline import AnalyzerSpec, _stages
    from .report import check_table_path, write_table_file
    from .themes import load_taxonomy
    from .themes.discover import discover_topics, to_toml

    if args.output.suffix.lower() != ".toml":
        raise FeedbackMinerError(
            f"-o {args.output}: proposed themes are written as TOML; give a name ending in .toml."
        )
    if args.assignments is not None:
        check_table_path(args.assignments, "--assignments")
    taxonomy = load_taxonomy(args.taxonomy)
    ingested = ingest_files(args.inputs, _ingest_options(args), row_numbers=True)
    records = ingested.records
    _, matcher = _stages(AnalyzerSpec(taxonomy=taxonomy))
    texts = records["text"].tolist()
    matrix = matcher.transform(texts).to_numpy()
    covered = [bool(row.any()) for row in matrix]
    modelled = [i for i in range(len(texts)) if args.all or not covered[i]]
    _say(
        args,
        f"{len(texts)} texts, {len(texts) - len(modelled)} covered by the taxonomy; "
        f"looking for topics in {len(modelled)}.",
    )
    found = discover_topics(
        [texts[i] for i in modelled], k=args.k, seed=args.seed, tokenizer=matcher.tokenizer_
    )
    args.output.write_text(to_toml(found) + "\n", encoding="utf-8")
    if args.assignments is not None:
        topic = [-1] * len(texts)
        for position, index in enumerate(modelled):
            topic[index] = int(found.assignments[position])
        kept = pd.DataFrame(
            {
                "file": [_file_of(d, ingested) for d in records["doc_id"]],
                "row": records["row"],
                "doc_id": records["doc_id"],
                "topic": topic,
            }
        )
        rejected = pd.DataFrame(
            {
                "file": ingested.rejects["file"],
                "row": ingested.rejects["row"],
                "doc_id": ingested.rejects["doc_id"],
                "topic": -1,
            }
        )
        table = pd.concat([kept, rejected], ignore_index=True)
        order = {f.file: i for i, f in enumerate(ingested.files)}
        table = table.sort_values(
            ["file", "row"], key=lambda s: s.map(order) if s.name == "file" else s, kind="mergesort"
        )
        write_table_file(table.reset_index(drop=True), args.assignments)
    sizes = ", ".join(str(t.size) for t in sorted(found.topics, key=lambda t: -t.size) if t.size)
    _say(args, f"{found.k} topics (texts per topic: {sizes}) -> {args.output}")
    return 0


def _file_of(doc_id: str, ingested: Any) -> str:
    stem = doc_id.split(":", 1)[0]
    return next((f.file for f in ingested.files if Path(f.file).stem == stem), "")


def _run_expand(args: argparse.Namespace) -> int:
    from .ingest import ingest_files
    from .pipeline import AnalyzerSpec, _stages
    from .report import check_table_path, write_table_file
    from .themes import load_taxonomy
    from .themes.expand import suggest_keywords

    check_table_path(args.output, "-o")
    taxonomy = load_taxonomy(args.taxonomy)
    records = ingest_files(args.inputs, _ingest_options(args)).records
    _, matcher = _stages(AnalyzerSpec(taxonomy=taxonomy))
    table = suggest_keywords(
        records["text"].tolist(), taxonomy, tokenizer=matcher.tokenizer_, seed=args.seed
    )
    write_table_file(table, args.output)
    _say(
        args,
        f"{len(table)} keyword suggestions for {table['theme_id'].nunique()} themes -> {args.output}",
    )
    return 0
