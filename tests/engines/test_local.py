"""The local engine's worker processes: failures come back as errors, never a hang."""

from __future__ import annotations

import multiprocessing
import os
import signal
from pathlib import Path

import pandas as pd
import pytest

from feedback_miner.engines import Workers, run_chunks
from feedback_miner.errors import FeedbackMinerError, WorkerError
from feedback_miner.ingest import ingest_files
from feedback_miner.stages import AnalyzerSpec, Dictionaries
from feedback_miner.themes import load_taxonomy


@pytest.fixture(scope="module")
def records(samples_dir: Path) -> pd.DataFrame:
    return ingest_files([samples_dir / "service_tickets.csv"]).records


def _chunks(records: pd.DataFrame, size: int = 50):
    for start in range(0, len(records), size):
        yield records.iloc[start : start + size]


def _spec() -> AnalyzerSpec:
    return AnalyzerSpec(taxonomy=load_taxonomy())


def _children() -> set[int]:
    return {p.pid for p in multiprocessing.active_children() if p.pid is not None}


def test_a_killed_worker_ends_the_run_with_a_message(records: pd.DataFrame) -> None:
    before = _children()
    results = run_chunks(_chunks(records), AnalyzerSpec(taxonomy=load_taxonomy()), jobs=2)
    next(results)
    workers = sorted(_children() - before)
    assert len(workers) == 2
    # chunks after the fifth are sent only as results are taken: none can be analysed now
    for pid in workers:
        os.kill(pid, signal.SIGKILL)
    with pytest.raises(WorkerError) as info:
        list(results)
    assert isinstance(info.value, FeedbackMinerError)
    assert str(info.value) == (
        "a worker process was killed by signal 9 before finishing its part of the analysis "
        "(exit code -9); this usually means the machine ran out of memory. Try 1) fewer "
        "worker processes (--jobs 1), 2) splitting the input into smaller files."
    )
    assert _children() - before == set()


def test_an_error_in_a_worker_is_raised_in_the_caller(records: pd.DataFrame) -> None:
    before = _children()
    broken = records.drop(columns="text")
    with pytest.raises(KeyError, match="text"):
        list(run_chunks(_chunks(broken), AnalyzerSpec(taxonomy=load_taxonomy()), jobs=2))
    assert _children() - before == set()


def test_workers_end_when_the_caller_stops_early(records: pd.DataFrame) -> None:
    before = _children()
    results = run_chunks(_chunks(records), AnalyzerSpec(taxonomy=load_taxonomy()), jobs=2)
    next(results)
    results.close()
    assert _children() - before == set()


def test_workers_started_early_wait_for_the_spec_and_end_unused(records: pd.DataFrame) -> None:
    from feedback_miner.engines import Workers

    before = _children()
    spec = AnalyzerSpec(taxonomy=load_taxonomy())
    with Workers(2) as workers:
        assert len(_children() - before) == 2
        early = list(run_chunks(_chunks(records), spec, workers=workers))
        # a complete run ends them at once, before their owner closes them
        assert _children() - before == set()
    assert _children() - before == set()
    late = list(run_chunks(_chunks(records), spec, jobs=1))
    for a, b in zip(early, late, strict=True):
        pd.testing.assert_frame_equal(a.docs, b.docs)
    with Workers(2):
        pass  # never given a spec: the workers end when they are closed
    assert _children() - before == set()
    with pytest.raises(ValueError) as error:
        Workers(1)
    assert str(error.value) == "Workers needs 2 or more processes; got 1."


def _pid(dictionaries: Dictionaries) -> int:
    assert dictionaries.rules.segmenter_ is not None  # the worker's own, loaded
    return os.getpid()


def _fail(dictionaries: Dictionaries, message: str) -> None:
    raise ValueError(message)


def _die(dictionaries: Dictionaries) -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def test_a_call_runs_in_a_worker_before_the_run_and_its_answer_comes_back(
    records: pd.DataFrame,
) -> None:
    """The analysis fits its sentiment adaptation this way while it fits the corpus models."""
    before = _children()
    with Workers(2) as workers:
        workers.call(_pid)
        assert workers.answer() in _children() - before
        workers.call(_fail, "没有评分列")
        with pytest.raises(ValueError, match="没有评分列"):
            workers.answer()
        docs = [part.unpack().docs for part in workers.run(_chunks(records), _spec())]
        assert sum(len(d) for d in docs) == len(records)
        with pytest.raises(RuntimeError) as info:
            workers.call(_pid)
        assert str(info.value) == "a call to the workers goes before their run."
    assert _children() - before == set()


def test_a_worker_killed_during_a_call_ends_it_with_a_message() -> None:
    before = _children()
    with Workers(2) as workers:
        workers.call(_die)
        with pytest.raises(WorkerError) as info:
            workers.answer()
    assert str(info.value) == (
        "a worker process was killed by signal 9 before finishing its part of the analysis "
        "(exit code -9); this usually means the machine ran out of memory. Try 1) fewer "
        "worker processes (--jobs 1), 2) splitting the input into smaller files."
    )
    assert _children() - before == set()
