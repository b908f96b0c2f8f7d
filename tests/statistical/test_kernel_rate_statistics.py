"""Rates in distribution: optimal and adaptive bandwidths, the PSTH's standard error, real recordings.

Inhomogeneous Poisson trials are drawn here by thinning (test-only numpy
code), so the true rate is known exactly.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from _tolerances import ise_ratio_margin, kernel_ise_tol, psth_se_tol

import spikestats as ss
from spikestats.stats._bandwidth import optimal_bandwidth
from spikestats.stats.kernel_rate import kernel_rate
from spikestats.stats.psth import psth

DT = 0.001


def thinned_poisson(rng: np.random.Generator, rate, rate_max: float, t_stop: float, n: int) -> ss.SpikeTrains:
    """``n`` inhomogeneous Poisson trials of intensity ``rate(t)`` <= ``rate_max`` on [0, t_stop] (thinning)."""
    trains = []
    for _ in range(n):
        x = np.sort(rng.uniform(0.0, t_stop, rng.poisson(rate_max * t_stop)))
        trains.append(x[rng.uniform(size=x.size) * rate_max < rate(x)])
    return ss.SpikeTrains.from_list(trains, 0.0, t_stop)


def ise(result, rate, lo: float, hi: float) -> float:
    """Integrated squared error of the trial-averaged kernel rate on [lo, hi) (Hz^2 s)."""
    m = (result.times >= lo) & (result.times < hi)
    return float(np.sum((result.mean_rate[m] - rate(result.times[m])) ** 2) * result.sampling_period)


# ------------------------------------------------------------------ optimal fixed bandwidth on a sinusoid
A, B, F, T_SIN, N_SIN = 30.0, 20.0, 2.0, 2.0, 30
LO, HI = 0.25, 1.75  # away from the window's ends


def sinusoid(t):
    return A + B * np.sin(2 * np.pi * F * t)


def sinusoid_amise() -> tuple[float, float]:
    """Minimum over w of the Gaussian-kernel AMISE on [LO, HI] for N_SIN trials, and its argmin."""
    w = 2 * np.pi * F
    int_rate = A * (HI - LO) + B / w * (np.cos(w * LO) - np.cos(w * HI))
    int_curv2 = (B * w * w) ** 2 * ((HI - LO) / 2 - (np.sin(2 * w * HI) - np.sin(2 * w * LO)) / (4 * w))
    w_opt = (int_rate / (2 * math.sqrt(math.pi) * N_SIN * int_curv2)) ** 0.2
    return int_rate / (2 * math.sqrt(math.pi) * w_opt * N_SIN) + w_opt**4 / 4 * int_curv2, w_opt


def check_sinusoid(seed: int) -> None:
    st = thinned_poisson(np.random.default_rng(seed), sinusoid, A + B, T_SIN, N_SIN)
    est = kernel_rate(st, "auto", sampling_period=DT)
    amise, w_opt = sinusoid_amise()
    err = ise(est, sinusoid, LO, HI)
    assert err <= kernel_ise_tol(amise, HI - LO, w_opt), (seed, err, amise)
    # the squared error is a small part of the rate's own energy
    assert err < 0.05 * np.sum(sinusoid(est.times[(est.times >= LO) & (est.times < HI)]) ** 2) * DT


def test_optimal_bandwidth_recovers_a_sinusoid():
    check_sinusoid(20261121)


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(30))
def test_optimal_bandwidth_recovers_a_sinusoid_sweep(seed):
    check_sinusoid(seed)


# ------------------------------------------------------------------ adaptive bandwidth on a rate step
T_STEP, N_STEP = 2.0, 20


def step(t):
    return np.where(t < 1.0, 5.0, 50.0)


def step_errors(seed: int) -> tuple[float, float, float]:
    """ISE of the adaptive estimate, of the best fixed bandwidth (oracle, over a fine grid) and of 'auto'."""
    st = thinned_poisson(np.random.default_rng(seed), step, 50.0, T_STEP, N_STEP)
    lo, hi = 0.2, 1.8
    adaptive = ise(kernel_rate(st, "adaptive", sampling_period=0.002), step, lo, hi)
    best_fixed = min(ise(kernel_rate(st, w, sampling_period=0.002), step, lo, hi)
                     for w in np.geomspace(0.003, 0.5, 60))
    auto = ise(kernel_rate(st, "auto", sampling_period=0.002), step, lo, hi)
    return adaptive, best_fixed, auto


def test_adaptive_bandwidth_tracks_a_step_better_than_the_best_fixed():
    """Shimazaki & Shinomoto (2010), sec. 2.3: a locally adaptive bandwidth beats any fixed one on a rate step."""
    adaptive, best_fixed, auto = step_errors(20261121)
    assert adaptive < ise_ratio_margin() * best_fixed
    assert best_fixed <= auto


@pytest.mark.slow
def test_adaptive_bandwidth_step_sweep():
    """Over 20 seeds the mean ISE (the MISE) of the adaptive estimate is below that of the best fixed bandwidth."""
    errs = np.array([step_errors(seed)[:2] for seed in range(20)])
    assert errs[:, 0].mean() < ise_ratio_margin() * errs[:, 1].mean()


def test_adaptive_bandwidth_is_narrow_at_the_step():
    st = thinned_poisson(np.random.default_rng(4), step, 50.0, T_STEP, N_STEP)
    est = kernel_rate(st, "adaptive", sampling_period=0.002)
    h = est.bandwidth[0]
    assert est.bandwidth.shape == (N_STEP, est.times.size) and np.all(est.bandwidth == h)
    at_step = h[np.abs(est.times - 1.0) < 0.05].mean()
    assert at_step < h[est.times < 0.6].mean() and np.all(est.rates >= 0)


# ------------------------------------------------------------------ PSTH standard error
RATE, N_PSTH, BIN = 20.0, 200, 0.1


def check_psth_se(seed: int) -> None:
    st = ss.generators.PoissonProcess(rate=RATE).simulate(n_trains=N_PSTH, t_stop=2.0, rng=seed)
    p = psth(st, BIN)
    expected = math.sqrt(RATE / (N_PSTH * BIN))
    # bins of a Poisson process are independent: the mean over bins has SE / sqrt(n_bins)
    assert abs(p.se.mean() - expected) <= psth_se_tol(RATE, BIN, N_PSTH) / math.sqrt(p.n_bins)


def test_poisson_psth_standard_error():
    check_psth_se(20261121)


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(30))
def test_poisson_psth_standard_error_sweep(seed):
    check_psth_se(seed)


# ------------------------------------------------------------------ real recordings
def test_kramer_eden_stn_raster(shared_data):
    """The 50-trial subthalamic raster of Kramer & Eden (ch. 10): PSTH, optimal and adaptive kernel rates."""
    from scipy.io import loadmat

    mat = loadmat(shared_data / "kramer_eden_case_studies" / "10_spikes-1.mat")
    raster = np.asarray(mat["train"])
    st = ss.SpikeTrains.from_raster(raster, 0.001)
    assert st.n_trains == 50 and st.n_spikes == raster.sum()
    p = psth(st, 0.05)
    assert p.rate.mean() == pytest.approx(raster.sum() / (50 * 2.0), rel=1e-12)
    assert np.all(p.se > 0) and np.all(np.isfinite(p.se))
    w = optimal_bandwidth(st)
    assert 0.002 < w < 0.5  # between the 1 ms resolution and a quarter of the trial
    est = kernel_rate(st, "auto", edge_correction=True)
    assert est.bandwidth[0] == w
    # the trial-averaged kernel rate agrees with the PSTH on 50 ms bins to a few standard errors overall
    per_bin = est.mean_rate[: 2000].reshape(40, 50).mean(axis=1)
    assert np.abs(per_bin - p.rate).mean() < 3 * p.se.mean()
    adaptive = kernel_rate(st, "adaptive")
    assert np.all(np.isfinite(adaptive.rates)) and np.all(adaptive.rates >= 0)
    assert adaptive.mean_rate.mean() == pytest.approx(p.rate.mean(), rel=0.1)


def test_grasshopper_receptor_single_train(shared_data):
    """One 10 s receptor recording near 90 Hz: a per-train bandwidth and a kernel rate averaging to its rate."""
    path = shared_data / "nitime_grasshopper_Rokem2006" / "grasshopper_spike_times1.txt"
    times = np.loadtxt(path) * 1e-6
    st = ss.SpikeTrains.from_list([times], float(times[0]), float(times[-1]))
    mean_rate = (times.size - 1) / (times[-1] - times[0])
    est = kernel_rate(st, "auto", per_train=True, edge_correction=True)
    assert 0.001 < est.bandwidth[0] < 1.0
    assert est.rates[0].mean() == pytest.approx(mean_rate, rel=0.02)
    assert np.all(est.rates >= 0)
