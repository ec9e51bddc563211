"""A churn model with and without the text features, on the demo data.

    python samples/churn_model_example.py

It analyses the sample exports with their churn labels, takes the user-level
features that ``feedback-miner features`` writes, and trains the same
logistic-regression churn model twice, five-fold cross-validated: once on the
warehouse columns alone (tenure, plan, spend), once with the text features
added. The same features come from ``UserFeaturizer`` in a scikit-learn
pipeline, or from ``feedback-miner features ... -o features.parquet``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from feedback_miner import LabelOptions, analyze
from feedback_miner.features import features_of

HERE = Path(__file__).resolve().parent


def main() -> None:
    result = analyze(
        [HERE / "survey_wjx.xlsx", HERE / "service_tickets.csv", HERE / "social_posts.csv"],
        labels=LabelOptions(HERE / "churn_labels.csv"),
    )
    labels = pd.read_csv(HERE / "churn_labels.csv", dtype={"user_id": str})
    warehouse = pd.get_dummies(
        labels[["tenure_months", "monthly_spend", "plan"]], columns=["plan"], dtype=float
    )
    text = features_of(result).set_index("user_id").loc[labels["user_id"]].reset_index(drop=True)
    y = labels["churned"]
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000))
    for name, X in (
        ("warehouse columns only", warehouse),
        ("+ text features", pd.concat([warehouse, text], axis=1)),
    ):
        predicted = cross_val_predict(model, X, y, cv=folds, method="predict_proba")[:, 1]
        print(f"{name:<24} {X.shape[1]:>3} features  ROC AUC {roc_auc_score(y, predicted):.3f}")


if __name__ == "__main__":
    main()
