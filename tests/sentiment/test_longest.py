"""The compiled word search finds exactly what pyahocorasick's ``iter_long`` finds."""

from __future__ import annotations

import pickle

import ahocorasick
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from review_corpus import review_corpus
from test_segment_cache import TEXTS

from feedback_miner.compiled import PURE_PYTHON_VARIABLE
from feedback_miner.sentiment import load_sentiment_lexicon, segment
from feedback_miner.sentiment.segment import LexiconSegmenter
from feedback_miner.text import split_clauses


@pytest.fixture(scope="module")
def compiled(require_tool):
    """The compiled module (it must be there in CI)."""
    require_tool(
        segment._compiled is not None, "the compiled module feedback_miner.sentiment._longest"
    )
    return segment._compiled


def automaton_of(words: list[str]) -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for word in words:
        automaton.add_word(word, (word, len(word)))
    automaton.make_automaton()
    return automaton


# (words, text): the paths of the walk. A longest word; a word found only through a
# failure link; the fail-over back to a remembered step (奥万大不手续: 不 before 手续);
# a fail-over remembered at the end of the text, which iter_long drops; nothing known;
# characters beyond the Basic Multilingual Plane; a word that is a prefix of another
WALKS = [
    (["无限", "无限花序", "花序"], "无限花序串游"),
    (["abcd", "bc"], "abce"),
    (["abc", "bd", "b"], "abd"),
    (["不", "不手软", "手", "手续"], "奥不手续"),
    (["ab", "b"], "ab"),
    (["abcx", "bc"], "abc"),
    (["a", "ab", "abc", "abcd", "b", "bc"], "xabcdabcab"),
    (["好吃"], "，，，"),
    (["😡😡", "太难吃"], "太难吃了😡😡😡"),
    (["送餐", "送餐很快", "很快"], "送餐很"),
    (["好吃"], "随便什么"),
    (["字"], ""),
]


@pytest.mark.parametrize(("words", "text"), WALKS)
def test_the_walk_finds_what_iter_long_finds(compiled, words: list[str], text: str) -> None:
    automaton = automaton_of(words)
    found = compiled.longest(compiled.build(list(automaton.items())), text)
    assert found == list(automaton.iter_long(text))


WORDS = st.lists(st.text(alphabet="abcd", min_size=1, max_size=5), min_size=1, max_size=12)


@settings(max_examples=400, deadline=None, derandomize=True)
@given(WORDS, st.text(alphabet="abcde", max_size=20))
def test_any_words_and_text_give_what_iter_long_gives(
    compiled, words: list[str], text: str
) -> None:
    """A small alphabet makes shared prefixes, suffixes and failure links common."""
    automaton = automaton_of(words)
    found = compiled.longest(compiled.build(list(automaton.items())), text)
    assert found == list(automaton.iter_long(text))


@pytest.fixture(scope="module")
def segmenters(compiled) -> tuple[LexiconSegmenter, LexiconSegmenter]:
    """The segmenter with the compiled search, and one with pyahocorasick's."""
    lexicon = load_sentiment_lexicon()
    fast = LexiconSegmenter(lexicon)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(PURE_PYTHON_VARIABLE, "1")
        slow = LexiconSegmenter(lexicon)
    assert fast.compiled and not slow.compiled
    return fast, slow


def test_the_segmenter_cuts_reviews_as_with_pyahocorasick(segmenters) -> None:
    fast, slow = segmenters
    reviews = review_corpus(per_category=60)["text"].tolist()
    clauses = [c for text in reviews for c in split_clauses(text)] + reviews + TEXTS
    assert len(clauses) > 1000
    assert [fast.cut(c) for c in clauses] == [slow.cut(c) for c in clauses]


SEGMENTER_TEXT = "送餐速度很快价格便宜不文明礼貌好少快两个小时bug太多了，！？😡 呵呵yyds0２"


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.text(alphabet=SEGMENTER_TEXT, max_size=30))
def test_any_text_is_cut_as_with_pyahocorasick(segmenters, text: str) -> None:
    fast, slow = segmenters
    assert fast.cut(text) == slow.cut(text)


def test_a_pickled_segmenter_keeps_its_search_and_loads_either_way(
    segmenters, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast, slow = segmenters
    texts = ["出差回来点的外卖，价格便宜", "不热情周到", "这个bug还在，debug也没用", "好少啊"]
    kept_fast, kept_slow = pickle.dumps(fast), pickle.dumps(slow)
    assert pickle.loads(kept_fast).compiled and pickle.loads(kept_slow).compiled
    monkeypatch.setenv(PURE_PYTHON_VARIABLE, "1")
    read_back = pickle.loads(kept_fast)  # the trie read back into pyahocorasick's automaton
    assert not read_back.compiled and not pickle.loads(kept_slow).compiled
    for text in texts:
        assert read_back.cut(text) == fast.cut(text) == slow.cut(text)


def test_dump_and_load_give_the_same_search(compiled) -> None:
    automaton = automaton_of(["好吃", "好", "吃饭", "饭菜", "菜"])
    words = compiled.build(list(automaton.items()))
    again = compiled.load(*compiled.dump(words))
    text = "好吃饭菜好好吃"
    assert compiled.longest(again, text) == compiled.longest(words, text)
    assert compiled.longest(again, text) == list(automaton.iter_long(text))


def test_a_word_given_twice_keeps_its_last_payload(compiled) -> None:
    words = compiled.build([("好", 1), ("好", 2)])
    assert compiled.longest(words, "好") == [(0, 2)]


def test_the_pure_python_variable_turns_the_search_off(monkeypatch) -> None:
    monkeypatch.setenv(PURE_PYTHON_VARIABLE, "1")
    assert not LexiconSegmenter(load_sentiment_lexicon()).compiled


def _corrupted(compiled) -> tuple[bytes, list]:
    data, payloads = compiled.dump(compiled.build([("ab", 1)]))
    return bytes(16) + data[16:], payloads  # zeroed labels and the root's first child: itself


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda m: m.build(5), TypeError, "build() needs a sequence of (word, payload) pairs"),
        (
            lambda m: m.build([(1, 2)]),
            TypeError,
            "build() needs (word, payload) pairs with a str word; item 0 is (1, 2)",
        ),
        (
            lambda m: m.build([("a", 1), ("b",)]),
            TypeError,
            "build() needs (word, payload) pairs with a str word; item 1 is ('b',)",
        ),
        (lambda m: m.build([("", 1)]), ValueError, "build() cannot take an empty word (item 0)"),
        (
            lambda m: m.longest(m.build([])),
            TypeError,
            "longest() takes 2 arguments (words, text), not 1",
        ),
        (
            lambda m: m.longest(object(), "好"),
            TypeError,
            "longest() needs the words that build() returned",
        ),
        (
            lambda m: m.longest(m.build([]), b"x"),
            TypeError,
            "longest() needs a str text, not bytes",
        ),
        (lambda m: m.dump("words"), TypeError, "dump() needs the words that build() returned"),
        (
            lambda m: m.cut(m.build([]), "好"),
            TypeError,
            "cut() takes 6 arguments (words, text, negators, particles, numerals, gap), not 2",
        ),
        (
            lambda m: m.cut(m.build([]), "好", 1, "", "", ""),
            TypeError,
            "cut() needs the negators, particles, numerals and gap as str",
        ),
        (
            lambda m: m.cut(m.build([("好", 1)]), "好", "", "", "", ""),
            TypeError,
            "cut() needs words whose payloads are (parts, latin, size, kind)",
        ),
        (
            lambda m: m.load(b"", "x"),
            TypeError,
            "load() needs the bytes and the list that dump() gave",
        ),
        (
            lambda m: m.load(b"", []),
            ValueError,
            "load() was given bytes and a list that do not fit",
        ),
        (
            lambda m: m.load(bytes(15), [None]),
            ValueError,
            "load() was given bytes and a list that do not fit",
        ),
        (
            lambda m: m.load(*_corrupted(m)),
            ValueError,
            "load() was given arrays that are not a trie",
        ),
    ],
)
def test_bad_arguments_get_a_clear_message(compiled, call, error, message: str) -> None:
    with pytest.raises(error) as caught:
        call(compiled)
    assert str(caught.value) == message
