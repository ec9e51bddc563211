"""Merging, naming and describing discovered topics."""

from __future__ import annotations

import numpy as np
import pytest

from feedback_miner.themes.proposals import describe_topic
from feedback_miner.themes.topics import (
    DiscoveredTopic,
    build_topics,
    coherence_words,
    merge_overlapping,
    spread_words,
)


def _components(*tops: list[int], vocabulary: int = 30) -> np.ndarray:
    """One row per topic, its listed words weighted 10, 9, 8 ..."""
    rows = np.zeros((len(tops), vocabulary))
    for row, words in zip(rows, tops, strict=True):
        for rank, word in enumerate(words):
            row[word] = 10 - rank
    return rows


@pytest.mark.parametrize(
    ("tops", "weights", "expected", "merged"),
    [
        # distinct words, texts on one topic each: nothing to merge
        (
            [list(range(0, 10)), list(range(10, 20)), list(range(20, 30))],
            [[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 0, 0]],
            [0, 1, 2, 0],
            0,
        ),
        # topics 0 and 1 share six of their ten top words: one topic
        (
            [list(range(0, 10)), [*range(0, 6), *range(20, 24)], list(range(10, 20))],
            [[1, 0, 0], [0, 1, 0], [0, 0, 1], [0, 1, 0]],
            [0, 0, 2, 0],
            1,
        ),
        # distinct words, but every text of topics 1 and 2 weighs on both: one topic
        (
            [list(range(0, 10)), list(range(10, 20)), list(range(20, 30))],
            [[1, 0, 0], [0, 1, 0.8], [0, 0.7, 1], [0, 1, 0.9], [1, 0, 0]],
            [0, 1, 1, 1, 0],
            1,
        ),
        # texts that touch a second topic lightly do not merge it
        (
            [list(range(0, 10)), list(range(10, 20))],
            [[1, 0.2], [0.1, 1], [1, 0], [0, 1]],
            [0, 1, 0, 1],
            0,
        ),
    ],
)
def test_merge_overlapping(tops, weights, expected, merged) -> None:
    weights = np.array(weights, dtype=float)
    assignments = weights.argmax(axis=1)
    result, count = merge_overlapping(assignments, weights, _components(*tops))
    assert result.tolist() == expected
    assert count == merged


def test_texts_without_words_stay_without_a_topic() -> None:
    weights = np.array([[1.0, 0.0], [0.0, 0.0], [0.9, 0.8]])
    assignments = np.array([0, -1, 0])
    components = _components(list(range(0, 10)), list(range(0, 10)))
    assert merge_overlapping(assignments, weights, components)[0].tolist() == [0, -1, 0]


def _build(texts: list[str], words: list[list[str]], runs: list[list[list[str]]], topics):
    assignments = np.array(topics)
    weights = np.eye(max(topics) + 1)[np.maximum(assignments, 0)]
    return build_topics(texts, words, runs, assignments, weights)


def test_a_topic_is_named_by_its_phrase() -> None:
    # 变速箱 and 顿挫 side by side in the topic's texts and nowhere else: the name joins them
    runs = [[["变速箱", "顿挫"], ["起步"]]] * 6 + [[["油耗", "太高"]]] * 2 + [[["网速"]]] * 8
    words = [[w for run in r for w in run] for r in runs]
    texts = [f"第{i}条" for i in range(len(runs))]
    topics, _ = _build(texts, words, runs, [0] * 8 + [1] * 8)
    assert topics[0].name == "变速箱顿挫"
    assert set(topics[0].keywords[:3]) == {"变速箱", "顿挫", "起步"}
    assert set(topics[0].keywords[3:]) == {"油耗", "太高"}  # the topic's less typical words follow


def test_without_a_phrase_a_topic_is_named_by_two_keywords() -> None:
    runs = [[["光猫"], ["断网"]]] * 5 + [[["退款"]]] * 5
    words = [[w for run in r for w in run] for r in runs]
    texts = [f"第{i}条" for i in range(len(runs))]
    topics, renumbered = _build(texts, words, runs, [1] * 5 + [0] * 5)
    assert [t.name for t in topics] == ["退款", "光猫·断网"]
    # equal sizes: the topic fitted first keeps the smaller number
    assert renumbered.tolist() == [1] * 5 + [0] * 5


@pytest.mark.parametrize(
    ("coherence", "share", "line"),
    [
        (
            0.31,
            0.9,
            "40 texts, 90% negative; coherence good (NPMI 0.31): its keywords turn up together "
            "in the same texts",
        ),
        (
            0.1,
            None,
            "40 texts; coherence good (NPMI 0.10): its keywords turn up together in the same texts",
        ),
        (
            0.04,
            0.25,
            "40 texts, 25% negative; coherence weak (NPMI 0.04): its keywords seldom share a "
            "text; read the quotes before adopting it",
        ),
        (
            -0.2,
            1.0,
            "40 texts, 100% negative; coherence weak (NPMI -0.20): its keywords seldom share a "
            "text; read the quotes before adopting it",
        ),
    ],
)
def test_describe_topic(coherence: float, share: float | None, line: str) -> None:
    topic = DiscoveredTopic(0, "断网", ("断网", "光猫"), 40, coherence, (), share)
    assert describe_topic(topic) == line
    assert coherence_words(topic) in line


@pytest.mark.parametrize(
    ("docs", "topics", "spread"),
    [
        # 评价 in two of five texts of every topic: filler; 网速 in one topic only
        (
            [["评价", "网速"]] * 2
            + [["网速"]] * 3
            + [["评价", "退款"]] * 2
            + [["退款"]] * 3
            + [["评价", "油耗"]] * 2
            + [["油耗"]] * 3,
            [0] * 5 + [1] * 5 + [2] * 5,
            {"评价"},
        ),
        # mostly one topic: it tells that topic apart
        (
            [["光猫"]] * 4 + [["网速"]] + [["光猫"]] + [["退款"]] * 4 + [["油耗"]] * 5,
            [0] * 5 + [1] * 5 + [2] * 5,
            set(),
        ),
        # two topics are too few to call a word spread over them
        ([["评价"]] * 10, [0] * 5 + [1] * 5, set()),
        # a word of fewer than five texts is left alone
        ([["评价"]] * 3 + [["网速"]] * 6, [0, 1, 2] * 3, {"网速"}),
    ],
)
def test_spread_words(docs, topics, spread) -> None:
    assignments = np.array(topics)
    assert spread_words(docs, assignments, sorted(set(topics))) == spread
