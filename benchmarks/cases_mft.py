"""Benchmark cases for the online detectors: the multiple filter test against Elephant's, and BOCPD throughput.

MFT: one train with rate steps (20 -> 35 -> 15 Hz at 40 % and 70 % of the
window), windows 5, 10 and 20 s on a 0.25 s grid, 1,000 simulated limit
processes for the threshold in both libraries (Elephant's default;
spikestats' default is 10,000). Elephant takes ``alpha`` in percent (5 here,
0.05 in spikestats). Both thresholds are random, so the check asks for the
same change points up to one grid step, not for equal numbers. Elephant
evaluates every grid point with Python calls that scan the whole train, so
its time grows with the square of the duration: the registered case uses
``MFT_PEER_T_STOP`` seconds (the largest it finishes in about a minute on
the 2-core reference machine) for the timed comparison, and
``python -m benchmarks.cases_mft`` prints spikestats alone at 1,000 s too.

BOCPD: Poisson-Gamma model on counts with two rate changes, hazard 1/250,
default pruning (the run-length support grows with each stationary stretch,
so the work is about n x segment length / 2); reported as observations per
second (no peer: no Python package has BOCPD with a Poisson model).
``main`` also times 3e5 counts with ``max_run_length=1000``.
"""

from __future__ import annotations

import argparse
import functools
import sys
import time
from types import SimpleNamespace

import numpy as np

from benchmarks.cases import Case, Pair, _require
from spikestats.changepoint import BayesianOnline, multiple_filter_test

WINDOWS = (5.0, 10.0, 20.0)
TIME_STEP = 0.25
N_SIMULATIONS = 1000
#: Duration (s) of the timed comparison with Elephant (quadratic in the duration for Elephant).
MFT_PEER_T_STOP = 300.0
MFT_T_STOP = 1000.0


def _step_train(t_stop: float, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    cuts = (0.0, 0.4 * t_stop, 0.7 * t_stop, t_stop)
    parts = [np.sort(rng.uniform(a, b, rng.poisson(r * (b - a)))) for a, b, r in zip(cuts[:-1], cuts[1:],
                                                                                   (20.0, 35.0, 15.0))]
    return np.concatenate(parts)


def _check_same_changes(ours, theirs) -> None:
    flat = np.sort([float(c) for window in theirs for c in window])
    _require(flat.size == ours.n_changes, f"mft: {ours.n_changes} changes here, {flat.size} in Elephant")
    _require(bool(np.all(np.abs(flat - ours.change_times) <= TIME_STEP + 1e-9)),
             f"mft: change times {ours.change_times} and Elephant's {flat} differ by more than a grid step")


def _mft(t_stop: float):
    def build(a: argparse.Namespace, el: SimpleNamespace | None) -> Pair:
        times = _step_train(t_stop, a.seed)
        size = f"{t_stop:g} s, {times.size} spikes, windows {list(WINDOWS)} s, {N_SIMULATIONS} simulations"
        ours = functools.partial(multiple_filter_test, times, WINDOWS, 0.05, TIME_STEP, rng=a.seed,
                                 n_simulations=N_SIMULATIONS, t_stop=t_stop)
        if el is None:
            return Pair(size, ours)
        import quantities as pq
        from elephant.change_point_detection import multiple_filter_test as elephant_mft

        def peer():
            np.random.seed(a.seed)  # Elephant draws from numpy's global generator
            return elephant_mft(list(WINDOWS) * pq.s, times * pq.s, t_stop * pq.s, alpha=5,
                                n_surrogates=N_SIMULATIONS, time_step=TIME_STEP * pq.s)

        return Pair(size, ours, peer, _check_same_changes)

    return build


def _bocpd_counts(n: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return np.concatenate([rng.poisson(r, n // 3) for r in (2.0, 5.0, 1.0)]).astype(np.float64)


def _bocpd(n: int):
    def build(a: argparse.Namespace, el: SimpleNamespace | None) -> Pair:
        x = _bocpd_counts(n, a.seed)

        def ours():
            return BayesianOnline(hazard=1 / 250, store_posterior=False).fit(x)

        return Pair(f"{x.size} counts, 2 changes, hazard 1/250", ours)

    return build


MFT_CASES: tuple[Case, ...] = (
    Case(f"mft-{MFT_PEER_T_STOP:g}s", _mft(MFT_PEER_T_STOP), target=None, quick=False),
    Case("mft-100s", _mft(100.0), target=None, quick=True),
    Case("bocpd-3e3", _bocpd(3_000), target=None, quick=True),
    Case("bocpd-3e4", _bocpd(30_000), target=None, quick=False),
)


def main(argv: list[str] | None = None) -> int:
    """Print spikestats' MFT time at 1,000 s and BOCPD throughput (medians of ``--repeats`` runs)."""
    p = argparse.ArgumentParser(prog="python -m benchmarks.cases_mft", description=__doc__.split("\n\n")[0])
    p.add_argument("--quick", action="store_true", help="shorter inputs, 3 repeats")
    p.add_argument("--repeats", type=int, default=None)
    p.add_argument("--seed", type=int, default=0)
    a = p.parse_args(argv)
    repeats = a.repeats or (3 if a.quick else 5)

    def median_time(fn) -> float:
        fn()  # warm-up (JIT compilation)
        times = []
        for _ in range(repeats):
            t = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t)
        return float(np.median(times))

    t_stop = 100.0 if a.quick else MFT_T_STOP
    times = _step_train(t_stop, a.seed)
    t = median_time(functools.partial(multiple_filter_test, times, WINDOWS, 0.05, TIME_STEP, rng=a.seed,
                                      n_simulations=N_SIMULATIONS, t_stop=t_stop))
    print(f"mft {t_stop:g} s ({times.size} spikes, windows {list(WINDOWS)} s, {N_SIMULATIONS} simulations): "
          f"{t:.3f} s")
    for n, cap in ((3_000, None),) if a.quick else ((3_000, None), (30_000, None), (300_000, 1000)):
        x = _bocpd_counts(n, a.seed)
        t = median_time(lambda: BayesianOnline(hazard=1 / 250, store_posterior=False, max_run_length=cap).fit(x))
        print(f"bocpd {x.size} counts, max_run_length={cap}: {t:.3f} s, {x.size / t:,.0f} observations/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
