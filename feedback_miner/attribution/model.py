"""The multivariable logistic model of churn on theme exposures and covariates.

Maximum likelihood (statsmodels) with Wald intervals when it is well defined.
When it is not, because exposure separates churned from retained users or the
fit does not converge, the model is refitted by Firth's penalised likelihood
(:mod:`.firth`), whose intervals and p-values come from the penalised
likelihood profile; the fit says which was used and why. Nothing else (a
warning of a dependency, a small sample) switches the method.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import special

from .firth import firth_fit, penalised_lr_pvalue, profile_interval

__all__ = ["MAXIMUM_LIKELIHOOD", "PENALISED", "LogisticFit", "design_matrix", "fit_logistic"]

logger = logging.getLogger(__name__)

MAXIMUM_LIKELIHOOD = "maximum likelihood"
PENALISED = "Firth penalised likelihood"
_MAX_ABS_COEF = 12.0  # beyond this the MLE is running off to infinity (separation)
_Z95 = 1.959963984540054


@dataclass(frozen=True)
class LogisticFit:
    """Coefficients of a fitted logistic regression, with intervals and p-values.

    Attributes
    ----------
    params, bse : pandas.Series
        Coefficients (log odds) and standard errors, indexed by column name.
    ci_low, ci_high : pandas.Series
        95% interval of each coefficient (Wald for maximum likelihood; profile
        penalised likelihood for the reported columns of a Firth fit).
    p_values : pandas.Series
        Two-sided p-values (Wald; penalised likelihood ratio for a Firth fit).
    method : str
        :data:`MAXIMUM_LIKELIHOOD` or :data:`PENALISED`.
    note : str or None
        Why the penalised fit was used, when it was.
    dropped : dict
        Columns left out of the fit -> why (constant, or the same as another).
    """

    params: pd.Series
    bse: pd.Series
    ci_low: pd.Series
    ci_high: pd.Series
    p_values: pd.Series
    method: str
    note: str | None = None
    dropped: dict[str, str] | None = None

    @property
    def penalised(self) -> bool:
        return self.method == PENALISED

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        """Churn probabilities for the rows of ``X`` (same columns as the fit)."""
        eta = X[self.params.index].to_numpy(dtype=float) @ self.params.to_numpy()
        return np.asarray(1.0 / (1.0 + np.exp(-eta)))


def design_matrix(
    exposures: pd.DataFrame, labels: pd.DataFrame, covariates: Sequence[str]
) -> pd.DataFrame:
    """Intercept, theme exposures and covariates, one row per user.

    A covariate's kind is the type its column was given when the labels were
    loaded (:func:`~feedback_miner.attribution.load_labels`): a float column
    is numeric and standardised, its missing values set to the mean with an
    indicator column ``cov:<name>:missing``; any other is categorical, one
    indicator per level, the most frequent level being the reference.
    """
    parts = [pd.DataFrame({"const": 1.0}, index=exposures.index), exposures.astype(float)]
    for column in covariates:
        values = pd.Series(labels[column].to_numpy(), index=exposures.index)
        if values.dtype.kind in "fiu":
            numeric = values.astype(float)
            present = numeric.notna()
            spread = numeric[present].std(ddof=0) if present.any() else 0.0
            if present.sum() < 2 or not spread > 0:
                continue
            standard = ((numeric - numeric[present].mean()) / spread).fillna(0.0)
            parts.append(standard.rename(f"cov:{column}").to_frame())
            if not present.all():
                parts.append((~present).astype(float).rename(f"cov:{column}:missing").to_frame())
            continue
        text = values.astype(str)
        reference = text.value_counts().index[0]
        for level in sorted(set(text) - {reference}):
            parts.append((text == level).astype(float).rename(f"cov:{column}={level}").to_frame())
    return pd.concat(parts, axis=1)


def fit_logistic(
    X: pd.DataFrame, y: np.ndarray, *, report: Sequence[str] | None = None
) -> LogisticFit:
    """Maximum likelihood when it is well defined; otherwise Firth's penalised likelihood.

    Parameters
    ----------
    X : pandas.DataFrame
        Design matrix with a ``const`` column.
    y : numpy.ndarray
        0/1 churn.
    report : sequence of str, optional
        Columns whose intervals are reported (the themes); a Firth fit profiles
        these (the others get Wald intervals). All columns by default.
    """
    X, dropped = _independent_columns(X)
    report = [c for c in (report or X.columns) if c in X.columns]
    # statsmodels takes a second and a half to import: only when a model is fitted
    from statsmodels.discrete.discrete_model import Logit
    from statsmodels.tools.sm_exceptions import (
        ConvergenceWarning,
        HessianInversionWarning,
        PerfectSeparationWarning,
    )

    reason: str | None = None
    try:
        with warnings.catch_warnings(record=True) as seen:
            warnings.simplefilter("always")
            result = Logit(y, X).fit(disp=0, maxiter=200)
        kinds = {type(w.message) for w in seen}
        params = pd.Series(result.params, index=X.columns)
        bse = pd.Series(result.bse, index=X.columns)
        if PerfectSeparationWarning in kinds:
            reason = "some themes or covariates separate churned from retained users"
        elif not result.mle_retvals.get("converged", True) or ConvergenceWarning in kinds:
            reason = "the maximum-likelihood fit did not converge"
        elif (params.abs() > _MAX_ABS_COEF).any() or not np.isfinite(bse).all():
            reason = "some themes or covariates separate churned from retained users"
        elif HessianInversionWarning in kinds:
            reason = "the maximum-likelihood information matrix could not be inverted"
    except np.linalg.LinAlgError as err:
        reason = f"the maximum-likelihood fit failed ({err})"
    except Exception as err:  # statsmodels raises PerfectSeparationError in older versions
        if "separation" not in str(err).lower():
            raise
        reason = "some themes or covariates separate churned from retained users"
    if reason is None:
        z = (params / bse).to_numpy(dtype=float)
        return LogisticFit(
            params,
            bse,
            params - _Z95 * bse,
            params + _Z95 * bse,
            pd.Series(special.erfc(np.abs(z) / np.sqrt(2.0)), index=X.columns),
            MAXIMUM_LIKELIHOOD,
            dropped=dropped,
        )
    logger.warning("Using Firth's penalised likelihood: %s.", reason)
    return _firth(X, y, report, reason, dropped)


def _firth(
    X: pd.DataFrame, y: np.ndarray, report: Sequence[str], reason: str, dropped: dict[str, str]
) -> LogisticFit:
    A = X.to_numpy(dtype=float)
    fit = firth_fit(A, y.astype(float))
    params = pd.Series(fit.beta, index=X.columns)
    bse = pd.Series(fit.se, index=X.columns)
    low, high = params - _Z95 * bse, params + _Z95 * bse
    z = (params / bse).to_numpy(dtype=float)
    p_values = pd.Series(special.erfc(np.abs(z) / np.sqrt(2.0)), index=X.columns)
    for column in report:
        j = list(X.columns).index(column)
        low[column], high[column] = profile_interval(A, y.astype(float), fit, j)
        p_values[column] = penalised_lr_pvalue(A, y.astype(float), fit, j)
    return LogisticFit(params, bse, low, high, p_values, PENALISED, reason, dropped)


def _independent_columns(X: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, str]]:
    """``X`` without constant columns and columns that repeat others (they have no effect
    of their own to estimate)."""
    dropped: dict[str, str] = {}
    A = X.to_numpy(dtype=float)
    constant = [c for j, c in enumerate(X.columns) if c != "const" and np.all(A[:, j] == A[0, j])]
    for column in constant:
        dropped[column] = "the same for every user"
    X = X.drop(columns=constant)
    if X.shape[1] > 1:
        # one QR decomposition: a column adds nothing when it lies in the span of those before it
        r = np.abs(np.diag(np.linalg.qr(X.to_numpy(dtype=float), mode="r")))
        repeated = [
            c for c, size in zip(X.columns, r, strict=True) if size < 1e-8 * max(r.max(), 1.0)
        ]
        for column in repeated:
            dropped[column] = "a combination of other columns (e.g. always mentioned together)"
        X = X.drop(columns=repeated)
    return X, dropped
