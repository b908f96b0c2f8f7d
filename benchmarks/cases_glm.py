"""Benchmark cases for Poisson GLM fits: spikestats against statsmodels' IRLS and scikit-learn's Newton-Cholesky.

The design is what a spike-history GLM fits: a 20 Hz gamma (shape 3) renewal
train, relatively refractory, binned at 1 ms, and ten columns of its strict past filtered by
exponentials with time constants from 1 ms to 200 ms (strongly correlated
columns, as a history basis is); the counts are the train itself. The peer
column of :mod:`benchmarks.run` (headed "elephant") holds the named peer.

* ``glm-statsmodels-*``: ``PoissonGLM().fit(X, y)`` (coefficients, standard
  errors, deviance, AIC/BIC) against ``sm.GLM(y, [1, X], Poisson()).fit()``
  (IRLS, default tolerance) with its standard errors read (``.bse``).
* ``glm-sklearn-*``: the same spikestats call against
  ``PoissonRegressor(alpha=0, solver="newton-cholesky", tol=1e-10)`` (its
  default tolerance stops far from the optimum on these designs; it computes
  no standard errors).

Before timing, the outputs must agree: coefficients to 1e-6 absolute and,
against statsmodels, standard errors to 1e-5 relative. The size column
reports the peak memory (tracemalloc) of one call of each library, measured
once before timing, next to the size of the design matrix. Three sizes
(1e5, 3e5, 1e6 bins) show that the cost grows linearly with the bins.
"""

from __future__ import annotations

import argparse
import functools
import tracemalloc
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import numpy as np

import spikestats as ss
from benchmarks.cases import Case, Pair, _require
from spikestats.glm import PoissonGLM

BIN_SIZE = 0.001
TAUS = np.geomspace(0.001, 0.2, 10)


@functools.lru_cache(maxsize=1)
def history_design(n_bins: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """``(X, y)``: exponential history columns of a refractory (gamma, shape 3) 20 Hz train and its 1 ms counts."""
    from scipy.signal import lfilter

    t_stop = n_bins * BIN_SIZE
    st = ss.generators.GammaProcess(rate=20.0, shape=3.0).simulate(n_trains=1, t_stop=t_stop, rng=seed)
    y = np.bincount(np.minimum((np.asarray(st[0]) / BIN_SIZE).astype(np.int64), n_bins - 1), minlength=n_bins)
    X = np.empty((n_bins, len(TAUS)))
    for j, tau in enumerate(TAUS):  # filter of the strict past: column[t] = sum_{s < t} y[s] exp(-(t - s) dt / tau)
        a = np.exp(-BIN_SIZE / tau)
        X[:, j] = lfilter([0.0, a], [1.0, -a], y.astype(float))
    return X, y.astype(np.int64)


def peak_mib(fn: Callable[[], Any]) -> float:
    """Peak traced allocation (MiB) of one call of ``fn``."""
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def _check(ours: PoissonGLM, peer: Any, *, stderr: bool) -> None:
    coef = np.concatenate(([ours.intercept_], ours.coef_))
    if stderr:
        params, bse = np.asarray(peer.params), np.asarray(peer.bse)
        _require(bool(np.allclose(ours.stderr_, bse, rtol=1e-5, atol=0)),
                 f"standard errors differ: {np.max(np.abs(ours.stderr_ / bse - 1)):.2e} relative")
    else:
        params = np.concatenate(([peer.intercept_], peer.coef_))
    err = float(np.max(np.abs(coef - params)))
    _require(err <= 1e-6, f"coefficients differ by {err:.2e}")


def _glm(n_bins: int, peer_name: str) -> Callable[[argparse.Namespace, SimpleNamespace | None], Pair]:
    def build(a: argparse.Namespace, _elephant: SimpleNamespace | None) -> Pair:
        X, y = history_design(n_bins, a.seed)
        ours = functools.partial(PoissonGLM().fit, X, y)
        size = f"{n_bins:.0e} bins x {X.shape[1]} + 1, {y.sum()} spikes; design {X.nbytes / 2**20:.0f} MiB"
        if a.no_peers:
            return Pair(size, ours)
        if peer_name == "statsmodels":
            import statsmodels.api as sm

            Z = sm.add_constant(X)

            def peer() -> Any:
                res = sm.GLM(y, Z, family=sm.families.Poisson()).fit()
                res.bse  # noqa: B018  (standard errors are computed on first access)
                return res
        else:
            from sklearn.linear_model import PoissonRegressor

            def peer() -> Any:
                return PoissonRegressor(alpha=0.0, solver="newton-cholesky", tol=1e-10, max_iter=1000).fit(X, y)

        size += f"; peak MiB ours {peak_mib(ours):.0f}, {peer_name} {peak_mib(peer):.0f}; peer {peer_name}"
        return Pair(size, ours, peer, functools.partial(_check, stderr=peer_name == "statsmodels"))

    return build


#: Registered in :data:`benchmarks.cases.CASES`.
GLM_CASES: tuple[Case, ...] = (
    Case("glm-statsmodels-1e5", _glm(100_000, "statsmodels")),
    Case("glm-statsmodels-3e5", _glm(300_000, "statsmodels"), quick=False),
    Case("glm-statsmodels-1e6", _glm(1_000_000, "statsmodels"), target=10.0, quick=False),
    Case("glm-sklearn-1e5", _glm(100_000, "sklearn")),
    Case("glm-sklearn-3e5", _glm(300_000, "sklearn"), quick=False),
    Case("glm-sklearn-1e6", _glm(1_000_000, "sklearn"), target=1.0, quick=False),
)
