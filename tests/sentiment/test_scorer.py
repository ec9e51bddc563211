import numpy as np
import pandas as pd
import pytest
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer

from feedback_miner.sentiment import SentimentScorer


def test_transform_gives_a_column_with_nan_for_missing(scorer) -> None:
    scores = scorer.transform(["很好", None, "", "太差"])
    assert scores.shape == (4, 1)
    assert scores[0, 0] > 0 and scores[3, 0] < 0
    assert np.isnan(scores[1, 0]) and np.isnan(scores[2, 0])


def test_predict_labels(scorer) -> None:
    assert scorer.predict(["很好", "", "太差"]).tolist() == ["positive", "", "negative"]


def test_fits_in_a_scikit_learn_pipeline(scorer) -> None:
    pipe = make_pipeline(FunctionTransformer(lambda s: list(s)), SentimentScorer())
    out = pipe.fit_transform(pd.Series(["满意", "失望"]))
    assert out[0, 0] > 0 > out[1, 0]
    assert pipe[-1].get_feature_names_out().tolist() == ["sentiment_score"]


def test_parameters_are_stored_unchanged_and_validated_in_fit() -> None:
    scorer = SentimentScorer(neutral_band=1.5)
    assert scorer.get_params()["neutral_band"] == 1.5
    with pytest.raises(ValueError) as info:
        scorer.fit()
    assert (
        str(info.value)
        == "neutral_band is 1.5, which is not valid; use one of: a number in [0, 1)."
    )


def test_document_keeps_clauses_tokens_and_scores(scorer) -> None:
    doc = scorer.score_document("价格便宜，客服太差！")
    assert doc.clauses == ("价格便宜，", "客服太差！")
    assert "".join(doc.tokens[1]) == "客服太差"
    assert doc.clause_scores[0] > 0 > doc.clause_scores[1]


@pytest.mark.parametrize(
    ("text", "keyword", "sign"),
    [
        ("价格不贵，但是客服的态度，真的很差", "价格", 1),
        (
            "价格不贵，但是客服的态度，真的很差",
            "客服",
            -1,
        ),  # neutral clause: the next one judges it
        ("信号很好。网速太慢", "信号", 1),
        ("信号很好。网速太慢", "网速", -1),
        ("客服。", "客服", 0),
    ],
)
def test_aspect_sentiment(scorer, text: str, keyword: str, sign: int) -> None:
    from feedback_miner.sentiment import aspect_sentiment

    score = aspect_sentiment(scorer, text, keyword)
    assert score is not None and (score > 0) - (score < 0) == sign


def test_aspect_sentiment_of_an_absent_keyword(scorer) -> None:
    from feedback_miner.sentiment import aspect_sentiment

    assert aspect_sentiment(scorer, "价格不贵", "客服") is None


def test_aspect_sentiment_falls_back_to_its_sentence(scorer) -> None:
    from feedback_miner.sentiment import aspect_sentiment

    # 装修 is named in a neutral clause two clauses away from the judgement
    text = "装修是欧式的，灯光偏暗，整体非常舒服。价格太贵"
    assert aspect_sentiment(scorer, text, "装修") > 0
    assert aspect_sentiment(scorer, "装修是欧式的。价格太贵", "装修") == 0.0  # another sentence


WITH_ADAPTATION_TEXTS = [
    "客服态度很好",
    "价格不贵",
    "信号太差了！",
    "还行吧",
    "",
    "一般般，不过物流挺快",
]


@pytest.mark.parametrize("neutral_band", [0.0, 0.1, 0.4])
@pytest.mark.parametrize("adapted", [False, True])
def test_with_adaptation_scores_as_a_scorer_fitted_with_it(
    neutral_band: float, adapted: bool
) -> None:
    """The worker's shortcut: the rules built once, the adaptation and band given later."""
    adaptation = None
    if adapted:
        trained = SentimentScorer().fit(
            ["一整个爱住", "直接下头"] * 40, ratings=[5.0, 1.0] * 40, rating_groups=["a"] * 80
        )
        adaptation = trained.adaptation_
        assert adaptation is not None
    rules = SentimentScorer().fit()
    shortcut = rules.with_adaptation(adaptation, neutral_band=neutral_band)
    fitted = SentimentScorer(neutral_band=neutral_band, adaptation=adaptation).fit()
    np.testing.assert_array_equal(
        shortcut.transform(WITH_ADAPTATION_TEXTS), fitted.transform(WITH_ADAPTATION_TEXTS)
    )
    assert (
        shortcut.predict(WITH_ADAPTATION_TEXTS).tolist()
        == fitted.predict(WITH_ADAPTATION_TEXTS).tolist()
    )
    assert shortcut.segmenter_ is rules.segmenter_ and shortcut.get_params() == fitted.get_params()


def test_with_adaptation_needs_a_scorer_of_the_rules_alone() -> None:
    with pytest.raises(ValueError) as info:
        SentimentScorer().with_adaptation(None, neutral_band=0.1)
    assert str(info.value) == "with_adaptation needs a fitted scorer; call fit() first."
    trained = SentimentScorer().fit(
        ["一整个爱住", "直接下头"] * 40, ratings=[5.0, 1.0] * 40, rating_groups=["a"] * 80
    )
    with pytest.raises(ValueError) as info:
        trained.with_adaptation(None, neutral_band=0.1)
    assert str(info.value) == (
        "with_adaptation needs a scorer of the rules alone, fitted without data."
    )
    with pytest.raises(ValueError) as info:
        SentimentScorer().fit().with_adaptation(None, neutral_band=1.5)
    assert (
        str(info.value)
        == "neutral_band is 1.5, which is not valid; use one of: a number in [0, 1)."
    )


def test_fit_with_rules_already_built_learns_the_same_and_shares_them() -> None:
    texts, ratings = ["一整个爱住", "直接下头", "还可以吧"] * 40, [5.0, 1.0, 3.0] * 40
    rules = SentimentScorer().fit()
    shared = SentimentScorer().fit(texts, ratings=ratings, rules=rules)
    alone = SentimentScorer().fit(texts, ratings=ratings)
    assert shared.segmenter_ is rules.segmenter_ and shared.training_ == alone.training_
    np.testing.assert_array_equal(
        shared.transform(WITH_ADAPTATION_TEXTS), alone.transform(WITH_ADAPTATION_TEXTS)
    )
    with pytest.raises(ValueError) as info:
        SentimentScorer().fit(texts, ratings=ratings, rules=alone)
    assert str(info.value) == (
        "fit(rules=...) needs a scorer of the rules alone, fitted without data."
    )
