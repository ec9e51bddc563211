"""Converting many texts at once gives what converting each gives."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from feedback_miner.text import to_simplified, to_simplified_all

# phrases OpenCC converts as phrases (乾隆 stays, 乾燥 becomes 干燥), their characters
# alone, simplified and Latin text, the joining character itself
PARTS = [
    "乾隆",
    "乾燥",
    "乾",
    "隆",
    "燥",
    "頭髮",
    "髮",
    "資費太貴",
    "著名",
    "瞭解",
    "好評",
    "ok",
    "，",
    "\x01",
]


@pytest.mark.parametrize(
    "texts",
    [
        ["這個軟體經常閃退", "資費太貴了"],
        ["乾", "隆"],  # 乾隆 is not read across two texts
        ["乾隆", "乾燥"],
        ["", "", ""],
        ["ok", "fine"],  # ASCII only
        [],
        ["乾\x01隆", "頭髮"],  # a text holding the joining character: one by one
    ],
)
def test_many_texts_convert_as_each_alone(texts: list[str]) -> None:
    assert to_simplified_all(texts) == [to_simplified(t) for t in texts]


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.lists(st.lists(st.sampled_from(PARTS), max_size=5).map("".join), max_size=8))
def test_any_texts_convert_as_each_alone(texts: list[str]) -> None:
    assert to_simplified_all(texts) == [to_simplified(t) for t in texts]
