"""Time to churn: a Cox model of the theme exposures and Kaplan-Meier curves (lifelines).

The time axis comes from the label file wherever it can:

- origin: the user's start date (a signup or activation column) when the
  file has one; else, with a tenure column (在网时长, tenure_months ...), the
  tenure itself is the duration; else the user's first feedback;
- end: the churn date for churned users; for the others the label file's
  snapshot (``--as-of``, or its latest churn date), where they are censored.

So churn dates that run past the last feedback, or a snapshot taken months
after the export, do not bend the durations of retained users.
"""

from __future__ import annotations

import logging
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
_MIN_DURATIONS = 20
_CURVE_POINTS = 40


@dataclass(frozen=True)
class SurvivalTable:
    """Time-to-churn figures per theme, the curves behind them, and what the durations are.

    Attributes
    ----------
    table : pandas.DataFrame
        Indexed by theme id, with :data:`SURVIVAL_COLUMNS`; the medians are
        the Kaplan-Meier median time to churn (days until half the group has
        churned; empty when fewer than half churned in the time observed).
    duration_source : str
        How durations were measured (for the method sheet).
    curves : pandas.DataFrame
        ``theme_id, group (exposed|others), days, share_retained``: Kaplan-Meier
        curves on a common grid of days, for the report's chart.
    """

    table: pd.DataFrame
    duration_source: str
    curves: pd.DataFrame


@dataclass(frozen=True)
class _Durations:
    days: pd.Series
    source: str
    used_column: str | None = None


def _durations(
    exposure: Exposure, snapshot: pd.Timestamp | None, tenure: tuple[str | None, float]
) -> _Durations | None:
    labels = exposure.labels.set_index("user_id").loc[exposure.matrix.index]
    churned = labels["churned"] == 1
    end = labels["churn_date"].where(churned, snapshot if snapshot is not None else pd.NaT)
    tenure_col, unit = tenure
    if "start_date" in labels.columns and labels["start_date"].notna().any():
        days = (end - labels["start_date"]).dt.total_seconds() / 86400
        if days.notna().sum() >= _MIN_DURATIONS:
            return _Durations(
                days.clip(lower=0.5),
                "days from each user's start date to churn (others: to the labels' snapshot "
                f"{_day(snapshot)}, censored)",
            )
    if tenure_col is not None:
        days = pd.to_numeric(labels[tenure_col], errors="coerce") * unit
        if days.notna().sum() >= _MIN_DURATIONS:
            return _Durations(
                days.clip(lower=0.5), f"the tenure column {tenure_col!r}", used_column=tenure_col
            )
    if labels["churn_date"].notna().any() and snapshot is not None:
        first = exposure.first_feedback.reindex(labels.index)
        days = (end - first).dt.total_seconds() / 86400
        if days.notna().sum() >= _MIN_DURATIONS:
            return _Durations(
                days.clip(lower=0.5),
                "days from each user's first feedback to churn (others: to the labels' snapshot "
                f"{_day(snapshot)}, censored)",
            )
    return None


def _day(moment: pd.Timestamp | None) -> str:
    return "-" if moment is None else str(pd.Timestamp(moment).date())


def survival_table(
    exposure: Exposure,
    modelled: list[str],
    covariates: tuple[str, ...],
    *,
    snapshot: pd.Timestamp | None = None,
    tenure: tuple[str | None, float] = (None, 1.0),
) -> SurvivalTable | None:
    """Per theme: adjusted hazard ratio with 95% CI and p-value, and Kaplan-Meier medians.

    Parameters
    ----------
    exposure : Exposure
        Users, their (rolled-up or direct) exposures and labels.
    modelled : list of str
        The themes to put in the Cox model.
    covariates : tuple of str
        Covariate columns of the labels.
    snapshot : Timestamp, optional
        When the labels were taken: the end of observation of retained users.
    tenure : (str or None, float)
        A tenure column of the labels and days per unit of it.

    Returns ``None`` when there is no duration or no theme to model.
    """
    found = _durations(exposure, snapshot, tenure)
    if found is None or not modelled:
        return None
    from lifelines import CoxPHFitter, KaplanMeierFitter

    durations = found.days
    labels = exposure.labels.set_index("user_id").loc[exposure.matrix.index]
    keep = durations.notna()
    X = design_matrix(
        exposure.matrix.loc[keep, modelled],
        labels.loc[keep],
        tuple(c for c in covariates if c != found.used_column),
    )
    frame = X.drop(columns="const").assign(
        duration=durations[keep].to_numpy(), event=labels.loc[keep, "churned"].to_numpy()
    )
    constant = [
        c for c in frame.columns if c not in ("duration", "event") and frame[c].nunique() < 2
    ]
    frame = frame.drop(columns=constant)
    summary = None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            cox = CoxPHFitter(penalizer=0.01).fit(frame, duration_col="duration", event_col="event")
        summary = cox.summary
    except Exception as err:  # lifelines raises ConvergenceError and numerical errors
        logger.warning("the Cox model did not fit (%s); hazard ratios are left empty", err)
    grid = np.linspace(0, float(frame["duration"].quantile(0.95)), _CURVE_POINTS)
    rows, curves = {}, []
    for theme in modelled:
        if theme not in frame.columns:
            continue
        exposed = frame[theme] == 1
        medians = []
        for name, group in (("exposed", exposed), ("others", ~exposed)):
            km = KaplanMeierFitter().fit(frame.loc[group, "duration"], frame.loc[group, "event"])
            median = km.median_survival_time_
            medians.append(float(median) if np.isfinite(median) else np.nan)
            curves.append(
                pd.DataFrame(
                    {
                        "theme_id": theme,
                        "group": name,
                        "days": grid,
                        "share_retained": km.survival_function_at_times(grid).to_numpy(),
                    }
                )
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
    curve_table = (
        pd.concat(curves, ignore_index=True)
        if curves
        else pd.DataFrame(columns=["theme_id", "group", "days", "share_retained"])
    )
    return SurvivalTable(pd.DataFrame.from_dict(rows, orient="index"), found.source, curve_table)
