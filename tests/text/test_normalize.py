import pytest
from hypothesis import given
from hypothesis import strategies as st

from feedback_miner.text import collapse_repeats, normalize_text, split_clauses, to_halfwidth


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ＡＰＰ卡顿，５Ｇ信号差！", "APP卡顿，5G信号差！"),  # letters and digits, punctuation kept
        ("价格（含税）：１００元", "价格（含税）：100元"),
        ("full\u3000width space", "full width space"),
        ("已经是半角abc123", "已经是半角abc123"),
    ],
)
def test_to_halfwidth(raw: str, expected: str) -> None:
    assert to_halfwidth(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("太慢了！！！！！！", "太慢了！！！"),
        ("为什么？？？？", "为什么？？？"),
        ("。。。。。。", "。。。"),
        ("好的！！", "好的！！"),  # three or fewer stay
    ],
)
def test_collapse_repeats(raw: str, expected: str) -> None:
    assert collapse_repeats(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  资费\u3000太贵了！！！！！\u200b ", "资费 太贵了！！！"),
        ("第一行\r\n  第二行 ", "第一行\n第二行"),
        ("\ufeff带BOM的文本", "带BOM的文本"),
        ("控制\x07字符\x1b", "控制字符"),
        ("emoji 😡 stays", "emoji 😡 stays"),
        ("", ""),
    ],
)
def test_normalize_text(raw: str, expected: str) -> None:
    assert normalize_text(raw) == expected


@pytest.mark.parametrize(
    ("text", "clauses"),
    [
        ("价格还行，但是客服太差了！！再也不买", ["价格还行，", "但是客服太差了！！", "再也不买"]),
        ("月费3.5元, 还算便宜", ["月费3.5元,", "还算便宜"]),
        ("1,000元太贵", ["1,000元太贵"]),
        ("第一句\n第二句", ["第一句", "第二句"]),
        ("！！！", []),
        ("好", ["好"]),
        ("信号差；网速慢…客服～", ["信号差；", "网速慢…", "客服～"]),
    ],
)
def test_split_clauses(text: str, clauses: list[str]) -> None:
    assert split_clauses(text) == clauses


@given(st.text())
def test_normalize_and_split_never_raise(text: str) -> None:
    cleaned = normalize_text(text)
    assert normalize_text(cleaned) == cleaned  # idempotent
    for clause in split_clauses(cleaned):
        assert clause.strip()


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ("＝HYPERLINK(1)", "＝HYPERLINK(1)"),
        ("＋86 客服", "＋86 客服"),
        ("＠客服 为什么", "＠客服 为什么"),
        ("－5元", "－5元"),
        ("\u200b=cmd|x", "＝cmd|x"),
        ("\u3000+全角空格", "＋全角空格"),
        ("\t@制表符", "＠制表符"),
        ("  -空格", "－空格"),
        ("\ufeff=BOM", "＝BOM"),
        ("=1+1", "=1+1"),
        ("-5", "-5"),
        ("价格=贵", "价格=贵"),
    ],
)
def test_cleaning_never_puts_a_formula_first(raw: str, cleaned: str) -> None:
    assert normalize_text(raw) == cleaned
