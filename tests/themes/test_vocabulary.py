"""The words discovery may build a reason from: tables of what is kept and what is not."""

from __future__ import annotations

import pytest

from feedback_miner.text.entities import EntityFinder
from feedback_miner.themes.vocabulary import Phrases, ReasonVocabulary, learn_phrases


@pytest.fixture(scope="module")
def vocabulary(matcher) -> ReasonVocabulary:
    return ReasonVocabulary(matcher.tokenizer_)


@pytest.mark.parametrize(
    ("word", "kind"),
    [
        # moods: judgement words of the general lexicon
        ("差评", "mood"),
        ("满意", "mood"),
        ("不好", "mood"),
        ("失望", "mood"),
        ("垃圾", "mood"),
        # function words: stopwords, adverbs, conjunctions, pronouns, time words, numerals
        ("已经", "function"),
        ("不是", "function"),
        ("还是", "function"),
        ("真的", "function"),
        ("今天", "function"),
        ("我们", "function"),
        ("一直", "function"),
        ("北京", "function"),
        ("123", "function"),
        # closed classes jieba tags as verbs: modal, directional, narrating
        ("只能", "function"),
        ("想要", "function"),
        ("起来", "function"),
        ("送过来", ""),  # a verb with its direction names the event
        ("希望", "function"),
        ("估计", "function"),
        # fragments of a phrase beginning with a pronoun, unknown to the dictionary
        ("我要", "function"),
        ("这台", "function"),
        ("不到", ""),  # a complement keeps its verb's fault (收不到)
        # names: every organisation name, ambiguous ones too, and words holding one
        ("中国联通", "name"),
        ("联通", "name"),
        ("小米", "name"),
        ("中国电信宽带", "name"),
        ("招商银行", "name"),
        # reasons: things and faults, domain complaint words included
        ("网速", ""),
        ("变速箱", ""),
        ("顿挫", ""),
        ("闪退", ""),
        ("续费", ""),
        ("异响", ""),
        ("退款", ""),
        ("wifi", ""),
        # general complaints that name a thing or an event a built-in taxonomy lists
        ("故障", ""),
        ("退货", ""),
        ("假货", ""),
        ("投诉", ""),
    ],
)
def test_kind(vocabulary: ReasonVocabulary, word: str, kind: str) -> None:
    assert vocabulary.kind(word) == kind


@pytest.mark.parametrize(
    ("token", "content"),
    [
        ("挺好吃", ""),  # a degree adverb before a mood word: all judgement
        ("太慢", ""),
        ("不好吃", ""),
        ("速度慢", "速度"),  # a mood word at the end leaves the thing judged
        ("服务差", "服务"),
        ("价格太贵", "价格"),
        ("网速慢", "网速"),
        ("送餐", "送餐"),
        ("变速箱", "变速箱"),
    ],
)
def test_content_part(vocabulary: ReasonVocabulary, token: str, content: str) -> None:
    assert vocabulary.content_part(token) == content


@pytest.mark.parametrize(
    ("text", "runs"),
    [
        ("@中国联通客服 真的很差，已经断网三天了", [["断网"]]),
        ("不好，差评，不是我想要的", []),
        ("排队只能等，希望多开几个窗口", [["排队"], ["多开"], ["窗口"]]),
        ("送餐速度太慢了，价格贵", [["送餐", "速度"], ["价格"]]),
        ("回复@小王:同感 http://t.cn/A6x 光猫又坏了", [["同感"], ["光猫"]]),
        ("#宽带#　网速慢 网速慢", [["网速"], ["网速"]]),
    ],
)
def test_runs(vocabulary: ReasonVocabulary, text: str, runs: list[list[str]]) -> None:
    assert vocabulary.runs(text) == runs


def test_boilerplate_and_handles_of_the_corpus_are_cut(matcher) -> None:
    footer = "宾馆导航会员注册联系我们"
    finder = EntityFinder(handles=["悦看视频官方"], boilerplate=[footer])
    vocabulary = ReasonVocabulary(matcher.tokenizer_, finder=finder)
    assert vocabulary.runs(f"@悦看视频官方 房间隔音很差。{footer}") == [["房间", "隔音"]]


@pytest.mark.parametrize(
    ("runs", "pairs"),
    [
        # side by side in many texts and seldom apart: a phrase
        ([[["变速箱", "顿挫"]]] * 6 + [[["油耗"]]] * 6, {("变速箱", "顿挫")}),
        # frequent words that also occur apart: no phrase
        ([[["网速", "光猫"]]] * 4 + [[["网速"]], [["光猫"]]] * 20, set()),
        # together too seldom
        ([[["自动", "续费"]]] * 3 + [[["退款"]]] * 10, set()),
        # a single character joins nothing
        ([[["打包费", "收"]]] * 6 + [[["油耗"]]] * 6, set()),
        # not adjacent: different runs of one text
        ([[["变速箱"], ["顿挫"]]] * 6 + [[["油耗"]]] * 6, set()),
    ],
)
def test_learn_phrases(runs, pairs) -> None:
    assert set(learn_phrases(runs).pairs) == pairs


@pytest.mark.parametrize(
    ("run", "joined"),
    [
        (["变速箱", "顿挫", "明显"], ["变速箱顿挫", "明显"]),
        (["顿挫", "变速箱"], ["顿挫", "变速箱"]),
        (["变速箱", "顿挫", "变速箱", "顿挫"], ["变速箱顿挫", "变速箱顿挫"]),
    ],
)
def test_phrases_join(run, joined) -> None:
    assert Phrases(frozenset({("变速箱", "顿挫")})).join(run) == joined


@pytest.mark.parametrize(
    ("keyword", "texts", "phrase"),
    [
        # the judgement that follows the keyword, degree adverbs dropped
        ("隔音", ["隔音太差了", "房间隔音很差", "隔音一般，前台还行"], "隔音差"),
        ("送餐", ["送餐太慢了", "送餐很慢", "送餐速度慢"], "送餐慢"),
        ("客服", ["客服很差劲", "客服差劲", "客服态度差"], "客服差劲"),
        # a negator stays, before praise (不好) as before a complaint (不稳定)
        ("隔音", ["隔音不太好", "隔音不好啊", "隔音差"], "隔音不好"),
        ("信号", ["信号不稳定", "信号很不稳定"], "信号不稳定"),
        # praise, or a judgement made of something else, names no complaint
        ("前台", ["前台热情", "前台很好", "前台在哪"], ""),
        ("骑手", ["骑手态度很差", "骑手态度差"], ""),
        # once is an anecdote
        ("网速", ["网速慢", "网速还行"], ""),
    ],
)
def test_judged_phrase(vocabulary: ReasonVocabulary, keyword, texts, phrase) -> None:
    assert vocabulary.judged_phrase(keyword, texts) == phrase
