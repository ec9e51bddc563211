"""Recall beyond the keyword list: each theme learned from its keyword matches in the corpus.

Keywords are precise but miss what customers say in other words (送来时已经
凉透了 is about delivery without 配送 or 超时). For each theme, the clauses its
keywords matched in the user's own corpus are the labelled examples of a
per-theme model (weak supervision, as the sentiment self-training does):

1. **Examples.** Each clause with a keyword match of the theme is a positive,
   with the matched keyword characters removed, so that the model learns the
   words around the keywords and not the keywords (which already match).
   Every other clause is unlabelled (it may be about the theme in other words).
2. **Model.** A logistic regression on character 1-3-gram TF-IDF of the clause
   estimates g(x), the probability that a clause is keyword-labelled.
3. **Calibration** (Elkan and Noto, "Learning classifiers from only positive
   and unlabeled data", KDD 2008). On held-back documents, c is the mean g(x)
   of the positives; an unlabelled clause is about the theme with probability
   ((1 - c) / c) * g(x) / (1 - g(x)). A clause above :data:`MIN_PROBABILITY`
   becomes a ``learned`` mention.
4. **Held-back checks.** A theme gets a model only with enough positives, when
   the held-back positives are recognised without their keywords (recall at
   least :data:`MIN_HELD_BACK_RECALL`) and when the expected precision of what
   the model would add on held-back clauses is at least
   :data:`MIN_EXPECTED_PRECISION`; otherwise its mentions stay keyword-only.

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
MIN_HELD_BACK_POSITIVES = 8
MIN_HELD_BACK_RECALL = 0.2
MIN_EXPECTED_PRECISION = 0.7
MIN_PROBABILITY = 0.6
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
    """

    document: int
    text: str
    matched: dict[int, tuple[str, ...]]
    present: frozenset[int]


@dataclass(frozen=True)
class ThemeModelReport:
    """How one theme's model was checked.

    Attributes
    ----------
    theme_index : int
        The theme.
    positives : int
        Keyword-matched clauses it learned from.
    held_back_recall : float
        Share of held-back keyword clauses (keywords removed) it recognises.
    expected_precision : float
        Mean probability of what it adds on held-back clauses.
    added_share : float
        Held-back unlabelled clauses it would add, per held-back keyword clause.
    used : bool
        Whether the model passed the checks.
    """

    theme_index: int
    positives: int
    held_back_recall: float
    expected_precision: float
    added_share: float
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
    intercepts, labelled_share : numpy.ndarray
        Per theme: the intercept, and c (the share of the theme's clauses the
        keywords find, see the module notes).
    reports : tuple of ThemeModelReport
        The checks of every theme that had enough examples.
    """

    vectorizer: TfidfVectorizer
    theme_indices: tuple[int, ...]
    coefficients: np.ndarray
    intercepts: np.ndarray
    labelled_share: np.ndarray
    reports: tuple[ThemeModelReport, ...]

    def probabilities(self, clauses: Sequence[str]) -> np.ndarray:
        """Clauses x themes: the probability that an unlabelled clause is about the theme."""
        if not clauses or not self.theme_indices:
            return np.zeros((len(clauses), len(self.theme_indices)))
        features = self.vectorizer.transform([c.translate(_MASKS) for c in clauses])
        logits = features @ self.coefficients + self.intercepts
        g = 1.0 / (1.0 + np.exp(-np.asarray(logits)))
        c = self.labelled_share
        return np.minimum(1.0, (1.0 - c) / c * g / np.maximum(1.0 - g, 1e-12))

    def recognise(
        self, clauses: Sequence[str], present: Sequence[frozenset[int]]
    ) -> list[list[int]]:
        """For each clause, the themes recognised in it (never one in ``present``)."""
        probabilities = self.probabilities(clauses)
        found: list[list[int]] = []
        for row, blocked in zip(probabilities, present, strict=True):
            found.append(
                [
                    theme
                    for theme, p in zip(self.theme_indices, row, strict=True)
                    if p >= MIN_PROBABILITY and theme not in blocked
                ]
            )
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
    texts = [
        _without_keywords(c.text, [k for kws in c.matched.values() for k in kws]) for c in clauses
    ]
    train_texts = [t for t, h in zip(texts, held, strict=True) if not h]
    if not train_texts:
        return None
    vectorizer = TfidfVectorizer(
        analyzer="char", ngram_range=(1, 3), min_df=2, sublinear_tf=True, max_features=60000
    )
    try:
        features = vectorizer.fit_transform(texts)
    except ValueError:  # no n-gram occurs twice
        return None
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
        weight = 1.0
        if len(negatives) > limit:
            weight = len(negatives) / limit
            negatives = np.sort(rng.choice(negatives, size=limit, replace=False))
        rows = np.concatenate([np.flatnonzero(labels & train), negatives])
        sample_weight = np.where(labels[rows], 1.0, weight)
        model = LogisticRegression(C=1.0, max_iter=1000, solver="liblinear")
        model.fit(features[rows], labels[rows].astype(int), sample_weight=sample_weight)
        coefficients = model.coef_.ravel()
        intercept = float(model.intercept_[0])
        report, c = _check(
            features, labels, held & ~blocked, coefficients, intercept, theme, positives
        )
        reports.append(report)
        if report.used:
            kept.append((theme, coefficients, intercept, c))
        logger.info(
            "learned theme %d: %d positives, held-back recall %.2f, expected precision %.2f, %s",
            theme,
            positives,
            report.held_back_recall,
            report.expected_precision,
            "used" if report.used else "not used",
        )
    if not kept:
        return None
    return LearnedThemes(
        vectorizer=vectorizer,
        theme_indices=tuple(k[0] for k in kept),
        coefficients=np.column_stack([k[1] for k in kept]),
        intercepts=np.array([k[2] for k in kept]),
        labelled_share=np.array([k[3] for k in kept]),
        reports=tuple(reports),
    )


def _check(
    features: object,
    labels: np.ndarray,
    held: np.ndarray,
    coefficients: np.ndarray,
    intercept: float,
    theme: int,
    positives: int,
) -> tuple[ThemeModelReport, float]:
    """The held-back checks of one theme's model, and its labelled share c."""
    rows = np.flatnonzero(held)
    held_positive = labels[rows]
    unusable = ThemeModelReport(theme, positives, 0.0, 0.0, 0.0, False)
    if held_positive.sum() < MIN_HELD_BACK_POSITIVES:
        return unusable, 1.0
    logits = np.asarray(features[rows] @ coefficients).ravel() + intercept  # type: ignore[index]
    g = 1.0 / (1.0 + np.exp(-logits))
    c = float(np.clip(g[held_positive].mean(), 1e-6, 1 - 1e-6))
    probability = np.minimum(1.0, (1.0 - c) / c * g / np.maximum(1.0 - g, 1e-12))
    recall = float((probability[held_positive] >= MIN_PROBABILITY).mean())
    added = probability[~held_positive][probability[~held_positive] >= MIN_PROBABILITY]
    precision = float(added.mean()) if len(added) else 0.0
    share = len(added) / max(int(held_positive.sum()), 1)
    used = bool(
        recall >= MIN_HELD_BACK_RECALL and len(added) and precision >= MIN_EXPECTED_PRECISION
    )
    return ThemeModelReport(theme, positives, recall, precision, share, used), c
