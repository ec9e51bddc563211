"""Features for churn models: per text, and per user with stable column names."""

from .transformers import TextFeaturizer, UserFeaturizer
from .users import NO_COMPLAINT_DAYS, feature_columns, features_of, user_features

__all__ = [
    "NO_COMPLAINT_DAYS",
    "TextFeaturizer",
    "UserFeaturizer",
    "feature_columns",
    "features_of",
    "user_features",
]
