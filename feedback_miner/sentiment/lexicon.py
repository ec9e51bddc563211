"""The sentiment lexicon: weighted words, complaint statements, negators, degree adverbs,
contrast markers, emoticons, and the patterns of constructions, irony and discourse."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Literal

from ..errors import LexiconError
from ..resources import lexicon_file, read_table
from .patterns import PatternIndex, first_characters

__all__ = [
    "ContrastKind",
    "DiscourseKind",
    "IronyKind",
    "SentimentLexicon",
    "load_sentiment_lexicon",
]

ContrastKind = Literal["but", "reservation", "although"]
_CONTRAST_KINDS: tuple[ContrastKind, ...] = ("but", "reservation", "although")
IronyKind = Literal["sarcasm", "wish", "warning", "comparison", "courtesy", "marker"]
DiscourseKind = Literal["target", "circumstance", "own", "narration", "reality"]

_IRONY_KINDS: tuple[IronyKind, ...] = (
    "sarcasm",
    "wish",
    "warning",
    "comparison",
    "courtesy",
    "marker",
)
_DISCOURSE_KINDS: tuple[DiscourseKind, ...] = (
    "target",
    "circumstance",
    "own",
    "narration",
    "reality",
)
# what {N} stands for in complaint_patterns.tsv: 3, 三, 两, 十几, 好几, 半
_NUMBER = r"(?:[0-9]+|[一二两俩仨三四五六七八九十百千几半]+|好几)(?:多|来)?"
# what {BREAK} stands for: a clause break inside a sentence
_BREAK = r"[^。！？!?]{0,16}?[，,；;、…~～ ]+[^。！？!?，,]{0,12}?"


@dataclass(frozen=True)
class SentimentLexicon:
    """All word lists and patterns the rule scorer uses, loaded once and then read-only.

    Attributes
    ----------
    words : dict
        Word or phrase -> signed weight (about -3 to +3): the judgement words
        of ``sentiment_words.tsv`` and the complaint statements of
        ``complaint_statements.tsv``.
    negators : dict
        Word that flips the polarity of what follows -> how much of the
        weight survives the flip: 0.8 for 不, 没有, 并非; 0.45 for the
        softening 不太, 不怎么, 算不上.
    degrees : dict
        Degree adverb -> multiplier (非常 1.7, 有点 0.6 ...).
    contrast : dict
        Contrast or concession marker -> ``"but"`` (a reversal: 但是, 可是),
        ``"reservation"`` (a qualification: 不过, 就是) or ``"although"`` (虽然).
    emoticons : dict
        Bracket emoticon, emoji or ASCII face -> signed weight.
    rhetorical : dict
        Rhetorical-question marker (难道, 凭什么) -> whether it needs a question
        mark or 吗 in the clause to count.
    patterns : tuple of (Pattern, float)
        Complaint and praise constructions that carry sentiment without a
        judgement word (等了两个小时, 售后不予处理, 充不进去, 下次还来).
    sentence_patterns : tuple of (Pattern, float)
        Constructions that run across the clauses of a sentence (我要的是冰咖啡，
        结果送了热的); they count for the clause where they end.
    complaint_kinds : dict
        Complaint statement -> its kind (``defect``, ``refusal``, ``missing`` ...).
    scope_words : frozenset of str
        Words a negator's scope passes through (觉得, 那么, 让人).
    complements : dict
        Degree complement after a word -> multiplier (快得不行, 难吃得要命).
    compound_tails : frozenset of str
        One-character judgements read at the end of a compound (速度慢).
    particles : frozenset of str
        Sentence-final particles (的, 呀, 哒), which leave the word before them whole.
    question_words : frozenset of str
        Words that ask whether (是否, 有没有): the judgement after them is not given.
    irony : tuple of (Pattern, float, kind)
        Sarcasm, wish and sarcasm-marker patterns (``irony_patterns.tsv``).
    discourse : dict
        Discourse kind (``target``, ``circumstance``, ``own``, ``narration``,
        ``reality``) -> one pattern finding any of its markers.
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
    sentence_patterns: tuple[tuple[re.Pattern[str], float], ...] = ()
    complaint_kinds: dict[str, str] = field(default_factory=dict)
    scope_words: frozenset[str] = frozenset()
    complements: dict[str, float] = field(default_factory=dict)
    compound_tails: frozenset[str] = frozenset()
    particles: frozenset[str] = frozenset()
    question_words: frozenset[str] = frozenset()
    irony: tuple[tuple[re.Pattern[str], float, IronyKind], ...] = ()
    discourse: dict[DiscourseKind, re.Pattern[str]] = field(default_factory=dict)
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
    def clause_pattern_index(self) -> PatternIndex[tuple[bool, float]]:
        """The construction patterns (``False``) and the sarcasm, comparison, wish,
        warning and courtesy patterns (``True``), filed under their characters together."""
        constructions = [(p, (False, w)) for p, w in self.patterns]
        reversals = [(p, (True, w)) for p, w, kind in self.irony if kind != "marker"]
        return PatternIndex(constructions + reversals)

    def clause_patterns_in(self, clause: str) -> tuple[list[float], list[float]]:
        """The weights of the construction patterns and of the reversal patterns
        found in ``clause``, each in the lexicon's order."""
        constructions: list[float] = []
        reversals: list[float] = []
        for reversal, weight in self.clause_pattern_index.found(clause):
            (reversals if reversal else constructions).append(weight)
        return constructions, reversals

    @cached_property
    def sentence_pattern(self) -> re.Pattern[str]:
        """All cross-clause construction patterns in one expression, one named group each."""
        parts = [f"(?P<s{i}>{p.pattern})" for i, (p, _) in enumerate(self.sentence_patterns)]
        return re.compile("|".join(parts) or "(?!)")

    @cached_property
    def sentence_weights(self) -> dict[str, float]:
        """Group name of :attr:`sentence_pattern` -> weight."""
        return {f"s{i}": weight for i, (_, weight) in enumerate(self.sentence_patterns)}

    @cached_property
    def marker_pattern(self) -> re.Pattern[str]:
        """One expression finding any sarcasm marker (呵呵)."""
        parts = [p.pattern for p, _, kind in self.irony if kind == "marker"]
        return re.compile("|".join(parts) or "(?!)")

    @cached_property
    def aside_pattern(self) -> re.Pattern[str]:
        """One expression finding a target or narration marker (an aside may start here)."""
        kinds = ("target", "circumstance", "narration")
        parts = [self.discourse[k].pattern for k in kinds if k in self.discourse]
        return re.compile("|".join(f"(?:{p})" for p in parts) or "(?!)")

    @cached_property
    def document_patterns(self) -> tuple[re.Pattern[str], ...]:
        """The marker, rhetorical, emoticon and aside families, each as one expression
        over the lines of a whole document (see ``rules.pattern_hints``)."""
        families = (
            self.marker_pattern,
            self.rhetorical_pattern,
            self.emoticon_pattern,
            self.aside_pattern,
        )
        return tuple(re.compile(p.pattern, re.MULTILINE) for p in families)

    @cached_property
    def document_pattern_starts(self) -> tuple[frozenset[str] | None, ...]:
        """The characters a match of each of :attr:`document_patterns` can start with
        (``None`` where that cannot be read): a text holding none of them is not searched."""
        return tuple(first_characters(p.pattern) for p in self.document_patterns)

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

    def with_words(self, added: dict[str, float]) -> SentimentLexicon:
        """A copy with ``added`` joining the words (their weights win)."""
        return replace(self, words={**self.words, **added})


def _float(row: dict[str, str], column: str, source: str) -> float:
    try:
        return float(row[column])
    except ValueError:
        raise LexiconError(
            f"{source}: {column} of {row[next(iter(row))]!r} is {row[column]!r}; it must be a number."
        ) from None


def _compile(pattern: str, source: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except re.error as err:
        raise LexiconError(
            f"{source}: the pattern {pattern!r} is not a valid regular expression ({err})."
        ) from None


def _load_statements(words: dict[str, float]) -> dict[str, str]:
    """Add the complaint statements to ``words``; return phrase -> kind."""
    kinds: dict[str, str] = {}
    for r in read_table(
        lexicon_file("complaint_statements.tsv"), ["phrase", "weight", "kind", "domain"]
    ):
        phrase = r["phrase"].lower()
        weight = _float(r, "weight", "complaint_statements.tsv")
        if phrase in words:
            raise LexiconError(
                f"complaint_statements.tsv: {phrase!r} is also in sentiment_words.tsv; "
                "keep it in one of the two files."
            )
        if weight >= 0:
            raise LexiconError(
                f"complaint_statements.tsv: the weight of {phrase!r} is {weight:g}; "
                "a complaint statement has a negative weight."
            )
        words[phrase] = weight
        kinds[phrase] = r["kind"]
    return kinds


Patterns = tuple[tuple[re.Pattern[str], float], ...]


def _load_patterns() -> tuple[Patterns, Patterns]:
    """The constructions of one clause, and those that run across a sentence's clauses."""
    items = [r["item"] for r in read_table(lexicon_file("expected_items.tsv"), ["item", "domain"])]
    item_group = "(?:" + "|".join(re.escape(i) for i in sorted(items, key=len, reverse=True)) + ")"
    clause, sentence = [], []
    for r in read_table(lexicon_file("complaint_patterns.tsv"), ["pattern", "weight"]):
        text = r["pattern"].replace("{N}", _NUMBER).replace("{ITEM}", item_group)
        weight = _float(r, "weight", "complaint_patterns.tsv")
        if "{BREAK}" in text:
            text = text.replace("{BREAK}", _BREAK)
            sentence.append((_compile(text, "complaint_patterns.tsv"), weight))
        else:
            clause.append((_compile(text, "complaint_patterns.tsv"), weight))
    return tuple(clause), tuple(sentence)


def _load_irony() -> tuple[tuple[re.Pattern[str], float, IronyKind], ...]:
    irony = []
    for r in read_table(lexicon_file("irony_patterns.tsv"), ["pattern", "weight", "kind"]):
        kind = r["kind"]
        if kind not in _IRONY_KINDS:
            raise LexiconError(
                f"irony_patterns.tsv: kind of {r['pattern']!r} is {kind!r}; "
                f"use one of {', '.join(_IRONY_KINDS)}."
            )
        weight = _float(r, "weight", "irony_patterns.tsv")
        irony_kind = next(k for k in _IRONY_KINDS if k == kind)
        irony.append((_compile(r["pattern"], "irony_patterns.tsv"), weight, irony_kind))
    return tuple(irony)


def _load_discourse() -> dict[DiscourseKind, re.Pattern[str]]:
    found: dict[DiscourseKind, list[str]] = {k: [] for k in _DISCOURSE_KINDS}
    for r in read_table(lexicon_file("discourse_markers.tsv"), ["pattern", "kind"]):
        kind = next((k for k in _DISCOURSE_KINDS if k == r["kind"]), None)
        if kind is None:
            raise LexiconError(
                f"discourse_markers.tsv: kind of {r['pattern']!r} is {r['kind']!r}; "
                f"use one of {', '.join(_DISCOURSE_KINDS)}."
            )
        _compile(r["pattern"], "discourse_markers.tsv")
        found[kind].append(r["pattern"])
    return {k: re.compile("|".join(v) or "(?!)") for k, v in found.items()}


def load_sentiment_lexicon() -> SentimentLexicon:
    """Load the shipped lexicon files (see ``lexicons/README.md``)."""
    words = {
        r["word"].lower(): _float(r, "weight", "sentiment_words.tsv")
        for r in read_table(lexicon_file("sentiment_words.tsv"), ["word", "weight"])
    }
    complaint_kinds = _load_statements(words)
    negators = {
        r["word"]: _float(r, "scale", "negators.tsv")
        for r in read_table(lexicon_file("negators.tsv"), ["word", "scale"])
    }
    degrees = {
        r["word"]: _float(r, "multiplier", "degree_adverbs.tsv")
        for r in read_table(lexicon_file("degree_adverbs.tsv"), ["word", "multiplier"])
    }
    complement_rows = read_table(lexicon_file("degree_complements.tsv"), ["word", "multiplier"])
    contrast: dict[str, ContrastKind] = {}
    for r in read_table(lexicon_file("contrast.tsv"), ["word", "kind"]):
        contrast_kind = next((k for k in _CONTRAST_KINDS if k == r["kind"]), None)
        if contrast_kind is None:
            raise LexiconError(
                f"contrast.tsv: kind of {r['word']!r} is {r['kind']!r}; "
                f"use one of {', '.join(_CONTRAST_KINDS)}."
            )
        contrast[r["word"]] = contrast_kind
    emoticons = {
        r["token"]: _float(r, "weight", "emoticons.tsv")
        for r in read_table(lexicon_file("emoticons.tsv"), ["token", "weight"])
    }
    rhetorical = {
        r["word"]: r["needs_question"] == "yes"
        for r in read_table(lexicon_file("rhetorical.tsv"), ["word", "needs_question"])
    }
    scope_words = frozenset(
        r["word"] for r in read_table(lexicon_file("scope_words.tsv"), ["word", "what"])
    )
    patterns, sentence_patterns = _load_patterns()
    complements = {
        r["word"]: _float(r, "multiplier", "degree_complements.tsv") for r in complement_rows
    }
    return SentimentLexicon(
        words=words,
        negators=negators,
        degrees=degrees,
        contrast=contrast,
        emoticons=emoticons,
        rhetorical=rhetorical,
        patterns=patterns,
        sentence_patterns=sentence_patterns,
        complaint_kinds=complaint_kinds,
        scope_words=scope_words,
        complements=complements,
        question_words=frozenset(
            r["word"] for r in read_table(lexicon_file("question_words.tsv"), ["word", "what"])
        ),
        particles=frozenset(
            r["word"] for r in read_table(lexicon_file("particles.tsv"), ["word", "what"])
        ),
        compound_tails=frozenset(
            r["word"] for r in read_table(lexicon_file("compound_tails.tsv"), ["word", "what"])
        ),
        irony=_load_irony(),
        discourse=_load_discourse(),
    )
