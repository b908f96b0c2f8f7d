"""HistoryGLM and PopulationGLM: composition over PoissonGLM, filters with bands, intensity, simulation."""

from __future__ import annotations

import numpy as np
import pytest

import spikestats as ss
from spikestats.exceptions import NotFittedError, ValidationError
from spikestats.glm import (ExponentialBasis, FIRBasis, HistoryGLM, PoissonGLM, PopulationGLM, RaisedCosineBasis,
                            design_matrix)

BASIS = RaisedCosineBasis(n_basis=4, t_max=0.03, offset=0.002)
W = np.array([-4.0, -1.0, 0.3, -0.2])


@pytest.fixture(scope="module")
def refractory():
    h = BASIS.sample(0.001) @ W
    return ss.generators.GLMNeuron(intercept=np.log(30.0), history=h).simulate(n_trials=4, t_stop=5.0, rng=11)


def test_fit_is_poissonglm_on_the_design(refractory):
    m = HistoryGLM(history=BASIS).fit(refractory)
    d = design_matrix(refractory, 0.001, history=BASIS)
    ref = PoissonGLM().fit(d.X, d.y, offset=d.offset)
    np.testing.assert_allclose(m.coef_, ref.coef_, rtol=1e-12)
    np.testing.assert_allclose(m.stderr_, ref.stderr_, rtol=1e-12)
    assert m.log_likelihood_ == ref.log_likelihood_ and m.aic_ == ref.aic_
    assert m.feature_names_ == d.names and m.unit_ == 0


def test_history_filter_and_band_from_the_covariance(refractory):
    m = HistoryGLM(history=BASIS).fit(refractory)
    f = m.history_filter_
    b = BASIS.sample(0.001)
    np.testing.assert_allclose(f.lags, np.arange(1, 31) * 1e-3)
    np.testing.assert_allclose(f.log_gain, b @ m.coef_, rtol=1e-12)
    cov = m.cov_[1:, 1:]
    np.testing.assert_allclose(f.stderr, np.sqrt(np.diag(b @ cov @ b.T)), rtol=1e-10)
    np.testing.assert_allclose(f.lower, np.exp(f.log_gain - 1.959963984540054 * f.stderr), rtol=1e-12)
    assert np.all(f.lower <= f.gain) and np.all(f.gain <= f.upper) and np.all(f.lower[:-1] < f.upper[:-1])
    assert f.gain[0] < 0.1  # refractory


def test_conditional_intensity_is_predict_over_bin_size_and_refines(refractory):
    m = HistoryGLM(history=BASIS).fit(refractory)
    d = design_matrix(refractory, 0.001, history=BASIS)
    ci = m.conditional_intensity(refractory)
    np.testing.assert_allclose(ci.rate, m.estimator_.predict(d.X, d.offset) / 0.001, rtol=1e-12)
    fine = m.conditional_intensity(refractory, bin_size=0.0005)
    assert fine.rate.size == 2 * ci.rate.size
    # far from any spike both resolutions give the baseline exp(intercept)
    quiet = np.flatnonzero(np.isclose(ci.rate, np.exp(m.intercept_), rtol=1e-12, atol=0))
    assert quiet.size and np.allclose(fine.rate[2 * quiet], np.exp(m.intercept_), rtol=1e-3)  # a spike 29.5 ms back: tail
    with pytest.raises(ValidationError, match="divided by a whole number"):
        m.conditional_intensity(refractory, bin_size=0.0003)


def test_bits_per_spike_on_training_data(refractory):
    m = HistoryGLM(history=BASIS).fit(refractory)
    expect = (m.log_likelihood_ - m.null_log_likelihood_) / (m.n_spikes_ * np.log(2))
    assert m.bits_per_spike(refractory) == pytest.approx(expect, rel=1e-9)
    assert m.bits_per_spike(refractory) > 0


def test_simulate_is_the_generators_kernel_bit_for_bit(refractory):
    m = HistoryGLM(history=BASIS).fit(refractory)
    ours = m.simulate(3.0, 5, rng=42)
    gen = ss.generators.GLMNeuron(intercept=m.intercept_, history=m.history_filter_.log_gain).simulate(
        n_trials=5, t_stop=3.0, rng=42)
    np.testing.assert_array_equal(ours.times, gen.times)
    np.testing.assert_array_equal(ours.offsets, gen.offsets)
    assert ours == m.simulate(3.0, 5, rng=42)
    np.testing.assert_array_equal(ours.trial, np.arange(5))


def test_stimulus_model_fits_and_simulates(rng):
    t = np.arange(0.0, 4.0, 0.001)
    s = np.sin(2 * np.pi * 3 * t)
    neuron = ss.generators.GLMNeuron(intercept=np.log(20.0), stimulus_filter=[1.0])
    st = neuron.simulate(n_trials=3, t_stop=4.0, stimulus=s, rng=3)
    m = HistoryGLM(history=FIRBasis(5, 0.005)).fit(st, stimulus=(t, s))
    f = m.filters_["stimulus"]
    assert f.lags.tolist() == [0.0] and abs(f.log_gain[0] - 1.0) < 5 * f.stderr[0]
    sim = m.simulate(4.0, 2, stimulus=(t, s), rng=1)
    assert len(sim) == 2
    ks = ss.glm.time_rescaling_test(st, m, stimulus=(t, s), rng=0)
    assert 0.9 * st.n_spikes < ks.n <= st.n_spikes - 3 and ks.within_band  # one interval per spike bin
    with pytest.raises(ValidationError, match="`stimulus` must be given exactly when"):
        m.simulate(4.0, 2, rng=1)
    lagged = HistoryGLM(history=None, stimulus_basis=ExponentialBasis((0.002, 0.01))).fit(st, stimulus=(t, s))
    assert lagged.filters_["stimulus"].lags.size == 50


def test_population_fits_coupling_per_pair_and_simulates():
    basis = RaisedCosineBasis(3, 0.02, offset=0.002)
    b = basis.sample(0.001)
    hist = np.zeros((2, 2, b.shape[0]))
    hist[0, 0] = b @ [-3.0, -0.5, 0.0]
    hist[1, 1] = b @ [-3.0, -0.5, 0.0]
    hist[1, 0] = b @ [1.0, 0.5, 0.0]  # unit 0 excites unit 1
    st = ss.generators.GLMPopulation(intercept=np.log([20.0, 20.0]), history=hist).simulate(
        n_trials=4, t_stop=5.0, rng=2)
    pop = PopulationGLM(history=basis, n_jobs=2).fit(st)
    assert set(pop.filters_) == {(0, 0), (0, 1), (1, 0), (1, 1)}
    f10 = pop.filters_[1, 0]
    assert np.mean(f10.log_gain[:5]) > 0.3
    serial = PopulationGLM(history=basis, n_jobs=1).fit(st)
    np.testing.assert_array_equal(pop.models_[1].coef_, serial.models_[1].coef_)
    arr = pop.filter_array()
    assert arr.shape == (2, 2, 20)
    np.testing.assert_allclose(arr[1, 0], f10.log_gain)
    sim = pop.simulate(2.0, 3, rng=0)
    assert len(sim) == 6 and sim.unit.tolist() == [0, 1] * 3
    twin = ss.generators.GLMPopulation(intercept=pop.intercept_, history=arr).simulate(n_trials=3, t_stop=2.0, rng=0)
    np.testing.assert_array_equal(sim.times, twin.times)
    np.testing.assert_array_equal(sim.offsets, twin.offsets)
    assert sim == pop.simulate(2.0, 3, rng=0)
    with pytest.raises(ValidationError, match="a model without coupling"):
        pop.models_[0].simulate(1.0, rng=0)


def test_bernoulli_links(refractory):
    log = HistoryGLM(history=BASIS, family="bernoulli").fit(refractory)
    assert log.estimator_.link == "cloglog"
    poisson = HistoryGLM(history=BASIS).fit(refractory)
    # at 1 ms bins and 30 Hz the cloglog-Bernoulli and Poisson fits nearly agree
    assert np.all(np.abs(log.coef_ - poisson.coef_) <= 5 * poisson.stderr_[1:])
    logit = HistoryGLM(history=BASIS, family="bernoulli", link="logit").fit(refractory)
    assert logit.intercept_ < -3  # log-odds per 1 ms bin
    assert np.all(logit.conditional_intensity(refractory).rate > 0)
    for model, link in ((log, "log"), (logit, "logit")):
        sim = model.simulate(2.0, 2, rng=5)
        twin = ss.generators.GLMNeuron(intercept=model.intercept_, history=model.history_filter_.log_gain,
                                       family="bernoulli", link=link).simulate(n_trials=2, t_stop=2.0, rng=5)
        np.testing.assert_array_equal(sim.times, twin.times)
        assert np.all(np.diff(sim[0]) > 0)  # at most one spike per bin


def test_bad_input_and_unfitted():
    st = ss.SpikeTrains.from_list([[0.1, 0.2]], t_start=0.0, t_stop=1.0)
    with pytest.raises(NotFittedError):
        HistoryGLM().simulate(1.0)
    with pytest.raises(ValidationError, match="`link` must be 'log' for family='poisson'"):
        HistoryGLM(link="logit").fit(st)
    with pytest.raises(ValidationError, match="Did you mean 'poisson'"):
        HistoryGLM(family="poison").fit(st)
    with pytest.raises(ValidationError, match="`history` must be a basis, or a stimulus"):
        HistoryGLM(history=None).fit(st)
    with pytest.raises(ValidationError, match="`bin_size` must be <= the filter length"):
        HistoryGLM(history=FIRBasis(2, 0.002), bin_size=0.005).fit(st)
    with pytest.raises(ValidationError, match="at least two units"):
        PopulationGLM().fit(st)


def test_clone_and_params():
    from sklearn.base import clone

    m = HistoryGLM(history=BASIS, alpha=0.1)
    c = clone(m)
    assert c.get_params()["alpha"] == 0.1 and c.history == BASIS
