"""stdp_weight_change: the issue's numbers, pairing schemes, naive twin, bad input."""

from __future__ import annotations

import math

import numpy as np
import pytest
from reference import naive_stats

import spikestats as ss
from spikestats import units as u
from spikestats._kernels.plasticity import stdp_pairs
from spikestats.exceptions import ValidationError
from spikestats.stats.plasticity import stdp_weight_change


def test_issue_numbers():
    # A+ = 0.1, A- = 0.12, tau = 20 ms: +0.1 exp(-10/20) and -0.12 exp(-15/20)
    up = stdp_weight_change([100 * u.ms], [110 * u.ms], a_plus=0.1, a_minus=0.12, tau_plus=20 * u.ms,
                            tau_minus=20 * u.ms)
    down = stdp_weight_change([100 * u.ms], [85 * u.ms])
    assert round(up, 4) == 0.0607 and up == pytest.approx(0.1 * math.exp(-0.5), rel=1e-14)
    assert round(down, 4) == -0.0567 and down == pytest.approx(-0.12 * math.exp(-0.75), rel=1e-14)
    for pairing in ("all", "nearest"):
        assert stdp_weight_change([0.1], [0.11], pairing=pairing) == pytest.approx(up, rel=1e-15)
        assert stdp_weight_change([0.1], [0.085], pairing=pairing) == pytest.approx(down, rel=1e-15)


def test_pairing_schemes_differ_as_documented():
    pre, post = [0.100, 0.105], [0.110]
    # all pairs: both pre spikes potentiate; nearest: only the later one
    assert stdp_weight_change(pre, post) == pytest.approx(0.1 * (math.exp(-0.5) + math.exp(-0.25)), rel=1e-14)
    assert stdp_weight_change(pre, post, pairing="nearest") == pytest.approx(0.1 * math.exp(-0.25), rel=1e-14)
    # simultaneous spikes do not pair
    assert stdp_weight_change([0.1], [0.1]) == 0.0


@pytest.mark.parametrize("nearest", [False, True])
def test_kernel_matches_twin(nearest, rng):
    pre = ss.SpikeTrains.from_list([np.sort(rng.uniform(0, 1, k)) for k in (0, 3, 40, 25)], 0.0, 1.0)
    post = ss.SpikeTrains.from_list([np.sort(rng.uniform(0, 1, k)) for k in (5, 0, 30, 25)], 0.0, 1.0)
    args = (pre.times, pre.offsets, post.times, post.offsets, 0.1, 0.12, 0.02, 0.03, nearest)
    np.testing.assert_allclose(stdp_pairs(*args), naive_stats.stdp_pairs(*args), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(stdp_weight_change(pre, post, 0.1, 0.12, 0.02, 0.03,
                                                  "nearest" if nearest else "all"), stdp_pairs(*args))


def test_long_trains_do_not_overflow():
    t = np.arange(0, 1000.0, 0.05)
    value = stdp_weight_change(t, t + 0.01)
    assert np.isfinite(value)


def test_bad_input():
    with pytest.raises(ValidationError, match="Did you mean 'nearest'"):
        stdp_weight_change([0.1], [0.2], pairing="nearst")
    with pytest.raises(ValidationError, match="`tau_plus` must be > 0"):
        stdp_weight_change([0.1], [0.2], tau_plus=0.0)
    with pytest.raises(ValidationError, match="`a_minus` must be >= 0"):
        stdp_weight_change([0.1], [0.2], a_minus=-0.1)
    with pytest.raises(ValidationError, match="finite"):
        stdp_weight_change([0.1, np.nan], [0.2])
