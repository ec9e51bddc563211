import pytest

from feedback_miner.themes import Mention, document_churn_type, find_competitors, load_taxonomy

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
        ("", []),
    ],
)
def test_find_competitors(text: str, found: list[str]) -> None:
    assert find_competitors(text, NAMES) == found


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
