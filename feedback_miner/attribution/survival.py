"""Time to churn: a Cox model of all theme exposures and Kaplan-Meier medians per theme (lifelines).

Durations come from dates when churn dates exist (from a user's first counted
feedback to the churn date, or to the latest feedback date for retained users,
who are censored there), otherwise from a tenure column of the label file
(tenure, 在网时长, ... with churn as the event).
"""

from __future__ import annotations

import logging
import re
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .exposure import Exposure
from .model import design_matrix

__all__ = ["SURVIVAL_COLUMNS", "SurvivalTable", "survival_table"]

logger = logging.getLogger(__name__)

SURVIVAL_COLUMNS = (
    "hazard_ratio",
    "hr_ci_low",
    "hr_ci_high",
    "hr_p_value",
    "median_days_exposed",
    "median_days_others",
)
_TENURE = re.compile(r"tenure|在网|网龄|时长|月数|天数|使用时长|注册天数", re.I)


@dataclass(frozen=True)
class SurvivalTable:
    """Time-to-churn figures per theme, and what the durations are.

    Attributes
    ----------
    table : pandas.DataFrame
        Indexed by theme id, with :data:`SURVIVAL_COLUMNS`.
    duration_source : str
        How durations were measured (for the method sheet).
    """

    table: pd.DataFrame
    duration_source: str


@dataclass(frozen=True)
class _Durations:
    days: pd.Series
    source: str


def _durations(exposure: Exposure, covariates: tuple[str, ...]) -> _Durations | None:
    labels = exposure.labels.set_index("user_id")
    users = exposure.matrix.index
    if labels["churn_date"].notna().any():
        first = exposure.first_feedback.reindex(users)
        end = labels.loc[users, "churn_date"].where(
            labels.loc[users, "churned"] == 1, exposure.latest_date
        )
        days = (end - first).dt.total_seconds() / 86400
        if days.notna().sum() >= 20:
            return _Durations(
                days.clip(lower=0.5),
                "days from first feedback to churn (retained: to the latest feedback)",
            )
    tenure = next((c for c in covariates if _TENURE.search(c)), None)
    if tenure is not None:
        values = pd.to_numeric(labels.loc[users, tenure], errors="coerce")
        return _Durations(values.clip(lower=0.5), f"tenure column {tenure!r}")
    return None


def survival_table(
    exposure: Exposure,
    modelled: list[str],
    covariates: tuple[str, ...],
) -> SurvivalTable | None:
    """Per theme: adjusted hazard ratio with 95% CI and p-value, and KM median durations.

    Returns ``None`` when there is no duration (no churn dates and no tenure
    column) or no theme to model.
    """
    found = _durations(exposure, covariates)
    if found is None or not modelled:
        return None
    durations, source = found.days, found.source
    from lifelines import CoxPHFitter, KaplanMeierFitter

    labels = exposure.labels.set_index("user_id").loc[exposure.matrix.index]
    keep = durations.notna()
    X = design_matrix(
        exposure.matrix.loc[keep, modelled],
        labels.loc[keep],
        tuple(c for c in covariates if c not in source),
    )
    frame = X.drop(columns="const").assign(
        duration=durations[keep].to_numpy(), event=labels.loc[keep, "churned"].to_numpy()
    )
    rows = {}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            cox = CoxPHFitter(penalizer=0.01).fit(frame, duration_col="duration", event_col="event")
        summary = cox.summary
    except Exception as err:  # lifelines raises ConvergenceError and numerical errors
        logger.warning("the Cox model did not fit (%s); hazard ratios are left empty", err)
        summary = None
    for theme in modelled:
        exposed = frame[theme] == 1
        medians = []
        for group in (exposed, ~exposed):
            km = KaplanMeierFitter().fit(frame.loc[group, "duration"], frame.loc[group, "event"])
            medians.append(
                float(km.median_survival_time_) if np.isfinite(km.median_survival_time_) else np.nan
            )
        row = dict.fromkeys(SURVIVAL_COLUMNS, np.nan)
        if summary is not None and theme in summary.index:
            row.update(
                hazard_ratio=float(summary.loc[theme, "exp(coef)"]),
                hr_ci_low=float(summary.loc[theme, "exp(coef) lower 95%"]),
                hr_ci_high=float(summary.loc[theme, "exp(coef) upper 95%"]),
                hr_p_value=float(summary.loc[theme, "p"]),
            )
        row.update(median_days_exposed=medians[0], median_days_others=medians[1])
        rows[theme] = row
    return SurvivalTable(pd.DataFrame.from_dict(rows, orient="index"), source)
