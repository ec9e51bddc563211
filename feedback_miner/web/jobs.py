"""Analysis jobs of the web service: one folder each, run in a pool of worker processes.

A job's folder holds its uploads (``inputs/<n>/<name>``, ``labels/``,
``taxonomy.toml``), its outputs (``out/``) and ``progress.json``, which the
worker rewrites as it goes and the service reads to answer status requests.
Folders of finished jobs are removed once they are older than the keep time.

The jobs run in a :class:`~feedback_miner.web.workers.WorkerPool`: a job whose
process dies is marked failed with a message, and the next job gets a new
process. Every folder lives under the store's root, a folder the service made
for itself; stopping the store removes that root and nothing else.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import secrets
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from ..errors import FeedbackMinerError, OutputError
from .messages import environment_failure, job_crashed, server_stopping, without_paths
from .page_fields import for_page
from .workers import PoolStopped, Task, WorkerDied, WorkerPool

__all__ = ["OUTPUT_FILES", "JobSpec", "JobStore", "run_job"]

logger = logging.getLogger(__name__)

# overview.json is what the page shows of a finished run (see overview.py)
OUTPUT_FILES = (
    "report.xlsx",
    "docs.csv",
    "mentions.csv",
    "attribution.csv",
    "features.csv",
    "features.xlsx",
    "features.parquet",
    "overview.json",
)
JobStatus = Literal["queued", "running", "done", "failed"]


@dataclass(frozen=True)
class JobSpec:
    """What one job analyses and how (the CLI's options, as plain values)."""

    inputs: tuple[str, ...]
    labels: str | None = None
    taxonomy: str | None = None
    text_cols: tuple[str, ...] = ()
    id_col: str | None = None
    time_col: str | None = None
    source: str = "auto"
    label_col: str | None = None
    label_id_col: str | None = None
    churn_date_col: str | None = None
    lang: str = "zh"
    # per input (same order): its own text, user id and time column, chosen on the page
    per_file: tuple[tuple[tuple[str, ...], str | None, str | None], ...] = ()


def _write_progress(folder: Path, progress: float, stage: str) -> None:
    temporary = folder / "progress.json.tmp"
    temporary.write_text(json.dumps({"progress": round(progress, 3), "stage": stage}))
    os.replace(temporary, folder / "progress.json")


def run_job(folder: str, spec: JobSpec) -> tuple[list[str], str | None]:
    """Analyse one job in a worker process; return the files written and an error message.

    A user's mistake (a corrupt file, a missing column) comes back as the same
    message the command line prints; a failure of the server's environment
    (disk full, a read-only folder, memory) as a message that says what to do
    (:func:`~feedback_miner.web.messages.environment_failure`). Nothing is
    raised, and no message holds a path of the server.
    """
    home = Path(folder)
    try:
        written = _analyse(home, spec)
    except OutputError as error:  # the job's own folder: the server's environment, not the file
        logger.error("job %s: %s", home.name, error)
        cause = error.__context__  # the operating system's error, which says what failed
        message = environment_failure(cause if isinstance(cause, OSError) else error, folder)
    except FeedbackMinerError as error:
        message = for_page(without_paths(_uploads_by_name(str(error), spec), folder))
    except Exception as error:  # the service stays up; the log has the traceback
        logger.exception("job %s failed", home.name)
        message = environment_failure(error, folder)
    else:
        _write_progress(home, 1.0, "done")
        return written, None
    # the disk that made the job fail may refuse this too; the answer goes all the same
    with contextlib.suppress(OSError):
        _write_progress(home, 1.0, "failed")
    return [], message


def _analyse(home: Path, spec: JobSpec) -> list[str]:
    from ..features import features_of
    from ..ingest import FileColumns, IngestOptions
    from ..pipeline import analyze
    from ..report import build_report, write_table_file, write_table_workbook
    from ..result import LabelOptions
    from .overview import page_overview

    out = home / "out"
    out.mkdir(exist_ok=True)
    done = 0
    total = 1

    def set_total(n: int) -> None:
        nonlocal total
        total = max(n, 1)
        _write_progress(home, 0.1, "text")

    def advance(n: int) -> None:
        nonlocal done
        done += n
        _write_progress(home, 0.1 + 0.7 * done / total, "text")

    _write_progress(home, 0.02, "ingest")
    result = analyze(
        [Path(p) for p in spec.inputs],
        labels=LabelOptions(
            Path(spec.labels),
            id_col=spec.label_id_col,
            churn_col=spec.label_col,
            date_col=spec.churn_date_col,
        )
        if spec.labels
        else None,
        taxonomy=spec.taxonomy,
        ingest_options=IngestOptions(
            text_cols=spec.text_cols,
            user_id_col=spec.id_col,
            time_col=spec.time_col,
            source=spec.source,
            per_file=tuple(
                (path, FileColumns(text_cols=texts, user_id_col=user, time_col=when))
                for path, (texts, user, when) in zip(spec.inputs, spec.per_file, strict=False)
            ),
        ),
        on_total=set_total,
        on_progress=advance,
    )
    _write_progress(home, 0.85, "report")
    written = ["report.xlsx", "docs.csv", "mentions.csv"]
    build_report(result, out / "report.xlsx", lang=spec.lang)  # type: ignore[arg-type]
    write_table_file(result.docs, out / "docs.csv")
    write_table_file(result.mentions, out / "mentions.csv")
    if result.attribution is not None:
        write_table_file(result.attribution.table, out / "attribution.csv")
        written.append("attribution.csv")
    features = features_of(result)
    write_table_file(features, out / "features.csv")
    write_table_workbook(features, out / "features.xlsx", title="features")
    write_table_file(features, out / "features.parquet")
    written += ["features.csv", "features.xlsx", "features.parquet"]
    overview = out / "overview.json"
    overview.write_text(json.dumps(page_overview(result), ensure_ascii=False), encoding="utf-8")
    written.append("overview.json")
    return written


def _uploads_by_name(message: str, spec: JobSpec) -> str:
    """The message with each upload named as the user named it, not by its server path."""
    for path in (*spec.inputs, spec.labels, spec.taxonomy):
        if path:
            message = message.replace(path, Path(path).name)
    return message


@dataclass
class _Job:
    id: str
    folder: Path
    created: float
    task: Task
    finished: float | None = None


class JobStore:
    """The jobs of one running service.

    Parameters
    ----------
    root : Path
        A folder the service made for its jobs (each gets a folder inside);
        :meth:`shutdown` removes it with everything in it.
    workers : int
        Worker processes; this many jobs run at once, the others wait.
    keep_seconds : float
        Finished jobs and their files are removed this long after finishing.
    """

    def __init__(self, root: Path, workers: int = 2, keep_seconds: float = 3600.0) -> None:
        self.root = root
        self.workers = workers
        self.keep_seconds = keep_seconds
        self._jobs: dict[str, _Job] = {}
        self._lock = threading.Lock()
        self._pool = WorkerPool(workers, preload=(__name__,), name="job")
        self._stopped = False

    def new_folder(self) -> tuple[str, Path]:
        """A fresh job id and its (empty) folder.

        Raises
        ------
        PoolStopped
            When the store was shut down (its root is gone and stays gone).
        """
        self._check_running()
        job_id = secrets.token_hex(8)
        folder = self.root / job_id
        folder.mkdir()
        return job_id, folder

    def scratch_folder(self, prefix: str) -> Path:
        """A new empty folder under the root for work that is not a job (a preview)."""
        self._check_running()
        return Path(tempfile.mkdtemp(prefix=prefix, dir=self.root))

    def _check_running(self) -> None:
        if self._stopped:
            raise PoolStopped("the service was stopped")

    def submit(self, job_id: str, folder: Path, spec: JobSpec) -> None:
        """Queue the analysis of ``spec``.

        Raises
        ------
        PoolStopped
            When the service is stopping.
        """
        _write_progress(folder, 0.0, "queued")
        task = self._pool.submit(run_job, str(folder), spec)
        job = _Job(job_id, folder, time.time(), task)
        with self._lock:
            self._jobs[job_id] = job
        task.future.add_done_callback(lambda _: setattr(job, "finished", time.time()))

    def status(self, job_id: str) -> dict[str, Any] | None:
        """The job's status as the API returns it, or None for an unknown id."""
        self.sweep()
        with self._lock:
            job = self._jobs.get(job_id)
        if job is None:
            return None
        files: list[str] = []
        error: str | None = None
        state: JobStatus
        progress = _read_progress(job.folder)
        future = job.task.future
        if future.done():
            try:
                files, error = future.result()
            except WorkerDied as died:
                error = job_crashed(died)
            except PoolStopped:
                error = server_stopping()
            except Exception as failure:  # the call itself could not run in the worker
                error = environment_failure(failure, str(self.root))
            state = "failed" if error else "done"
            progress = 1.0
        elif job.task.pid is not None:
            state = "running"
        else:
            state = "queued"
        return {"id": job_id, "status": state, "progress": progress, "error": error, "files": files}

    def worker_pid(self, job_id: str) -> int | None:
        """The process id of the worker running the job; None when it waits or finished."""
        with self._lock:
            job = self._jobs.get(job_id)
        if job is None or job.task.future.done():
            return None
        return job.task.pid

    def output(self, job_id: str, name: str) -> Path | None:
        """The path of an output of a finished job, or None."""
        status = self.status(job_id)
        if status is None or name not in status["files"]:
            return None
        return self._jobs[job_id].folder / "out" / name

    def sweep(self, now: float | None = None) -> list[str]:
        """Remove jobs that finished more than ``keep_seconds`` ago; return their ids."""
        now = time.time() if now is None else now
        with self._lock:
            expired = [
                j
                for j in self._jobs.values()
                if j.finished is not None and now - j.finished > self.keep_seconds
            ]
            for job in expired:
                del self._jobs[job.id]
        for job in expired:
            shutil.rmtree(job.folder, ignore_errors=True)
            logger.info("removed job %s", job.id)
        return [j.id for j in expired]

    def worker_pids(self) -> list[int]:
        """Process ids of the job workers alive now."""
        return self._pool.pids()

    def shutdown(self) -> None:
        """Fail the jobs that wait or run, end the workers, remove the root folder."""
        self._stopped = True
        self._pool.shutdown()
        shutil.rmtree(self.root, ignore_errors=True)


def _read_progress(folder: Path) -> float:
    try:
        return float(json.loads((folder / "progress.json").read_text())["progress"])
    except (OSError, ValueError, KeyError):
        return 0.0
