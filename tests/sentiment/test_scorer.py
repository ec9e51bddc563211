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
