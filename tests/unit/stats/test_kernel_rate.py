"""kernel_rate and optimal_bandwidth: naive twins of every kernel, conventions, bad input, properties.

Kept small: CI reruns this module with NUMBA_DISABLE_JIT=1.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as hs
from reference import naive_rates as naive

import spikestats as ss
from spikestats._kernels import kernel_rate as K
from spikestats.exceptions import DataWarning, ValidationError, ValidationTypeError
from spikestats.stats._bandwidth import optimal_bandwidth
from spikestats.stats.kernel_rate import CAUSAL_KERNELS, KERNELS, SUPPORT, KernelRate, kernel_rate
from spikestats.testing.strategies import spike_trains

RTOL = 1e-12


@pytest.fixture
def st():
    return ss.SpikeTrains.from_list([[0.11, 0.13, 0.52, 0.61, 0.97], [], [0.3, 0.301, 0.72]], 0.0, 1.2)


# ------------------------------------------------------------------ kernels vs naive twins
@pytest.mark.parametrize("kind", KERNELS)
@pytest.mark.parametrize("causal", [False, True])
def test_kernel_rates_match_naive(st, kind, causal):
    h = [0.03, 0.05, 0.02]
    lo, hi = SUPPORT[kind]
    lo = 0.0 if causal else lo
    args = (st.times, st.offsets, 0.0, 0.01, 120, np.array(h), K.KERNEL_CODES[kind], causal, lo, hi)
    ours = K.kernel_rates(*args)
    np.testing.assert_array_equal(K.kernel_rates_parallel(*args), ours)
    slow = naive.kernel_rates(st.to_list(), 0.0, 0.01, 120, h, kind, causal or kind in ("exponential", "alpha"),
                              lo, hi)
    np.testing.assert_allclose(ours, slow, rtol=RTOL, atol=1e-12)


@pytest.mark.parametrize("kind", KERNELS)
@pytest.mark.parametrize("causal", [False, True])
def test_window_masses_match_naive(kind, causal):
    t = np.linspace(-0.1, 1.3, 29)
    h = 0.07
    ours = K.window_masses(K.KERNEL_CODES[kind], t, 0.0, 1.2, np.full(t.size, h), causal)
    eff = causal or kind in ("exponential", "alpha")
    slow = [naive.window_mass(kind, x, 0.0, 1.2, h, eff) for x in t]
    np.testing.assert_allclose(ours, slow, rtol=1e-12, atol=1e-14)


def test_cost_kernels_match_naive():
    y = np.array([0, 2, 1, 0, 0, 3, 1, 0, 1, 0, 0, 0, 2, 1, 0, 1], dtype=np.int64)
    np.testing.assert_array_equal(K.count_autocorrelation(y), naive.count_autocorrelation(y))
    dt = 0.01
    widths = np.array([0.004, 0.02, 0.09, 0.5])
    # cutoff large enough to keep every pair: the twin keeps all pairs
    np.testing.assert_allclose(K.fixed_costs(y, dt, widths, 1e6), [naive.fixed_cost(y, dt, w) for w in widths],
                               rtol=1e-12)
    # the default cutoff (8 SD) changes the cost by rounding only
    np.testing.assert_allclose(K.fixed_costs(y, dt, widths, 8.0), K.fixed_costs(y, dt, widths, 1e6), rtol=1e-12)
    w_opt, c_opt = K.optimal_fixed_width(y, dt, 2 * dt, y.size * dt, 64, 1e-9, 1e6)
    scan = np.geomspace(2 * dt, y.size * dt, 2001)
    assert c_opt <= min(naive.fixed_cost(y, dt, w) for w in scan) + 1e-12
    assert K.fixed_costs(y, dt, np.array([w_opt]), 1e6)[0] == pytest.approx(c_opt, rel=1e-14)


def test_per_train_widths_serial_equals_parallel():
    counts = np.array([[0, 2, 1, 0, 0, 3, 1, 0, 1, 0], [1, 0, 0, 0, 0, 0, 0, 0, 0, 0], [1, 1, 0, 1, 0, 2, 0, 0, 1, 1]])
    args = (counts, 0.01, 0.02, 0.1, 16, 1e-6, 8.0)
    a = K.optimal_fixed_widths_per_train(*args)
    np.testing.assert_array_equal(a, K.optimal_fixed_widths_per_train_parallel(*args))
    assert np.isnan(a[1]) and np.all(np.isfinite(a[[0, 2]]))


def test_adaptive_kernels_match_naive():
    rng = np.random.default_rng(3)
    counts = rng.poisson(np.r_[np.full(15, 0.3), np.full(15, 2.0)])
    dt = 0.01
    y = counts / dt
    np.testing.assert_allclose(K.gaussian_smooth(y, dt, 0.03, 1e6), naive.gaussian_smooth(y, dt, 0.03), rtol=1e-12)
    x = rng.normal(size=30)
    np.testing.assert_allclose(K.boxcar_smooth(x, 4), naive.boxcar_smooth(x, 4), rtol=1e-12, atol=1e-15)
    widths = np.geomspace(5 * dt, 30 * dt, 6)
    local = K.local_optimal_widths(y, dt, widths, 1e6)
    np.testing.assert_array_equal(local, naive.local_optimal_widths(y, dt, widths))
    h = K.stiff_widths(local, widths, 0.4, dt)
    np.testing.assert_allclose(h, naive.stiff_widths(local, widths, 0.4, dt), rtol=1e-12)
    c, yv = K.adaptive_cost(y, float(counts.sum()), dt, h, 1e6)
    c2, yv2 = naive.adaptive_cost(y, float(counts.sum()), dt, h)
    assert c == pytest.approx(c2, rel=1e-10)
    np.testing.assert_allclose(yv, yv2, rtol=1e-12)
    gamma, h_best = K.optimal_stiffness(y, float(counts.sum()), dt, local, widths, 19, 1e-3, 1e6)
    assert 0 < gamma < 1
    # the scan visits gamma = k / 20: the refined optimum is never worse than the best of them
    grid_costs = [naive.adaptive_cost(y, float(counts.sum()), dt, naive.stiff_widths(local, widths, g, dt))[0]
                  for g in np.linspace(0.05, 0.95, 19)]
    assert K.adaptive_cost(y, float(counts.sum()), dt, h_best, 1e6)[0] <= min(grid_costs) + 1e-9


def test_balloon_rates_match_naive(st):
    h_t = np.linspace(0.02, 0.08, 50)
    ours = K.balloon_rates(st.times, st.offsets, 0.1, 0.02, h_t, 40.0)
    np.testing.assert_allclose(ours, naive.balloon_rates(st.to_list(), 0.1, 0.02, h_t), rtol=1e-12, atol=1e-14)


# ------------------------------------------------------------------ public function
def test_result_and_conventions(st):
    r = kernel_rate(st, 0.02, sampling_period=0.01)
    assert isinstance(r, KernelRate)
    assert r.rates.shape == (3, 120) and r.times.shape == (120,)
    np.testing.assert_allclose(r.times, np.arange(120) * 0.01)
    np.testing.assert_array_equal(r.bandwidth, [0.02] * 3)
    assert r.method == "fixed" and not r.causal and r.kernel == "gaussian"
    np.testing.assert_array_equal(r.rates[1], 0.0)  # a train without spikes has rate 0
    np.testing.assert_allclose(r.mean_rate, r.rates.mean(axis=0))
    assert "KernelRate(n_trains=3, n_times=120" in repr(r)
    # exponential and alpha are causal whatever `causal` says
    assert kernel_rate(st, 0.02, "exponential", sampling_period=0.01).causal
    # one array in: one train out
    one = kernel_rate(np.array([0.2, 0.5]), 0.05, sampling_period=0.01, t_stop=1.0)
    assert one.rates.shape == (1, 100)
    # same result serially
    np.testing.assert_array_equal(kernel_rate(st, 0.02, sampling_period=0.01, parallel=False).rates, r.rates)


def test_causal_kernel_ignores_future_spikes():
    st = ss.SpikeTrains.from_list([[0.5]], 0.0, 1.0)
    for kind in KERNELS:
        r = kernel_rate(st, 0.05, kind, causal=True, sampling_period=0.01)
        assert np.all(r.rates[0, r.times < 0.5 - 1e-12] == 0.0), kind
        assert r.rates[0, r.times > 0.5].max() > 0, kind


def test_cutoff_truncates_like_elephant():
    st = ss.SpikeTrains.from_list([[0.5]], 0.0, 1.0)
    r = kernel_rate(st, 0.02, cutoff=5.0, sampling_period=0.001)
    lag = np.abs(r.times - 0.5)
    assert np.all(r.rates[0][lag > 0.1 + 1e-9] == 0.0)
    assert np.all(r.rates[0][lag < 0.1 - 1e-9] > 0.0)


def test_edge_correction_unbiased_for_constant_rate():
    # a dense regular train: the corrected rate is flat up to the grid's discreteness, uncorrected halves at the ends
    spikes = np.arange(0.0005, 1.0, 0.001)
    st = ss.SpikeTrains.from_list([spikes], 0.0, 1.0)
    plain = kernel_rate(st, 0.02, sampling_period=0.001)
    fixed = kernel_rate(st, 0.02, sampling_period=0.001, edge_correction=True)
    assert plain.rates[0, 0] == pytest.approx(500.0, rel=0.03)
    np.testing.assert_allclose(fixed.rates[0], 1000.0, rtol=0.03)
    assert fixed.edge_corrected


def test_optimal_bandwidth_pooled_and_per_train(st):
    w = optimal_bandwidth(st)
    assert isinstance(w, float) and 0 < w <= 1.2
    r = kernel_rate(st, "auto", sampling_period=0.01)
    np.testing.assert_array_equal(r.bandwidth, [w] * 3)
    assert r.method == "auto"
    with pytest.warns(DataWarning, match="fewer than 2 spikes"):
        per = optimal_bandwidth(st, per_train=True)
    assert per.shape == (3,) and np.isnan(per[1])
    with pytest.warns(DataWarning):
        r = kernel_rate(st, "auto", per_train=True, sampling_period=0.01)
    assert np.all(np.isnan(r.rates[1])) and np.all(np.isfinite(r.rates[[0, 2]]))
    assert isinstance(optimal_bandwidth(np.array([0.1, 0.3, 0.35, 0.9])), float)


# ------------------------------------------------------------------ bad input
@pytest.mark.parametrize("bad", [0.0, -0.01, np.inf, np.nan])
def test_bad_bandwidth(st, bad):
    with pytest.raises(ValidationError, match="`bandwidth` must be"):
        kernel_rate(st, bad)


@pytest.mark.parametrize("bad", [0.0, -1.0, np.nan, 5.0])
def test_bad_sampling_period(st, bad):
    with pytest.raises(ValidationError, match="`sampling_period` must be"):
        kernel_rate(st, 0.02, sampling_period=bad)


def test_bad_options(st):
    with pytest.raises(ValidationError, match="Did you mean 'epanechnikov'"):
        kernel_rate(st, 0.02, "epanechnikof")
    with pytest.raises(ValidationError, match="Did you mean 'adaptive'"):
        kernel_rate(st, "adaptiv")
    with pytest.raises(ValidationTypeError, match="`bandwidth` must be"):
        kernel_rate(st, [0.02])
    with pytest.raises(ValidationError, match="`kernel` must be 'gaussian'"):
        kernel_rate(st, "auto", "boxcar")
    with pytest.raises(ValidationError, match="`kernel` must be 'gaussian'"):
        kernel_rate(st, "adaptive", causal=True)
    with pytest.raises(ValidationError, match="`cutoff` must be > 0"):
        kernel_rate(st, 0.02, cutoff=0.0)
    with pytest.raises(ValidationTypeError, match="`causal` must be True or False"):
        kernel_rate(st, 0.02, causal="yes")


def test_windows_longer_than_the_data(st):
    with pytest.raises(ValidationError, match="`t_stop` must be <= 1.2"):
        kernel_rate(st, 0.02, t_stop=2.0)
    with pytest.raises(ValidationError, match="`t_start` must be >= 0.0"):
        kernel_rate(st, 0.02, t_start=-1.0)
    with pytest.raises(ValidationError, match="`t_stop` must be > t_start"):
        kernel_rate(st, 0.02, t_start=0.5, t_stop=0.5)


def test_empty_data_for_auto():
    st = ss.SpikeTrains.from_list([[], [0.4]], 0.0, 1.0)
    with pytest.raises(ValidationError, match="at least 2 spikes"):
        kernel_rate(st, "auto")
    np.testing.assert_array_equal(kernel_rate(ss.SpikeTrains.from_list([[]], 0.0, 1.0), 0.1).rates, 0.0)


# ------------------------------------------------------------------ properties
@given(spike_trains(max_trains=3, max_spikes=12, common_window=True, min_trains=1),
       hs.floats(0.25, 4.0), hs.sampled_from(KERNELS))
def test_scaling_time_scales_rates(st, c, kind):
    """Times, window, bandwidth and sampling period times c: the rate divides by c.

    Lags ``t - s`` lose ``|t| eps`` to rounding far from time 0, so the
    tolerance grows with ``|t| eps / h`` (times the ~40 SD a kernel spans).
    """
    dur = float(st.t_stop[0] - st.t_start[0])
    h, dt = dur / 20, dur / 200.5  # 200 whole periods, robust to rounding of the window length
    a = kernel_rate(st, h, kind, sampling_period=dt)
    scaled = ss.SpikeTrains(st.times * c, st.offsets, st.t_start * c, st.t_stop * c)
    b = kernel_rate(scaled, h * c, kind, sampling_period=dt * c)
    assert b.rates.shape == a.rates.shape == (len(st), 200)
    rtol = 1e-9 + 40.0 * 8.0 * float(np.abs(st.t_stop).max()) * np.finfo(float).eps / h
    np.testing.assert_allclose(b.rates * c, a.rates, rtol=rtol, atol=rtol / h)


@given(hs.lists(hs.floats(0.3, 0.7), min_size=1, max_size=15), hs.sampled_from(KERNELS), hs.booleans())
def test_rate_integrates_to_spike_count(spikes, kind, causal):
    """Away from the window's ends the Riemann sum of the rate equals the spike count.

    Spikes sit at least 0.3 s (> the support, 8 SD of 0.03 s) inside [0, 1]; the
    grid sum of a smooth kernel is exact to rounding, that of a kinked one
    (compact kernels, causal halves) to O(dt^2 / h^2) per spike.
    """
    st = ss.SpikeTrains.from_list([sorted(spikes)], 0.0, 1.0)
    r = kernel_rate(st, 0.03, kind, causal=causal, sampling_period=1e-4)
    total = r.rates.sum() * 1e-4
    smooth = kind == "gaussian" and not causal
    # a kink or jump of the kernel costs at most one sample of error: k_max * dt per spike
    tol = 1e-9 if smooth else len(spikes) * 3.0 / (0.03 * math.sqrt(3.0)) * 1e-4
    assert total == pytest.approx(len(spikes), abs=tol)


@given(spike_trains(max_trains=2, max_spikes=10, common_window=True, min_trains=1), hs.sampled_from(KERNELS))
def test_edge_corrected_rate_is_the_plain_rate_over_the_mass(st, kind):
    causal = False
    dur = float(st.t_stop[0] - st.t_start[0])
    a = kernel_rate(st, dur / 10, kind, sampling_period=dur / 100)
    b = kernel_rate(st, dur / 10, kind, sampling_period=dur / 100, edge_correction=True)
    # a causal kernel has no mass in the window at t_start: the corrected rate is NaN there, and only there
    undefined = np.isnan(b.rates)
    assert not np.any(undefined[:, 1:]) and (not np.any(undefined) or kind in CAUSAL_KERNELS or causal)
    assert np.all(b.rates[~undefined] >= a.rates[~undefined] * (1 - 1e-12))
    if kind not in ("exponential", "alpha"):  # symmetric kernels of SD dur/10 lose < 1e-6 of their mass mid-window
        mid = np.abs(a.times - (st.t_start[0] + dur / 2)) < dur / 100
        np.testing.assert_allclose(b.rates[:, mid], a.rates[:, mid], rtol=1e-6, atol=1e-300)


def test_non_finite_spike_times_are_rejected():
    with pytest.raises(ValidationError, match="finite"):
        kernel_rate(np.array([0.1, np.nan, 0.5]), 0.05, t_stop=1.0)
    with pytest.raises(ValidationError, match="finite"):
        optimal_bandwidth([np.array([0.1, np.inf])], t_stop=1.0)


# ------------------------------------------------------------------ Fourier path of the Gaussian rate
#: The Fourier and direct paths agree to rounding: 1e-12 of the largest rate (Fourier terms below e^-50 dropped).
FFT_RTOL = 1e-12


def test_spike_spectra_match_naive(st):
    rows = np.array([0, 1, 2])
    ours = K.spike_spectra(st.times, st.offsets, rows, 0.1, 3.7, 150)  # 150 > RESTART: restarts are exercised
    np.testing.assert_allclose(ours, naive.spike_spectra(st.to_list(), 0.1, 3.7, 150), rtol=0, atol=1e-12)


@pytest.mark.parametrize("h", [0.004, 0.03, 0.2, 1.5])
@pytest.mark.parametrize("edge_correction", [False, True])
def test_fft_rates_equal_direct_rates(st, h, edge_correction):
    kw = dict(sampling_period=0.001, edge_correction=edge_correction)
    direct = kernel_rate(st, h, method="direct", **kw)
    fft = kernel_rate(st, h, method="fft", **kw)
    assert direct.evaluation == "direct" and fft.evaluation == "fft"
    np.testing.assert_array_equal(fft.rates[1], 0.0 * fft.rates[1])  # no spikes: zero (to rounding: exactly)
    np.testing.assert_allclose(fft.rates, direct.rates, rtol=0, atol=FFT_RTOL * np.abs(direct.rates).max())
    # the Fourier rate integrates to the spike count when the kernel is inside the window
    if h == 0.004:
        np.testing.assert_allclose(fft.rates.sum(axis=1) * 0.001, np.diff(st.offsets), rtol=1e-9)


def test_fft_per_train_auto_bandwidths_and_choice():
    rng = np.random.default_rng(5)
    st = ss.generators.PoissonProcess(rate=15.0).simulate(n_trains=6, t_stop=4.0, rng=rng)
    for per_train in (False, True):
        a = kernel_rate(st, "auto", per_train=per_train, method="direct")
        b = kernel_rate(st, "auto", per_train=per_train, method="fft")
        np.testing.assert_array_equal(a.bandwidth, b.bandwidth)
        np.testing.assert_allclose(b.rates, a.rates, rtol=0, atol=FFT_RTOL * a.rates.max())
    # "auto" takes the path of less work (spikes x support points against spikes x frequencies plus the FFT):
    # Fourier for a wide kernel on many spikes, direct for a narrow one or few spikes
    dense = ss.generators.PoissonProcess(rate=100.0).simulate(n_trains=2, t_stop=4.0, rng=rng)
    assert kernel_rate(dense, 0.5).evaluation == "fft"
    assert kernel_rate(st, 0.5).evaluation == "direct"
    assert kernel_rate(st, 0.002).evaluation == "direct"
    # kernels the Fourier path does not cover always go direct
    assert kernel_rate(st, 0.5, "boxcar").evaluation == "direct"
    assert kernel_rate(st, 0.5, cutoff=5.0).evaluation == "direct"


def test_fft_below_three_sampling_periods_goes_direct(st):
    r = kernel_rate(st, 0.002, sampling_period=0.001, method="fft")  # too few grid points per SD for the series
    assert r.evaluation == "direct"
    np.testing.assert_array_equal(r.rates, kernel_rate(st, 0.002, sampling_period=0.001, method="direct").rates)


def test_bad_method(st):
    with pytest.raises(ValidationError, match="`method` must be"):
        kernel_rate(st, 0.02, method="binned")
    for kw in (dict(kernel="boxcar"), dict(causal=True), dict(cutoff=5.0)):
        with pytest.raises(ValidationError, match="Fourier path is for the Gaussian"):
            kernel_rate(st, 0.02, method="fft", **kw)
    with pytest.raises(ValidationError, match="Fourier path"):
        kernel_rate(st, "adaptive", method="fft")


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(20))
def test_fft_equals_direct_seed_sweep(seed):
    rng = np.random.default_rng(seed)
    t0 = rng.uniform(-5.0, 50.0)
    st = ss.generators.PoissonProcess(rate=rng.uniform(5.0, 60.0)).simulate(n_trains=3, t_stop=3.0, rng=rng)
    st = ss.SpikeTrains.from_list([x + t0 for x in st.to_list()], t0, t0 + 3.0)
    h = float(np.exp(rng.uniform(np.log(0.005), np.log(2.0))))
    dt = float(rng.choice([0.001, 0.002, 2.0**-10]))
    direct = kernel_rate(st, h, sampling_period=dt, method="direct").rates
    fft = kernel_rate(st, h, sampling_period=dt, method="fft").rates
    np.testing.assert_allclose(fft, direct, rtol=0, atol=FFT_RTOL * max(direct.max(), 1.0))
