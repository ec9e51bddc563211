"""One table of sentences per rule, with the polarity each must get."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from feedback_miner.sentiment import SentimentScorer, label_score


def polarity(scorer: SentimentScorer, text: str) -> str:
    score = scorer.score_document(text).score
    assert score is not None
    return label_score(score)


LEXICON = [
    ("客服态度很好", "positive"),
    ("画质清晰，播放流畅", "positive"),
    ("信号太差了", "negative"),
    ("垃圾软件", "negative"),
    ("主要晚上用", "neutral"),
    ("yyds", "positive"),
    ("无语", "negative"),
]
NEGATION = [
    ("价格不贵", "positive"),
    ("不好用", "negative"),
    ("没有问题", "positive"),
    ("并不满意", "negative"),
    ("一点都不卡", "positive"),
    ("不靠谱", "negative"),
]
DOUBLE_NEGATION = [
    ("不是不好", "positive"),
    ("并非不满意", "positive"),
]
DEGREE = [
    ("有点贵", "negative"),
    ("非常满意", "positive"),
    ("不太好", "negative"),
    ("不是很满意", "negative"),
]
CONTRAST = [
    ("价格便宜，但是质量太差", "negative"),
    ("有点贵，不过服务很好", "positive"),
    ("虽然界面简洁，但经常闪退", "negative"),
    ("虽然有点慢，但是很好用", "positive"),
]
EMOTICON = [
    ("又扣费了[怒]", "negative"),
    ("今天追完了[哈哈]", "positive"),
    ("客服回复了👍", "positive"),
    ("再也不来了😡", "negative"),
]


@pytest.mark.parametrize(("text", "expected"), LEXICON)
def test_lexicon_words(scorer, text: str, expected: str) -> None:
    assert polarity(scorer, text) == expected


@pytest.mark.parametrize(("text", "expected"), NEGATION)
def test_negation(scorer, text: str, expected: str) -> None:
    assert polarity(scorer, text) == expected


@pytest.mark.parametrize(("text", "expected"), DOUBLE_NEGATION)
def test_double_negation(scorer, text: str, expected: str) -> None:
    assert polarity(scorer, text) == expected


@pytest.mark.parametrize(("text", "expected"), DEGREE)
def test_degree(scorer, text: str, expected: str) -> None:
    assert polarity(scorer, text) == expected


def test_degree_strengthens_and_softens(scorer) -> None:
    plain = scorer.score_document("满意").score
    assert scorer.score_document("非常满意").score > plain > scorer.score_document("有点满意").score


def test_softened_negation_is_milder(scorer) -> None:
    assert scorer.score_document("不太好").score > scorer.score_document("不好").score


@pytest.mark.parametrize(("text", "expected"), CONTRAST)
def test_contrast_and_concession(scorer, text: str, expected: str) -> None:
    assert polarity(scorer, text) == expected


def test_exclamation_strengthens(scorer) -> None:
    assert scorer.score_document("太差了！！！").score < scorer.score_document("太差了").score


@pytest.mark.parametrize(("text", "expected"), EMOTICON)
def test_emoticons_and_emoji(scorer, text: str, expected: str) -> None:
    assert polarity(scorer, text) == expected


@pytest.mark.parametrize(
    ("score", "label"),
    [
        (-0.5, "negative"),
        (-0.1, "negative"),
        (-0.05, "neutral"),
        (0.0, "neutral"),
        (0.1, "positive"),
    ],
)
def test_label_band(score: float, label: str) -> None:
    assert label_score(score, neutral_band=0.1) == label


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_score_is_in_range_and_never_raises(scorer, text: str) -> None:
    result = scorer.score_document(text)
    if result.score is not None:
        assert -1.0 < result.score < 1.0
        assert all(-1.0 < s < 1.0 for s in result.clause_scores)


@settings(max_examples=50, deadline=None)
@given(
    st.lists(
        st.sampled_from(["太差", "垃圾", "坑", "不满意", "！", "失望"]), min_size=1, max_size=200
    )
)
def test_long_piles_of_negative_words_stay_below_minus_one(scorer, words: list[str]) -> None:
    score = scorer.score_document("".join(words)).score
    assert score is None or -1.0 < score <= 0.0


RHETORICAL = [
    ("难道这就是你们的服务吗？", "negative"),
    ("凭什么乱扣我的钱", "negative"),
    ("怎么能这样对待老用户", "negative"),
    ("难道不能快点吗", "negative"),
    ("难道我们家的网速很好吗？", "negative"),  # a positive literal reading is flipped
]
CONSTRUCTIONS = [
    ("等了两个小时", "negative"),
    ("一个多小时才送到", "negative"),
    ("到现在还没收到", "negative"),
    ("可乐没有送！", "negative"),
    ("送错了", "negative"),
    ("大不如前", "negative"),
    ("没有想象中的好吃", "negative"),
    ("说好的退款呢", "negative"),
    ("下次还来", "positive"),
    ("会回购的", "positive"),
    ("等一下再说", "neutral"),  # no time span, no complaint
]
TRADITIONAL = [("這個軟體經常閃退", "negative"), ("服務態度很好", "positive")]
BOUNDARIES = [
    ("出差回来点的外卖", "neutral"),  # 差 inside 出差
    ("好像是新开的店", "neutral"),  # 好 inside 好像
    ("差不多吧", "neutral"),
    ("价格便宜", "positive"),  # a compound jieba knows, split into our words
    ("debug模式", "neutral"),  # bug inside a longer Latin word
    ("bug太多", "negative"),
]


@pytest.mark.parametrize(("text", "expected"), RHETORICAL)
def test_rhetorical_questions(scorer, text: str, expected: str) -> None:
    assert polarity(scorer, text) == expected


@pytest.mark.parametrize(("text", "expected"), CONSTRUCTIONS)
def test_complaint_and_praise_constructions(scorer, text: str, expected: str) -> None:
    assert polarity(scorer, text) == expected


def test_constructions_do_not_override_judgement_words(scorer) -> None:
    assert polarity(scorer, "等了两个小时，但是非常好吃") == "positive"


@pytest.mark.parametrize(("text", "expected"), TRADITIONAL)
def test_traditional_characters(scorer, text: str, expected: str) -> None:
    assert polarity(scorer, text) == expected


@pytest.mark.parametrize(("text", "expected"), BOUNDARIES)
def test_word_boundaries(scorer, text: str, expected: str) -> None:
    assert polarity(scorer, text) == expected


def test_repetition_adds_weight(scorer) -> None:
    once = scorer.score_document("垃圾").score
    assert scorer.score_document("垃圾垃圾垃圾").score < once < 0
