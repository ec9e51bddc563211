"""``feedback-miner themes discover|expand|fit``: grow a taxonomy from the user's own texts,
and find which built-in taxonomy fits them."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import FeedbackMinerError
from .common import Parser, ingest_options, say
from .options import add_column_options, add_csv_options

if TYPE_CHECKING:
    from ..themes import Taxonomy

__all__ = ["register"]


def _k(value: str) -> int | str:
    if value == "auto":
        return value
    try:
        return int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"-k is {value!r}; use a whole number or auto.") from None


def register(commands: Any) -> None:
    """Add ``themes discover``, ``themes expand`` and ``themes fit`` to the sub-command parsers."""
    themes = commands.add_parser(
        "themes",
        help="propose new themes and keywords",
        description="Grow a taxonomy from your data.",
    )
    actions = themes.add_subparsers(
        dest="action", required=True, metavar="ACTION", parser_class=Parser
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
        "--taxonomy",
        metavar="PACK|FILE.toml",
        help="taxonomy whose themes are known (default: the built-in pack that fits best)",
    )
    discover.add_argument(
        "--all", action="store_true", help="model all texts, not only uncovered ones"
    )
    add_column_options(discover)
    add_csv_options(discover)
    discover.add_argument("--quiet", action="store_true", help="no summary")
    discover.set_defaults(run=_run_discover)

    expand = actions.add_parser(
        "expand",
        help="suggest new keywords for each theme",
        description="Suggest keywords for each theme from word vectors trained on your texts.",
    )
    expand.add_argument("inputs", nargs="+", type=Path, metavar="INPUT")
    expand.add_argument("--taxonomy", required=True, metavar="PACK|FILE.toml")
    expand.add_argument("-o", "--output", type=Path, required=True, metavar="SUGGESTIONS.csv")
    expand.add_argument("--seed", type=int, default=0, metavar="N", help="random seed (default: 0)")
    add_column_options(expand)
    add_csv_options(expand)
    expand.add_argument("--quiet", action="store_true", help="no summary")
    expand.set_defaults(run=_run_expand)

    fit = actions.add_parser(
        "fit",
        help="how well each built-in taxonomy covers your texts",
        description="Match every built-in taxonomy pack (and any --taxonomy files) against the "
        "texts: the share of documents, and of negative documents, that get a theme; the pack "
        "analyze --taxonomy auto would use is marked chosen.",
    )
    fit.add_argument("inputs", nargs="+", type=Path, metavar="INPUT")
    fit.add_argument("-o", "--output", type=Path, required=True, metavar="FIT.csv")
    fit.add_argument(
        "--taxonomy",
        action="append",
        default=[],
        type=Path,
        metavar="FILE.toml",
        help="also compare this taxonomy file (repeatable)",
    )
    add_column_options(fit)
    add_csv_options(fit)
    fit.add_argument("--quiet", action="store_true", help="no summary")
    fit.set_defaults(run=_run_fit)


def _run_discover(args: argparse.Namespace) -> int:
    from ..ingest import ingest_files
    from ..pipeline import analyze
    from ..report import check_output_path, check_table_path, replacing, write_table_file
    from ..sentiment import SentimentScorer
    from ..summary.emerging import MAX_TEXTS, emerging_themes
    from ..themes.discover import MIN_TEXTS
    from ..themes.proposals import nothing_to_propose, to_toml, topic_assignments

    if args.output.suffix.lower() != ".toml":
        raise FeedbackMinerError(
            f"-o {args.output}: proposed themes are written as TOML; give a name ending in .toml."
        )
    check_output_path(args.output, "-o")
    if args.assignments is not None:
        check_table_path(args.assignments, "--assignments")
    # the analysis's own documents (its taxonomy, learned themes and sentiment adapted to any
    # ratings), so that the proposals are those of the report's 新主题 sheet
    result = analyze(
        args.inputs,
        taxonomy=args.taxonomy or "auto",
        ingest_options=ingest_options(args),
        seed=args.seed,
        with_summary=False,
    )
    docs, taxonomy = result.docs, result.taxonomy
    if result.taxonomy_fit is not None and result.taxonomy_fit.how == "auto":
        say(
            args,
            f"Taxonomy: {result.taxonomy_fit.taxonomy} (the built-in pack that fits the texts "
            "best; --taxonomy to change).",
        )
    found = emerging_themes(
        docs,
        seed=args.seed,
        scorer=SentimentScorer().fit(),
        k=args.k,
        all_texts=args.all,
        names=taxonomy.competitors,
    )
    covered = int((docs["themes"].fillna("") != "").sum())
    scope = "all texts" if args.all else "the complaints no theme covers"
    sampled = (
        f", a seeded sample of {MAX_TEXTS:,} of {found.uncovered:,}"
        if found.used < found.uncovered
        else ""
    )
    say(
        args,
        f"{len(docs)} texts, {covered} covered by the taxonomy; looking for topics in "
        f"{found.used} ({scope}{sampled}).",
    )
    topic = [-1] * len(docs)
    if found.discovery is None:
        if args.all or found.reason != "too_few":
            hint = "" if args.all else " Or use --all to include texts the taxonomy already covers."
            raise FeedbackMinerError(found.message + hint)
        # the taxonomy already names nearly every complaint: that is an answer, not a failure
        reason = (
            f"Only {found.used} complaint{'s' if found.used != 1 else ''} no theme covers: too "
            f"few to find topics in (discovery needs {MIN_TEXTS}); the taxonomy names the "
            "others. Read them below, or use --all to look for topics in all texts"
        )
        with replacing(args.output, "-o") as temporary:
            temporary.write_text(nothing_to_propose(reason, found.texts), encoding="utf-8")
        message = f"{reason}: {args.output}"
    else:
        with replacing(args.output, "-o") as temporary:
            temporary.write_text(to_toml(found.discovery) + "\n", encoding="utf-8")
        for row, assigned in zip(found.rows, found.discovery.assignments.tolist(), strict=True):
            topic[row] = int(assigned)
        say(args, f"{found.discovery.k_reason}.")
        for t in found.discovery.topics:
            say(args, f"  topic {t.index} {t.name}: {t.size} texts; {'·'.join(t.keywords[:5])}")
        message = f"{found.discovery.k} topics -> {args.output}"
    if args.assignments is not None:
        ingested = ingest_files(args.inputs, ingest_options(args), row_numbers=True)
        by_doc = dict(zip(docs["doc_id"], topic, strict=True))
        table = topic_assignments(
            ingested.records,
            ingested.rejects,
            [f.file for f in ingested.files],
            [by_doc.get(d, -1) for d in ingested.records["doc_id"]],
        )
        write_table_file(table, args.assignments, raw=args.raw_csv, option="--assignments")
    say(args, message)
    return 0


def _run_expand(args: argparse.Namespace) -> int:
    from ..ingest import ingest_files
    from ..report import check_table_path, write_table_file
    from ..stages import AnalyzerSpec, build_stages
    from ..themes.expand import suggest_keywords

    check_table_path(args.output, "-o")
    records = ingest_files(args.inputs, ingest_options(args)).records
    taxonomy = _taxonomy_for(args, records["text"].tolist())
    matcher = build_stages(AnalyzerSpec(taxonomy=taxonomy)).matcher
    table = suggest_keywords(
        records["text"].tolist(), taxonomy, tokenizer=matcher.tokenizer_, seed=args.seed
    )
    write_table_file(table, args.output, raw=args.raw_csv, option="-o")
    say(
        args,
        f"{len(table)} keyword suggestions for {table['theme_id'].nunique()} themes -> {args.output}",
    )
    return 0


def _taxonomy_for(args: argparse.Namespace, texts: list[str]) -> Taxonomy:
    """The taxonomy of ``--taxonomy``, or the built-in pack that fits ``texts`` best."""
    from ..themes import load_pack
    from ..themes.fit import fit_taxonomies, resolve_taxonomy

    taxonomy = resolve_taxonomy(args.taxonomy)[1]
    if taxonomy is not None:
        return taxonomy
    chosen = fit_taxonomies(texts).chosen
    say(
        args,
        f"Taxonomy: {chosen} (the built-in pack that fits the texts best; --taxonomy to change).",
    )
    return load_pack(chosen)


def _run_fit(args: argparse.Namespace) -> int:
    from ..ingest import ingest_files
    from ..report import check_table_path, write_table_file
    from ..summary.coverage import LOW_COVERAGE
    from ..themes import PACKS, load_pack, load_taxonomy
    from ..themes.fit import fit_taxonomies

    check_table_path(args.output, "-o")
    candidates = [(pack, load_pack(pack)) for pack in PACKS]
    candidates += [(str(path), load_taxonomy(path)) for path in args.taxonomy]
    records = ingest_files(args.inputs, ingest_options(args)).records
    result = fit_taxonomies(records["text"].tolist(), candidates)
    write_table_file(result.table(), args.output, raw=args.raw_csv, option="-o")
    best = result.of(result.chosen)
    say(
        args,
        f"{best.documents} documents, {best.negative_documents} negative. Best fit: "
        f"{result.chosen} ({best.coverage:.0%} of documents, {best.negative_coverage:.0%} of "
        f"negative ones get a theme) -> {args.output}",
    )
    if best.negative_documents and best.negative_coverage < LOW_COVERAGE:
        say(
            args,
            f"Warning (low_coverage): even {result.chosen} gives a theme to only "
            f"{best.negative_coverage:.0%} of the negative documents. Run feedback-miner themes "
            "discover on these inputs to propose themes for the others.",
        )
    return 0
