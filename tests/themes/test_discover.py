"""Theme discovery on a mixed-topic corpus written by us (tests/fixtures/topics.toml)."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
from sklearn.metrics import normalized_mutual_info_score

from feedback_miner.errors import FeedbackMinerError
from feedback_miner.themes.discover import discover_topics, to_toml

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


def mixed_corpus(
    fixtures_dir: Path, per_topic: int = 50, seed: int = 1
) -> tuple[list[str], list[int]]:
    pools = tomllib.loads((fixtures_dir / "topics.toml").read_text(encoding="utf-8"))["topics"]
    rng = np.random.default_rng(seed)
    texts, labels = [], []
    for label, pool in enumerate(pools.values()):
        for _ in range(per_topic):
            subject = pool["subjects"][int(rng.integers(len(pool["subjects"])))]
            picked = rng.choice(len(pool["comments"]), size=int(rng.integers(1, 3)), replace=False)
            texts.append(subject + "，".join(pool["comments"][int(i)] for i in picked))
            labels.append(label)
    order = rng.permutation(len(texts))
    return [texts[i] for i in order], [labels[i] for i in order]


@pytest.fixture(scope="module")
def corpus(fixtures_dir: Path) -> tuple[list[str], list[int]]:
    return mixed_corpus(fixtures_dir)


@pytest.fixture(scope="module")
def tokenizer(matcher):
    return matcher.tokenizer_


def test_discovery_recovers_the_topics(corpus, tokenizer) -> None:
    texts, labels = corpus
    found = discover_topics(texts, k=6, seed=0, tokenizer=tokenizer)
    assert normalized_mutual_info_score(labels, found.assignments) >= 0.6


def test_auto_k_recovers_the_topics(corpus, tokenizer) -> None:
    texts, labels = corpus
    found = discover_topics(texts, k="auto", seed=0, tokenizer=tokenizer)
    assert set(found.coherence_by_k) == set(range(3, 13))
    assert found.k == max(found.coherence_by_k, key=found.coherence_by_k.get)
    assert normalized_mutual_info_score(labels, found.assignments) >= 0.6


def test_same_seed_same_topics(corpus, tokenizer) -> None:
    texts, _ = corpus
    first = discover_topics(texts, k=6, seed=3, tokenizer=tokenizer)
    second = discover_topics(texts, k=6, seed=3, tokenizer=tokenizer)
    np.testing.assert_array_equal(first.assignments, second.assignments)
    assert to_toml(first) == to_toml(second)


def test_toml_blocks_parse_as_a_taxonomy(corpus, tokenizer) -> None:
    from feedback_miner.themes import parse_taxonomy

    texts, _ = corpus
    found = discover_topics(texts, k=6, seed=0, tokenizer=tokenizer)
    taxonomy = parse_taxonomy(
        '[taxonomy]\nname = "proposed"\n' + to_toml(found), source="proposed.toml"
    )
    assert len(taxonomy.themes) == sum(1 for t in found.topics if t.size)
    assert all(t.id.startswith("emerging_") and len(t.keywords) == 12 for t in taxonomy.themes)
    assert "# topic" in to_toml(found) and "「" in to_toml(
        found
    )  # size, coherence and quotes as comments


def test_too_few_texts() -> None:
    with pytest.raises(FeedbackMinerError) as info:
        discover_topics(["太贵了"] * 5)
    assert str(info.value) == (
        "discovery needs at least 20 texts; there are 5. Add more feedback, or use --all to "
        "include texts the taxonomy already covers."
    )
