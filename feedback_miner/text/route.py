"""jieba's accurate mode with its inner loops compiled, when they are.

jieba cuts a block of Chinese characters in Python: the word graph (which
dictionary words start at each character, ``get_DAG``), the most probable path
through it (``calc``), and for each run of characters the dictionary leaves one
by one, its hidden Markov model (``finalseg``, a Viterbi search over the states
begin, middle, end and single). They are most of the time jieba takes.
``feedback_miner/text/_route.c`` does the same steps in C, with the same
floating-point operations in the same order and the same choice between equal
scores, so that every token is the one jieba gives; it reads jieba's own
dictionary and model tables, and the splitting of a text into blocks is still
jieba's ``Tokenizer.cut``. ``tests/text/test_route.py`` compares the two
value for value, on tables of texts and on random ones.

The compiled module is optional. It is built at install time when a C compiler
is there (otherwise the install succeeds without it; ``pip install -v`` shows
why) and used when it imports. Setting ``FEEDBACK_MINER_PURE_PYTHON=1`` uses jieba's own Python
methods instead, for a comparison or to rule the compiled path out.
"""

from __future__ import annotations

import math
from types import ModuleType
from typing import Any

import jieba
from jieba import finalseg

from ..compiled import PURE_PYTHON_VARIABLE, pure_python_requested

__all__ = ["PURE_PYTHON_VARIABLE", "compiled_route", "new_jieba_tokenizer"]

_compiled: Any
try:  # built at install time when a C compiler was there
    from . import _route as _compiled  # type: ignore[attr-defined, no-redef]
except ImportError:
    _compiled = None


def compiled_route() -> ModuleType | None:
    """The compiled module, or ``None`` when it was not built or
    :data:`PURE_PYTHON_VARIABLE` asks for pure Python."""
    if pure_python_requested():
        return None
    return _compiled if isinstance(_compiled, ModuleType) else None


class _CompiledTokenizer(jieba.Tokenizer):
    """A :class:`jieba.Tokenizer` whose word graph, best path and hidden Markov model
    are computed in C (``Tokenizer.cut`` calls ``__cut_DAG`` for each block in accurate
    mode with the model; ``get_DAG`` and ``calc`` serve its other modes)."""

    def get_DAG(self, sentence: str) -> dict[int, list[int]]:
        self.check_initialized()
        graph: dict[int, list[int]] = _compiled.dag(sentence, self.FREQ)
        return graph

    def _Tokenizer__cut_DAG(self, sentence: str) -> list[str]:
        """jieba's accurate mode on one block (what ``Tokenizer.cut`` calls it with),
        the hidden Markov model for unknown words included."""
        self.check_initialized()
        words: list[str] = _compiled.cut(sentence, self.FREQ, math.log(self.total), _unknown)
        return words

    def calc(
        self,
        sentence: str,
        DAG: dict[int, list[int]],
        route: dict[int, tuple[float, int]],
    ) -> None:
        _compiled.calc(sentence, DAG, route, self.FREQ, math.log(self.total))


def _unknown(run: str) -> list[str]:
    """A run of characters jieba's dictionary cuts one by one, cut by its hidden Markov
    model as ``jieba.finalseg.cut`` does (its tables, its forced splits)."""
    words: list[str] = []
    for block in finalseg.re_han.split(run):
        if not finalseg.re_han.match(block):
            words.extend(piece for piece in finalseg.re_skip.split(block) if piece)
            continue
        found = _compiled.hmm(
            block,
            "BMES",
            finalseg.start_P,
            finalseg.trans_P,
            finalseg.emit_P,
            finalseg.PrevStatus,
            finalseg.MIN_FLOAT,
        )
        for word in found:
            if word in finalseg.Force_Split_Words:
                words.extend(word)
            else:
                words.append(word)
    return words


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
