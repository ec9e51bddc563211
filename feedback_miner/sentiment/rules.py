"""Rule-based Chinese sentiment of one clause.

The rules, in the order they apply:

1. **Lexicon match**: the longest run of up to ``max_phrase_tokens`` tokens whose
   joined text is a lexicon entry (a judgement word or a complaint statement
   such as 断裂, 不予处理); a single token that is negators or degree adverbs
   glued to a lexicon word (不贵, 不太好, 超好用) is taken apart.
2. **Negation**: a negator flips the weight of the word it governs and scales
   it by its own strength (0.8 for 不, 0.45 for the softening 不太); an even
   count (double negation, 不是不好) keeps the sign but weakens it. The
   negator governs the next lexicon word only when nothing but degree
   adverbs, other negators and the words of ``scope_words.tsv`` (觉得, 那么,
   让人) stand between them: in 无备胎售后不予处理 the 无 negates 备胎, not
   不予处理. A negated word's scope carries on over the words glued straight
   after it with the same polarity: 不文明礼貌 is 不(文明礼貌).
3. **Degree**: degree adverbs in the same window multiply the weight; a
   negator *before* a degree adverb (不太好, 不是很满意) softens instead.
4. **Emphasis**: exclamation marks strengthen the clause; emoticons and
   emoji add their own weight; a word said again adds its weight again.
5. **Constructions** (``complaint_patterns.tsv``): statements that complain
   without a judgement word (等了两个小时, 售后不予处理, 退订不了, 被扣了钱,
   房间没有热水, 为什么这次不包邮了) and praise constructions (下次还来). Where
   the words already say the same, the stronger of the two counts, not both.
6. **Irony** (``irony_patterns.tsv``): sarcasm (还真会赚钱, 有还不如无,
   好一个…) and wishes (再多一点就更好了) make the clause a complaint whatever
   its literal words; a positive word in short quotation marks (服务真“好”)
   is read as irony, flipped; a sarcasm marker (呵呵) turns the clause's
   positive words into complaints.
7. **Rhetorical questions**: a clause with 难道 / 岂 ... 吗 or ？, or with
   怎么能 / 凭什么, is a complaint: a positive literal reading is flipped and a
   neutral one becomes mildly negative (难道这就是服务吗？). An A-not-A
   question (好不好, 满意不满意) or a word after 是否 (是否齐全) judges nothing.
8. **Punctuation cues**: a clause that judges nothing in words but is a
   question (东西呢？, 为什么是拌好的？) is a mild complaint: customers ask
   when something went wrong; a trailing ellipsis (…, 。。。) that judges
   nothing is a weaker one.

How clauses make a document score is in :mod:`feedback_miner.sentiment.discourse`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Literal, NamedTuple

from .lexicon import SentimentLexicon

__all__ = [
    "ALL_PATTERNS",
    "ALPHA",
    "PatternHints",
    "SentimentLabel",
    "label_score",
    "pattern_hints",
    "quoted_spans",
    "raw_clause_score",
    "sentence_constructions",
    "squash",
]

SentimentLabel = Literal["negative", "neutral", "positive"]

ALPHA = 4.0
_WINDOW = 3
_DOUBLE_NEGATION_SCALE = 0.6
_SOFTENED_NEGATION_SCALE = 0.45
_EXCLAMATION_STEP = 0.15
_RHETORICAL_WEIGHT = -1.0
# a contrast marker inside a clause: (weight of the words before it, of the words after it)
_INNER_CONTRAST = {"but": (0.5, 1.5), "reservation": (1.0, 1.0), "although": (1.0, 1.0)}
_QUESTION_WEIGHT = -0.6
_ELLIPSIS_WEIGHT = -0.3
# a quoted span this short is a scare quote (服务真“好”), not a quotation
SHORT_QUOTE = 4
_QUOTED = re.compile(
    "|".join(
        f"{open_}([^{close}]{{1,{SHORT_QUOTE}}}){close}"
        for open_, close in ("“”", '""', "「」", "‘’", "『』")
    )
)


_QUOTE_MARK = re.compile('[“"「‘『]')


def squash(x: float) -> float:
    """Map a raw weighted sum to (-1, 1), keeping 0 at 0."""
    return x / math.sqrt(x * x + ALPHA)


def label_score(score: float, *, neutral_band: float = 0.1) -> SentimentLabel:
    """Label a score: ``negative`` at or below ``-neutral_band``, ``positive`` at or above it."""
    if score <= -neutral_band:
        return "negative"
    if score >= neutral_band:
        return "positive"
    return "neutral"


def quoted_spans(clause_text: str) -> list[str]:
    """The short quoted spans of a clause (scare quotes): 服务真“好” -> ['好']."""
    if not _QUOTE_MARK.search(clause_text):
        return []
    return [next(g for g in m.groups() if g) for m in _QUOTED.finditer(clause_text)]


class PatternHints(NamedTuple):
    """Which pattern families occur in a document (a necessary condition for a clause).

    Constructions and reversals are not among them: their patterns are filed
    by first character (:class:`~feedback_miner.sentiment.patterns.PatternIndex`).
    """

    markers: bool = True
    rhetorical: bool = True
    emoticons: bool = True
    asides: bool = True
    quotes: bool = True


ALL_PATTERNS = PatternHints()


def pattern_hints(clauses: Sequence[str], lex: SentimentLexicon) -> PatternHints:
    """One search per pattern family over a whole document instead of one per clause.

    The clauses are joined by line breaks and searched with patterns compiled
    for several lines, so that a clause's match (anchors included) is always
    found; a family found nowhere is not looked for clause by clause. A family
    none of whose first characters is in the text is not searched at all.
    """
    text = "\n".join(clauses)
    characters = set(text)
    markers, rhetorical, emoticons, asides = (
        (starts is None or not starts.isdisjoint(characters)) and p.search(text) is not None
        for p, starts in zip(lex.document_patterns, lex.document_pattern_starts, strict=True)
    )
    quotes = _QUOTE_MARK.search(text) is not None
    return PatternHints(markers, rhetorical, emoticons, asides, quotes)


def _lookup(
    tokens: Sequence[str], i: int, lex: SentimentLexicon
) -> tuple[int, float, float] | None:
    """Longest lexicon entry starting at token ``i``: (length in tokens, weight, glued factor).

    The glued factor is that of negators and degree adverbs jieba kept in one
    token with the word (不贵, 超好用); 1 otherwise.
    """
    found = None
    phrase = ""
    prefixes, words = lex.prefixes, lex.words
    for j in range(i, min(i + lex.max_phrase_tokens, len(tokens))):
        phrase += tokens[j]
        if phrase not in prefixes:
            break
        weight = words.get(phrase)
        if weight is not None:
            found = (j - i + 1, weight, 1.0)
    if found is not None:
        return found
    token = tokens[i]
    if len(token) < 2 or token[0] not in lex.modifier_initials:
        return None
    return _decompose(token, lex)


def _decompose(token: str, lex: SentimentLexicon) -> tuple[int, float, float] | None:
    """A token jieba kept whole: negators and degree adverbs glued to a word.

    jieba keeps 不贵, 不太好, 超好用 as single tokens; peel the longest known
    negator or degree prefix, repeatedly, and look the rest up.
    """
    factor = 1.0
    negated = False
    rest = token
    while len(rest) >= 2:
        prefix = _longest_prefix(rest, lex)
        if prefix is None:
            break
        if prefix in lex.negators:
            factor = -factor * lex.negators[prefix]
            negated = not negated
        elif not negated:
            factor *= lex.degrees[prefix]
        rest = rest[len(prefix) :]
        weight = lex.words.get(rest)
        if weight is not None:
            return (1, weight, factor)
    return None


def _longest_prefix(text: str, lex: SentimentLexicon) -> str | None:
    for size in range(min(3, len(text) - 1), 0, -1):
        head = text[:size]
        if head in lex.negators or head in lex.degrees:
            return head
    return None


def _scope(tokens: Sequence[str], start: int, end: int, lex: SentimentLexicon) -> Sequence[str]:
    """The modifiers that govern the word at ``end``: the run of negators, degree
    adverbs and scope words just before it (at most back to ``start``)."""
    k = end
    while k > start:
        token = tokens[k - 1]
        if token in lex.negators or token in lex.degrees or token in lex.scope_words:
            k -= 1
        else:
            break
    return tokens[k:end]


def word_evidence(tokens: Sequence[str], lex: SentimentLexicon) -> tuple[float, float]:
    """Rules 1-3 over a clause's tokens: the positive and the negative sum (the latter <= 0).

    A contrast marker inside the clause, after a judgement (好吃就是太少),
    weighs the words on each side as :mod:`~feedback_miner.sentiment.discourse`
    weighs clauses; a degree complement after a word (快得不行) strengthens it.
    """
    positive = negative = 0.0
    i, window_start, n = 0, 0, len(tokens)
    previous_end, previous_factor, previous_sign = -1, 1.0, 0.0
    stage = 1.0  # weight of the words after a contrast marker inside the clause
    degrees, contrast, prefixes = lex.degrees, lex.contrast, lex.prefixes
    initials = lex.modifier_initials
    while i < n:
        token = tokens[i]
        if token in degrees and i + 1 < n and _lookup(tokens, i + 1, lex) is not None:
            i += 1  # 好贵, 太慢: a degree adverb, not the word 好 or 太
            continue
        if (positive or negative) and token in contrast:
            before, stage = _INNER_CONTRAST[contrast[token]]
            positive, negative = positive * before, negative * before
            i += 1
            window_start = i
            continue
        if token not in prefixes and (len(token) < 2 or token[0] not in initials):
            i += 1  # no entry starts here (what _lookup would find at once)
            continue
        found = _lookup(tokens, i, lex)
        if found is None:
            i += 1
            continue
        length, weight, glued = found
        asked = _a_not_a(tokens, i, length, lex)
        if asked >= 0:  # 好不好, 是否齐全: a question whether, no judgement
            i += length + asked
            window_start = previous_end = i
            continue
        window = _scope(tokens, max(window_start, i - _WINDOW), i, lex)
        sign = math.copysign(1.0, weight)
        if not window and i == previous_end and previous_factor < 0 and sign == previous_sign:
            factor = previous_factor  # 不文明礼貌: the negation carries over the coordinated word
        else:
            factor = glued * _modifier(window, lex)
        value = weight * factor * stage
        i += length
        if i < n and tokens[i] in lex.complements:
            value *= lex.complements[tokens[i]]
            i += 1
        if value > 0:
            positive += value
        else:
            negative += value
        window_start = previous_end = i
        previous_factor, previous_sign = factor, sign
        if length == 1 and factor > 0:
            inner = _negated_entry(token, lex)
            if inner is not None:  # 不诚实可靠: an entry 不X negates what is glued after it
                previous_factor, previous_sign = -lex.negators[token[0]], inner
    return positive, negative


def _negated_entry(token: str, lex: SentimentLexicon) -> float | None:
    """The sign of X when ``token`` is a lexicon entry 不X whose X is an entry too."""
    if len(token) < 3 or token[0] not in lex.negators:
        return None
    inner = lex.words.get(token[1:])
    return None if inner is None else math.copysign(1.0, inner)


def _a_not_a(tokens: Sequence[str], i: int, length: int, lex: SentimentLexicon) -> int:
    """Tokens after the word at ``i`` that make it a question whether (好不好,
    是否齐全): -1 for none, else how many to skip after the word."""
    if i and tokens[i - 1] in lex.question_words:
        return 0
    word = "".join(tokens[i : i + length])
    after = i + length
    if after < len(tokens) and tokens[after] in (f"不{word}", f"没{word}"):
        return 1
    if after + 1 < len(tokens) and tokens[after] in ("不", "没") and tokens[after + 1] == word:
        return 2
    return -1


def raw_clause_score(
    tokens: Sequence[str],
    clause_text: str,
    lex: SentimentLexicon,
    *,
    quoted: Sequence[Sequence[str]] = (),
    found: PatternHints = ALL_PATTERNS,
) -> float:
    """The unsquashed sentiment of one clause (rules 1-8).

    Parameters
    ----------
    tokens : sequence of str
        The clause's tokens, as the sentiment segmenter found them.
    clause_text : str
        The clause itself, for punctuation, emoticons and patterns.
    lex : SentimentLexicon
        The lexicon.
    quoted : sequence of token sequences
        The tokens of each short quoted span of the clause (:func:`quoted_spans`):
        their positive words are read as irony.
    found : PatternHints
        Which pattern families can occur at all (:func:`pattern_hints` of the
        whole document): the others are not looked for, which saves time only.
    """
    positive, negative = word_evidence(tokens, lex)
    for span in quoted:  # scare quotes: 服务真“好”
        ironic, _ = word_evidence(span, lex)
        ironic = min(ironic, positive)
        positive -= ironic
        negative -= ironic
    if positive and found.markers and lex.marker_pattern.search(clause_text):  # 服务真好呵呵
        positive, negative = 0.0, negative - positive
    total = positive + negative
    if found.emoticons:
        for face in lex.emoticon_pattern.findall(clause_text):
            total += lex.emoticons[face]
    constructions, reversals = lex.clause_patterns_in(clause_text)
    if constructions:
        total = _constructions(total, constructions)
    if reversals:
        total = _reversal(total, reversals)
    if found.rhetorical:
        total = _rhetorical(total, tokens, clause_text, lex)
    if not total:
        total = _punctuation_cue(clause_text)
    exclamations = clause_text.count("!") + clause_text.count("！")
    if exclamations and total:
        total *= 1 + _EXCLAMATION_STEP * min(exclamations, 3)
    return total


def _constructions(total: float, weights: Sequence[float]) -> float:
    """Rule 5: constructions add to the words; the same message twice counts once."""
    found = min((w for w in weights if w < 0), default=0.0) + max(
        (w for w in weights if w > 0), default=0.0
    )
    return _with_construction(total, found)


def _with_construction(total: float, found: float) -> float:
    """A construction's weight joined to a clause's: added, unless both say the same."""
    if not total:
        return found
    if (found < 0) == (total < 0):
        return total if abs(total) >= abs(found) else found
    return total + found


def sentence_constructions(raw: list[float], clauses: Sequence[str], lex: SentimentLexicon) -> None:
    """In place: constructions that run across clauses count for the clause where they end."""
    if len(clauses) < 2 or not lex.sentence_patterns:
        return
    ends = []
    position = 0
    for clause in clauses:
        position += len(clause)
        ends.append(position)
    for match in lex.sentence_pattern.finditer("".join(clauses)):
        if match.lastgroup is None:
            continue
        last = next(i for i, end in enumerate(ends) if end >= match.end())
        raw[last] = _with_construction(raw[last], lex.sentence_weights[match.lastgroup])


def _reversal(total: float, weights: Sequence[float]) -> float:
    """Rule 6: sarcasm, comparisons and wishes: literal praise becomes the pattern's
    complaint (or nothing); a courtesy formula is its own weight."""
    weight = min(weights)
    if weight > 0:
        return weight  # 辛苦师傅了: thanks, whatever 辛苦 says elsewhere
    return weight if total >= 0 else min(total, weight)


def _punctuation_cue(clause_text: str) -> float:
    """Rule 8: a question, or a trailing ellipsis, that judges nothing in words is a
    complaint all the same (东西呢？, 送餐时间…)."""
    tail = clause_text.rstrip()
    if tail.endswith(("?", "？")):
        return _QUESTION_WEIGHT
    if tail.endswith(("…", "...", "。。")):
        return _ELLIPSIS_WEIGHT
    return 0.0


def _rhetorical(
    total: float, tokens: Sequence[str], clause_text: str, lex: SentimentLexicon
) -> float:
    """Rule 7: rhetorical questions complain whatever their literal words say."""
    found = lex.rhetorical_pattern.findall(clause_text)
    if not found:
        return total
    asked = clause_text.rstrip().endswith(("?", "？", "吗")) or "吗" in tokens
    if asked or not all(lex.rhetorical[m] for m in found):
        if total > 0:
            return -total
        return total if total < 0 else _RHETORICAL_WEIGHT
    return total


def _modifier(window: Sequence[str], lex: SentimentLexicon) -> float:
    """Multiplier from the negators and degree adverbs just before a lexicon word."""
    flips = 0
    strength = 1.0  # what survives negation
    degree = 1.0
    for token in window:
        if token in lex.negators:
            flips += 1
            strength = lex.negators[token]
        elif token in lex.degrees:
            if flips % 2 == 1:
                strength = _SOFTENED_NEGATION_SCALE  # 不很好: the negator governs the adverb
            else:
                degree *= lex.degrees[token]
    if flips % 2 == 1:
        return -strength * degree
    if flips:
        return _DOUBLE_NEGATION_SCALE * degree
    return degree
