"""Rules of social-post cleaning, chat speakers, duplicates and conversion, plus property tests."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from feedback_miner.ingest.chat import customer_text, is_stock_phrase, speaker_of
from feedback_miner.ingest.dedupe import duplicate_key, find_duplicates
from feedback_miner.ingest.social import clean_social_post
from feedback_miner.text import mask_pii, normalize_text, to_simplified


@pytest.mark.parametrize(
    ("post", "text", "topics"),
    [
        (
            "#悦看视频# 又乱扣费了[怒] @悦看客服 http://t.cn/A6x //@小王:同感",
            "又乱扣费了[怒]",
            ["悦看视频"],
        ),
        ("转发微博", "", []),
        ("转发微博//@小王:太坑了", "", []),
        ("回复@张三:说得对，太贵了 O网页链接", "说得对，太贵了", []),
        ("#吐槽##客服# 排队两小时 https://weibo.com/1234/abc", "排队两小时", ["吐槽", "客服"]),
        ("价格 www.example.com/x 太离谱", "价格 太离谱", []),
        ("谢谢@客服小王:帮我退了款", "谢谢 帮我退了款", []),
    ],
)
def test_clean_social_post(post: str, text: str, topics: list[str]) -> None:
    assert clean_social_post(post) == (text, topics)


@pytest.mark.parametrize(
    ("label", "speaker"),
    [
        ("用户", "customer"),
        ("顾客", "customer"),
        ("Customer", "customer"),
        ("客服", "agent"),
        ("客服小美", "agent"),
        ("机器人", "agent"),
        ("小美(客服)", "agent"),
        ("张三", "unknown"),
    ],
)
def test_speaker_of(label: str, speaker: str) -> None:
    assert speaker_of(label) == speaker


@pytest.mark.parametrize(
    ("line", "stock"),
    [
        ("您好，很高兴为您服务！", True),
        ("在吗？", True),
        ("好的", True),
        ("会员被扣了两次费", False),
    ],
)
def test_stock_phrases(line: str, stock: bool) -> None:
    assert is_stock_phrase(line) is stock


@pytest.mark.parametrize(
    ("transcript", "text"),
    [
        ("客服：您好\n用户：套餐太贵\n客服：请稍等", "套餐太贵"),
        ("用户: 第一句\n接着说的第二句\n客服: 好的", "第一句\n接着说的第二句"),
        ("[10:00] 店小二: 亲在的\n[10:01] 买家小李: 发错货了", "发错货了"),
        ("没有任何前缀的一段话", "没有任何前缀的一段话"),
    ],
)
def test_customer_text(transcript: str, text: str) -> None:
    assert customer_text(transcript) == text


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("客服太差了！！[怒]", "客服太差了", True),
        ("太贵了", "太 贵 了。", True),
        ("ABC太贵", "abc太贵", True),
        ("太贵了", "太便宜了", False),
    ],
)
def test_duplicate_key(a: str, b: str, same: bool) -> None:
    assert (duplicate_key(a) == duplicate_key(b)) is same


def test_duplicates_rules() -> None:
    long = "这个APP经常闪退，客服态度也很差，已经卸载了"
    frame = pd.DataFrame(
        [
            ("d1", "u1", "太贵了", "survey"),
            ("d2", "u2", "太贵了", "survey"),  # another user: not a duplicate
            ("d3", "u1", "太贵了！", "survey"),  # same user again: duplicate
            ("d4", None, "太贵了", "survey"),  # anonymous respondent: not a duplicate
            ("d5", "u5", long, "social"),
            ("d6", None, long + "！！", "social"),  # anonymous repost of a sentence: duplicate
            ("d7", None, long, "survey"),  # a survey submission is its own respondent
        ],
        columns=["doc_id", "user_id", "text", "source"],
    )
    found = find_duplicates(frame["doc_id"], frame["user_id"], frame["text"], frame["source"])
    assert found.tolist() == [None, None, "d1", None, None, "d5", None]


@pytest.mark.parametrize(
    ("traditional", "simplified"),
    [
        ("資費太貴", "资费太贵"),
        ("閃退", "闪退"),
        ("客服態度很差", "客服态度很差"),
        ("已经是简体", "已经是简体"),
        ("ASCII only", "ASCII only"),
    ],
)
def test_to_simplified(traditional: str, simplified: str) -> None:
    assert to_simplified(traditional) == simplified


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_cleaning_never_raises_on_arbitrary_unicode(text: str) -> None:
    cleaned = mask_pii(to_simplified(normalize_text(text)))
    assert isinstance(cleaned, str)
    post, topics = clean_social_post(cleaned)
    assert isinstance(post, str) and all(isinstance(t, str) for t in topics)
    assert isinstance(customer_text(text), str)
    assert isinstance(duplicate_key(text), str)


_FILLER = st.text(
    st.characters(blacklist_categories=("Nd",), blacklist_characters="@+-.xX"), max_size=30
)
PHONE = st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True)
ID_NUMBER = st.from_regex(
    r"[1-9][0-9]{5}(19|20)[0-9]{2}(0[1-9]|1[0-2])(0[1-9]|[12][0-9])[0-9]{3}[0-9X]", fullmatch=True
)
EMAIL = st.from_regex(r"[a-z][a-z0-9._]{0,10}@[a-z0-9]{1,10}\.(com|cn|net)", fullmatch=True)


@settings(max_examples=300, deadline=None)
@given(_FILLER, st.one_of(PHONE, ID_NUMBER, EMAIL), _FILLER)
def test_masked_patterns_never_leak(before: str, secret: str, after: str) -> None:
    for text in (f"{before}{secret}{after}", f"{before} {secret} {after}"):
        cleaned = mask_pii(normalize_text(text))
        assert secret not in cleaned
        assert not re.search(r"(?<!\d)1[3-9]\d{9}(?!\d)", cleaned) or not re.fullmatch(
            r"1[3-9]\d{9}", secret
        )
