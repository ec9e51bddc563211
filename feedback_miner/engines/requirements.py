"""What an engine needs installed, checked before any work starts."""

from __future__ import annotations

from ..errors import FeedbackMinerError

__all__ = ["require_dask"]


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
