"""The sentiment lexicon: weighted words, negators, degree adverbs, contrast markers, emoticons."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

from ..errors import LexiconError
from ..resources import lexicon_file, read_table

__all__ = ["ContrastKind", "SentimentLexicon", "load_sentiment_lexicon"]

ContrastKind = Literal["but", "although"]


@dataclass(frozen=True)
class SentimentLexicon:
    """All word lists the rule scorer uses, loaded once and then read-only.

    Attributes
    ----------
    words : dict
        Word or phrase -> signed weight (about -3 to +3).
    negators : dict
        Word that flips the polarity of what follows -> how much of the
        weight survives the flip: 0.8 for 不, 没有, 并非; 0.45 for the
        softening 不太, 不怎么, 算不上.
    degrees : dict
        Degree adverb -> multiplier (非常 1.7, 有点 0.6 ...).
    contrast : dict
        Contrast or concession marker -> ``"but"`` or ``"although"``.
    emoticons : dict
        Bracket emoticon, emoji or ASCII face -> signed weight.
    rhetorical : dict
        Rhetorical-question marker (难道, 凭什么) -> whether it needs a question
        mark or 吗 in the clause to count.
    patterns : tuple of (Pattern, float)
        Complaint and praise constructions that carry sentiment without a
        judgement word (等了两个小时, 还没送到, 下次还来), with their weights.
    max_phrase_tokens : int
        How many tokens a lexicon phrase may span when joined.
    """

    words: dict[str, float]
    negators: dict[str, float]
    degrees: dict[str, float]
    contrast: dict[str, ContrastKind]
    emoticons: dict[str, float]
    rhetorical: dict[str, bool]
    patterns: tuple[tuple[re.Pattern[str], float], ...] = ()
    max_phrase_tokens: int = 4

    @cached_property
    def prefixes(self) -> frozenset[str]:
        """Every prefix of every word: a run of tokens can only grow into a word through these."""
        return frozenset(w[:i] for w in self.words for i in range(1, len(w) + 1))

    @cached_property
    def modifier_initials(self) -> frozenset[str]:
        """First characters of negators and degree adverbs (which may be glued to a word)."""
        return frozenset(w[0] for w in (*self.negators, *self.degrees))

    @cached_property
    def construction_pattern(self) -> re.Pattern[str]:
        """All construction patterns in one expression, one named group each."""
        parts = [f"(?P<c{i}>{p.pattern})" for i, (p, _) in enumerate(self.patterns)]
        return re.compile("|".join(parts) or "(?!)")

    @cached_property
    def construction_weights(self) -> dict[str, float]:
        """Group name of :attr:`construction_pattern` -> weight."""
        return {f"c{i}": weight for i, (_, weight) in enumerate(self.patterns)}

    @cached_property
    def rhetorical_pattern(self) -> re.Pattern[str]:
        """One regular expression finding any rhetorical-question marker."""
        markers = sorted(self.rhetorical, key=len, reverse=True)
        return re.compile("|".join(re.escape(m) for m in markers) or "(?!)")

    @cached_property
    def emoticon_pattern(self) -> re.Pattern[str]:
        """One regular expression finding every emoticon, longest first."""
        faces = sorted(self.emoticons, key=len, reverse=True)
        return re.compile("|".join(re.escape(f) for f in faces) or "(?!)")

    def split_vocabulary(self) -> list[str]:
        """Words, negators and degree adverbs: what a jieba compound may be split into."""
        return sorted({*self.words, *self.negators, *self.degrees})


def _float(row: dict[str, str], column: str, source: str) -> float:
    try:
        return float(row[column])
    except ValueError:
        raise LexiconError(
            f"{source}: {column} of {row[next(iter(row))]!r} is {row[column]!r}; it must be a number."
        ) from None


def load_sentiment_lexicon() -> SentimentLexicon:
    """Load the shipped lexicon files (see ``lexicons/README.md``)."""
    words = {
        r["word"].lower(): _float(r, "weight", "sentiment_words.tsv")
        for r in read_table(lexicon_file("sentiment_words.tsv"), ["word", "weight"])
    }
    negators = {
        r["word"]: _float(r, "scale", "negators.tsv")
        for r in read_table(lexicon_file("negators.tsv"), ["word", "scale"])
    }
    degrees = {
        r["word"]: _float(r, "multiplier", "degree_adverbs.tsv")
        for r in read_table(lexicon_file("degree_adverbs.tsv"), ["word", "multiplier"])
    }
    contrast: dict[str, ContrastKind] = {}
    for r in read_table(lexicon_file("contrast.tsv"), ["word", "kind"]):
        kind = r["kind"]
        if kind not in ("but", "although"):
            raise LexiconError(
                f"contrast.tsv: kind of {r['word']!r} is {kind!r}; use 'but' or 'although'."
            )
        contrast[r["word"]] = "but" if kind == "but" else "although"
    emoticons = {
        r["token"]: _float(r, "weight", "emoticons.tsv")
        for r in read_table(lexicon_file("emoticons.tsv"), ["token", "weight"])
    }
    rhetorical = {
        r["word"]: r["needs_question"] == "yes"
        for r in read_table(lexicon_file("rhetorical.tsv"), ["word", "needs_question"])
    }
    patterns = []
    for r in read_table(lexicon_file("complaint_patterns.tsv"), ["pattern", "weight"]):
        try:
            patterns.append(
                (re.compile(r["pattern"]), _float(r, "weight", "complaint_patterns.tsv"))
            )
        except re.error as err:
            raise LexiconError(
                f"complaint_patterns.tsv: the pattern {r['pattern']!r} is not a valid regular expression ({err})."
            ) from None
    return SentimentLexicon(
        words=words,
        negators=negators,
        degrees=degrees,
        contrast=contrast,
        emoticons=emoticons,
        rhetorical=rhetorical,
        patterns=tuple(patterns),
    )
