"""Which taxonomy fits a corpus: coverage of every built-in pack, and the pick.

The generic taxonomy fits no business well (宽带与装维 in a video app's report,
42% of negative hotel reviews matched by nothing), and nothing said so. Each
candidate is matched against the corpus (or a seeded sample of it), with the
entity layer on: ``coverage`` is the share of documents with a theme,
``negative_coverage`` the share of negative documents with one. The pick is
the candidate that explains most negative documents (churn reasons live
there); on a tie, within :data:`TIE`, the one that covers more documents, then
the one listed first (``default`` before the domain packs). When even the pick
covers under half of the negative documents, the analysis warns
``low_coverage`` (see :mod:`feedback_miner.pipeline`) and ``themes fit`` says
to propose new themes with ``feedback-miner themes discover``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..errors import TaxonomyError, invalid_choice_message
from ..sentiment import SentimentScorer, label_score
from ..text import ChineseTokenizer, split_clauses
from ..text.entities import EntityFinder
from .matcher import build_matcher
from .taxonomy import PACKS, Taxonomy, load_pack, load_taxonomy

__all__ = [
    "FIT_COLUMNS",
    "TIE",
    "FitResult",
    "PackFit",
    "TaxonomyFit",
    "combine_fits",
    "fit_taxonomies",
    "resolve_taxonomy",
]

FIT_COLUMNS = ("taxonomy", "name", "coverage", "negative_coverage", "chosen")
# negative coverages closer than this are a tie
TIE = 0.01


@dataclass(frozen=True)
class PackFit:
    """How one taxonomy fits the corpus.

    Attributes
    ----------
    taxonomy : str
        The pack id, or the path of a taxonomy file.
    name : str
        The taxonomy's own name.
    coverage, negative_coverage : float
        Share of the documents, and of the negative documents, with a theme.
    documents, negative_documents : int
        How many documents and negative documents were matched.
    """

    taxonomy: str
    name: str
    coverage: float
    negative_coverage: float
    documents: int
    negative_documents: int


@dataclass(frozen=True)
class FitResult:
    """Every candidate's fit, in the order given, and the pick."""

    fits: tuple[PackFit, ...]
    chosen: str

    def table(self) -> pd.DataFrame:
        """One row per candidate: :data:`FIT_COLUMNS`."""
        return pd.DataFrame(
            [
                (f.taxonomy, f.name, f.coverage, f.negative_coverage, f.taxonomy == self.chosen)
                for f in self.fits
            ],
            columns=list(FIT_COLUMNS),
        )

    def of(self, taxonomy: str) -> PackFit:
        """The fit of ``taxonomy``."""
        return next(f for f in self.fits if f.taxonomy == taxonomy)


@dataclass(frozen=True)
class TaxonomyFit:
    """The taxonomy an analysis used and how well it covered the documents.

    Attributes
    ----------
    taxonomy : str
        The pack id or file used.
    how : {"auto", "given"}
        Picked by ``--taxonomy auto``, or given.
    coverage, negative_coverage : float
        Shares of all and of negative documents with a theme, in the analysis.
    candidates : FitResult or None
        With ``auto``, the fit of every pack on the corpus sample.
    """

    taxonomy: str
    how: str
    coverage: float
    negative_coverage: float
    candidates: FitResult | None = None


def resolve_taxonomy(value: str | Path | Taxonomy | None) -> tuple[str, Taxonomy | None]:
    """``(id, taxonomy)`` of a ``--taxonomy`` value; ``("auto", None)`` for auto or ``None``.

    A value that names a built-in pack loads it; anything else is read as a
    taxonomy file.

    Raises
    ------
    TaxonomyError
        When the value is neither a pack nor a file.
    """
    if isinstance(value, Taxonomy):
        return value.source, value
    if value is None or str(value) == "auto":
        return "auto", None
    text = str(value)
    if text in PACKS:
        return text, load_pack(text)
    if Path(text).suffix.lower() != ".toml" and not Path(text).is_file():
        raise TaxonomyError(
            invalid_choice_message("--taxonomy", text, ("auto", *PACKS, "FILE.toml"))
        )
    return text, load_taxonomy(text)


def fit_taxonomies(
    texts: Sequence[str],
    candidates: Sequence[tuple[str, Taxonomy]] | None = None,
    *,
    neutral_band: float = 0.1,
    scorer: SentimentScorer | None = None,
    base: ChineseTokenizer | None = None,
) -> FitResult:
    """Match every candidate taxonomy against ``texts`` and pick the best.

    Parameters
    ----------
    texts : sequence of str
        The corpus's cleaned texts (or a seeded sample of them).
    candidates : sequence of (id, Taxonomy), optional
        The taxonomies to compare; every built-in pack when not given.
    neutral_band : float
        Sentiment scores within this distance of 0 are neutral.
    scorer : SentimentScorer, optional
        A fitted scorer; made when not given.
    base : ChineseTokenizer, optional
        A tokenizer without extra words whose dictionary each candidate's
        matcher copies (see :class:`~feedback_miner.text.ChineseTokenizer`);
        made when not given.
    """
    if candidates is None:
        candidates = [(pack, load_pack(pack)) for pack in PACKS]
    scorer = scorer or SentimentScorer(neutral_band=neutral_band).fit()
    finder = EntityFinder()
    clauses = [split_clauses(finder.view(t if isinstance(t, str) else "").masked) for t in texts]
    negative = [
        (score := scorer.score_clauses(c).score) is not None
        and label_score(score, neutral_band=neutral_band) == "negative"
        for c in clauses
    ]
    base = base or ChineseTokenizer()
    splits = scorer.lexicon_.split_vocabulary()
    fits = []
    for key, taxonomy in candidates:
        matcher = build_matcher(taxonomy, split_words=splits, base=base)
        covered = [matcher.covers(c) for c in clauses]
        n_negative = sum(negative)
        fits.append(
            PackFit(
                taxonomy=key,
                name=taxonomy.name,
                coverage=sum(covered) / max(len(texts), 1),
                negative_coverage=sum(c and n for c, n in zip(covered, negative, strict=True))
                / max(n_negative, 1),
                documents=len(texts),
                negative_documents=n_negative,
            )
        )
    return FitResult(tuple(fits), _pick(fits))


def combine_fits(parts: Sequence[FitResult], order: Sequence[str]) -> FitResult:
    """One result from fits of parts of the candidates (fitted apart, in several processes):
    every fit in ``order`` (the candidates' ids, as :func:`fit_taxonomies` would have been
    given them) and the pick among them, which is the pick of one call on them all.

    Examples
    --------
    >>> def fit(key, negative):
    ...     return PackFit(key, key, 0.5, negative, 100, 40)
    >>> parts = [FitResult((fit("b", 0.6),), "b"), FitResult((fit("a", 0.4), fit("c", 0.7)), "c")]
    >>> combined = combine_fits(parts, ["a", "b", "c"])
    >>> [f.taxonomy for f in combined.fits], combined.chosen
    (['a', 'b', 'c'], 'c')
    """
    found = {f.taxonomy: f for part in parts for f in part.fits}
    fits = [found[key] for key in order]
    return FitResult(tuple(fits), _pick(fits))


def _pick(fits: Sequence[PackFit]) -> str:
    best = fits[0]
    for fit in fits[1:]:
        gain = fit.negative_coverage - best.negative_coverage
        if gain > TIE or (abs(gain) <= TIE and fit.coverage > best.coverage + TIE):
            best = fit
    return best.taxonomy
