"""Discovering emerging themes the taxonomy misses.

The texts are cut into the words that can name a reason
(:class:`~feedback_miner.themes.vocabulary.ReasonVocabulary`: no moods,
function words, brands, handles or boilerplate; collocations joined into
phrases) and factorised with non-negative matrix factorisation (scikit-learn)
of their TF-IDF weights; each text takes the topic that dominates it.

Why NMF: ``benchmarks/eval_discover.py`` compares it on the same words with
gensim's LdaModel and tomotopy's LDA. On short feedback, where a text holds a
few words about one thing, NMF finds the categories as well as or better than
the sampled models, is deterministic for a seed and runs in a fraction of
their time, and it needs no extra dependency.

``k="auto"`` chooses the number of topics by *stability* (Greene, O'Callaghan
and Cunningham 2014): for each candidate k the model is refitted on random
80% samples of the texts, and the k whose samples put the texts into the same
topics (adjusted Rand index) is kept; of candidates within one standard error
of the most stable, the smallest. Too few topics glue reasons together in ways that change from
sample to sample, too many split them arbitrarily; the right number is the
one the data keeps giving. Topics whose top words or documents overlap are
then merged (:mod:`~feedback_miner.themes.topics`).
"""

from __future__ import annotations

import logging
import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.decomposition import NMF
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import adjusted_rand_score

from ..beside import Beside
from ..errors import FeedbackMinerError
from ..text import ChineseTokenizer
from ..text.boilerplate import find_boilerplate, known_handles
from ..text.entities import EntityFinder
from .topics import DiscoveredTopic, build_topics, merge_overlapping
from .vocabulary import ReasonVocabulary, learn_phrases

__all__ = [
    "AUTO_RANGE",
    "MIN_TEXTS",
    "DiscoveredTopic",
    "Discovery",
    "discover_topics",
    "reason_words",
]

logger = logging.getLogger(__name__)

MIN_TEXTS = 20
_MIN_TOPIC_TEXTS = 3
_MIN_TOPIC_SHARE = 0.01
AUTO_RANGE = range(3, 16)
_SAMPLES = 5
_SAMPLE_SHARE = 0.8


@dataclass(frozen=True)
class Discovery:
    """Topics, the topic of each text (-1 for texts without any kept word), and how k was chosen.

    Attributes
    ----------
    topics : tuple of DiscoveredTopic
        The topics, largest first; ``topics[i].index == i``.
    assignments : numpy.ndarray
        The topic of each text, -1 for none.
    k : int
        Number of topics after merging.
    fitted_k : int
        Number of topics the factorisation was fitted with (given or chosen).
    stability_by_k : dict
        For ``k="auto"``: each candidate's stability (0-1).
    k_reason : str
        In words, which k was used and why.
    """

    topics: tuple[DiscoveredTopic, ...]
    assignments: np.ndarray
    k: int
    fitted_k: int
    stability_by_k: dict[int, float]
    k_reason: str


def reason_words(
    texts: Sequence[str], vocabulary: ReasonVocabulary
) -> tuple[list[list[str]], list[list[list[str]]]]:
    """The reason words of each text (phrases joined) and its runs of content words."""
    runs = [vocabulary.runs(text) for text in texts]
    phrases = learn_phrases(runs)
    return [vocabulary.words(r, phrases) for r in runs], runs


def _fit(matrix: object, k: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    model = NMF(n_components=k, init="nndsvda", random_state=seed, max_iter=300, tol=1e-3)
    # a topic count that fits the data exactly leaves a rounding-negative error (sqrt warns),
    # and 300 iterations settle the topics even where the loss still creeps down
    with warnings.catch_warnings(), np.errstate(invalid="ignore"):
        warnings.simplefilter("ignore", ConvergenceWarning)
        weights = model.fit_transform(matrix)
    return weights, model.components_


def _stability(matrix: object, k: int, weights: np.ndarray, seed: int) -> tuple[float, float]:
    """Mean agreement (adjusted Rand index) between the topics ``weights`` give the texts
    and those of models refitted on random samples of them, and its standard error."""
    rng = np.random.default_rng(seed + 1000 * k)
    n = matrix.shape[0]  # type: ignore[attr-defined]
    reference = weights.argmax(axis=1)
    scores = []
    for sample in range(_SAMPLES):
        rows = np.sort(rng.choice(n, size=int(_SAMPLE_SHARE * n), replace=False))
        refitted, _ = _fit(matrix[rows], k, seed + sample + 1)  # type: ignore[index]
        scores.append(float(adjusted_rand_score(reference[rows], refitted.argmax(axis=1))))
    return float(np.mean(scores)), float(np.std(scores, ddof=1) / np.sqrt(len(scores)))


_Candidate = tuple[tuple[np.ndarray, np.ndarray], float, float]


def _fit_candidates(matrix: object, candidates: list[int], seed: int) -> dict[int, _Candidate]:
    """Each candidate k's fit and its stability with its standard error."""
    out: dict[int, _Candidate] = {}
    for k in candidates:
        fit = _fit(matrix, k, seed)
        out[k] = (fit, *_stability(matrix, k, fit[0], seed))
    return out


def _choose_k(
    matrix: object, candidates: list[int], seed: int, jobs: int = 1
) -> tuple[int, dict[int, float], dict[int, tuple[np.ndarray, np.ndarray]], str]:
    if jobs > 1 and len(candidates) > 1:
        # every other candidate in a process beside (the cost grows with k: alternate ones
        # share it evenly); each fit is the one this process would make
        with Beside(_fit_candidates, matrix, candidates[1::2], seed) as beside:
            found = _fit_candidates(matrix, candidates[0::2], seed)
            found.update(beside.result())
    else:
        found = _fit_candidates(matrix, candidates, seed)
    fits: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    scores: dict[int, float] = {}
    errors: dict[int, float] = {}
    for k in candidates:
        fits[k], scores[k], errors[k] = found[k]
        logger.info("k=%d: stability %.3f (standard error %.3f)", k, scores[k], errors[k])
    best = max(scores, key=lambda k: (scores[k], -k))
    # the one-standard-error rule: the fewest topics as stable as the best within its noise
    chosen = min(k for k, s in scores.items() if s >= scores[best] - errors[best])
    head = (
        f"k = {chosen} of {candidates[0]}-{candidates[-1]}: refitted on {_SAMPLES} random "
        f"{_SAMPLE_SHARE:.0%} samples of the texts, "
    )
    if best == chosen:
        runner_up = max((k for k in scores if k != chosen), key=lambda k: scores[k], default=None)
        reason = head + (
            f"its topics held the same texts most consistently (stability {scores[chosen]:.2f}"
            + (f"; next best k = {runner_up}: {scores[runner_up]:.2f}" if runner_up else "")
            + ")"
        )
    else:
        reason = head + (
            f"k = {best} was the most stable ({scores[best]:.2f}) but k = {chosen} "
            f"({scores[chosen]:.2f}) is within one standard error ({errors[best]:.2f}) of it, "
            "so the fewer topics are kept"
        )
    return chosen, scores, fits, reason


def discover_topics(
    texts: Sequence[str],
    *,
    k: int | str = "auto",
    seed: int = 0,
    tokenizer: ChineseTokenizer | None = None,
    vocabulary: ReasonVocabulary | None = None,
    negative: Sequence[bool] | None = None,
    jobs: int = 1,
) -> Discovery:
    """Find the reasons ``texts`` talk about.

    Parameters
    ----------
    texts : sequence of str
        The texts (already cleaned).
    k : int or "auto"
        Number of topics, or ``"auto"`` to choose 3-15 by stability.
    seed : int
        Seed of the factorisation and the samples; same texts and seed give the same topics.
    tokenizer : ChineseTokenizer, optional
        Tokenizer to use; a default one is made when not given.
    vocabulary : ReasonVocabulary, optional
        The words a reason may be made of; by default one with the handles and
        boilerplate found in ``texts``.
    negative : sequence of bool, optional
        Whether each text is negative, for each topic's share of negative texts.
    jobs : int
        With 2 or more and ``k="auto"``, half the candidate k are fitted in a
        forked process (Linux; elsewhere all here). The topics are the same.

    Raises
    ------
    FeedbackMinerError
        With fewer than 20 texts, fewer distinct words than topics, a bad ``k``,
        or when no topic holds at least 3 texts (and 1% of them): topics
        smaller than that are left out, their texts get -1.
    """
    if len(texts) < MIN_TEXTS:
        raise FeedbackMinerError(
            f"discovery needs at least {MIN_TEXTS} texts; there are {len(texts)}. Add more feedback."
        )
    if vocabulary is None:
        finder = EntityFinder(handles=known_handles(texts), boilerplate=find_boilerplate(texts))
        vocabulary = ReasonVocabulary(tokenizer or ChineseTokenizer(), finder=finder)
    words, runs = reason_words(texts, vocabulary)
    vectorizer = TfidfVectorizer(
        analyzer=lambda doc: doc, min_df=2, max_df=0.5, sublinear_tf=True, norm="l2"
    )
    try:
        matrix = vectorizer.fit_transform(words)
    except ValueError:
        raise FeedbackMinerError(
            "the texts share too few words to find topics (every word occurs in one text only)."
        ) from None
    vocabulary_words = np.array(vectorizer.get_feature_names_out())
    usable = min(len(vocabulary_words), len(texts))
    candidates = [c for c in AUTO_RANGE if c < usable] if k == "auto" else [int(k)]
    if not candidates or candidates[0] < 2 or candidates[0] >= usable:
        raise FeedbackMinerError(
            f"-k is {k}; use a number from 2 to {max(2, usable - 1)}, or auto "
            f"(the texts have {len(vocabulary_words)} words that recur)."
        )
    if k == "auto":
        fitted_k, scores, fits, reason = _choose_k(matrix, candidates, seed, jobs)
        weights, components = fits[fitted_k]
    else:
        fitted_k, scores = candidates[0], {}
        weights, components = _fit(matrix, fitted_k, seed)
        reason = f"k = {fitted_k}, as given"
    assignments = np.where(weights.max(axis=1) > 0, weights.argmax(axis=1), -1)
    assignments, merged = merge_overlapping(assignments, weights, components)
    if merged:
        reason += f"; {merged} overlapping topic{'s' if merged > 1 else ''} merged"
    # a handful of texts is an anecdote, not a theme to adopt
    least = max(_MIN_TOPIC_TEXTS, math.ceil(_MIN_TOPIC_SHARE * len(texts)))
    sizes = np.bincount(assignments[assignments >= 0], minlength=weights.shape[1])
    small = [t for t in range(len(sizes)) if 0 < sizes[t] < least]
    if small:
        assignments = np.where(np.isin(assignments, small), -1, assignments)
        reason += f"; {len(small)} topic{'s' if len(small) > 1 else ''} of fewer than {least} texts left out"
    if not (assignments >= 0).any():
        raise FeedbackMinerError(
            f"no topic is shared by at least {least} of the {len(texts)} texts; there is "
            "nothing to propose. Add more feedback."
        )
    topics, assignments = build_topics(
        texts,
        words,
        runs,
        assignments,
        weights,
        negative=negative,
        quote=vocabulary.finder.quote,
        judge=vocabulary.judged_phrase,
    )
    if not topics:
        raise FeedbackMinerError(
            f"no topic of the {len(texts)} texts has words that recur in it; there is nothing "
            "to propose. Add more feedback."
        )
    return Discovery(tuple(topics), assignments, len(topics), fitted_k, scores, reason)
