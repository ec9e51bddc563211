"""Firth's penalised-likelihood logistic regression, with profile-likelihood intervals.

When churned and retained users are separated by a theme (every exposed user
churned, say), maximum likelihood has no finite estimate and its Wald
intervals mean nothing. Firth's penalty (half the log determinant of the
Fisher information, Jeffreys' prior) gives finite, less biased estimates; the
intervals and p-values then come from the penalised likelihood itself, by
profiling (Heinze and Schemper 2002), not from Wald's normal approximation,
which is poor exactly in these cases.

The modified score of the penalised log-likelihood ``l*`` is
``X'(y - p + h (1/2 - p))`` with ``h`` the diagonal of the hat matrix; Newton
steps use the Fisher information and are halved until ``l*`` increases.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import optimize, stats

__all__ = ["FirthFit", "firth_fit", "penalised_lr_pvalue", "profile_interval"]

_CHI2_95 = float(stats.chi2.ppf(0.95, 1))


@dataclass(frozen=True)
class FirthFit:
    """A penalised fit: coefficients, standard errors and the penalised log-likelihood."""

    beta: np.ndarray
    se: np.ndarray
    loglik: float
    converged: bool


def _penalised(
    A: np.ndarray, y: np.ndarray, beta: np.ndarray
) -> tuple[float, np.ndarray, np.ndarray, np.ndarray]:
    """l*, the modified score, the information matrix, and p, at ``beta``."""
    eta = np.clip(A @ beta, -40, 40)
    p = 1.0 / (1.0 + np.exp(-eta))
    w = p * (1 - p)
    information = (A * w[:, None]).T @ A
    sign, logdet = np.linalg.slogdet(information)
    if sign <= 0:
        return -np.inf, np.zeros_like(beta), information, p
    loglik = float(np.sum(y * np.log(p) + (1 - y) * np.log1p(-p)) + 0.5 * logdet)
    solved = np.linalg.solve(information, A.T)  # (k, n): information^-1 A'
    h = w * np.einsum("ij,ji->i", A, solved)
    score = A.T @ (y - p + h * (0.5 - p))
    return loglik, score, information, p


def firth_fit(
    A: np.ndarray,
    y: np.ndarray,
    *,
    fixed: dict[int, float] | None = None,
    start: np.ndarray | None = None,
    max_iter: int = 100,
    tol: float = 1e-8,
) -> FirthFit:
    """Maximise the penalised log-likelihood, optionally with some coefficients held fixed.

    Parameters
    ----------
    A : numpy.ndarray
        Design matrix (intercept included), users x parameters.
    y : numpy.ndarray
        0/1 outcome.
    fixed : dict, optional
        Column index -> value for coefficients held fixed (profiling).
    start : numpy.ndarray, optional
        Starting coefficients.
    """
    k = A.shape[1]
    fixed = fixed or {}
    free = np.array([j for j in range(k) if j not in fixed], dtype=int)
    beta = np.zeros(k) if start is None else start.astype(float).copy()
    for j, value in fixed.items():
        beta[j] = value
    loglik, score, information, _ = _penalised(A, y, beta)
    converged = False
    for _ in range(max_iter):
        try:
            step_free = np.linalg.solve(information[np.ix_(free, free)], score[free])
        except np.linalg.LinAlgError:
            break
        step = np.zeros(k)
        step[free] = np.clip(step_free, -5, 5)
        for _ in range(30):  # halve the step until the penalised likelihood does not fall
            candidate = beta + step
            new = _penalised(A, y, candidate)
            if new[0] >= loglik - 1e-12:
                break
            step /= 2
        beta, (loglik, score, information, _) = candidate, new
        if np.max(np.abs(step)) < tol:
            converged = True
            break
    try:
        covariance = np.linalg.inv(information)
        se = np.sqrt(np.clip(np.diag(covariance), 0, None))
    except np.linalg.LinAlgError:
        se = np.full(k, np.nan)
    return FirthFit(beta, se, loglik, converged)


def profile_interval(
    A: np.ndarray, y: np.ndarray, fit: FirthFit, j: int, *, level_chi2: float = _CHI2_95
) -> tuple[float, float]:
    """The 95% profile penalised-likelihood interval of coefficient ``j``.

    The bounds are where twice the drop of the profiled penalised
    log-likelihood reaches the chi-square(1) quantile; found by bracketing
    and Brent's method. A bound that runs beyond +-30 (on the log-odds
    scale) is reported as infinite.
    """
    centre = float(fit.beta[j])
    width = float(fit.se[j]) if np.isfinite(fit.se[j]) and fit.se[j] > 0 else 1.0

    def drop(value: float) -> float:
        profiled = firth_fit(A, y, fixed={j: value}, start=fit.beta, max_iter=50)
        return 2 * (fit.loglik - profiled.loglik) - level_chi2

    bounds = []
    for direction in (-1.0, 1.0):
        step = 2 * width
        inner, outer = centre, centre + direction * step
        while drop(outer) < 0:
            inner, outer = outer, outer + direction * step
            step *= 2
            if abs(outer - centre) > 30:
                break
        if drop(outer) < 0:
            bounds.append(direction * np.inf)
            continue
        lo, hi = sorted((inner, outer))
        bounds.append(float(optimize.brentq(drop, lo, hi, xtol=1e-4)))
    return bounds[0], bounds[1]


def penalised_lr_pvalue(A: np.ndarray, y: np.ndarray, fit: FirthFit, j: int) -> float:
    """p-value of coefficient ``j`` = 0 from the penalised likelihood-ratio test."""
    restricted = firth_fit(A, y, fixed={j: 0.0}, start=fit.beta, max_iter=50)
    statistic = max(2 * (fit.loglik - restricted.loglik), 0.0)
    return float(stats.chi2.sf(statistic, 1))
