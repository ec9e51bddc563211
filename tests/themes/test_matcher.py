import pytest

from feedback_miner.themes import ThemeMatcher, parse_taxonomy

TAXONOMY = parse_taxonomy(
    """
[taxonomy]
name = "test"
version = "1"

[[themes]]
id = "price"
name = "价格"
keywords = ["贵", "价格", "套餐费"]
exclude = ["不差钱"]

[[themes]]
id = "signal"
name = "信号"
keywords = ["信号", "没有信号"]

[[themes]]
id = "switch"
name = "转网"
keywords = ["携号转网", "换成"]
""",
    source="test.toml",
)


@pytest.fixture(scope="module")
def small(scorer):
    return ThemeMatcher(taxonomy=TAXONOMY).fit(), scorer


def themes_of(pair, text: str) -> dict[str, float]:
    matcher, scorer = pair
    return {m.theme_id: m.sentiment_score for m in matcher.mentions(scorer.score_document(text))}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("太贵了", {"price"}),
        ("贵宾厅很舒服", set()),  # 贵 does not match inside 贵宾
        ("宝贵的意见", set()),
        ("价格还行，信号不好", {"price", "signal"}),  # multi-label
        ("我不差钱，价格无所谓", {"price"}),  # exclude works per clause ...
        ("我不差钱价格无所谓", set()),  # ... and drops the clause that holds it
        ("套餐费涨了", {"price"}),
        ("准备携号转网", {"switch"}),
        ("家里没有信号", {"signal"}),  # multi-token keyword
        ("SIGNAL", set()),
    ],
)
def test_matching_rules(small, text: str, expected: set[str]) -> None:
    assert set(themes_of(small, text)) == expected


@pytest.mark.parametrize(
    ("text", "theme", "sign"),
    [
        ("价格不贵", "price", 1),  # negation inside the clause: a positive price mention
        ("价格太贵", "price", -1),
        ("信号很差", "signal", -1),
        ("信号，真的很差", "signal", -1),  # a neutral clause takes its neighbour's judgement
        ("信号还不错，就是价格太高太贵", "signal", 1),
    ],
)
def test_aspect_sentiment(small, text: str, theme: str, sign: int) -> None:
    score = themes_of(small, text)[theme]
    assert score * sign > 0


def test_evidence_is_the_matched_clause(small) -> None:
    matcher, scorer = small
    mentions = matcher.mentions(scorer.score_document("客服还行。价格太贵了！"))
    assert [(m.theme_id, m.evidence, m.keywords) for m in mentions] == [
        ("price", "价格太贵了！", ("价格", "贵"))
    ]


def test_transform_matrix_has_stable_columns(small) -> None:
    matcher, _ = small
    frame = matcher.transform(["太贵", None, "没信号"])
    assert list(frame.columns) == ["price", "signal", "switch"]
    assert frame.to_numpy().tolist() == [[1, 0, 0], [0, 0, 0], [0, 1, 0]]
    assert matcher.get_feature_names_out().tolist() == ["price", "signal", "switch"]


def test_default_matcher_finds_churn_reasons(matcher, scorer) -> None:
    found = {
        m.theme_id
        for m in matcher.mentions(
            scorer.score_document("自动续费乱扣钱，app老是闪退，客服也不回复，准备换成腾讯视频了")
        )
    }
    assert {"billing", "bugs", "service", "competitor"} <= found


@pytest.fixture(scope="module")
def restaurant():
    from feedback_miner.stages import AnalyzerSpec, build_stages
    from feedback_miner.themes import load_pack

    return build_stages(AnalyzerSpec(taxonomy=load_pack("restaurant")))


@pytest.mark.parametrize(
    ("text", "theme", "keyword"),
    [
        ("量很足", "dish_portion", "量很足"),
        ("菜上得也慢", "service_serving_speed", "菜上得"),
        ("上得也慢", "service_serving_speed", "上得慢"),  # an adverb inside the keyword
        ("上的非常快", "service_serving_speed", "上的快"),  # 的 for 得, and 非常 inside
    ],
)
def test_keywords_written_with_adverbs_inside_or_de_for_de(
    restaurant, text: str, theme: str, keyword: str
) -> None:
    doc = restaurant.scorer.score_document(text)
    found = {m.theme_id: m.keywords for m in restaurant.matcher.mentions(doc)}
    assert keyword in found[theme]


def test_spellings_of_the_complement_particle() -> None:
    from feedback_miner.themes.matcher import spellings

    assert spellings("送得慢") == ("送得慢", "送的慢")
    assert spellings("太贵") == ("太贵",)
