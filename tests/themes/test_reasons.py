"""What discovery reads of a text: a negative text whole, a mixed one's negative clauses."""

from __future__ import annotations

import pytest

from feedback_miner.themes.reasons import ReasonText, reason_text, reason_texts


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("送餐太慢了，差评", ReasonText("送餐太慢了，差评", True)),
        ("网速太慢，经常断网", ReasonText("网速太慢，经常断网", True)),
        ("味道不错，就是送餐太慢了", ReasonText("就是送餐太慢了", False)),
        ("很好吃，下次还来", ReasonText("", False)),
        ("收到了", ReasonText("", False)),
        ("", ReasonText("", False)),
    ],
)
def test_reason_text(scorer, text: str, expected: ReasonText) -> None:
    assert reason_text(text, scorer) == expected


@pytest.mark.parametrize(
    ("text", "negative", "expected"),
    [
        # labelled negative elsewhere, but no clause complains: nothing to read
        ("在手机和电视上都用", True, ReasonText("", True)),
        # an angry face is no complaint: it says how, not why
        ("用了一段时间，在手机和电视上都用。[怒]", True, ReasonText("", True)),
        ("开通会员一年多了。😡", True, ReasonText("", True)),
        # labelled negative and a clause complains: read whole, its subject included
        (
            "这台车的变速箱，低速顿挫很明显",
            True,
            ReasonText("这台车的变速箱，低速顿挫很明显", True),
        ),
        # labelled not negative: only the complaint
        ("网速挺快，可惜续约时价格涨了一百", False, ReasonText("可惜续约时价格涨了一百", False)),
    ],
)
def test_reason_text_with_a_label(scorer, text: str, negative: bool, expected) -> None:
    assert reason_text(text, scorer, negative=negative) == expected


def test_reason_texts_keep_the_order(scorer) -> None:
    texts = ["很好吃，下次还来", "送餐太慢了，差评"]
    assert [r.text for r in reason_texts(texts, scorer)] == ["", "送餐太慢了，差评"]
