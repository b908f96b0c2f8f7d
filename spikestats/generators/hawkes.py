"""Hawkes (self- and mutually exciting) processes with exponential and sum-of-exponential kernels."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from spikestats._kernels.hawkes import hawkes_realization, hawkes_realizations, hawkes_realizations_parallel
from spikestats._validation import as_float_array, check_rng, fail
from spikestats.core.spiketrains import SpikeTrains
from spikestats.generators._regions import check_window, draw_key, fill_trains, split_by_unit, use_parallel
from spikestats.typing import RNGLike


@dataclass(frozen=True, eq=False)
class HawkesProcess:
    """Linear Hawkes process, univariate or multivariate, with exponential kernels.

    Unit ``i`` has conditional intensity (Hz)

        lambda_i(t) = baseline[i] + sum_j sum_{spikes s of j before t} phi_ij(t - s),
        phi_ij(t) = sum_k alpha[i, j, k] * beta[k] * exp(-beta[k] * t),

    so ``alpha[i, j, k]`` is the integral of the kernel (the expected number of
    spikes of ``i`` each spike of ``j`` triggers through term ``k``), and the
    branching matrix is ``G = alpha.sum(axis=-1)``.

    Parameters
    ----------
    baseline : float or array (d,)
        Background rates in Hz, >= 0.
    alpha : float or array
        Kernel integrals, >= 0: a scalar or ``(K,)`` for one unit; ``(d, d)``
        or ``(d, d, K)`` for ``d`` units (``alpha[i, j]`` = effect of ``j`` on ``i``).
    beta : float or array (K,)
        Decay rates in 1/s, > 0, shared by all pairs (sum of ``K`` exponentials).

    Notes
    -----
    The process is stationary when the spectral radius of ``G`` is below 1;
    construction fails otherwise. The stationary rates are
    ``(I - G)^-1 baseline`` (:attr:`stationary_rate`). Simulation by Ogata's
    thinning with the exact exponential decay between candidates; each
    realisation starts with no history at ``t_start``, so the rate approaches
    its stationary value over a few ``1 / (beta * (1 - rho))``. The
    parametrisation (``alpha`` as the integral) is that of ``tick``'s
    ``SimuHawkesExpKernels(adjacency, decays)``.
    """

    baseline: Any
    alpha: Any
    beta: Any

    def __post_init__(self) -> None:
        mu = as_float_array("baseline", self.baseline)
        beta = np.atleast_1d(as_float_array("beta", self.beta))
        alpha = as_float_array("alpha", self.alpha)
        if mu.ndim > 1:
            fail("baseline", "a scalar or a 1-d array of rates (one per unit)", mu)
        if beta.ndim != 1 or beta.size == 0 or np.any(beta <= 0):
            fail("beta", "a positive decay rate or a 1-d array of them (1/s)", self.beta)
        d, n_exp = mu.size, beta.size
        if mu.ndim == 0:
            alpha = alpha.reshape(1, 1, -1) if alpha.ndim <= 1 else alpha
        elif alpha.ndim == 2:
            alpha = alpha[:, :, None]
        if alpha.shape != (d, d, n_exp):
            fail("alpha", f"of shape ({d}, {d}) or ({d}, {d}, {n_exp}) for {d} units and {n_exp} decay rates",
                 self.alpha, got=f"an array of shape {np.shape(self.alpha)}")
        mu = np.atleast_1d(mu)
        if np.any(mu < 0):
            fail("baseline", "non-negative (rates in Hz)", self.baseline)
        if np.any(alpha < 0):
            fail("alpha", "non-negative (inhibitory kernels are not supported by Ogata thinning here)", self.alpha)
        rho = float(np.max(np.abs(np.linalg.eigvals(alpha.sum(axis=-1)))))
        if rho >= 1.0:
            fail("alpha", "a branching matrix alpha.sum(-1) with spectral radius < 1 (a stationary process)",
                 self.alpha, "Scale alpha down: with radius >= 1 the spike count explodes.",
                 got=f"spectral radius {rho:.6g}")
        object.__setattr__(self, "baseline", mu)
        object.__setattr__(self, "alpha", np.ascontiguousarray(alpha))
        object.__setattr__(self, "beta", beta)

    @property
    def n_units(self) -> int:
        """Number of units ``d``."""
        return int(self.baseline.shape[0])

    @property
    def branching_matrix(self) -> np.ndarray:
        """``G = alpha.sum(-1)``, shape ``(d, d)``: mean number of children of ``j`` in unit ``i``."""
        return self.alpha.sum(axis=-1)

    @property
    def spectral_radius(self) -> float:
        """Spectral radius of :attr:`branching_matrix` (the branching ratio for one unit)."""
        return float(np.max(np.abs(np.linalg.eigvals(self.branching_matrix))))

    @property
    def stationary_rate(self) -> np.ndarray:
        """Stationary rates ``(I - G)^-1 baseline`` in Hz, shape ``(d,)``."""
        return np.linalg.solve(np.eye(self.n_units) - self.branching_matrix, self.baseline)

    def simulate(self, n_trials: int = 1, t_stop: float = 1.0, *, t_start: float = 0.0,
                 rng: RNGLike = None) -> SpikeTrains:
        """Draw ``n_trials`` independent realisations on ``[t_start, t_stop]``.

        Parameters
        ----------
        n_trials : int, default 1
            Number of realisations; each gives one train per unit.
        t_stop, t_start : float
            Window in seconds.
        rng : int, Generator or anything ``np.random.default_rng`` accepts
            Same ``rng``, same trains, whatever the number of threads.

        Returns
        -------
        SpikeTrains
            ``n_trials * d`` trains, trial-major: train ``r * d + i`` is unit
            ``i`` of realisation ``r``. ``metadata["ground_truth"]`` holds the
            parameters and the stationary rates.
        """
        n_trials, t_start, t_stop = check_window(n_trials, t_start, t_stop, "n_trials")
        gen = check_rng(rng)
        key = draw_key(gen)
        d = self.n_units
        mu, beta = self.baseline, self.beta
        ab = np.ascontiguousarray(self.alpha * beta[None, None, :])
        expected = np.full(n_trials, self.stationary_rate.sum() * (t_stop - t_start))
        spread = np.sqrt(expected) / (1.0 - self.spectral_radius)
        kernel = hawkes_realizations_parallel if use_parallel(expected) else hawkes_realizations
        (times, units), offsets = fill_trains(
            lambda region, bt, bu: kernel(key, mu, ab, beta, t_start, t_stop, region, bt, bu),
            lambda r, ot, ou: hawkes_realization(key, r, mu, ab, beta, t_start, t_stop, ot, ou),
            expected, spread, dtypes=(np.float64, np.int64))
        times, offsets = split_by_unit(times, units, offsets, d)
        truth = {"model": type(self).__name__, "baseline": mu.tolist(), "alpha": self.alpha.tolist(),
                 "beta": beta.tolist(), "stationary_rate": self.stationary_rate.tolist()}
        return SpikeTrains._trusted(times, offsets, np.full(n_trials * d, t_start), np.full(n_trials * d, t_stop),
                                    np.tile(np.arange(d, dtype=np.int64), n_trials),
                                    np.repeat(np.arange(n_trials, dtype=np.int64), d), {"ground_truth": truth})
