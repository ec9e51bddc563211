"""What a discovered topic shows a person: merged when it repeats another, its keywords,
a name taken from the customers' own phrasing, quotes, size, share of negative texts,
and a coherence score said in words."""

from __future__ import annotations

import functools
import itertools
import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

__all__ = [
    "COHERENCE_GOOD",
    "CoherenceLabel",
    "DiscoveredTopic",
    "build_topics",
    "coherence_words",
    "merge_overlapping",
]

CoherenceLabel = Literal["good", "weak"]
# NPMI of the top words at or above this: they share texts far more often than chance
COHERENCE_GOOD = 0.1
_KEYWORDS = 12
_COHERENCE_TERMS = 10
# keywords rank by relevance (Sievert and Shirley 2014): this weight on p(w|topic), the
# rest on its lift over the corpus; 0.6 is the value their user study found best
_RELEVANCE_WEIGHT = 0.6
_OVERLAP_TERMS = 10
_NEGLIGIBLE = 0.05
_OVERLAP_JACCARD = 0.3
# a document belongs to a topic as well when its weight there is this share of its largest
_SHARED_WEIGHT = 0.5
_OVERLAP_DOCUMENTS = 0.3
# a phrase names the topic when it occurs in this share of the texts its best word is in
_PHRASE_SHARE = 0.3
_SPREAD_ENTROPY = 0.8
_SPREAD_MIN_TOPICS = 3
_SPREAD_MIN_TEXTS = 5


@dataclass(frozen=True)
class DiscoveredTopic:
    """One proposed theme.

    Attributes
    ----------
    index : int
        Topic number (the ``topic`` of ``--assignments``); 0 is the largest.
    name : str
        Its most representative phrase, as customers write it.
    keywords : tuple of str
        Its top words, most characteristic first.
    size : int
        Texts assigned to it.
    coherence : float
        NPMI coherence of its top words (-1 to 1; higher is better).
    quotes : tuple of str
        Three texts that express it most strongly.
    share_negative : float or None
        Share of its texts that are negative (``None`` when not known).
    """

    index: int
    name: str
    keywords: tuple[str, ...]
    size: int
    coherence: float
    quotes: tuple[str, ...]
    share_negative: float | None = None

    @property
    def coherence_label(self) -> CoherenceLabel:
        """``good`` when the top words share texts far more often than chance, else ``weak``."""
        return "good" if self.coherence >= COHERENCE_GOOD else "weak"


def coherence_words(topic: DiscoveredTopic) -> str:
    """The coherence of ``topic`` explained in a sentence.

    Examples
    --------
    >>> coherence_words(DiscoveredTopic(0, "断网", ("断网",), 5, 0.31, ()))
    'good (NPMI 0.31): its keywords turn up together in the same texts'
    """
    if topic.coherence_label == "good":
        return f"good (NPMI {topic.coherence:.2f}): its keywords turn up together in the same texts"
    return (
        f"weak (NPMI {topic.coherence:.2f}): its keywords seldom share a text; "
        "read the quotes before adopting it"
    )


def _top_words(row: np.ndarray) -> set[int]:
    """The ten heaviest words of a topic, leaving out those with next to no weight (a small
    vocabulary has fewer than ten words that matter to each topic)."""
    top = np.argsort(-row, kind="stable")[:_OVERLAP_TERMS]
    return {int(w) for w in top if row[w] > _NEGLIGIBLE * row.max()}


def _overlap(
    group_a: list[int], group_b: list[int], weights: np.ndarray, components: np.ndarray
) -> float:
    """How much two groups of topics repeat each other (0-1; see :func:`merge_overlapping`)."""
    top_a, top_b = (
        _top_words(components[group_a].sum(axis=0)),
        _top_words(components[group_b].sum(axis=0)),
    )
    words = len(top_a & top_b) / max(1, len(top_a | top_b)) / _OVERLAP_JACCARD
    on_a, on_b = weights[:, group_a].sum(axis=1), weights[:, group_b].sum(axis=1)
    mine = (on_a > 0) | (on_b > 0)
    if not mine.any():
        return float(words)
    high, low = np.maximum(on_a, on_b)[mine], np.minimum(on_a, on_b)[mine]
    shared = float(np.mean(low >= _SHARED_WEIGHT * high)) / _OVERLAP_DOCUMENTS
    return max(words, shared)


def merge_overlapping(
    assignments: np.ndarray, weights: np.ndarray, components: np.ndarray
) -> tuple[np.ndarray, int]:
    """Join topics that repeat each other, the most alike pair first.

    Two topics are one when their top ten words overlap (Jaccard at least
    0.3), or when of the texts that weigh on either, at least 30% weigh on the
    weaker of the two at least half as much as on the stronger. After each
    merge the joined topic is compared again as one.

    Returns
    -------
    assignments : numpy.ndarray
        Each text's topic, numbered as the first topic of its merged group.
    merged : int
        How many topics were folded into another.
    """
    groups = [[i] for i in range(components.shape[0])]
    while len(groups) > 1:
        score, a, b = max(
            (_overlap(groups[a], groups[b], weights, components), a, b)
            for a in range(len(groups))
            for b in range(a + 1, len(groups))
        )
        if score < 1:
            break
        groups[a] = sorted(groups[a] + groups[b])
        del groups[b]
    root = np.arange(components.shape[0])
    for group in groups:
        root[group] = group[0]
    merged = components.shape[0] - len(groups)
    if not merged:
        return assignments, 0
    totals = np.stack([weights[:, g].sum(axis=1) for g in groups], axis=1)
    chosen = np.array([g[0] for g in groups])[totals.argmax(axis=1)]
    return np.where(assignments >= 0, chosen, -1), merged


def _relevance(
    member_counts: Counter[str], corpus_counts: Counter[str], total: int
) -> list[tuple[float, str]]:
    member_total = sum(member_counts.values())
    ranked = []
    for word, count in member_counts.items():
        if count < 2:
            continue
        p_topic = count / member_total
        p_corpus = corpus_counts[word] / total
        score = _RELEVANCE_WEIGHT * math.log(p_topic) + (1 - _RELEVANCE_WEIGHT) * math.log(
            p_topic / p_corpus
        )
        ranked.append((score, word))
    ranked.sort(key=lambda item: (-item[0], item[1]))
    return ranked


def _name(
    members: Sequence[int],
    words: Sequence[Sequence[str]],
    runs: Sequence[Sequence[Sequence[str]]],
    keywords: Sequence[str],
    pair_counts: Counter[str],
    n_texts: int,
    judged: Callable[[str, list[int]], str] | None = None,
) -> str:
    """The topic's most representative phrase, made of its own keywords: two keywords its
    texts write side by side (变速箱 + 顿挫), or a keyword that is a phrase itself (自动续费),
    used often in the topic and seldom outside it; else the complaint its texts most often
    make of one of its two best keywords (``judged``: 隔音 -> 隔音差); else those two
    keywords."""
    if not keywords:
        return ""
    top, best = set(keywords), set(keywords[:5])
    in_topic: Counter[str] = Counter()
    for i in members:
        in_topic.update(
            {
                a + b
                for run in runs[i]
                for a, b in itertools.pairwise(run)
                if a in top and b in top and (a in best or b in best) and a != b
            }
            | {w for w in words[i] if w in best and len(w) >= 3}
        )
    best_word = sum(1 for i in members if keywords[0] in words[i])
    expected = len(members) / max(1, n_texts)
    candidates = [
        (count * math.log(count / (pair_counts[phrase] * expected)), phrase)
        for phrase, count in in_topic.items()
        if count >= max(2, _PHRASE_SHARE * best_word)
        and pair_counts[phrase]
        and count > pair_counts[phrase] * expected
    ]
    if candidates:
        return max(candidates, key=lambda c: (c[0], c[1]))[1]
    if judged is not None:
        for keyword in keywords[:2]:
            holding = [i for i in members if keyword in words[i]]
            phrase = judged(keyword, holding) if len(holding) >= 2 else ""
            if phrase:
                return phrase
    second = next((w for w in keywords[1:] if w not in keywords[0] and keywords[0] not in w), "")
    return "·".join(w for w in (keywords[0], second) if w)


def _judged(
    judge: Callable[..., str], texts: Sequence[str], keyword: str, members: list[int]
) -> str:
    """``judge`` on the texts of ``members``: a complaint made in at least 30% of them."""
    least = max(2, math.ceil(_PHRASE_SHARE * len(members)))
    return str(judge(keyword, [texts[i] for i in members], least=least))


def _coherence(topics: list[list[str]], words: Sequence[Sequence[str]]) -> list[float]:
    from gensim.corpora import Dictionary
    from gensim.models.coherencemodel import CoherenceModel

    present = [list(doc) for doc in words if doc]
    dictionary = Dictionary(present)
    scores = []
    for topic in topics:
        kept = [w for w in topic if w in dictionary.token2id]
        if len(kept) < 2:
            scores.append(0.0)
            continue
        model = CoherenceModel(
            topics=[kept], texts=present, dictionary=dictionary, coherence="c_npmi", processes=1
        )
        scores.append(float(model.get_coherence_per_topic()[0]))
    return scores


def spread_words(
    words: Sequence[Sequence[str]], assignments: np.ndarray, labels: Sequence[int]
) -> frozenset[str]:
    """Words used alike in every topic: filler of this corpus (评价, 整整, 起来), whatever
    the lexicons say.

    A word's rate in each topic (the share of the topic's texts that hold it)
    is spread over the topics; when the normalised entropy of that spread is
    at least 0.8 the word tells no topic from another.
    """
    if len(labels) < _SPREAD_MIN_TOPICS:
        return frozenset()
    index = {t: i for i, t in enumerate(labels)}
    sizes = np.bincount(
        [index[t] for t in assignments.tolist() if t in index], minlength=len(labels)
    )
    counts: dict[str, np.ndarray] = {}
    for doc, topic in zip(words, assignments.tolist(), strict=True):
        if topic in index:
            for word in set(doc):
                counts.setdefault(word, np.zeros(len(labels)))[index[topic]] += 1
    spread = set()
    for word, row in counts.items():
        if row.sum() < _SPREAD_MIN_TEXTS:
            continue
        rate = row / np.maximum(sizes, 1)
        p = rate[rate > 0] / rate.sum()
        if -(p * np.log(p)).sum() / math.log(len(labels)) >= _SPREAD_ENTROPY:
            spread.add(word)
    return frozenset(spread)


def build_topics(
    texts: Sequence[str],
    words: Sequence[Sequence[str]],
    runs: Sequence[Sequence[Sequence[str]]],
    assignments: np.ndarray,
    weights: np.ndarray,
    *,
    negative: Sequence[bool] | None = None,
    quote: Callable[[str], str] = str,
    judge: Callable[..., str] | None = None,
) -> tuple[list[DiscoveredTopic], np.ndarray]:
    """The topics of ``assignments``, largest first and numbered so, with the assignments
    renumbered to match; ``quote`` turns a text into what its quote shows, and ``judge``
    (:meth:`ReasonVocabulary.judged_phrase`) finds the complaint made of a keyword in texts
    when the topic's keywords hold no phrase to name it by."""

    corpus_counts: Counter[str] = Counter(w for doc in words for w in set(doc))
    total = sum(corpus_counts.values())
    pair_counts: Counter[str] = Counter()
    for text_runs, doc in zip(runs, words, strict=True):
        pair_counts.update(
            {a + b for run in text_runs for a, b in itertools.pairwise(run)}
            | {w for w in doc if len(w) >= 3}
        )
    labels = [int(t) for t in sorted(set(assignments.tolist())) if t >= 0]
    members_of = {t: np.where(assignments == t)[0] for t in labels}
    spread = spread_words(words, assignments, labels)
    keywords_of = {}
    for old in labels:
        counts: Counter[str] = Counter(
            w for i in members_of[old].tolist() for w in set(words[i]) if w not in spread
        )
        keywords_of[old] = [w for _, w in _relevance(counts, corpus_counts, total)][:_KEYWORDS]
    # a topic none of whose words recurs in its texts (or all are this corpus's filler) has
    # nothing to be adopted by: its texts get no topic
    order = sorted((t for t in labels if keywords_of[t]), key=lambda t: (-len(members_of[t]), t))
    renumber = {old: new for new, old in enumerate(order)}
    drafts = []
    for old in order:
        members = members_of[old].tolist()
        keywords = keywords_of[old]
        complaints = [int(i) for i in members if negative is None or negative[i]]
        name = _name(
            complaints if len(complaints) >= 2 else members,
            words,
            runs,
            keywords,
            pair_counts,
            len(texts),
            None if judge is None else functools.partial(_judged, judge, texts),
        )
        # a merged topic's texts weigh on the columns of the topics it joined: take their peak
        strength = weights[members].max(axis=1)
        ranked = sorted(
            range(len(members)),
            key=lambda j: (negative is not None and not negative[members[j]], -strength[j], j),
        )
        quotes: list[str] = []
        for j in ranked:
            shown = quote(texts[members[j]])
            if shown and shown not in quotes:
                quotes.append(shown)
            if len(quotes) == 3:
                break
        share = None
        if negative is not None and len(members):
            share = float(np.mean([bool(negative[i]) for i in members]))
        drafts.append((renumber[old], name, keywords, len(members), quotes, share))
    coherence = _coherence([d[2][:_COHERENCE_TERMS] for d in drafts], words)
    topics = [
        DiscoveredTopic(
            index=index,
            name=name,
            keywords=tuple(keywords),
            size=size,
            coherence=score,
            quotes=tuple(quotes),
            share_negative=share,
        )
        for (index, name, keywords, size, quotes, share), score in zip(
            drafts, coherence, strict=True
        )
    ]
    renumbered = np.array([renumber.get(int(t), -1) for t in assignments], dtype=int)
    return topics, renumbered
