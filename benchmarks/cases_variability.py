"""Benchmark cases for ISI variability and windowed Fano factors: spikestats against Elephant (array input).

Both get the same ``--stats-trains`` Poisson trains of ``--stats-t-stop``
seconds (10,000 trains of ~200 spikes by default). Elephant's ``cv2``, ``lv``
and ``lvr`` take the intervals of one train, so the peer call loops over the
arrays as a user would; its ``fanofactor`` works across trains, so the
windowed Fano factor of a train is its ``fanofactor`` of the train cut into
consecutive windows. Outputs are compared to 1e-12 before any timing.
"""

from __future__ import annotations

import argparse
import functools
import warnings
from collections.abc import Callable
from types import SimpleNamespace

import numpy as np

from benchmarks.cases import Case, Combined, Pair, _check_close, _trains
from spikestats.stats.dispersion import fano_factor
from spikestats.stats.intervals import cv2, lv, lvr

#: window of the windowed Fano factor (s) and refractoriness constant of the LvR (s)
FANO_WINDOW = 0.5
LVR_R = 5e-3


def _elephant_windowed_fano(fanofactor: Callable, arrays: list[np.ndarray], window: float, t_stop: float) -> list:
    """Elephant's ``fanofactor`` of each train cut into consecutive windows (``np.split`` at the edges)."""
    inner = np.arange(1, int(round(t_stop / window))) * window
    return [fanofactor(np.split(a, np.searchsorted(a, inner, side="left"))) for a in arrays]


def _variability(kind: str, parallel: bool | None = None) -> Callable[[argparse.Namespace, SimpleNamespace | None],
                                                                      Pair]:
    """Builder of the ``"cv2"``, ``"lv"``, ``"lvr"`` and ``"fano-windowed"`` cases.

    CV2/LV/LvR run with the library's default ``parallel=None`` (threads from
    ``PARALLEL_MIN_ITEMS`` spikes) unless ``parallel`` forces a choice.
    """

    def build(a: argparse.Namespace, el: SimpleNamespace | None) -> Pair:
        st, arrays = _trains(a.stats_trains, a.stats_t_stop, a.rate, a.seed)
        size = f"{len(st)} x {a.stats_t_stop:g} s @ {a.rate:g} Hz"
        if kind == "fano-windowed":
            size += f", {FANO_WINDOW:g} s windows"
            ours = functools.partial(fano_factor, st, FANO_WINDOW)
        else:
            ours = functools.partial({"cv2": cv2, "lv": lv, "lvr": lvr}[kind], st, parallel=parallel)
            size += "" if parallel is None else f", parallel={parallel}"
        if el is None:
            return Pair(size, ours)
        from elephant import statistics as es

        if kind == "fano-windowed":
            def peer() -> list:
                return _elephant_windowed_fano(es.fanofactor, arrays, FANO_WINDOW, a.stats_t_stop)
        elif kind == "lvr":
            def peer() -> list:
                # unitless input: Elephant reads intervals and R in one unit (it warns "assuming ms");
                # R in seconds beside intervals in seconds is the same computation
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    return [es.lvr(np.diff(x), R=LVR_R) for x in arrays]
        else:
            theirs = {"cv2": es.cv2, "lv": es.lv}[kind]

            def peer() -> list:
                return [theirs(np.diff(x)) for x in arrays]

        return Pair(size, ours, peer, functools.partial(_check_close, what=kind))

    return build


VARIABILITY_CASES: tuple[Case, ...] = (
    Case("cv2", _variability("cv2"), target=100.0),
    Case("lv", _variability("lv"), target=100.0),
    Case("lvr", _variability("lvr"), target=100.0),
    Case("fano-windowed", _variability("fano-windowed"), target=100.0),
    Case("lv-serial", _variability("lv", parallel=False), quick=False),  # information: one thread
)
VARIABILITY_COMBINED: tuple[Combined, ...] = (
    Combined("cv2+lv+lvr+fano-windowed", ("cv2", "lv", "lvr", "fano-windowed"), target=100.0),
)
