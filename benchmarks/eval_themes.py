"""Theme matching against aspect labels: detection micro-F1 and sentiment sign agreement.

    python benchmarks/eval_themes.py ../shared/data/dev/asap_*_sample.csv \\
        --taxonomy lexicons/taxonomy/restaurant.toml

The CSVs hold a review text column (``reviewbody``) and one column per aspect
whose name is a theme id of the taxonomy: 1 positive, 0 neutral, -1 negative,
-2 not mentioned. A theme is detected when the matcher finds a mention; it is
truly mentioned when the label is not -2. Sign agreement compares, for the
detected mentions whose label is 1 or -1, the sign of the mention's sentiment
with the label (mentions scored exactly 0 count as disagreeing).

ASAP annotates a coarse statement (环境不错, 地理位置好) under each fine aspect
of its category (decoration, noise, space and cleanliness alike). In our packs
such words belong to the parent theme (``environment``); so, by default, a
mention of a parent counts for each of its children that has no mention of
its own, with the parent's sentiment. ``--strict`` counts only the aspects'
own mentions; both ways are printed.

With ``--learned`` the theme models are learned from the evaluated reviews'
own keyword matches first, as ``analyze`` does on a corpus of 200 documents or
more (:mod:`feedback_miner.themes.learned`).

Negative-aspect detection is what churn analysis lives on: an aspect is truly
negative when its label is -1, and found negative when its mention's sentiment
is at or below -0.1 (the neutral band of ``analyze``); its precision, recall
and micro-F1 are printed after the detection figures.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from feedback_miner.engines import analyze_records
from feedback_miner.stages import AnalyzerSpec, build_stages
from feedback_miner.text import mask_pii, normalize_text, to_simplified
from feedback_miner.themes import Taxonomy, load_taxonomy
from feedback_miner.themes.corpus import fit_corpus

NEUTRAL_BAND = 0.1


def _found(
    mentions: pd.DataFrame, n: int, aspects: list[str], taxonomy: Taxonomy, *, strict: bool
) -> list[dict[str, float]]:
    """Per review, aspect -> sentiment of its mention (or of its parent's, unless strict)."""
    own: list[dict[str, float]] = [{} for _ in range(n)]
    for doc, theme, score in zip(
        mentions["doc_id"], mentions["theme_id"], mentions["sentiment_score"], strict=True
    ):
        own[int(doc)][theme] = float(score)
    if strict:
        return own
    found = []
    for themes in own:
        row = dict(themes)
        for aspect in aspects:
            if aspect not in row:
                parent = next((p for p in taxonomy.ancestors(aspect) if p in themes), None)
                if parent is not None:
                    row[aspect] = themes[parent]
        found.append(row)
    return found


def _report(frame: pd.DataFrame, aspects: list[str], found: list[dict[str, float]]) -> None:
    truth = frame[aspects].to_numpy() != -2
    predicted = np.array([[a in f for a in aspects] for f in found])
    tp, fp, fn = (truth & predicted).sum(), (~truth & predicted).sum(), (truth & ~predicted).sum()
    precision, recall = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
    f1 = 2 * precision * recall / max(precision + recall, 1e-12)
    print(f"detection: precision {precision:.3f} recall {recall:.3f} micro-F1 {f1:.3f}")
    negative_truth = frame[aspects].to_numpy() == -1
    negative_found = np.array([[a in f and f[a] <= -NEUTRAL_BAND for a in aspects] for f in found])
    n_tp = (negative_truth & negative_found).sum()
    n_p = n_tp / max(negative_found.sum(), 1)
    n_r = n_tp / max(negative_truth.sum(), 1)
    n_f1 = 2 * n_p * n_r / max(n_p + n_r, 1e-12)
    print(
        f"negative aspects ({int(negative_truth.sum())} labelled): precision {n_p:.3f} "
        f"recall {n_r:.3f} F1 {n_f1:.3f}"
    )
    agree = total = 0
    rows = []
    for j, aspect in enumerate(aspects):
        labels = frame[aspect].to_numpy()
        a_tp = int((truth[:, j] & predicted[:, j]).sum())
        a_f1 = 2 * a_tp / max(truth[:, j].sum() + predicted[:, j].sum(), 1)
        a_agree = a_total = 0
        for i, f in enumerate(found):
            if aspect in f and labels[i] in (1, -1):
                a_total += 1
                a_agree += int(np.sign(f[aspect]) == labels[i])
        agree, total = agree + a_agree, total + a_total
        rows.append(
            (
                aspect,
                int(truth[:, j].sum()),
                int(predicted[:, j].sum()),
                a_f1,
                a_agree / max(a_total, 1),
            )
        )
    print(
        f"sentiment sign agreement on non-neutral labels: {agree / max(total, 1):.3f} ({agree}/{total})"
    )
    print(f"{'aspect':<42} {'true':>5} {'found':>5} {'F1':>6} {'sign':>6}")
    for aspect, n_true, n_found, a_f1, a_sign in rows:
        print(f"{aspect:<42} {n_true:>5} {n_found:>5} {a_f1:>6.2f} {a_sign:>6.2f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", type=Path, nargs="+")
    parser.add_argument("--taxonomy", type=Path, required=True)
    parser.add_argument("--text-col", default="reviewbody")
    parser.add_argument("--strict", action="store_true", help="only the aspects' own mentions")
    parser.add_argument(
        "--learned", action="store_true", help="learn theme models from the reviews first"
    )
    args = parser.parse_args()
    missing = [p for p in args.paths if not p.is_file()]
    if missing:
        print(f"not found: {', '.join(map(str, missing))}; nothing to evaluate.", file=sys.stderr)
        return 0
    frame = pd.concat([pd.read_csv(p) for p in args.paths], ignore_index=True)
    taxonomy = load_taxonomy(args.taxonomy)
    aspects = [t for t in taxonomy.ids if t in frame.columns]
    # cleaned as ingest cleans a survey answer
    texts = [
        mask_pii(to_simplified(normalize_text(t)))
        for t in frame[args.text_col].fillna("").astype(str)
    ]
    started = time.perf_counter()
    spec = AnalyzerSpec(taxonomy=taxonomy)
    if args.learned:
        corpus = fit_corpus(texts, build_stages(spec).matcher, learned="on", seed=0)
        spec = AnalyzerSpec(taxonomy=taxonomy, corpus=corpus)
        models = corpus.learned
        print(f"learned models: {len(models.theme_indices) if models else 0} themes")
    records = pd.DataFrame(
        {
            "doc_id": [str(i) for i in range(len(texts))],
            "user_id": None,
            "source": "survey",
            "created_at": pd.NaT,
            "text": texts,
        }
    )
    _, mentions = analyze_records(records, spec)
    seconds = time.perf_counter() - started
    print(f"{len(frame)} reviews, {len(aspects)} aspects, {len(frame) / seconds:.0f} reviews/s")
    if args.learned:
        print(
            f"learned mentions: {int((mentions['method'] == 'learned').sum())} of {len(mentions)}"
        )
    for strict in (True, False) if not args.strict else (True,):
        print(
            "\n"
            + (
                "own mentions only (--strict)"
                if strict
                else "a parent's mention counts for its children"
            )
        )
        _report(frame, aspects, _found(mentions, len(frame), aspects, taxonomy, strict=strict))
    return 0


if __name__ == "__main__":
    sys.exit(main())
