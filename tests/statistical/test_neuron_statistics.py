"""Noisy neuron models against their theory: the free membrane's Ornstein-Uhlenbeck law and the Siegert rate.

Noise convention (LIF and AdEx): ``sigma`` is the standard deviation of the
free membrane potential, ``dV = (V_inf - V) / tau_m dt + sigma sqrt(2 / tau_m) dW``.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from _tolerances import correlation_tol, normal_mean_tol, normal_variance_tol, renewal_rate_tol
from scipy import integrate, special

import spikestats as ss

SEEDS = [20261121]
SWEEP = list(range(20))
SIGMA = 3e-3
#: a threshold far above the membrane's range: the membrane stays free
FREE = {"v_th": 0.5}


def _check_free_membrane(model, seed: int, n: int, v_inf: float, tau: float, current: float, dt: float) -> None:
    """At t = 10 tau the membrane is N(v_inf, sigma^2); V(t) and V(t + tau) correlate as exp(-1)."""
    t_probe = 10 * tau
    st, ds = model.simulate(current, t_probe + tau + dt, dt=dt, n_neurons=n, rng=seed, record=True,
                            record_every=tau)
    assert st.n_spikes == 0
    v = ds["v"].values
    k = int(round(t_probe / tau))
    x, y = v[k], v[k + 1]
    assert abs(x.mean() - v_inf) < normal_mean_tol(SIGMA, n)
    assert abs(x.var(ddof=1) - SIGMA**2) < normal_variance_tol(SIGMA**2, n)
    rho = math.exp(-1.0)
    assert abs(np.corrcoef(x, y)[0, 1] - rho) < correlation_tol(rho, n)


@pytest.mark.parametrize("seed", SEEDS)
def test_lif_free_membrane_is_the_ou_process(seed):
    m = ss.generators.LIF(sigma=SIGMA, **FREE)
    _check_free_membrane(m, seed, 3000, m.v_rest + m.r_m * 0.1e-9, m.tau_m, 0.1e-9, 1e-4)


@pytest.mark.parametrize("seed", SEEDS)
def test_adex_free_membrane_has_the_same_noise_convention(seed):
    """AdEx with a = b = 0 and no exponential is the same OU process, integrated by Euler-Maruyama.

    Euler-Maruyama's stationary variance is sigma^2 / (1 - dt / (2 tau_m)), 0.25 % high here: far inside 5 SE.
    """
    m = ss.generators.AdEx(delta_t=0.0, a=0.0, b=0.0, v_spike=0.5, sigma=SIGMA)
    _check_free_membrane(m, seed, 3000, m.e_l + 0.1e-9 / m.g_l, m.tau_m, 0.1e-9, 1e-4)


def siegert_rate(m, mu: float, v_th: float) -> float:
    """Stationary rate of the LIF with white noise (Siegert 1951; Brunel 2000, eq. 21).

    1 / rate = t_ref + tau_m sqrt(pi) int_{(v_reset - mu) / s}^{(v_th - mu) / s} e^{u^2} (1 + erf u) du,
    with s = sqrt(2) sigma (Brunel's sigma; ours is the free membrane's SD).
    """
    s = math.sqrt(2.0) * m.sigma
    integral, _ = integrate.quad(lambda u: special.erfcx(-u), (m.v_reset - mu) / s, (v_th - mu) / s)
    return 1.0 / (m.t_ref + m.tau_m * math.sqrt(math.pi) * integral)


def _check_siegert(seed: int, n: int, t_stop: float) -> None:
    """The simulated rate lies between the Siegert rate and the rate with the discrete-time threshold shift.

    A process observed every dt misses crossings that return within a step,
    which acts as a threshold raised by s * |zeta(1/2)| / sqrt(2) * sqrt(dt /
    tau_m) (Brunel & Hakim 1999, Fourcaud & Brunel 2002 appendix); the bounds
    are widened by 5 SE of a renewal count.
    """
    m = ss.generators.LIF(sigma=4e-3, t_ref=2e-3)
    current, dt, warm = 0.18e-9, 1e-5, 0.1
    mu = m.v_rest + m.r_m * current
    st = m.simulate(current, t_stop, dt=dt, n_neurons=n, rng=seed)
    late = st.times[st.times > warm]
    total_time = n * (t_stop - warm)
    rate = late.size / total_time
    isis = ss.stats.isi(st).values
    cv = isis.std() / isis.mean()
    shift = math.sqrt(2.0) * m.sigma * abs(special.zeta(0.5)) / math.sqrt(2.0) * math.sqrt(dt / m.tau_m)
    upper, lower = siegert_rate(m, mu, m.v_th), siegert_rate(m, mu, m.v_th + shift)
    tol = renewal_rate_tol(upper, cv, total_time)
    assert lower - tol < rate < upper + tol, (rate, lower, upper, tol)


@pytest.mark.parametrize("seed", SEEDS)
def test_noisy_lif_rate_matches_siegert(seed):
    _check_siegert(seed, 400, 2.0)


@pytest.mark.slow
@pytest.mark.parametrize("seed", SWEEP)
def test_seed_sweep(seed):
    lif = ss.generators.LIF(sigma=SIGMA, **FREE)
    _check_free_membrane(lif, seed, 1500, lif.v_rest + lif.r_m * 0.1e-9, lif.tau_m, 0.1e-9, 1e-4)
    adex = ss.generators.AdEx(delta_t=0.0, a=0.0, b=0.0, v_spike=0.5, sigma=SIGMA)
    _check_free_membrane(adex, seed, 1500, adex.e_l + 0.1e-9 / adex.g_l, adex.tau_m, 0.1e-9, 1e-4)
    _check_siegert(seed, 200, 2.0)
