"""Benchmark cases: spikestats and Elephant doing the same work on the same inputs.

A :class:`Case` builds a :class:`Pair` of zero-argument calls (inputs are built
once, outside the timed calls) plus a check that the two outputs agree, so a
case never compares different computations. A :class:`Combined` row adds the
per-repeat times of other cases.
"""

from __future__ import annotations

import argparse
import functools
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import numpy as np

import spikestats as ss
from benchmarks.cases_neurons import NEURON_CASES


@dataclass(frozen=True)
class Pair:
    """The calls of one case, on inputs already built.

    Attributes
    ----------
    size : str
        Human-readable problem size.
    ours : callable
        The spikestats call.
    peer : callable or None
        The Elephant call; ``None`` when Elephant is not importable.
    check : callable or None
        ``check(ours_output, peer_output)`` raises ``AssertionError`` if the
        outputs disagree.
    """

    size: str
    ours: Callable[[], Any]
    peer: Callable[[], Any] | None = None
    check: Callable[[Any, Any], None] | None = None


@dataclass(frozen=True)
class Case:
    """A named benchmark.

    Attributes
    ----------
    name : str
        Name used in the table, the JSON file and ``--cases``.
    build : callable
        ``build(args, elephant) -> Pair``; ``elephant`` is the namespace from
        :func:`load_elephant` or ``None``.
    target : float or None
        Minimum ratio (Elephant time / spikestats time); ``None`` for cases
        reported for information.
    quick : bool
        Whether ``--quick`` runs it.
    """

    name: str
    build: Callable[[argparse.Namespace, SimpleNamespace | None], Pair]
    target: float | None = None
    quick: bool = True


@dataclass(frozen=True)
class Combined:
    """A row whose per-repeat times are the sums of those of ``parts``."""

    name: str
    parts: tuple[str, ...]
    target: float | None = None


def load_elephant() -> tuple[SimpleNamespace | None, str]:
    """Import Elephant and what the cases need from it.

    Returns
    -------
    namespace or None, str
        The namespace (``None`` if Elephant or one of its dependencies is not
        importable) and its version or the import error.
    """
    try:
        import elephant
        import neo
        import quantities as pq
        from elephant.spike_train_generation import StationaryPoissonProcess
        from elephant.statistics import cv, fanofactor, isi
    except ImportError as exc:
        return None, f"{type(exc).__name__}: {exc}"
    return SimpleNamespace(pq=pq, neo=neo, StationaryPoissonProcess=StationaryPoissonProcess,
                           fanofactor=fanofactor, cv=cv, isi=isi), elephant.__version__


def _require(ok: bool, message: str) -> None:
    if not ok:
        raise AssertionError(message)


# ------------------------------------------------------------------ generation
def _check_poisson(ours: ss.SpikeTrains, peer: list[np.ndarray], *, n: int, rate: float, t_stop: float,
                   dead_time: float) -> None:
    """Both outputs are ``n`` trains of the same process: total count and dead time."""
    expected = n * rate * t_stop
    # 5 standard errors of a total Poisson count (a dead time only lowers the count variance)
    tol = 5.0 * np.sqrt(expected)
    for name, trains in (("spikestats", list(ours)), ("elephant", peer)):
        _require(len(trains) == n, f"{name} made {len(trains)} trains, not {n}")
        total = sum(len(a) for a in trains)
        _require(abs(total - expected) <= tol, f"{name} made {total} spikes; expected {expected:g} +- {tol:.0f}")
        flat = np.concatenate(trains)
        _require(bool(np.all((flat >= 0) & (flat <= t_stop))), f"{name} has spikes outside [0, {t_stop}]")
        gap = min((np.diff(a).min() for a in trains if len(a) > 1), default=np.inf)
        _require(gap >= dead_time * (1 - 1e-9), f"{name} has an ISI {gap} < dead time {dead_time}")


def _poisson(dead_time: float | None) -> Callable[[argparse.Namespace, SimpleNamespace | None], Pair]:
    """Builder of a Poisson-generation case; ``dead_time=None`` takes ``--dead-time``."""

    def build(a: argparse.Namespace, el: SimpleNamespace | None) -> Pair:
        d = a.dead_time if dead_time is None else dead_time
        n, rate, t_stop, seed = a.gen_trains, a.rate, a.gen_t_stop, a.seed
        size = f"{n} x {t_stop:g} s @ {rate:g} Hz" + (f", dead {d * 1e3:g} ms" if d else "")

        def ours() -> ss.SpikeTrains:
            return ss.generators.PoissonProcess(rate=rate, dead_time=d).simulate(n_trains=n, t_stop=t_stop, rng=seed)

        if el is None:
            return Pair(size, ours)
        np.random.seed(seed)  # Elephant draws from numpy's global RNG
        refractory = d * el.pq.s if d else None

        def peer() -> list[np.ndarray]:
            process = el.StationaryPoissonProcess(rate=rate * el.pq.Hz, t_stop=t_stop * el.pq.s,
                                                  refractory_period=refractory)
            return process.generate_n_spiketrains(n, as_array=True)

        return Pair(size, ours, peer, functools.partial(_check_poisson, n=n, rate=rate, t_stop=t_stop, dead_time=d))

    return build


# ------------------------------------------------------------------ statistics
@functools.lru_cache(maxsize=2)
def _trains(n: int, t_stop: float, rate: float, seed: int) -> tuple[ss.SpikeTrains, list[np.ndarray]]:
    """Poisson trains as SpikeTrains and as the list of arrays Elephant takes (same times)."""
    st = ss.generators.PoissonProcess(rate=rate).simulate(n_trains=n, t_stop=t_stop, rng=seed + 1)
    return st, [np.array(a) for a in st]


def _check_close(ours: Any, peer: Any, *, what: str, rtol: float = 1e-12) -> None:
    ours = np.asarray(ours, dtype=float)
    peer = np.asarray(peer, dtype=float)
    _require(ours.shape == peer.shape, f"{what}: shapes {ours.shape} and {peer.shape} differ")
    _require(bool(np.array_equal(np.isnan(ours), np.isnan(peer))), f"{what}: NaN at different places")
    ok = ~np.isnan(ours)
    err = np.max(np.abs(ours[ok] - peer[ok]) / np.abs(peer[ok]), initial=0.0)
    _require(err <= rtol, f"{what}: relative difference {err:.2e} > {rtol:g}")


def _stats(kind: str) -> Callable[[argparse.Namespace, SimpleNamespace | None], Pair]:
    """Builder of a statistics case: ``"fano"``, ``"fano-neo"`` (Elephant given neo.SpikeTrain) or ``"cv"``."""

    def build(a: argparse.Namespace, el: SimpleNamespace | None) -> Pair:
        st, arrays = _trains(a.stats_trains, a.stats_t_stop, a.rate, a.seed)
        size = f"{len(st)} x {a.stats_t_stop:g} s @ {a.rate:g} Hz"
        if kind == "cv":
            ours = functools.partial(ss.stats.cv, st)
            if el is None:
                return Pair(size, ours)
            return Pair(size, ours, lambda: [el.cv(el.isi(x)) for x in arrays],
                        functools.partial(_check_close, what="CV"))
        ours = functools.partial(ss.stats.fano_factor, st)  # window=None, ddof=0 as Elephant
        if el is None:
            return Pair(size, ours)
        if kind == "fano-neo":
            arrays = [el.neo.SpikeTrain(x, t_start=0.0, t_stop=a.stats_t_stop, units="s") for x in arrays]
            size += ", neo input"
        return Pair(size, ours, functools.partial(el.fanofactor, arrays), functools.partial(_check_close, what="Fano"))

    return build


from benchmarks.cases_generators import generator_cases  # noqa: E402  (needs Case and Pair above)

CASES: tuple[Case, ...] = (
    Case("poisson", _poisson(0.0), target=10.0),
    Case("poisson-dead-time", _poisson(None)),
    Case("fano", _stats("fano"), target=100.0),
    Case("fano-neo", _stats("fano-neo"), quick=False),
    Case("cv", _stats("cv"), target=100.0),
    *__import__("benchmarks.cases_variability", fromlist=["_"]).VARIABILITY_CASES,  # CV2, LV, LvR, windowed Fano
    *(Case(name, build, target, quick) for name, build, target, quick in NEURON_CASES),
    *generator_cases(),
    *__import__("benchmarks.cases_rates", fromlist=["_"]).RATE_CASES,  # kernel rate with automatic bandwidth
    *__import__("benchmarks.cases_changepoint", fromlist=["_"]).CHANGEPOINT_CASES,  # Poisson PELT vs skchange, ruptures
    *__import__("benchmarks.cases_mft", fromlist=["_"]).MFT_CASES,  # multiple filter test vs Elephant, BOCPD
    *__import__("benchmarks.cases_io", fromlist=["_"]).IO_CASES,  # w-maze load + bin vs pynapple
    *__import__("benchmarks.cases_glm", fromlist=["_"]).GLM_CASES,  # Poisson GLM fits vs statsmodels / sklearn
    *__import__("benchmarks.cases_glm_design", fromlist=["_"]).GLM_DESIGN_CASES,  # history design vs convolution
    *__import__("benchmarks.cases_parallel", fromlist=["_"]).PARALLEL_CASES,  # per-unit fits on dask, Zarr summary
    *__import__("benchmarks.cases_bridge", fromlist=["_"]).BRIDGE_CASES,  # Loihi integer and float step simulators
    *__import__("benchmarks.cases_bridge_spinnaker", fromlist=["_"]).SPINNAKER_CASES,  # SpiNNaker and escape references
)
COMBINED: tuple[Combined, ...] = (
    Combined("fano+cv", ("fano", "cv"), target=100.0),
    *__import__("benchmarks.cases_variability", fromlist=["_"]).VARIABILITY_COMBINED,
)
