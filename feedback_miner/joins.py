"""Joins on user and document ids through integer codes: which user wrote each row, which
document each mention is in.

Attribution and user features join a million documents to their mentions and
their users. Joining on the id columns themselves turns every id into a Python
string object (tens of bytes each, again for every join); these helpers hash
the ids once, in Arrow, and return numpy integer arrays to index with.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["doc_rows", "positions", "take", "user_codes"]


def user_codes(user_ids: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """The user of each row as an integer code, and the user ids the codes index.

    Parameters
    ----------
    user_ids : pandas.Series
        A ``user_id`` column (any dtype; missing values allowed).

    Returns
    -------
    codes : numpy.ndarray
        Per row, the position of its user in ``users``; -1 where the id is missing.
    users : pandas.Index
        The distinct user ids as strings, in order of first appearance. Ids
        that only differ in type (``7`` and ``"7"``) are one user.

    Examples
    --------
    >>> codes, users = user_codes(pd.Series(["u2", None, "u1", "u2"]))
    >>> codes.tolist(), users.tolist()
    ([0, -1, 1, 0], ['u2', 'u1'])
    """
    codes, uniques = pd.factorize(user_ids, use_na_sentinel=True)
    as_text = pd.Index(uniques).astype(str)
    merged, users = pd.factorize(as_text)
    codes = take(merged, codes, fill=-1)
    return codes.astype(np.int64), pd.Index(users, dtype=object, name="user_id")


def take(values: np.ndarray, codes: np.ndarray, fill: object) -> np.ndarray:
    """``values`` at each of ``codes``, ``fill`` where the code is -1 (e.g. a value per user, per row).

    Examples
    --------
    >>> take(np.array([10, 20]), np.array([1, -1, 0]), fill=-1).tolist()
    [20, -1, 10]
    """
    padded = np.concatenate([values, np.array([fill], dtype=values.dtype)])
    return padded[codes]


def positions(values: pd.Series, names: Sequence[str]) -> np.ndarray:
    """The position of each of ``values`` among ``names`` (-1 for a value not there), e.g.
    each mention's theme among the taxonomy's ids.

    A mentions table repeats a few dozen theme ids over millions of rows: each distinct
    value is looked up once, and no index of the column is built.

    Examples
    --------
    >>> positions(pd.Series(["b", None, "a", "x", "b"]), ["a", "b"]).tolist()
    [1, -1, 0, -1, 1]
    """
    codes, uniques = pd.factorize(values)
    found = pd.Index(list(names)).get_indexer(pd.Index(uniques, dtype=object))
    return take(found.astype(np.int64), codes, fill=-1)


def doc_rows(doc_ids: pd.Series, wanted: pd.Series) -> np.ndarray:
    """The row of ``doc_ids`` that holds each value of ``wanted`` (-1 when none does).

    Parameters
    ----------
    doc_ids : pandas.Series
        The ``doc_id`` column of the docs table (ids are unique there; the
        first row wins otherwise).
    wanted : pandas.Series
        Ids to look up, e.g. the ``doc_id`` column of the mentions.

    Examples
    --------
    >>> doc_rows(pd.Series(["a:1", "a:2"]), pd.Series(["a:2", "b:9", "a:2"])).tolist()
    [1, -1, 1]
    """
    value_set = _strings(doc_ids)
    if isinstance(value_set, pa.ChunkedArray):
        value_set = value_set.combine_chunks()
    found = pc.index_in(_strings(wanted), value_set=value_set)
    rows = np.asarray(found.fill_null(-1).to_numpy(zero_copy_only=False), dtype=np.int64)
    # the hash table of a million ids goes back to Arrow's allocator, which keeps
    # freed memory for reuse unless asked to return it
    del value_set, found
    pa.default_memory_pool().release_unused()
    return rows


def _strings(values: pd.Series) -> pa.Array | pa.ChunkedArray:
    """``values`` as Arrow large strings (Arrow-backed columns are not copied to Python)."""
    try:
        array = pa.array(values, from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # mixed types in an object column
        array = pa.array([None if pd.isna(v) else str(v) for v in values], type=pa.large_string())
    return array if pa.types.is_large_string(array.type) else array.cast(pa.large_string())
