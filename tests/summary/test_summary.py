import pandas as pd
import pytest

from feedback_miner.attribution import ChurnLabels
from feedback_miner.errors import FeedbackMinerError
from feedback_miner.summary import (
    churn_type_split,
    competitor_table,
    emerging_themes,
    monthly_trends,
    representative_quotes,
    segment_shares,
    summarize,
    theme_summary,
)
from feedback_miner.summary.segments import ordinal_key, pick_segment_columns
from feedback_miner.themes import load_taxonomy


def _mentions(rows: list[tuple[str, str, float, str]]) -> pd.DataFrame:
    return pd.DataFrame(
        [(d, f"u{d}", t, s, e, "") for d, t, s, e in rows],
        columns=["doc_id", "user_id", "theme_id", "sentiment_score", "evidence", "keywords"],
    )


def _docs(n: int, **columns: list) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "doc_id": [str(i) for i in range(n)],
            "user_id": [f"u{i}" for i in range(n)],
            "text": [f"文本{i}" for i in range(n)],
            "source": "survey",
            "created_at": pd.NaT,
            "sentiment_score": 0.0,
            "sentiment_label": "neutral",
            "themes": "",
            "churn_type": "",
            "competitors": "",
        }
    )
    for name, values in columns.items():
        frame[name] = values
    return frame


@pytest.mark.parametrize(
    ("keywords", "expected"),
    [
        (["太贵;涨价", "太贵", "涨价;太贵"], "太贵、涨价"),
        (["涨价", "太贵"], "涨价、太贵"),  # ties keep the order first seen
        (["", ""], ""),
    ],
)
def test_theme_summary_top_keywords(keywords: list[str], expected: str) -> None:
    mentions = _mentions([(str(i), "price", -0.5, "x") for i in range(len(keywords))])
    mentions["keywords"] = keywords
    summary = theme_summary(_docs(4), mentions, load_taxonomy(), neutral_band=0.1)
    price = summary.set_index("theme_id").loc["price"]
    assert price["top_keywords"] == expected
    assert price["mentions"] == len(keywords) and price["share"] == len(keywords) / 4


def test_quotes_typical_and_most_negative() -> None:
    rows = [
        ("0", "price", -0.9, "价格太贵了，受不了"),
        ("1", "price", -0.8, "价格太贵了受不了啊"),  # nearly the words of doc 0
        ("2", "price", -0.6, "续费涨价太离谱"),
        ("3", "price", -0.5, "套餐比别家贵一倍"),
        ("4", "price", -0.4, "会员费一年比一年高"),
        ("5", "price", -0.3, "价格 太贵了，受不了！"),  # the same words as doc 0
        ("6", "price", 0.6, "价格便宜"),
    ]
    docs = _docs(7)
    quotes = representative_quotes(docs, _mentions(rows), ["price"], per_kind=2)
    typical = quotes[quotes["kind"] == "typical"]
    negative = quotes[quotes["kind"] == "negative"]
    assert negative["doc_id"].tolist() == ["0", "2"]  # the most negative, near-duplicates apart
    assert sorted(typical["doc_id"]) == ["3", "4"]
    assert negative["sentiment_score"].max() <= typical["sentiment_score"].min()
    assert quotes["text"].tolist() == [f"文本{d}" for d in quotes["doc_id"]]


@pytest.mark.parametrize(
    ("evidence", "kept"),
    [
        (["退款太慢了", "退款太慢了吧"], 1),  # one more character: the same quote
        (["退款太慢了", "客服态度很差"], 2),
        (["一直闪退打不开", "闪退"], 1),  # the short one is inside the long one
        (["画质模糊", "画面卡顿"], 2),  # one pair of characters in common is not enough
    ],
)
def test_near_duplicate_quotes_are_dropped(evidence: list[str], kept: int) -> None:
    rows = [(str(i), "bugs", -0.8 + 0.1 * i, e) for i, e in enumerate(evidence)]
    quotes = representative_quotes(_docs(len(rows)), _mentions(rows), ["bugs"], per_kind=3)
    assert len(quotes) == kept


def test_quotes_of_a_theme_without_mentions() -> None:
    assert representative_quotes(_docs(1), _mentions([]), ["price"]).empty


def test_monthly_trends_leave_small_months_without_shares() -> None:
    dates = ["2026-01-03"] * 10 + ["2026-02-01"] * 3
    themes = ["price"] * 4 + [""] * 6 + ["price", "", ""]
    docs = _docs(13, created_at=pd.to_datetime(dates), themes=themes)
    table = monthly_trends(docs, ["price"])
    assert table["documents"].tolist() == [10, 3]
    assert table["price"].iloc[0] == 0.4 and pd.isna(table["price"].iloc[1])


@pytest.mark.parametrize(
    "dates", [[pd.NaT] * 3, ["2026-01-01", "2026-01-20", pd.NaT]], ids=["undated", "one-month"]
)
def test_monthly_trends_need_two_months(dates: list) -> None:
    assert monthly_trends(_docs(3, created_at=pd.to_datetime(dates)), ["price"]) is None


def test_segments_leave_out_documents_without_a_value() -> None:
    docs = _docs(
        4, **{"meta:等级": ["金卡", "金卡", "银卡", None]}, themes=["price", "", "price", "price"]
    )
    table = segment_shares(docs, ["price"], "meta:等级")
    assert table.to_dict("list") == {
        "segment": ["金卡", "银卡"],
        "documents": [2, 1],
        "price": [0.5, 1.0],
    }


@pytest.mark.parametrize(
    ("columns", "expected"),
    [
        ({"source": ["survey", "social"] * 5, "channel": ["wjx", "weibo"] * 5}, ["source"]),
        (
            {"source": ["survey"] * 10, "channel": ["wjx", "tencent"] * 5},
            ["channel"],
        ),
        ({"meta:城市": ["北京", "上海"] * 5}, ["meta:城市"]),
        ({"meta:城市": [f"城{i}" for i in range(10)]}, []),  # every value different
        ({"meta:设备": ["电视┋手机", "电脑"] * 5}, []),  # multi-select answers
    ],
)
def test_segment_columns_chosen(columns: dict, expected: list[str]) -> None:
    assert pick_segment_columns(_docs(10, **columns), None) == expected


def test_churn_type_split_and_competitors() -> None:
    docs = _docs(
        4,
        churn_type=["active", "active", "natural", ""],
        competitors=["优酷", "优酷;爱奇艺", "", ""],
    )
    split = churn_type_split(docs, None).set_index("churn_type")
    assert split["documents"].to_dict() == {"natural": 1, "active": 2, "passive": 0}
    assert split.loc["active", "doc_share"] == pytest.approx(2 / 3)
    table = competitor_table(docs, None)
    assert table[["competitor", "texts", "users"]].values.tolist() == [
        ["优酷", 2, 2],
        ["爱奇艺", 1, 1],
    ]


def test_emerging_themes_need_twenty_texts() -> None:
    docs = _docs(5, sentiment_label="negative", text=["这个东西太难用了吧"] * 5)
    emerging = emerging_themes(docs)
    assert (emerging.uncovered, emerging.used, emerging.discovery) == (5, 5, None)


def test_emerging_themes_read_the_complaints_of_mixed_texts(scorer) -> None:
    days = ["周一", "周二", "周三", "周四", "周五", "周六"] * 2
    negative = [f"{d}光猫闪红灯，报修了师傅不上门" for d in days]
    mixed = [f"{d}网速挺快，可惜续约时价格涨了一百" for d in days]
    praise = [f"{d}师傅准时上门，很专业" for d in days]
    covered = [f"{d}资费太贵了" for d in days]
    docs = _docs(
        48,
        text=negative + mixed + praise + covered,
        sentiment_label=["negative"] * 12
        + ["neutral"] * 12
        + ["positive"] * 12
        + ["negative"] * 12,
        themes=[""] * 36 + ["price"] * 12,
    )
    without = emerging_themes(docs)
    assert (without.uncovered, without.used, without.discovery) == (12, 12, None)
    emerging = emerging_themes(docs, scorer=scorer)
    assert (emerging.uncovered, emerging.used) == (24, 24)
    topics = emerging.discovery.topics
    assert sum(t.size for t in topics) == 24
    quotes = {q for t in topics for q in t.quotes}
    assert all("网速挺快" not in q for q in quotes)  # a mixed text is quoted by its complaint
    assert any(q.endswith("可惜续约时价格涨了一百") for q in quotes)
    shares = sorted(t.share_negative for t in topics)
    assert shares[0] < 1 and shares[-1] > 0


def test_unknown_segment_column() -> None:
    docs = _docs(2, **{"meta:城市": ["北京", "上海"]})
    with pytest.raises(FeedbackMinerError) as error:
        summarize(docs, _mentions([]), load_taxonomy(), segment_columns=["等级"])
    assert str(error.value) == (
        "--segment-col 等级: no such column in the inputs or the label file; "
        "the input columns are '城市'."
    )
    summary = summarize(docs, _mentions([]), load_taxonomy(), segment_columns=["城市"])
    assert list(summary.segments) == ["meta:城市"]


def test_sub_themes_count_for_their_parent_once() -> None:
    taxonomy = load_taxonomy()
    mentions = _mentions(
        [
            ("0", "billing", -0.8, "乱扣费"),  # a sub-theme only
            ("1", "price", -0.6, "太贵"),  # the parent only
            ("1", "billing", -0.4, "自动续费"),  # both in one document: counted once
            ("2", "loan_fees", 0.5, "利息合理"),
            ("3", "service", -0.5, "客服不理人"),
        ]
    )
    table = theme_summary(_docs(5), mentions, taxonomy, neutral_band=0.1).set_index("theme_id")
    assert table.loc["price", ["mentions", "own_mentions", "negative"]].tolist() == [3, 1, 2]
    assert table.loc["billing", ["mentions", "own_mentions", "depth"]].tolist() == [2, 2, 1]
    assert table.loc["price", "share"] == pytest.approx(3 / 5)
    assert table.loc["service", "mentions"] == 1
    assert table.loc["price", "parent"] == "" and table.loc["billing", "parent"] == "price"


def test_report_order_puts_sub_themes_beneath_and_hides_the_unmentioned() -> None:
    taxonomy = load_taxonomy()
    docs = _docs(4, themes=["service;billing", "billing", "bugs", ""])
    mentions = _mentions(
        [
            ("0", "service", -0.9, "客服不理人"),
            ("0", "billing", -0.5, "乱扣费"),
            ("1", "billing", -0.7, "多扣钱"),
            ("2", "bugs", -0.2, "闪退"),
        ]
    )
    summary = summarize(docs, mentions, taxonomy)
    # price (rolled up: 2 negative documents) first, with billing beneath it; no price mention
    # of its own, yet it stands as the parent of what was said
    assert summary.reason_order == ("price", "billing", "bugs", "service")  # ties: by id
    assert set(summary.hidden_themes) == set(taxonomy.ids) - set(summary.reason_order)
    assert list(summary.themes["theme_id"][:4]) == list(summary.reason_order)


def test_trends_and_segments_count_sub_themes_for_their_parent() -> None:
    from feedback_miner.summary import rolled_up_themes

    rolled = rolled_up_themes(
        pd.Series(["billing", "", "price;billing", "service_unreachable"]), load_taxonomy()
    )
    assert rolled.tolist() == ["billing;price", "", "price;billing", "service_unreachable;service"]


@pytest.mark.parametrize(
    ("values", "chosen"),
    [
        ([str(i % 12) for i in range(60)], False),  # a repost count 0-11: a measure
        (["1", "2", "3"] * 20, True),  # a three-point answer: a segment
        (["悦看视频"] * 58 + ["其他"] * 2, False),  # one value for nearly everyone
        (["基础", "标准", "高级"] * 20, True),
    ],
)
def test_segments_are_few_named_values(values: list[str], chosen: bool) -> None:
    docs = _docs(len(values), **{"meta:列": values})
    assert (pick_segment_columns(docs, None) == ["meta:列"]) is chosen


@pytest.mark.parametrize(
    ("bands", "ordered"),
    [
        (
            ["3-12个月", "2年以上", "不到3个月", "1-2年"],
            ["不到3个月", "3-12个月", "1-2年", "2年以上"],
        ),
        (["30岁以上", "18-25岁", "26-30岁"], ["18-25岁", "26-30岁", "30岁以上"]),
        (["10", "2", "1"], ["1", "2", "10"]),
    ],
)
def test_bands_keep_their_order(bands: list[str], ordered: list[str]) -> None:
    docs = _docs(len(bands), **{"meta:段": bands})
    assert segment_shares(docs, ["price"], "meta:段")["segment"].tolist() == ordered
    assert all(ordinal_key(b) is not None for b in bands)


def test_segments_with_labels_show_churn_by_segment() -> None:
    docs = _docs(6, **{"meta:等级": ["金卡", "金卡", "金卡", "银卡", "银卡", "银卡"]})
    docs["user_id"] = ["a", "a", "b", "c", "d", None]
    labels = ChurnLabels(
        frame=pd.DataFrame({"user_id": ["a", "b", "c", "d"], "churned": [1, 0, 1, 1]}),
        file="labels.csv",
        id_col="user_id",
        churn_col="churned",
        date_col=None,
        covariates=(),
        skipped={},
    )
    table = segment_shares(docs, ["price"], "meta:等级", labels).set_index("segment")
    assert table["users"].to_dict() == {"金卡": 2, "银卡": 2}
    assert table["churn_rate"].to_dict() == {"金卡": 0.5, "银卡": 1.0}


@pytest.mark.parametrize("dtype", [object, "string[python]", "string[pyarrow]"])
def test_emerging_themes_read_the_same_texts_from_any_string_column(scorer, dtype) -> None:
    """Arrow strings (an analysis's docs) are measured in the column: missing and short
    texts are left out, and the texts read are those of a plain column."""
    days = ["周一", "周二", "周三", "周四", "周五", "周六"] * 4
    texts = [f"{d}光猫闪红灯，报修了师傅不上门" for d in days] + [None, "太卡", "", "退订了"]
    docs = _docs(28, text=pd.Series(texts, dtype=dtype), sentiment_label="negative")
    plain = emerging_themes(_docs(28, text=texts, sentiment_label="negative"), scorer=scorer)
    got = emerging_themes(docs, scorer=scorer)
    assert (got.uncovered, got.used, got.rows, got.texts) == (
        plain.uncovered,
        plain.used,
        plain.rows,
        plain.texts,
    )
    assert got.uncovered == 24 and got.rows == tuple(range(24))
