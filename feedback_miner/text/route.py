"""jieba's accurate mode with its two inner loops compiled, when they are.

jieba cuts a run of Chinese characters in two steps written in Python: the word
graph (which dictionary words start at each character, ``get_DAG``) and the
most probable path through it (``calc``). They are most of the time jieba
takes. ``feedback_miner/text/_route.c`` does the same two steps in C, with the
same floating-point operations in the same order, so that every token is the
one jieba gives; the rest of jieba (the hidden Markov model for unknown words,
the splitting into blocks) is jieba's own code.

The compiled module is optional. It is built at install time when a C compiler
is there (``pip install`` reports and skips it otherwise) and used when it
imports. Setting ``FEEDBACK_MINER_PURE_PYTHON=1`` uses jieba's own Python
methods instead, for a comparison or to rule the compiled path out.
"""

from __future__ import annotations

import math
import os
from types import ModuleType
from typing import Any

import jieba

__all__ = ["PURE_PYTHON_VARIABLE", "compiled_route", "new_jieba_tokenizer"]

PURE_PYTHON_VARIABLE = "FEEDBACK_MINER_PURE_PYTHON"

_compiled: Any
try:  # built at install time when a C compiler was there
    from . import _route as _compiled  # type: ignore[attr-defined, no-redef]
except ImportError:
    _compiled = None


def compiled_route() -> ModuleType | None:
    """The compiled module, or ``None`` when it was not built or
    :data:`PURE_PYTHON_VARIABLE` asks for pure Python."""
    if os.environ.get(PURE_PYTHON_VARIABLE, "").strip() not in ("", "0"):
        return None
    return _compiled if isinstance(_compiled, ModuleType) else None


class _CompiledTokenizer(jieba.Tokenizer):
    """A :class:`jieba.Tokenizer` whose word graph and best path are computed in C."""

    def get_DAG(self, sentence: str) -> dict[int, list[int]]:
        self.check_initialized()
        graph: dict[int, list[int]] = _compiled.dag(sentence, self.FREQ)
        return graph

    def calc(
        self,
        sentence: str,
        DAG: dict[int, list[int]],
        route: dict[int, tuple[float, int]],
    ) -> None:
        _compiled.calc(sentence, DAG, route, self.FREQ, math.log(self.total))


def new_jieba_tokenizer() -> jieba.Tokenizer:
    """A new :class:`jieba.Tokenizer`, compiled where :func:`compiled_route` allows.

    Examples
    --------
    >>> new_jieba_tokenizer().lcut("送餐速度很快")
    ['送餐', '速度', '很快']
    """
    if compiled_route() is None:
        return jieba.Tokenizer()
    return _CompiledTokenizer()
