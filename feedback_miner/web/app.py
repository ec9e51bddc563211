"""The FastAPI application: the upload page and the job API of DESIGN.md.

No ``from __future__ import annotations`` here: FastAPI reads the route
functions' annotations at run time, including those naming local dependencies.
"""

import asyncio
import base64
import errno
import hashlib
import logging
import re
import shutil
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from importlib.resources import files as package_files
from pathlib import Path
from typing import Annotated, Any

from fastapi import FastAPI, File, Form, HTTPException, UploadFile
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, Response

from .. import __version__
from ..errors import FeedbackMinerError, invalid_choice_message
from .guard import GuardSettings, RequestGuard
from .jobs import OUTPUT_FILES, JobSpec, JobStore
from .messages import environment_failure, server_stopping
from .page_fields import COLUMNS_FIELD, per_file_columns
from .sandbox import PreviewSandbox
from .workers import PoolStopped

__all__ = ["WebSettings", "create_app", "safe_name"]

logger = logging.getLogger(__name__)

_CHUNK = 1 << 20
_STATIC = {"page.js": "text/javascript", "page.css": "text/css"}
_JOB_ID = re.compile(r"[0-9a-f]{16}")
_MEDIA = {
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".csv": "text/csv; charset=utf-8",
    ".parquet": "application/vnd.apache.parquet",
    ".json": "application/json",
}
# bytes of a stored file name: file systems allow 255, and UTF-8 Chinese takes 3 a character
NAME_BYTES = 200
_SUFFIX_BYTES = 16
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)
# the documentation pages load Swagger UI and ReDoc from their CDN, as FastAPI serves them
_CDN = "https://cdn.jsdelivr.net"


@dataclass(frozen=True)
class WebSettings:
    """How the service runs.

    Attributes
    ----------
    max_upload_mb : float
        Largest request body accepted (all files of one upload together); 413 above.
    keep_minutes : float
        Finished jobs and their files are removed this long after finishing.
    workers : int
        Analyses that run at once, each in its own process.
    token : str or None
        When set, every request but the page's needs ``Authorization: Bearer <token>``.
    jobs_dir : Path or None
        The folder in which the service makes its own jobs folder (the system's
        temporary folder when not given). Only that folder is ever removed.
    allowed_hosts : tuple of str
        Host names the service answers to besides IP addresses and ``localhost``.
    preview_seconds : float
        Time one preview may take in its worker process.
    preview_memory_mb : float
        Address space of a preview's worker process.
    preview_workers : int
        Previews read at once.
    """

    max_upload_mb: float = 200.0
    keep_minutes: float = 60.0
    workers: int = 2
    token: str | None = None
    jobs_dir: Path | None = None
    allowed_hosts: tuple[str, ...] = ()
    preview_seconds: float = 60.0
    preview_memory_mb: float = 2048.0
    preview_workers: int = 2


def safe_name(name: str | None, fallback: str) -> str:
    """A file name from the client made harmless: its last part, no separators or dots first.

    Names are cut to :data:`NAME_BYTES` bytes of UTF-8 (keeping the extension),
    so that a long Chinese name fits the file system's 255 bytes.

    Examples
    --------
    >>> safe_name("../../etc/passwd", "upload")
    'passwd'
    >>> safe_name("C:\\\\导出\\\\问卷 1.xlsx", "upload")
    '问卷_1.xlsx'
    >>> safe_name("..", "upload")
    'upload'
    >>> len(safe_name("长" * 300 + ".xlsx", "upload").encode())
    200
    """
    last = re.split(r"[\\/]", name or "")[-1]
    cleaned = re.sub(r"[^\w.\-]", "_", last).lstrip(".")
    stem, dot, extension = cleaned.rpartition(".")
    if not dot or not stem or len(extension.encode()) > _SUFFIX_BYTES:
        stem, extension = cleaned, ""
    else:
        extension = "." + extension
    budget = NAME_BYTES - len(extension.encode())
    stem = stem.encode()[:budget].decode("utf-8", errors="ignore")
    return stem + extension if stem else fallback


def create_app(settings: WebSettings | None = None) -> FastAPI:
    """The web application with its own jobs folder, job store and worker pools.

    Raises
    ------
    FeedbackMinerError
        When the jobs folder cannot be made in ``settings.jobs_dir``.
    """
    from ..ingest.records import SOURCES
    from ..report.i18n import LANGUAGES

    settings = settings or WebSettings()
    root = _make_root(settings.jobs_dir)
    store = JobStore(root, settings.workers, settings.keep_minutes * 60)
    previews = PreviewSandbox(
        workers=settings.preview_workers,
        seconds=settings.preview_seconds,
        memory_mb=settings.preview_memory_mb,
    )

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        try:
            yield
        finally:
            previews.shutdown()
            store.shutdown()

    app = FastAPI(
        title="feedback-miner",
        summary="流失原因挖掘: upload feedback exports, download the churn reason report",
        description="With a token, send `Authorization: Bearer <token>` on every request.",
        version=__version__,
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    app.state.store = store
    app.state.previews = previews
    app.state.settings = settings
    app.add_middleware(
        RequestGuard,
        settings=GuardSettings(
            token=settings.token,
            max_body_bytes=int(settings.max_upload_mb * 2**20),
            allowed_hosts=frozenset(h.lower() for h in settings.allowed_hosts),
        ),
    )

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def page() -> str:
        return _static("index.html")

    @app.get("/static/{name}", include_in_schema=False)
    def static(name: str) -> Response:
        if name not in _STATIC:
            raise HTTPException(404, "no such file")
        return Response(_static(name), media_type=_STATIC[name])

    @app.get("/docs", include_in_schema=False)
    def swagger() -> HTMLResponse:
        return _with_docs_policy(
            get_swagger_ui_html(openapi_url="/openapi.json", title="feedback-miner API")
        )

    @app.get("/redoc", include_in_schema=False)
    def redoc() -> HTMLResponse:
        return _with_docs_policy(
            get_redoc_html(openapi_url="/openapi.json", title="feedback-miner API")
        )

    @app.get("/api/config")
    def config() -> dict[str, Any]:
        """What the page needs to know: whether a token is required, the upload limit."""
        return {
            "token_required": settings.token is not None,
            "max_upload_mb": settings.max_upload_mb,
            "outputs": list(OUTPUT_FILES),
        }

    @app.post("/api/preview")
    async def preview(file: Annotated[UploadFile, File()]) -> dict[str, Any]:
        """Detect one export's format, encoding, platform and column roles.

        Read in a worker process with a time and a memory limit: a file that
        exceeds them gets 422 with a message, the server goes on.
        """
        try:
            folder = store.scratch_folder("preview-")
        except PoolStopped:
            raise HTTPException(503, server_stopping()) from None
        path = folder / safe_name(file.filename, "upload")
        try:
            await _save(file, path)
            return await previews.describe(path)
        except FeedbackMinerError as error:
            raise HTTPException(422, str(error)) from None
        except PoolStopped:
            raise HTTPException(503, server_stopping()) from None
        except HTTPException:
            raise
        except Exception as error:  # a fault of ours, not of the file; the worker logged it
            message = f"{path.name}: {environment_failure(error, str(root))}"
            raise HTTPException(500, message) from None
        finally:
            await asyncio.to_thread(shutil.rmtree, folder, True)

    @app.post("/api/jobs", status_code=202)
    async def submit(
        files: Annotated[list[UploadFile], File(description="one or more exports")],
        labels: Annotated[UploadFile | None, File(description="churn label file")] = None,
        taxonomy: Annotated[UploadFile | None, File(description="taxonomy TOML")] = None,
        text_col: Annotated[list[str] | None, Form()] = None,
        id_col: Annotated[str | None, Form()] = None,
        time_col: Annotated[str | None, Form()] = None,
        source: Annotated[str, Form(description=" | ".join(SOURCES))] = "auto",
        label_col: Annotated[str | None, Form()] = None,
        label_id_col: Annotated[str | None, Form()] = None,
        churn_date_col: Annotated[str | None, Form()] = None,
        lang: Annotated[str, Form(description=" | ".join(LANGUAGES))] = "zh",
        columns: Annotated[str | None, Form(description=COLUMNS_FIELD)] = None,
    ) -> dict[str, str]:
        """Start an analysis; poll ``GET /api/jobs/{id}`` for its progress."""
        for field, value, choices in (("source", source, SOURCES), ("lang", lang, LANGUAGES)):
            if value not in choices:
                raise HTTPException(422, invalid_choice_message(field, value, choices))
        try:
            per_file = per_file_columns(columns, len(files))
        except ValueError as error:
            raise HTTPException(422, str(error)) from None
        try:
            job_id, folder = store.new_folder()
        except PoolStopped:
            raise HTTPException(503, server_stopping()) from None
        try:
            inputs = []
            for i, upload in enumerate(files, start=1):
                # each upload in a numbered folder: two files of the same name stay apart
                path = folder / "inputs" / str(i) / safe_name(upload.filename, f"export{i}")
                await _save(upload, path)
                inputs.append(str(path))
            label_path = taxonomy_path = None
            if labels is not None and labels.filename:
                label_path = folder / "labels" / safe_name(labels.filename, "labels")
                await _save(labels, label_path)
            if taxonomy is not None and taxonomy.filename:
                taxonomy_path = folder / "taxonomy.toml"
                await _save(taxonomy, taxonomy_path)
            spec = JobSpec(
                inputs=tuple(inputs),
                labels=str(label_path) if label_path else None,
                taxonomy=str(taxonomy_path) if taxonomy_path else None,
                text_cols=tuple(c for c in (text_col or []) if c),
                id_col=id_col or None,
                time_col=time_col or None,
                source=source,
                label_col=label_col or None,
                label_id_col=label_id_col or None,
                churn_date_col=churn_date_col or None,
                lang=lang,
                per_file=per_file,
            )
            store.submit(job_id, folder, spec)
        except BaseException as error:  # nothing of a refused upload stays behind
            await asyncio.to_thread(shutil.rmtree, folder, True)
            if isinstance(error, PoolStopped):
                raise HTTPException(503, server_stopping()) from None
            if isinstance(error, OSError):  # writing the job's progress file
                raise _storage_refused(error, folder) from None
            raise
        logger.info("job %s: %d file(s)", job_id, len(inputs))
        return {"id": job_id, "status": "queued"}

    @app.get("/api/jobs/{job_id}")
    def status(job_id: str) -> dict[str, Any]:
        """Status, progress (0 to 1), error message and the files ready to download."""
        found = store.status(job_id) if _JOB_ID.fullmatch(job_id) else None
        if found is None:
            raise HTTPException(
                404, f"no job {job_id!r} (finished jobs are removed after a while)."
            )
        return found

    @app.get("/api/jobs/{job_id}/files/{name}")
    def download(job_id: str, name: str) -> FileResponse:
        """One output of a finished job: report.xlsx, docs.csv, mentions.csv ..."""
        if name not in OUTPUT_FILES or not _JOB_ID.fullmatch(job_id):
            raise HTTPException(404, f"no file {name!r}; the files are {', '.join(OUTPUT_FILES)}.")
        path = store.output(job_id, name)
        if path is None:
            raise HTTPException(404, f"job {job_id!r} has no file {name!r} (yet).")
        return FileResponse(path, media_type=_MEDIA[path.suffix], filename=name)

    return app


def _make_root(parent: Path | None) -> Path:
    """A new folder for this service's jobs, inside ``parent`` (never ``parent`` itself)."""
    try:
        return Path(tempfile.mkdtemp(prefix="feedback-miner-jobs-", dir=parent))
    except OSError as error:
        where = parent if parent is not None else Path(tempfile.gettempdir())
        raise FeedbackMinerError(
            f"cannot make the jobs folder in {where} ({error.strerror or error}). "
            "Give --jobs-dir a folder this user can write to."
        ) from None


async def _save(upload: UploadFile, path: Path) -> None:
    """Copy an upload to ``path``."""
    try:
        await asyncio.to_thread(path.parent.mkdir, parents=True, exist_ok=True)
        with path.open("wb") as target:
            while chunk := await upload.read(_CHUNK):
                target.write(chunk)
    except OSError as error:
        raise _storage_refused(error, path) from None


def _storage_refused(error: OSError, path: Path) -> HTTPException:
    """What to tell the user when the server cannot store an upload: 507 for a full disk."""
    logger.error("cannot store the upload %s: %s", path, error)
    if error.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return HTTPException(
            507,
            "服务器磁盘已满，无法保存上传的文件。请管理员清理磁盘后再上传。\nThe server's disk is "
            "full: the upload cannot be stored. Ask the administrator to free space on the disk "
            "of the jobs folder, then upload again.",
        )
    reason = error.strerror or type(error).__name__
    return HTTPException(
        500,
        f"服务器无法保存上传的文件（{reason}）。请管理员检查任务文件夹。"
        f"\nThe server cannot store the upload ({reason}). "
        "Ask the administrator to check the jobs folder (--jobs-dir).",
    )


def _with_docs_policy(page: HTMLResponse) -> HTMLResponse:
    """A documentation page with a Content-Security-Policy that lets exactly its scripts run."""
    html = bytes(page.body).decode("utf-8")
    hashes = " ".join(
        f"'sha256-{base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()}'"
        for script in _INLINE_SCRIPT.findall(html)
    )
    page.headers["Content-Security-Policy"] = (
        f"default-src 'self'; script-src 'self' {_CDN} {hashes}; "
        f"style-src 'self' 'unsafe-inline' {_CDN} https://fonts.googleapis.com; "
        "font-src https://fonts.gstatic.com; img-src 'self' data: https:; worker-src blob:; "
        "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
    )
    return page


def _static(name: str) -> str:
    return package_files("feedback_miner.web").joinpath("static", name).read_text(encoding="utf-8")
