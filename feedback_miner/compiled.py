"""Whether the optional compiled modules may be used.

Two parts of the package have a compiled twin, built at install time when a C
compiler is there (``setup.py``): jieba's accurate mode
(:mod:`feedback_miner.text.route`) and the sentiment segmenter's word search
(:mod:`feedback_miner.sentiment.segment`). Each gives exactly what the Python
it replaces gives. Setting :data:`PURE_PYTHON_VARIABLE` to anything but ``0``
turns both off, to compare or to rule them out.
"""

from __future__ import annotations

import os

__all__ = ["PURE_PYTHON_VARIABLE", "pure_python_requested"]

PURE_PYTHON_VARIABLE = "FEEDBACK_MINER_PURE_PYTHON"


def pure_python_requested() -> bool:
    """Whether :data:`PURE_PYTHON_VARIABLE` asks for the Python code alone.

    Examples
    --------
    >>> import os
    >>> os.environ.get(PURE_PYTHON_VARIABLE, "") in ("", "0") or pure_python_requested()
    True
    """
    return os.environ.get(PURE_PYTHON_VARIABLE, "").strip() not in ("", "0")
