"""Exponential-family distributions of spike counts per bin, with their link functions.

A family maps the linear predictor ``eta = X @ coef + intercept + offset`` to the
mean ``mu`` of each bin's count through the inverse link, and gives the exact
log-likelihood of each observation (with its constants, so totals equal
statsmodels' ``llf``), its first two derivatives in ``eta`` (what Newton's
method needs), the Fisher weight and the unit deviance.

* :class:`Poisson` -- counts ``y in {0, 1, 2, ...}``; links ``"log"``
  (canonical: ``mu = exp(eta)``, the conditional-intensity GLM of Truccolo et
  al. 2005) and ``"identity"`` (``mu = eta``, which must stay positive).
* :class:`Bernoulli` -- spike / no spike per bin, ``y in {0, 1}``; links
  ``"logit"`` (canonical), ``"cloglog"`` (``mu = 1 - exp(-exp(eta))``: the
  probability of at least one event of a Poisson process whose expected count
  in the bin is ``exp(eta)``, so coefficients read as for the Poisson log link)
  and ``"log"`` (``mu = exp(eta)``, which must stay below 1).

Every family here is log-concave in ``eta`` for these links, so the observed
information is positive semi-definite and Newton's method with a Cholesky
solve applies.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np
from scipy import special

from spikestats._validation import check_option, fail

#: cloglog with u = exp(eta) below this uses series for u / expm1(u) and its derivative.
_SERIES_U = 1e-3


@dataclass(frozen=True)
class Family:
    """Base of the count families; subclasses define the per-link formulas.

    Attributes
    ----------
    link : str
        Name of the link function.
    """

    link: str
    name: ClassVar[str] = ""
    links: ClassVar[tuple[str, ...]] = ()
    canonical: ClassVar[str] = ""

    def __post_init__(self) -> None:
        check_option("link", self.link, self.links)

    @property
    def is_canonical(self) -> bool:
        """Whether the link is canonical (observed and expected information then coincide)."""
        return self.link == self.canonical

    # -- subclasses define these -------------------------------------------------------------
    def check_y(self, y: np.ndarray) -> None:  # pragma: no cover - abstract
        """Raise ValidationError unless ``y`` holds valid observations of this family."""
        raise NotImplementedError

    def mean(self, eta: np.ndarray) -> np.ndarray:  # pragma: no cover - abstract
        """Inverse link: mean count (or spike probability) per bin from the linear predictor."""
        raise NotImplementedError

    def link_function(self, mu: np.ndarray | float) -> np.ndarray | float:  # pragma: no cover - abstract
        """Link: linear predictor from the mean."""
        raise NotImplementedError

    def loglik_terms(self, y: np.ndarray, eta: np.ndarray, mu: np.ndarray) -> np.ndarray:  # pragma: no cover
        """Per-observation log-likelihood without the constant of :meth:`loglik_constant`."""
        raise NotImplementedError

    def derivatives(self, y: np.ndarray, eta: np.ndarray, mu: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """First derivative of each log-likelihood term in ``eta`` and minus its second (observed weight)."""
        raise NotImplementedError  # pragma: no cover - abstract

    def fisher_weight(self, eta: np.ndarray, mu: np.ndarray) -> np.ndarray:  # pragma: no cover - abstract
        """Expected information weight ``(dmu/deta)^2 / variance(mu)`` per observation."""
        raise NotImplementedError

    def variance(self, mu: np.ndarray) -> np.ndarray:  # pragma: no cover - abstract
        """Variance of an observation with mean ``mu``."""
        raise NotImplementedError

    def unit_deviance(self, y: np.ndarray, mu: np.ndarray) -> np.ndarray:  # pragma: no cover - abstract
        """``2 * (loglik(saturated) - loglik(mu))`` per observation."""
        raise NotImplementedError

    def loglik_sum(self, y: np.ndarray, eta: np.ndarray, mu: np.ndarray, weight: np.ndarray | None) -> float:
        """``sum(w * loglik_terms)`` (the objective of the solvers)."""
        terms = self.loglik_terms(y, eta, mu)
        return float(terms.sum() if weight is None else terms @ weight)

    def loglik_constant(self, y: np.ndarray) -> np.ndarray:
        """Per-observation constant of the log-likelihood that does not depend on the parameters."""
        return np.zeros_like(y)

    def feasible(self, eta: np.ndarray) -> bool:
        """Whether every ``eta`` lies in the link's domain (always true for unbounded links)."""
        return True

    # -- shared ------------------------------------------------------------------------------
    def log_likelihood(self, y, mu) -> np.ndarray:
        """Exact log-likelihood of each observation (constants included).

        Parameters
        ----------
        y : array_like, shape (n,)
            Observations (counts, or 0/1 for Bernoulli).
        mu : array_like, shape (n,)
            Means (expected counts per bin, or spike probabilities).

        Returns
        -------
        numpy.ndarray, shape (n,)
        """
        y = np.asarray(y, dtype=np.float64)
        mu = np.asarray(mu, dtype=np.float64)
        with np.errstate(divide="ignore", invalid="ignore"):
            eta = np.asarray(self.link_function(mu), dtype=np.float64)
        return self.loglik_terms(y, eta, mu) + self.loglik_constant(y)

    def deviance(self, y, mu, sample_weight=None) -> float:
        """Total deviance ``sum(w * unit_deviance(y, mu))``."""
        d = self.unit_deviance(np.asarray(y, dtype=np.float64), np.asarray(mu, dtype=np.float64))
        return float(d.sum() if sample_weight is None else d @ sample_weight)


@dataclass(frozen=True)
class Poisson(Family):
    """Poisson counts per bin: ``P(y) = mu^y exp(-mu) / y!``.

    Parameters
    ----------
    link : {"log", "identity"}
        ``"log"`` (canonical, default) or ``"identity"``.
    """

    link: str = "log"
    name: ClassVar[str] = "poisson"
    links: ClassVar[tuple[str, ...]] = ("log", "identity")
    canonical: ClassVar[str] = "log"

    def check_y(self, y: np.ndarray) -> None:
        if y.size and y.min() < 0:
            i = int(np.argmin(y))
            fail("y", "non-negative spike counts for a Poisson GLM", y, got=f"{y[i]:g} at index {i}")
        frac = y != np.floor(y)
        if frac.any():
            i = int(np.flatnonzero(frac)[0])
            fail("y", "whole-number spike counts for a Poisson GLM", y, got=f"{y[i]:g} at index {i}",
                 fix="Bin spike times into counts (e.g. with SpikeTrains.bin); rates are not counts.")

    def mean(self, eta):
        return np.exp(eta) if self.link == "log" else np.array(eta, dtype=np.float64, copy=True)

    def link_function(self, mu):
        return np.log(mu) if self.link == "log" else mu

    def feasible(self, eta) -> bool:
        return self.link == "log" or bool(np.all(eta > 0.0))

    def loglik_terms(self, y, eta, mu):
        if self.link == "log":
            return y * eta - mu
        return special.xlogy(y, mu) - mu

    def loglik_sum(self, y, eta, mu, weight):
        if self.link == "log" and weight is None:  # two dot products, no temporaries
            return float(y @ eta - mu.sum())
        return super().loglik_sum(y, eta, mu, weight)

    def loglik_constant(self, y):
        out = np.zeros_like(y)
        big = y > 1.0  # log(0!) = log(1!) = 0: spike counts are mostly 0 or 1
        out[big] = -special.gammaln(y[big] + 1.0)
        return out

    def derivatives(self, y, eta, mu):
        if self.link == "log":
            return y - mu, mu
        return y / mu - 1.0, y / (mu * mu)

    def fisher_weight(self, eta, mu):
        return mu if self.link == "log" else 1.0 / mu

    def variance(self, mu):
        return np.asarray(mu, dtype=np.float64)

    def unit_deviance(self, y, mu):
        return 2.0 * (special.xlogy(y, y) - special.xlogy(y, mu) - (y - mu))


@dataclass(frozen=True)
class Bernoulli(Family):
    """At most one spike per bin: ``P(y = 1) = mu``.

    Parameters
    ----------
    link : {"logit", "cloglog", "log"}
        ``"logit"`` (canonical, default); ``"cloglog"``, for which
        ``exp(eta)`` is the expected count of an underlying Poisson process in
        the bin; or ``"log"`` (``mu = exp(eta)`` must stay below 1).
    """

    link: str = "logit"
    name: ClassVar[str] = "bernoulli"
    links: ClassVar[tuple[str, ...]] = ("logit", "cloglog", "log")
    canonical: ClassVar[str] = "logit"

    def check_y(self, y: np.ndarray) -> None:
        bad = (y != 0.0) & (y != 1.0)
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            fail("y", "0 or 1 in every bin for a Bernoulli GLM", y, got=f"{y[i]:g} at index {i}",
                 fix="Clip counts to spike / no spike (np.minimum(y, 1)) or use PoissonGLM.")

    def mean(self, eta):
        if self.link == "logit":
            return special.expit(eta)
        if self.link == "cloglog":
            return -np.expm1(-np.exp(eta))
        return np.exp(eta)

    def link_function(self, mu):
        if self.link == "logit":
            return special.logit(mu)
        if self.link == "cloglog":
            return np.log(-np.log1p(-np.asarray(mu, dtype=np.float64)))
        return np.log(mu)

    def feasible(self, eta) -> bool:
        return self.link != "log" or bool(np.all(eta < 0.0))

    def loglik_terms(self, y, eta, mu):
        if self.link == "logit":
            return y * eta - np.logaddexp(0.0, eta)
        if self.link == "cloglog":
            u = np.exp(eta)
            with np.errstate(divide="ignore"):
                return np.where(y > 0, np.log(-np.expm1(-u)), -u)
        with np.errstate(divide="ignore"):
            return np.where(y > 0, eta, np.log(-np.expm1(eta)))

    def derivatives(self, y, eta, mu):
        if self.link == "logit":
            return y - mu, mu * (1.0 - mu)
        if self.link == "cloglog":
            u = np.exp(eta)
            small = u < _SERIES_U
            with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
                e = np.expm1(u)
                f = np.where(small, 1.0 - u / 2.0 + u * u / 12.0, u / e)            # u / expm1(u)
                g = np.where(small, u / 2.0 - u * u / 6.0, u * (u - 1.0) / e + f * f)  # -d f / d eta
                g = np.where(np.isfinite(g), g, 0.0)
            return np.where(y > 0, f, -u), np.where(y > 0, g, u)
        odds = mu / (1.0 - mu)
        return np.where(y > 0, 1.0, -odds), np.where(y > 0, 0.0, odds / (1.0 - mu))

    def fisher_weight(self, eta, mu):
        if self.link == "logit":
            return mu * (1.0 - mu)
        if self.link == "cloglog":
            u = np.exp(eta)
            with np.errstate(over="ignore"):
                return np.where(u < _SERIES_U, u * (1.0 - u / 2.0 + u * u / 12.0), u * u / np.expm1(u))
        return mu / (1.0 - mu)

    def variance(self, mu):
        mu = np.asarray(mu, dtype=np.float64)
        return mu * (1.0 - mu)

    def unit_deviance(self, y, mu):
        with np.errstate(divide="ignore"):
            return -2.0 * (special.xlogy(y, mu) + special.xlogy(1.0 - y, 1.0 - mu))


FAMILIES: dict[str, type[Family]] = {"poisson": Poisson, "bernoulli": Bernoulli}


def get_family(family: str | Family, link: str | None = None) -> Family:
    """A :class:`Family` from a name (``"poisson"``, ``"bernoulli"``) and link, or the instance itself."""
    if isinstance(family, Family):
        return family
    cls = FAMILIES[check_option("family", family, tuple(FAMILIES))]
    return cls() if link is None else cls(link=link)
