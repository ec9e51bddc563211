"""Churn labels and RFM from an activity log: every column, checked exactly."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from feedback_miner.activity import labels_from_events, read_events
from feedback_miner.activity.labels import LABEL_COLUMNS
from feedback_miner.errors import FeedbackMinerError


def log(
    tmp_path: Path, rows: list[tuple[str, str, float | None]], name: str = "orders.csv"
) -> Path:
    frame = pd.DataFrame(rows, columns=["用户ID", "下单时间", "实付金额"])
    path = tmp_path / name
    frame.to_csv(path, index=False)
    return path


EVENTS = [
    # u1: active all along, last order on the as-of day itself
    ("u1", "2026-01-05 10:00", 100.0),
    ("u1", "2026-02-10 09:30", 50.0),
    ("u1", "2026-03-31 23:59", 30.0),
    # u2: one order only, long ago: churned
    ("u2", "2026-01-02 08:00", 200.0),
    # u3: stopped exactly N=30 days before as-of: churned (at least N days)
    ("u3", "2026-01-10 12:00", 20.0),
    ("u3", "2026-03-01 12:00", 20.0),
    # u4: started within the window: not churned, short tenure
    ("u4", "2026-03-20 18:00", 40.0),
    ("u4", "2026-03-25 18:00", 40.0),
    # u5: stopped 29 days before: not churned
    ("u5", "2026-02-01 00:00", 20.0),
    ("u5", "2026-03-02 00:00", 20.0),
]


def test_every_column_exactly(tmp_path: Path) -> None:
    events = read_events([log(tmp_path, EVENTS)])
    assert (events.user_col, events.time_col, events.amount_col) == (
        "用户ID",
        "下单时间",
        "实付金额",
    )
    labels = labels_from_events(events, 30, as_of="2026-03-31")
    table = labels.table.set_index("user_id")
    assert list(labels.table.columns) == list(LABEL_COLUMNS)
    assert table["churned"].to_dict() == {"u1": 0, "u2": 1, "u3": 1, "u4": 0, "u5": 0}
    assert table["churn_date"].isna().to_dict() == {
        "u1": True,
        "u2": False,
        "u3": False,
        "u4": True,
        "u5": True,
    }
    assert table.loc["u2", "churn_date"] == pd.Timestamp("2026-01-02")
    assert table.loc["u3", "churn_date"] == pd.Timestamp("2026-03-01")
    assert table["first_active"].dt.strftime("%m-%d").to_dict() == {
        "u1": "01-05",
        "u2": "01-02",
        "u3": "01-10",
        "u4": "03-20",
        "u5": "02-01",
    }
    assert table["last_active"].dt.strftime("%m-%d").to_dict() == {
        "u1": "03-31",
        "u2": "01-02",
        "u3": "03-01",
        "u4": "03-25",
        "u5": "03-02",
    }
    # to the churn date for churned users, to the as-of date for the others
    assert table["tenure_days"].to_dict() == {"u1": 85, "u2": 0, "u3": 50, "u4": 11, "u5": 58}
    assert table["recency_days"].to_dict() == {"u1": 0, "u2": 88, "u3": 30, "u4": 6, "u5": 29}
    assert table["frequency"].to_dict() == {"u1": 3, "u2": 1, "u3": 2, "u4": 2, "u5": 2}
    assert table["monetary"].to_dict() == {
        "u1": 180.0,
        "u2": 200.0,
        "u3": 40.0,
        "u4": 80.0,
        "u5": 40.0,
    }
    # recency ranks 1..5 (u1 most recent); frequency ties u3/u4/u5 share rank 3
    assert table["r_score"].tolist() == [5, 1, 2, 4, 3]
    assert table["f_score"].tolist() == [5, 1, 3, 3, 3]
    # monetary ties u3/u5 (40) share rank 1.5
    assert table["m_score"].tolist() == [4, 5, 2, 3, 2]
    assert table["rfm_segment"].to_dict() == {
        "u1": "重要价值客户",
        "u2": "重要挽留客户",
        "u3": "一般保持客户",
        "u4": "重要价值客户",
        "u5": "一般价值客户",
    }
    assert labels.churn_rate == pytest.approx(0.4)
    # at N/2 = 15 days u5 (29 days) counts too; at 2N = 60 only u2 (88 days)
    assert labels.sensitivity == {15: 0.6, 30: 0.4, 60: 0.2}


def test_the_default_as_of_is_the_latest_event_and_events_after_it_are_ignored(
    tmp_path: Path,
) -> None:
    events = read_events([log(tmp_path, EVENTS)])
    assert labels_from_events(events, 30).as_of == pd.Timestamp("2026-03-31")
    early = labels_from_events(events, 30, as_of="2026-02-15").table.set_index("user_id")
    assert "u4" not in early.index  # no activity yet
    assert early.loc["u1", "frequency"] == 2 and early.loc["u1", "recency_days"] == 5


def test_without_an_amount_there_is_no_monetary_and_no_segment(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {"uid": ["a", "a", "b"], "login_time": ["2026-01-01", "2026-01-20", "2026-01-02"]}
    )
    path = tmp_path / "logins.csv"
    frame.to_csv(path, index=False)
    table = labels_from_events(read_events([path]), 10).table
    assert table["monetary"].isna().all() and table["m_score"].isna().all()
    assert table["rfm_segment"].isna().all()
    assert table["churned"].tolist() == [0, 1]


@pytest.mark.parametrize(
    ("rows", "options", "message"),
    [
        (
            [("u1", "不是日期", 1.0), ("u1", "还是不是", 1.0), ("u2", "2026-01-01", 1.0)],
            {},
            "column '下单时间' has 2 values that are not dates (row 1: '不是日期', row 2: '还是不是'). "
            "Give the event time column with --time-col, as YYYY-MM-DD or YYYY-MM-DD HH:MM.",
        ),
        (
            [("u1", "2026-01-01", -5.0), ("u2", "2026-01-02", 3.0)],
            {},
            "column '实付金额' has 1 negative amounts (row 1: -5.0). Refunds are not activity: "
            "remove those rows, or name another column with --amount-col.",
        ),
    ],
)
def test_bad_logs(tmp_path: Path, rows, options, message) -> None:
    path = log(tmp_path, rows)
    with pytest.raises(FeedbackMinerError) as info:
        read_events([path], **options)
    assert str(info.value) == f"{path}: {message}"


def test_no_time_column(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    pd.DataFrame({"用户ID": ["a", "b"], "城市": ["北京", "上海"]}).to_csv(path, index=False)
    with pytest.raises(FeedbackMinerError) as info:
        read_events([path])
    assert str(info.value) == (
        f"{path}: cannot tell which column holds the time of each event; the columns are: "
        "'用户ID', '城市'. Name it with --time-col NAME."
    )


@pytest.mark.parametrize(
    ("days", "as_of", "message"),
    [
        (0, None, "--inactive-days is 0; use 1 or more days."),
        (
            30,
            "2025-12-01",
            "--as-of 2025-12-01 is before the first event (2026-01-02); give a date within or after the log.",
        ),
        (30, "someday", "--as-of 'someday' is not a date; give it as YYYY-MM-DD."),
    ],
)
def test_bad_windows(tmp_path: Path, days: int, as_of: str | None, message: str) -> None:
    events = read_events([log(tmp_path, EVENTS)])
    with pytest.raises(FeedbackMinerError) as info:
        labels_from_events(events, days, as_of=as_of)
    assert str(info.value) == message
