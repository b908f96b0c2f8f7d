"""Epochs: a set of labelled time intervals (trials, stimulus periods, states)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from spikestats._validation import as_float_array, fail


def _labels(name: str, value, n: int) -> np.ndarray:
    """Per-item labels as an int64 or str array of length ``n`` (default ``0..n-1``)."""
    if value is None:
        return np.arange(n, dtype=np.int64)
    arr = np.asarray(value)
    if arr.ndim == 0:
        arr = np.full(n, arr.item())
    if arr.ndim != 1 or arr.shape[0] != n:
        fail(name, f"a scalar or one label per train ({n})", value, got=f"{arr.shape[0] if arr.ndim == 1 else arr.shape} labels")
    if arr.dtype.kind in "iub":
        return arr.astype(np.int64)
    if arr.dtype.kind == "f":
        if np.all(np.isfinite(arr)) and np.all(arr == np.round(arr)):
            return arr.astype(np.int64)
        fail(name, "integer or string labels", value, got="non-integer floats")
    if arr.dtype.kind == "U":
        return arr
    if arr.dtype.kind == "O" and all(isinstance(v, str) for v in arr):
        return arr.astype(str)
    fail(name, "integer or string labels", value, got=f"labels of dtype {arr.dtype}")
    raise AssertionError  # unreachable


@dataclass(frozen=True, eq=False)
class Epochs:
    """Labelled time intervals ``[start[k], stop[k])`` in seconds.

    Parameters
    ----------
    start, stop : array_like of float, shape (n_epochs,)
        Interval bounds in seconds; ``stop > start`` for each epoch.
    label : array_like of int or str, shape (n_epochs,), optional
        One label per epoch (default ``0 .. n_epochs - 1``).
    """

    start: np.ndarray
    stop: np.ndarray
    label: np.ndarray = field(default=None)  # type: ignore[assignment]

    def __post_init__(self) -> None:
        start = as_float_array("start", self.start)
        stop = as_float_array("stop", self.stop)
        start = np.atleast_1d(start)
        stop = np.atleast_1d(stop)
        if start.ndim != 1 or start.shape != stop.shape:
            fail("stop", f"the same 1-d shape as `start` {start.shape}", self.stop, got=f"shape {stop.shape}")
        bad = np.flatnonzero(~(stop > start))
        if bad.size:
            k = bad[0]
            fail("stop", "> start for every epoch", self.stop, got=f"start={start[k]}, stop={stop[k]} at epoch {k}")
        label = _labels("label", self.label, start.shape[0])
        for name, arr in (("start", start), ("stop", stop), ("label", label)):
            arr = np.array(arr)
            arr.flags.writeable = False
            object.__setattr__(self, name, arr)

    def __len__(self) -> int:
        return int(self.start.shape[0])

    @property
    def duration(self) -> np.ndarray:
        """Epoch durations in seconds, shape (n_epochs,)."""
        return self.stop - self.start

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Epochs):
            return NotImplemented
        return (np.array_equal(self.start, other.start) and np.array_equal(self.stop, other.stop)
                and np.array_equal(self.label, other.label))

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Epochs(n={len(self)}, total_duration={float(self.duration.sum()):.6g} s)"
