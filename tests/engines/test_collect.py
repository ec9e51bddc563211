import pandas as pd
import pytest

from feedback_miner.engines.collect import compact_strings

_ARROW = pd.StringDtype("pyarrow")


@pytest.mark.parametrize(
    ("column", "values", "compact"),
    [
        # mostly distinct strings: Arrow strings, missing values as <NA>
        ("doc_id", ["a:1", "a:2"], True),
        ("user_id", ["U1", None], True),
        ("text", ["太贵了！", "😡 退订"], True),
        ("evidence", ["太贵", ""], True),
        ("keywords", ["太贵;涨价", None], True),
        ("meta:渠道", ["在线客服", "电话"], True),
        # repeated labels stay Python objects (the collector shares one copy of each)
        ("source", ["service", "service"], False),
        ("theme_id", ["price", "billing"], False),
        ("themes", ["price;billing", ""], False),
    ],
)
def test_columns_of_distinct_strings_become_arrow_strings(
    column: str, values: list[str | None], compact: bool
) -> None:
    frame = compact_strings(pd.DataFrame({column: values, "score": [0.5, -1.0]}))
    assert frame[column].dtype == (_ARROW if compact else object)
    assert frame["score"].dtype == float
    assert [None if pd.isna(v) else v for v in frame[column]] == values


def test_compacting_twice_changes_nothing() -> None:
    once = compact_strings(pd.DataFrame({"doc_id": ["a:1", None], "source": ["x", "y"]}))
    twice = compact_strings(once.copy())
    pd.testing.assert_frame_equal(once, twice)
