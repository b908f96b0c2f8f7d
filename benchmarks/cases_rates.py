"""Benchmark cases for kernel rates with an automatic (Shimazaki-Shinomoto) bandwidth.

Elephant's ``instantaneous_rate(train, kernel='auto')`` selects a bandwidth
for one train at a time (``optimal_kernel_bandwidth``, a port of ``sskernel``)
and convolves; the spikestats call does the same for all trains at once with
``kernel_rate(st, 'auto', per_train=True)``. Both evaluate on the 1 ms grid of
the trains' window. Elephant bins the spikes on the grid and convolves by FFT;
spikestats refines each bandwidth with Brent's method and, for the wide
kernels these homogeneous trains select (~0.8 s), sums the rate's Fourier
series from the exact spike times (``method="auto"`` picks it per train).
"""

from __future__ import annotations

import argparse
import functools
import math
from types import SimpleNamespace
from typing import Any

import numpy as np

import spikestats as ss
from benchmarks.cases import Case, Pair, _require
from spikestats.stats._bandwidth import optimal_bandwidth
from spikestats.stats.kernel_rate import kernel_rate

T_STOP = 10.0
SAMPLING_PERIOD = 0.001
#: Trains whose selected bandwidths are compared with Elephant's before timing.
N_CHECKED = 5


def _search_rtol(span: float, dt: float) -> float:
    """Elephant's golden-section precision (20 steps in log-exp space, as tests/_tolerances.golden_section_rtol)."""
    lo = math.log(math.expm1(2 * dt))
    hi = math.log(math.expm1(span)) if span < 100 else span
    return ((math.sqrt(5.0) - 1.0) / 2.0) ** 20 * (hi - lo)


def _check(ours: Any, peer: Any, *, arrays: list[np.ndarray]) -> None:
    """Same grid and shapes; on the first trains, our bandwidth on Elephant's window equals Elephant's sigma.

    Elephant selects on [first spike - dt/2, last spike + dt/2] with its own
    histogram; our selection on that window must agree to Elephant's search
    precision (the peer tests explain why). The timed call selects on the
    trains' full window, as a user would.
    """
    rates, sigmas, times = peer
    _require(ours.rates.shape == rates.shape, f"rate shapes {ours.rates.shape} and {rates.shape} differ")
    _require(bool(np.allclose(ours.times, times, rtol=0, atol=1e-12)), "time grids differ")
    for train, sigma in zip(arrays[:N_CHECKED], sigmas[:N_CHECKED]):
        span = train[-1] - train[0]
        isi = np.diff(train)
        m = min(int(span / isi[isi > 0].min() + 0.5), 1000)
        dt = span / (m - 1)
        w = optimal_bandwidth(ss.SpikeTrains.from_list([train], train[0] - dt / 2, train[-1] + dt / 2))
        rtol = _search_rtol(span, dt)
        _require(abs(w - sigma) <= rtol * sigma, f"bandwidth {w} vs Elephant's {sigma} (rtol {rtol:.1e})")


def _auto_rate(n_trains: int):
    def build(a: argparse.Namespace, el: SimpleNamespace | None) -> Pair:
        st = ss.generators.PoissonProcess(rate=a.rate).simulate(n_trains=n_trains, t_stop=T_STOP, rng=a.seed + 2)
        arrays = [np.array(x) for x in st]
        size = f"{n_trains} x {T_STOP:g} s @ {a.rate:g} Hz, 1 ms grid"
        ours = functools.partial(kernel_rate, st, "auto", per_train=True, sampling_period=SAMPLING_PERIOD)
        if el is None:
            return Pair(size, ours)
        import warnings

        from elephant.statistics import instantaneous_rate

        trains = [el.neo.SpikeTrain(x, t_start=0.0, t_stop=T_STOP, units="s") for x in arrays]
        period = SAMPLING_PERIOD * el.pq.s

        def peer() -> tuple[np.ndarray, list[float], np.ndarray]:
            rates, sigmas = [], []
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                for tr in trains:
                    sig = instantaneous_rate(tr, period, kernel="auto")
                    rates.append(np.asarray(sig.magnitude)[:, 0])
                    sigmas.append(float(sig.annotations["kernel"]["sigma"].split()[0]))
            return np.array(rates), sigmas, sig.times.rescale("s").magnitude

        return Pair(size, ours, peer, functools.partial(_check, arrays=arrays))

    return build


#: Registered in :data:`benchmarks.cases.CASES`.
RATE_CASES: tuple[Case, ...] = (
    Case("kernel-rate-auto", _auto_rate(1000), target=10.0, quick=False),
    Case("kernel-rate-auto-100", _auto_rate(100)),
)
