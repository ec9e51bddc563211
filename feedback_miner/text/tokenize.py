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

from ..cache import digest, load_or_build
from ..errors import LexiconError
from ..resources import lexicon_file, read_table
from .route import new_jieba_tokenizer

__all__ = ["ChineseTokenizer", "dictionary_tags", "load_stopwords"]

logger = logging.getLogger(__name__)

_SPACE_OR_PUNCT = re.compile(r"^[\s\W_]+$", re.UNICODE)
# Frequency given to added words so that jieba keeps them whole.
_ADDED_WORD_FREQ = 2000
_MIN_SPLIT_LENGTH = 3
# how dictionary_tags reads a dictionary file: a new reading needs a new cache key
_TAGS_FORMAT = "word-tags 1"


def dictionary_tags(tokenizer: jieba.Tokenizer) -> dict[str, str]:
    """The part of speech of each word of ``tokenizer``'s dictionary file.

    Each line of the file is ``word frequency tag``. The table is what
    ``jieba.posseg.POSTokenizer`` reads, without importing that module (its
    import reads jieba's dictionary for a tagger of its own) and kept in the
    cache folder (see :mod:`feedback_miner.cache`), where loading it takes less
    than half the time of reading the file.

    Raises
    ------
    LexiconError
        When a line does not have three fields.
    """
    with tokenizer.get_dict_file() as handle:
        data = handle.read()
    name = getattr(handle, "name", "jieba's dictionary")
    return load_or_build(
        "word-tags", digest([_TAGS_FORMAT, data]), lambda: _read_tags(data, str(name)), dict
    )


def _read_tags(data: bytes, name: str) -> dict[str, str]:
    """``word -> tag`` of a dictionary file's bytes (see :func:`dictionary_tags`)."""
    tags: dict[str, str] = {}
    # lines end at b"\n" only and lose ASCII white space, as jieba reads them
    for number, raw in enumerate(data.split(b"\n"), 1):
        line = raw.strip().decode("utf-8")
        if not line:
            continue
        fields = line.split(" ")
        if len(fields) != 3:
            raise LexiconError(
                f"{name}, line {number}: {line!r} is not 'word frequency tag' "
                "separated by single spaces."
            )
        tags[fields[0]] = fields[2]
    return tags


def load_stopwords() -> frozenset[str]:
    """Return the shipped stopword list (``lexicons/stopwords.tsv``)."""
    return frozenset(row["word"] for row in read_table(lexicon_file("stopwords.tsv"), ["word"]))


class ChineseTokenizer:
    """A jieba tokenizer with the feedback-miner dictionary.

    Parameters
    ----------
    extra_words : iterable of str, optional
        Words to keep whole, such as taxonomy keywords.
    split_words : iterable of str, optional
        Our own vocabulary (taxonomy keywords, sentiment words, negators).
        jieba's dictionary holds compounds such as 价格便宜 or 客服态度差; a
        token of three or more characters made entirely of these words is
        split into them, so that 价格 and 便宜 are both seen.
    user_dict : Path, optional
        An extra user dictionary in the same TSV format as
        ``lexicons/userdict.tsv`` (columns ``word``, ``freq``, ``tag``).
    base : ChineseTokenizer, optional
        A tokenizer made without extra words whose dictionary is copied
        instead of loaded again (a tenth of the time: comparing taxonomies
        builds one tokenizer per taxonomy).

    Examples
    --------
    >>> tok = ChineseTokenizer(extra_words=["携号转网"])
    >>> tok.cut("我要携号转网")
    ['我要', '携号转网']
    >>> ChineseTokenizer(split_words=["价格", "便宜"]).cut("价格便宜")
    ['价格', '便宜']
    """

    def __init__(
        self,
        *,
        extra_words: Iterable[str] = (),
        split_words: Iterable[str] = (),
        user_dict: Path | None = None,
        base: ChineseTokenizer | None = None,
    ) -> None:
        # jieba logs its dictionary loading at DEBUG with a handler of its own on stderr;
        # a library's users should see nothing of it
        logging.getLogger("jieba").setLevel(logging.WARNING)
        self._jieba = new_jieba_tokenizer()
        self._split_words = frozenset(w.lower() for w in split_words if w)
        self._longest_split_word = max((len(w) for w in self._split_words), default=0)
        self._splits: dict[str, tuple[str, ...]] = {}
        self._tags: dict[str, str] | None = None
        self.stopwords = load_stopwords()
        if base is not None:
            base._jieba.check_initialized()
            self._jieba.FREQ = dict(base._jieba.FREQ)
            self._jieba.total = base._jieba.total
            self._jieba.user_word_tag_tab = dict(base._jieba.user_word_tag_tab)
            self._jieba.initialized = True
        else:
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

    def frequency(self, word: str) -> int:
        """The frequency of ``word`` in this tokenizer's dictionary (0 when absent).

        Words the taxonomy or the user dictionary added count as frequent
        (jieba's own dictionary gives rare words single digits).
        """
        self._jieba.check_initialized()
        return int(self._jieba.FREQ.get(word, 0) or 0)

    def word_tag(self, word: str) -> str:
        """The part of speech jieba's dictionary gives ``word`` (``n``, ``v``, ``d`` ...),
        or ``""`` for a word it does not list.

        Examples
        --------
        >>> tok = ChineseTokenizer()
        >>> tok.word_tag("网速"), tok.word_tag("已经")
        ('n', 'd')
        """
        if self._tags is None:
            # the tags of this instance's dictionary file, never jieba's globals
            self._tags = {**dictionary_tags(self._jieba), **self._jieba.user_word_tag_tab}
        return str(self._tags.get(word, "") or "")

    def cut(self, text: str) -> list[str]:
        """Return the tokens of ``text`` without whitespace and punctuation tokens.

        ASCII letters are lower-cased so that ``BUG`` and ``bug`` match alike.
        """
        tokens: list[str] = []
        for token in self._jieba.lcut(text, HMM=True):
            # most tokens are letters (Chinese included): only the others need the pattern
            if not token.isalnum() and (not token.strip() or _SPACE_OR_PUNCT.match(token)):
                continue
            token = token.lower()
            if len(token) >= _MIN_SPLIT_LENGTH and self._split_words:
                tokens.extend(self._split(token))
            else:
                tokens.append(token)
        return tokens

    def _split(self, token: str) -> tuple[str, ...]:
        """``token`` as the fewest of our words that make it up exactly, or itself."""
        cached = self._splits.get(token)
        if cached is not None:
            return cached
        n = len(token)
        # best[i]: fewest parts covering token[:i]; back[i]: where the last part starts
        best = [0] + [n + 1] * n
        back = [0] * (n + 1)
        for end in range(1, n + 1):
            for start in range(max(0, end - self._longest_split_word), end):
                if best[start] + 1 < best[end] and token[start:end] in self._split_words:
                    best[end], back[end] = best[start] + 1, start
        parts: tuple[str, ...] = (token,)
        if 2 <= best[n] <= n:
            pieces = []
            end = n
            while end > 0:
                pieces.append(token[back[end] : end])
                end = back[end]
            parts = tuple(reversed(pieces))
        self._splits[token] = parts
        return parts

    def content_tokens(self, text: str) -> list[str]:
        """Return :meth:`cut` without stopwords and single non-Chinese characters."""
        return [
            t
            for t in self.cut(text)
            if t not in self.stopwords and not (len(t) == 1 and t.isascii())
        ]
