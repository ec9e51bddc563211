import pytest

from feedback_miner.text import ChineseTokenizer
from feedback_miner.themes import (
    Mention,
    document_churn_type,
    find_competitors,
    load_pack,
    load_taxonomy,
    recurring_competitors,
)
from feedback_miner.themes.competitors import is_name_like, switch_objects

NAMES = ["腾讯视频", "爱奇艺", "中国移动", "移动", "联通", "京东"]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("已经换成了腾讯视频，那边片子多", ["腾讯视频"]),
        ("改用爱奇艺了", ["爱奇艺"]),
        ("准备携号转网到联通", ["联通"]),
        ("联通比你们便宜多了", ["联通"]),
        ("京东的物流更快", ["京东"]),
        ("换成了腾讯视频，爱奇艺更便宜", ["腾讯视频", "爱奇艺"]),
        ("移动端太卡了", []),  # a short name is an ordinary word without a switching phrase
        ("改用小鹿视频了", []),  # not in the list: only names that recur in the corpus count
        ("去了别家", []),
        ("我换了手机", []),
        ("换成别的app了", []),
        ("我是不会换成爱奇艺的", []),  # a negated switch names no competitor
        ("不得不换成联通", ["联通"]),  # 不得不 is no negation
        ("", []),
    ],
)
def test_find_competitors(text: str, found: list[str]) -> None:
    assert find_competitors(text, NAMES) == found


@pytest.mark.parametrize(
    ("candidate", "name_like"),
    [
        ("小鹿视频", True),
        ("蓝鲸出行", True),
        ("你们", False),  # pronouns
        ("他们家", False),
        ("2间豪华房", False),  # quantities and sizes
        ("55寸", False),
        ("下一首", False),
        ("一个女的", False),
        ("需要排号", False),  # a verb phrase
        ("双床房", False),  # ordinary objects: rooms, modes, songs, devices, people
        ("免提模式", False),
        ("另一首歌", False),
        ("新手机", False),
        ("别家", False),
        ("年卡套餐", False),
    ],
)
def test_only_names_can_be_competitors(candidate: str, name_like: bool) -> None:
    assert is_name_like(candidate) is name_like


def test_everyday_words_of_the_dictionary_are_no_names() -> None:
    frequency = ChineseTokenizer().frequency
    assert not is_name_like("现金", frequency=frequency)
    assert not is_name_like("地铁", frequency=frequency)
    assert is_name_like("小鹿视频", frequency=frequency)


# (pack, sentence, the competitors it names): switching verbs with organisations, products,
# and with everything else customers switch (rooms, sizes, songs, people, pronouns, amounts).
# 小鹿视频, 蓝鲸出行 and 青橙银行 are invented brands that several sentences switch to.
TABLE = [
    ("app", "会员太贵了，已经换成腾讯视频了", ["腾讯视频"]),
    ("app", "改用爱奇艺了，片子多一点", ["爱奇艺"]),
    ("app", "家里人都转投B站了", ["B站"]),
    ("app", "网易云更便宜，准备走了", ["网易云"]),
    ("app", "QQ音乐比你们好多了", ["QQ音乐"]),
    ("app", "最近改用小鹿视频了", ["小鹿视频"]),
    ("app", "朋友都换成小鹿视频了", ["小鹿视频"]),
    ("app", "转投小鹿视频吧，便宜一半", ["小鹿视频"]),
    ("app", "听到一半换了下一首歌曲", []),
    ("app", "换成听筒模式也听不清", []),
    ("app", "改用免提模式就好了", []),
    ("app", "我是不会换成爱奇艺的", []),
    ("app", "用回你们的老版本了", []),
    ("app", "换了新手机以后登录不上", []),
    ("telecom", "准备携号转网到联通", ["联通"]),
    ("telecom", "下个月就换成电信了", ["电信"]),
    ("telecom", "移动的宽带比你们便宜", ["移动"]),
    ("telecom", "移动端的页面打不开", []),
    ("telecom", "换成了一个男的客服，态度好多了", []),
    ("telecom", "改用大流量套餐了", []),
    ("telecom", "从来没想过换成联通", []),
    ("hotel", "下次就改订亚朵了", ["亚朵"]),
    ("hotel", "去了隔壁的汉庭，干净多了", []),
    ("hotel", "换成了2间豪华房才住得下", []),
    ("hotel", "前台给我们换成大床房了", []),
    ("hotel", "我们7人同行，换了房间还是不够住", []),
    ("hotel", "携程更便宜，以后在那边订", ["携程"]),
    ("hotel", "改用蓝鲸出行订的车", ["蓝鲸出行"]),
    ("hotel", "大家都换成蓝鲸出行了", ["蓝鲸出行"]),
    ("hotel", "早就转投蓝鲸出行", ["蓝鲸出行"]),
    ("restaurant", "以后外卖改用饿了么了", ["饿了么"]),
    ("restaurant", "需要拿号，换成下午再来", []),
    ("restaurant", "换成小份的就够吃了", []),
    ("restaurant", "美团更便宜，满减多", ["美团"]),
    ("ecommerce", "价格比京东贵，已经去了京东", ["京东"]),
    ("ecommerce", "换成42寸的电视也是一样的问题", []),
    ("ecommerce", "拼多多更便宜", ["拼多多"]),
    ("ecommerce", "换成黑色的就好了", []),
    ("automotive", "下一台准备换成比亚迪", ["比亚迪"]),
    ("automotive", "换了四个轮胎还是抖", []),
    ("automotive", "改用95号汽油也没用", []),
    ("finance", "工资卡已经换成招商银行了", ["招商银行"]),
    ("finance", "改用青橙银行了，手续费低", ["青橙银行"]),
    ("finance", "朋友推荐我换成青橙银行", ["青橙银行"]),
    ("finance", "都转投青橙银行了", ["青橙银行"]),
    ("finance", "换成现金支付就没问题", []),
    ("finance", "改用他们的信用卡以后积分少了", []),
]


def test_competitor_precision_on_switching_sentences() -> None:
    """A table of 47 sentences: known names of each pack plus the names that recur as
    objects of switching verbs; precision at least 0.9 and no ordinary object named."""
    assert len(TABLE) >= 40
    frequency = ChineseTokenizer().frequency
    texts = [text for _, text, _ in TABLE]
    recurring = recurring_competitors(texts, frequency=frequency)
    assert set(recurring) == {"小鹿视频", "蓝鲸出行", "青橙银行"}
    found = correct = expected = 0
    for pack, text, truth in TABLE:
        names = [*load_pack(pack).competitors, *recurring]
        got = find_competitors(text, names)
        found += len(got)
        correct += len(set(got) & set(truth))
        expected += len(truth)
        assert set(got) <= set(truth) or len(set(got) - set(truth)) == 0, (text, got)
    assert correct / found >= 0.9
    assert correct / expected >= 0.8  # and most named competitors are found


def test_switch_objects_are_name_like_and_not_negated() -> None:
    assert switch_objects("改用小鹿视频了，不会转投你们") == ["小鹿视频"]
    assert switch_objects("我不会换成小鹿视频") == []
    assert switch_objects("换成了2间豪华房") == []


@pytest.mark.parametrize(
    ("mentions", "churn_type"),
    [
        ([Mention("need_gone", 0.0, "", ())], "natural"),
        ([Mention("payment_failure", -0.2, "", ())], "passive"),
        ([Mention("price", -0.7, "", ()), Mention("need_gone", 0.0, "", ())], "active"),
        ([Mention("price", 0.6, "", ())], ""),  # praise is no churn reason
        ([Mention("price", 0.0, "", ())], ""),
        ([], ""),
    ],
)
def test_document_churn_type(mentions: list[Mention], churn_type: str) -> None:
    assert document_churn_type(mentions, load_taxonomy()) == churn_type


def test_default_taxonomy_has_sub_themes_and_twenty_keywords_each() -> None:
    taxonomy = load_taxonomy()
    assert len(taxonomy.themes) >= 14
    assert {t.parent for t in taxonomy.themes} - {""} >= {"price", "service", "network"}
    assert all(len(t.keywords) >= 20 for t in taxonomy.themes), [
        t.id for t in taxonomy.themes if len(t.keywords) < 20
    ]
    assert all(t.description for t in taxonomy.themes)
