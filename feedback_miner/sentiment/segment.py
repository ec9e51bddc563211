"""A fast segmenter for sentiment: forward maximum matching over a known vocabulary.

Sentiment needs words, not full segmentation: it is enough to find lexicon
entries at word boundaries, so that 差 in 出差 or 好 in 好像 is not read as a
judgement. The vocabulary is our lexicon plus the words of jieba's own
dictionary that share a character with it (the words that could otherwise be
misread); the longest known word at each position wins. This is several times
faster than jieba's full DAG and HMM, which matters when scoring millions of
texts, and it gives the same sentiment on the cases our tests list.

A compound jieba knows but we do not (价格便宜) is split when it ends in one of
our words of two or more characters (便宜).
"""

from __future__ import annotations

import logging
import re

import jieba

from .lexicon import SentimentLexicon

__all__ = ["LexiconSegmenter"]

logger = logging.getLogger(__name__)

_MAX_WORD = 6
_ASCII_RUN = re.compile(r"[a-z0-9]+")


class LexiconSegmenter:
    """Split clauses into words for the rule scorer.

    Parameters
    ----------
    lexicon : SentimentLexicon
        The entries to find.

    Examples
    --------
    >>> from feedback_miner.sentiment import load_sentiment_lexicon
    >>> LexiconSegmenter(load_sentiment_lexicon()).cut("出差回来点的外卖，价格便宜")
    ['出差', '回来', '点', '的', '外卖', '价格', '便宜']
    """

    def __init__(self, lexicon: SentimentLexicon) -> None:
        ours = {*lexicon.words, *lexicon.negators, *lexicon.degrees, *lexicon.contrast}
        self._ours = frozenset(w for w in ours if len(w) >= 2)
        characters = set("".join(ours))
        vocabulary = set(ours)
        with jieba.Tokenizer().get_dict_file() as handle:
            for line in handle:
                word = line.split(b" ", 1)[0].decode("utf-8")
                if 2 <= len(word) <= _MAX_WORD and not characters.isdisjoint(word):
                    vocabulary.add(word)
        self._vocabulary = frozenset(vocabulary)
        self._starts = frozenset(w[:2] for w in vocabulary if len(w) >= 2)
        self._splits: dict[str, tuple[str, ...]] = {}
        logger.debug("sentiment segmenter: %d words", len(self._vocabulary))

    def cut(self, text: str) -> list[str]:
        """Words of ``text``, lower-cased; punctuation and spaces are skipped."""
        text = text.lower()
        vocabulary = self._vocabulary
        n = len(text)
        i = 0
        out: list[str] = []
        while i < n:
            ch = text[i]
            if ch.isascii():
                if ch.isalnum():
                    match = _ASCII_RUN.match(text, i)
                    if match is None:  # a non-Latin ASCII letter cannot occur, but be safe
                        i += 1
                        continue
                    out.append(match.group())
                    i = match.end()
                else:
                    i += 1
                continue
            if not ch.isalpha():
                i += 1
                continue
            word = ch
            if text[i : i + 2] in self._starts:  # most positions start no known word
                for size in range(min(_MAX_WORD, n - i), 1, -1):
                    if text[i : i + size] in vocabulary:
                        word = text[i : i + size]
                        break
            if len(word) >= 3 and word not in self._ours:
                out.extend(self._split(word))
            else:
                out.append(word)
            i += len(word)
        return out

    def _split(self, word: str) -> tuple[str, ...]:
        """价格便宜 -> 价格, 便宜: a compound that ends in one of our words of 2+ characters."""
        parts = self._splits.get(word)
        if parts is None:
            parts = (word,)
            for start in range(1, len(word) - 1):
                if word[start:] in self._ours:
                    parts = (word[:start], word[start:])
                    break
            self._splits[word] = parts
        return parts
