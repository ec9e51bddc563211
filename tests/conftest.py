"""Shared fixtures. Building a jieba tokenizer or the sentiment segmenter takes
about a second, so the text stages are built once per test session and shared
read-only.

The run keeps its built objects (:mod:`feedback_miner.cache`) in a folder of its
own, shared by the xdist workers and the commands the tests start, and removed
at the end: the tests never read or write the user's cache."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest

from feedback_miner.cache import CACHE_VARIABLE
from feedback_miner.sentiment import SentimentScorer
from feedback_miner.stages import AnalyzerSpec, build_stages
from feedback_miner.themes import ThemeMatcher, load_taxonomy

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "samples"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# the run's cache folder, and the variable's value before the run
_CACHE_FOLDER = pytest.StashKey[tuple[str, "str | None"]]()


def pytest_configure(config: pytest.Config) -> None:
    # the controller (or a run without xdist) makes the folder; the workers it starts
    # afterwards inherit the variable
    if hasattr(config, "workerinput"):
        return
    folder = tempfile.mkdtemp(prefix="feedback-miner-test-cache-")
    config.stash[_CACHE_FOLDER] = (folder, os.environ.get(CACHE_VARIABLE))
    os.environ[CACHE_VARIABLE] = folder


def pytest_unconfigure(config: pytest.Config) -> None:
    if _CACHE_FOLDER not in config.stash:
        return
    folder, before = config.stash[_CACHE_FOLDER]
    shutil.rmtree(folder, ignore_errors=True)
    if before is None:
        os.environ.pop(CACHE_VARIABLE, None)
    else:
        os.environ[CACHE_VARIABLE] = before


@pytest.fixture(scope="session")
def stages() -> tuple[SentimentScorer, ThemeMatcher]:
    """Scorer and matcher for the default taxonomy."""
    built = build_stages(AnalyzerSpec(taxonomy=load_taxonomy()))
    return built.scorer, built.matcher


@pytest.fixture(scope="session")
def scorer(stages: tuple[SentimentScorer, ThemeMatcher]) -> SentimentScorer:
    return stages[0]


@pytest.fixture(scope="session")
def matcher(stages: tuple[SentimentScorer, ThemeMatcher]) -> ThemeMatcher:
    return stages[1]


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    return SAMPLES


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    return FIXTURES


@pytest.fixture(scope="session")
def require_tool() -> Callable[[bool, str], None]:
    """Skip a test whose outside tool is missing, or fail it where CI says tools are
    required (``FEEDBACK_MINER_REQUIRE_TOOLS=1``, set by `.ci/run`)."""

    def require(available: bool, what: str) -> None:
        if available:
            return
        if os.environ.get("FEEDBACK_MINER_REQUIRE_TOOLS"):
            pytest.fail(f"{what} is missing")
        pytest.skip(f"{what} is missing")

    return require
