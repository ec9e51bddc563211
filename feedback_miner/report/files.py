"""Writing output files safely: whole or not at all, and failures said in words.

Every output is written to a temporary name in the target's folder and renamed
over the target only once it is complete, so a full disk, a read-only folder
or Ctrl+C never leaves a truncated file that looks like a result. Operating
system failures become :class:`~feedback_miner.errors.OutputError` messages
that name the file and say what to do.
"""

from __future__ import annotations

import errno
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from ..errors import OutputError

__all__ = ["check_output_path", "output_error", "replacing"]

_ADVICE = {
    errno.ENOSPC: "the disk is full; free some space or write to another disk",
    errno.EDQUOT: "the disk quota is used up; free some space or write elsewhere",
    errno.EROFS: "the folder is on a read-only file system; write to another folder",
    errno.EACCES: "permission denied; write to a folder you own, or close the file if it is "
    "open in Excel or WPS",
    errno.EPERM: "the file cannot be replaced (read-only or locked); remove the protection, "
    "close it in Excel or WPS, or choose another name",
    errno.EISDIR: "it is a folder; give a file name",
    errno.ENAMETOOLONG: "the name is too long; choose a shorter one",
    errno.EFBIG: "the file would be larger than this system allows; write to another disk",
}


def check_output_path(path: str | Path, option: str) -> Path:
    """Refuse an output path that cannot be written, before any work starts.

    Raises
    ------
    OutputError
        When the path is a folder, its folder does not exist, or the folder
        cannot be written.
    """
    out = Path(path)
    if out.is_dir():
        raise OutputError(f"{option} {out}: this is a folder; give a file name inside it.")
    if not out.parent.exists():
        raise OutputError(
            f"{option} {out}: the folder {out.parent} does not exist; create it first."
        )
    if not out.parent.is_dir():
        raise OutputError(
            f"{option} {out}: {out.parent} is a file, not a folder; choose another folder."
        )
    if not os.access(out.parent, os.W_OK):
        read_only = _read_only_file_system(out.parent)
        reason = (
            "the folder is on a read-only file system"
            if read_only
            else "the folder cannot be written (permission denied)"
        )
        raise OutputError(f"{option} {out}: {reason}; write to another folder.")
    return out


def _read_only_file_system(folder: Path) -> bool:
    try:
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except OSError:
        return False


@contextmanager
def replacing(path: str | Path, option: str = "output") -> Iterator[Path]:
    """A temporary path beside ``path`` to write to; it replaces ``path`` when the block ends.

    If the block raises (or is interrupted), the temporary file is removed and
    ``path`` is left as it was. An :class:`OSError` becomes an
    :class:`OutputError` naming ``option`` and ``path``.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> with replacing(folder / "out.txt") as temporary:
    ...     _ = temporary.write_text("done")
    >>> (folder / "out.txt").read_text()
    'done'
    """
    out = Path(path)
    temporary = out.with_name(f".{out.name}.{secrets.token_hex(4)}.tmp")
    try:
        yield temporary
        os.replace(temporary, out)
    except OSError as error:
        raise output_error(out, option, error) from None
    finally:
        with suppress(OSError):
            temporary.unlink(missing_ok=True)


def output_error(path: Path, option: str, error: OSError) -> OutputError:
    """The message for an operating system failure writing ``path``."""
    advice = _ADVICE.get(error.errno or 0, error.strerror or str(error))
    return OutputError(f"{option} {path}: cannot write the file: {advice}.")
