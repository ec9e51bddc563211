"""The risk list on a simulated shop whose truth continues past the log it is given."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score

from feedback_miner.activity import Events, risk_list
from feedback_miner.errors import FeedbackMinerError
from feedback_miner.themes import Taxonomy, Theme

START = pd.Timestamp("2026-01-01")
AS_OF_DAY, HORIZON, WINDOW = 300, 30, 30


def taxonomy() -> Taxonomy:
    return Taxonomy(
        "sim",
        "1",
        (
            Theme("billing", "扣费", ("扣费",), actions=("账单提醒与一键退订",), owner="计费组"),
            Theme("other", "其他", ("其他",)),
        ),
    )


def shop(seed: int = 5, n: int = 2000):
    """Users shop at their own rate until they stop. Some complain about billing at a
    random moment; from then on their hazard of stopping is four times as high. Everyone
    else writes now and then about other things. Returns the log up to as-of, the
    feedback, who stops within the horizon after as-of (nan: stopped before), and who
    had complained by as-of."""
    rng = np.random.default_rng(seed)
    start = rng.uniform(0, 200, n)
    rate = rng.uniform(0.15, 0.45, n)
    base = 1 / 500
    onset = start + rng.exponential(250, n)
    first = start + rng.exponential(1 / base, n)
    # piecewise hazard: base until the complaint, four times base after it
    stop = np.where(first < onset, first, onset + rng.exponential(1 / (4 * base), n))
    complained = (onset < stop) & (onset < AS_OF_DAY)
    events, docs, mentions = [], [], []
    for i in range(n):
        end = min(stop[i], AS_OF_DAY)
        days = start[i] + np.cumsum(rng.exponential(1 / rate[i], 400))
        for day in days[days < end]:
            events.append(
                (f"u{i}", START + pd.Timedelta(days=int(day)), float(rng.integers(20, 200)))
            )
        writings = [(day, False) for day in start[i] + rng.uniform(0, 300, rng.integers(0, 3))]
        if complained[i]:
            writings.append((onset[i], True))
        for k, (written, negative) in enumerate(writings):
            if written >= end:
                continue
            score = -0.7 if negative else 0.4
            docs.append(
                {
                    "doc_id": f"d{i}-{k}",
                    "user_id": f"u{i}",
                    "created_at": START + pd.Timedelta(days=float(written)),
                    "sentiment_score": score,
                    "text": "自动扣费太坑了" if negative else "其他都还行",
                }
            )
            theme = "billing" if negative else "other"
            mentions.append(
                {
                    "doc_id": f"d{i}-{k}",
                    "user_id": f"u{i}",
                    "theme_id": theme,
                    "sentiment_score": score,
                }
            )
    frame = pd.DataFrame(events, columns=["user_id", "day", "amount"])
    frame["day"] = frame["day"].dt.normalize()
    log = Events(frame, ("sim.csv",), "user_id", "day", "amount")
    after = np.where(stop <= AS_OF_DAY, np.nan, (stop <= AS_OF_DAY + HORIZON).astype(float))
    stops_soon = pd.Series(after, index=[f"u{i}" for i in range(n)])
    return log, pd.DataFrame(docs), pd.DataFrame(mentions), stops_soon, complained


@pytest.fixture(scope="module")
def scored():
    log, docs, mentions, truth, complainer = shop()
    options = {"inactive_days": WINDOW, "as_of": START + pd.Timedelta(days=AS_OF_DAY)}
    with_text = risk_list(log, docs, mentions, taxonomy(), **options)
    without = risk_list(log, docs.iloc[:0], mentions.iloc[:0], taxonomy(), **options)
    return with_text, without, truth, complainer


def test_the_list_holds_active_users_ranked_with_reasons(scored) -> None:
    with_text, _, _, _ = scored
    table = with_text.table
    assert list(table.columns) == [
        "user_id",
        "risk",
        "rank",
        "top_reasons",
        "reason_quote",
        "suggested_action",
        "last_active",
        "rfm_segment",
    ]
    assert table["rank"].tolist() == list(range(1, len(table) + 1))
    assert table["risk"].is_monotonic_decreasing and table["risk"].between(0, 1).all()
    as_of = START + pd.Timedelta(days=AS_OF_DAY)
    assert ((as_of - table["last_active"]).dt.days < WINDOW).all()  # active users only
    # the backtest model was chosen among the two and said so
    backtest = with_text.backtest
    assert backtest.chosen in backtest.auc and set(backtest.auc) == {
        "logistic regression",
        "random forest",
        "gradient boosting",
    }
    assert backtest.cutoff == as_of - pd.Timedelta(days=WINDOW)
    assert backtest.lift["decile"].tolist() == list(range(1, 11))


def test_the_list_reads_the_text_only_when_it_helped_on_the_backtest(scored) -> None:
    with_text, without, _, _ = scored
    # complaints predict churn here: the chosen model reads them
    assert with_text.backtest.uses_text
    chosen = with_text.backtest.auc[with_text.backtest.chosen]
    assert chosen[1] == max(v for pair in with_text.backtest.auc.values() for v in pair)
    # no feedback at all: text features are all zero, the tie goes to activity alone
    assert not without.backtest.uses_text


def test_complaints_raise_the_forward_auc_and_the_complainers_risk(scored) -> None:
    with_text, without, truth, complainer = scored
    forward = {}
    for name, result in (("with", with_text), ("without", without)):
        table = result.table.set_index("user_id")
        stops = truth.loc[table.index]
        alive = stops.notna()  # still shopping at as-of: the ones a call can keep
        forward[name] = roc_auc_score(stops[alive], table.loc[alive, "risk"])
    assert forward["with"] > forward["without"] + 0.05
    backtest = with_text.backtest.auc[with_text.backtest.chosen]
    assert backtest[1] > backtest[0]
    table = with_text.table.set_index("user_id")
    users = pd.Index([f"u{i}" for i in range(len(complainer))])
    complaining = users[complainer].intersection(table.index)
    quiet = users[~complainer].intersection(table.index)
    assert table.loc[complaining, "risk"].mean() > 1.5 * table.loc[quiet, "risk"].mean()
    assert set(table.loc[complaining, "top_reasons"]) <= {"billing", ""}
    sample = table.loc[complaining].query("top_reasons == 'billing'").iloc[0]
    assert sample["suggested_action"] == "账单提醒与一键退订"
    assert sample["reason_quote"] == "自动扣费太坑了"


def test_a_horizon_before_the_log(scored) -> None:
    log, docs, mentions, _, _ = shop(n=200)
    with pytest.raises(FeedbackMinerError) as info:
        risk_list(log, docs, mentions, taxonomy(), inactive_days=30, horizon_days=400)
    assert str(info.value).startswith("the horizon of 400 days reaches back to ")


def test_actions_count_the_at_risk_and_the_churned_who_carry_a_reason(scored) -> None:
    with_text, _, _, _ = scored
    actions = with_text.actions
    assert list(actions.columns) == [
        "theme_id",
        "theme_name",
        "at_risk_users",
        "listed_users",
        "churned_users",
        "actions",
        "owner",
        "quote",
    ]
    # only negative mentions count: "other" is only ever written about kindly
    assert actions["theme_id"].tolist() == ["billing"]
    row = actions.iloc[0]
    table = with_text.table
    riskiest = table.head(-(-len(table) // 10))
    assert row["at_risk_users"] == (riskiest["top_reasons"] == "billing").sum() > 0
    assert row["listed_users"] == (table["top_reasons"] == "billing").sum()
    assert row["churned_users"] > 0
    assert (row["actions"], row["owner"], row["quote"]) == (
        "账单提醒与一键退订",
        "计费组",
        "自动扣费太坑了",
    )
    gain, low, high = with_text.backtest.text_gain
    assert low <= gain <= high


def test_label_file_columns_derived_from_activity_are_not_used_as_covariates(scored) -> None:
    log, docs, mentions, _, _ = shop(n=600, seed=2)
    as_of = START + pd.Timedelta(days=AS_OF_DAY)
    users = log.frame["user_id"].drop_duplicates()
    # a label file made at as-of: its recency would tell the backtest the future
    leaky = pd.DataFrame({"user_id": users, "recency_days": 0.0})
    base = risk_list(log, docs, mentions, taxonomy(), inactive_days=WINDOW, as_of=as_of)
    given = risk_list(
        log, docs, mentions, taxonomy(), inactive_days=WINDOW, as_of=as_of, covariates=leaky
    )
    pd.testing.assert_frame_equal(base.table, given.table)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"horizon_days": 0}, "--horizon-days is 0; use 1 or more days."),
        ({"reason_days": 0}, "--reason-days is 0; use 1 or more days."),
        (
            {"horizon_days": 400},
            "the horizon of 400 days reaches back to 2025-01-16, before the first event "
            "(2026-01-01): the model has no past to learn from. Use a shorter --horizon-days "
            "or a longer log.",
        ),
        (
            {"as_of": pd.Timestamp("2026-02-20")},
            "the backtest at 2026-01-21 has 2 active users, of whom 0 churned by 2026-02-20; "
            "at least 10 on each side are needed. Use a longer log, a longer --horizon-days, "
            "or a shorter --inactive-days.",
        ),
    ],
)
def test_bad_settings(options: dict, message: str) -> None:
    days = pd.to_datetime(["2026-01-01", "2026-01-10", "2026-02-15", "2026-01-05", "2026-02-20"])
    frame = pd.DataFrame({"user_id": ["a", "a", "a", "b", "b"], "day": days, "amount": 1.0})
    log = Events(frame, ("log.csv",), "user_id", "day", "amount")
    empty = pd.DataFrame(columns=["doc_id", "user_id", "created_at", "sentiment_score", "text"])
    settings = {"inactive_days": WINDOW, **options}
    with pytest.raises(FeedbackMinerError) as error:
        risk_list(log, empty, empty.iloc[:, :0], taxonomy(), **settings)
    assert str(error.value) == message
