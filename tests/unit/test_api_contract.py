"""The entry points ../shared/API.md promises exist with the documented names and keywords.

A rename or a dropped keyword fails here; what each does is tested with its part.
"""

from __future__ import annotations

import inspect

import pytest

import spikestats as ss

#: (object path, keywords its signature must accept)
ENTRY_POINTS = [
    ("SpikeTrains.from_list", ["t_start", "t_stop", "unit", "trial", "sort"]),
    ("SpikeTrains.select", ["unit", "trial"]), ("SpikeTrains.restrict", ["t_start", "t_stop"]),
    ("SpikeTrains.bin", ["bin_size"]), ("SpikeTrains.to_xarray", []), ("SpikeTrains.from_xarray", []),
    ("io.read", ["path"]), ("io.write", ["st", "path"]),
    ("generators.PoissonProcess", ["rate", "dead_time"]), ("generators.PoissonProcess.simulate",
                                                            ["n_trains", "t_stop", "rng"]),
    ("generators.InhomogeneousPoisson", ["rate"]), ("generators.GammaProcess", ["rate", "shape"]),
    ("generators.InverseGaussianProcess", ["rate"]), ("generators.HawkesProcess", ["baseline"]),
    ("generators.LIF", ["tau_m", "v_rest", "v_th", "v_reset", "r_m", "t_ref", "sigma"]),
    ("generators.LIF.simulate", ["current", "t_stop", "dt", "n_neurons", "rng", "record"]),
    ("generators.AdEx", ["c_m", "g_l", "e_l", "v_t", "delta_t", "a", "tau_w", "b", "v_reset", "v_spike", "t_ref",
                         "sigma"]),
    ("generators.AdEx.preset", ["name"]), ("generators.Izhikevich", []), ("generators.HodgkinHuxley", []),
    ("generators.GLMNeuron", []), ("generators.rate_code", ["values", "t_stop", "max_rate", "rng"]),
    ("generators.latency_code", ["values", "t_stop"]),
    ("stats.isi", ["st"]), ("stats.firing_rate", ["st"]), ("stats.psth", ["st", "bin_size"]),
    ("stats.kernel_rate", ["st", "bandwidth", "kernel"]), ("stats.fano_factor", ["st", "window"]),
    ("stats.time_resolved_fano", ["st", "window", "step"]), ("stats.mean_matched_fano", ["st", "window", "step"]),
    ("stats.cv", ["st"]), ("stats.cv2", ["st"]), ("stats.lv", ["st"]), ("stats.lvr", ["st", "r"]),
    ("stats.cross_correlogram", ["st_a", "st_b", "bin_size", "max_lag"]),
    ("stats.stdp_weight_change", ["pre", "post", "a_plus", "a_minus", "tau_plus", "tau_minus", "pairing"]),
    ("glm.RaisedCosineBasis", ["n_basis", "t_max", "log"]), ("glm.BSplineBasis", []), ("glm.ExponentialBasis", []),
    ("glm.FIRBasis", []),
    ("glm.HistoryGLM", ["history", "bin_size", "alpha", "l1_ratio", "link", "family"]),
    ("glm.HistoryGLM.fit", ["st", "stimulus", "coupling"]), ("glm.HistoryGLM.bits_per_spike", ["st"]),
    ("glm.HistoryGLM.conditional_intensity", ["st"]), ("glm.HistoryGLM.simulate", ["t_stop", "n_trials", "rng"]),
    ("glm.PoissonGLM", ["alpha"]), ("glm.PoissonGLM.fit", ["X", "y"]), ("glm.PoissonGLM.predict", ["X"]),
    ("glm.time_rescaling_test", ["st", "intensity"]),
    ("changepoint.detect", ["st_or_counts", "method", "cost", "penalty"]),
    ("changepoint.PELT", ["cost", "penalty"]), ("changepoint.OptimalPartitioning", ["cost", "penalty"]),
    ("changepoint.BinarySegmentation", []), ("changepoint.BayesianOnline", []),
    ("changepoint.multiple_filter_test", ["st", "windows", "alpha", "time_step", "rng"]),
    ("bridge.to_nir", []), ("bridge.write_nir", []), ("bridge.from_nir", []),
    ("bridge.LoihiReference", ["dt"]), ("bridge.LoihiReference.from_integers",
                                        ["du", "dv", "vth", "bias_mant", "bias_exp", "weights", "weight_exp", "dt"]),
    ("bridge.LoihiReference.run", ["n_steps", "record"]), ("bridge.SpiNNakerReference", ["dt"]),
    ("bridge.to_pynn", []), ("bridge.compare", ["graph", "inputs", "dt", "backends"]),
    ("parallel.fit_units", ["st", "estimator", "client"]), ("parallel.map_units", ["func", "st", "client"]),
]


def _resolve(path: str):
    obj = ss
    for part in path.split("."):
        obj = getattr(obj, part)
    return obj


@pytest.mark.parametrize("path, keywords", ENTRY_POINTS, ids=[p for p, _ in ENTRY_POINTS])
def test_entry_point_exists_with_its_keywords(path, keywords):
    obj = _resolve(path)
    assert callable(obj)
    params = inspect.signature(obj).parameters
    missing = [k for k in keywords if k not in params]
    assert not missing, f"{path} lacks {missing}; has {list(params)}"


def test_rng_is_keyword_only_in_generators():
    for path in ("generators.PoissonProcess.simulate", "generators.GammaProcess.simulate",
                 "generators.LIF.simulate", "generators.AdEx.simulate", "generators.rate_code"):
        param = inspect.signature(_resolve(path)).parameters["rng"]
        assert param.kind is inspect.Parameter.KEYWORD_ONLY, path


def test_accessor_and_cli_commands():
    import numpy as np

    ds = ss.SpikeTrains.from_list([np.array([0.1, 0.5])], t_stop=1.0).to_xarray()
    for name in ("fano_factor", "bin", "fit_glm", "changepoints", "map_units", "fit_units"):
        assert callable(getattr(ds.spikes, name)), name
    from spikestats.cli import build_parser

    text = build_parser().format_help()
    for command in ("report", "simulate", "fit", "export", "changepoints", "convert"):
        assert command in text
