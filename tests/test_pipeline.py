import time
from pathlib import Path

import pandas as pd
import pytest

from feedback_miner.engines import analyze_records, run_chunks
from feedback_miner.ingest import ingest_files
from feedback_miner.pipeline import analyze
from feedback_miner.result import LabelOptions
from feedback_miner.schema import DOC_COLUMNS, MENTION_COLUMNS
from feedback_miner.sentiment import SentimentScorer
from feedback_miner.stages import AnalyzerSpec
from feedback_miner.themes import load_taxonomy


@pytest.fixture(scope="module")
def records(samples_dir: Path) -> pd.DataFrame:
    return ingest_files(
        [samples_dir / "service_tickets.csv", samples_dir / "social_posts.csv"]
    ).records


def test_results_do_not_depend_on_jobs_or_chunks(records: pd.DataFrame) -> None:
    spec = AnalyzerSpec(taxonomy=load_taxonomy())
    docs1, mentions1 = analyze_records(records, spec, jobs=1, chunk_size=5000)
    docs2, mentions2 = analyze_records(records, spec, jobs=2, chunk_size=97)
    pd.testing.assert_frame_equal(docs1, docs2)
    pd.testing.assert_frame_equal(mentions1, mentions2)
    assert list(docs1.columns[: len(DOC_COLUMNS)]) == list(DOC_COLUMNS)
    assert list(mentions1.columns) == [*MENTION_COLUMNS, "keywords", "method"]


def test_docs_and_mentions_agree(records: pd.DataFrame) -> None:
    docs, mentions = analyze_records(records, AnalyzerSpec(taxonomy=load_taxonomy()))
    from_mentions = mentions.groupby("doc_id")["theme_id"].apply(set).to_dict()
    for doc_id, themes in zip(docs["doc_id"], docs["themes"], strict=True):
        assert set(filter(None, themes.split(";"))) == from_mentions.get(doc_id, set())
    assert docs["sentiment_score"].between(-1, 1).all()
    assert set(docs["sentiment_label"]) <= {"negative", "neutral", "positive"}


def test_progress_callbacks_count_every_record(records: pd.DataFrame) -> None:
    seen: list[int] = []
    analyze_records(
        records, AnalyzerSpec(taxonomy=load_taxonomy()), chunk_size=300, on_progress=seen.append
    )
    assert sum(seen) == len(records)


def test_bad_jobs(records: pd.DataFrame) -> None:
    with pytest.raises(ValueError) as info:
        analyze_records(records, AnalyzerSpec(taxonomy=load_taxonomy()), jobs=0)
    assert str(info.value) == "--jobs is 0; it must be 1 or more."


def test_planted_drivers_rank_at_the_top(samples_dir: Path) -> None:
    """The sample data are generated with billing, bugs and service driving churn (samples/README.md).

    billing is a sub-theme of price in the default taxonomy: price, counting billing's
    mentions, ranks among the top three, and among price's parts billing carries the
    effect while price's own complaints (a weak, confounded effect) are not sure.
    """
    result = analyze(
        [samples_dir / n for n in ("survey_wjx.xlsx", "service_tickets.csv", "social_posts.csv")],
        labels=LabelOptions(samples_dir / "churn_labels.csv"),
    )
    assert result.attribution is not None
    table = result.attribution.table
    top3 = set(table.loc[table["parent_id"] == "", "theme_id"][:3])
    assert top3 == {"price", "bugs", "service"}
    by_theme = table.set_index("theme_id")
    assert by_theme.loc["billing", "certainty"] in ("strong", "moderate")
    assert by_theme.loc["price", "own_ci_low"] <= 1 <= by_theme.loc["price", "own_ci_high"]
    marketing = by_theme.loc["marketing"]
    # more frequent than any true driver ...
    assert marketing["n_users"] > by_theme.loc[["bugs", "service", "billing"], "n_users"].max()
    assert marketing["ci_low"] < 1 < marketing["ci_high"]  # ... but no effect on churn
    assert marketing["quadrant"] == "uncertain"
    assert result.exposure is not None and result.exposure.docs_after_churn > 0


def test_streamed_analysis_equals_the_analysis_of_all_records(
    samples_dir: Path, records: pd.DataFrame
) -> None:
    """analyze() reads and analyses block by block; the tables are those of one read.

    (Without rating adaptation, which reads every record before scoring any.)
    """
    inputs = [samples_dir / "service_tickets.csv", samples_dir / "social_posts.csv"]
    streamed = analyze(inputs, jobs=2, chunk_size=128, with_summary=False, rating_adapt=False)
    # the same taxonomy and corpus model as the streamed analysis fitted before its chunks
    spec = AnalyzerSpec(taxonomy=streamed.taxonomy, corpus=streamed.corpus)
    docs, mentions = analyze_records(records, spec)
    pd.testing.assert_frame_equal(streamed.docs, docs)
    pd.testing.assert_frame_equal(streamed.mentions, mentions)


def test_an_adaptation_is_fitted_once_and_scores_the_same_in_any_number_of_workers(
    samples_dir: Path,
) -> None:
    """The survey's NPS and the tickets' 1-5 满意度, each on its own scale, adapt sentiment."""
    inputs = [
        samples_dir / n for n in ("survey_wjx.xlsx", "service_tickets.csv", "social_posts.csv")
    ]
    one = analyze(inputs, jobs=1, chunk_size=5000, with_summary=False)
    two = analyze(inputs, jobs=2, chunk_size=97, with_summary=False)
    assert one.adaptation is not None and one.adaptation.adaptation is not None
    assert one.settings.sentiment == "rules + n-gram model learnt from ratings"
    # with workers the adaptation is fitted in the side process: the same fit
    assert two.adaptation is not None and one.adaptation.describe() == two.adaptation.describe()
    pd.testing.assert_frame_equal(one.docs, two.docs)
    pd.testing.assert_frame_equal(one.mentions, two.mentions)
    rules = analyze(inputs, with_summary=False, rating_adapt=False)
    assert rules.adaptation is None and rules.settings.sentiment == "rules"
    assert (one.docs["sentiment_score"] != rules.docs["sentiment_score"]).mean() > 0.5
    pd.testing.assert_frame_equal(one.mentions, rules.mentions)  # aspects stay rule-based


def test_inputs_without_ratings_are_not_adapted(samples_dir: Path) -> None:
    inputs = [samples_dir / "social_posts.csv"]
    result = analyze(inputs, with_summary=False)
    assert result.adaptation is None and result.settings.sentiment == "rules"
    unadapted = analyze(inputs, with_summary=False, rating_adapt=False)
    pd.testing.assert_frame_equal(result.docs, unadapted.docs)


def test_chunks_are_taken_only_as_workers_free_up(records: pd.DataFrame) -> None:
    taken: list[int] = []

    def chunks():
        for start in range(0, 1200, 100):
            taken.append(start)
            yield records.iloc[start : start + 100]

    results = run_chunks(chunks(), AnalyzerSpec(taxonomy=load_taxonomy()), jobs=2)
    first_docs, _ = next(results)
    assert len(taken) <= 2 * 2 + 1  # at most two chunks wait per worker
    rest = [docs for docs, _ in results]
    got = pd.concat([first_docs, *rest])["doc_id"].tolist()
    assert got == records["doc_id"].iloc[:1200].tolist()


def test_repeated_values_are_kept_once(records: pd.DataFrame) -> None:
    docs, mentions = analyze_records(records, AnalyzerSpec(taxonomy=load_taxonomy()), chunk_size=50)
    for column in ("source", "channel", "sentiment_label", "themes"):
        values = docs[column].dropna()
        assert len({id(v) for v in values}) == values.nunique(), column
    assert len({id(v) for v in mentions["theme_id"]}) == mentions["theme_id"].nunique()


@pytest.mark.parametrize(("n", "size"), [(3, 5), (5, 5), (50, 5), (20_000, 5_000)])
def test_the_pack_is_picked_on_a_seeded_subsample_in_input_order(n: int, size: int) -> None:
    from feedback_miner.pipeline import _subsample

    texts = [f"t{i:05d}" for i in range(n)]
    part = _subsample(texts, size, seed=3)
    assert len(part) == min(n, size) and part == sorted(part) and set(part) <= set(texts)
    assert part == _subsample(texts, size, seed=3)
    if n > size:
        assert part != _subsample(texts, size, seed=4)


def test_blocks_read_ahead_are_let_go_as_they_are_handed_on() -> None:
    """A million records read ahead for the adaptation must not stay once analysed."""
    from feedback_miner.prephase import HeldBlocks

    held = HeldBlocks()
    for k in range(4):
        held.append(k % 2, pd.DataFrame({"i": [k]}))
    assert [(p, int(b["i"].iloc[0])) for p, b in held] == [(0, 0), (1, 1), (0, 2), (1, 3)]
    got = []
    for block in held.release():
        got.append(int(block["i"].iloc[0]))
        assert len(held) == 4 - len(got)
    assert got == [0, 1, 2, 3] and len(held) == 0


@pytest.mark.parametrize(
    "block",
    [
        # missing values of each kind stay what they were: None, NaN, NaT, pd.NA
        pd.DataFrame(
            {
                "doc_id": ["a:1", "a:2", "a:3"],
                "user_id": ["U1", None, float("nan")],
                "created_at": pd.to_datetime(["2026-01-02 00:00", None, "2026-03-04 10:00"]),
                "text": ["太贵了！", "", "😡 退订"],
                "rating": [5.0, float("nan"), 1.0],
                "meta:渠道": pd.array(["在线客服", pd.NA, "电话"], dtype="string"),
            }
        ),
        # an empty block keeps its columns and types
        pd.DataFrame({"doc_id": pd.Series([], dtype=object), "rating": pd.Series([], dtype=float)}),
    ],
)
def test_blocks_held_compactly_come_back_exactly(block: pd.DataFrame) -> None:
    from feedback_miner.prephase import HeldBlocks

    held = HeldBlocks()
    held.append(0, block)
    ((position, again),) = list(held)
    assert position == 0
    pd.testing.assert_frame_equal(again, block)
    assert [type(v) for v in again["doc_id"]] == [type(v) for v in block["doc_id"]]
    if "user_id" in block:
        assert again["user_id"].iloc[1] is None and isinstance(again["user_id"].iloc[2], float)
    (released,) = list(held.release())
    pd.testing.assert_frame_equal(released, block)


@pytest.mark.parametrize(("jobs", "busy"), [(2, True), (2, False), (3, True)])
def test_packs_compared_beside_the_workers_give_the_one_process_result(
    samples_dir: Path, jobs: int, busy: bool
) -> None:
    """The built-in packs shared between the main process and the idle workers (all of
    them, or all but the one fitting the adaptation): every fit and the pick are those of
    one call on all packs."""
    from feedback_miner.engines import Workers
    from feedback_miner.prephase import fit_packs_beside
    from feedback_miner.themes.fit import fit_taxonomies

    texts = ingest_files([samples_dir / "service_tickets.csv"]).records["text"].tolist()
    scorer = SentimentScorer().fit()
    alone = fit_taxonomies(texts, neutral_band=0.2, scorer=scorer)
    with Workers(jobs) as workers:
        if busy:
            workers.call(_wait, 0.5)  # the first worker is busy with something else
        shared = fit_packs_beside(workers, texts, neutral_band=0.2, scorer=scorer, busy=busy)
        if busy:
            assert workers.answer() == 0.5
    assert shared == alone


def _wait(dictionaries: object, seconds: float) -> float:
    time.sleep(seconds)
    return seconds


def test_emerging_themes_found_beside_are_those_found_in_one_process(
    samples_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import numpy as np

    import feedback_miner.pipeline as pipeline
    from feedback_miner.beside import Beside

    started: list[Beside] = []

    class Counted(Beside):  # type: ignore[type-arg]
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)  # type: ignore[arg-type]
            started.append(self)

    monkeypatch.setattr(pipeline, "Beside", Counted)
    inputs = [samples_dir / "service_tickets.csv", samples_dir / "social_posts.csv"]
    one = analyze(inputs, jobs=1).summary
    assert started == []
    two = analyze(inputs, jobs=2).summary
    assert len(started) == 1 and started[0]._process is None  # taken and ended
    assert one is not None and two is not None
    a, b = one.emerging, two.emerging
    assert (a.uncovered, a.used, a.reason, a.rows, a.texts, a.message) == (
        b.uncovered,
        b.used,
        b.reason,
        b.rows,
        b.texts,
        b.message,
    )
    assert a.discovery is not None and b.discovery is not None
    assert a.discovery.topics == b.discovery.topics
    np.testing.assert_array_equal(a.discovery.assignments, b.discovery.assignments)
    assert a.discovery.k_reason == b.discovery.k_reason
    # past the limit, where the main process is largest, they are found in it
    monkeypatch.setattr(pipeline, "BESIDE_LIMIT", 0)
    three = analyze(inputs, jobs=2).summary
    assert len(started) == 1
    assert three is not None and three.emerging.texts == a.texts


def test_the_incremental_value_measured_beside_is_the_one_process_value(
    samples_dir: Path,
) -> None:
    inputs = [samples_dir / "service_tickets.csv", samples_dir / "social_posts.csv"]
    labels = LabelOptions(samples_dir / "churn_labels.csv")
    one = analyze(inputs, labels=labels, jobs=1)
    two = analyze(inputs, labels=labels, jobs=2)
    assert one.incremental is not None
    assert two.incremental == one.incremental
    assert two.incremental_note == one.incremental_note
    assert one.attribution is not None and two.attribution is not None
    pd.testing.assert_frame_equal(two.attribution.table, one.attribution.table)
    assert one.summary is not None and two.summary is not None
    assert two.summary.emerging.texts == one.summary.emerging.texts
