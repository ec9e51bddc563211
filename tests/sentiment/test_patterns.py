"""Filing patterns under their first characters finds exactly what trying them all finds."""

from __future__ import annotations

import re

import pytest
from review_corpus import review_corpus
from test_readings import COMPLAINTS, MIXED, NARRATION, NEGATED_MENTIONS, SARCASM, TARGETS
from test_rules import CONSTRUCTIONS, RHETORICAL

from feedback_miner.sentiment import load_sentiment_lexicon
from feedback_miner.sentiment.patterns import (
    PatternIndex,
    anchored_at_start,
    branch_requirements,
    first_characters,
)
from feedback_miner.sentiment.rules import pattern_hints
from feedback_miner.text import split_clauses


@pytest.mark.parametrize(
    ("pattern", "first"),
    [
        ("等了很久", {"等"}),
        ("(?:等了|拖了)很久", {"等", "拖"}),
        ("(?:等了|拖了)?很久", {"等", "拖", "很"}),  # an optional start adds what follows
        ("[0-9]+天", set("0123456789")),
        ("(?:太|很)少|少得可怜", {"太", "很", "少"}),  # top-level branches
        (r"\[微笑\]", {"["}),
        ("^没有", {"没"}),  # an anchor matches no character: read through it
        ("^(?:还|也)?没有", {"还", "也", "没"}),
        ("(?<![一有])点不开", {"点"}),  # nor does a lookbehind
        ("(?<=没)有(?!用)", {"有"}),
        ("(?!不)好吃", {"好"}),  # nor a lookahead
        ("(?:太)?(?<!不)少", {"太", "少"}),  # after an optional start
        ("(?=好)?好吃", None),  # a quantified lookaround is not read
        ("^$", None),  # matches the empty text
        ("^", None),
        ("^[^，。]+吗", None),
        ("[^，。]{0,8}就好了", None),  # a negated class
        (r"\S{1,6}都没", None),
    ],
)
def test_first_characters(pattern: str, first: set[str] | None) -> None:
    found = first_characters(pattern)
    assert (None if found is None else set(found)) == first


def _read(pattern: str) -> list[list[str]] | None:
    found = branch_requirements(pattern)
    return None if found is None else [["".join(sorted(s)) for s in b] for b in found]


@pytest.mark.parametrize(
    ("pattern", "needs"),
    [
        ("(?:没|不)(?:通知|告知)了", [["不没", "告通", "了"]]),
        ("(?:没|不)(?:及时)?(?:通知)", [["不没", "通"]]),  # an optional atom is passed over
        ("[0-9]+天才", [["0123456789", "天", "才"]]),  # read on after a repeated atom
        ("(?:等|拖)了|慢", [["拖等", "了"], ["慢"]]),  # each branch on its own
        ("(?:等|拖)?了|慢", [["了"], ["慢"]]),
        ("^(?<![一有])点(?!了)不开$", [["点", "不", "开"]]),  # zero-width atoms match nothing
        ("没有[^，。]{1,8}?(?:好吃|好喝)", [["没", "有", "好"]]),  # a negated class: any character
        (r"\S{1,6}都没", [["都", "没"]]),
        (".好", [["好"]]),
        ("a{,3}b", [["b"]]),  # {,3} may match nothing
        ("a{2,}b", [["a", "b"]]),
        (r"\u4e00好", [["一", "好"]]),  # an escaped character
        (r"\[微笑\]", [["[", "微", "笑", "]"]]),
        ("[]a]好", [["好"]]),  # a ] first in a class: not read, passed over
        (r"[\u4e00-\u9fff]{2}吗", [["吗"]]),  # a class with escapes is not read
        ("(?P<x>好|坏)的", [["坏好", "的"]]),
        ("(好|坏)的", [["坏好", "的"]]),
        ("(?:好|)的", [["的"]]),  # a group that may match nothing
        ("", [[]]),
        (r"(好)\1", None),  # a backreference
        ("(?i)bug", None),  # a flag
        ("(?#note)好", None),  # a comment
        ("好{x", None),  # a brace that is not a repetition
        ("好)", None),
    ],
)
def test_branch_requirements(pattern: str, needs: list[list[str]] | None) -> None:
    assert _read(pattern) == needs


@pytest.mark.parametrize(
    ("pattern", "flags", "texts"),
    [
        (r"(好)\1", 0, ["好好", "好"]),
        ("[]a]好", 0, ["]好", "a好", "好"]),
        ("a{,3}b", 0, ["b", "aaab", "a"]),
        (r"\u4e00好", 0, ["一好", "好"]),
        ("BUG", re.IGNORECASE, ["bug", "BuG", "bag"]),
        ("(?i)bug", 0, ["BUG"]),
        ("(?#note)好", 0, ["好", "坏"]),
        ("(?P<x>好|坏)的", 0, ["坏的", "好", "的"]),
        ("(?:等|拖)?了|慢", 0, ["了", "慢", "等"]),
        ("^没有|好", 0, ["真好", "没有", "还没有"]),
        ("没有[^，。]{1,8}?(?:好吃|好喝)", 0, ["没有那么好吃", "没有，好吃", "好吃"]),
        ("", 0, ["", "好"]),
    ],
)
def test_the_index_never_passes_a_match_over(pattern: str, flags: int, texts: list[str]) -> None:
    compiled = re.compile(pattern, flags)
    index = PatternIndex([(compiled, "p"), (re.compile("好"), "q")])
    for text in texts:
        expected = [p for p, c in (("p", compiled), ("q", re.compile("好"))) if c.search(text)]
        assert index.found(text) == expected, text


def _table_texts() -> list[str]:
    """The texts of the sentiment rule tables."""
    return [
        row[0]
        for table in (COMPLAINTS, MIXED, SARCASM, TARGETS, NARRATION, NEGATED_MENTIONS)
        for row in table
    ] + [row[0] for row in (*CONSTRUCTIONS, *RHETORICAL)]


def test_the_index_finds_what_every_pattern_finds() -> None:
    lexicon = load_sentiment_lexicon()
    texts = _table_texts() + review_corpus(per_category=40)["text"].tolist()
    clauses = [clause for text in texts for clause in split_clauses(text)]
    families = [
        lexicon.patterns,
        [(p, w) for p, w, kind in lexicon.irony if kind != "marker"],
    ]
    for entries in families:
        index = PatternIndex(entries)
        for clause in clauses:
            every = [weight for pattern, weight in entries if pattern.search(clause)]
            assert index.found(clause) == every, clause
    assert any(PatternIndex(lexicon.patterns).found(c) for c in clauses)


def test_an_index_of_plain_patterns() -> None:
    index = PatternIndex([(re.compile("等了很久"), -1.5), (re.compile("下次还来"), 1.5)])
    assert index.found("等了很久才到") == [-1.5]
    assert index.found("下次还来，等了很久也值") == [-1.5, 1.5]
    assert index.found("很好") == []


@pytest.mark.parametrize(
    ("pattern", "anchored"),
    [
        ("^没有", True),
        ("^没有|^无", True),
        ("^没有|无", False),  # one branch may match anywhere
        ("(?:^没有)", False),  # not read inside a group: filed as a pattern matching anywhere
        ("没有$", False),
    ],
)
def test_anchored_at_start(pattern: str, anchored: bool) -> None:
    assert anchored_at_start(pattern) is anchored


@pytest.mark.parametrize(
    ("pattern", "text"),
    [
        ("^没有", "没有了"),
        ("^没有", "还没有"),  # 没 is in the text but not first
        ("^(?:还|也)?没有", "也没有"),
        ("^(?:还|也)?没有", "就没有"),
        ("^(?<!不)好吃", "好吃"),
        ("^没有|好", "真好"),
        ("^没有", ""),
    ],
)
def test_anchored_patterns_are_tried_only_on_their_first_character(pattern: str, text: str) -> None:
    compiled = re.compile(pattern)
    index = PatternIndex([(compiled, "p")])
    assert index.found(text) == (["p"] if compiled.search(text) else [])


def test_a_multiline_anchor_is_not_read_as_the_text_start() -> None:
    index = PatternIndex([(re.compile("^没有", re.MULTILINE), "p")])
    assert index.found("好吃\n没有了") == ["p"]


def test_document_hints_say_what_some_clause_holds() -> None:
    lexicon = load_sentiment_lexicon()
    texts = _table_texts()
    texts += ["服务真“好”", "呵呵", "[微笑]", "[哈哈]不错", "人家那边", "隔壁那家好吃", "平平淡淡"]
    families = (
        lexicon.marker_pattern,
        lexicon.rhetorical_pattern,
        lexicon.emoticon_pattern,
        lexicon.aside_pattern,
        re.compile('[“"「‘『]'),
    )
    seen = [False] * len(families)
    for text in texts:
        clauses = split_clauses(text)
        hints = pattern_hints(clauses, lexicon)
        expected = [any(p.search(c) for c in clauses) for p in families]
        assert list(hints) == expected, text
        seen = [a or b for a, b in zip(seen, expected, strict=True)]
    assert all(seen)  # every family is found somewhere in the table
