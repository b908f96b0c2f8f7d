"""Freeze Lava's bit-accurate LIF + Dense outputs for spikestats.bridge.LoihiReference.

Runs under Python 3.10 with lava-nc 0.10.0 (it does not install on 3.11)::

    /root/.pyenv/versions/3.10.13/bin/python -m venv /work/lava310
    /work/lava310/bin/pip install lava-nc==0.10.0
    /work/lava310/bin/python tests/reference/lava_reference.py          # rewrites tests/reference/lava_*.json
    /work/lava310/bin/python tests/reference/lava_reference.py --print  # one case as JSON on stdout

Each case is a small network of Lava ``LIF`` processes (``PyLifModelBitAcc``)
joined by ``Dense`` processes (``PyDenseModelBitAcc``) and fed by a
``RingBuffer`` of fixed input spikes, run with ``Loihi2SimCfg(select_tag=
"fixed_pt")``. The JSON holds the integer parameters exactly as spikestats'
``LoihiReference.from_integers`` takes them (one flat neuron index space, the
populations concatenated; one weight block per Dense with its ``weight_exp``)
and what Lava's ``Monitor`` recorded: ``u``, ``v`` (steps x neurons) and the
spike raster (steps x neurons, 0/1).

The script imports only numpy and lava, so the 3.10 environment needs nothing
else; the unit tests read the JSON with the 3.11 environment.
"""

from __future__ import annotations

import json
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))


def cases() -> dict:
    """Small networks that exercise every part of the fixed-point semantics."""
    rng = np.random.default_rng(20261122)
    out = {}
    # 1. constant bias only: bias exponents, dv decay, saturation of v at -(2**23 - 1), strict > threshold
    out["bias"] = dict(
        n_steps=60, n_inputs=0,
        populations=[
            dict(n=4, du=0, dv=820, vth=40, bias_mant=[300, 1000, 4095, 40 * 64 // 4], bias_exp=[0, 2, 6, 2]),
            dict(n=2, du=4095, dv=0, vth=100, bias_mant=[-4096, 17], bias_exp=[7, 0]),
        ],
        # a zero-weight Dense joins the two populations: Lava runs only the processes connected to the one run
        dense=[dict(pre=0, post=1, weights=[[0] * 4] * 2, weight_exp=0)], input_spikes=[])
    # 2. input -> Dense -> LIF -> Dense (odd mixed weights: truncated to even) -> LIF
    spikes = (rng.random((2, 80)) < 0.25).astype(int)
    out["chain"] = dict(
        n_steps=80, n_inputs=2,
        populations=[
            dict(n=2, du=1024, dv=256, vth=10, bias_mant=[0, 0], bias_exp=[0, 0]),
            dict(n=3, du=410, dv=128, vth=20, bias_mant=[0, 5, -3], bias_exp=[0, 0, 0]),
        ],
        dense=[
            dict(pre="input", post=0, weights=[[120, 60], [-40, 200]], weight_exp=0),
            dict(pre=0, post=1, weights=[[101, -77], [255, 3], [-255, -1]], weight_exp=0),
        ],
        input_spikes=spikes.tolist())
    # 3. recurrent: Poisson input, excitatory input weights, mixed recurrent weights with self-inhibition
    n, n_in = 5, 6
    spikes = (rng.random((n_in, 150)) < 0.08).astype(int)
    w_in = rng.integers(20, 200, size=(n, n_in))
    w_rec = rng.integers(-60, 61, size=(n, n)) * (rng.random((n, n)) < 0.6)
    np.fill_diagonal(w_rec, -120)
    out["recurrent"] = dict(
        n_steps=150, n_inputs=n_in,
        populations=[dict(n=n, du=600, dv=300, vth=60, bias_mant=[50, 0, 80, 20, 0], bias_exp=[1, 0, 0, 1, 0])],
        dense=[dict(pre="input", post=0, weights=w_in.tolist(), weight_exp=0),
               dict(pre=0, post=0, weights=w_rec.tolist(), weight_exp=1)],
        input_spikes=spikes.tolist())
    # 4. 24-bit wrap of u: eight inputs at weight 254 every step, no current decay; negative weight_exp
    out["wrap"] = dict(
        n_steps=90, n_inputs=8,
        populations=[dict(n=2, du=0, dv=4095, vth=131071, bias_mant=[0, 0], bias_exp=[0, 0])],
        dense=[dict(pre="input", post=0, weights=[[254] * 8, [255] * 8], weight_exp=0)],
        input_spikes=np.ones((8, 90), dtype=int).tolist())
    out["weight_exp"] = dict(
        n_steps=40, n_inputs=3,
        populations=[dict(n=3, du=2048, dv=512, vth=30, bias_mant=[0, 0, 0], bias_exp=[0, 0, 0])],
        dense=[dict(pre="input", post=0, weights=[[77, -33, 5], [-128, 127, 9], [3, 3, 3]], weight_exp=-2)],
        input_spikes=(rng.random((3, 40)) < 0.5).astype(int).tolist())
    return out


def run_case(case: dict) -> dict:
    from lava.magma.core.run_conditions import RunSteps
    from lava.magma.core.run_configs import Loihi2SimCfg
    from lava.proc.dense.process import Dense
    from lava.proc.io.source import RingBuffer
    from lava.proc.lif.process import LIF
    from lava.proc.monitor.process import Monitor

    T = case["n_steps"]
    lifs = [LIF(shape=(p["n"],), du=p["du"], dv=p["dv"], vth=p["vth"], bias_mant=np.array(p["bias_mant"]),
                bias_exp=np.array(p["bias_exp"])) for p in case["populations"]]
    source = None
    if case["n_inputs"]:
        source = RingBuffer(data=np.array(case["input_spikes"], dtype=int))
    for d in case["dense"]:
        dense = Dense(weights=np.array(d["weights"]), weight_exp=d["weight_exp"])
        pre = source if d["pre"] == "input" else lifs[d["pre"]]
        pre.s_out.connect(dense.s_in)
        dense.a_out.connect(lifs[d["post"]].a_in)
    monitors = []
    for lif in lifs:
        per = {}
        for name in ("u", "v", "s_out"):
            mon = Monitor()
            mon.probe(getattr(lif, name), T)
            per[name] = mon
        monitors.append(per)
    rec: dict = {"u": [], "v": [], "spikes": []}
    try:
        lifs[0].run(condition=RunSteps(num_steps=T), run_cfg=Loihi2SimCfg(select_tag="fixed_pt"))
        for lif, per in zip(lifs, monitors):
            for name, key in (("u", "u"), ("v", "v"), ("s_out", "spikes")):
                data = np.asarray(per[name].get_data()[lif.name][name])
                if data.ndim != 2 or data.shape[0] != T:
                    raise RuntimeError(f"monitor of {lif.name}.{name} returned shape {data.shape}")
                rec[key].append(data.astype(np.int64))
    finally:
        lifs[0].stop()
    return {k: np.concatenate(v, axis=1).tolist() for k, v in rec.items()}


def main() -> None:
    import lava

    all_cases = cases()
    if "--print" in sys.argv:
        name = sys.argv[sys.argv.index("--print") + 1] if len(sys.argv) > 2 else "bias"
        json.dump({"case": all_cases[name], "lava": run_case(all_cases[name])}, sys.stdout)
        return
    version = getattr(lava, "__version__", "0.10.0")
    for name, case in all_cases.items():
        result = run_case(case)
        payload = {"lava_nc": version, "python": sys.version.split()[0],
                   "run_cfg": "Loihi2SimCfg(select_tag='fixed_pt')", "case": case, "lava": result}
        with open(os.path.join(HERE, f"lava_{name}.json"), "w") as fh:
            json.dump(payload, fh, separators=(",", ":"))
        print(name, "spikes:", int(np.sum(result["spikes"])))


if __name__ == "__main__":
    main()
