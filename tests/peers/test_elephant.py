"""Live comparisons with Elephant on identical inputs (marker ``peers``).

Statistics must agree to ~1e-12 relative (ISIs exactly); generators, which
draw from different random streams, must agree in distribution at a fixed
seed, within about five standard errors. Where the two libraries' conventions
differ, the test says so and checks the documented difference.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from _tolerances import Z, ks_tol, poisson_count_mean_tol
from scipy import stats as sps

import spikestats as ss
from spikestats.exceptions import DataWarning

pytestmark = pytest.mark.peers

elephant = pytest.importorskip("elephant", reason="Elephant is not importable (pip install 'spikestats[bench]')")
pq = pytest.importorskip("quantities", reason="quantities (an Elephant dependency) is not importable")
neo = pytest.importorskip("neo", reason="neo (an Elephant dependency) is not importable")
from elephant import statistics as es  # noqa: E402
from elephant.spike_train_generation import StationaryPoissonProcess  # noqa: E402

RTOL = 1e-12
RATE = 20.0
T = 10.0


@pytest.fixture(scope="module")
def trains() -> tuple[ss.SpikeTrains, list[np.ndarray]]:
    """300 dead-time Poisson trains on [0, 10] s, as SpikeTrains and as the arrays Elephant takes."""
    st = ss.generators.PoissonProcess(rate=RATE, dead_time=0.003).simulate(n_trains=300, t_stop=T, rng=7)
    return st, [np.array(a) for a in st]


@pytest.fixture
def global_seed():
    """Seed numpy's global RNG (Elephant's source of randomness) and restore it afterwards."""
    state = np.random.get_state()
    np.random.seed(20261121)
    yield
    np.random.set_state(state)


# ------------------------------------------------------------------ statistics on identical inputs
def test_isi_matches(trains):
    st, arrays = trains
    ours = ss.stats.isi(st)
    for i, a in enumerate(arrays):
        np.testing.assert_array_equal(ours[i], es.isi(a))
    np.testing.assert_array_equal(ss.stats.isi(arrays[0]), es.isi(arrays[0]))


def test_cv_matches(trains):
    # Both use ddof=0: Elephant's cv is scipy.stats.variation (np.std / np.mean).
    st, arrays = trains
    np.testing.assert_allclose(ss.stats.cv(st), [es.cv(es.isi(a)) for a in arrays], rtol=RTOL, atol=0)
    assert ss.stats.cv(arrays[3]) == pytest.approx(es.cv(es.isi(arrays[3])), rel=RTOL, abs=0)


def test_cv_of_one_interval_differs_by_convention():
    # One ISI: Elephant returns 0.0 (the std of one value); spikestats returns NaN with a
    # DataWarning, since a CV from a single interval is not an estimate.
    one = np.array([0.1, 0.4])
    assert es.cv(es.isi(one)) == 0.0
    with pytest.warns(DataWarning):
        assert math.isnan(ss.stats.cv(one))


def test_fano_factor_matches(trains):
    # window=None, ddof=0 (numpy.var) in both, on arrays and on neo.SpikeTrain input.
    st, arrays = trains
    ours = ss.stats.fano_factor(st)
    assert ours == pytest.approx(es.fanofactor(arrays), rel=RTOL, abs=0)
    neo_trains = [neo.SpikeTrain(a, t_start=0.0, t_stop=T, units="s") for a in arrays]
    assert ours == pytest.approx(es.fanofactor(neo_trains), rel=RTOL, abs=0)
    # ddof=1 (not offered by Elephant) is the unbiased variance: a factor n / (n - 1).
    n = len(arrays)
    assert ss.stats.fano_factor(st, ddof=1) == pytest.approx(es.fanofactor(arrays) * n / (n - 1), rel=RTOL, abs=0)


def test_firing_rate_matches_on_windows(trains):
    st, arrays = trains
    # SpikeTrains carry their window, as neo.SpikeTrain does: count / (t_stop - t_start).
    expected = [float(es.mean_firing_rate(neo.SpikeTrain(a, t_stop=T, units="s")).rescale("Hz")) for a in arrays]
    np.testing.assert_allclose(ss.stats.firing_rate(st), expected, rtol=RTOL, atol=0)
    # An explicit window counts spikes in the closed [t_start, t_stop] in both.
    np.testing.assert_allclose(ss.stats.firing_rate(st, t_start=2.0, t_stop=7.5),
                               [es.mean_firing_rate(a, t_start=2.0, t_stop=7.5) for a in arrays], rtol=RTOL, atol=0)


def test_firing_rate_explicit_window_on_an_array():
    # Elephant counts the spikes of a bare array inside the closed [t_start, t_stop] (both edges count).
    edge = np.array([0.5, 1.0, 1.7, 2.0, 2.5])
    assert es.mean_firing_rate(edge, t_start=1.0, t_stop=2.0) == 3.0
    assert ss.stats.firing_rate(edge, t_start=1.0, t_stop=2.0) == 3.0


def test_firing_rate_default_window_of_arrays():
    # One bare array: both use [0, last spike] (Elephant's default t_stop for arrays).
    a = np.array([0.5, 1.0, 2.0])
    b = np.array([0.2, 0.3])
    assert ss.stats.firing_rate(a) == es.mean_firing_rate(a) == 1.5
    # A list of arrays: spikestats gives all trains one window, [0, latest spike of any train];
    # Elephant, called per array, uses each array's own last spike. Pass t_stop to avoid both.
    np.testing.assert_array_equal(ss.stats.firing_rate([a, b]), [3 / 2.0, 2 / 2.0])
    assert es.mean_firing_rate(b) == pytest.approx(2 / 0.3)


# ------------------------------------------------------------------ generators in distribution
def _elephant_trains(n: int, t_stop: float, dead_time: float) -> list[np.ndarray]:
    # t_start stays 0: with a refractory period, Elephant 1.2 places the equilibrium first spike
    # relative to 0 rather than to t_start.
    process = StationaryPoissonProcess(rate=RATE * pq.Hz, t_stop=t_stop * pq.s,
                                       refractory_period=dead_time * pq.s if dead_time else None)
    return process.generate_n_spiketrains(n, as_array=True)


def _ks2_tol(n: int, m: int) -> float:
    """Two-sample KS distance: sqrt(nm / (n + m)) D is asymptotically Kolmogorov-distributed;
    P(K > 2.7) ~ 9e-7, so D < 2.7 sqrt((n + m) / (n m))."""
    return 2.7 * math.sqrt((n + m) / (n * m))


@pytest.mark.parametrize("dead_time", [0.0, 0.002])
def test_poisson_process_matches_in_distribution(dead_time, global_seed):
    n = 200
    ours = list(ss.generators.PoissonProcess(rate=RATE, dead_time=dead_time).simulate(n_trains=n, t_stop=T, rng=11))
    peer = _elephant_trains(n, T, dead_time)
    counts = {lib: np.array([len(a) for a in x]) for lib, x in (("spikestats", ours), ("elephant", peer))}
    # Mean count: SE = sqrt(rate T / n) for Poisson counts; a dead time lowers the count variance
    # (to ~ rate T cv^2, cv = 1 - rate * dead_time), so the Poisson SE is a safe bound.
    for lib, c in counts.items():
        assert abs(c.mean() - RATE * T) <= poisson_count_mean_tol(RATE, T, n), lib
    # Difference of two such means: SE = sqrt(2 rate T / n).
    assert abs(counts["spikestats"].mean() - counts["elephant"].mean()) <= Z * math.sqrt(2 * RATE * T / n)

    # ISIs: dead_time + Exp(lam), lam = rate / (1 - rate dead_time), the same law in both. Dropping the
    # interval cut by t_stop biases the empirical CDF by < 1 / (intervals per train) ~ 0.5 %, well
    # inside the KS tolerances below (both sides have the same bias in the two-sample test).
    isi_ours = np.concatenate([np.diff(a) for a in ours])
    isi_peer = np.concatenate([np.diff(a) for a in peer])
    assert isi_ours.min() >= dead_time and isi_peer.min() >= dead_time * (1 - 1e-12)
    assert sps.ks_2samp(isi_ours, isi_peer).statistic <= _ks2_tol(isi_ours.size, isi_peer.size)
    lam = RATE / (1 - RATE * dead_time)
    for lib, x in (("spikestats", isi_ours), ("elephant", isi_peer)):
        assert sps.kstest(x, "expon", args=(dead_time, 1 / lam)).statistic <= ks_tol(x.size), lib


def test_poisson_process_first_spike_matches_equilibrium(global_seed):
    # Both start each train in equilibrium: the first spike has the forward-recurrence law,
    # CDF F(t) = rate t for t < d, rate d + (1 - rate d)(1 - exp(-lam (t - d))) after.
    n, t_stop, d = 3000, 1.0, 0.004
    lam = RATE / (1 - RATE * d)
    ours = ss.generators.PoissonProcess(rate=RATE, dead_time=d).simulate(n_trains=n, t_stop=t_stop, rng=5)
    peer = _elephant_trains(n, t_stop, d)

    def cdf(t):
        t = np.asarray(t)
        return np.where(t < d, RATE * t, RATE * d + (1 - RATE * d) * -np.expm1(-lam * (t - d)))

    # P(no spike in [0, 1 s]) = (1 - rate d) exp(-lam (1 - d)) ~ 1e-9: the truncation is negligible.
    first = {lib: np.array([a[0] for a in x if len(a)]) for lib, x in (("spikestats", list(ours)), ("elephant", peer))}
    for lib, x in first.items():
        assert sps.kstest(x, cdf).statistic <= ks_tol(x.size), lib
    assert sps.ks_2samp(first["spikestats"], first["elephant"]).statistic <= _ks2_tol(
        first["spikestats"].size, first["elephant"].size)
    # Stationary from t = 0: mean count rate * t_stop in both (Poisson SE, as above).
    for lib, c in (("spikestats", ours.counts), ("elephant", [len(a) for a in peer])):
        assert abs(np.mean(c) - RATE * t_stop) <= poisson_count_mean_tol(RATE, t_stop, n), lib
