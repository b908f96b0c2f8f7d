"""Seeded statistical checks of the online detectors.

- Multiple filter test: under a stationary Poisson or gamma renewal train the
  familywise false-positive rate is at most ``alpha`` (tolerance
  ``familywise_rate_tol``); a known rate step is found with a small
  localisation error.
- BOCPD: after a rate change the run-length posterior collapses onto the new
  segment, and the median delay shrinks as the rate ratio grows.
"""

from __future__ import annotations

import numpy as np
import pytest

from spikestats.changepoint.bocpd import BayesianOnline
from spikestats.changepoint.mft import mft_null, multiple_filter_test
from spikestats.generators import GammaProcess, PoissonProcess
from tests._tolerances import binomial_tol, familywise_rate_tol

ALPHA = 0.05
T_STOP = 100.0
WINDOWS = (4.0, 8.0)  # 50 Hz: about 200 and 400 spikes per window


def _false_positive_rate(model, n_datasets: int, n_simulations: int, seed: int) -> float:
    null = mft_null(T_STOP, WINDOWS, n_simulations=n_simulations, rng=seed)
    st = model.simulate(n_datasets, t_start=0.0, t_stop=T_STOP, rng=seed + 1)
    hits = [multiple_filter_test(st[i:i + 1], WINDOWS, alpha=ALPHA, null=null).n_changes > 0 for i in range(n_datasets)]
    return float(np.mean(hits))


MODELS = {"poisson": PoissonProcess(rate=50.0), "gamma_k2": GammaProcess(rate=50.0, shape=2.0)}


@pytest.mark.parametrize("name", list(MODELS))
def test_mft_familywise_false_positive_rate_is_at_most_alpha(name):
    n, sims = 150, 4000
    rate = _false_positive_rate(MODELS[name], n, sims, seed=11)
    assert rate <= ALPHA + familywise_rate_tol(ALPHA, n, sims)


@pytest.mark.slow
@pytest.mark.parametrize("name", list(MODELS))
@pytest.mark.parametrize("seed", range(0, 100, 10))
def test_mft_familywise_false_positive_rate_seed_sweep(name, seed):
    n, sims = 400, 10_000
    rate = _false_positive_rate(MODELS[name], n, sims, seed=seed)
    assert rate <= ALPHA + familywise_rate_tol(ALPHA, n, sims)


def _step(rng, rates, change, t_stop):
    a = np.sort(rng.uniform(0, change, rng.poisson(rates[0] * change)))
    b = np.sort(rng.uniform(change, t_stop, rng.poisson(rates[1] * (t_stop - change))))
    return np.concatenate([a, b])


def _localisation(seeds, windows=WINDOWS):
    null = mft_null(T_STOP, windows, n_simulations=2000, rng=5)
    found, errors = 0, []
    for s in seeds:
        rng = np.random.default_rng(s)
        change = rng.uniform(30, 70)
        res = multiple_filter_test(_step(rng, (40.0, 80.0), change, T_STOP), windows, null=null, t_stop=T_STOP)
        if res.n_changes == 1:
            found += 1
            errors.append(abs(res.change_times[0] - change))
    return found / len(seeds), np.array(errors)


def test_mft_finds_a_rate_step_and_localises_it():
    """40 -> 80 Hz at a random time: one change found in nearly every train, within a fraction of a window."""
    power, errors = _localisation(range(30))
    assert power >= 0.9
    assert np.mean(errors) < 0.25 * WINDOWS[0] and np.max(errors) < WINDOWS[0]


@pytest.mark.slow
def test_mft_localisation_seed_sweep():
    power, errors = _localisation(range(1000, 1200))
    assert power >= 0.9 - binomial_tol(0.9, 200)
    assert np.mean(errors) < 0.25 * WINDOWS[0]


def _collapse_delay(ratio: float, seed: int, base: float = 2.0, tau: int = 200, slack: int = 5) -> int:
    """Steps after the change until most posterior mass sits on runs that began at most ``slack`` steps early."""
    rng = np.random.default_rng(seed)
    x = np.concatenate([rng.poisson(base, tau), rng.poisson(base * ratio, 200)])
    post = BayesianOnline(hazard=1 / 200, prior=(1.0, 0.5)).fit(x).run_length_posterior_
    for t in range(tau, x.size):
        if post[t + 1, :t + 1 - tau + slack + 1].sum() > 0.5:
            return t - tau + 1
    return x.size  # never collapsed


RATIOS = (1.5, 2.0, 4.0, 8.0)


def _median_delays(seeds):
    return np.array([np.median([_collapse_delay(r, s) for s in seeds]) for r in RATIOS])


def test_bocpd_collapse_delay_shrinks_as_the_rate_ratio_grows():
    delays = _median_delays(range(15))
    assert np.all(np.diff(delays) <= 0) and delays[0] > delays[-1]
    assert delays[0] < 200 and delays[-1] <= 3  # the change is found at every ratio; at 8x almost at once


@pytest.mark.slow
def test_bocpd_collapse_delay_seed_sweep():
    delays = _median_delays(range(100, 160))
    assert np.all(np.diff(delays) <= 0) and delays[0] > 2 * delays[-1]
