"""The web service: an upload page and an HTTP API over the analysis (``feedback-miner serve``).

Needs the ``web`` extra: ``pip install 'feedback-miner[web]'``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import FeedbackMinerError

if TYPE_CHECKING:
    from .app import WebSettings, create_app

__all__ = ["WebSettings", "create_app", "require_web_extra"]


def require_web_extra() -> None:
    """Raise a clear error when FastAPI, uvicorn or python-multipart is missing."""
    missing = []
    for module in ("fastapi", "uvicorn", "multipart"):
        try:
            __import__(module)
        except ImportError:
            missing.append("python-multipart" if module == "multipart" else module)
    if missing:
        raise FeedbackMinerError(
            f"the web service needs {', '.join(missing)}, which are not installed. "
            "Install them with: pip install 'feedback-miner[web]'"
        )


def __getattr__(name: str) -> Any:
    if name in ("WebSettings", "create_app"):
        require_web_extra()
        from . import app

        return getattr(app, name)
    raise AttributeError(name)
