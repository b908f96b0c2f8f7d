"""BayesianOnline: the kernel against its naive twin, streaming equals one call, closed forms, bad input."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats
from scipy.special import gammaln

from spikestats.changepoint.bocpd import BayesianOnline
from spikestats.core.spiketrains import SpikeTrains
from spikestats.exceptions import NotFittedError, ValidationError, ValidationTypeError
from tests.reference.naive_bocpd import bocpd, detect


def _dense(rows: list[list[float]]) -> np.ndarray:
    out = np.zeros((len(rows), max(len(r) for r in rows)))
    for i, r in enumerate(rows):
        out[i, :len(r)] = r
    return out


def _step_counts(rng, rates, n, dims=1):
    return np.concatenate([rng.poisson(r, (n, dims)) for r in rates]).astype(float)


CASES = {
    "poisson": dict(model="poisson", prior=(1.0, 1.0), hazard=1 / 30, prune=1e-6, max_run=None),
    "poisson_population_capped": dict(model="poisson", prior=(2.0, 0.5), hazard=1 / 20, prune=0.0, max_run=25),
    "gaussian_callable_hazard": dict(model="gaussian", prior=(0.5, 2.0, 2.0, 1.5), prune=1e-10, max_run=None,
                                     hazard=lambda r: 1.0 / (20.0 + r)),
    "gaussian_array_hazard": dict(model="gaussian", prior=(0.0, 1.0, 1.0, 1.0), prune=1e-8, max_run=None,
                                  hazard=np.linspace(0.01, 0.1, 15)),
}


def _data(name, rng):
    if name == "poisson":
        return _step_counts(rng, (2.0, 8.0), 40)
    if name == "poisson_population_capped":
        return _step_counts(rng, (1.0, 4.0, 0.5), 25, dims=3)
    return np.concatenate([rng.normal(0, 1, 40), rng.normal(2.5, 0.5, 40)])[:, None]


def _naive_hazard(h):
    if callable(h):
        return lambda r: float(h(np.array([r]))[0])
    if np.ndim(h):
        return lambda r: float(h[min(r, len(h)) - 1])
    return lambda r: h


@pytest.mark.parametrize("name", list(CASES))
def test_kernel_equals_naive_twin(name, rng):
    c = CASES[name]
    x = _data(name, rng)
    est = BayesianOnline(model=c["model"], prior=c["prior"], hazard=c["hazard"], prune_threshold=c["prune"],
                         max_run_length=c["max_run"]).fit(x.T)
    rows, maps, preds = bocpd(c["model"], x, c["prior"], _naive_hazard(c["hazard"]), prune=c["prune"],
                              max_run=c["max_run"])
    np.testing.assert_array_equal(est.map_run_length_, maps)
    np.testing.assert_allclose(est.run_length_posterior_, _dense(rows), rtol=0, atol=1e-12)
    np.testing.assert_allclose(est.predictive_log_prob_, preds, rtol=1e-12, atol=1e-12)
    np.testing.assert_array_equal(est.change_points_, detect(maps, 3, 1, c["max_run"]))
    assert np.allclose(est.run_length_posterior_.sum(axis=1), 1.0, atol=1e-12)


@pytest.mark.parametrize("name", list(CASES))
def test_streaming_chunk_by_chunk_equals_one_call_exactly(name, rng):
    c = CASES[name]
    x = _data(name, rng)
    kw = dict(model=c["model"], prior=c["prior"], hazard=c["hazard"], prune_threshold=c["prune"],
              max_run_length=c["max_run"])
    whole = BayesianOnline(**kw).fit(x.T)
    cuts = np.sort(rng.choice(np.arange(1, len(x)), size=6, replace=False))
    chunks = [c.T for c in np.split(x, cuts)]
    stream = BayesianOnline(**kw)
    for chunk in chunks[:2] + [x[:0].T] + chunks[2:]:  # an empty chunk changes nothing
        stream.update(chunk) if chunk.shape[1] % 2 else stream.partial_fit(chunk)
    for attr in ("map_run_length_", "predictive_log_prob_", "change_points_", "detection_steps_",
                 "current_run_length_posterior_"):
        np.testing.assert_array_equal(getattr(stream, attr), getattr(whole, attr), err_msg=attr)
    np.testing.assert_array_equal(stream.run_length_posterior_, whole.run_length_posterior_)
    single = BayesianOnline(**kw)
    for step in x:
        single.partial_fit(step[:, None])
    np.testing.assert_array_equal(single.run_length_posterior_, whole.run_length_posterior_)
    assert stream.n_steps_ == single.n_steps_ == len(x)


def test_small_row_buffer_restarts_give_the_same_result(rng, monkeypatch):
    """The kernel stops when its row buffer is full and the wrapper continues: same result."""
    x = _step_counts(rng, (1.0, 5.0), 60)[:, 0]
    whole = BayesianOnline(hazard=0.02).fit(x)
    import spikestats.changepoint.bocpd as mod

    monkeypatch.setattr(mod, "_ROW_BUFFER_MAX", 64)
    small = BayesianOnline(hazard=0.02).fit(x)
    np.testing.assert_array_equal(small.run_length_posterior_, whole.run_length_posterior_)
    np.testing.assert_array_equal(small.change_points_, whole.change_points_)


def test_poisson_evidence_with_tiny_hazard_is_the_closed_form_marginal_likelihood(rng):
    """With H -> 0 the sum of the predictives is the Poisson-Gamma marginal likelihood of one segment."""
    a0, b0 = 2.0, 0.5
    x = rng.poisson(3.0, 50).astype(float)
    est = BayesianOnline(prior=(a0, b0), hazard=1e-13, prune_threshold=0.0).fit(x)
    n, s = x.size, x.sum()
    exact = a0 * math.log(b0) - gammaln(a0) + gammaln(a0 + s) - (a0 + s) * math.log(b0 + n) - gammaln(x + 1).sum()
    assert est.predictive_log_prob_.sum() == pytest.approx(exact, rel=1e-10)


def test_gaussian_predictive_and_evidence_match_the_normal_gamma_closed_forms(rng):
    mu0, k0, a0, b0 = 0.3, 2.0, 3.0, 1.5
    x = rng.normal(1.0, 0.7, 40)
    est = BayesianOnline(model="gaussian", prior=(mu0, k0, a0, b0), hazard=1e-13, prune_threshold=0.0).fit(x)
    # first observation: Student t with 2 a0 dof, location mu0, scale^2 b0 (k0 + 1) / (a0 k0)
    first = stats.t.logpdf(x[0], 2 * a0, loc=mu0, scale=math.sqrt(b0 * (k0 + 1) / (a0 * k0)))
    assert est.predictive_log_prob_[0] == pytest.approx(first, rel=1e-12)
    n, xbar = x.size, x.mean()
    kn, an = k0 + n, a0 + n / 2
    bn = b0 + 0.5 * np.sum((x - xbar) ** 2) + k0 * n * (xbar - mu0) ** 2 / (2 * kn)
    exact = (gammaln(an) - gammaln(a0) + a0 * math.log(b0) - an * math.log(bn) + 0.5 * math.log(k0 / kn)
             - 0.5 * n * math.log(2 * math.pi))
    assert est.predictive_log_prob_.sum() == pytest.approx(exact, rel=1e-10)


def test_detects_a_population_remapping_on_spike_trains(rng):
    """Half the units fall silent and the other half start at 6 s: one shared change near 6 s, in seconds."""
    trains = []
    for i in range(6):
        before, after = (8.0, 0.5) if i < 3 else (0.5, 8.0)
        t1 = np.sort(rng.uniform(0, 6, rng.poisson(before * 6)))
        t2 = np.sort(rng.uniform(6, 10, rng.poisson(after * 4)))
        trains.append(np.concatenate([t1, t2]))
    st = SpikeTrains.from_list(trains, t_start=0.0, t_stop=10.0)
    est = BayesianOnline(bin_size=0.05, hazard=1 / 100, prior=(1.0, 2.0)).fit(st)
    assert est.change_times_.size == 1
    assert abs(est.change_times_[0] - 6.0) <= 0.2
    res = est.result()
    assert res.method == "bocpd" and res.rates.shape == (6, 2)
    assert np.all(res.rate_intervals[..., 0] <= res.rates) and np.all(res.rates <= res.rate_intervals[..., 1])
    assert np.all(res.rates[:3, 0] > res.rates[:3, 1]) and np.all(res.rates[3:, 0] < res.rates[3:, 1])


def test_result_of_counts_and_gaussian(rng):
    x = _step_counts(rng, (1.0, 6.0), 80)[:, 0]
    res = BayesianOnline(hazard=0.01).fit(x).result()
    assert res.n_changes == 1 and abs(res.change_points[0] - 80) <= 3
    assert res.rates.shape == (2,) and res.edges[0] == 0 and res.edges[-1] == x.size
    g = BayesianOnline(model="gaussian", hazard=0.01).fit(np.r_[rng.normal(0, 1, 60), rng.normal(4, 1, 60)])
    rg = g.result(confidence=0.9)
    assert rg.n_changes == 1 and rg.rates[1] == pytest.approx(4.0, abs=5 / math.sqrt(60))


def test_estimator_protocol(rng):
    from sklearn.base import clone

    est = BayesianOnline(hazard=0.01, confirm=2)
    other = clone(est)
    assert other.get_params() == est.get_params()
    assert "hazard=0.01" in repr(est)
    with pytest.raises(NotFittedError):
        est.result()
    est.set_params(confirm=4)
    assert est.confirm == 4
    with pytest.raises(ValidationError, match="one of the parameters"):
        est.set_params(threshold=1)
    est.fit(rng.poisson(2, 30))
    assert est.n_steps_ == 30
    est.fit(rng.poisson(2, 10))  # fit starts afresh
    assert est.n_steps_ == 10 and est.run_length_posterior_.shape[0] == 11


@pytest.mark.parametrize("kwargs, x, match", [
    ({}, [1, -2, 3], "non-negative whole counts"),
    ({}, [1, 2.5, 3], "non-negative whole counts"),
    ({}, [1, np.nan, 3], "finite"),
    ({"model": "gaussian"}, [1, np.inf], "finite"),
    ({"hazard": 0.0}, [1, 2], "probability in"),
    ({"hazard": -0.1}, [1, 2], "probability in"),
    ({"hazard": 1.0}, [1, 2], "probability in"),
    ({"hazard": [0.1, 0.0]}, [1, 2], "run length 2"),
    ({"hazard": lambda r: np.ones_like(r) * 2.0}, [1, 2], "probabilities in"),
    ({"hazard": lambda r: 0.1}, [1, 2], "one probability per run length"),
    ({"prior": (1.0, -1.0)}, [1, 2], "positive"),
    ({"prior": (1.0, 1.0, 1.0)}, [1, 2], "2 numbers"),
    ({"model": "gaussian", "prior": (0.0, 1.0, 0.0, 1.0)}, [1.0], "positive kappa0"),
    ({"model": "poison"}, [1, 2], "Did you mean 'poisson'"),
    ({"prune_threshold": -1e-3}, [1, 2], ">= 0"),
    ({"max_run_length": 0}, [1, 2], ">= 1"),
    ({"confirm": 0}, [1, 2], ">= 1"),
    ({}, np.zeros((2, 2, 2)), "time last"),
    ({}, np.zeros((0, 3)), "at least one dimension"),
])
def test_bad_input_raises_clear_errors(kwargs, x, match):
    with pytest.raises(ValidationError, match=match):
        BayesianOnline(**kwargs).fit(np.asarray(x))


def test_bad_streams_and_spike_trains(rng):
    est = BayesianOnline().fit(np.zeros((2, 5)))
    with pytest.raises(ValidationError, match="2 dimension"):
        est.partial_fit(np.zeros((3, 3)))
    st = SpikeTrains.from_list([np.array([0.1, 0.5])], t_stop=1.0)
    with pytest.raises(ValidationError, match="bin_size"):
        BayesianOnline().fit(st)
    with pytest.raises(ValidationError, match="'poisson' for spike-train input"):
        BayesianOnline(model="gaussian", bin_size=0.1).fit(st)
    with pytest.raises(ValidationError, match="at least 2 bins"):
        BayesianOnline(bin_size=0.9).fit(st)
    with pytest.raises(ValidationTypeError, match="array of counts"):
        BayesianOnline(bin_size=0.1).fit(st).partial_fit(st)
    with pytest.raises(ValidationTypeError):
        BayesianOnline().fit("spikes")
    with pytest.raises(NotFittedError, match="store_posterior"):
        _ = BayesianOnline(store_posterior=False).fit([1, 2, 3]).run_length_posterior_


def test_finds_the_remapping_of_the_embedded_example():
    """The example's remapping population: a shared change at 4 s, and at 7 s (three units halve their rate)."""
    from spikestats.datasets import load_example

    st = load_example()
    truth = st.metadata["ground_truth"]["remapping"]
    units = truth["units_off"] + truth["units_on"]
    binned = st.select(unit=units).bin(0.1)
    counts = np.stack([binned.counts[binned.unit == u].sum(axis=0) for u in units])  # trials pooled per unit
    est = BayesianOnline(hazard=1 / 50, prior=(1.0, 0.5)).fit(counts)
    times = binned.edges[est.change_points_]
    assert times.size == 2
    np.testing.assert_allclose(times, truth["change_times"], atol=0.2)
    res = est.result()
    assert res.rates.shape == (12, 3)
    assert np.all(res.rates[:6, 0] > 4 * res.rates[:6, 1]) and np.all(res.rates[6:, 1] > 4 * res.rates[6:, 0])


def test_change_intervals_from_the_posterior_at_detection(rng):
    """Each reported change gets the most probable segment starts holding `confidence` of the mass."""
    x = np.r_[rng.poisson(1.0, 120), rng.poisson(6.0, 120)]
    est = BayesianOnline(hazard=0.01).fit(x)
    res = est.result(confidence=0.9)
    assert res.n_changes == 1 and res.intervals.shape == (1, 2)
    lo, hi = res.intervals[0]
    assert lo <= res.change_times[0] <= hi and lo <= 120 <= hi and hi - lo < 20
    assert res.interval_method.startswith("run-length posterior")
    wider = est.result(confidence=0.99).intervals[0]
    assert wider[0] <= lo and wider[1] >= hi
    assert BayesianOnline(hazard=0.01, store_posterior=False).fit(x).result().intervals is None
