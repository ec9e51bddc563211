"""``feedback-miner serve``: the upload page and the job API."""

from __future__ import annotations

import argparse
import ipaddress
import os
import socket
from pathlib import Path
from typing import Any

from ..errors import FeedbackMinerError

__all__ = ["TOKEN_VARIABLE", "allowed_hosts", "register"]

TOKEN_VARIABLE = "FEEDBACK_MINER_TOKEN"
# seconds requests still running at Ctrl+C or SIGTERM get before they are cut
_GRACE_SECONDS = 5


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
        "--jobs-dir",
        type=Path,
        metavar="DIR",
        help="the service makes its own jobs folder inside DIR (made if missing) and removes "
        "only that (default: the system's temporary folder)",
    )
    serve.add_argument(
        "--allowed-host",
        action="append",
        default=[],
        metavar="NAME",
        help="a host name the page is opened with, besides IP addresses and localhost "
        "(repeatable; refuses other names against DNS rebinding)",
    )
    serve.add_argument(
        "--preview-seconds",
        type=float,
        default=60.0,
        metavar="S",
        help="time one file's preview may take (default: 60)",
    )
    serve.add_argument(
        "--preview-memory-mb",
        type=float,
        default=2048.0,
        metavar="MB",
        help="memory (address space) of a preview's worker process (default: 2048)",
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
        ("--preview-seconds", args.preview_seconds),
        ("--preview-memory-mb", args.preview_memory_mb),
    ):
        if value <= 0:
            raise FeedbackMinerError(f"{option} is {value}; it must be more than 0.")
    token = args.token or os.environ.get(TOKEN_VARIABLE) or None
    if args.jobs_dir is not None:
        try:
            args.jobs_dir.mkdir(parents=True, exist_ok=True)  # kept when the service stops
        except OSError as error:
            raise FeedbackMinerError(
                f"--jobs-dir {args.jobs_dir} cannot be used as a folder "
                f"({error.strerror or error}). Give a folder this user can write to, or leave "
                "the option out to use the system's temporary folder."
            ) from None
    settings = WebSettings(
        max_upload_mb=args.max_upload_mb,
        keep_minutes=args.keep_minutes,
        workers=args.workers,
        token=token,
        jobs_dir=args.jobs_dir,
        allowed_hosts=allowed_hosts(args.host, args.allowed_host),
        preview_seconds=args.preview_seconds,
        preview_memory_mb=args.preview_memory_mb,
    )
    app = create_app(settings)
    print(f"feedback-miner: serving on http://{_shown(args.host)}:{args.port}/ (Ctrl+C to stop)")
    # Ctrl+C or SIGTERM: uvicorn stops taking requests, gives running ones a few seconds,
    # then the app's shutdown fails running jobs, ends the workers and removes its folder.
    # Then uvicorn raises the signal again: SIGTERM ends the process as SIGTERM does, and
    # Ctrl+C becomes the KeyboardInterrupt that the command line turns into exit 130.
    config = uvicorn.Config(
        app,
        host=args.host,
        port=args.port,
        log_level="warning",
        timeout_graceful_shutdown=_GRACE_SECONDS,
    )
    server = _server_class()(config)
    server.run()
    if server.interrupted:
        # uvicorn raises the captured Ctrl+C again once it has stopped; when that does not
        # reach us (seen once on a loaded machine: the server exited 0), the command still
        # ends as interrupted, never as a clean exit
        raise KeyboardInterrupt
    return 0


def _server_class() -> Any:
    """uvicorn's server class, remembering whether Ctrl+C stopped it (made on first use:
    uvicorn is an optional dependency)."""
    import signal

    import uvicorn

    class Server(uvicorn.Server):
        """uvicorn's server, remembering whether it was stopped by Ctrl+C."""

        interrupted = False

        def handle_exit(self, sig: int, frame: Any) -> None:
            if sig == signal.SIGINT:
                self.interrupted = True
            super().handle_exit(sig, frame)

    return Server


def allowed_hosts(bind: str, extra: list[str]) -> tuple[str, ...]:
    """Host names the service answers to, besides IP addresses and ``localhost``.

    The ``--host`` name when it is one, the machine's own name when the service
    listens on every address (``0.0.0.0`` or ``::``), and the ``--allowed-host`` names.

    Examples
    --------
    >>> allowed_hosts("127.0.0.1", ["Box.Example"])
    ('box.example',)
    >>> allowed_hosts("analytics.internal", [])
    ('analytics.internal',)
    """
    names = [name.lower() for name in extra]
    try:
        address = ipaddress.ip_address(bind)
    except ValueError:
        names.append(bind.lower())
    else:
        if address.is_unspecified:
            names.append(socket.gethostname().lower())
    return tuple(dict.fromkeys(names))


def _shown(host: str) -> str:
    """The address to open in a browser for a bind address."""
    if host in ("0.0.0.0", "::"):
        return "127.0.0.1"
    return f"[{host}]" if ":" in host else host
