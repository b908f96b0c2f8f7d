"""Benchmark cases for the generators: gamma and inhomogeneous Poisson trains against Elephant.

Both libraries draw ``--gen-trains`` trains of ``--gen-t-stop`` seconds;
Elephant with ``as_array=True`` (plain arrays, its fastest output). The check
compares what the two outputs say about the process (total count, CV, the
count under the high and low halves of the rate) with theory before any timing.
"""

from __future__ import annotations

import argparse
from types import SimpleNamespace
from typing import Any

import numpy as np

import spikestats as ss

#: shape of the gamma case (CV 1 / sqrt(3))
GAMMA_SHAPE = 3.0
#: the inhomogeneous rate: rate * (1 + 0.75 sin(2 pi t / period)), sampled every 1 ms
MODULATION, PERIOD, SAMPLING = 0.75, 1.0, 1e-3


def _trains(out: Any) -> list[np.ndarray]:
    return list(out)


def _check_gamma(ours: ss.SpikeTrains, peer: list[np.ndarray], *, n: int, rate: float, t_stop: float) -> None:
    """Total count within 5 SE of a renewal count (variance rate T cv^2) and pooled CV within 2 %."""
    from benchmarks.cases import _require

    cv = 1.0 / np.sqrt(GAMMA_SHAPE)
    expected = n * rate * t_stop
    tol = 5.0 * cv * np.sqrt(expected)
    for name, trains in (("spikestats", _trains(ours)), ("elephant", peer)):
        _require(len(trains) == n, f"{name} made {len(trains)} trains, not {n}")
        total = sum(len(a) for a in trains)
        _require(abs(total - expected) <= tol, f"{name} made {total} spikes; expected {expected:g} +- {tol:.0f}")
        isis = np.concatenate([np.diff(a) for a in trains])
        got = isis.std() / isis.mean()
        _require(abs(got - cv) < 0.02 * cv, f"{name} ISI CV {got:.4f}; expected {cv:.4f}")


def _rate_samples(rate: float, t_stop: float) -> tuple[np.ndarray, np.ndarray]:
    times = np.arange(0.0, t_stop, SAMPLING)
    return times, rate * (1.0 + MODULATION * np.sin(2 * np.pi * times / PERIOD))


def _check_inhomogeneous(ours: ss.SpikeTrains, peer: list[np.ndarray], *, n: int, rate: float,
                         t_stop: float) -> None:
    """Counts in the high-rate and low-rate half-periods within 5 Poisson SE of their integrals."""
    from benchmarks.cases import _require

    times, values = _rate_samples(rate, t_stop)
    high = np.sin(2 * np.pi * (times + SAMPLING / 2) / PERIOD) > 0
    expected_high = n * values[high].sum() * SAMPLING
    expected_low = n * values[~high].sum() * SAMPLING
    for name, trains in (("spikestats", _trains(ours)), ("elephant", peer)):
        flat = np.concatenate(trains)
        in_high = np.sin(2 * np.pi * (np.floor(flat / SAMPLING) * SAMPLING + SAMPLING / 2) / PERIOD) > 0
        for what, got, want in (("high", in_high.sum(), expected_high), ("low", (~in_high).sum(), expected_low)):
            _require(abs(got - want) <= 5.0 * np.sqrt(want), f"{name}: {got} spikes in the {what} half; "
                     f"expected {want:.0f} +- {5 * np.sqrt(want):.0f}")


def _gamma(a: argparse.Namespace, el: SimpleNamespace | None) -> Any:
    from benchmarks.cases import Pair

    n, rate, t_stop, seed = a.gen_trains, a.rate, a.gen_t_stop, a.seed
    size = f"{n} x {t_stop:g} s @ {rate:g} Hz, shape {GAMMA_SHAPE:g}"
    model = ss.generators.GammaProcess(rate=rate, shape=GAMMA_SHAPE)

    def ours() -> ss.SpikeTrains:
        return model.simulate(n_trains=n, t_stop=t_stop, rng=seed)

    if el is None:
        return Pair(size, ours)
    from elephant.spike_train_generation import StationaryGammaProcess

    np.random.seed(seed)

    def peer() -> list[np.ndarray]:
        process = StationaryGammaProcess(rate=rate * el.pq.Hz, shape_factor=GAMMA_SHAPE, t_stop=t_stop * el.pq.s)
        return process.generate_n_spiketrains(n, as_array=True)

    def check(o: Any, p: Any) -> None:
        _check_gamma(o, p, n=n, rate=rate, t_stop=t_stop)

    return Pair(size, ours, peer, check)


def _inhomogeneous(a: argparse.Namespace, el: SimpleNamespace | None) -> Any:
    from benchmarks.cases import Pair

    n, rate, t_stop, seed = a.gen_trains, a.rate, a.gen_t_stop, a.seed
    times, values = _rate_samples(rate, t_stop)
    size = f"{n} x {t_stop:g} s, rate {rate:g} Hz +- {MODULATION * 100:g} % sampled every {SAMPLING * 1e3:g} ms"
    model = ss.generators.InhomogeneousPoisson((times, values))

    def ours() -> ss.SpikeTrains:
        return model.simulate(n_trains=n, t_stop=t_stop, rng=seed)

    if el is None:
        return Pair(size, ours)
    from elephant.spike_train_generation import NonStationaryPoissonProcess

    np.random.seed(seed)
    signal = el.neo.AnalogSignal(values[:, None], units="Hz", sampling_period=SAMPLING * el.pq.s)

    def peer() -> list[np.ndarray]:
        return NonStationaryPoissonProcess(rate_signal=signal).generate_n_spiketrains(n, as_array=True)

    def check(o: Any, p: Any) -> None:
        _check_inhomogeneous(o, p, n=n, rate=rate, t_stop=t_stop)

    return Pair(size, ours, peer, check)


def generator_cases() -> tuple[Any, ...]:
    """The generator cases, built when :mod:`benchmarks.cases` assembles ``CASES``."""
    from benchmarks.cases import Case

    return (Case("gamma", _gamma, target=10.0), Case("inhomogeneous-poisson", _inhomogeneous, target=10.0))
