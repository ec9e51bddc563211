"""Mentions that rest only on @handles, on Weibo helpdesk threads.

    python benchmarks/eval_entities.py ../shared/data/dev/stc3_helpdesk_test.csv

The input is a one-row-per-message chat export whose customers address
accounts such as @中国电信客服. For each mention of a theme, the same text with
every handle, ``回复@…:`` and ``//@…`` chain cut out (a plain pattern, as a
reader would) is matched again: a mention that disappears rested only on
handles. Printed per theme, with the share of documents each theme reaches and
the addressees found. Pass ``--taxonomy`` to use a pack or file (default: the
default taxonomy, which has 客服服务).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import pandas as pd

from feedback_miner.engines import analyze_records
from feedback_miner.ingest import ingest_file
from feedback_miner.stages import AnalyzerSpec
from feedback_miner.themes.fit import resolve_taxonomy

# a handle ends at a space or punctuation, or, run into the text, after 客服 or 官方
_HANDLE = re.compile(
    r"(?:回复)?[@＠][\w\-]{1,30}?(?:客服|官方|(?=[\s,，。.:：!！?？@]|$))[:：]?|//[@＠].*"
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--taxonomy", default="default")
    args = parser.parse_args()
    if not args.path.is_file():
        print(f"not found: {args.path}; nothing to evaluate.", file=sys.stderr)
        return 0
    taxonomy = resolve_taxonomy(args.taxonomy)[1]
    if taxonomy is None:
        print("give a pack or a file with --taxonomy (auto is not evaluated).", file=sys.stderr)
        return 2
    records = ingest_file(args.path).records
    spec = AnalyzerSpec(taxonomy=taxonomy)
    docs, mentions = analyze_records(records, spec)
    cut = records.assign(text=records["text"].map(lambda t: _HANDLE.sub(" ", t)))
    _, again = analyze_records(cut, spec)
    kept = set(zip(again["doc_id"], again["theme_id"], strict=True))
    mentions = mentions.assign(
        only_handles=[
            (d, t) not in kept
            for d, t in zip(mentions["doc_id"], mentions["theme_id"], strict=True)
        ]
    )
    print(f"{len(docs)} documents, {int(docs['text'].str.contains('@').sum())} with an @handle")
    print(f"{'theme':<22} {'mentions':>8} {'of docs':>8} {'only handles':>13}")
    for theme_id, group in mentions.groupby("theme_id", sort=False):
        print(
            f"{theme_id:<22} {len(group):>8} {len(group) / max(len(docs), 1):>8.1%} "
            f"{int(group['only_handles'].sum()):>6} ({group['only_handles'].mean():.1%})"
        )
    total = mentions["only_handles"]
    print(
        f"all mentions: {len(mentions)}, resting only on handles {int(total.sum())} ({total.mean():.1%})"
    )
    addressees = docs["addressee"].replace("", pd.NA).dropna().value_counts().head(8)
    print("addressees:", ", ".join(f"{name} {n}" for name, n in addressees.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
