"""The multivariable logistic model of churn on theme exposures and covariates."""

from __future__ import annotations

import logging
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import special

__all__ = ["LogisticFit", "design_matrix", "fit_logistic"]

logger = logging.getLogger(__name__)

_RIDGE_PENALTY = 1.0
_MAX_ABS_COEF = 12.0  # beyond this the MLE is running off to infinity (separation)
_MIN_EVENTS_PER_PARAMETER = 5


@dataclass(frozen=True)
class LogisticFit:
    """Coefficients of a fitted logistic regression.

    Attributes
    ----------
    params, bse : pandas.Series
        Coefficients and standard errors, indexed by column name.
    method : str
        ``"maximum likelihood"`` or ``"ridge-penalised (lambda=1)"``.
    note : str or None
        Why the penalised fit was used, when it was.
    """

    params: pd.Series
    bse: pd.Series
    method: str
    note: str | None = None

    def pvalues(self) -> pd.Series:
        """Two-sided Wald p-values."""
        z = (self.params / self.bse).to_numpy(dtype=float)
        return pd.Series(special.erfc(np.abs(z) / np.sqrt(2.0)), index=self.params.index)

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        """Churn probabilities for the rows of ``X`` (same columns as the fit)."""
        eta = X[self.params.index].to_numpy(dtype=float) @ self.params.to_numpy()
        return np.asarray(1.0 / (1.0 + np.exp(-eta)))


def design_matrix(
    exposures: pd.DataFrame, labels: pd.DataFrame, covariates: Sequence[str]
) -> pd.DataFrame:
    """Intercept, theme exposures and covariates, one row per user.

    Numeric covariates are standardised (missing values take the median);
    categorical ones become indicator columns, the most frequent level being
    the reference.
    """
    parts = [pd.DataFrame({"const": 1.0}, index=exposures.index), exposures.astype(float)]
    for column in covariates:
        values = pd.Series(labels[column].to_numpy(), index=exposures.index)
        numeric = pd.to_numeric(values, errors="coerce")
        if numeric.notna().mean() >= 0.95:
            filled = numeric.fillna(numeric.median())
            spread = filled.std(ddof=0)
            if spread > 0:
                parts.append(((filled - filled.mean()) / spread).rename(f"cov:{column}").to_frame())
            continue
        text = values.fillna("(missing)").astype(str)
        reference = text.value_counts().index[0]
        for level in sorted(set(text) - {reference}):
            parts.append((text == level).astype(float).rename(f"cov:{column}={level}").to_frame())
    return pd.concat(parts, axis=1)


def fit_logistic(X: pd.DataFrame, y: np.ndarray) -> LogisticFit:
    """Maximum likelihood when it is well defined; otherwise a ridge-penalised fit.

    The penalised fit is used, with a warning in the log and in ``note``, when
    the data are separated (a theme where every exposed user churned), the
    maximum likelihood does not converge, or there are fewer than five churned
    (or retained) users per parameter.
    """
    events = int(min(y.sum(), len(y) - y.sum()))
    reason: str | None = None
    if events < _MIN_EVENTS_PER_PARAMETER * X.shape[1]:
        reason = f"only {events} users in the smaller outcome group for {X.shape[1]} parameters"
    else:
        # statsmodels takes a second and a half to import: only when a model is fitted
        from statsmodels.discrete.discrete_model import Logit

        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error")
                result = Logit(y, X).fit(disp=0, maxiter=200)
            params = pd.Series(result.params, index=X.columns)
            bse = pd.Series(result.bse, index=X.columns)
            if not result.mle_retvals.get("converged", True):
                reason = "the maximum-likelihood fit did not converge"
            elif (params.abs() > _MAX_ABS_COEF).any() or not np.isfinite(bse).all():
                reason = "some themes or covariates separate churned from retained users"
            else:
                return LogisticFit(params, bse, "maximum likelihood")
        except (np.linalg.LinAlgError, ValueError, Warning) as err:
            reason = f"the maximum-likelihood fit failed ({type(err).__name__}: {err})"
    logger.warning("Using a ridge-penalised logistic fit: %s.", reason)
    return _ridge_fit(X, y, note=reason)


def _ridge_fit(X: pd.DataFrame, y: np.ndarray, *, note: str | None) -> LogisticFit:
    """Newton iterations on the L2-penalised log-likelihood (intercept not penalised).

    Standard errors come from the inverse penalised information matrix.
    """
    A = X.to_numpy(dtype=float)
    penalty = np.full(A.shape[1], _RIDGE_PENALTY)
    penalty[list(X.columns).index("const")] = 0.0
    beta = np.zeros(A.shape[1])
    for _ in range(100):
        p = 1.0 / (1.0 + np.exp(-(A @ beta)))
        w = p * (1 - p)
        gradient = A.T @ (y - p) - penalty * beta
        information = (A * w[:, None]).T @ A + np.diag(penalty)
        step = np.linalg.solve(information, gradient)
        beta += step
        if np.max(np.abs(step)) < 1e-8:
            break
    p = 1.0 / (1.0 + np.exp(-(A @ beta)))
    information = (A * (p * (1 - p))[:, None]).T @ A + np.diag(penalty)
    covariance = np.linalg.inv(information)
    return LogisticFit(
        pd.Series(beta, index=X.columns),
        pd.Series(np.sqrt(np.diag(covariance)), index=X.columns),
        f"ridge-penalised (lambda={_RIDGE_PENALTY:g})",
        note,
    )
