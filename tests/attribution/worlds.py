"""A simulated world of users whose churn follows a known logistic model (shared by tests)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from feedback_miner.attribution import ChurnLabels
from feedback_miner.themes import Taxonomy, Theme

TRUE_LOG_OR = {"a": 1.6, "b": 1.1, "c": 0.6, "d": 0.0}
SHARES = {"a": 0.15, "b": 0.2, "c": 0.25, "d": 0.3, "confounded": None}


def taxonomy() -> Taxonomy:
    ids = [*TRUE_LOG_OR, "confounded", "rare"]
    return Taxonomy("sim", "1", tuple(Theme(i, f"主题{i}", (i,)) for i in ids))


def simulate(seed: int = 7, n: int = 4000):
    rng = np.random.default_rng(seed)
    tenure = rng.uniform(0, 48, n)
    exposures = {t: rng.random(n) < s for t, s in SHARES.items() if s is not None}
    # complaints about "confounded" come from short-tenure users, but do not cause churn
    exposures["confounded"] = rng.random(n) < np.where(tenure < 12, 0.6, 0.1)
    exposures["rare"] = np.zeros(n, dtype=bool)
    exposures["rare"][:3] = True
    logit = -1.0 - 0.06 * (tenure - 24) + sum(TRUE_LOG_OR[t] * exposures[t] for t in TRUE_LOG_OR)
    churned = rng.random(n) < 1 / (1 + np.exp(-logit))
    users = [f"u{i}" for i in range(n)]
    start = pd.Timestamp("2026-01-01")
    churn_date = [start + pd.Timedelta(days=200) if c else pd.NaT for c in churned]
    docs, mentions = [], []
    for i, user in enumerate(users):
        doc = f"d{i}"
        docs.append(
            {
                "doc_id": doc,
                "user_id": user,
                "created_at": start + pd.Timedelta(days=int(rng.integers(1, 199))),
                "sentiment_score": -0.5,
            }
        )
        for theme, flags in exposures.items():
            if flags[i]:
                mentions.append(
                    {"doc_id": doc, "user_id": user, "theme_id": theme, "sentiment_score": -0.6}
                )
    labels = pd.DataFrame(
        {
            "user_id": users,
            "churned": churned.astype(int),
            "churn_date": churn_date,
            "tenure": tenure,
        }
    )
    labels["churn_date"] = pd.to_datetime(labels["churn_date"])
    churn_labels = ChurnLabels(
        labels, "sim.csv", "user_id", "churned", "churn_date", ("tenure",), {}
    )
    return pd.DataFrame(docs), pd.DataFrame(mentions), churn_labels


START = pd.Timestamp("2026-01-01")


@dataclass
class World:
    docs: pd.DataFrame
    mentions: pd.DataFrame
    labels: ChurnLabels
    taxonomy: Taxonomy


def flat_taxonomy(ids: list[str], parents: dict[str, str] | None = None) -> Taxonomy:
    parents = parents or {}
    return Taxonomy(
        "sim", "1", tuple(Theme(i, f"主题{i}", (i,), parent=parents.get(i, "")) for i in ids)
    )


def world(
    rng: np.random.Generator,
    exposures: dict[str, np.ndarray],
    churned: np.ndarray,
    churn_days: np.ndarray,
    covariates: dict[str, np.ndarray],
    taxonomy: Taxonomy,
    *,
    doc_columns: dict[str, np.ndarray] | None = None,
    feedback_span: int = 120,
    docs_per_user: int = 2,
) -> World:
    """Users who write negative texts in the first ``feedback_span`` days, at a rate of
    ``docs_per_user`` per span whatever their future (a Poisson process stopped by churn:
    writing says nothing about churning later); each exposed theme is in one of them."""
    n = len(churned)
    users = np.array([f"u{i}" for i in range(n)], dtype=object)
    churn_date = np.where(churned, START + pd.to_timedelta(churn_days, unit="D"), pd.NaT)
    docs, mentions = [], []
    for i in range(n):
        last = min(churn_days[i] - 1, feedback_span) if churned[i] else feedback_span
        count = int(rng.poisson(docs_per_user))
        days = np.sort(rng.uniform(0, feedback_span, max(count, 1)))
        days = days[days < last] if count else days[:0]
        if not len(days):
            days = np.array([rng.uniform(0, max(last, 1))])  # everyone wrote once
        doc_ids = [f"d{i}_{k}" for k in range(len(days))]
        for k, day in enumerate(days):
            row = {
                "doc_id": doc_ids[k],
                "user_id": users[i],
                "created_at": START + pd.Timedelta(days=int(day)),
                "sentiment_score": -0.5,
                "sentiment_label": "negative",
            }
            for column, values in (doc_columns or {}).items():
                row[column] = values[i]
            docs.append(row)
        for theme, flags in exposures.items():
            if flags[i]:
                mentions.append(
                    {
                        "doc_id": doc_ids[int(rng.integers(len(doc_ids)))],
                        "user_id": users[i],
                        "theme_id": theme,
                        "sentiment_score": -0.6,
                    }
                )
    frame = pd.DataFrame({"user_id": users, "churned": churned.astype(int)})
    frame["churn_date"] = pd.to_datetime(pd.Series(churn_date))
    for name, values in covariates.items():
        frame[name] = values
    labels = ChurnLabels(
        frame,
        "sim.csv",
        "user_id",
        "churned",
        "churn_date",
        tuple(covariates),
        {},
        tenure_col=None,
        snapshot=pd.Timestamp(frame["churn_date"].max()),
    )
    mention_frame = pd.DataFrame(
        mentions, columns=["doc_id", "user_id", "theme_id", "sentiment_score"]
    )
    return World(pd.DataFrame(docs), mention_frame, labels, taxonomy)
