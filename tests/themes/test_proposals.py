"""The topic of every input row (``--assignments``)."""

from __future__ import annotations

import pandas as pd
import pytest

from feedback_miner.themes.proposals import ASSIGNMENT_COLUMNS, topic_assignments

_REJECTS = pd.DataFrame({"file": pd.Series([], dtype=object), "row": [], "doc_id": []})


@pytest.mark.parametrize(
    ("rejects", "expected"),
    [
        # no rejected rows: the numbers stay numbers
        (_REJECTS, [("a.csv", 1, "a:1", 0), ("a.csv", 2, "a:2", -1), ("b.csv", 1, "b:1", 1)]),
        # a rejected row takes its place in its file, with -1
        (
            pd.DataFrame({"file": ["a.csv"], "row": [3], "doc_id": ["a:3"]}),
            [
                ("a.csv", 1, "a:1", 0),
                ("a.csv", 2, "a:2", -1),
                ("a.csv", 3, "a:3", -1),
                ("b.csv", 1, "b:1", 1),
            ],
        ),
    ],
)
def test_topic_assignments(rejects: pd.DataFrame, expected: list[tuple]) -> None:
    records = pd.DataFrame({"doc_id": ["b:1", "a:1", "a:2"], "row": [1, 1, 2]})
    table = topic_assignments(records, rejects, ["a.csv", "b.csv"], [1, 0, -1])
    assert tuple(table.columns) == ASSIGNMENT_COLUMNS
    assert list(table.itertuples(index=False, name=None)) == expected
    assert str(table["row"].dtype) == "int64" and str(table["topic"].dtype) == "int64"
