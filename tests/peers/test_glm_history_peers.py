"""A history GLM fitted from spike times against statsmodels and Elephant (marker ``peers``).

* statsmodels: ``GLM(y, [1, X], Poisson(), offset=log(dt))`` on the design
  that ``design_matrix`` builds gives the coefficients, standard errors and
  log-likelihood of ``HistoryGLM`` (the history columns themselves are checked
  against a convolution of the binned train made here with numpy).
* Elephant: ``BinnedSpikeTrain`` counts equal the design's ``y``.
"""

from __future__ import annotations

import numpy as np
import pytest

import spikestats as ss

pytestmark = pytest.mark.peers


@pytest.fixture(scope="module")
def refractory() -> ss.SpikeTrains:
    basis = ss.glm.RaisedCosineBasis(6, 0.05, offset=0.003)
    h = basis.sample(0.001) @ np.array([-5.0, -2.0, 0.5, 0.2, -0.1, 0.0])
    return ss.generators.GLMNeuron(intercept=np.log(25.0), history=h).simulate(n_trials=3, t_stop=10.0, rng=4)


def test_history_glm_equals_statsmodels_on_a_convolved_design(refractory):
    sm = pytest.importorskip("statsmodels.api")
    basis = ss.glm.RaisedCosineBasis(6, 0.05, offset=0.003)
    model = ss.glm.HistoryGLM(history=basis).fit(refractory)
    # the design, independently: bin each trial with numpy, convolve with the basis shifted by one bin
    b = basis.sample(0.001)
    rows, counts = [], []
    for train in refractory:
        y = np.histogram(train, bins=np.arange(10001) * 0.001)[0]
        kernel = np.vstack([np.zeros((1, b.shape[1])), b])
        rows.append(np.column_stack([np.convolve(y, kernel[:, j])[:y.size] for j in range(b.shape[1])]))
        counts.append(y)
    X, y = np.vstack(rows), np.concatenate(counts)
    fit = sm.GLM(y, sm.add_constant(X), family=sm.families.Poisson(), offset=np.full(y.size, np.log(0.001))).fit(
        tol=1e-12)
    np.testing.assert_allclose(np.r_[model.intercept_, model.coef_], fit.params, rtol=0, atol=1e-6)
    np.testing.assert_allclose(model.stderr_, fit.bse, rtol=1e-5)
    assert model.log_likelihood_ == pytest.approx(fit.llf, rel=1e-8)


def test_design_counts_equal_elephant_binning(refractory):
    pytest.importorskip("elephant")
    import neo
    import quantities as pq
    from elephant.conversion import BinnedSpikeTrain

    d = ss.glm.design_matrix(refractory, 0.001, history=ss.glm.FIRBasis(3, 0.003))
    trains = [neo.SpikeTrain(np.asarray(t), t_start=0.0, t_stop=10.0, units="s") for t in refractory]
    peer = BinnedSpikeTrain(trains, bin_size=1 * pq.ms, t_start=0 * pq.s, t_stop=10 * pq.s).to_array()
    np.testing.assert_array_equal(d.y, peer.ravel())
