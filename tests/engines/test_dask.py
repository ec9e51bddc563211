"""The Dask engine on a real LocalCluster of two worker processes gives the local engine's tables."""

import pandas as pd
import pytest

from feedback_miner.cli import main
from feedback_miner.pipeline import analyze
from feedback_miner.result import LabelOptions

INPUTS = ("service_tickets.csv", "social_posts.csv")


@pytest.fixture
def dask_installed(require_tool) -> None:
    try:
        import dask.dataframe  # noqa: F401
        import distributed  # noqa: F401
    except ImportError:
        require_tool(False, "dask (pip install 'feedback-miner[dask]')")


def test_dask_engine_equals_local_engine(dask_installed, samples_dir) -> None:
    options = {
        "labels": LabelOptions(samples_dir / "churn_labels.csv"),
        "chunk_size": 150,  # several partitions per worker
        "with_summary": False,
    }
    inputs = [samples_dir / n for n in INPUTS]
    local = analyze(inputs, jobs=1, **options)
    seen: list[int] = []
    on_dask = analyze(inputs, jobs=2, engine="dask", on_progress=seen.append, **options)
    pd.testing.assert_frame_equal(local.docs, on_dask.docs)
    pd.testing.assert_frame_equal(local.mentions, on_dask.mentions)
    pd.testing.assert_frame_equal(local.attribution.table, on_dask.attribution.table)
    assert sum(seen) == len(local.docs) and len(seen) > 2
    assert on_dask.settings.engine == "dask"


def test_dask_workers_score_with_the_adaptation_fitted_once(dask_installed, samples_dir) -> None:
    """The survey's and tickets' ratings adapt sentiment; every Dask worker gets that model."""
    inputs = [samples_dir / n for n in ("survey_wjx.xlsx", *INPUTS)]
    local = analyze(inputs, jobs=1, with_summary=False)
    on_dask = analyze(inputs, jobs=2, engine="dask", chunk_size=200, with_summary=False)
    assert local.adaptation is not None and local.adaptation.adaptation is not None
    pd.testing.assert_frame_equal(local.docs, on_dask.docs)
    pd.testing.assert_frame_equal(local.mentions, on_dask.mentions)


def test_scheduler_without_dask_engine(capsys) -> None:
    assert main(["analyze", "x.csv", "--scheduler", "tcp://10.0.0.1:8786"]) == 2
    assert capsys.readouterr().err == (
        "feedback-miner: error: --scheduler tcp://10.0.0.1:8786 needs --engine dask: "
        "the local engine has no scheduler.\n"
    )


def test_unreachable_scheduler(dask_installed, samples_dir, capsys) -> None:
    code = main(
        [
            "analyze",
            str(samples_dir / "social_posts.csv"),
            "--engine",
            "dask",
            "--scheduler",
            "tcp://127.0.0.1:9",
            "--quiet",
        ]
    )
    assert code == 2
    err = capsys.readouterr().err
    assert err.startswith("feedback-miner: error: --scheduler tcp://127.0.0.1:9: cannot reach")
    assert err.endswith("Check the address (tcp://host:8786) and that the scheduler is running.\n")
