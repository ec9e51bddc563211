"""Integer keys of users and documents (feedback_miner.keys)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from feedback_miner.joins import doc_rows, positions, take, user_codes

ARROW = pd.StringDtype("pyarrow")


@pytest.mark.parametrize(
    ("ids", "dtype", "codes", "users"),
    [
        (["u2", None, "u1", "u2"], object, [0, -1, 1, 0], ["u2", "u1"]),
        (["u2", None, "u1", "u2"], ARROW, [0, -1, 1, 0], ["u2", "u1"]),
        ([7, "7", None, "a"], object, [0, 0, -1, 1], ["7", "a"]),
        ([None, None], object, [-1, -1], []),
        ([], object, [], []),
        (["", "张三", "张三"], ARROW, [0, 1, 1], ["", "张三"]),
    ],
)
def test_user_codes(ids: list[object], dtype: object, codes: list[int], users: list[str]) -> None:
    found, names = user_codes(pd.Series(ids, dtype=dtype))  # type: ignore[call-overload]
    assert found.tolist() == codes
    assert names.tolist() == users
    assert names.name == "user_id"


@pytest.mark.parametrize(
    ("doc_ids", "wanted", "rows"),
    [
        (["a:1", "a:2"], ["a:2", "b:9", "a:2"], [1, -1, 1]),
        ([], ["a:1"], [-1]),
        (["a:1"], [], []),
        (["a:1", "a:1"], ["a:1"], [0]),  # a repeated id: the first row
        ([1, 2], ["2", None], [1, -1]),  # ids of another type are compared as text
        (["x", 3], ["3"], [1]),
    ],
)
def test_doc_rows(doc_ids: list[object], wanted: list[object], rows: list[int]) -> None:
    for dtype in (object, ARROW):
        if dtype is ARROW and any(not isinstance(v, str) for v in doc_ids):
            continue
        found = doc_rows(pd.Series(doc_ids, dtype=dtype), pd.Series(wanted, dtype=object))
        assert found.tolist() == rows


def test_take_fills_missing_codes() -> None:
    assert take(np.array([10, 20]), np.array([1, -1, 0]), fill=-1).tolist() == [20, -1, 10]
    assert take(np.array([], dtype=bool), np.array([-1, -1]), fill=False).tolist() == [False, False]
    dates = np.array(["2026-01-02"], dtype="datetime64[ns]")
    assert np.isnat(take(dates, np.array([-1]), fill=np.datetime64("NaT"))[0])


@pytest.mark.parametrize(
    ("values", "names", "found"),
    [
        (["b", None, "a", "x", "b"], ["a", "b"], [1, -1, 0, -1, 1]),
        ([], ["a"], []),
        (["a", "a"], [], [-1, -1]),
        (["价格", "客服:态度", "价格"], ["客服:态度", "价格"], [1, 0, 1]),
        ([None, None], ["a"], [-1, -1]),
    ],
)
def test_positions_of_values_among_names(
    values: list[object], names: list[str], found: list[int]
) -> None:
    """Object and Arrow string columns give the same positions (as a lookup per row would)."""
    for dtype in (object, ARROW):
        column = pd.Series(values, dtype=dtype)  # type: ignore[call-overload]
        assert positions(column, names).tolist() == found
        assert found == [names.index(v) if v in names else -1 for v in values]
