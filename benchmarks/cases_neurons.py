"""Benchmark cases for the neuron generators: spikestats against NEST on the same noisy populations.

The peer column of :mod:`benchmarks.run` (headed "elephant") holds NEST here.
Both simulate ``N_NEURONS`` independent neurons for ``T_STOP`` at dt = 0.1 ms
with a constant mean current plus white noise, and the check requires equal
spike statistics (mean rate within 10 %, ISI CV within 0.1) before timing.

Noise equivalence: spikestats adds white noise of free-membrane SD ``sigma``;
NEST's ``noise_generator`` adds a current redrawn every step ``h`` with SD
``sigma_I``, whose effect on the membrane for ``h << tau_m`` is white noise of
the same free-membrane SD when ``sigma_I = sigma / R * sqrt(2 tau_m / h)``
(``R = 1 / g_l``). NEST's time includes building the network (create,
connect) and reading the spikes, as a user generating spike trains pays it;
both run on the machine's threads (NEST ``local_num_threads`` = Numba's
thread count). NEST runs in a worker process started once per case (its
OpenMP runtime and Numba's crash when a NEST kernel is reset after a Numba
parallel loop in the same process); the spikes come back through a pipe as
two arrays, which adds milliseconds to NEST's seconds.

Compile time: besides the warm-up column (first call in this process, which
loads the Numba cache when it is warm), each case prints the first-call time
in a fresh process with an empty Numba cache (compilation) and the median
cached-call time.
"""

from __future__ import annotations

import argparse
import importlib.util
import math
import os
import subprocess
import sys
import tempfile
import time
from types import SimpleNamespace
from typing import Any

import numpy as np

import spikestats as ss

N_NEURONS, T_STOP, DT = 10_000, 1.0, 1e-4
QUICK_NEURONS, QUICK_T_STOP = 1_000, 0.2
SIGMA = 5e-3  # V, free-membrane SD

LIF_MODEL = ss.generators.LIF(tau_m=20e-3, v_rest=-70e-3, v_th=-50e-3, v_reset=-70e-3, r_m=100e6, t_ref=2e-3,
                              sigma=SIGMA)
LIF_CURRENT = 0.18e-9
ADEX_MODEL = ss.generators.AdEx(sigma=SIGMA, t_ref=2e-3)
ADEX_CURRENT = 0.3e-9


def _nest_params(kind: str) -> tuple[str, dict, float, float, float]:
    """NEST model name, parameters (NEST units), mean current (pA), R (Ohm), tau_m (s) of a case."""
    if kind == "lif":
        m = LIF_MODEL
        c_m = m.tau_m / m.r_m
        params = {"tau_m": m.tau_m * 1e3, "C_m": c_m * 1e12, "E_L": m.v_rest * 1e3, "V_th": m.v_th * 1e3,
                  "V_reset": m.v_reset * 1e3, "t_ref": m.t_ref * 1e3, "V_m": m.v_rest * 1e3}
        return "iaf_psc_delta", params, LIF_CURRENT * 1e12, m.r_m, m.tau_m
    m = ADEX_MODEL
    params = {"C_m": m.c_m * 1e12, "g_L": m.g_l * 1e9, "E_L": m.e_l * 1e3, "V_th": m.v_t * 1e3,
              "Delta_T": m.delta_t * 1e3, "a": m.a * 1e9, "tau_w": m.tau_w * 1e3, "b": m.b * 1e12,
              "V_reset": m.v_reset * 1e3, "V_peak": m.v_spike * 1e3, "t_ref": m.t_ref * 1e3, "V_m": m.e_l * 1e3}
    return "aeif_psc_delta", params, ADEX_CURRENT * 1e12, 1.0 / m.g_l, m.tau_m


def _nest_run(kind: str, n: int, t_stop: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Spike times (s, flat, sorted per neuron) and offsets of ``n`` NEST neurons with noisy input."""
    import nest

    model, params, mean_pa, r, tau = _nest_params(kind)
    nest.ResetKernel()
    nest.verbosity = nest.VerbosityLevel.ERROR
    nest.SetKernelStatus({"resolution": DT * 1e3, "local_num_threads": _threads(), "rng_seed": seed + 1})
    cells = nest.Create(model, n, params={**params, "I_e": mean_pa})
    sigma_i = SIGMA / r * math.sqrt(2.0 * tau / DT)
    noise = nest.Create("noise_generator", params={"mean": 0.0, "std": sigma_i * 1e12, "dt": DT * 1e3})
    rec = nest.Create("spike_recorder")
    nest.Connect(noise, cells)
    nest.Connect(cells, rec)
    nest.Simulate(t_stop * 1e3)
    ev = rec.get("events")
    senders, times = np.asarray(ev["senders"]), np.asarray(ev["times"]) * 1e-3
    order = np.lexsort((times, senders))
    ids = np.asarray(cells.tolist())
    offsets = np.zeros(n + 1, dtype=np.int64)
    offsets[1:] = np.searchsorted(senders[order], ids, side="right")
    return times[order], offsets


def _nest_worker(conn: Any) -> None:
    """Serve ``_nest_run`` calls from the benchmark process until told to stop."""
    try:
        while (job := conn.recv()) is not None:
            conn.send(_nest_run(*job))
    except EOFError:  # the benchmark process has exited
        return


class NestPeer:
    """A NEST worker process; calling it runs one simulation there and returns the trains."""

    def __init__(self, kind: str, n: int, t_stop: float, seed: int) -> None:
        import multiprocessing

        ctx = multiprocessing.get_context("spawn")
        self.job = (kind, n, t_stop, seed)
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_nest_worker, args=(child,), daemon=True)
        self.proc.start()

    def __call__(self) -> list[np.ndarray]:
        self.conn.send(self.job)
        times, offsets = self.conn.recv()
        return [times[a:b] for a, b in zip(offsets[:-1], offsets[1:])]


def _threads() -> int:
    """Threads NEST may use: those Numba would use (NUMBA_NUM_THREADS or the usable CPUs), without starting Numba."""
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return int(os.environ.get("NUMBA_NUM_THREADS", usable))


def _summary(trains: list[np.ndarray], t_stop: float) -> tuple[float, float]:
    rate = sum(len(t) for t in trains) / (len(trains) * t_stop)
    isis = np.concatenate([np.diff(t) for t in trains if len(t) > 1])
    return rate, float(isis.std() / isis.mean())


def _check(ours: ss.SpikeTrains, peer: list[np.ndarray], *, t_stop: float) -> None:
    """Equal spike statistics: mean rates within 10 %, ISI CVs within 0.1."""
    r1, cv1 = _summary(list(ours), t_stop)
    r2, cv2 = _summary(peer, t_stop)
    if not (abs(r1 - r2) <= 0.1 * r2 and abs(cv1 - cv2) <= 0.1):
        raise AssertionError(f"rate {r1:.2f} vs {r2:.2f} Hz, CV {cv1:.3f} vs {cv2:.3f} (spikestats vs NEST)")
    print(f" [rate {r1:.2f} / {r2:.2f} Hz, CV {cv1:.3f} / {cv2:.3f}]", end="", flush=True)


def compile_times(kind: str, n: int, t_stop: float) -> tuple[float, float]:
    """(first call, median later call) in a fresh process with an empty Numba cache, seconds."""
    code = (f"import time, spikestats as ss; from benchmarks.cases_neurons import _ours; f = _ours({kind!r}, "
            f"{n}, {t_stop}, 0); t = time.perf_counter(); f(); a = time.perf_counter() - t; b = []\n"
            "for _ in range(3):\n    t = time.perf_counter(); f(); b.append(time.perf_counter() - t)\n"
            "print(a, sorted(b)[1])")
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "NUMBA_CACHE_DIR": cache}
        out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True,
                             cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    first, cached = (float(x) for x in out.stdout.split())
    return first, cached


def _ours(kind: str, n: int, t_stop: float, seed: int):
    model, current = (LIF_MODEL, LIF_CURRENT) if kind == "lif" else (ADEX_MODEL, ADEX_CURRENT)
    return lambda: model.simulate(current, t_stop, dt=DT, n_neurons=n, rng=seed)


def _neurons(kind: str):
    """Builder of a population case (``"lif"`` or ``"adex"``)."""

    def build(a: argparse.Namespace, _elephant: SimpleNamespace | None) -> Any:
        from benchmarks.cases import Pair

        n, t_stop = (QUICK_NEURONS, QUICK_T_STOP) if a.quick else (N_NEURONS, T_STOP)
        size = f"{n} x {t_stop:g} s, dt 0.1 ms, noisy; peer NEST"
        ours = _ours(kind, n, t_stop, a.seed)
        first, cached = compile_times(kind, n, t_stop)
        print(f"\n    {kind}: fresh process, empty Numba cache: first call {first:.2f} s, cached calls {cached:.3f} s",
              end="", flush=True)
        if a.no_peers:
            return Pair(size, ours)
        if importlib.util.find_spec("nest") is None:
            print("\n    NEST peer skipped: nest is not importable (pip install nest-simulator)", end="")
            return Pair(size, ours)
        return Pair(size, ours, NestPeer(kind, n, t_stop, a.seed), lambda o, p: _check(o, p, t_stop=t_stop))

    return build


#: (name, build, target ratio NEST / spikestats, runs with --quick)
NEURON_CASES = (("lif-noisy", _neurons("lif"), 2.0, True), ("adex-noisy", _neurons("adex"), 2.0, True))


if __name__ == "__main__":  # a quick look without the runner
    for kind in ("lif", "adex"):
        t = time.perf_counter()
        st = _ours(kind, 1000, 0.2, 0)()
        print(kind, st.n_spikes, time.perf_counter() - t)
