"""The Dask engine: :func:`~feedback_miner.pipeline.analyze_chunk` mapped over the
partitions of a Dask DataFrame, on a local cluster or an existing scheduler.

Each partition is analysed by the same pure function as in the local engine,
and the parts are put back in partition order, so the tables are identical to
the local engine's. Needs the ``dask`` extra: ``pip install 'feedback-miner[dask]'``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

import pandas as pd

from .errors import FeedbackMinerError

if TYPE_CHECKING:
    from .pipeline import AnalyzerSpec

__all__ = ["analyze_records_dask", "require_dask"]

logger = logging.getLogger(__name__)


def require_dask() -> None:
    """Raise a clear error when Dask's DataFrame or distributed scheduler is missing."""
    try:
        import dask.dataframe  # noqa: F401
        import distributed  # noqa: F401
    except ImportError:
        raise FeedbackMinerError(
            "--engine dask needs Dask (dask[dataframe] and distributed), which is not installed. "
            "Install it with: pip install 'feedback-miner[dask]'"
        ) from None


def analyze_records_dask(
    records: pd.DataFrame,
    spec: AnalyzerSpec,
    *,
    scheduler: str | None = None,
    workers: int = 2,
    chunk_size: int = 2000,
    on_progress: Callable[[int], None] | None = None,
) -> list[tuple[pd.DataFrame, pd.DataFrame]]:
    """Analyse ``records`` on Dask; return the (docs, mentions) part of every partition, in order.

    Parameters
    ----------
    records : pandas.DataFrame
        Canonical records.
    spec : AnalyzerSpec
        Taxonomy and thresholds.
    scheduler : str, optional
        Address of a running Dask scheduler (``tcp://host:8786``); without it a
        local cluster of ``workers`` single-threaded worker processes is started.
    workers : int
        Worker processes of the local cluster.
    chunk_size : int
        Rows per partition.
    on_progress : callable, optional
        Called with the number of records of each partition as it finishes.
    """
    require_dask()
    import dask
    import dask.dataframe as dd
    from distributed import Client, LocalCluster, as_completed

    from .pipeline import analyze_chunk

    # keep pandas' own dtypes: Dask would turn text columns into Arrow strings
    with dask.config.set({"dataframe.convert-string": False}):
        frame = dd.from_pandas(records, chunksize=max(chunk_size, 1), sort=False)
        parts = [dask.delayed(analyze_chunk)(part, spec) for part in frame.to_delayed()]
    cluster = None
    try:
        if scheduler:
            try:
                client = Client(scheduler, timeout=30)
            except OSError as error:
                raise FeedbackMinerError(
                    f"--scheduler {scheduler}: cannot reach the Dask scheduler ({error}). "
                    "Check the address (tcp://host:8786) and that the scheduler is running."
                ) from None
        else:
            cluster = LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
            )
            client = Client(cluster)
        with client:
            futures = client.compute(parts)
            index = {future.key: i for i, future in enumerate(futures)}
            results: list[tuple[pd.DataFrame, pd.DataFrame] | None] = [None] * len(futures)
            for future, value in as_completed(futures, with_results=True):
                i = index[future.key]
                results[i] = value
                if on_progress:
                    on_progress(len(value[0]))  # one document per record
    finally:
        if cluster is not None:
            cluster.close()
    logger.info("dask: %d partitions analysed", len(results))
    return [r for r in results if r is not None]
