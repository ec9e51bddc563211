"""Writing output tables as CSV (UTF-8) or Parquet, chosen by the file's suffix."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..errors import FeedbackMinerError

__all__ = ["TABLE_SUFFIXES", "check_table_path", "write_table_file"]

TABLE_SUFFIXES = (".csv", ".parquet")


def check_table_path(path: str | Path, option: str) -> Path:
    """Validate an output path before any work is done.

    Raises
    ------
    FeedbackMinerError
        When the suffix is not .csv or .parquet, or the folder does not exist.
    """
    out = Path(path)
    if out.suffix.lower() not in TABLE_SUFFIXES:
        raise FeedbackMinerError(
            f"{option} {out}: the file name must end in .csv or .parquet (the suffix chooses the format)."
        )
    if not out.parent.exists():
        raise FeedbackMinerError(
            f"{option} {out}: the folder {out.parent} does not exist; create it first."
        )
    if out.suffix.lower() == ".parquet":
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            raise FeedbackMinerError(
                f"{option} {out}: writing Parquet needs pyarrow; "
                "install it with: pip install 'feedback-miner[parquet]', or write .csv instead."
            ) from None
    return out


def write_table_file(frame: pd.DataFrame, path: str | Path) -> Path:
    """Write ``frame`` to ``path``: UTF-8 CSV or Parquet by suffix, without the index."""
    out = Path(path)
    if out.suffix.lower() == ".parquet":
        frame.to_parquet(out, index=False)
    else:
        frame.to_csv(out, index=False, encoding="utf-8", date_format="%Y-%m-%d %H:%M:%S")
    return out
