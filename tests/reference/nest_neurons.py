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
    OUT.write_text(json.dumps(record, indent=1) + "\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
