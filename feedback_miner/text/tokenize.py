"""Tokenisation with our own :class:`jieba.Tokenizer` instance.

jieba's module-level functions share one global tokenizer; we never touch it.
Each :class:`ChineseTokenizer` owns a ``jieba.Tokenizer`` with the team's user
dictionary (``lexicons/userdict.tsv``) and any extra words (taxonomy keywords,
sentiment phrases) added to that instance only.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from pathlib import Path

import jieba

from ..errors import LexiconError
from ..resources import lexicon_file, read_table

__all__ = ["ChineseTokenizer", "load_stopwords"]

logger = logging.getLogger(__name__)

_SPACE_OR_PUNCT = re.compile(r"^[\s\W_]+$", re.UNICODE)
# Frequency given to added words so that jieba keeps them whole.
_ADDED_WORD_FREQ = 2000


def load_stopwords() -> frozenset[str]:
    """Return the shipped stopword list (``lexicons/stopwords.tsv``)."""
    return frozenset(row["word"] for row in read_table(lexicon_file("stopwords.tsv"), ["word"]))


class ChineseTokenizer:
    """A jieba tokenizer with the feedback-miner dictionary.

    Parameters
    ----------
    extra_words : iterable of str, optional
        Words to keep whole, such as taxonomy keywords.
    user_dict : Path, optional
        An extra user dictionary in the same TSV format as
        ``lexicons/userdict.tsv`` (columns ``word``, ``freq``, ``tag``).

    Examples
    --------
    >>> tok = ChineseTokenizer(extra_words=["携号转网"])
    >>> tok.cut("我要携号转网")
    ['我要', '携号转网']
    """

    def __init__(self, *, extra_words: Iterable[str] = (), user_dict: Path | None = None) -> None:
        self._jieba = jieba.Tokenizer()
        self.stopwords = load_stopwords()
        for row in read_table(lexicon_file("userdict.tsv"), ["word", "freq", "tag"]):
            self._add(row["word"], row["freq"], row["tag"], "userdict.tsv")
        if user_dict is not None:
            for row in read_table(Path(user_dict), ["word", "freq", "tag"]):
                self._add(row["word"], row["freq"], row["tag"], str(user_dict))
        for word in extra_words:
            if word.strip():
                self._jieba.add_word(word.strip(), _ADDED_WORD_FREQ)

    def _add(self, word: str, freq: str, tag: str, source: str) -> None:
        try:
            count = int(freq)
        except ValueError:
            raise LexiconError(
                f"{source}: the frequency of {word!r} is {freq!r}; it must be a whole number."
            ) from None
        self._jieba.add_word(word, count, tag or None)

    def cut(self, text: str) -> list[str]:
        """Return the tokens of ``text`` without whitespace and punctuation tokens.

        ASCII letters are lower-cased so that ``BUG`` and ``bug`` match alike.
        """
        return [
            token.lower()
            for token in self._jieba.lcut(text, HMM=True)
            if token.strip() and not _SPACE_OR_PUNCT.match(token)
        ]

    def content_tokens(self, text: str) -> list[str]:
        """Return :meth:`cut` without stopwords and single non-Chinese characters."""
        return [
            t for t in self.cut(text) if t not in self.stopwords and not (len(t) == 1 and t.isascii())
        ]
