"""The committed samples are exactly what the seeded generator writes."""

import subprocess
import sys
from pathlib import Path

import pandas as pd


def test_generator_reproduces_the_committed_samples(samples_dir: Path, tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, str(samples_dir / "make_samples.py"), "-o", str(tmp_path)],
        check=True,
        capture_output=True,
    )
    for name in ("service_tickets.csv", "social_posts.csv", "churn_labels.csv", "orders.csv"):
        assert (tmp_path / name).read_bytes() == (samples_dir / name).read_bytes(), name
    ours = pd.read_excel(tmp_path / "survey_wjx.xlsx", engine="calamine")
    committed = pd.read_excel(samples_dir / "survey_wjx.xlsx", engine="calamine")
    pd.testing.assert_frame_equal(ours, committed)


def test_the_order_log_ends_at_each_churned_users_churn_date(samples_dir: Path) -> None:
    orders = pd.read_csv(samples_dir / "orders.csv", parse_dates=["下单时间"])
    labels = pd.read_csv(samples_dir / "churn_labels.csv", parse_dates=["churn_date"])
    last = orders.groupby("用户ID")["下单时间"].max()
    churned = labels[labels["churned"] == 1].set_index("user_id")["churn_date"]
    both = churned.index.intersection(last.index)
    assert len(both) > 150
    assert (last[both] < churned[both] + pd.Timedelta(days=1)).all()
    assert orders["订单金额"].gt(0).all() and orders["订单号"].is_unique


def test_sample_labels_cover_at_least_500_users(samples_dir: Path) -> None:
    labels = pd.read_csv(samples_dir / "churn_labels.csv")
    assert len(labels) >= 500
    assert set(labels["churned"]) == {0, 1}


def test_churn_model_example_runs_on_a_cut_off(samples_dir: Path) -> None:
    """The example predicts churn after a cut-off from what was known before it: its figures
    are plain AUCs of that design (whether text helps is what it measures, not assumed)."""
    done = subprocess.run(
        [sys.executable, str(samples_dir / "churn_model_example.py")],
        check=True,
        capture_output=True,
        text=True,
    )
    first = done.stdout.splitlines()[0]
    assert first.startswith("cut-off 2026-07-13: ") and "churned by 2026-10-29" in first
    lines = [line for line in done.stdout.splitlines() if "ROC AUC" in line]
    aucs = [float(line.rsplit(" ", 1)[1]) for line in lines]
    assert len(aucs) == 2 and all(0.5 < a < 1 for a in aucs)
