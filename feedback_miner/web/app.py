"""The FastAPI application: the upload page and the job API of DESIGN.md.

No ``from __future__ import annotations`` here: FastAPI reads the route
functions' annotations at run time, including those naming local dependencies.
"""

import base64
import hashlib
import logging
import re
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
from ..errors import FeedbackMinerError
from .guard import GuardSettings, RequestGuard
from .jobs import OUTPUT_FILES, JobSpec, JobStore

__all__ = ["WebSettings", "create_app", "safe_name"]

logger = logging.getLogger(__name__)

_CHUNK = 1 << 20
_STATIC = {"page.js": "text/javascript", "page.css": "text/css"}
_JOB_ID = re.compile(r"[0-9a-f]{16}")
_MEDIA = {
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".csv": "text/csv; charset=utf-8",
    ".parquet": "application/vnd.apache.parquet",
}
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
        Where job folders go; a new temporary folder when not given.
    allowed_hosts : tuple of str
        Host names the service answers to besides IP addresses and ``localhost``.
    """

    max_upload_mb: float = 200.0
    keep_minutes: float = 60.0
    workers: int = 2
    token: str | None = None
    jobs_dir: Path | None = None
    allowed_hosts: tuple[str, ...] = ()


def safe_name(name: str | None, fallback: str) -> str:
    """A file name from the client made harmless: its last part, no separators or dots first.

    Examples
    --------
    >>> safe_name("../../etc/passwd", "upload")
    'passwd'
    >>> safe_name("C:\\\\导出\\\\问卷 1.xlsx", "upload")
    '问卷_1.xlsx'
    >>> safe_name("..", "upload")
    'upload'
    """
    last = re.split(r"[\\/]", name or "")[-1]
    cleaned = re.sub(r"[^\w.\-]", "_", last).lstrip(".")[:120]
    return cleaned or fallback


def create_app(settings: WebSettings | None = None) -> FastAPI:
    """The web application with its own job store and worker pool."""
    settings = settings or WebSettings()
    root = settings.jobs_dir or Path(tempfile.mkdtemp(prefix="feedback-miner-jobs-"))
    store = JobStore(root, settings.workers, settings.keep_minutes * 60)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
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
        """Detect one export's format, encoding, platform and column roles."""
        from .preview import describe_upload

        with tempfile.TemporaryDirectory(dir=root) as folder:
            path = Path(folder) / safe_name(file.filename, "upload")
            await _save(file, path)
            try:
                return describe_upload(path)
            except FeedbackMinerError as error:
                raise HTTPException(422, str(error)) from None

    @app.post("/api/jobs", status_code=202)
    async def submit(
        files: Annotated[list[UploadFile], File(description="one or more exports")],
        labels: Annotated[UploadFile | None, File(description="churn label file")] = None,
        taxonomy: Annotated[UploadFile | None, File(description="taxonomy TOML")] = None,
        text_col: Annotated[list[str] | None, Form()] = None,
        id_col: Annotated[str | None, Form()] = None,
        time_col: Annotated[str | None, Form()] = None,
        source: Annotated[str, Form()] = "auto",
        label_col: Annotated[str | None, Form()] = None,
        label_id_col: Annotated[str | None, Form()] = None,
        churn_date_col: Annotated[str | None, Form()] = None,
        lang: Annotated[str, Form()] = "zh",
    ) -> dict[str, str]:
        """Start an analysis; poll ``GET /api/jobs/{id}`` for its progress."""
        if lang not in ("zh", "en"):
            raise HTTPException(422, f"lang is {lang!r}; use zh or en.")
        job_id, folder = store.new_folder()
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
        )
        store.submit(job_id, folder, spec)
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


async def _save(upload: UploadFile, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as target:
        while chunk := await upload.read(_CHUNK):
            target.write(chunk)


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
