"""Make the frozen NEST reference outputs in ``nest_neurons.json`` (run from the repository root).

    python tests/reference/nest_neurons.py

For each of the eight AdEx presets of Naud et al. (2008), Table 1, NEST's
``aeif_psc_delta`` (no synaptic input, so the same equations as
``aeif_cond_exp`` without input; adaptive RKF45 inside each step) is driven
by the preset's step current as a constant ``I_e`` from ``t = 0`` for
``T_STOP`` ms with ``V_peak = 0 mV``, ``t_ref = 0``, starting from ``V = E_L``,
``w = 0``. For the LIF, ``iaf_psc_delta`` (exact integration, spikes and
resets on the grid) and ``iaf_psc_delta_ps`` (precise spike times off the
grid) with ``R = tau_m / C_m = 100 MOhm`` are driven by several constant
currents. The file records NEST's version, the parameters in NEST's units,
the resolution and the spike times (ms).

For the conductance-based LIF, ``iaf_cond_exp`` (the same LIF, ``g_L = 10
nS``, exponential conductances, adaptive RKF45 inside each step) receives
the spikes of ``spike_generator`` inputs (Bernoulli spikes on the grid, made
here from a fixed seed and stored in the file) through static synapses of
delay 0.1 ms: a subthreshold case (the ``V_m`` trace is compared) and a
spiking one (the spike count is compared). A spike sent at ``s`` raises
NEST's conductance at ``s + delay``; ours take the input at ``s + delay``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "nest_neurons.json"
T_STOP = 1000.0  # ms
RESOLUTION = 0.1  # ms
LIF_PARAMS = {"tau_m": 20.0, "C_m": 200.0, "E_L": -70.0, "V_th": -50.0, "V_reset": -70.0, "t_ref": 2.0}
LIF_CURRENTS = (210.0, 250.0, 400.0, 1000.0)  # pA
COND_PARAMS = {**{k: v for k, v in LIF_PARAMS.items() if k != "tau_m"}, "g_L": 10.0,  # tau_m = C_m / g_L
               "E_ex": 0.0, "E_in": -80.0, "tau_syn_ex": 5.0, "tau_syn_in": 10.0, "I_e": 0.0}
#: name: (excitatory inputs, inhibitory inputs, excitatory weight (nS), inhibitory weight (nS), rate (Hz))
COND_CASES = {"subthreshold": (40, 10, 0.5, -1.0, 10.0), "spiking": (80, 20, 3.0, -6.0, 10.0)}
COND_SEED = 20261122
COND_DELAY = 0.1  # ms
TRACE_INTERVAL = 1.0  # ms


def adex_presets() -> dict[str, dict]:
    """The presets in NEST's parameter names and units (pF, nS, mV, ms, pA)."""
    sys.path.insert(0, str(HERE.parents[1]))
    from spikestats.generators.adex import AdEx

    out = {}
    for name in AdEx.PRESETS:
        m = AdEx.preset(name)
        out[name] = {"C_m": m.c_m * 1e12, "g_L": m.g_l * 1e9, "E_L": m.e_l * 1e3, "V_th": m.v_t * 1e3,
                     "Delta_T": m.delta_t * 1e3, "a": m.a * 1e9, "tau_w": m.tau_w * 1e3, "b": m.b * 1e12,
                     "V_reset": m.v_reset * 1e3, "V_peak": m.v_spike * 1e3, "t_ref": m.t_ref * 1e3,
                     "I_e": AdEx.preset_current(name) * 1e12}
    return out


def run(model: str, params: dict, initial: dict) -> list[float]:
    """Spike times (ms) of one NEST neuron of ``model`` with ``params``."""
    import nest

    nest.ResetKernel()
    nest.verbosity = nest.VerbosityLevel.ERROR
    nest.resolution = RESOLUTION
    cell = nest.Create(model, params={**params, **initial})
    rec = nest.Create("spike_recorder")
    nest.Connect(cell, rec)
    nest.Simulate(T_STOP)
    return [float(t) for t in sorted(rec.get("events")["times"])]


def cond_inputs(name: str) -> tuple[list[list[float]], list[float]]:
    """Spike times (ms, on the grid, in ``(0, T_STOP - 1)``) and weights (nS) of the inputs of a case."""
    import numpy as np

    n_ex, n_in, w_ex, w_in, rate = COND_CASES[name]
    gen = np.random.default_rng([COND_SEED, list(COND_CASES).index(name)])
    n_steps = int(round(T_STOP / RESOLUTION))
    trains = []
    for _ in range(n_ex + n_in):
        steps = np.flatnonzero(gen.random(n_steps) < rate * RESOLUTION * 1e-3)
        steps = steps[(steps >= 1) & (steps < n_steps - 10)]
        trains.append([round(float(k) * RESOLUTION, 1) for k in steps])
    return trains, [w_ex] * n_ex + [w_in] * n_in


def run_cond(params: dict, trains: list[list[float]], weights: list[float]) -> tuple[list[float], list[float]]:
    """Spike times (ms) and ``V_m`` (mV, every ``TRACE_INTERVAL`` from ``TRACE_INTERVAL``) of one ``iaf_cond_exp``."""
    import nest
    import numpy as np

    nest.ResetKernel()
    nest.verbosity = nest.VerbosityLevel.ERROR
    nest.resolution = RESOLUTION
    cell = nest.Create("iaf_cond_exp", params={**params, "V_m": params["E_L"]})
    for times, weight in zip(trains, weights):
        gen = nest.Create("spike_generator", params={"spike_times": times})
        nest.Connect(gen, cell, syn_spec={"weight": weight, "delay": COND_DELAY})
    rec = nest.Create("spike_recorder")
    nest.Connect(cell, rec)
    meter = nest.Create("multimeter", params={"record_from": ["V_m"], "interval": TRACE_INTERVAL})
    nest.Connect(meter, cell)
    nest.Simulate(T_STOP)
    events = meter.get("events")
    order = np.argsort(events["times"])
    return ([float(t) for t in sorted(rec.get("events")["times"])],
            [float(v) for v in np.asarray(events["V_m"])[order]])


def cond_record() -> dict:
    """The ``iaf_cond_exp`` cases: parameters, inputs, weights, spike times and traces."""
    out = {}
    for name in COND_CASES:
        trains, weights = cond_inputs(name)
        spikes, v_m = run_cond(COND_PARAMS, trains, weights)
        out[name] = {"params": COND_PARAMS, "delay_ms": COND_DELAY, "trace_interval_ms": TRACE_INTERVAL,
                     "input_spike_times_ms": trains, "weights_nS": weights, "spike_times_ms": spikes,
                     "V_m_mV": v_m}
    return out


def main() -> None:
    import nest

    adex = {}
    for name, params in adex_presets().items():
        adex[name] = {"params": params, "spike_times_ms": run("aeif_psc_delta", params,
                                                              {"V_m": params["E_L"], "w": 0.0})}
    record = {"peer": "nest-simulator", "version": nest.__version__, "resolution_ms": RESOLUTION,
              "t_stop_ms": T_STOP, "script": "tests/reference/nest_neurons.py", "aeif_psc_delta": adex}
    for model in ("iaf_psc_delta", "iaf_psc_delta_ps"):
        record[model] = {}
        for current in LIF_CURRENTS:
            params = {**LIF_PARAMS, "I_e": current}
            record[model][f"{current:g}"] = {"params": params, "spike_times_ms": run(model, params,
                                                                                    {"V_m": LIF_PARAMS["E_L"]})}
    record["iaf_cond_exp"] = cond_record()
    OUT.write_text(json.dumps(record, indent=1) + "\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    if sys.argv[1:] == ["--cond-json"]:  # a worker for the live test: NEST in a process of its own
        print(json.dumps(cond_record()))
    else:
        main()
