"""Matching taxonomy themes in clauses, with the aspect sentiment of each mention.

Keywords are matched as whole tokens or token sequences, never as raw
substrings: the taxonomy's keywords join the tokenizer's dictionary, so 贵宾
stays one token and the keyword 贵 cannot match inside it. A token that is a
keyword with negators or degree adverbs glued in front (太贵, 不贵, 没信号)
does match, since jieba often keeps those whole, and so does a keyword of
several tokens with up to two such words between them (量很足 for 量足,
上菜太慢了 for 上菜慢). Whether the match is in the theme's sense is then
decided by its clause (:mod:`feedback_miner.themes.senses`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import ahocorasick
import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin

from ..sentiment.aspect import clause_aspect_score
from ..sentiment.lexicon import load_sentiment_lexicon
from ..sentiment.scorer import ScoredDocument
from ..text import ChineseTokenizer, normalize_text, split_clauses
from ..text.entities import EntityView
from .senses import context_holds, is_negated
from .taxonomy import MONEY_KEYWORD, ORGANISATION_CONTEXT, Taxonomy, load_taxonomy

__all__ = [
    "ClauseHits",
    "Mention",
    "ThemeMatcher",
    "build_matcher",
    "spellings",
    "taxonomy_vocabulary",
]

_MAX_EVIDENCE_CLAUSES = 3
# adverbs of scope and time that customers put inside a phrase (上得也慢, 量都很足)
_INNER_ADVERBS = ("也", "都", "就", "又", "倒", "却", "倒是", "也是", "都是")
# an amount of money: 58元, 58.5 块钱, ￥399, 两百块, 六块 (not 3块肉: there 块 counts pieces)
_MONEY = re.compile(
    r"[¥￥]\s*\d+(?:\.\d+)?|(?:\d+(?:\.\d+)?|[一二两三四五六七八九十百千万几]+)\s*"
    r"(?:多)?(?:元|块钱|块(?![\u4e00-\u9fff])|rmb|RMB)"
)
# What the tokenizer never keeps inside a matchable token sequence: spaces,
# punctuation and underscores (see :func:`keyword_trace`).
_NOT_WORD = re.compile(r"[\W_]+")


def keyword_trace(text: str) -> str:
    """``text`` lower-cased without spaces, punctuation and underscores.

    A keyword whose tokens occur in a clause's tokens leaves its trace inside
    the clause's trace (tokens are pieces of the clause, in order, and only
    space and punctuation tokens are dropped between them), so a clause whose
    trace contains no keyword's trace cannot match and need not be tokenised.

    Examples
    --------
    >>> keyword_trace("Wi-Fi 信号，太差！")
    'wifi信号太差'
    """
    return _NOT_WORD.sub("", text.lower())


@dataclass(frozen=True)
class Mention:
    """One theme in one document.

    Attributes
    ----------
    theme_id : str
        The theme.
    sentiment_score : float
        Mean aspect sentiment of the matched clauses, in (-1, 1).
    evidence : str
        The matched clauses (up to three, joined by `` | ``), without handles,
        links or boilerplate.
    keywords : tuple of str
        The keywords that matched (none for a learned mention).
    method : {"keyword", "learned"}
        ``keyword`` when a keyword of the theme matched, ``learned`` when only
        the theme's model learned from the corpus recognised the clauses.
    """

    theme_id: str
    sentiment_score: float
    evidence: str
    keywords: tuple[str, ...]
    method: str = "keyword"


# clause index -> {theme index: matched keywords}; an empty list for a learned match
ClauseHits = dict[int, dict[int, list[str]]]


def spellings(keyword: str) -> tuple[str, ...]:
    """``keyword`` and how customers also write it: the complement particle 得 is written
    的 as often as not (上得快, 上的快; 送得慢, 送的慢).

    Examples
    --------
    >>> spellings("上得快"), spellings("太贵")
    (('上得快', '上的快'), ('太贵',))
    """
    if "得" in keyword and len(keyword) > 1:
        return (keyword, keyword.replace("得", "的"))
    return (keyword,)


def taxonomy_vocabulary(taxonomy: Taxonomy) -> list[str]:
    """Every keyword, exclude phrase, context word and competitor name: words the
    tokenizer keeps whole."""
    words: list[str] = []
    for theme in taxonomy.themes:
        words.extend(v for k in theme.keywords if k != MONEY_KEYWORD for v in spellings(k))
        words.extend(theme.exclude)
        for _, context in theme.requires:
            words.extend(c for c in context if c != ORGANISATION_CONTEXT)
    words.extend(taxonomy.competitors)
    return list(dict.fromkeys(words))


def build_matcher(
    taxonomy: Taxonomy,
    *,
    split_words: Iterable[str] = (),
    base: ChineseTokenizer | None = None,
) -> ThemeMatcher:
    """A fitted matcher whose tokenizer keeps the taxonomy's words whole.

    ``split_words`` are further words a jieba compound may be split into (the
    sentiment lexicon's); ``base`` a tokenizer whose dictionary is copied (see
    :class:`~feedback_miner.text.ChineseTokenizer`).
    """
    vocabulary = taxonomy_vocabulary(taxonomy)
    tokenizer = ChineseTokenizer(
        extra_words=vocabulary, split_words=[*vocabulary, *split_words], base=base
    )
    return ThemeMatcher(taxonomy=taxonomy, tokenizer=tokenizer).fit()


class ThemeMatcher(BaseEstimator, TransformerMixin):
    """Find taxonomy themes in texts.

    Parameters
    ----------
    taxonomy : Taxonomy, optional
        The themes; the shipped default taxonomy when not given.
    tokenizer : ChineseTokenizer, optional
        A tokenizer that already knows the taxonomy's words (see
        :func:`taxonomy_vocabulary`); made in :meth:`fit` when not given.

    Attributes
    ----------
    taxonomy_ : Taxonomy
        The taxonomy in use.
    tokenizer_ : ChineseTokenizer
        The tokenizer in use.

    Examples
    --------
    >>> matcher = ThemeMatcher().fit()
    >>> matcher.transform(["套餐太贵了", "VIP贵宾厅不错"])[["price"]].to_numpy().ravel().tolist()
    [1, 0]
    """

    def __init__(
        self, *, taxonomy: Taxonomy | None = None, tokenizer: ChineseTokenizer | None = None
    ):
        self.taxonomy = taxonomy
        self.tokenizer = tokenizer

    def fit(self, X: Iterable[str] | None = None, y: object = None) -> ThemeMatcher:
        """Index the keywords and their context rules; ``X`` and ``y`` are not used."""
        self.taxonomy_: Taxonomy = self.taxonomy or load_taxonomy()
        vocabulary = taxonomy_vocabulary(self.taxonomy_)
        self.tokenizer_: ChineseTokenizer = self.tokenizer or ChineseTokenizer(
            extra_words=vocabulary, split_words=vocabulary
        )
        cut = self.tokenizer_.cut
        index: dict[str, list[tuple[tuple[str, ...], int]]] = {}
        excludes: list[list[tuple[str, ...]]] = []
        requires: list[dict[tuple[str, ...], tuple[tuple[str, ...], ...]]] = []
        self.money_themes_ = tuple(
            i for i, theme in enumerate(self.taxonomy_.themes) if MONEY_KEYWORD in theme.keywords
        )
        for theme_index, theme in enumerate(self.taxonomy_.themes):
            for keyword in theme.keywords:
                if keyword == MONEY_KEYWORD:
                    continue
                for spelling in spellings(keyword):
                    tokens = tuple(cut(spelling))
                    if tokens:
                        index.setdefault(tokens[0], []).append((tokens, theme_index))
            excludes.append([tuple(cut(e)) for e in theme.exclude])
            requires.append(
                {
                    tuple(cut(keyword)): tuple(
                        (c,) if c == ORGANISATION_CONTEXT else tuple(cut(c)) for c in context
                    )
                    for keyword, context in theme.requires
                }
            )
        for entries in index.values():
            entries.sort(key=lambda e: -len(e[0]))
        self.keyword_index_ = index
        traces = ahocorasick.Automaton()
        for entries in index.values():
            for tokens, _ in entries:
                trace = keyword_trace("".join(tokens))
                if trace:
                    traces.add_word(trace, trace)
        if len(traces):
            traces.make_automaton()
        self.keyword_traces_ = traces
        # the exclude phrases filed under their first token, as keywords are
        exclude_index: dict[str, list[tuple[tuple[str, ...], int]]] = {}
        for theme_index, phrases in enumerate(excludes):
            for phrase in phrases:
                if phrase:
                    exclude_index.setdefault(phrase[0], []).append((phrase, theme_index))
        self.exclude_index_ = exclude_index
        excluded = ahocorasick.Automaton()
        for phrases in excludes:
            for phrase in phrases:
                trace = keyword_trace("".join(phrase))
                if trace:
                    excluded.add_word(trace, trace)
        if len(excluded):
            excluded.make_automaton()
        self.exclude_traces_ = excluded
        self.requires_ = requires
        self.negation_ignored_ = frozenset(
            i for i, theme in enumerate(self.taxonomy_.themes) if theme.negated == "ignore"
        )
        self.organisation_tokens_ = frozenset(n.lower() for n in self.taxonomy_.competitors)
        lexicon = load_sentiment_lexicon()
        self.negators_ = frozenset(lexicon.negators)
        self.modifiers_ = frozenset({*lexicon.negators, *lexicon.degrees})
        # what may stand inside a keyword: degree adverbs, negators, and the adverbs of
        # scope and time (量都很足, 上得也慢, 送得又慢)
        self.inner_words_ = frozenset({*self.modifiers_, *_INNER_ADVERBS})
        self.modifier_pattern_ = re.compile(
            "|".join(re.escape(m) for m in sorted(self.inner_words_, key=len, reverse=True))
        )
        self.judgement_words_ = frozenset(
            {*lexicon.words, *self.modifiers_, *self.tokenizer_.stopwords}
        )
        self._stripped: dict[str, str] = {}
        return self

    def _strip_modifiers(self, token: str) -> str:
        """``token`` without negators and degree adverbs glued in front (太贵 -> 贵)."""
        stripped = self._stripped.get(token)
        if stripped is None:
            stripped = token
            changed = True
            while changed and len(stripped) >= 2:
                changed = False
                for size in (2, 1):
                    if len(stripped) > size and stripped[:size] in self.modifiers_:
                        stripped = stripped[size:]
                        changed = True
                        break
            self._stripped[token] = stripped
        return stripped

    def may_match(self, clause: str) -> bool:
        """Whether ``clause`` holds the trace of a keyword; when not, no theme can match."""
        traces = self.keyword_traces_
        if self.money_themes_ and _MONEY.search(clause):
            return True
        if not len(traces):
            return False
        trace = keyword_trace(clause)
        if any(True for _ in traces.iter(trace)):
            return True
        # a keyword written with a degree adverb or negator inside (量很足 for 量足)
        bare = self.modifier_pattern_.sub("", trace)
        return bare != trace and any(True for _ in traces.iter(bare))

    def match_clause(self, tokens: Sequence[str], clause: str = "") -> dict[int, list[str]]:
        """Themes found in one clause's tokens: theme index -> matched keywords.

        A keyword counts when its clause holds none of the theme's ``exclude``
        phrases, holds one of its ``requires`` context phrases (when it has
        any), and, for themes with ``negated = "ignore"``, is not negated (see
        :mod:`feedback_miner.themes.senses`). ``clause`` is the clause's text,
        which shows where the entity layer masked an organisation name.
        """
        found: dict[int, list[str]] = {}
        for i, token in enumerate(tokens):
            glued = ""
            candidates = self.keyword_index_.get(token)
            if candidates is None:
                stripped = self._strip_modifiers(token)
                glued, token = token[: len(token) - len(stripped)], stripped
                candidates = self.keyword_index_.get(token, [])
            for keyword, theme_index in candidates:
                if (token, *tokens[i + 1 : i + len(keyword)]) != keyword:
                    continue
                context = self.requires_[theme_index].get(keyword)
                if context and not context_holds(
                    tokens, clause, context, self.organisation_tokens_
                ):
                    continue
                if theme_index in self.negation_ignored_ and is_negated(
                    tokens, i, self.negators_, glued=glued
                ):
                    continue
                found.setdefault(theme_index, []).append("".join(keyword))
        if self.money_themes_ and clause and _MONEY.search(clause):
            for theme_index in self.money_themes_:
                found.setdefault(theme_index, []).append(MONEY_KEYWORD)
        self._match_across_modifiers(tokens, clause, found)
        if not found:
            return found
        excluded = self._excluded(tokens)
        return {t: kws for t, kws in found.items() if t not in excluded}

    def _excluded(self, tokens: Sequence[str]) -> set[int]:
        """Themes one of whose ``exclude`` phrases occurs as consecutive tokens of ``tokens``."""
        index = self.exclude_index_
        excluded: set[int] = set()
        if index:
            for i, token in enumerate(tokens):
                for phrase, theme_index in index.get(token, ()):
                    if tuple(tokens[i : i + len(phrase)]) == phrase:
                        excluded.add(theme_index)
        return excluded

    def _match_across_modifiers(
        self, tokens: Sequence[str], clause: str, found: dict[int, list[str]]
    ) -> None:
        """Keywords written with adverbs inside (量很足 for 量足, 上得也慢 for 上得慢,
        上的非常快 for 上得快): the tokens around one or two adverbs make the keyword."""
        inner = self.inner_words_
        i = 1
        while i < len(tokens) - 1:
            if tokens[i] not in inner:
                i += 1
                continue
            gap_end = i + 1 if tokens[i + 1] not in inner else i + 2
            for start in range(max(0, i - 2), i):
                for end in range(gap_end + 1, min(len(tokens), gap_end + 2) + 1):
                    word = "".join(tokens[start:i]) + "".join(tokens[gap_end:end])
                    for keyword, theme_index in self.keyword_index_.get(word, []):
                        if len(keyword) != 1 or theme_index in found:
                            continue
                        context = self.requires_[theme_index].get(keyword)
                        if context and not context_holds(
                            tokens, clause, context, self.organisation_tokens_
                        ):
                            continue
                        negated = any(t in self.negators_ for t in tokens[i:gap_end])
                        if theme_index in self.negation_ignored_ and (
                            negated or is_negated(tokens, start, self.negators_)
                        ):
                            continue
                        found[theme_index] = [word]
            i = gap_end

    def names_something(self, clause: str) -> bool:
        """Whether ``clause`` holds a content word: one that is neither a judgement (好, 太差),
        a degree or negation word nor a stopword. 特别好 names nothing a theme could be about."""
        return any(
            t not in self.judgement_words_ and not (len(t) == 1 and t.isascii())
            for t in self.tokenizer_.cut(clause)
        )

    def themes_present(self, tokens: Sequence[str]) -> frozenset[int]:
        """Themes whose keywords or ``exclude`` phrases occur in ``tokens``, in any sense."""
        present = set()
        for i, token in enumerate(tokens):
            candidates = self.keyword_index_.get(token) or self.keyword_index_.get(
                self._strip_modifiers(token), []
            )
            for keyword, theme_index in candidates:
                if tuple(tokens[i + 1 : i + len(keyword)]) == keyword[1:]:
                    present.add(theme_index)
        return frozenset(present | self._excluded(tokens))

    def clause_hits(self, doc: ScoredDocument) -> ClauseHits:
        """The keyword matches of each clause of ``doc`` (clauses without any left out)."""
        return self.analyse_clauses(doc.clauses)[0]

    def covers(self, clauses: Sequence[str]) -> bool:
        """Whether some theme matches one of ``clauses``: ``bool(analyse_clauses(c)[0])``,
        stopping at the first clause that matches."""
        return any(
            self.may_match(clause) and self.match_clause(self.tokenizer_.cut(clause), clause)
            for clause in clauses
        )

    def analyse_clauses(self, clauses: Sequence[str]) -> tuple[ClauseHits, list[frozenset[int]]]:
        """Keyword matches per clause, and per clause the themes present in any sense
        (which a learned model must not add: see :mod:`feedback_miner.themes.learned`)."""
        hits: ClauseHits = {}
        present: list[frozenset[int]] = []
        for clause_index, clause in enumerate(clauses):
            trace = keyword_trace(clause)
            keyword_here = self.may_match(clause)
            exclude_here = bool(len(self.exclude_traces_)) and any(
                True for _ in self.exclude_traces_.iter(trace)
            )
            if not keyword_here and not exclude_here:
                present.append(frozenset())
                continue
            tokens = self.tokenizer_.cut(clause)
            found = self.match_clause(tokens, clause) if keyword_here else {}
            if found:
                hits[clause_index] = found
            present.append(self.themes_present(tokens))
        return hits, present

    def mentions(
        self,
        doc: ScoredDocument,
        *,
        view: EntityView | None = None,
        hits: ClauseHits | None = None,
        learned: ClauseHits | None = None,
    ) -> list[Mention]:
        """The mentions of a scored document, one per theme, in taxonomy order.

        Parameters
        ----------
        doc : ScoredDocument
            The document's clauses and their sentiment.
        view : EntityView, optional
            The entity view the clauses were cut from; evidence is then the
            customer's words without handles, links and boilerplate.
        hits : dict, optional
            Keyword matches per clause (:meth:`clause_hits`); found here when
            not given.
        learned : dict, optional
            Clauses a learned theme model recognised (clause index -> {theme
            index: []}); a theme found only there is a ``learned`` mention.
        """
        hits = self.clause_hits(doc) if hits is None else hits
        spans = view.spans(doc.clauses) if view is not None else None
        per_theme: dict[int, list[tuple[int, list[str]]]] = {}
        for clause_index in sorted(hits):
            for theme_index, matched in hits[clause_index].items():
                per_theme.setdefault(theme_index, []).append((clause_index, matched))
        learned_only: dict[int, list[tuple[int, list[str]]]] = {}
        for clause_index in sorted(learned or {}):
            for theme_index in (learned or {})[clause_index]:
                if theme_index not in per_theme:
                    learned_only.setdefault(theme_index, []).append((clause_index, []))
        result = []
        for theme_index in sorted({*per_theme, *learned_only}):
            method = "keyword" if theme_index in per_theme else "learned"
            found = per_theme.get(theme_index) or learned_only[theme_index]
            scores = [clause_aspect_score(doc, c) for c, _ in found]
            shown = found[:_MAX_EVIDENCE_CLAUSES]
            if spans is not None and view is not None:
                evidence = " | ".join(view.evidence(*spans[c]) for c, _ in shown)
            else:
                evidence = " | ".join(doc.clauses[c] for c, _ in shown)
            keywords = tuple(dict.fromkeys(k for _, kws in found for k in kws))
            result.append(
                Mention(
                    theme_id=self.taxonomy_.themes[theme_index].id,
                    sentiment_score=sum(scores) / len(scores),
                    evidence=evidence,
                    keywords=keywords,
                    method=method,
                )
            )
        return result

    def transform(self, X: Iterable[str]) -> pd.DataFrame:
        """A 0/1 matrix: one row per text, one column per theme id (keyword matches)."""
        rows = []
        for text in X:
            row = np.zeros(len(self.taxonomy_.themes), dtype=int)
            if isinstance(text, str):
                for clause in split_clauses(normalize_text(text)):
                    if not self.may_match(clause):
                        continue
                    for theme_index in self.match_clause(self.tokenizer_.cut(clause), clause):
                        row[theme_index] = 1
            rows.append(row)
        matrix = np.vstack(rows) if rows else np.zeros((0, len(self.taxonomy_.themes)), dtype=int)
        return pd.DataFrame(matrix, columns=list(self.taxonomy_.ids))

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        """Theme ids, the columns of :meth:`transform`."""
        return np.asarray(self.taxonomy_.ids, dtype=object)
