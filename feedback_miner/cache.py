"""Objects that take seconds to build, kept on disk between runs.

The sentiment segmenter is built from jieba's dictionary and our lexicon in
about two seconds, in every process that scores text (the ``sentiment``
command, each ``analyze`` worker, the web service). It is the same object
every time until the lexicon, jieba's dictionary or the code that builds it
changes, so it is built once and kept, pickled, in a cache folder; loading it
back takes a tenth of that.

Where: ``$FEEDBACK_MINER_CACHE`` when it is set (``off``, or an empty value,
turns the cache off), else ``$XDG_CACHE_HOME/feedback-miner``, else
``~/.cache/feedback-miner``. The folder can be deleted at any time; what it
held is built again when next needed.

An entry's file name carries a digest of everything the object is built from,
so a changed lexicon, dictionary or program never reads an old entry; the
entries of other digests under the same name are removed when a new one is
written. An entry is written to a temporary file and renamed into place, so
processes building at once never read half a file. The cache never makes a
run fail: a folder that cannot be made or written, a file that cannot be read
back, or one that another user owns (pickle runs code as it loads) is logged
at debug level and the object is built as if there were no cache.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import tempfile
from collections.abc import Callable, Iterable
from contextlib import suppress
from pathlib import Path
from typing import TypeVar

__all__ = ["CACHE_VARIABLE", "cache_folder", "digest", "load_or_build"]

logger = logging.getLogger(__name__)

CACHE_VARIABLE = "FEEDBACK_MINER_CACHE"
_OFF = frozenset({"", "off", "0", "false", "no"})
_SUFFIX = ".pickle"

T = TypeVar("T")


def cache_folder() -> Path | None:
    """The cache folder the environment asks for, or ``None`` when caching is off
    (``FEEDBACK_MINER_CACHE=off``)."""
    chosen = os.environ.get(CACHE_VARIABLE)
    if chosen is not None:
        return None if chosen.strip().lower() in _OFF else Path(chosen).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path("~/.cache").expanduser())
    return Path(base) / "feedback-miner"


def digest(parts: Iterable[bytes | str]) -> str:
    """A hex digest of ``parts`` in order (each part's length goes in too, so that
    ``["ab", "c"]`` and ``["a", "bc"]`` differ).

    Examples
    --------
    >>> digest(["ab", "c"]) == digest(["a", "bc"])
    False
    >>> len(digest([b"x"]))
    32
    """
    hasher = hashlib.blake2b(digest_size=16)
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        hasher.update(len(data).to_bytes(8, "little"))
        hasher.update(data)
    return hasher.hexdigest()


def load_or_build(name: str, key: str, build: Callable[[], T], kind: type[T]) -> T:
    """The cached ``name`` for ``key``, or ``build()`` (then kept for next time).

    Parameters
    ----------
    name : str
        What is cached, as a file-name prefix (``sentiment-segmenter``).
    key : str
        A digest (:func:`digest`) of everything the object is built from.
    build : callable
        Makes the object when there is no usable entry.
    kind : type
        The object's class: an entry that holds anything else is not used.

    Returns
    -------
    object
        Equal to what ``build()`` returns.
    """
    folder = cache_folder()
    if folder is None:
        return build()
    path = folder / f"{name}-{key}{_SUFFIX}"
    found = _load(path, key, kind)
    if found is not None:
        logger.debug("%s: loaded from %s", name, path)
        return found
    value = build()
    _store(folder, path, name, key, value)
    return value


def _load(path: Path, key: str, kind: type[T]) -> T | None:
    """The entry at ``path`` when it is ours, whole, for ``key`` and of ``kind``."""
    try:
        with path.open("rb") as handle:
            if hasattr(os, "getuid") and os.fstat(handle.fileno()).st_uid != os.getuid():
                logger.debug("cache entry %s belongs to another user: not used", path)
                return None
            stored_key, value = pickle.load(handle)
    except FileNotFoundError:
        return None
    except Exception as error:  # any unreadable entry is simply built again
        logger.debug("cache entry %s cannot be read (%s): building it again", path, error)
        return None
    if stored_key != key or not isinstance(value, kind):
        logger.debug("cache entry %s holds something else: building it again", path)
        return None
    return value


def _store(folder: Path, path: Path, name: str, key: str, value: object) -> None:
    """Write ``value`` to ``path`` through a temporary file, and drop ``name``'s other entries."""
    temporary = None
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{name}-", suffix=".tmp", dir=folder)
        with os.fdopen(handle, "wb") as out:
            pickle.dump((key, value), out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
        temporary = None
    except OSError as error:
        logger.debug("cache folder %s cannot be written (%s): not cached", folder, error)
        return
    except (pickle.PicklingError, TypeError, AttributeError) as error:
        logger.debug("%s cannot be pickled (%s): not cached", name, error)
        return
    finally:
        if temporary is not None:
            with suppress(OSError):
                os.unlink(temporary)
    for old in folder.glob(f"{name}-*{_SUFFIX}"):
        if old != path:
            with suppress(OSError):
                old.unlink()
    logger.debug("%s: cached in %s", name, path)
