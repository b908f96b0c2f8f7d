"""Rates against Elephant on identical inputs: instantaneous_rate, time_histogram, optimal_kernel_bandwidth.

Matching conventions (found by reading Elephant 1.2's ``instantaneous_rate``):
Elephant bins the spikes at ``sampling_period`` and convolves the counts with
the kernel sampled at multiples of the period, so each spike sits at the left
edge of its bin, and it truncates the kernel at ``cutoff`` (default 5) sigma,
rounded up to whole periods. With spike times on the grid (multiples of a
power-of-two period, exact in binary), ``5 sigma`` a whole number of periods,
``center_kernel=False`` (Elephant otherwise shifts asymmetric kernels by their
median, which makes them non-causal) and ``cutoff=5`` here, the two agree to
rounding for all six kernels. Elephant's ``sigma`` is our ``bandwidth``.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from _tolerances import golden_section_rtol

import spikestats as ss
from spikestats.stats._bandwidth import optimal_bandwidth
from spikestats.stats.kernel_rate import kernel_rate
from spikestats.stats.psth import psth

pytestmark = pytest.mark.peers

elephant = pytest.importorskip("elephant", reason="Elephant is not importable (pip install 'spikestats[bench]')")
pq = pytest.importorskip("quantities", reason="quantities (an Elephant dependency) is not importable")
neo = pytest.importorskip("neo", reason="neo (an Elephant dependency) is not importable")
from elephant import kernels as ek  # noqa: E402
from elephant import statistics as es  # noqa: E402

RTOL = 1e-12
DT = 2.0**-10  # sampling period: a power of two, so grid times are exact
T = 2.0
SIGMA = 20 * DT  # 5 sigma = 100 periods exactly

ELEPHANT_KERNELS = {"gaussian": ek.GaussianKernel, "exponential": ek.ExponentialKernel, "alpha": ek.AlphaKernel,
                    "epanechnikov": ek.EpanechnikovLikeKernel, "triangular": ek.TriangularKernel,
                    "boxcar": ek.RectangularKernel}


@pytest.fixture(scope="module")
def grid_trains() -> tuple[ss.SpikeTrains, list]:
    """Five trains with spikes on the 2^-10 s grid, as SpikeTrains and as neo.SpikeTrain."""
    rng = np.random.default_rng(11)
    trains = [np.unique(rng.integers(0, int(T / DT), 60)) * DT for _ in range(5)]
    return (ss.SpikeTrains.from_list(trains, 0.0, T),
            [neo.SpikeTrain(t, t_start=0.0, t_stop=T, units="s") for t in trains])


def _elephant_rates(signal) -> np.ndarray:
    return np.asarray(signal.magnitude).T  # Elephant: (time, trains)


@pytest.mark.parametrize("kind", list(ELEPHANT_KERNELS))
def test_instantaneous_rate_fixed_bandwidth(grid_trains, kind):
    st, neos = grid_trains
    el = es.instantaneous_rate(neos, DT * pq.s, kernel=ELEPHANT_KERNELS[kind](SIGMA * pq.s), center_kernel=False)
    ours = kernel_rate(st, SIGMA, kind, sampling_period=DT, cutoff=5.0)
    np.testing.assert_allclose(ours.times, el.times.rescale("s").magnitude, rtol=0, atol=1e-15)
    ref = _elephant_rates(el)
    np.testing.assert_allclose(ours.rates, ref, rtol=RTOL, atol=RTOL * ref.max())


def test_instantaneous_rate_default_support_differs_only_in_the_tail(grid_trains):
    """Without ``cutoff`` the Gaussian runs to 8 SD: beyond Elephant's 5 SD the difference is the tail only."""
    st, neos = grid_trains
    el = _elephant_rates(es.instantaneous_rate(neos, DT * pq.s, kernel=ek.GaussianKernel(SIGMA * pq.s)))
    ours = kernel_rate(st, SIGMA, sampling_period=DT).rates
    # at most every spike's tail at 5 SD: n_spikes_nearby * phi(5) / sigma
    tail = 60 * math.exp(-12.5) / (math.sqrt(2 * math.pi) * SIGMA)
    assert np.max(np.abs(ours - el)) <= tail
    assert np.all(ours >= el - 1e-12 * el.max())


def test_border_correction_is_edge_correction_times_a_constant(grid_trains):
    """Elephant's border_correction = our edge correction, then a per-train factor n / (mean(rate) * T)."""
    st, neos = grid_trains
    el = _elephant_rates(es.instantaneous_rate(neos, DT * pq.s, kernel=ek.GaussianKernel(SIGMA * pq.s),
                                               border_correction=True))
    ours = kernel_rate(st, SIGMA, sampling_period=DT, cutoff=5.0, edge_correction=True).rates
    factor = st.counts / (ours.mean(axis=1) * T)
    np.testing.assert_allclose(ours * factor[:, None], el, rtol=RTOL, atol=RTOL * el.max())


def test_time_histogram_rate(grid_trains):
    st, neos = grid_trains
    for bin_size in (0.1, 0.05, 2.0**-6):
        el = es.time_histogram(neos, bin_size * pq.s, output="rate")
        ours = psth(st, bin_size)
        np.testing.assert_allclose(ours.rate, np.asarray(el.magnitude).ravel(), rtol=RTOL)
        np.testing.assert_allclose(ours.edges[:-1], el.times.rescale("s").magnitude, rtol=RTOL, atol=1e-15)


def test_time_histogram_window_end_convention():
    """A spike exactly at t_stop: counted in our last (closed) bin, discarded by Elephant."""
    trains = [np.array([0.05, 0.5, 1.0]), np.array([0.25])]
    neos = [neo.SpikeTrain(t, t_start=0.0, t_stop=1.0, units="s") for t in trains]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Elephant warns that it discards the spike at t_stop
        el = np.asarray(es.time_histogram(neos, 0.25 * pq.s, output="rate").magnitude).ravel()
    ours = psth(ss.SpikeTrains.from_list(trains, 0.0, 1.0), 0.25).rate
    np.testing.assert_allclose(ours[:-1], el[:-1], rtol=RTOL)
    assert ours[-1] - el[-1] == pytest.approx(1 / (2 * 0.25))  # one spike, two trains, 0.25 s bins


def _inhomogeneous(rng, n_trains, t_stop, freq):
    out = []
    for _ in range(n_trains):
        x = np.sort(rng.uniform(0.0, t_stop, rng.poisson(60.0 * t_stop)))
        out.append(x[rng.uniform(size=x.size) < 0.5 * (1.0 + np.sin(2 * np.pi * freq * x))])
    return out


@pytest.mark.parametrize(("n_trains", "t_stop", "freq"), [(1, 2.0, 1.0), (5, 2.0, 2.0), (20, 10.0, 1.0),
                                                         (1, 100.0, 0.2)])
def test_optimal_kernel_bandwidth(n_trains, t_stop, freq):
    """Same spikes pooled, same window and histogram as Elephant: bandwidths agree to Elephant's search precision.

    Elephant's window is [first spike - dt/2, last spike + dt/2] with
    M = min(round(T / min ISI), 1000) bins of dt = T / (M - 1); passing that
    window here gives the same bins, and the same window-integrated cost. What
    is left: Elephant's golden section stops after 20 steps (bound in
    ``golden_section_rtol``) and its FFT smoothing wraps a little kernel mass
    around the ends.
    """
    rng = np.random.default_rng(int(t_stop * 100 + n_trains))
    pooled = np.sort(np.concatenate(_inhomogeneous(rng, n_trains, t_stop, freq)))
    span = pooled[-1] - pooled[0]
    isi = np.diff(pooled)
    m = min(int(span / isi[isi > 0].min() + 0.5), 1000)
    dt = span / (m - 1)
    el = es.optimal_kernel_bandwidth(pooled)["optw"]
    ours = optimal_bandwidth(ss.SpikeTrains.from_list([pooled], pooled[0] - dt / 2, pooled[-1] + dt / 2))

    def ilogexp(x):
        return math.log(math.expm1(x)) if x < 100 else x

    assert ours == pytest.approx(el, rel=golden_section_rtol(20, ilogexp(2 * dt), ilogexp(span)))


def test_auto_bandwidth_rate_against_instantaneous_rate_auto():
    """Elephant's kernel="auto" on one train picks the bandwidth we select for it (to its search precision)."""
    rng = np.random.default_rng(5)
    train = _inhomogeneous(rng, 1, 4.0, 1.0)[0]
    span = train[-1] - train[0]
    isi = np.diff(train)
    m = min(int(span / isi[isi > 0].min() + 0.5), 1000)
    dt = span / (m - 1)
    nt = neo.SpikeTrain(train, t_start=0.0, t_stop=4.0, units="s")
    el = es.instantaneous_rate(nt, DT * pq.s, kernel="auto")
    sigma = float(el.annotations["kernel"]["sigma"].split()[0])
    ours = optimal_bandwidth(ss.SpikeTrains.from_list([train], train[0] - dt / 2, train[-1] + dt / 2))
    assert ours == pytest.approx(sigma, rel=golden_section_rtol(20, math.log(math.expm1(2 * dt)), span))


@pytest.mark.parametrize("method", ["direct", "fft"])
def test_instantaneous_rate_gaussian_to_8_sd_both_evaluations(grid_trains, method):
    """Elephant truncated at 8 SD (a whole number of periods) equals our untruncated Gaussian, either path."""
    st, neos = grid_trains
    el = _elephant_rates(es.instantaneous_rate(neos, DT * pq.s, kernel=ek.GaussianKernel(SIGMA * pq.s), cutoff=8.0))
    ours = kernel_rate(st, SIGMA, sampling_period=DT, method=method)
    assert ours.evaluation == method
    np.testing.assert_allclose(ours.rates, el, rtol=RTOL, atol=RTOL * el.max())
