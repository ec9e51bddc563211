"""Reviews in eight product and service categories, put together from the team's pieces
(``tests/fixtures/reviews.toml``) with a fixed seed.

A review is an optional opener, one to four clauses about the category's aspects
(praise or complaint, each with its own subject phrasing) or a whole sentence
written as one piece, and an optional closer that only judges. Some reviews name a
brand, address a company's account (@中国电信客服) or carry a site's footer; a few
are two-character answers. The mood of a review (mostly negative, mostly positive,
mixed) decides which way its clauses lean, so the corpus holds praise and
complaints in every category.

    python tests/review_corpus.py -o reviews.csv --per-category 250
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

PIECES = Path(__file__).resolve().parent / "fixtures" / "reviews.toml"
_PUNCT = ("，", "，", "，", "。", "！", "; ", " ", "～")
_ENDS = ("", "。", "！", "。", "!!", "…", "")


def _pick(rng: np.random.Generator, items: list[str]) -> str:
    return items[int(rng.integers(len(items)))]


def _clause(rng: np.random.Generator, aspect: dict[str, Any], lean: float) -> str:
    negative = rng.random() < lean
    pool = aspect["complaint"] if negative or not aspect.get("praise") else aspect["praise"]
    subject = _pick(rng, aspect["subjects"])
    link = _pick(rng, ["", "", "", "真的", "就是", "感觉"]) if negative else ""
    phrase = _pick(rng, pool)
    if any(phrase.startswith(s[:2]) for s in aspect["subjects"]):  # 色差很大 names its subject
        return link + phrase
    return subject + link + phrase


def review(rng: np.random.Generator, pieces: dict[str, Any], category: str) -> str:
    """One review of ``category``."""
    common, spec = pieces["common"], pieces["categories"][category]
    if rng.random() < 0.03:
        return _pick(rng, common["short_answers"])
    mood = rng.choice(["negative", "positive", "mixed"], p=[0.45, 0.3, 0.25])
    lean = {"negative": 0.85, "positive": 0.12, "mixed": 0.5}[str(mood)]
    parts: list[str] = []
    if rng.random() < 0.3:
        parts.append(_pick(rng, common["openers"]))
    product = _pick(rng, spec["products"]).replace("{brand}", _pick(rng, spec["brands"]))
    n_clauses = int(rng.choice([1, 2, 2, 3, 3, 4]))
    order = rng.permutation(len(spec["aspects"]))[:n_clauses]
    sentences = list(rng.permutation(spec["sentences"]))
    for position, index in enumerate(order):
        if rng.random() < 0.25:
            parts.append(str(sentences.pop()))  # each whole sentence at most once a review
            continue
        clause = _clause(rng, spec["aspects"][int(index)], lean)
        if position == 0 and rng.random() < 0.6:
            joint = "的" if rng.random() < 0.5 and not product.endswith("的") else ""
            clause = product + joint + clause
        parts.append(clause)
    closer = rng.random()
    if closer < 0.45:
        pool = {
            "negative": common["complaint_closers"],
            "positive": common["praise_closers"],
            "mixed": common["neutral_closers"],
        }[str(mood)]
        parts.append(_pick(rng, pool))
    text = parts[0]
    for part in parts[1:]:
        text += _pick(rng, list(_PUNCT)) + part
    text += _pick(rng, list(_ENDS))
    if spec.get("handles") and rng.random() < 0.3:
        text = _pick(rng, spec["handles"]) + " " + text
    if spec.get("footer") and rng.random() < 0.35:
        text += spec["footer"]
    return text


def review_corpus(per_category: int = 250, seed: int = 7) -> pd.DataFrame:
    """``per_category`` reviews of each category, shuffled: columns ``text`` and ``category``."""
    pieces = tomllib.loads(PIECES.read_text(encoding="utf-8"))
    rng = np.random.default_rng(seed)
    rows = [
        {"text": review(rng, pieces, category), "category": category}
        for category in pieces["categories"]
        for _ in range(per_category)
    ]
    frame = pd.DataFrame(rows)
    return frame.iloc[rng.permutation(len(frame))].reset_index(drop=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", type=Path, required=True)
    parser.add_argument("--per-category", type=int, default=250)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    review_corpus(args.per_category, args.seed).to_csv(args.output, index=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
