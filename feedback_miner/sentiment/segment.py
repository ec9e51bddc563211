"""A fast segmenter for sentiment: longest-match over a known vocabulary.

Sentiment needs words, not full segmentation: it is enough to find lexicon
entries at word boundaries, so that 差 in 出差 or 好 in 好像 is not read as a
judgement. The vocabulary is our lexicon plus the words of jieba's own
dictionary that share a character with it (the words that could otherwise be
misread). An Aho-Corasick automaton (pyahocorasick) returns, left to right,
the longest known word at each point and skips what it does not know; this is
several times faster than jieba's full DAG and HMM, which matters when scoring
millions of texts. Where text was skipped between two words, an empty string
(:data:`GAP`) stands for it, so that phrases and a negator's scope do not
reach across unknown words.

Compounds:

- A compound jieba knows but we do not (价格便宜) is split when it ends in one
  of our words of two or more characters (便宜), or in one of the
  one-character judgements of ``compound_tails.tsv`` after a word (速度慢 ->
  速度, 慢).
- jieba's dictionary also lists rare two-character entries that begin with a
  negator or a degree adverb (不文, 太多, 很乱: frequency below 30). They are
  left out, so that the negator or adverb stays a word of its own: 不文明礼貌
  is 不 + 文明礼貌, 太多了 is 太 + 多.
- A one-character negator before one of our words is the negator and the word
  when jieba knows no such compound (不热情周到 -> 不, 热情, 周到); a negator
  straight before a split compound governs the compound's judgement word
  (不 + 文明礼貌 -> 不, 礼貌). Compounds jieba does know (不简单, 没想到) stay whole.
- A one-character word that is also a degree adverb (好) glued to a character
  we do not know (好少, 好咸) is the adverb of that unknown word, not the
  judgement 好; before a particle (挺好的, 好呀) it stays the judgement. A
  one-character word right before a numeral is an adverb of quantity, not a
  judgement (快两个小时 "almost two hours", 好几次).

A Latin-letter word (bug, yyds) counts only when it is not part of a longer
word (debug).

The search itself is pyahocorasick's ``iter_long``. That library looks a
character up among a trie node's children one by one, and the root has
thousands, so a character that starts no word (a comma, a digit) costs a scan
of all of them. ``feedback_miner/sentiment/_longest.c``, when it was built at
install time, holds the same trie with each node's children in order (the
root's in a table) and takes the same steps, so that it finds exactly the
matches ``iter_long`` yields, five times as fast or more;
``tests/sentiment/test_longest.py`` compares the two. Setting
``FEEDBACK_MINER_PURE_PYTHON=1`` before a segmenter is made or loaded uses
pyahocorasick alone (:mod:`feedback_miner.compiled`).
"""

from __future__ import annotations

import logging
import sys
from array import array
from collections import Counter
from importlib import metadata
from itertools import chain
from pathlib import Path
from typing import Any

import ahocorasick
import jieba

from ..cache import digest, load_or_build
from ..compiled import pure_python_requested
from .lexicon import SentimentLexicon

_compiled: Any
try:  # built at install time when a C compiler was there
    from . import _longest as _compiled  # type: ignore[attr-defined, no-redef]
except ImportError:
    _compiled = None

__all__ = ["GAP", "LexiconSegmenter"]

logger = logging.getLogger(__name__)

_MAX_WORD = 6
# jieba entries rarer than this that start with one of our negators or degree adverbs
_RARE = 30
# what stands for skipped text between two known words
GAP = ""
# a one-character word right before one of these is an adverb of quantity (快两个小时)
_NUMERALS = frozenset("0123456789一二两三四五六七八九十百千几半俩")
_NUMERAL_CHARACTERS = "".join(sorted(_NUMERALS))
# kinds of vocabulary entry
_PLAIN, _SPLIT, _ADVERB_WORD = 0, 1, 2
# what the automaton holds for a word: its parts, whether it is Latin, its length, its kind
_Entry = tuple[tuple[str, ...], bool, int, int]


class LexiconSegmenter:
    """Split clauses into the words the rule scorer can use.

    Parameters
    ----------
    lexicon : SentimentLexicon
        The entries to find.

    Examples
    --------
    >>> from feedback_miner.sentiment import load_sentiment_lexicon
    >>> LexiconSegmenter(load_sentiment_lexicon()).cut("出差回来点的外卖，价格便宜")
    ['出差', '回来', '', '外卖', '', '价格', '便宜']
    """

    def __init__(self, lexicon: SentimentLexicon) -> None:
        ours = {
            *lexicon.words,
            *lexicon.negators,
            *lexicon.degrees,
            *lexicon.contrast,
            *lexicon.complements,
        }
        self._ours = frozenset(w for w in ours if len(w) >= 2)
        self._particles = lexicon.particles
        negators = frozenset(n for n in lexicon.negators if len(n) == 1)
        self._negators = negators
        # the same, as strings for the compiled cut
        self._negator_characters = "".join(sorted(negators))
        self._particle_characters = "".join(sorted(p for p in self._particles if len(p) == 1))
        modifiers = negators | {d for d in lexicon.degrees if len(d) == 1}
        characters = set("".join(ours))
        vocabulary = {w.lower() for w in ours}
        known: set[str] = set()
        # how often words start with each character, by jieba's frequencies
        initials: Counter[str] = Counter()
        with jieba.Tokenizer().get_dict_file() as handle:
            for line in handle:
                word, frequency = line.decode("utf-8").split(" ", 2)[:2]
                initials[word[:1]] += int(frequency)
                if not 2 <= len(word) <= _MAX_WORD:
                    continue
                known.add(word)
                if characters.isdisjoint(word) or word in vocabulary:
                    continue
                if len(word) == 2 and word[0] in modifiers and int(frequency) < _RARE:
                    continue  # 不文, 太多: let the negator or adverb stand alone
                vocabulary.add(word)
        vocabulary.update(lexicon.scope_words, lexicon.question_words)
        tails = {
            w: (w[:-1], w[-1])
            for w in vocabulary
            if len(w) >= 3 and w[-1] in lexicon.compound_tails and w[:-1] in known
        }
        del known
        adverb_words = {w for w in lexicon.words if len(w) == 1 and w in lexicon.degrees}
        automaton = ahocorasick.Automaton()
        # the automaton looks a character up among a node's children in the order they
        # were added: one word of each first character, most common first, makes the
        # search about a quarter cheaper; the words found are the same in any order
        first_words: dict[str, str] = {}
        for word in vocabulary:
            first_words.setdefault(word[:1], word)
        leading = [first_words[c] for c in sorted(first_words, key=lambda c: (-initials[c], c))]
        rest = [w for w in vocabulary if first_words[w[:1]] != w]
        for word in chain(leading, rest):
            # what a match yields, decided once: its parts, whether it needs a boundary
            # check, its length, and its kind
            kind = _ADVERB_WORD if word in adverb_words else _PLAIN
            parts: tuple[str, ...] = (word,)
            if word not in self._ours and len(word) >= 3:
                parts = self._split(word)
                if len(parts) == 1 and word in tails:
                    parts = tails[word]  # 速度慢: 速度 and 慢
                kind = _SPLIT if len(parts) == 2 else _PLAIN
            automaton.add_word(word, (parts, word.isascii(), len(word), kind))
        # 不热情周到: a one-character negator glued to one of our words, where jieba
        # knows no such compound, is the negator and the word
        for word in lexicon.words:
            if len(word) < 2 or word.isascii():
                continue
            for negator in negators:
                compound = negator + word
                if compound not in vocabulary:
                    automaton.add_word(compound, ((negator, word), False, len(compound), _PLAIN))
        automaton.make_automaton()
        # one of the two searches: the compiled one, or pyahocorasick's
        self._words: object | None = None
        self._automaton: ahocorasick.Automaton | None = automaton
        if _compiled is not None and not pure_python_requested():
            self._words, self._automaton = _compiled.build(list(automaton.items())), None
        logger.debug("sentiment segmenter: %d words", len(vocabulary))

    def __getstate__(self) -> dict[str, object]:
        # the compiled search is kept as its arrays, which load in a few milliseconds
        state = dict(self.__dict__)
        if self._words is not None:
            state["_words"] = _compiled.dump(self._words)
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        kept = state["_words"]
        if _compiled is None or pure_python_requested():
            if self._automaton is None:  # kept compiled, loaded without the module
                self._automaton = _automaton_of(*kept)  # type: ignore[misc]
            self._words = None
        elif self._automaton is not None:  # kept where the module was not built
            self._words, self._automaton = _compiled.build(list(self._automaton.items())), None
        else:
            self._words = _compiled.load(*kept)  # type: ignore[misc]

    @property
    def compiled(self) -> bool:
        """Whether this segmenter searches with the compiled module.

        Examples
        --------
        >>> from feedback_miner.sentiment import load_sentiment_lexicon
        >>> LexiconSegmenter(load_sentiment_lexicon()).compiled in (True, False)
        True
        """
        return self._words is not None

    @classmethod
    def cached(cls, lexicon: SentimentLexicon) -> LexiconSegmenter:
        """The segmenter of ``lexicon``, loaded from the cache folder when it holds
        one (a fifth of a second instead of two: see :mod:`feedback_miner.cache`).

        The entry is keyed by everything the segmenter is built from: the
        lexicon's entries, jieba's dictionary file, this module's code and the
        versions of Python and pyahocorasick. What it returns cuts every text
        exactly as ``LexiconSegmenter(lexicon)`` does.
        """
        return load_or_build(
            "sentiment-segmenter", _build_key(lexicon), lambda: cls(lexicon), kind=cls
        )

    def cut(self, text: str) -> list[str]:
        """Known words of ``text`` in order, lower-cased, with :data:`GAP` for skipped text.

        A gap is marked only between two words, never at either end.
        """
        text = text.lower()
        if self._automaton is None:  # the compiled search, and these steps in C
            words: list[str] = _compiled.cut(
                self._words,
                text,
                self._negator_characters,
                self._particle_characters,
                _NUMERAL_CHARACTERS,
                GAP,
            )
            return words
        # (end, (parts, latin, size, kind)) as the automaton yields them
        matches: list[tuple[int, _Entry]] = [
            match
            for match in self._automaton.iter_long(text)
            if not match[1][1] or _stands_alone(text, match[0] - match[1][2] + 1, match[0])
        ]
        out: list[str] = []
        last_end, negator_end = -1, -2
        for k, (end, (parts, _, size, kind)) in enumerate(matches):
            start = end - size + 1
            if out and start > last_end + 1:
                out.append(GAP)
            if kind == _SPLIT and negator_end == start - 1:
                out.append(parts[1])  # 不 + 文明礼貌: the negator governs the judgement
            elif kind == _ADVERB_WORD and self._glued(text, end, matches, k):
                out.append(text[start : end + 2])  # 好少: the adverb of an unknown word
                end += 1
            elif start == end and end + 1 < len(text) and text[end + 1] in _NUMERALS:
                if out and out[-1] != GAP:
                    out.append(GAP)  # 快两个小时, 好几次: "almost", "quite a few", no judgement
            else:
                out.extend(parts)
            if start == end and text[start] in self._negators:
                negator_end = start
            last_end = end
        return out

    def _glued(self, text: str, end: int, matches: list[tuple[int, _Entry]], k: int) -> bool:
        """Whether the character after ``end`` is an unknown Chinese character, not a particle."""
        after = end + 1
        if after >= len(text) or not "\u4e00" <= text[after] <= "\u9fff":
            return False
        if text[after] in self._particles:
            return False
        if k + 1 == len(matches):
            return True
        next_end, (_, _, next_size, _) = matches[k + 1]
        return next_end - next_size + 1 > after

    def _split(self, word: str) -> tuple[str, ...]:
        """价格便宜 -> 价格, 便宜: a compound that ends in one of our words of 2+ characters."""
        for start in range(1, len(word) - 1):
            if word[start:] in self._ours:
                return (word[:start], word[start:])
        return (word,)


def _automaton_of(data: bytes, payloads: list[_Entry | None]) -> ahocorasick.Automaton:
    """pyahocorasick's automaton of the words that ``_longest.dump`` kept, for a segmenter
    kept where the compiled module was built and loaded where it is not (or is not to
    be used): the trie's arrays are read back into its words, with their payloads.
    """
    nodes = len(payloads)
    label, first, count = (array("i") for _ in range(3))
    for part, values in enumerate((label, first, count)):
        values.frombytes(data[part * 4 * nodes : (part + 1) * 4 * nodes])
    words = [""] * nodes
    automaton = ahocorasick.Automaton()
    for node in range(nodes):
        for child in range(first[node], first[node] + count[node]):
            words[child] = words[node] + chr(label[child])
        payload = payloads[node]
        if payload is not None:
            automaton.add_word(words[node], payload)
    automaton.make_automaton()
    return automaton


def _build_key(lexicon: SentimentLexicon) -> str:
    """A digest of everything :class:`LexiconSegmenter` is built from."""
    try:
        automaton_version = metadata.version("pyahocorasick")
    except metadata.PackageNotFoundError:
        automaton_version = "unknown"
    entries = (
        lexicon.words,
        lexicon.negators,
        lexicon.degrees,
        lexicon.contrast,
        lexicon.complements,
        lexicon.particles,
        lexicon.scope_words,
        lexicon.question_words,
        lexicon.compound_tails,
    )
    with jieba.Tokenizer().get_dict_file() as handle:
        dictionary = handle.read()
    return digest(
        [
            sys.version,
            automaton_version,
            # each search keeps its own form (either loads as the other, more slowly)
            "pure" if _compiled is None or pure_python_requested() else "compiled",
            Path(__file__).read_bytes(),
            dictionary,
            *("\n".join(sorted(words)) for words in entries),
        ]
    )


def _stands_alone(text: str, start: int, end: int) -> bool:
    """Whether text[start:end + 1] is not glued to other Latin letters or digits."""
    before = text[start - 1] if start > 0 else " "
    after = text[end + 1] if end + 1 < len(text) else " "
    return not (before.isascii() and before.isalnum()) and not (after.isascii() and after.isalnum())
