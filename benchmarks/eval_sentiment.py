"""Evaluate sentiment: quality on labelled reviews, three labels on rated reviews, and speed.

    python benchmarks/eval_sentiment.py ../shared/data/dev/waimai_10k.csv

On a CSV with a text column and a 1/0 label column (``--text-col``,
``--label-col``), on the same rows:

- ``rules``: the rule scorer alone;
- ``self-trained``: fitted on the texts alone (no labels), rules + n-gram model;
- ``rating-adapted``: a 1-5 rating is simulated from the labels of half the
  rows (positive -> 4-5, negative -> 1-2, ``--rating-noise`` of them given
  the opposite rating); the scorer learns from those ratings and is measured
  on the *other* half, whose labels it never saw (``rules`` on that half is
  printed beside it). The held-back agreement the scorer reports to users is
  printed too.

Binary labels meet a three-way scorer, so macro-F1 is given two ways:
``F1(sign)`` predicts positive when the score is above 0 (a text with no
sentiment evidence is not positive; SnowNLP's analogue is its 0.5 midpoint),
``F1(neutral=pos)`` predicts negative only for the ``negative`` label.

Three labels: on review files with a ``star`` column (``--asap``; by default
the ``asap_*_sample.csv`` files beside the labelled CSV, when present), stars
1-2 / 3 / 4-5 are negative / neutral / positive, and the macro-F1 of
``sentiment_label`` is printed per file and over all of them.

Speed: texts per second of ``score_table`` (the ``sentiment`` command's work,
after start-up, one process) on short texts (the file's own reviews), on
texts of about 100 and about 400 characters (consecutive reviews joined), as
the median of ``--runs`` runs, per core (by this process's CPU time, so that
other work on a shared machine does not count) and by the wall clock; then ours and SnowNLP on the same seeded
sample of those texts (``--snownlp-sample``) in the same run, and the ratio,
when SnowNLP is installed (``pip install snownlp``; for development only, not
a dependency). Missing files are skipped with a message.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import f1_score, roc_auc_score

from feedback_miner.sentiment import SentimentScorer, score_table

LENGTHS = (("short", 0), ("~100 chars", 100), ("~400 chars", 400))


def report(
    name: str, labels: np.ndarray, scores: np.ndarray, midpoint: float, extra: str = ""
) -> None:
    auc = roc_auc_score(labels, scores)
    f1_sign = f1_score(labels, (scores > midpoint).astype(int), average="macro")
    line = f"{name:<34} ROC AUC {auc:.4f}  F1(sign) {f1_sign:.4f}"
    if midpoint == 0:
        f1_neutral = f1_score(labels, (scores > -0.1).astype(int), average="macro")
        line += f"  F1(neutral=pos) {f1_neutral:.4f}"
    print(f"{line}  {extra}".rstrip())


def simulated_ratings(labels: np.ndarray, noise: float, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    flipped = np.where(rng.random(len(labels)) < noise, 1 - labels, labels)
    return np.where(
        flipped == 1, rng.choice([4, 5], len(labels)), rng.choice([1, 2], len(labels))
    ).astype(float)


def quality(texts: list[str], labels: np.ndarray, args: argparse.Namespace) -> None:
    print(f"{args.path.name}: {len(texts)} documents, {labels.mean():.1%} positive")
    rules = SentimentScorer().fit()
    scores = np.nan_to_num(rules.transform(texts)[:, 0])
    report("rules", labels, scores, 0.0)

    started = time.perf_counter()
    adapted = SentimentScorer(self_training=True, random_state=args.seed).fit(texts)
    scores = np.nan_to_num(adapted.transform(texts)[:, 0])
    report("self-trained", labels, scores, 0.0, f"fit+score {time.perf_counter() - started:.1f} s")
    if args.expand:
        expanded = SentimentScorer(
            self_training=True, expand_lexicon=True, random_state=args.seed
        ).fit(texts)
        scores = np.nan_to_num(expanded.transform(texts)[:, 0])
        report(
            "expanded+self-trained",
            labels,
            scores,
            0.0,
            f"{len(expanded.expanded_words_)} words added",
        )

    rng = np.random.default_rng(args.seed)
    fit_half = rng.random(len(texts)) < 0.5
    fit_rows, eval_rows = np.flatnonzero(fit_half), np.flatnonzero(~fit_half)
    ratings = simulated_ratings(labels[fit_rows], args.rating_noise, args.seed)
    rated = SentimentScorer(random_state=args.seed).fit(
        [texts[i] for i in fit_rows], ratings=ratings
    )
    held = [texts[i] for i in eval_rows]
    report(
        f"rules (other half, {len(eval_rows)} rows)",
        labels[eval_rows],
        np.nan_to_num(rules.transform(held)[:, 0]),
        0.0,
    )
    report(
        f"rating-adapted ({args.rating_noise:.0%} noise, other half)",
        labels[eval_rows],
        np.nan_to_num(rated.transform(held)[:, 0]),
        0.0,
    )
    if rated.training_ is not None:
        print(f"  what the scorer reports: {rated.training_.describe()}")


def three_labels(paths: Sequence[Path]) -> None:
    scorer = SentimentScorer().fit()
    gold_all: list[str] = []
    predicted_all: list[str] = []
    for path in paths:
        frame = pd.read_csv(path)
        texts = frame["reviewbody"].fillna("").astype(str).tolist()
        stars = frame["star"].to_numpy(dtype=float)
        gold = np.where(stars <= 2, "negative", np.where(stars == 3, "neutral", "positive"))
        predicted = scorer.predict(texts)
        counts = ", ".join(
            f"{k} {int((gold == k).sum())}" for k in ("negative", "neutral", "positive")
        )
        print(
            f"{path.name:<24} three-label macro-F1 {f1_score(gold, predicted, average='macro'):.4f}"
            f"  ({len(texts)} reviews: {counts})"
        )
        gold_all += gold.tolist()
        predicted_all += predicted.tolist()
    if len(paths) > 1:
        print(
            f"{'all ' + str(len(paths)) + ' files':<24} three-label macro-F1 "
            f"{f1_score(gold_all, predicted_all, average='macro'):.4f}  ({len(gold_all)} reviews)"
        )


def joined(texts: Sequence[str], length: int, count: int) -> list[str]:
    """``count`` texts of about ``length`` characters, each consecutive reviews joined."""
    if not length:
        return [t for t in texts if t.strip()][:count]
    out: list[str] = []
    current = ""
    for text in texts:
        current = f"{current}，{text}" if current else text
        if len(current) >= length:
            out.append(current)
            current = ""
            if len(out) == count:
                break
    return out


def median_rate(run: Callable[[], object], n: int, runs: int) -> tuple[float, float]:
    """Median texts per second over ``runs`` runs: by the CPU time of this process (one
    core's work, whatever else the machine runs) and by the wall clock."""
    cpu, wall = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        run()
        cpu.append(n / max(time.process_time() - started_cpu, 1e-9))
        wall.append(n / (time.perf_counter() - started))
    return statistics.median(cpu), statistics.median(wall)


def speed(texts: list[str], args: argparse.Namespace) -> None:
    try:
        from snownlp import SnowNLP
    except ImportError:
        SnowNLP = None
        print("snownlp: not installed (pip install snownlp to compare); our speed only")
    started = time.perf_counter()
    scorer = SentimentScorer().fit()
    print(f"start-up (lexicon and segmenter): {time.perf_counter() - started:.2f} s")
    if SnowNLP is not None:
        _ = SnowNLP("预热一下").sentiments  # load its model before timing
    for name, length in LENGTHS:
        sample = joined(texts, length, args.speed_texts if not length else args.speed_texts // 4)
        if not sample:
            continue
        frame = pd.DataFrame({"text": sample})
        score_table(frame.iloc[:200], sample[:200], scorer)  # warm the lookup tables
        ours, ours_wall = median_rate(
            lambda frame=frame, sample=sample: score_table(frame, sample, scorer),
            len(sample),
            args.runs,
        )
        line = (
            f"speed {name:<11} ({len(sample)} texts, median {np.median([len(t) for t in sample]):.0f} "
            f"chars): ours {ours:,.0f} texts/s per core (wall clock {ours_wall:,.0f})"
        )
        if SnowNLP is not None:
            rng = np.random.default_rng(args.seed)
            picked = rng.choice(len(sample), min(args.snownlp_sample, len(sample)), replace=False)
            few = [sample[i] for i in sorted(picked)]
            few_frame = pd.DataFrame({"text": few})
            ours_few, _ = median_rate(
                lambda few=few, few_frame=few_frame: score_table(few_frame, few, scorer),
                len(few),
                args.runs,
            )
            snow, _ = median_rate(
                lambda few=few: [SnowNLP(t).sentiments for t in few],
                len(few),
                max(1, args.runs // 2),
            )
            line += (
                f"; on the same {len(few)} texts ours {ours_few:,.0f}, snownlp {snow:,.1f} "
                f"texts/s per core: {ours_few / snow:.0f}x"
            )
        print(line)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--text-col", default="review")
    parser.add_argument("--label-col", default="label")
    parser.add_argument("--rating-noise", type=float, default=0.2)
    parser.add_argument(
        "--asap",
        type=Path,
        nargs="*",
        help="review files with a star column (default: asap_*_sample.csv beside PATH)",
    )
    parser.add_argument("--expand", action="store_true", help="also lexicon expansion (slow)")
    parser.add_argument("--speed-texts", type=int, default=10_000)
    parser.add_argument("--snownlp-sample", type=int, default=500)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    if not args.path.is_file():
        print(f"{args.path}: not found; nothing to evaluate.", file=sys.stderr)
        return 0
    frame = pd.read_csv(args.path)
    texts = frame[args.text_col].fillna("").astype(str).tolist()
    labels = frame[args.label_col].astype(int).to_numpy()
    quality(texts, labels, args)
    asap = (
        args.asap if args.asap is not None else sorted(args.path.parent.glob("asap_*_sample.csv"))
    )
    found = [p for p in asap if p.is_file()]
    if found:
        three_labels(found)
    else:
        print("no review files with stars found; three-label macro-F1 skipped")
    speed(texts, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
