"""Reading the team's lexicon tables shipped in ``lexicons/``.

Every lexicon is a UTF-8 TSV file with a header line. They are installed inside
the wheel as the package ``feedback_miner.lexicons`` and read through
:mod:`importlib.resources`, so they work from a wheel, an sdist or a checkout.
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from .errors import LexiconError

__all__ = ["data_root", "lexicon_file", "read_table"]

LEXICON_PACKAGE = "feedback_miner.lexicons"
SAMPLES_PACKAGE = "feedback_miner.samples"


def data_root(package: str) -> Traversable:
    """Return the folder of a data package (``feedback_miner.lexicons`` or ``.samples``).

    In a wheel the top-level ``lexicons/`` and ``samples/`` folders are
    installed as these packages. In a source checkout or an editable install
    they stay beside ``feedback_miner/``, where this falls back to.
    """
    try:
        return resources.files(package)
    except ModuleNotFoundError:
        checkout = Path(__file__).resolve().parent.parent / package.rsplit(".", 1)[-1]
        if checkout.is_dir():
            return checkout
        raise LexiconError(
            f"the data package {package!r} is missing from the installation; "
            "reinstall feedback-miner (pip install --force-reinstall feedback-miner)."
        ) from None


def lexicon_file(name: str) -> Traversable:
    """Return the shipped lexicon file ``name`` (a path relative to ``lexicons/``).

    Raises
    ------
    LexiconError
        If the package was installed without the file.
    """
    node = data_root(LEXICON_PACKAGE)
    for part in name.split("/"):
        node = node.joinpath(part)
    if not node.is_file():
        raise LexiconError(
            f"lexicon file {name!r} is missing from the installed package; "
            "reinstall feedback-miner (pip install --force-reinstall feedback-miner)."
        )
    return node


def read_table(source: Traversable | Path, columns: Sequence[str]) -> list[dict[str, str]]:
    """Read a TSV table whose header starts with ``columns``.

    Blank lines and lines starting with ``#`` are skipped. Extra trailing
    columns are allowed and kept.

    Parameters
    ----------
    source : Traversable or Path
        The file to read.
    columns : sequence of str
        The columns the header must start with, in order.

    Returns
    -------
    list of dict
        One mapping per data row, keyed by the header names.

    Raises
    ------
    LexiconError
        If the header is wrong or a row has too few fields; the message names
        the file and the line.
    """
    text = source.read_text(encoding="utf-8")
    name = str(source) if isinstance(source, Path) else source.name
    lines = text.splitlines()
    header_index = next(
        (i for i, line in enumerate(lines) if line.strip() and not line.startswith("#")), None
    )
    if header_index is None:
        raise LexiconError(
            f"{name}: the file is empty; it needs a header line: {' '.join(columns)}."
        )
    header = lines[header_index].lstrip("\ufeff").split("\t")
    if header[: len(columns)] != list(columns):
        raise LexiconError(
            f"{name}, line {header_index + 1}: the header is {header!r}; "
            f"it must start with the tab-separated columns {list(columns)!r}."
        )
    rows: list[dict[str, str]] = []
    for number, line in enumerate(lines[header_index + 1 :], start=header_index + 2):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) < len(columns) or not fields[0]:
            raise LexiconError(
                f"{name}, line {number}: expected {len(columns)} tab-separated fields "
                f"({', '.join(columns)}), found {len(fields)}: {line!r}."
            )
        rows.append(dict(zip(header, fields, strict=False)))
    return rows
