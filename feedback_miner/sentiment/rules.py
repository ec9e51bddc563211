"""Rule-based Chinese sentiment: clause scores and their combination into a document score.

The rules, in the order they apply:

1. **Lexicon match**: the longest run of up to ``max_phrase_tokens`` tokens whose
   joined text is a lexicon entry; a single token that is negators or degree
   adverbs glued to a lexicon word (不贵, 不太好, 超好用) is taken apart.
2. **Negation**: negators in the three tokens before the match (and after the
   previous match) flip the weight and scale it by their own strength (0.8 for
   不, 0.45 for the softening 不太); an even count (double negation, 不是不好)
   keeps the sign but weakens it.
3. **Degree**: degree adverbs in the same window multiply the weight; a
   negator *before* a degree adverb (不太好, 不是很满意) softens instead.
4. **Emphasis and constructions**: exclamation marks strengthen the clause;
   emoticons and emoji add their own weight; a word said again adds its
   weight again. A clause with no judgement word is scored by the complaint
   and praise constructions of ``complaint_patterns.tsv`` (等了两个小时,
   还没送到, 下次还来).
5. **Rhetorical questions**: a clause with 难道 / 岂 ... 吗 or ？, or with
   怎么能 / 凭什么, is a complaint: a positive literal reading is flipped and a
   neutral one becomes mildly negative (难道这就是服务吗？).
6. **Contrast**: a clause opened by 但是/不过/可是 weighs more and the clauses
   before it less; a clause opened by 虽然/尽管 is conceded and weighs less.
7. **Squashing**: the weighted sum ``x`` becomes ``x / sqrt(x**2 + ALPHA)``, in (-1, 1).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Literal

from .lexicon import SentimentLexicon

__all__ = [
    "ALPHA",
    "SentimentLabel",
    "clause_weights",
    "combine_clauses",
    "label_score",
    "raw_clause_score",
    "squash",
]

SentimentLabel = Literal["negative", "neutral", "positive"]

ALPHA = 4.0
_WINDOW = 3
_DOUBLE_NEGATION_SCALE = 0.6
_SOFTENED_NEGATION_SCALE = 0.45
_EXCLAMATION_STEP = 0.15
_BUT_AFTER, _BUT_BEFORE, _CONCEDED = 1.5, 0.5, 0.5
_RHETORICAL_WEIGHT = -1.0


def squash(x: float) -> float:
    """Map a raw weighted sum to (-1, 1), keeping 0 at 0."""
    return x / math.sqrt(x * x + ALPHA)


def label_score(score: float, *, neutral_band: float = 0.1) -> SentimentLabel:
    """Label a score: ``negative`` below ``-neutral_band``, ``positive`` above it."""
    if score <= -neutral_band:
        return "negative"
    if score >= neutral_band:
        return "positive"
    return "neutral"


def _lookup(tokens: Sequence[str], i: int, lex: SentimentLexicon) -> tuple[int, float] | None:
    """Longest lexicon entry starting at token ``i``: (length in tokens, weight)."""
    found = None
    phrase = ""
    prefixes, words = lex.prefixes, lex.words
    for j in range(i, min(i + lex.max_phrase_tokens, len(tokens))):
        phrase += tokens[j]
        if phrase not in prefixes:
            break
        weight = words.get(phrase)
        if weight is not None:
            found = (j - i + 1, weight)
    if found is not None:
        return found
    token = tokens[i]
    if len(token) < 2 or token[0] not in lex.modifier_initials:
        return None
    weight = _decompose(token, lex)
    return None if weight is None else (1, weight)


def _decompose(token: str, lex: SentimentLexicon) -> float | None:
    """Weight of a token jieba kept whole: negators and degree adverbs glued to a word.

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
            return weight * factor
    return None


def _longest_prefix(text: str, lex: SentimentLexicon) -> str | None:
    for size in range(min(3, len(text) - 1), 0, -1):
        head = text[:size]
        if head in lex.negators or head in lex.degrees:
            return head
    return None


def raw_clause_score(tokens: Sequence[str], clause_text: str, lex: SentimentLexicon) -> float:
    """The unsquashed sentiment of one clause (rules 1-5).

    Parameters
    ----------
    tokens : sequence of str
        The clause's tokens, as :meth:`ChineseTokenizer.cut` returns them.
    clause_text : str
        The clause itself, for punctuation and emoticons.
    lex : SentimentLexicon
        The lexicon.
    """
    total = 0.0
    i, window_start, n = 0, 0, len(tokens)
    while i < n:
        token = tokens[i]
        if token in lex.degrees and i + 1 < n and _lookup(tokens, i + 1, lex) is not None:
            i += 1  # 好贵, 太慢: a degree adverb, not the word 好 or 太
            continue
        found = _lookup(tokens, i, lex)
        if found is None:
            i += 1
            continue
        length, weight = found
        weight *= _modifier(tokens[max(window_start, i - _WINDOW) : i], lex)
        total += weight
        i += length
        window_start = i
    for face in lex.emoticon_pattern.findall(clause_text):
        total += lex.emoticons[face]
    if not total:  # constructions speak only where no judgement word did
        seen = {m.lastgroup for m in lex.construction_pattern.finditer(clause_text)}
        total += sum(lex.construction_weights[g] for g in seen if g is not None)
    total = _rhetorical(total, tokens, clause_text, lex)
    exclamations = clause_text.count("!") + clause_text.count("！")
    if exclamations and total:
        total *= 1 + _EXCLAMATION_STEP * min(exclamations, 3)
    return total


def _rhetorical(
    total: float, tokens: Sequence[str], clause_text: str, lex: SentimentLexicon
) -> float:
    """Rule 5: rhetorical questions complain whatever their literal words say."""
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


def clause_weights(first_tokens: Sequence[Sequence[str]], lex: SentimentLexicon) -> list[float]:
    """Contrast weights for each clause from the markers among its first tokens (rule 6)."""
    weights = [1.0] * len(first_tokens)
    for i, tokens in enumerate(first_tokens):
        kinds = {lex.contrast[t] for t in tokens[:2] if t in lex.contrast}
        if "but" in kinds:
            for j in range(i):
                weights[j] *= _BUT_BEFORE
            weights[i] *= _BUT_AFTER
        elif "although" in kinds:
            weights[i] *= _CONCEDED
    return weights


def combine_clauses(
    raw_scores: Sequence[float], clause_tokens: Sequence[Sequence[str]], lex: SentimentLexicon
) -> float:
    """Combine raw clause scores into a document score in (-1, 1) (rules 6-7)."""
    if not raw_scores:
        return 0.0
    weights = clause_weights(clause_tokens, lex)
    return squash(sum(w * s for w, s in zip(weights, raw_scores, strict=True)))
