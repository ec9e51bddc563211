"""Adapting sentiment to an analysis's records: ratings per input file, notes, samples."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

from feedback_miner.sentiment import (
    AdaptationPlan,
    CorpusAdaptation,
    SentimentScorer,
    adapt_to_corpus,
    plan_adaptation,
)

GOOD = ["这款奶茶一整个爱住", "新版本直接回血", "这套课程狠狠拿捏住了"]
BAD = ["这款奶茶纯纯大冤种", "新版本直接下头", "这套课程属于是白给"]


def rated_corpus(n: int, high: float, low: float, seed: int) -> tuple[list[str], np.ndarray]:
    rng = np.random.default_rng(seed)
    positive = rng.random(n) < 0.5
    texts = [(GOOD if p else BAD)[int(rng.integers(3))] for p in positive]
    return texts, np.where(positive, high, low)


def test_ratings_of_each_file_are_read_on_their_own_scale() -> None:
    """An NPS survey (9-10 high) and CSAT tickets (5 high, which is low on a 0-10 scale)."""
    survey, nps = rated_corpus(200, 10.0, 3.0, seed=1)
    tickets, csat = rated_corpus(200, 5.0, 1.0, seed=2)
    adapted = adapt_to_corpus(
        survey + tickets, np.concatenate([nps, csat]), ["survey.xlsx"] * 200 + ["tickets.csv"] * 200
    )
    assert adapted.report is not None and adapted.report.source == "ratings"
    assert adapted.report.n_positive + adapted.report.n_negative == 320  # 80% of 400
    assert adapted.report.held_out is not None and adapted.report.held_out.adapted_auc > 0.95
    assert adapted.adaptation is not None and adapted.notes == ()
    assert adapted.method == "rules + n-gram model learnt from ratings"


def test_ratings_on_neither_scale_are_left_out_with_a_note() -> None:
    texts, stars = rated_corpus(200, 5.0, 1.0, seed=3)
    more, percent = rated_corpus(100, 90.0, 20.0, seed=4)
    adapted = adapt_to_corpus(
        texts + more, np.concatenate([stars, percent]), ["a.csv"] * 200 + ["pct.csv"] * 100
    )
    assert adapted.notes == (
        "pct.csv: the ratings range from 20 to 90, neither 1-5 (CSAT, stars) nor 0-10 (NPS); "
        "they are not used to adapt sentiment.",
    )
    assert adapted.report is not None
    assert adapted.report.n_positive + adapted.report.n_negative == 160  # a.csv only
    assert adapted.describe()[0] == adapted.notes[0]


@pytest.mark.parametrize(
    ("self_train", "use_ratings", "source"),
    [(False, True, None), (True, True, "rules"), (True, False, "rules")],
)
def test_without_ratings_only_self_training_adapts(
    self_train: bool, use_ratings: bool, source: str | None
) -> None:
    texts = ["很好用，非常满意"] * 40 + ["太差了，很失望"] * 40
    adapted = adapt_to_corpus(
        texts, np.full(80, np.nan), ["a.csv"] * 80, self_train=self_train, use_ratings=use_ratings
    )
    if source is None:
        assert adapted.report is None and adapted.adaptation is None
        assert adapted.method == "rules" and adapted.describe() == []
    else:
        assert adapted.report is not None and adapted.report.source == source
        assert adapted.report.held_out is None  # nothing to compare with


def test_ratings_are_ignored_when_told_so() -> None:
    texts, stars = rated_corpus(200, 5.0, 1.0, seed=5)
    adapted = adapt_to_corpus(texts, stars, ["a.csv"] * 200, use_ratings=False)
    assert adapted.report is None and adapted.adaptation is None


def test_a_large_corpus_is_sampled_with_the_seed() -> None:
    texts, stars = rated_corpus(300, 5.0, 1.0, seed=6)
    first = adapt_to_corpus(texts, stars, ["a.csv"] * 300, max_rows=200, seed=7)
    second = adapt_to_corpus(texts, stars, ["a.csv"] * 300, max_rows=200, seed=7)
    assert first.notes == ("Sentiment adapted on a seeded sample of 200 of 300 records.",)
    assert first.report == second.report
    assert first.report is not None
    assert first.report.n_positive + first.report.n_negative == 160


def test_a_plan_chooses_the_records_and_its_fit_is_the_adaptation() -> None:
    """Planning and fitting apart (the fit can run in another process) is adapt_to_corpus."""
    texts, stars = rated_corpus(300, 5.0, 1.0, seed=8)
    plan = plan_adaptation(texts, stars, ["a.csv"] * 300, max_rows=200, seed=7)
    assert isinstance(plan, AdaptationPlan)
    assert len(plan.texts) == 200 and plan.ratings is not None and len(plan.ratings) == 200
    assert plan.notes == ("Sentiment adapted on a seeded sample of 200 of 300 records.",)
    whole = adapt_to_corpus(texts, stars, ["a.csv"] * 300, max_rows=200, seed=7)
    assert whole.adaptation is not None
    probe = ["这款奶茶一整个爱住", "新版本直接下头", "还行"]
    # fitted after a trip to another process, and with rules already built
    for fitted in (
        pickle.loads(pickle.dumps(plan)).fit(),
        plan.fit(rules=SentimentScorer(neutral_band=0.3).fit()),
    ):
        assert fitted.report == whole.report and fitted.notes == whole.notes
        assert fitted.adaptation is not None
        np.testing.assert_array_equal(
            fitted.adaptation.blend_scores(probe, np.zeros(3)),
            whole.adaptation.blend_scores(probe, np.zeros(3)),
        )


def test_with_nothing_to_learn_from_the_plan_is_the_finished_adaptation() -> None:
    texts, percent = rated_corpus(100, 90.0, 20.0, seed=9)
    plan = plan_adaptation(texts, percent, ["pct.csv"] * 100)
    assert isinstance(plan, CorpusAdaptation) and plan.adaptation is None
    assert plan.notes == (
        "pct.csv: the ratings range from 20 to 90, neither 1-5 (CSAT, stars) nor 0-10 (NPS); "
        "they are not used to adapt sentiment.",
    )
