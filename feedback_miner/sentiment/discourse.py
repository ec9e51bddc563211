"""From clause scores to a document score: contrast, asides, sarcasm tails and clause balance.

A document's score is built in three steps.

1. **Clause weights.** Contrast: a clause opened by a reversal (但是, 可是,
   却) weighs 1.5x and the clauses before it in its sentence 0.5x; one opened by a
   reservation (不过, 只是, 就是) qualifies what came before and changes no weight;
   one opened by a concession (虽然, 尽管, 除了, 唯一) weighs 0.5x. Asides: clauses about something other than the writer's
   own experience weigh :data:`ASIDE_WEIGHT` (0.25): another shop, product or
   earlier provider (隔壁那家, 别家, 之前住的那家) and retold content (讲述了…,
   书中…, 号称…, 广告上说…), each from its clause to the end of the
   sentence, unless the clause compares the other with ours (比, 不如) or the
   writer comes back (这家, 你们, 结果, 演员演得, 我用了以后 …); the
   circumstances (天气, 堵车) in their own clause; long quotations. A comparison
   whose subject is the other (别家比你们便宜) speaks against ours: its
   polarity is turned round.
2. **Sarcasm tails.** A clause that holds a sarcasm marker and nothing else
   (…，呵呵) turns the praise of the clause before it into a complaint.
3. **Balance.** With ``P`` the weighted positive and ``N`` the weighted
   negative evidence of the clauses, ``E = P + N`` and the balance
   ``b = (P - N) / E``,
   ``score = b * |b| * E / sqrt(E**2 + ALPHA)``.
   A one-sided text (``|b| = 1``) gets the squashed strength of its evidence,
   as a single clause would. A mixed one is pulled towards 0 by the square of
   its balance, so that the label thresholds mean the same for short and long
   texts: with the default neutral band of 0.1, a text with clear evidence on
   both sides is positive (or negative) only when that side outweighs the
   other about two to one (``|b| >= 0.32``); equal praise and complaint give 0.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from .lexicon import SentimentLexicon
from .rules import ALL_PATTERNS, ALPHA, PatternHints

__all__ = ["ASIDE_WEIGHT", "aside_weights", "balance_score", "contrast_weights", "sarcasm_tails"]

ASIDE_WEIGHT = 0.25
_BUT_AFTER, _BUT_BEFORE, _RESERVATION, _CONCEDED = 1.5, 0.5, 1.0, 0.5
_SENTENCE_END = tuple("。！？!?\n")
_COMPARISON = re.compile(
    r"(?<!无)比(?!较|如|例|赛|分|划|起来)|不如|比不上|不及|赶不上|胜过|强于|逊于"
)
_QUOTE_MARK = re.compile('[“「『"]')
# a quotation longer than four characters is quoted content; a shorter one is a scare quote
_LONG_QUOTATION = re.compile(r'“[^”]{5,}?”|"[^"]{5,}?"|「[^」]{5,}?」|『[^』]{5,}?』')
_NEVER = re.compile("(?!)")


def contrast_weights(
    clauses: Sequence[str], clause_tokens: Sequence[Sequence[str]], lex: SentimentLexicon
) -> list[float]:
    """Contrast weights for each clause from the markers among its first two tokens.

    A reversal (但是) weighs down the clauses before it in its own sentence only.
    """
    weights = [1.0] * len(clause_tokens)
    sentence_start = 0
    for i, tokens in enumerate(clause_tokens):
        if i and clauses[i - 1].endswith(_SENTENCE_END):
            sentence_start = i
        kinds = {lex.contrast[t] for t in tokens[:2] if t in lex.contrast}
        if "but" in kinds:
            for j in range(sentence_start, i):  # what the reversal answers: its own sentence
                weights[j] *= _BUT_BEFORE
            weights[i] *= _BUT_AFTER
        elif "reservation" in kinds:
            weights[i] *= _RESERVATION
        elif "although" in kinds:
            weights[i] *= _CONCEDED
    return weights


def aside_weights(
    clauses: Sequence[str],
    clause_tokens: Sequence[Sequence[str]],
    lex: SentimentLexicon,
    *,
    found: PatternHints = ALL_PATTERNS,
) -> list[float]:
    """Per clause: 1, :data:`ASIDE_WEIGHT` for an aside, or -1 for a comparison that
    speaks for the other (别家比你们便宜).

    Parameters
    ----------
    clauses : sequence of str
        The clauses of one document, in order.
    clause_tokens : sequence of token sequences
        Their tokens (a contrast marker ends an aside).
    lex : SentimentLexicon
        The lexicon, with its discourse markers.
    found : PatternHints
        Whether the document holds quotation marks and aside markers at all
        (:func:`~feedback_miner.sentiment.rules.pattern_hints`); saves time only.
    """
    weights = [1.0] * len(clauses)
    if found.quotes:
        for i in _quoted_clauses(clauses):
            weights[i] = ASIDE_WEIGHT
    starts = lex.aside_pattern
    if not found.asides or not any(starts.search(c) for c in clauses):
        return weights  # the common case: nothing but the writer's own experience
    markers = lex.discourse
    target, narration = markers.get("target", _NEVER), markers.get("narration", _NEVER)
    circumstance = markers.get("circumstance", _NEVER)
    back = [markers.get("own", _NEVER), markers.get("reality", _NEVER)]
    aside = False
    for i, clause in enumerate(clauses):
        if i and clauses[i - 1].endswith(_SENTENCE_END):
            aside = False
        if any(t in lex.contrast for t in clause_tokens[i][:2]) or any(
            b.search(clause) for b in back
        ):
            aside = False
        other = target.search(clause)
        if other is not None:
            compared = _COMPARISON.search(clause)
            if compared is None:
                aside = True
            elif other.start() < compared.start():
                weights[i] = -1.0  # 别家比你们便宜: praise of the other is a complaint about us
                continue
        if narration.search(clause):
            aside = True
        if aside or circumstance.search(clause):  # the weather: this clause only
            weights[i] = ASIDE_WEIGHT
    return weights


def _quoted_clauses(clauses: Sequence[str]) -> set[int]:
    """Indices of the clauses that are part of a long quotation (more than 4 characters)."""
    if not any(_QUOTE_MARK.search(c) for c in clauses):
        return set()
    ends = []
    position = 0
    for clause in clauses:
        position += len(clause)
        ends.append(position)
    found: set[int] = set()
    for match in _LONG_QUOTATION.finditer("".join(clauses)):
        first = next(i for i, end in enumerate(ends) if end > match.start())
        last = next(i for i, end in enumerate(ends) if end >= match.end())
        found.update(range(first, last + 1))
    return found


def sarcasm_tails(raw: list[float], clauses: Sequence[str], lex: SentimentLexicon) -> None:
    """In place: a marker-only clause (…，呵呵) turns the praise before it into a complaint."""
    marker = lex.marker_pattern
    for i in range(1, len(clauses)):
        if raw[i - 1] > 0 and raw[i] <= 0 and marker.search(clauses[i]):
            raw[i - 1] = -raw[i - 1]


def balance_score(raw: Sequence[float], weights: Sequence[float]) -> float:
    """The document score of weighted clause evidence (step 3 of the module docstring)."""
    positive = negative = 0.0
    for value, weight in zip(raw, weights, strict=True):
        value *= weight
        if value > 0:
            positive += value
        else:
            negative -= value
    evidence = positive + negative
    if not evidence:
        return 0.0
    balance = (positive - negative) / evidence
    return balance * abs(balance) * evidence / math.sqrt(evidence * evidence + ALPHA)
