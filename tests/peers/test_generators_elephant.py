"""Generators against Elephant's (marker ``peers``): same laws at fixed seeds, two-sample tests.

The libraries draw from different random streams, so outputs agree in
distribution only: two-sample KS distances and mean counts within ~5 standard
errors (formulas in ``_tolerances.py``).
"""

from __future__ import annotations

import numpy as np
import pytest
from _tolerances import ks2_tol, poisson_count_mean_tol

import spikestats as ss

pytestmark = pytest.mark.peers

pytest.importorskip("elephant", reason="Elephant is not importable (pip install 'spikestats[bench]')")
pq = pytest.importorskip("quantities", reason="quantities (an Elephant dependency) is not importable")
neo = pytest.importorskip("neo", reason="neo (an Elephant dependency) is not importable")
from elephant.spike_train_generation import NonStationaryPoissonProcess, StationaryGammaProcess  # noqa: E402

from scipy import stats as sps  # noqa: E402


@pytest.mark.parametrize("shape", [0.5, 3.0, 4.5])
def test_gamma_process_matches_elephant(shape):
    """Same ISI law and the same stationary start (Elephant's default ``equilibrium=True``)."""
    rate, n, t_stop = 20.0, 2000, 2.0
    ours = ss.generators.GammaProcess(rate=rate, shape=shape).simulate(n, t_stop, rng=1)
    np.random.seed(1)
    peer = StationaryGammaProcess(rate=rate * pq.Hz, shape_factor=shape, t_stop=t_stop * pq.s
                                  ).generate_n_spiketrains(n, as_array=True)
    a = ss.stats.isi(ours).values
    b = np.concatenate([np.diff(x) for x in peer])
    assert sps.ks_2samp(a, b).statistic < ks2_tol(a.size, b.size)
    first_a = np.array([tr[0] for tr in ours if len(tr)])
    first_b = np.array([x[0] for x in peer if len(x)])
    assert sps.ks_2samp(first_a, first_b).statistic < ks2_tol(first_a.size, first_b.size)
    # equal mean counts: each within 5 SE (Poisson SE, conservative for shape >= 1) of rate * T
    tol = poisson_count_mean_tol(rate, t_stop, n) * max(1.0, 1.0 / np.sqrt(shape))
    assert abs(ours.counts.mean() - rate * t_stop) < tol
    assert abs(np.mean([len(x) for x in peer]) - rate * t_stop) < tol


def test_inhomogeneous_poisson_matches_elephant():
    """The same sampled rate, read piecewise constant by both: spike-time laws and counts agree."""
    dt, t_stop, n = 1e-3, 2.0, 1000
    times = np.arange(0.0, t_stop, dt)
    values = 20.0 + 18.0 * np.sin(2 * np.pi * 1.5 * times)
    ours = ss.generators.InhomogeneousPoisson((times, values)).simulate(n, t_stop, rng=2)
    np.random.seed(2)
    signal = neo.AnalogSignal(values[:, None], units="Hz", sampling_period=dt * pq.s)
    peer = NonStationaryPoissonProcess(rate_signal=signal).generate_n_spiketrains(n, as_array=True)
    flat = np.concatenate(peer)
    assert sps.ks_2samp(ours.times, flat).statistic < ks2_tol(ours.n_spikes, flat.size)
    mass = values.sum() * dt
    assert abs(ours.counts.mean() - mass) < poisson_count_mean_tol(mass / t_stop, t_stop, n)
    assert abs(flat.size / n - mass) < poisson_count_mean_tol(mass / t_stop, t_stop, n)
