"""An explosive GLM (excitatory history through the exponential link) stops with a clear error, not a hang."""

from __future__ import annotations

import numpy as np
import pytest

import spikestats as ss
from spikestats.exceptions import ValidationError


def test_self_exciting_poisson_glm_raises_instead_of_running_away():
    # +0.58 per lag over 20 lags at 5 ms bins: each spike raises the rate e^0.58 ~ 1.8 times for 100 ms
    neuron = ss.generators.GLMNeuron(intercept=np.log(20.0), history=np.full(20, 0.58), bin_size=5e-3)
    with pytest.raises(ValidationError, match="explosive"):
        neuron.simulate(n_trials=2, t_stop=20.0, rng=1)


def test_the_same_filter_is_fine_with_bernoulli_bins():
    neuron = ss.generators.GLMNeuron(intercept=np.log(20.0), history=np.full(20, 0.58), bin_size=5e-3,
                                     family="bernoulli")
    st = neuron.simulate(n_trials=2, t_stop=2.0, rng=1)
    assert np.all(st.counts <= 2.0 / 5e-3)  # at most one spike per bin
