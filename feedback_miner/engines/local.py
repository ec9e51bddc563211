"""The local engine: the text stages in this process, or in ``jobs`` worker processes.

Each worker process builds the stages once, when it starts, and keeps them as
a local variable of its loop: nothing is cached at module level, and the main
process never holds a worker's scorer or matcher. Chunks are sent to the
workers as they free up and the results come back in input order.
"""

from __future__ import annotations

import logging
import multiprocessing
import queue
import signal
import sys
from collections.abc import Callable, Iterable, Iterator
from multiprocessing.process import BaseProcess
from typing import Any, NamedTuple

import pandas as pd

from ..beside import lost_worker, sendable
from ..stages import (
    AnalysedChunk,
    AnalyzerSpec,
    Dictionaries,
    analyze_chunk,
    build_stages,
    load_dictionaries,
)
from .collect import PackedChunk, compact_strings

__all__ = [
    "DEFAULT_CHUNK_SIZE",
    "Workers",
    "chunked",
    "run_chunks",
    "run_chunks_packed",
    "stream_chunks",
]

logger = logging.getLogger(__name__)

DEFAULT_CHUNK_SIZE = 2000
# how often the main process looks whether a worker died while it waits for results
_POLL_SECONDS = 0.5
# seconds a worker may take to finish after it was told to stop
_JOIN_SECONDS = 10.0


def chunked(frame: pd.DataFrame, size: int) -> Iterator[pd.DataFrame]:
    """``frame`` in consecutive slices of ``size`` rows."""
    for start in range(0, len(frame), size):
        yield frame.iloc[start : start + size]


def stream_chunks(
    parts: Iterable[pd.DataFrame], size: int, on_total: Callable[[int], None] | None = None
) -> Iterator[pd.DataFrame]:
    """Cut a stream of record blocks into chunks of ``size``, reporting the running total."""
    total = 0
    for part in parts:
        total += len(part)
        if on_total:
            on_total(total)
        yield from chunked(part, size)


def run_chunks(
    chunks: Iterable[pd.DataFrame],
    spec: AnalyzerSpec,
    *,
    jobs: int = 1,
    workers: Workers | None = None,
) -> Iterator[AnalysedChunk]:
    """:func:`~feedback_miner.stages.analyze_chunk` over ``chunks`` in ``jobs`` processes.

    Results come in input order, their columns of mostly distinct strings as Arrow
    strings (:func:`~feedback_miner.engines.collect.compact_strings`) whatever the
    number of processes. Chunks are taken from ``chunks`` only as
    workers become free (at most two per worker wait), so that a stream of
    records read block by block is analysed while it is being read, and
    memory holds a few chunks, not all.

    ``workers``, when given, are processes started earlier (:class:`Workers`):
    they are used instead of ``jobs`` new ones, and left running for their
    owner to close.

    Raises
    ------
    ValueError
        When ``jobs`` is less than 1.
    WorkerError
        When a worker process ends without finishing its chunk (killed, or out
        of memory).
    """
    for part in run_chunks_packed(chunks, spec, jobs=jobs, workers=workers):
        yield part.unpack() if isinstance(part, PackedChunk) else part


def run_chunks_packed(
    chunks: Iterable[pd.DataFrame],
    spec: AnalyzerSpec,
    *,
    jobs: int = 1,
    workers: Workers | None = None,
    dictionaries: Dictionaries | None = None,
) -> Iterator[AnalysedChunk | PackedChunk]:
    """:func:`run_chunks`, with the chunks that worker processes analysed left as they
    came, pickled (:class:`~feedback_miner.engines.collect.PackedChunk`): the collector
    keeps them on disk until the workers have ended, and only then rebuilds the tables.

    ``dictionaries`` this process loaded already build the stages of one job (the same
    stages, without building the segmenter a second time)."""
    if jobs < 1:
        raise ValueError(f"--jobs is {jobs}; it must be 1 or more.")
    if workers is not None:
        yield from workers.run(chunks, spec)
        return
    if jobs == 1:
        stages = build_stages(spec, dictionaries)
        for chunk in chunks:
            yield _compact(analyze_chunk(chunk, stages))
        return
    pool = Workers(jobs)
    try:
        yield from pool.run(chunks, spec)
    finally:
        pool.close()


def _compact(part: AnalysedChunk) -> AnalysedChunk:
    """An analysed chunk with its mostly distinct strings as Arrow strings: from a worker,
    it travels as Arrow buffers, and the main process never holds those strings as Python
    objects."""
    return AnalysedChunk(compact_strings(part.docs), compact_strings(part.mentions))


def _context() -> Any:
    """The start method, pinned: ``fork`` on Linux, ``spawn`` elsewhere (as Python does
    on macOS and Windows), whatever the Python version's default."""
    return multiprocessing.get_context("fork" if sys.platform.startswith("linux") else "spawn")


class Workers:
    """``jobs`` worker processes serving :func:`_serve`, fed through one task queue.

    They can be started before the analysis knows its stages: each loads the
    :class:`~feedback_miner.stages.Dictionaries` at once, then waits for the
    :class:`~feedback_miner.stages.AnalyzerSpec` on a queue of its own and
    builds its stages from both. Started at the beginning of an analysis, the
    workers are forked from a process that holds only its imports, not the
    records and corpus models read and fitted later, so their memory is their
    own stages and chunks. One run per instance; :meth:`close` ends them.
    """

    def __init__(self, jobs: int) -> None:
        if jobs < 2:
            raise ValueError(f"Workers needs 2 or more processes; got {jobs}.")
        context = _context()
        self.jobs = jobs
        self.tasks: Any = context.Queue()
        self.results: Any = context.Queue()
        self.specs: list[Any] = [context.Queue() for _ in range(jobs)]
        self.answers: list[Any] = [context.Queue() for _ in range(jobs)]
        self.workers: list[BaseProcess] = [
            context.Process(
                target=_serve, args=(specs, self.tasks, self.results, answers), daemon=True
            )
            for specs, answers in zip(self.specs, self.answers, strict=True)
        ]
        for worker in self.workers:
            worker.start()
        self.started = False
        self.finished = False
        self.closed = False

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def call(self, function: Callable[..., Any], *args: object, worker: int = 0) -> None:
        """Start ``function(dictionaries, *args)`` in worker number ``worker``, with its
        :class:`~feedback_miner.stages.Dictionaries`, before the run: a worker is idle
        until the spec comes, and this process can do other work meanwhile. :meth:`answer`
        waits for the result; a worker answers its calls in the order they were made."""
        if self.started:
            raise RuntimeError("a call to the workers goes before their run.")
        self.specs[worker].put(_Call(function, args))

    def answer(self, worker: int = 0) -> Any:
        """The result of worker ``worker``'s oldest unanswered :meth:`call`; an error raised
        in the call is raised here.

        Raises
        ------
        WorkerError
            When a worker process ended before answering (killed, or out of memory).
        """
        while True:
            try:
                done, value = self.answers[worker].get(timeout=_POLL_SECONDS)
            except queue.Empty:
                self._check_alive()
                continue
            if not done:
                raise value
            return value

    def run(self, chunks: Iterable[pd.DataFrame], spec: AnalyzerSpec) -> Iterator[PackedChunk]:
        """:func:`~feedback_miner.stages.analyze_chunk` over ``chunks``, in input order, each
        result as the worker pickled it."""
        if self.started:
            raise RuntimeError("these workers have run once already; start new ones.")
        self.started = True
        for specs in self.specs:
            specs.put(spec)
        ready: dict[int, PackedChunk] = {}
        sent = returned = 0
        for chunk in chunks:
            self.tasks.put((sent, chunk))
            sent += 1
            while sent - returned > 2 * self.jobs:
                yield self._wait_for(returned, ready)
                returned += 1
        while returned < sent:
            yield self._wait_for(returned, ready)
            returned += 1
        self.finished = True
        # one run per instance: the workers end now, so that their memory is gone before the
        # results are gathered into whole tables
        self.close()

    def _wait_for(self, index: int, ready: dict[int, PackedChunk]) -> PackedChunk:
        while index not in ready:
            try:
                position, part, error = self.results.get(timeout=_POLL_SECONDS)
            except queue.Empty:
                self._check_alive()
                continue
            if error is not None:
                raise error
            ready[position] = part
        return ready.pop(index)

    def _check_alive(self) -> None:
        dead = [w for w in self.workers if not w.is_alive()]
        if dead:
            raise lost_worker(dead[0].exitcode)

    def close(self) -> None:
        """Stop the workers: politely after a complete run, at once otherwise (before a run
        they hold nothing but their dictionaries).

        A complete run stops them itself; closing again does nothing.
        """
        if self.closed:
            return
        self.closed = True
        if self.finished:
            for _ in self.workers:
                self.tasks.put(None)
            for worker in self.workers:
                worker.join(_JOIN_SECONDS)
        for worker in self.workers:
            if worker.is_alive():
                worker.terminate()
                worker.join(_JOIN_SECONDS)
        for channel in (self.tasks, self.results, *self.answers, *self.specs):
            channel.cancel_join_thread()  # never wait on data no process will read
            channel.close()


class _Call(NamedTuple):
    """A function a worker runs before the spec comes (see :meth:`Workers.call`)."""

    function: Callable[..., Any]
    args: tuple[object, ...]

    def run(self, dictionaries: Dictionaries | None) -> tuple[bool, Any]:
        """(True, the result), or (False, the error raised)."""
        try:
            return True, self.function(dictionaries, *self.args)
        except Exception as error:
            return False, sendable(error)


def _serve(specs: Any, tasks: Any, results: Any, answers: Any) -> None:
    """A worker's loop: load the dictionaries, answer calls until the spec comes, build the
    stages once, then analyse chunks until told to stop."""
    # Ctrl+C reaches every process of the group: the main process handles it and ends the workers
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        # loaded while the main process reads and fits what the spec holds
        dictionaries: Dictionaries | None = load_dictionaries()
        spec = specs.get()
        while isinstance(spec, _Call):
            answers.put(spec.run(dictionaries))
            spec = specs.get()
        if spec is None:
            return
        stages = build_stages(spec, dictionaries)
        dictionaries = None  # the stages keep what they share of it
    except Exception as error:
        results.put((-1, None, sendable(error)))
        return
    while True:
        task = tasks.get()
        if task is None:
            return
        index, chunk = task
        try:
            results.put((index, PackedChunk.of(_compact(analyze_chunk(chunk, stages))), None))
        except Exception as error:
            results.put((index, None, sendable(error)))
