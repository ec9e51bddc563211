"""Adapting to a corpus: ratings, self-training, lexicon expansion, on a seeded synthetic corpus.

The corpus mixes sentences whose sentiment the lexicon knows with sentences in
a product's own words that it does not (上头, 回血, 劝退款 ...), so that only
learning from the corpus can get those right.
"""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import f1_score, roc_auc_score

from feedback_miner.errors import FeedbackMinerError
from feedback_miner.sentiment import SentimentScorer
from feedback_miner.sentiment.adapt import labels_from_ratings

ITEMS = ["这款奶茶", "新出的皮肤", "这个副本", "今天的直播", "这套课程", "新版本"]
UNKNOWN_POSITIVE = ["太上头了", "直接回血", "狠狠拿捏住了", "一整个爱住", "原地起飞"]
UNKNOWN_NEGATIVE = ["纯纯大冤种", "直接下头", "彻底躺平了", "血压拉满", "属于是白给"]
KNOWN_POSITIVE = ["非常满意", "很好用", "推荐给朋友了"]
KNOWN_NEGATIVE = ["太失望了", "很难用", "再也不买了"]


def corpus(n: int = 600, seed: int = 3) -> tuple[list[str], np.ndarray]:
    rng = np.random.default_rng(seed)
    texts, labels = [], []
    for i in range(n):
        positive = bool(rng.random() < 0.5)
        item = ITEMS[int(rng.integers(len(ITEMS)))]
        unknown = (UNKNOWN_POSITIVE if positive else UNKNOWN_NEGATIVE)[int(rng.integers(5))]
        if i % 2 == 0:  # half also say it in words the lexicon knows
            known = (KNOWN_POSITIVE if positive else KNOWN_NEGATIVE)[int(rng.integers(3))]
            texts.append(f"{item}{unknown}，{known}")
        else:
            texts.append(f"{item}{unknown}")
        labels.append(int(positive))
    return texts, np.array(labels)


def macro_f1(labels: np.ndarray, scores: np.ndarray) -> float:
    return float(f1_score(labels, (np.nan_to_num(scores) > 0).astype(int), average="macro"))


@pytest.fixture(scope="module")
def data() -> tuple[list[str], np.ndarray]:
    return corpus()


@pytest.fixture(scope="module")
def rules_scores(scorer, data) -> np.ndarray:
    return scorer.transform(data[0])[:, 0]


def test_the_unknown_words_are_really_unknown(scorer) -> None:
    for phrase in UNKNOWN_POSITIVE + UNKNOWN_NEGATIVE:
        assert scorer.score_document(phrase).score == 0.0, phrase


def test_ratings_with_noise_improve_macro_f1(data, rules_scores) -> None:
    texts, labels = data
    rng = np.random.default_rng(0)
    noisy = np.where(rng.random(len(labels)) < 0.2, 1 - labels, labels)  # 20% wrong ratings
    ratings = np.where(noisy == 1, 5.0, 1.0)
    adapted = SentimentScorer().fit(texts, ratings)
    assert adapted.training_["source"] == "ratings"
    assert 0.5 < adapted.training_["rules_auc_vs_ratings"] < adapted.training_["model_cv_auc"]
    assert macro_f1(labels, adapted.transform(texts)[:, 0]) > macro_f1(labels, rules_scores) + 0.1


def test_self_training_is_at_least_as_good_as_the_rules(data, rules_scores) -> None:
    texts, labels = data
    adapted = SentimentScorer(self_training=True).fit(texts)
    assert adapted.model_ is not None
    assert adapted.training_["source"] == "rules"
    assert roc_auc_score(labels, adapted.transform(texts)[:, 0]) >= roc_auc_score(
        labels, np.nan_to_num(rules_scores)
    )
    assert macro_f1(labels, adapted.transform(texts)[:, 0]) >= macro_f1(labels, rules_scores)


def test_self_training_is_reproducible(data) -> None:
    texts, _ = data
    first = SentimentScorer(self_training=True, random_state=5).fit(texts).transform(texts)
    second = SentimentScorer(self_training=True, random_state=5).fit(texts).transform(texts)
    np.testing.assert_array_equal(first, second)


def test_lexicon_expansion_is_deterministic_and_keeps_polarity(data) -> None:
    texts, _ = data
    first = SentimentScorer(expand_lexicon=True).fit(texts)
    second = SentimentScorer(expand_lexicon=True).fit(texts)
    assert first.expanded_words_ == second.expanded_words_
    for word, weight in first.expanded_words_.items():
        assert weight != 0 and -1 <= weight <= 1, word


def test_too_few_confident_examples_leaves_the_rules_alone(scorer) -> None:
    texts = ["这款奶茶太上头了"] * 30
    adapted = SentimentScorer(self_training=True).fit(texts)
    assert adapted.model_ is None
    np.testing.assert_array_equal(adapted.transform(texts), scorer.transform(texts))


@pytest.mark.parametrize(
    ("ratings", "labels"),
    [
        ([1, 2, 3, 4, 5], [0, 0, np.nan, 1, 1]),  # CSAT, stars
        ([0, 6, 7, 8, 9, 10], [0, 0, np.nan, np.nan, 1, 1]),  # NPS
        ([np.nan, 5, 1], [np.nan, 1, 0]),
    ],
)
def test_labels_from_ratings(ratings: list[float], labels: list[float]) -> None:
    np.testing.assert_array_equal(
        labels_from_ratings(np.array(ratings, dtype=float)), np.array(labels)
    )


@pytest.mark.parametrize(
    ("ratings", "message"),
    [
        (
            [10, 50, 100],
            "the ratings range from 10 to 100; use a 1-5 score (CSAT, stars) or 0-10 (NPS).",
        ),
        (
            [np.nan, np.nan],
            "the rating column is empty; it needs scores such as 1-5 stars or NPS 0-10.",
        ),
    ],
)
def test_bad_ratings(ratings: list[float], message: str) -> None:
    with pytest.raises(FeedbackMinerError) as info:
        labels_from_ratings(np.array(ratings, dtype=float))
    assert str(info.value) == message


def test_fit_argument_errors() -> None:
    with pytest.raises(ValueError) as info:
        SentimentScorer(self_training=True).fit()
    assert (
        str(info.value)
        == "fit needs the texts X to learn from ratings, self-train or expand the lexicon."
    )
    with pytest.raises(ValueError) as info:
        SentimentScorer().fit(["好", "坏"], [5.0])
    assert str(info.value) == "y has 1 ratings for 2 texts; give one per text."
