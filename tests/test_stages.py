"""Stages built from dictionaries loaded once are the stages built alone."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from feedback_miner.ingest import ingest_files
from feedback_miner.sentiment import SentimentScorer
from feedback_miner.stages import AnalyzerSpec, analyze_chunk, build_stages, load_dictionaries
from feedback_miner.text import split_clauses
from feedback_miner.themes import load_pack, load_taxonomy
from feedback_miner.themes.matcher import build_matcher


def test_stages_built_from_shared_dictionaries_tokenise_and_score_as_built_alone(
    samples_dir: Path,
) -> None:
    """One set of dictionaries serves two specs in turn (a worker's, reused), and neither
    build changes what the other sees."""
    texts = ingest_files([samples_dir / "service_tickets.csv"]).records["text"].tolist()
    clauses = [c for t in texts for c in split_clauses(t)]
    shared = load_dictionaries()
    for spec in (
        AnalyzerSpec(taxonomy=load_pack("restaurant")),
        AnalyzerSpec(taxonomy=load_taxonomy(), neutral_band=0.3),
    ):
        stages = build_stages(spec, shared)
        scorer = SentimentScorer(neutral_band=spec.neutral_band).fit()
        alone = build_matcher(spec.taxonomy, split_words=scorer.lexicon_.split_vocabulary())
        assert [stages.matcher.tokenizer_.cut(c) for c in clauses] == [
            alone.tokenizer_.cut(c) for c in clauses
        ]
        np.testing.assert_array_equal(stages.scorer.transform(texts), scorer.transform(texts))
        assert stages.scorer.predict(texts).tolist() == scorer.predict(texts).tolist()


def test_a_chunk_analysed_with_shared_dictionaries_gives_the_same_tables(
    samples_dir: Path,
) -> None:
    records = ingest_files([samples_dir / "service_tickets.csv"]).records
    spec = AnalyzerSpec(taxonomy=load_taxonomy())
    shared = load_dictionaries()
    build_stages(AnalyzerSpec(taxonomy=load_pack("ecommerce")), shared)  # used before
    first = analyze_chunk(records, build_stages(spec, shared))
    second = analyze_chunk(records, build_stages(spec))
    pd.testing.assert_frame_equal(first.docs, second.docs)
    pd.testing.assert_frame_equal(first.mentions, second.mentions)
