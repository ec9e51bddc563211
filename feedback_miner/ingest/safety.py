"""Guards against files that would hang, exhaust memory or mislead: checked before parsing."""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputFileError

__all__ = ["MAX_CELL_CHARS", "MAX_UNCOMPRESSED_BYTES", "check_cells", "check_ole", "check_zip"]

MAX_UNCOMPRESSED_BYTES = 1024**3
MAX_COMPRESSION_RATIO = 100
MAX_CELL_CHARS = 100_000
_ENCRYPTED_MARKERS = ("EncryptedPackage".encode("utf-16-le"), b"EncryptionInfo")


def check_zip(file: Path) -> None:
    """Refuse damaged workbooks and zip bombs before a reader inflates them.

    Raises
    ------
    InputFileError
        When the archive is truncated or corrupt, is not a workbook, or would
        inflate beyond 1 GiB, or beyond 100 MiB and 100 times its size.
    """
    try:
        with zipfile.ZipFile(file) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError):
        raise InputFileError(
            f"{file}: the workbook is damaged or truncated (its zip structure cannot be read). "
            "Download or export it again."
        ) from None
    names = {e.filename for e in entries}
    if "[Content_Types].xml" not in names:
        raise InputFileError(f"{file}: this is a zip archive but not an Excel workbook.")
    inflated = sum(e.file_size for e in entries)
    packed = max(file.stat().st_size, 1)
    if inflated > MAX_UNCOMPRESSED_BYTES or (
        inflated > 100 * 1024**2 and inflated / packed > MAX_COMPRESSION_RATIO
    ):
        raise InputFileError(
            f"{file}: the workbook would expand from {packed:,} bytes to {inflated:,} bytes; "
            "refusing to open it (it looks like a zip bomb). If it is a genuine export, save it "
            "as CSV instead."
        )


def check_ole(file: Path) -> None:
    """Refuse password-protected workbooks (OLE containers holding an encrypted package)."""
    with file.open("rb") as handle:
        head = handle.read(1024 * 1024)
    if any(marker in head for marker in _ENCRYPTED_MARKERS):
        raise InputFileError(
            f"{file}: the workbook is password-protected. Open it in Excel or WPS, remove the "
            "password (File > Info > Protect Workbook) and save it again, or export it as CSV."
        )


def check_cells(file: Path, frame: pd.DataFrame, *, rows: np.ndarray | None = None) -> None:
    """Refuse a table with a cell beyond :data:`MAX_CELL_CHARS` characters.

    ``rows`` are the data row numbers of the frame's rows (default 1, 2, ...).
    """
    for column in frame.columns:
        lengths = frame[column].map(lambda v: len(v) if isinstance(v, str) else 0).to_numpy()
        if len(lengths) and lengths.max() > MAX_CELL_CHARS:
            position = int(lengths.argmax())
            row = int(rows[position]) if rows is not None else position + 1
            raise InputFileError(
                f"{file}: row {row}, column {column!r} holds {int(lengths.max()):,} characters; "
                f"the limit is {MAX_CELL_CHARS:,} per cell. This is not customer text (a pasted "
                "log or file?): remove or shorten that cell and try again."
            )
