"""scikit-learn transformers: text features per document, and the user-level feature table."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin

from ..errors import ColumnError
from ..stages import AnalyzerSpec, analyze_chunk, build_stages
from ..themes import Taxonomy, load_taxonomy
from .users import feature_columns, user_features

__all__ = ["TextFeaturizer", "UserFeaturizer"]


class TextFeaturizer(BaseEstimator, TransformerMixin):
    """Texts -> ``sentiment`` and, per theme, ``theme_<id>`` (aspect sentiment, 0 when absent)
    and ``theme_<id>_mentioned`` (0/1).

    Parameters
    ----------
    taxonomy : Taxonomy, optional
        The themes; the shipped default when not given.

    Examples
    --------
    >>> features = TextFeaturizer().fit().transform(["价格太贵了", "客服很耐心"])
    >>> float(features.loc[0, "theme_price_mentioned"]), bool(features.loc[0, "theme_price"] < 0)
    (1.0, True)
    """

    def __init__(self, *, taxonomy: Taxonomy | None = None):
        self.taxonomy = taxonomy

    def fit(self, X: Iterable[str] | None = None, y: object = None) -> TextFeaturizer:
        """Build the scorer and matcher; ``X`` and ``y`` are not used."""
        self.taxonomy_: Taxonomy = self.taxonomy or load_taxonomy()
        stages = build_stages(AnalyzerSpec(taxonomy=self.taxonomy_))
        self.scorer_, self.matcher_ = stages.scorer, stages.matcher
        return self

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        names = ["sentiment"]
        for theme in self.taxonomy_.ids:
            names += [f"theme_{theme}", f"theme_{theme}_mentioned"]
        return np.asarray(names, dtype=object)

    def transform(self, X: Iterable[str]) -> pd.DataFrame:
        """One row per text, the columns of :meth:`get_feature_names_out`."""
        columns = list(self.get_feature_names_out())
        rows = []
        for text in X:
            doc = self.scorer_.score_document(text if isinstance(text, str) else "")
            row = dict.fromkeys(columns, 0.0)
            row["sentiment"] = doc.score or 0.0
            for mention in self.matcher_.mentions(doc):
                row[f"theme_{mention.theme_id}"] = mention.sentiment_score
                row[f"theme_{mention.theme_id}_mentioned"] = 1.0
            rows.append(row)
        return pd.DataFrame(rows, columns=columns, dtype=float)


class UserFeaturizer(BaseEstimator, TransformerMixin):
    """A table of feedback -> the user-level features of ``feedback-miner features``.

    ``X`` is a DataFrame with ``user_id`` and ``text`` columns, and optionally
    ``created_at``. Every user is described at the cut-off ``as_of``: only
    feedback written at or before it counts. The output has ``user_id`` and
    the columns of :func:`~feedback_miner.features.feature_columns`, the same
    as the command.

    Parameters
    ----------
    taxonomy : Taxonomy, optional
        The themes; the shipped default when not given.
    neutral_band : float, default 0.1
        Scores at or below ``-neutral_band`` are negative.
    as_of : str or Timestamp, optional
        The cut-off date for every user; default the latest feedback date.
        Predict churn after it with these features, never churn before it.
    """

    def __init__(
        self,
        *,
        taxonomy: Taxonomy | None = None,
        neutral_band: float = 0.1,
        as_of: object = None,
    ):
        self.taxonomy = taxonomy
        self.neutral_band = neutral_band
        self.as_of = as_of

    def fit(self, X: pd.DataFrame | None = None, y: object = None) -> UserFeaturizer:
        """Load the taxonomy and build the text stages; ``X`` and ``y`` are not used."""
        self.taxonomy_: Taxonomy = self.taxonomy or load_taxonomy()
        self.stages_ = build_stages(
            AnalyzerSpec(taxonomy=self.taxonomy_, neutral_band=self.neutral_band)
        )
        return self

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        return np.asarray(["user_id", *feature_columns(self.taxonomy_.ids)], dtype=object)

    def transform(self, X: pd.DataFrame) -> pd.DataFrame:
        """One row per user of ``X``."""
        missing = [c for c in ("user_id", "text") if c not in X.columns]
        if missing:
            raise ColumnError(
                f"UserFeaturizer needs the columns user_id and text; missing: {', '.join(missing)}."
            )
        records = pd.DataFrame(
            {
                "doc_id": [f"row:{i + 1}" for i in range(len(X))],
                "user_id": X["user_id"].astype(object).to_numpy(),
                "text": X["text"].astype(object).to_numpy(),
                "created_at": pd.to_datetime(X["created_at"])
                if "created_at" in X.columns
                else pd.NaT,
            }
        )
        records["source"] = "survey"
        docs, mentions = analyze_chunk(records, self.stages_)
        as_of = pd.Timestamp(str(self.as_of)) if self.as_of is not None else None
        return user_features(
            docs, mentions, self.taxonomy_.ids, as_of=as_of, neutral_band=self.neutral_band
        )
