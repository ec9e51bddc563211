"""``feedback-miner serve``: the upload page and the job API."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from ..errors import FeedbackMinerError

__all__ = ["TOKEN_VARIABLE", "register"]

TOKEN_VARIABLE = "FEEDBACK_MINER_TOKEN"


def register(commands: Any) -> None:
    """Add ``serve`` to the sub-command parsers."""
    serve = commands.add_parser(
        "serve",
        help="web page and HTTP API for uploads (needs feedback-miner[web])",
        description="Serve the upload page and the job API. Bound to 127.0.0.1 unless "
        "--host says otherwise; set a token before opening it to a network.",
    )
    serve.add_argument("--host", default="127.0.0.1", help="address (default: 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    serve.add_argument(
        "--token",
        help=f"require 'Authorization: Bearer TOKEN' on the API (default: ${TOKEN_VARIABLE})",
    )
    serve.add_argument(
        "--max-upload-mb",
        type=float,
        default=200.0,
        metavar="MB",
        help="largest upload accepted, all files together (default: 200)",
    )
    serve.add_argument(
        "--keep-minutes",
        type=float,
        default=60.0,
        metavar="MIN",
        help="finished jobs and their files are deleted after this long (default: 60)",
    )
    serve.add_argument(
        "--workers", type=int, default=2, metavar="N", help="analyses at once (default: 2)"
    )
    serve.add_argument(
        "--jobs-dir", type=Path, metavar="DIR", help="where job folders go (default: a temp folder)"
    )
    serve.set_defaults(run=_run_serve)


def _run_serve(args: argparse.Namespace) -> int:
    from ..web import require_web_extra

    require_web_extra()
    import uvicorn

    from ..web.app import WebSettings, create_app

    for option, value in (
        ("--workers", args.workers),
        ("--max-upload-mb", args.max_upload_mb),
        ("--keep-minutes", args.keep_minutes),
    ):
        if value <= 0:
            raise FeedbackMinerError(f"{option} is {value}; it must be more than 0.")
    token = args.token or os.environ.get(TOKEN_VARIABLE) or None
    if args.jobs_dir is not None:
        args.jobs_dir.mkdir(parents=True, exist_ok=True)
    settings = WebSettings(
        max_upload_mb=args.max_upload_mb,
        keep_minutes=args.keep_minutes,
        workers=args.workers,
        token=token,
        jobs_dir=args.jobs_dir,
    )
    print(f"feedback-miner: serving on http://{args.host}:{args.port}/ (Ctrl+C to stop)")
    uvicorn.run(create_app(settings), host=args.host, port=args.port, log_level="warning")
    return 0
