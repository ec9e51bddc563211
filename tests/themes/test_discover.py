"""Theme discovery on reviews of eight categories written by us (tests/review_corpus.py)."""

from __future__ import annotations

import sys

import numpy as np
import pytest
from review_corpus import review_corpus
from sklearn.metrics import normalized_mutual_info_score
from threadpoolctl import threadpool_limits

from feedback_miner.errors import FeedbackMinerError
from feedback_miner.themes import parse_taxonomy
from feedback_miner.themes.discover import discover_topics
from feedback_miner.themes.proposals import ADOPT_HINT, to_toml
from feedback_miner.themes.vocabulary import ReasonVocabulary


@pytest.fixture(scope="module")
def corpus() -> tuple[list[str], list[str]]:
    frame = review_corpus(40, seed=7)
    return frame["text"].tolist(), frame["category"].tolist()


@pytest.fixture(scope="module")
def tokenizer(matcher):
    return matcher.tokenizer_


@pytest.fixture(scope="module")
def found(corpus, tokenizer):
    return discover_topics(corpus[0], k=8, seed=0, tokenizer=tokenizer)


def test_discovery_finds_the_categories(corpus, found) -> None:
    assert normalized_mutual_info_score(corpus[1], found.assignments) >= 0.8
    assert found.k_reason == "k = 8, as given"


def test_auto_k_finds_the_number_of_categories(corpus, tokenizer) -> None:
    texts, labels = corpus
    keep = [i for i, label in enumerate(labels) if label in ("phone", "hotel", "credit", "car")]
    auto = discover_topics([texts[i] for i in keep], k="auto", seed=0, tokenizer=tokenizer)
    assert auto.k == 4
    assert auto.fitted_k == max(auto.stability_by_k, key=lambda k: (auto.stability_by_k[k], -k))
    assert auto.k_reason.startswith("k = 4 of 3-15: refitted on 5 random 80% samples")


def test_small_topics_are_left_out(corpus, tokenizer) -> None:
    texts = [*corpus[0][:100], "光猫闪红灯", "光猫闪红灯了"]  # two texts: an anecdote
    many = discover_topics(texts, k=12, seed=0, tokenizer=tokenizer)
    assert min(t.size for t in many.topics) >= 3
    assert "of fewer than 3 texts left out" in many.k_reason


def test_topics_are_numbered_by_size_and_match_the_assignments(found) -> None:
    sizes = [t.size for t in found.topics]
    assert [t.index for t in found.topics] == list(range(found.k))
    assert sizes == sorted(sizes, reverse=True)
    assert sizes == [int((found.assignments == t.index).sum()) for t in found.topics]


def test_keywords_hold_no_moods_function_words_or_brands(found, tokenizer) -> None:
    vocabulary = ReasonVocabulary(tokenizer)
    kinds = [vocabulary.kind(w) for t in found.topics for w in t.keywords]
    assert kinds == [""] * len(kinds)
    assert all(len(w) >= 2 for t in found.topics for w in t.keywords)


def test_each_topic_has_a_name_three_quotes_and_coherence(found) -> None:
    for topic in found.topics:
        assert topic.name and any(k in topic.name for k in topic.keywords[:5])
        assert len(set(topic.quotes)) == 3
        assert topic.coherence_label in ("good", "weak")
        assert topic.share_negative is None


def test_quotes_leave_out_handles_and_boilerplate(corpus, found) -> None:
    assert any("@" in t or "宾馆导航" in t for t in corpus[0])
    quotes = [q for t in found.topics for q in t.quotes]
    assert [q for q in quotes if "@" in q or "宾馆导航" in q] == []


def test_share_negative_counts_the_flags(corpus, tokenizer) -> None:
    texts = corpus[0]
    flags = [i % 4 == 0 for i in range(len(texts))]
    with_flags = discover_topics(texts, k=8, seed=0, tokenizer=tokenizer, negative=flags)
    for topic in with_flags.topics:
        members = np.where(with_flags.assignments == topic.index)[0]
        assert topic.share_negative == pytest.approx(np.mean([flags[i] for i in members]))


def test_same_seed_same_topics(corpus, tokenizer, found) -> None:
    again = discover_topics(corpus[0], k=8, seed=0, tokenizer=tokenizer)
    np.testing.assert_array_equal(found.assignments, again.assignments)
    assert to_toml(found) == to_toml(again)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="processes fork on Linux only")
@pytest.mark.parametrize("limit", [None, 1])
def test_the_k_search_shared_with_a_second_process_finds_the_same_topics(
    corpus, tokenizer, limit
) -> None:
    texts = corpus[0][:160]
    with threadpool_limits(limits=limit):  # as analyze runs it (1), and as the library's default
        one = discover_topics(texts, k="auto", seed=3, tokenizer=tokenizer)
        two = discover_topics(texts, k="auto", seed=3, tokenizer=tokenizer, jobs=2)
    assert two.stability_by_k == one.stability_by_k  # every candidate, to the last bit
    assert list(two.stability_by_k) == list(range(3, 16))
    assert (two.k, two.fitted_k, two.k_reason) == (one.k, one.fitted_k, one.k_reason)
    np.testing.assert_array_equal(two.assignments, one.assignments)
    assert to_toml(two) == to_toml(one)


def test_toml_blocks_parse_as_a_taxonomy(found) -> None:
    proposed = to_toml(found)
    taxonomy = parse_taxonomy('[taxonomy]\nname = "proposed"\n' + proposed, source="p.toml")
    assert [t.id for t in taxonomy.themes] == [f"emerging_{i + 1}" for i in range(found.k)]
    assert [t.name for t in taxonomy.themes] == [t.name for t in found.topics]
    assert ADOPT_HINT in proposed
    first = found.topics[0]
    assert f"# topic 0: {first.size} texts; coherence {first.coherence_label} (NPMI" in proposed
    assert f"#   「{first.quotes[0][:20]}" in proposed


@pytest.mark.parametrize(
    ("texts", "k", "message"),
    [
        (
            ["太贵了"] * 5,
            "auto",
            "discovery needs at least 20 texts; there are 5. Add more feedback.",
        ),
        (
            ["好评"] * 30,
            "auto",
            "the texts share too few words to find topics (every word occurs in one text only).",
        ),
        (
            ["网速太慢", "光猫坏了", "网速不稳", "光猫闪红灯"] * 6,
            9,
            "-k is 9; use a number from 2 to 2, or auto (the texts have 3 words that recur).",
        ),
        (
            # six words of two texts each among 600: no topic reaches 1% of the texts
            ["差评，太失望了"] * 588
            + [f"{w}有问题" for w in ("网速", "光猫", "油耗", "变速箱", "退款", "发票")] * 2,
            5,
            "no topic is shared by at least 6 of the 600 texts; there is nothing to propose. Add "
            "more feedback.",
        ),
    ],
)
def test_bad_inputs(texts, k, message, tokenizer) -> None:
    with pytest.raises(FeedbackMinerError) as info:
        discover_topics(texts, k=k, tokenizer=tokenizer)
    assert str(info.value) == message
