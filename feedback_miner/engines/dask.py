"""The Dask engine: the text stages mapped over the partitions of a Dask DataFrame,
on a local cluster or an existing scheduler.

Each partition is analysed by the same pure function as in the local engine
(:func:`~feedback_miner.stages.analyze_chunk`), and the parts are put back in
partition order, so the tables are identical to the local engine's. Each
worker builds the stages once, in a worker plugin registered for the run and
removed after it. Needs the ``dask`` extra: ``pip install 'feedback-miner[dask]'``;
this module imports Dask, so import it only after
:func:`~feedback_miner.engines.requirements.require_dask`.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from typing import Any

import dask
import dask.dataframe as dd
import pandas as pd
from distributed import Client, LocalCluster, WorkerPlugin, as_completed, get_worker

from ..errors import FeedbackMinerError
from ..stages import AnalysedChunk, AnalyzerSpec, Stages, analyze_chunk, build_stages

__all__ = ["run_partitions"]

logger = logging.getLogger(__name__)


class _StagesPlugin(WorkerPlugin):
    """Builds the stages of one run on each worker, once, when the worker joins the run."""

    def __init__(self, spec: AnalyzerSpec) -> None:
        self.spec = spec
        self.stages: Stages | None = None

    def setup(self, worker: Any) -> None:
        self.stages = build_stages(self.spec)

    def teardown(self, worker: Any) -> None:
        self.stages = None


def _analyze_partition(part: pd.DataFrame, plugin_name: str) -> AnalysedChunk:
    plugin = get_worker().plugins[plugin_name]
    if not isinstance(plugin, _StagesPlugin) or plugin.stages is None:
        raise RuntimeError(f"the Dask worker has no stages for this run ({plugin_name})")
    return analyze_chunk(part, plugin.stages)


def run_partitions(
    records: pd.DataFrame,
    spec: AnalyzerSpec,
    *,
    scheduler: str | None = None,
    workers: int = 2,
    chunk_size: int = 2000,
    on_progress: Callable[[int], None] | None = None,
) -> list[AnalysedChunk]:
    """Analyse ``records`` on Dask; return the tables of every partition, in order.

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
    plugin_name = f"feedback-miner-stages-{uuid.uuid4().hex}"
    # keep pandas' own dtypes: Dask would turn text columns into Arrow strings
    with dask.config.set({"dataframe.convert-string": False}):
        frame = dd.from_pandas(records, chunksize=max(chunk_size, 1), sort=False)
        parts = [dask.delayed(_analyze_partition)(part, plugin_name) for part in frame.to_delayed()]
    cluster = None
    try:
        if scheduler:
            try:
                client = Client(scheduler, timeout=10)
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
            client.register_plugin(_StagesPlugin(spec), name=plugin_name)
            try:
                results = _gather(client, parts, on_progress)
            finally:
                client.unregister_worker_plugin(plugin_name)
    finally:
        if cluster is not None:
            cluster.close()
    logger.info("dask: %d partitions analysed", len(results))
    return results


def _gather(
    client: Any, parts: list[Any], on_progress: Callable[[int], None] | None
) -> list[AnalysedChunk]:
    futures = client.compute(parts)
    index = {future.key: i for i, future in enumerate(futures)}
    results: list[AnalysedChunk | None] = [None] * len(futures)
    for future, value in as_completed(futures, with_results=True):
        results[index[future.key]] = value
        if on_progress:
            on_progress(len(value.docs))  # one document per record
    return [r for r in results if r is not None]
