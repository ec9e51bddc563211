"""Learned recall, proved on a seeded simulation whose truth is known.

Documents are made of clauses about three themes and of clauses about nothing.
Some theme clauses hold a keyword; others say the same thing without one (the
recall the keywords miss). The learned models must add the latter and not the
clauses about nothing, and the tables must not depend on --jobs or the engine.
"""

import numpy as np
import pandas as pd
import pytest

from feedback_miner.engines import analyze_records
from feedback_miner.stages import AnalyzerSpec, build_stages
from feedback_miner.themes import parse_taxonomy
from feedback_miner.themes.corpus import fit_corpus
from feedback_miner.themes.learned import MIN_DOCUMENTS

TAXONOMY = parse_taxonomy(
    """
[taxonomy]
name = "simulated"

[[themes]]
id = "delivery"
name = "配送"
keywords = ["配送", "送餐"]

[[themes]]
id = "taste"
name = "口味"
keywords = ["味道", "口味"]

[[themes]]
id = "price"
name = "价格"
keywords = ["价格", "太贵"]
""",
    source="simulated.toml",
)
# (theme, with a keyword, without one): the same facts, said with or without a keyword
CLAUSES = {
    "delivery": (
        [
            "配送一个多小时才到",
            "送餐的小哥一个多小时才送到",
            "配送超时四十分钟",
            "送餐慢得离谱，骑手迷路了",
        ],
        [
            "一个多小时才送到",
            "骑手迷路了，超时四十分钟",
            "等了一个多小时才到",
            "小哥送到的时候超时了",
        ],
    ),
    "taste": (
        ["味道偏咸，酱汁太浓", "口味太咸了，吃不下", "味道很淡，没放盐", "口味偏甜，酱汁腻"],
        ["咸得吃不下", "酱汁太浓太咸", "淡得没放盐似的", "甜得发腻的酱汁"],
    ),
    "price": (
        ["价格比外面贵一倍", "太贵了，一份要八十八", "价格不便宜，一份八十八"],
        ["一份要八十八", "比外面贵一倍", "八十八一份不便宜"],
    ),
}
NOTHING = ["谢谢老板", "下次还来", "还行吧", "就这样", "今天下雨了", "和同事一起点的"]


# words around a clause, so that no clause repeats letter for letter (that would be boilerplate)
OPENERS = ["", "这次", "上回", "今天", "昨天晚上", "周末", "又是", "中午", "说实话", "第二次"]
CLOSERS = ["", "啊", "呀", "真的", "无语", "唉", "哈", "服了"]


def _simulate(n: int, seed: int) -> tuple[list[str], list[list[tuple[str, str | None]]]]:
    """Texts, and each text's clauses with their true theme (None: about nothing)."""
    rng = np.random.default_rng(seed)
    texts, truth = [], []
    themes = list(CLAUSES)
    for _ in range(n):
        parts: list[tuple[str, str | None]] = []
        for _ in range(int(rng.integers(1, 4))):
            around = str(rng.choice(OPENERS)), str(rng.choice(CLOSERS))
            if rng.random() < 0.3:
                parts.append((around[0] + str(rng.choice(NOTHING)) + around[1], None))
                continue
            theme = str(rng.choice(themes))
            with_keyword, without = CLAUSES[theme]
            pool = with_keyword if rng.random() < 0.6 else without
            parts.append((around[0] + str(rng.choice(pool)) + around[1], theme))
        texts.append("，".join(p for p, _ in parts) + "。")
        truth.append(parts)
    return texts, truth


@pytest.fixture(scope="module")
def simulated():
    texts, truth = _simulate(2000, seed=7)
    matcher = build_stages(AnalyzerSpec(taxonomy=TAXONOMY)).matcher
    corpus = fit_corpus(texts, matcher, learned="on", seed=0)
    records = pd.DataFrame(
        {
            "doc_id": [f"s:{i}" for i in range(len(texts))],
            "user_id": None,
            "source": "survey",
            "created_at": pd.NaT,
            "text": texts,
        }
    )
    return texts, truth, corpus, records


def test_learned_mentions_are_the_theme_clauses_without_keywords(simulated) -> None:
    _, truth, corpus, records = simulated
    assert corpus.learned is not None
    used = {TAXONOMY.themes[r.theme_index].id for r in corpus.learned.reports if r.used}
    assert used  # at least one theme passed its held-back checks
    _, mentions = analyze_records(records, AnalyzerSpec(taxonomy=TAXONOMY, corpus=corpus))
    learned = mentions[mentions["method"] == "learned"]
    assert len(learned) > 0 and (learned["keywords"] == "").all()
    true_themes = {f"s:{i}": {t for _, t in parts if t} for i, parts in enumerate(truth)}
    right = sum(
        t in true_themes[d] for d, t in zip(learned["doc_id"], learned["theme_id"], strict=True)
    )
    assert right / len(learned) >= 0.8
    # a clause about nothing is never made a theme's
    for evidence in learned["evidence"]:
        assert not any(nothing in evidence for nothing in NOTHING)


def test_keyword_mentions_stay_keyword_mentions(simulated) -> None:
    _, _, corpus, records = simulated
    _, plain = analyze_records(records, AnalyzerSpec(taxonomy=TAXONOMY))
    _, with_models = analyze_records(records, AnalyzerSpec(taxonomy=TAXONOMY, corpus=corpus))
    keyword = with_models[with_models["method"] == "keyword"].reset_index(drop=True)
    pd.testing.assert_frame_equal(keyword, plain.reset_index(drop=True))


def test_learned_results_do_not_depend_on_jobs_chunks_or_engine(simulated) -> None:
    _, _, corpus, records = simulated
    spec = AnalyzerSpec(taxonomy=TAXONOMY, corpus=corpus)
    docs1, mentions1 = analyze_records(records, spec)
    docs2, mentions2 = analyze_records(records, spec, jobs=2, chunk_size=53)
    pd.testing.assert_frame_equal(docs1, docs2)
    pd.testing.assert_frame_equal(mentions1, mentions2)
    pytest.importorskip("distributed")
    docs3, mentions3 = analyze_records(records, spec, jobs=2, chunk_size=97, engine="dask")
    pd.testing.assert_frame_equal(docs1, docs3)
    pd.testing.assert_frame_equal(mentions1, mentions3)


def test_the_models_are_fitted_the_same_from_the_same_seed(simulated) -> None:
    texts, _, corpus, _ = simulated
    again = fit_corpus(
        texts, build_stages(AnalyzerSpec(taxonomy=TAXONOMY)).matcher, learned="on", seed=0
    )
    assert corpus.learned is not None and again.learned is not None
    assert repr(corpus.learned.reports) == repr(again.learned.reports)  # nan thresholds too
    np.testing.assert_array_equal(corpus.learned.coefficients, again.learned.coefficients)


def test_auto_fits_no_models_on_a_small_corpus(simulated) -> None:
    texts, _, _, _ = simulated
    matcher = build_stages(AnalyzerSpec(taxonomy=TAXONOMY)).matcher
    assert fit_corpus(texts[: MIN_DOCUMENTS - 1], matcher, learned="auto").learned is None
    assert fit_corpus(texts, matcher, learned="off").learned is None
