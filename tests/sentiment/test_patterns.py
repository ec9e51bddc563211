"""Filing patterns under their first characters finds exactly what trying them all finds."""

from __future__ import annotations

import re

import pytest
from test_readings import COMPLAINTS, MIXED, NARRATION, NEGATED_MENTIONS, SARCASM, TARGETS
from test_rules import CONSTRUCTIONS, RHETORICAL

from feedback_miner.sentiment import load_sentiment_lexicon
from feedback_miner.sentiment.patterns import PatternIndex, first_characters, required_characters
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
        ("^没有", None),  # anchored: tried on every clause
        ("[^，。]{0,8}就好了", None),  # a negated class
        ("(?<![一有])点不开", None),  # a lookbehind
        (r"\S{1,6}都没", None),
    ],
)
def test_first_characters(pattern: str, first: set[str] | None) -> None:
    found = first_characters(pattern)
    assert (None if found is None else set(found)) == first


def test_required_characters_stop_at_optional_or_repeated_atoms() -> None:
    assert required_characters("(?:没|不)(?:通知|告知)了") == [
        frozenset("没不"),
        frozenset("通告"),
        frozenset("了"),
    ]
    assert required_characters("(?:没|不)(?:及时)?(?:通知)") == [frozenset("没不")]
    assert required_characters("[0-9]+天才") == [frozenset("0123456789")]
    assert required_characters("(?:等|拖)了|慢") == []  # two branches: the first characters only


def test_the_index_finds_what_every_pattern_finds() -> None:
    lexicon = load_sentiment_lexicon()
    texts = [
        row[0]
        for table in (COMPLAINTS, MIXED, SARCASM, TARGETS, NARRATION, NEGATED_MENTIONS)
        for row in table
    ] + [row[0] for row in (*CONSTRUCTIONS, *RHETORICAL)]
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
