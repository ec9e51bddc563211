"""A churn model with and without the text features, on the demo data, the honest way.

    python samples/churn_model_example.py

A churn model predicts who leaves *after* the day it is run, from what is
known *on* that day. So every user is described at one cut-off date: their
warehouse columns (tenure, plan, spend) and the text features of the feedback
they wrote before it; the outcome is whether they churned after it. Users who
had already churned by then are left out. (Features cut at each user's own
churn date, or computed after it, would leak the outcome into the model and
make the text look far more useful than it is.)

The same logistic-regression model is trained twice, five-fold
cross-validated: on the warehouse columns alone, then with the text features.
The features are those of ``feedback-miner features --as-of DATE``, or of
``UserFeaturizer(as_of=DATE)`` in a scikit-learn pipeline.
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
from feedback_miner.attribution import Cutoff, choose_cutoff, outcome_after
from feedback_miner.features import user_features

HERE = Path(__file__).resolve().parent


def main() -> None:
    result = analyze(
        [HERE / "survey_wjx.xlsx", HERE / "service_tickets.csv", HERE / "social_posts.csv"],
        labels=LabelOptions(HERE / "churn_labels.csv"),
        with_summary=False,
    )
    assert result.labels is not None
    cutoff = choose_cutoff(result.labels)  # the median churn date
    if not isinstance(cutoff, Cutoff):
        raise SystemExit(cutoff.message)
    at_risk = outcome_after(result.labels, cutoff)  # active at the cut-off; churned after it?
    text = user_features(
        result.docs,
        result.mentions,
        result.taxonomy.ids,
        users=at_risk["user_id"].tolist(),
        as_of=cutoff.date - pd.Timedelta(1, "ns"),  # feedback written before the cut-off day
        dated_only=True,
    ).drop(columns="user_id")
    warehouse = pd.get_dummies(
        at_risk[["tenure_months", "monthly_spend", "plan"]], columns=["plan"], dtype=float
    )
    y = at_risk["churned"]
    print(
        f"cut-off {cutoff.date.date()}: {len(y)} users active then, {int(y.sum())} churned "
        f"by {cutoff.end.date()}"
    )
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
    # dozens of text features for a few hundred users: a firmer penalty than the default
    model = make_pipeline(StandardScaler(), LogisticRegression(C=0.1, max_iter=2000))
    for name, X in (
        ("warehouse columns only", warehouse),
        ("+ text features", pd.concat([warehouse, text], axis=1)),
    ):
        predicted = cross_val_predict(model, X, y, cv=folds, method="predict_proba")[:, 1]
        print(f"{name:<24} {X.shape[1]:>3} features  ROC AUC {roc_auc_score(y, predicted):.3f}")


if __name__ == "__main__":
    main()
