from pathlib import Path

import pandas as pd
import pytest

from feedback_miner.ingest import ingest_files
from feedback_miner.text.boilerplate import find_boilerplate, known_handles
from feedback_miner.text.entities import MASK, ORGANISATION_MASK, EntityFinder


@pytest.fixture(scope="module")
def finder() -> EntityFinder:
    return EntityFinder(handles=["星联通信湖北客服"], boilerplate=["本评价来自悦享点评客户端"])


@pytest.mark.parametrize(
    ("text", "entities", "left"),
    [
        # handles end at a space, punctuation or another @
        ("@星联通信客服 网速太慢", [("handle", "@星联通信客服")], "网速太慢"),
        ("你好@星联通信客服。网速太慢", [("handle", "@星联通信客服")], "你好 。网速太慢"),
        (
            "@星联通信 @星联通信客服 @星联通信广东客服",
            [("handle", "@星联通信"), ("handle", "@星联通信客服"), ("handle", "@星联通信广东客服")],
            "",
        ),
        # a handle run into the text: a role word or a known name ends it
        ("@星联通信客服你们的信号太差了", [("handle", "@星联通信客服")], "你们的信号太差了"),
        ("@中国联通你们的客服太差了", [("handle", "@中国联通")], "你们的客服太差了"),
        ("@星联通信湖北客服宽带又断了", [("handle", "@星联通信湖北客服")], "宽带又断了"),
        # a short tail stays with the account's name
        ("@花粉助手小D 黑屏", [("handle", "@花粉助手小D")], "黑屏"),
        # replies and repost chains: the chain is other people's words, up to the line's end
        ("回复@小王:同感，客服太慢", [("reply", "回复@小王:")], "同感，客服太慢"),
        ("转发 //@小李: 客服太差\n我也是", [("repost", "//@小李: 客服太差")], "转发 我也是"),
        # links, tags, masked personal data, review titles
        (
            "详见 https://www.example.com/a?b=1 谢谢",
            [("url", "https://www.example.com/a?b=1")],
            "详见 谢谢",
        ),
        ("看 网页链接", [("url", "网页链接")], "看"),
        ("#悦看视频# 又扣费了", [("hashtag", "#悦看视频#")], "又扣费了"),
        ("我的电话是<手机号>", [("placeholder", "<手机号>")], "我的电话是"),
        ("【老王烧烤（万达店）】味道不错", [("title", "【老王烧烤（万达店）】")], "味道不错"),
        # organisation names, from the lexicon and by their legal or shop form
        ("用大众点评团购的", [("organisation", "大众点评")], "用 团购的"),
        (
            "深圳市星河科技有限公司的快递很慢",
            [("organisation", "深圳市星河科技有限公司")],
            "的快递很慢",
        ),
        ("悦看视频旗舰店发货慢", [("organisation", "悦看视频旗舰店")], "发货慢"),
        ("OPPO手机不错", [("organisation", "OPPO")], "手机不错"),
        ("an opportunity", [], "an opportunity"),  # Latin names stand alone
        ("移动端太卡", [], "移动端太卡"),  # ambiguous names are not masked
        # boilerplate given by the corpus
        (
            "菜凉了。本评价来自悦享点评客户端",
            [("boilerplate", "本评价来自悦享点评客户端")],
            "菜凉了。",
        ),
        ("", [], ""),
    ],
)
def test_entities(
    finder: EntityFinder, text: str, entities: list[tuple[str, str]], left: str
) -> None:
    assert [(e.kind, e.text) for e in finder.find(text)] == entities
    assert finder.strip(text) == left


@pytest.mark.parametrize(
    ("text", "addressee"),
    [
        ("@中国联通 @中国联通客服 @中国联通广东客服 网速太慢", "中国联通"),
        ("@北京联通 网速慢", "中国联通"),  # a place before a known short name
        ("@星联通信广东客服 网速慢", "星联通信"),  # role and place words come off the ends
        ("@悦看视频官方 @小王 会员又涨价", "悦看视频"),
        ("@华为终端官方微博 @荣耀手机 @荣耀 黑屏", "荣耀"),  # the organisation named most often
        ("回复@小王:同感", ""),  # a person is no addressee
        ("【老王烧烤（万达店）】味道不错", "老王烧烤（万达店）"),
        ("客服太差了", ""),
        ("＠中国联通客服 网速慢", "中国联通"),  # a full-width at sign
        ("  【老王烧烤】不错", "老王烧烤"),
        ("中国联通客服太差了", ""),  # a name without a handle addresses nobody
        ("味道不错【推荐】", ""),  # a bracket that is no title
    ],
)
def test_addressee(finder: EntityFinder, text: str, addressee: str) -> None:
    assert finder.addressee(text) == addressee


def test_addressee_skips_only_texts_where_nothing_can_be_found(
    finder: EntityFinder, samples_dir: Path
) -> None:
    """Texts without an at sign or a title bracket are answered without reading their
    entities: the answer is the one reading them gives, on every sample text."""
    posts = pd.read_csv(samples_dir / "social_posts.csv", encoding="utf-8-sig")["微博内容"]
    tickets = ingest_files([samples_dir / "service_tickets.csv"]).records["text"]
    texts = [*posts.astype(str), *tickets]
    assert sum(finder.addressee(t) != "" for t in texts) > 10
    assert [finder.addressee(t) for t in texts] == [finder._addressee(t) for t in texts]


def test_masked_view_keeps_lengths_and_shows_names_in_evidence(finder: EntityFinder) -> None:
    view = finder.view("@星联通信客服 在京东买的卡，信号太差")
    assert len(view.masked) == len(view.text)
    assert MASK in view.masked and ORGANISATION_MASK in view.masked
    assert "客服" not in view.masked and "京东" not in view.masked
    assert view.evidence(0, len(view.text)) == "在京东买的卡，信号太差"


def test_boilerplate_is_long_repeated_and_beside_other_words() -> None:
    footer = "发自我的悦享手机客户端"
    texts = [f"第{i}次点这家，菜是凉的。{footer}" for i in range(6)] + ["送餐太慢了"] * 6
    assert find_boilerplate(texts) == (footer,)
    # a short everyday clause, however often repeated, is no boilerplate
    assert find_boilerplate(["太慢了，差评"] * 10) == ()
    # nor one that is mostly a whole document on its own (a duplicate)
    assert find_boilerplate([footer] * 8 + [f"好吃。{footer}"]) == ()


def test_known_handles_are_names_that_end_at_a_delimiter_in_several_texts() -> None:
    texts = ["@星联通信客服 网速慢", "问一下@星联通信客服。", "@小王 你好", "@星联通信客服你们好"]
    assert known_handles(texts) == ("星联通信客服",)
