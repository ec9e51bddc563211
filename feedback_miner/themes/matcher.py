"""Matching taxonomy themes in clauses, with the aspect sentiment of each mention.

Keywords are matched as whole tokens or token sequences, never as raw
substrings: the taxonomy's keywords join the tokenizer's dictionary, so 贵宾
stays one token and the keyword 贵 cannot match inside it. A token that is a
keyword with negators or degree adverbs glued in front (太贵, 不贵, 没信号)
does match, since jieba often keeps those whole.
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
from .taxonomy import Taxonomy, load_taxonomy

__all__ = ["Mention", "ThemeMatcher", "taxonomy_vocabulary"]

_MAX_EVIDENCE_CLAUSES = 3
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
        The matched clauses (up to three, joined by `` | ``).
    keywords : tuple of str
        The keywords that matched.
    """

    theme_id: str
    sentiment_score: float
    evidence: str
    keywords: tuple[str, ...]


def taxonomy_vocabulary(taxonomy: Taxonomy) -> list[str]:
    """Every keyword, exclude phrase and competitor name: words the tokenizer keeps whole."""
    words: list[str] = []
    for theme in taxonomy.themes:
        words.extend(theme.keywords)
        words.extend(theme.exclude)
    words.extend(taxonomy.competitors)
    return list(dict.fromkeys(words))


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
        """Index the keywords; ``X`` and ``y`` are not used."""
        self.taxonomy_: Taxonomy = self.taxonomy or load_taxonomy()
        vocabulary = taxonomy_vocabulary(self.taxonomy_)
        self.tokenizer_: ChineseTokenizer = self.tokenizer or ChineseTokenizer(
            extra_words=vocabulary, split_words=vocabulary
        )
        index: dict[str, list[tuple[tuple[str, ...], int]]] = {}
        excludes: list[list[tuple[str, ...]]] = []
        for theme_index, theme in enumerate(self.taxonomy_.themes):
            for keyword in theme.keywords:
                tokens = tuple(self.tokenizer_.cut(keyword))
                if tokens:
                    index.setdefault(tokens[0], []).append((tokens, theme_index))
            excludes.append([tuple(self.tokenizer_.cut(e)) for e in theme.exclude])
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
        self.exclude_tokens_ = excludes
        lexicon = load_sentiment_lexicon()
        self.modifiers_ = frozenset({*lexicon.negators, *lexicon.degrees})
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
        return bool(len(traces)) and any(True for _ in traces.iter(keyword_trace(clause)))

    def match_clause(self, tokens: Sequence[str]) -> dict[int, list[str]]:
        """Themes found in one clause's tokens: theme index -> matched keywords."""
        found: dict[int, list[str]] = {}
        for i, token in enumerate(tokens):
            candidates = self.keyword_index_.get(token)
            if candidates is None:
                token = self._strip_modifiers(token)
                candidates = self.keyword_index_.get(token, [])
            for keyword, theme_index in candidates:
                if (token, *tokens[i + 1 : i + len(keyword)]) == keyword:
                    found.setdefault(theme_index, []).append("".join(keyword))
        return {
            t: kws
            for t, kws in found.items()
            if not any(_contains(tokens, e) for e in self.exclude_tokens_[t])
        }

    def mentions(self, doc: ScoredDocument) -> list[Mention]:
        """The mentions of a scored document, one per theme, in taxonomy order.

        The clauses are tokenised with this matcher's jieba tokenizer; their
        sentiment comes from ``doc``.
        """
        per_theme: dict[int, list[tuple[int, list[str]]]] = {}
        for clause_index, clause in enumerate(doc.clauses):
            if not self.may_match(clause):
                continue
            tokens = self.tokenizer_.cut(clause)
            for theme_index, matched in self.match_clause(tokens).items():
                per_theme.setdefault(theme_index, []).append((clause_index, matched))
        result = []
        for theme_index in sorted(per_theme):
            hits = per_theme[theme_index]
            scores = [clause_aspect_score(doc, c) for c, _ in hits]
            evidence = " | ".join(doc.clauses[c] for c, _ in hits[:_MAX_EVIDENCE_CLAUSES])
            keywords = tuple(dict.fromkeys(k for _, kws in hits for k in kws))
            result.append(
                Mention(
                    theme_id=self.taxonomy_.themes[theme_index].id,
                    sentiment_score=sum(scores) / len(scores),
                    evidence=evidence,
                    keywords=keywords,
                )
            )
        return result

    def transform(self, X: Iterable[str]) -> pd.DataFrame:
        """A 0/1 matrix: one row per text, one column per theme id."""
        rows = []
        for text in X:
            row = np.zeros(len(self.taxonomy_.themes), dtype=int)
            if isinstance(text, str):
                for clause in split_clauses(normalize_text(text)):
                    if not self.may_match(clause):
                        continue
                    for theme_index in self.match_clause(self.tokenizer_.cut(clause)):
                        row[theme_index] = 1
            rows.append(row)
        matrix = np.vstack(rows) if rows else np.zeros((0, len(self.taxonomy_.themes)), dtype=int)
        return pd.DataFrame(matrix, columns=list(self.taxonomy_.ids))

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        """Theme ids, the columns of :meth:`transform`."""
        return np.asarray(self.taxonomy_.ids, dtype=object)


def _contains(tokens: Sequence[str], phrase: tuple[str, ...]) -> bool:
    n = len(phrase)
    return n > 0 and any(tuple(tokens[i : i + n]) == phrase for i in range(len(tokens) - n + 1))
