"""Signals given as ``(times, values)`` pairs, read as piecewise constant, and their exact integrals."""

from __future__ import annotations

from typing import Any

import numpy as np

from spikestats._validation import as_float_array, fail
from spikestats.exceptions import ValidationTypeError


def piecewise_pair(name: str, pair: Any) -> tuple[np.ndarray, np.ndarray]:
    """Edges ``(n + 1,)`` and values ``(n,)`` or ``(n, n_features)`` from a ``(times, values)`` pair.

    ``times`` either has one entry more than ``values`` (the pieces' edges),
    or as many: value ``i`` holds from ``times[i]`` to ``times[i + 1]``, the
    last one for one more step ``times[-1] - times[-2]`` (regular sampling).
    """
    if not (isinstance(pair, tuple) and len(pair) == 2):
        fail(name, "a (times, values) pair", pair, kind=ValidationTypeError)
    t = as_float_array(f"{name}[0] (times)", pair[0], ndim=1)
    v = as_float_array(f"{name}[1] (values)", pair[1])
    if v.ndim not in (1, 2):
        fail(f"{name}[1] (values)", "a 1-d or 2-d (n_times, n_features) array", pair[1],
             got=f"an array of shape {v.shape}")
    n = v.shape[0]
    if t.size == n + 1:
        edges = t
    elif t.size == n and n >= 2:
        edges = np.r_[t, t[-1] + (t[-1] - t[-2])]
    else:
        fail(f"{name}[0] (times)", f"of length len(values) = {n} (>= 2) or len(values) + 1 = {n + 1}", pair[0],
             got=f"length {t.size}")
    if np.any(np.diff(edges) <= 0):
        fail(f"{name}[0] (times)", "strictly increasing", pair[0])
    return edges, v


def cumulative(edges: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Integral of the piecewise-constant signal from ``edges[0]`` to each edge: ``(n + 1,)`` or ``(n + 1, f)``."""
    widths = np.diff(edges)
    inc = values * (widths if values.ndim == 1 else widths[:, None])
    out = np.zeros((edges.size,) + values.shape[1:])
    np.cumsum(inc, axis=0, out=out[1:])
    return out


def integral_at(edges: np.ndarray, cum: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Integral from ``edges[0]`` to each point of ``x`` (exact: linear between edges), 1-d ``cum`` only."""
    return np.interp(x, edges, cum)


def check_covers(name: str, edges: np.ndarray, lo: float, hi: float, what: str) -> None:
    """The signal's time base ``[edges[0], edges[-1]]`` must hold ``[lo, hi]`` (1e-9 s slack)."""
    if edges[0] > lo + 1e-9 or edges[-1] < hi - 1e-9:
        fail(name, f"defined over {what} [{lo:g}, {hi:g}] s", None,
             got=f"a time base covering [{edges[0]:g}, {edges[-1]:g}] s",
             fix="Give values over the whole recording (times in seconds, on the spike trains' clock).")
