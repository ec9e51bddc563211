"""NMI of theme discovery against known topics, beside gensim's LdaModel with default settings.

    python benchmarks/eval_discover.py                       # the mixed corpus of tests/fixtures/topics.toml
    python benchmarks/eval_discover.py labelled.csv --text-col text --label-col category

Without a CSV, the corpus is drawn (seeded) from the sentence pools of
``tests/fixtures/topics.toml``: six topics written by the team. Both models see
the same tokens (our tokenizer, stopwords removed); LDA gets the true number of
topics and gensim's defaults otherwise, and each text takes its most probable topic.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import tomllib
from sklearn.metrics import normalized_mutual_info_score

from feedback_miner.text import ChineseTokenizer
from feedback_miner.themes.discover import _tokens, discover_topics

FIXTURE = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "topics.toml"


def fixture_corpus(per_topic: int, seed: int) -> tuple[list[str], list[int]]:
    pools = tomllib.loads(FIXTURE.read_text(encoding="utf-8"))["topics"]
    rng = np.random.default_rng(seed)
    texts, labels = [], []
    for label, pool in enumerate(pools.values()):
        for _ in range(per_topic):
            subject = pool["subjects"][int(rng.integers(len(pool["subjects"])))]
            picked = rng.choice(len(pool["comments"]), size=int(rng.integers(1, 3)), replace=False)
            texts.append(subject + "，".join(pool["comments"][int(i)] for i in picked))
            labels.append(label)
    return texts, labels


def lda_defaults(tokenized: list[list[str]], k: int) -> np.ndarray:
    from gensim.corpora import Dictionary
    from gensim.models import LdaModel

    dictionary = Dictionary(tokenized)
    bow = [dictionary.doc2bow(doc) for doc in tokenized]
    model = LdaModel(bow, num_topics=k, id2word=dictionary, random_state=0)
    return np.array(
        [max(model.get_document_topics(d), key=lambda t: t[1])[0] if d else -1 for d in bow]
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path, nargs="?")
    parser.add_argument("--text-col", default="text")
    parser.add_argument("--label-col", default="label")
    parser.add_argument("--per-topic", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if args.path is None:
        texts, labels = fixture_corpus(args.per_topic, args.seed)
        source = f"{FIXTURE.name} ({args.per_topic} texts per topic)"
    else:
        frame = pd.read_csv(args.path)
        texts, labels = frame[args.text_col].astype(str).tolist(), frame[args.label_col].tolist()
        source = args.path.name
    k = len(set(labels))
    tokenizer = ChineseTokenizer()
    print(f"{source}: {len(texts)} texts, {k} topics")
    for name, kk in (("ours, k=true", k), ("ours, k=auto", "auto")):
        started = time.perf_counter()
        found = discover_topics(texts, k=kk, seed=0, tokenizer=tokenizer)
        nmi = normalized_mutual_info_score(labels, found.assignments)
        print(f"{name:<18} NMI {nmi:.3f}  k={found.k}  {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    assignments = lda_defaults(_tokens(texts, tokenizer), k)
    nmi = normalized_mutual_info_score(labels, assignments)
    print(
        f"{'gensim LdaModel':<18} NMI {nmi:.3f}  k={k} (defaults)  {time.perf_counter() - started:.1f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
