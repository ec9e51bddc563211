from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from feedback_miner.features import (
    NO_COMPLAINT_DAYS,
    UserFeaturizer,
    feature_columns,
    user_features,
)

THEMES = ("price", "service")


def tables():
    docs = pd.DataFrame(
        {
            "doc_id": ["d1", "d2", "d3", "d4"],
            "user_id": ["u1", "u1", "u2", "u1"],
            "created_at": pd.to_datetime(["2026-01-01", "2026-01-31", "2026-01-15", "2026-03-01"]),
            "sentiment_score": [-0.8, 0.5, -0.4, -0.9],
        }
    )
    mentions = pd.DataFrame(
        {
            "doc_id": ["d1", "d3", "d4"],
            "user_id": ["u1", "u2", "u1"],
            "theme_id": ["price", "price", "service"],
            "sentiment_score": [-0.8, -0.4, -0.9],
        }
    )
    return docs, mentions


def test_columns_are_stable_whatever_the_data() -> None:
    docs, mentions = tables()
    full = user_features(docs, mentions, THEMES)
    none = user_features(docs.iloc[:0], mentions.iloc[:0], THEMES, users=["u9"])
    assert list(full.columns) == list(none.columns) == ["user_id", *feature_columns(THEMES)]
    assert none.iloc[0]["days_since_last_complaint"] == NO_COMPLAINT_DAYS
    assert none.drop(columns=["user_id", "days_since_last_complaint"]).to_numpy().sum() == 0


def test_texts_without_a_user_and_mentions_without_a_doc_are_left_out() -> None:
    docs, mentions = tables()
    docs = pd.concat(
        [docs, pd.DataFrame({"doc_id": ["d5"], "user_id": [None], "sentiment_score": [-1.0]})],
        ignore_index=True,
    )
    stray = pd.DataFrame(
        {
            "doc_id": ["d5", "d9"],
            "user_id": [None, "u1"],
            "theme_id": ["price", "price"],
            "sentiment_score": [-1.0, -1.0],
        }
    )
    out = user_features(docs, pd.concat([mentions, stray]), THEMES).set_index("user_id")
    expected = user_features(*tables(), THEMES).set_index("user_id")
    pd.testing.assert_frame_equal(out, expected)
    anonymous = user_features(docs.iloc[4:], stray, THEMES)
    assert anonymous.empty and list(anonymous.columns) == ["user_id", *feature_columns(THEMES)]


def test_counts_and_recency() -> None:
    docs, mentions = tables()
    out = user_features(docs, mentions, THEMES, as_of=pd.Timestamp("2026-03-31")).set_index(
        "user_id"
    )
    assert out.loc["u1", "n_docs"] == 3 and out.loc["u1", "n_negative_docs"] == 2
    assert out.loc["u1", "sentiment_min"] == pytest.approx(-0.9)
    assert out.loc["u1", "days_since_last_complaint"] == pytest.approx(30)
    # a negative mention 30 days before the end weighs half (30-day half-life)
    assert out.loc["u1", "theme_service_recent_negativity"] == pytest.approx(0.9 * 0.5)
    assert out.loc["u2", "theme_price_negative"] == 1


def test_one_cut_off_for_every_user() -> None:
    """Features at as_of: feedback written after it is left out, for every user alike, and
    a text written at the cut-off itself counts."""
    docs, mentions = tables()
    out = user_features(docs, mentions, THEMES, as_of=pd.Timestamp("2026-02-15")).set_index(
        "user_id"
    )
    assert out.loc["u1", "n_docs"] == 2  # d4 (March) is after the cut-off
    assert out.loc["u1", "theme_service_mentions"] == 0
    at_the_end = user_features(docs, mentions, THEMES).set_index("user_id")
    assert at_the_end.loc["u1", "n_docs"] == 3  # d4 is the latest text: it counts


def test_undated_texts_can_be_left_out_of_a_cut_off() -> None:
    docs, mentions = tables()
    docs.loc[0, "created_at"] = pd.NaT
    cut = pd.Timestamp("2026-02-15")
    kept = user_features(docs, mentions, THEMES, as_of=cut).set_index("user_id")
    dated = user_features(docs, mentions, THEMES, as_of=cut, dated_only=True).set_index("user_id")
    assert (kept.loc["u1", "n_docs"], dated.loc["u1", "n_docs"]) == (2, 1)


def test_the_transformer_takes_an_as_of_date() -> None:
    frame = pd.DataFrame(
        {
            "user_id": ["u1", "u1"],
            "text": ["价格太贵了", "客服不回复"],
            "created_at": ["2026-01-01", "2026-03-05"],
        }
    )
    out = UserFeaturizer(as_of="2026-02-01").fit().transform(frame).set_index("user_id")
    assert out.loc["u1", "n_docs"] == 1


def test_transformer_gives_the_command_columns(samples_dir: Path, tmp_path: Path) -> None:
    from feedback_miner.cli import main

    assert (
        main(
            [
                "features",
                str(samples_dir / "social_posts.csv"),
                "-o",
                str(tmp_path / "f.csv"),
                "--quiet",
            ]
        )
        == 0
    )
    from_cli = pd.read_csv(tmp_path / "f.csv")
    frame = pd.DataFrame(
        {
            "user_id": ["u1", "u1", "u2"],
            "text": ["价格太贵了", "客服不回复", "挺好用的"],
            "created_at": ["2026-01-01", "2026-01-05", "2026-01-09"],
        }
    )
    featurizer = UserFeaturizer().fit()
    out = featurizer.transform(frame)
    assert list(out.columns) == list(from_cli.columns) == list(featurizer.get_feature_names_out())
    assert out.set_index("user_id").loc["u1", "theme_price_negative"] == 1
    assert np.isfinite(out.drop(columns="user_id").to_numpy()).all()
