"""Fitted GLMs to NIR graphs and back to the exponential-escape reference."""

from __future__ import annotations

import numpy as np
import pytest

nir = pytest.importorskip("nir")

from spikestats.bridge.escape import EscapeNeuronReference  # noqa: E402
from spikestats.bridge.glm_export import escape_from_nir, glm_parameters  # noqa: E402
from spikestats.bridge.network import network_from_arrays  # noqa: E402
from spikestats.bridge.nir_export import META_KEY, from_nir, to_nir, write_nir  # noqa: E402
from spikestats.core.spiketrains import SpikeTrains  # noqa: E402
from spikestats.exceptions import ValidationError, ValidationTypeError  # noqa: E402
from spikestats.generators.poisson import PoissonProcess  # noqa: E402
from spikestats.glm.bases import ExponentialBasis, RaisedCosineBasis  # noqa: E402
from spikestats.glm.history import HistoryGLM, PopulationGLM  # noqa: E402

BASIS = ExponentialBasis(taus=(0.002, 0.01, 0.05))


@pytest.fixture(scope="module")
def history_glm():
    st = PoissonProcess(20.0, dead_time=0.004).simulate(1, 30.0, rng=1)
    return HistoryGLM(history=BASIS).fit(st)


@pytest.fixture(scope="module")
def population_glm():
    st = PoissonProcess(20.0, dead_time=0.004).simulate(3, 20.0, rng=2)
    st = SpikeTrains(st.times, st.offsets, st.t_start, st.t_stop, unit=["a", "b", "c"])
    return PopulationGLM(history=ExponentialBasis(taus=(0.002, 0.01)), n_jobs=1).fit(st)


def test_history_glm_round_trip_through_a_file(history_glm, tmp_path):
    graph = to_nir(history_glm)
    assert isinstance(graph.nodes["units"], nir.Threshold) and isinstance(graph.nodes["basis"], nir.LI)
    meta = graph.metadata[META_KEY]
    assert meta["link"] == "log" and meta["dt"] == history_glm.bin_size_ and "exp(eta)" in meta["escape"]
    # a spike moves each basis trace by r / tau = 1 (NIR's Dirac reading)
    np.testing.assert_array_equal(graph.nodes["basis"].r / graph.nodes["basis"].tau, 1.0)
    write_nir(graph, tmp_path / "glm.nir")
    ref = escape_from_nir(tmp_path / "glm.nir")
    direct = EscapeNeuronReference.from_glm(history_glm)
    for name in ("bias", "taus", "weights"):
        np.testing.assert_array_equal(getattr(ref, name), getattr(direct, name))
    assert ref.dt == direct.dt
    a, b = ref.run(2000, rng=7), direct.run(2000, rng=7)
    assert a.spikes.n_spikes > 10 and a.spikes == b.spikes


def test_population_glm_places_history_and_coupling(population_glm):
    p = glm_parameters(population_glm)
    units = population_glm.units_
    assert p["weights"].shape == (3, 3, 2) and p["units"] == units
    for i, post in enumerate(units):
        m = population_glm.models_[post]
        np.testing.assert_array_equal(p["weights"][i, i], m.coef_[m.groups_["history"]])
        for j, pre in enumerate(units):
            if pre != post:
                np.testing.assert_array_equal(p["weights"][i, j], m.coef_[m.groups_[f"coupling[{pre}]"]])
    np.testing.assert_array_equal(p["bias"], population_glm.intercept_)
    graph = to_nir(population_glm)
    nir.NIRGraph(nodes=graph.nodes, edges=graph.edges, type_check=True)  # other tools' type check passes
    np.testing.assert_array_equal(escape_from_nir(graph).weights, p["weights"])


def test_glm_export_rejects_what_nir_cannot_hold(history_glm):
    st = PoissonProcess(20.0).simulate(1, 5.0, rng=3)
    cosine = HistoryGLM(history=RaisedCosineBasis(n_basis=3, t_max=0.05)).fit(st)
    with pytest.raises(ValidationError, match="ExponentialBasis"):
        to_nir(cosine)
    with pytest.raises(ValidationError, match="fitted HistoryGLM"):
        to_nir(HistoryGLM(history=BASIS))
    with pytest.raises(ValidationTypeError, match="HistoryGLM"):
        glm_parameters(object())
    with pytest.raises(ValidationError, match="escape_from_nir"):
        from_nir(to_nir(history_glm))
    with pytest.raises(ValidationError, match="GLM graph"):
        escape_from_nir(to_nir(network_from_arrays("lif", 2, input_weights=np.ones((2, 1)))))
