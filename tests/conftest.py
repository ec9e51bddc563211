"""Shared fixtures. Building a jieba tokenizer or the sentiment segmenter takes
about a second, so the text stages are built once per test session and shared
read-only."""

from __future__ import annotations

from pathlib import Path

import pytest

from feedback_miner.pipeline import AnalyzerSpec, _stages
from feedback_miner.sentiment import SentimentScorer
from feedback_miner.themes import ThemeMatcher, load_taxonomy

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "samples"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def stages() -> tuple[SentimentScorer, ThemeMatcher]:
    """Scorer and matcher for the default taxonomy."""
    return _stages(AnalyzerSpec(taxonomy=load_taxonomy()))


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
