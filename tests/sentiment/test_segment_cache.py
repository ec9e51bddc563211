"""The sentiment segmenter from the cache folder cuts exactly as one built anew."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from review_corpus import review_corpus

from feedback_miner.cache import CACHE_VARIABLE
from feedback_miner.sentiment import SentimentScorer, load_sentiment_lexicon
from feedback_miner.sentiment.segment import LexiconSegmenter, _build_key
from feedback_miner.text import split_clauses

# the segmenter's own rules, one text each, beside a seeded corpus of reviews
TEXTS = [
    "出差回来点的外卖，价格便宜",
    "不文明礼貌",
    "太多了",
    "不热情周到",
    "好少啊，好咸",
    "挺好的呀",
    "快两个小时才到，好几次了",
    "这个bug还在，debug也没用，yyds",
    "速度慢",
    "没想到不简单",
    "",
    "🙂👍",
]


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    where = tmp_path / "cache"
    monkeypatch.setenv(CACHE_VARIABLE, str(where))
    return where


def test_a_cached_segmenter_cuts_as_a_built_one(folder: Path) -> None:
    lexicon = load_sentiment_lexicon()
    built = LexiconSegmenter(lexicon)
    first = LexiconSegmenter.cached(lexicon)  # built, and written
    entries = list(folder.iterdir())
    assert [p.name.startswith("sentiment-segmenter-") for p in entries] == [True]
    loaded = LexiconSegmenter.cached(lexicon)  # read back
    assert loaded is not first and list(folder.iterdir()) == entries
    reviews = review_corpus(per_category=40)["text"].tolist()
    clauses = [c for text in TEXTS + reviews for c in split_clauses(text)] + TEXTS
    assert len(clauses) > 500
    for clause in clauses:
        assert loaded.cut(clause) == first.cut(clause) == built.cut(clause), clause


def test_the_key_follows_the_lexicon() -> None:
    lexicon = load_sentiment_lexicon()
    key = _build_key(lexicon)
    assert _build_key(load_sentiment_lexicon()) == key
    assert "勿要" not in lexicon.negators and "么" not in lexicon.particles
    changed = [
        replace(lexicon, words={**lexicon.words, "绝绝子啦": 2.0}),
        replace(lexicon, negators={**lexicon.negators, "勿要": 0.8}),
        replace(lexicon, particles=lexicon.particles | {"么"}),
        replace(lexicon, compound_tails=lexicon.compound_tails - {"慢"}),
    ]
    assert len({key, *map(_build_key, changed)}) == 1 + len(changed)


def test_a_scorer_that_expands_its_lexicon_caches_only_the_shipped_one(folder: Path) -> None:
    texts = review_corpus(per_category=20)["text"].tolist()
    SentimentScorer(expand_lexicon=True).fit(texts)
    assert len(list(folder.glob("sentiment-segmenter-*.pickle"))) == 1
    rules = SentimentScorer().fit()
    assert rules.predict(["客服太差了！", "还不错"]).tolist() == ["negative", "positive"]
    assert len(list(folder.glob("sentiment-segmenter-*.pickle"))) == 1
