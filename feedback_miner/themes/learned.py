"""Recall beyond the keyword list: each theme learned from its keyword matches in the corpus.

Keywords are precise but miss what customers say in other words (送来时已经
凉透了 is about delivery without 配送 or 超时). For each theme, the clauses its
keywords matched in the user's own corpus are the labelled examples of a
per-theme model (weak supervision, as the sentiment self-training does):

1. **Examples.** Each clause with a keyword match of the theme is a positive;
   every other clause is a negative. Some negatives are about the theme in
   other words: they are what the model is for, and the checks below count
   them as errors, so the checks err on the side of adding less.
   A model only ever adds a theme to a clause that no keyword of any theme
   matched and that names something (a content word, not only judgements
   such as 特别好, degree or function words): a clause about price is not
   made a billing clause, and praise alone is about nothing in particular.
2. **Model.** A logistic regression on character 1-3-gram TF-IDF of the
   clause gives a score per clause. Characters carry meaning in Chinese: a
   keyword's characters (量 of 量少) and its neighbours (洒, 凉透, 一个多小时)
   recognise clauses the keyword list misses (菜量太小, 汤都洒完了).
3. **Calibration on held-back documents.** A quarter of the documents are
   held back. Their clauses matched by keywords of *other* themes, scored
   without those keywords (as a clause about something else comes when no
   keyword marks it), show how often such a clause scores above a threshold
   t (FPR, with one false positive added for caution); their clauses no keyword
   matched are what the model will be asked about (N of them, U(t) above t).
   The expected number of wrong additions is FPR(t) * N, so the estimated
   precision of what the model adds is 1 - FPR(t) * N / U(t). The threshold
   is the lowest t at which this is at least :data:`MIN_HELD_BACK_PRECISION`.
4. **Checks.** A theme gets a model only with :data:`MIN_POSITIVES` keyword
   clauses, :data:`MIN_HELD_BACK_POSITIVES` held back, and a threshold that
   adds at least :data:`MIN_HELD_BACK_ADDED` held-back clauses; otherwise its
   mentions stay keyword-only. The figures of every check are kept
   (``reports``), with the share of the theme's own held-back keyword
   clauses the model still recognises once their keywords are removed.

A clause that holds one of the theme's keywords in a rejected sense, or one of
its ``exclude`` phrases, is never a learned match: the sense rules stand.
The models are fitted once on the corpus (a seeded sample of it) before the
per-chunk stages and passed to every worker, so the tables do not depend on
``--jobs`` or the engine.
"""

from __future__ import annotations

import logging
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from ..text.entities import MASK, ORGANISATION_MASK

__all__ = [
    "MIN_DOCUMENTS",
    "LearnedThemes",
    "ThemeModelReport",
    "TrainingClause",
    "fit_learned_themes",
]

logger = logging.getLogger(__name__)

# the corpus must hold this many documents for the models to be fitted (``auto``)
MIN_DOCUMENTS = 200
MIN_POSITIVES = 30
MIN_HELD_BACK_POSITIVES = 10
MIN_HELD_BACK_ADDED = 3
MIN_HELD_BACK_PRECISION = 0.9
_HELD_BACK_SHARE = 0.25
_NEGATIVES_PER_POSITIVE = 20
_MASKS = str.maketrans("", "", MASK + ORGANISATION_MASK)


@dataclass(frozen=True)
class TrainingClause:
    """One clause of the corpus, as the models see it.

    Attributes
    ----------
    document : int
        Index of its document (documents are held back whole).
    text : str
        The clause with the entity layer's masks.
    matched : dict
        Theme index -> the keywords that matched in it.
    present : frozenset of int
        Themes whose keywords or ``exclude`` phrases occur in it in any sense.
    names_something : bool
        Whether it holds a content word (see
        :meth:`~feedback_miner.themes.ThemeMatcher.names_something`).
    """

    document: int
    text: str
    matched: dict[int, tuple[str, ...]]
    present: frozenset[int]
    names_something: bool = True


@dataclass(frozen=True)
class ThemeModelReport:
    """How one theme's model was checked on the held-back documents.

    Attributes
    ----------
    theme_index : int
        The theme.
    positives : int
        Keyword-matched clauses it learned from.
    held_back_positives : int
        Keyword-matched clauses held back.
    threshold : float
        The score from which a clause is recognised (``nan`` when unused).
    held_back_precision : float
        Estimated precision of what it adds on held-back clauses (see notes).
    held_back_recall : float
        Share of its own held-back keyword clauses still above it once their
        keywords are removed (for information: how far it reads beyond them).
    used : bool
        Whether the model passed the checks.
    """

    theme_index: int
    positives: int
    held_back_positives: int
    threshold: float
    held_back_precision: float
    held_back_recall: float
    used: bool


@dataclass(frozen=True, eq=False)
class LearnedThemes:
    """The fitted models of the themes that passed their checks.

    Attributes
    ----------
    vectorizer : TfidfVectorizer
        Character 1-3-gram features of a clause.
    theme_indices : tuple of int
        The themes with a model, one per column of ``coefficients``.
    coefficients : numpy.ndarray
        Features x themes.
    intercepts, thresholds : numpy.ndarray
        Per theme: the intercept, and the score from which a clause is recognised.
    reports : tuple of ThemeModelReport
        The checks of every theme that had enough examples.
    """

    vectorizer: TfidfVectorizer
    theme_indices: tuple[int, ...]
    coefficients: np.ndarray
    intercepts: np.ndarray
    thresholds: np.ndarray
    reports: tuple[ThemeModelReport, ...]

    def scores(self, clauses: Sequence[str]) -> np.ndarray:
        """Clauses x themes: each model's score (log-odds) of each clause."""
        if not clauses or not self.theme_indices:
            return np.zeros((len(clauses), len(self.theme_indices)))
        features = self.vectorizer.transform([c.translate(_MASKS) for c in clauses])
        return np.asarray(features @ self.coefficients) + self.intercepts

    def recognise(self, clauses: Sequence[str], asked: Sequence[int]) -> list[list[int]]:
        """For each clause, the themes recognised in it; only the clauses at the
        positions ``asked`` are asked (the others get none): those that no
        keyword of any theme matched and that name something."""
        found: list[list[int]] = [[] for _ in clauses]
        if not asked:
            return found
        above = self.scores([clauses[i] for i in asked]) >= self.thresholds
        for i, row in zip(asked, above, strict=True):
            found[i] = [theme for theme, hit in zip(self.theme_indices, row, strict=True) if hit]
        return found


def _held_back(document: int, seed: int) -> bool:
    return zlib.crc32(f"{seed}:{document}".encode()) % 1000 < _HELD_BACK_SHARE * 1000


def _without_keywords(text: str, keywords: Sequence[str]) -> str:
    for keyword in sorted(keywords, key=len, reverse=True):
        text = text.replace(keyword, " ")
    return text.translate(_MASKS)


def fit_learned_themes(
    clauses: Sequence[TrainingClause], n_themes: int, *, seed: int = 0
) -> LearnedThemes | None:
    """Fit and check one model per theme; ``None`` when no theme passes.

    Parameters
    ----------
    clauses : sequence of TrainingClause
        Every clause of the corpus sample, with its keyword matches.
    n_themes : int
        Themes in the taxonomy.
    seed : int
        Seed of the held-back split and of the negative sample.
    """
    if not clauses:
        return None
    rng = np.random.default_rng(seed)
    held = np.array([_held_back(c.document, seed) for c in clauses])
    texts = [c.text.translate(_MASKS) for c in clauses]
    vectorizer = TfidfVectorizer(
        analyzer="char", ngram_range=(1, 3), min_df=2, sublinear_tf=True, max_features=60000
    )
    try:
        features = vectorizer.fit_transform(texts)
    except ValueError:  # no n-gram occurs twice
        return None
    matched_any = np.array([bool(c.matched) for c in clauses])
    unmatched = np.array([not c.present and c.names_something for c in clauses])

    def present_here(theme: int) -> np.ndarray:
        return np.array([theme in c.present for c in clauses])

    kept: list[tuple[int, np.ndarray, float, float]] = []
    reports = []
    for theme in range(n_themes):
        labels = np.array([theme in c.matched for c in clauses])
        blocked = np.array([theme in c.present and theme not in c.matched for c in clauses])
        train = ~held & ~blocked
        positives = int((labels & train).sum())
        if positives < MIN_POSITIVES:
            continue
        negatives = np.flatnonzero(~labels & train)
        limit = positives * _NEGATIVES_PER_POSITIVE
        if len(negatives) > limit:
            negatives = np.sort(rng.choice(negatives, size=limit, replace=False))
        rows = np.concatenate([np.flatnonzero(labels & train), negatives])
        model = LogisticRegression(
            C=1.0, max_iter=1000, solver="liblinear", class_weight="balanced"
        )
        model.fit(features[rows], labels[rows].astype(int))
        coefficients = model.coef_.ravel()
        intercept = float(model.intercept_[0])
        # held back: the theme's own keyword clauses (0), other themes' (1), and the
        # clauses no keyword matched (2), which are what the model will be asked about
        kind = np.where(
            labels, 0, np.where(matched_any & ~present_here(theme), 1, np.where(unmatched, 2, -1))
        )
        rows = np.flatnonzero(held & (kind >= 0))
        scores = np.asarray(features[rows] @ coefficients).ravel() + intercept
        # another theme's clause is scored without its keywords: what that theme's clauses
        # look like when they come without a keyword, as the unmatched ones do
        others = np.flatnonzero(kind[rows] == 1)
        if len(others):
            stripped = vectorizer.transform(
                [
                    _without_keywords(
                        clauses[i].text, [k for ks in clauses[i].matched.values() for k in ks]
                    )
                    for i in rows[others]
                ]
            )
            scores[others] = np.asarray(stripped @ coefficients).ravel() + intercept
        own = rows[kind[rows] == 0]
        without = vectorizer.transform(
            [_without_keywords(clauses[i].text, clauses[i].matched[theme]) for i in own]
        )
        own_without = np.asarray(without @ coefficients).ravel() + intercept
        report = _check(theme, positives, scores, kind[rows], own_without)
        reports.append(report)
        if report.used:
            kept.append((theme, coefficients, intercept, report.threshold))
        logger.info(
            "learned theme %d: %d positives, held-back precision %.2f recall %.2f: %s",
            theme,
            positives,
            report.held_back_precision,
            report.held_back_recall,
            "used" if report.used else "not used",
        )
    if not kept:
        return None
    return LearnedThemes(
        vectorizer=vectorizer,
        theme_indices=tuple(k[0] for k in kept),
        coefficients=np.column_stack([k[1] for k in kept]),
        intercepts=np.array([k[2] for k in kept]),
        thresholds=np.array([k[3] for k in kept]),
        reports=tuple(reports),
    )


def _check(
    theme: int, positives: int, scores: np.ndarray, kind: np.ndarray, own_without: np.ndarray
) -> ThemeModelReport:
    """The lowest threshold whose estimated precision of additions is high enough.

    ``kind`` is 0 for the theme's own keyword clauses, 1 for other themes' and
    2 for unmatched clauses, all held back (see the module notes);
    ``own_without`` the scores of the own ones with their keywords removed.
    """
    n_own, n_other, n_unmatched = (int((kind == k).sum()) for k in (0, 1, 2))
    unusable = ThemeModelReport(theme, positives, n_own, float("nan"), 0.0, 0.0, False)
    if n_own < MIN_HELD_BACK_POSITIVES or n_other == 0 or n_unmatched == 0:
        return unusable
    order = np.argsort(-scores, kind="stable")
    ranked = kind[order]
    other = np.cumsum(ranked == 1)
    added = np.cumsum(ranked == 2)
    precision = 1.0 - (other + 1) / (n_other + 1) * n_unmatched / np.maximum(added, 1)
    good = np.flatnonzero(
        (ranked == 2) & (added >= MIN_HELD_BACK_ADDED) & (precision >= MIN_HELD_BACK_PRECISION)
    )
    if not len(good):
        best = float(precision[ranked == 2].max(initial=0.0))
        return ThemeModelReport(theme, positives, n_own, float("nan"), max(best, 0.0), 0.0, False)
    last = int(good[-1])  # the deepest cut that still keeps the precision
    threshold = float(scores[order[last]])
    return ThemeModelReport(
        theme_index=theme,
        positives=positives,
        held_back_positives=n_own,
        threshold=threshold,
        held_back_precision=float(precision[last]),
        held_back_recall=float((own_without >= threshold).mean()),
        used=True,
    )
