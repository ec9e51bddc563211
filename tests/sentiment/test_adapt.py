"""Adapting to a corpus: ratings, self-training, lexicon expansion, on a seeded synthetic corpus.

The corpus mixes sentences whose sentiment the lexicon knows with sentences in
a product's own words that it does not (上头, 回血, 劝退款 ...), so that only
learning from the corpus can get those right.
"""

from __future__ import annotations

import pickle

import numpy as np
import pytest
from sklearn.metrics import f1_score, roc_auc_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer

from feedback_miner.errors import FeedbackMinerError
from feedback_miner.sentiment import SentimentScorer, adapt
from feedback_miner.sentiment.adapt import HeldOutAgreement
from feedback_miner.sentiment.ratings import labels_from_ratings

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


def noisy_ratings(labels: np.ndarray, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    noisy = np.where(rng.random(len(labels)) < 0.2, 1 - labels, labels)  # 20% wrong ratings
    return np.where(noisy == 1, 5.0, 1.0)


def test_ratings_with_noise_improve_macro_f1(data, rules_scores) -> None:
    texts, labels = data
    adapted = SentimentScorer().fit(texts, ratings=noisy_ratings(labels))
    report = adapted.training_
    assert report is not None and report.source == "ratings" and report.used
    agreement = report.held_out
    assert agreement is not None
    assert agreement.n_positive + agreement.n_negative == 120  # 20% of 600 rated rows held back
    assert report.n_positive + report.n_negative == 480  # the model never saw them
    assert agreement.adapted_auc > agreement.rules_auc and agreement.ci_low > 0
    assert macro_f1(labels, adapted.transform(texts)[:, 0]) > macro_f1(labels, rules_scores) + 0.1


def test_the_rating_report_says_what_the_held_back_rows_say(data) -> None:
    texts, labels = data
    report = SentimentScorer().fit(texts, ratings=noisy_ratings(labels)).training_
    assert report is not None and report.held_out is not None
    agreement = report.held_out
    assert report.describe() == (
        "Adapted from ratings: 242 positive and 238 negative training texts. On 120 held-back "
        "rated rows (60 high, 60 low) the ratings agree with the rules at ROC AUC "
        f"{agreement.rules_auc:.3f} (sign agrees for {agreement.rules_agreement:.0%}) and with "
        f"the adapted scores at {agreement.adapted_auc:.3f} ({agreement.adapted_agreement:.0%}); "
        f"difference {agreement.gain:+.3f}, 95% CI {agreement.ci_low:+.3f} to "
        f"{agreement.ci_high:+.3f}."
    )


def test_an_adaptation_that_agrees_worse_with_held_back_ratings_is_not_used(
    data, monkeypatch
) -> None:
    texts, labels = data
    worse = HeldOutAgreement(
        n_positive=60,
        n_negative=60,
        rules_auc=0.8,
        adapted_auc=0.7,
        ci_low=-0.15,
        ci_high=-0.05,
        rules_agreement=0.8,
        adapted_agreement=0.7,
    )
    monkeypatch.setattr(adapt, "held_out_agreement", lambda *args, **kwargs: worse)
    scorer = SentimentScorer().fit(texts, ratings=noisy_ratings(labels))
    assert scorer.adaptation_ is None and scorer.training_ is not None
    assert not scorer.training_.used
    assert scorer.training_.describe().endswith(
        "difference -0.100, 95% CI -0.150 to -0.050; the adapted scores do no better, "
        "so the rules alone score the texts."
    )
    np.testing.assert_array_equal(scorer.transform(texts), SentimentScorer().fit().transform(texts))


def test_self_training_makes_no_claim_without_ratings(data, rules_scores) -> None:
    texts, labels = data
    adapted = SentimentScorer(self_training=True).fit(texts)
    assert adapted.adaptation_ is not None
    report = adapted.training_
    assert report is not None and report.source == "rules" and report.held_out is None
    assert report.describe() == (
        f"Adapted from rules: {report.n_positive} positive and {report.n_negative} negative "
        "training texts. With no ratings to compare with, nothing measures whether adapting "
        "helped; the training labels are the rules' own."
    )
    assert roc_auc_score(labels, adapted.transform(texts)[:, 0]) >= roc_auc_score(
        labels, np.nan_to_num(rules_scores)
    )
    assert macro_f1(labels, adapted.transform(texts)[:, 0]) >= macro_f1(labels, rules_scores)


def test_y_is_ignored_as_in_scikit_learn_transformers(data) -> None:
    """In a Pipeline the target (here a churn label) reaches fit as y: it is not ratings."""
    texts, labels = data
    churned = 1 - labels
    with_y = SentimentScorer().fit(texts, churned)
    assert with_y.training_ is None and with_y.adaptation_ is None
    pipe = make_pipeline(FunctionTransformer(list), SentimentScorer())
    np.testing.assert_array_equal(
        pipe.fit_transform(texts, churned), SentimentScorer().fit().transform(texts)
    )


def test_a_fitted_adaptation_scores_the_same_in_another_scorer(data) -> None:
    texts, labels = data
    first = SentimentScorer().fit(texts, ratings=noisy_ratings(labels))
    second = SentimentScorer(adaptation=first.adaptation_).fit()
    np.testing.assert_array_equal(first.transform(texts), second.transform(texts))
    copied = pickle.loads(pickle.dumps(first.adaptation_))
    np.testing.assert_array_equal(
        first.transform(texts), SentimentScorer(adaptation=copied).fit().transform(texts)
    )


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
    assert adapted.adaptation_ is None and adapted.training_ is not None
    assert adapted.training_.describe() == (
        "Not enough clear examples to adapt from rules (20 positive and 20 negative are "
        "needed); scored with the rules alone."
    )
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


def test_each_group_of_ratings_has_its_own_scale() -> None:
    """A survey's NPS and a ticket system's CSAT, read together: 5 is high on 1-5, low on 0-10."""
    ratings = np.array([0, 9, 10, 5, 1, 5, 4], dtype=float)
    groups = np.array(["survey", "survey", "survey", "survey", "tickets", "tickets", "tickets"])
    np.testing.assert_array_equal(
        labels_from_ratings(ratings, groups), np.array([0, 1, 1, 0, 0, 1, 1], dtype=float)
    )
    np.testing.assert_array_equal(  # read as one scale, the CSAT 5s would be detractors
        labels_from_ratings(ratings), np.array([0, 1, 1, 0, 0, 0, 0], dtype=float)
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
        SentimentScorer().fit(["好", "坏"], ratings=[5.0])
    assert str(info.value) == "ratings has 1 values for 2 texts; give one per text."
    with pytest.raises(ValueError) as info:
        SentimentScorer().fit(ratings=[5.0])
    assert (
        str(info.value)
        == "fit needs the texts X to learn from ratings, self-train or expand the lexicon."
    )
    fitted = SentimentScorer(self_training=True).fit(corpus()[0]).adaptation_
    with pytest.raises(ValueError) as info:
        SentimentScorer(adaptation=fitted, self_training=True).fit(["好"])
    assert (
        str(info.value)
        == "fit was given a fitted adaptation and data to adapt from; give one or the other."
    )
    with pytest.raises(ValueError) as info:
        SentimentScorer(held_out=1.0).fit()
    assert str(info.value) == "held_out is 1.0, which is not valid; use one of: a number in [0, 1)."
