"""`SpikeTrains`: many spike trains as one flat array of times plus offsets."""

from __future__ import annotations

import json
import numbers
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import numpy as np

from spikestats._config import INDEX_DTYPE, TIME_DTYPE
from spikestats._validation import as_float_array, as_int_array, check_scalar, describe, fail, per_train
from spikestats.core.binned import BinnedCounts, bin_edges, common_window
from spikestats.core.epochs import Epochs, _labels
from spikestats.exceptions import ValidationError, ValidationTypeError


def _frozen(arr: np.ndarray) -> np.ndarray:
    """Mark ``arr`` read-only (views of it stay read-only) and return it."""
    arr.flags.writeable = False
    return arr


def _check_metadata(metadata: Any) -> dict:
    """Metadata must be a JSON-serialisable mapping with string keys (it is stored as JSON)."""
    if metadata is None:
        return {}
    if not isinstance(metadata, Mapping):
        fail("metadata", "a dict with string keys", metadata, kind=ValidationTypeError)
    try:
        text = json.dumps(dict(metadata), allow_nan=False)
    except ValueError as exc:
        raise ValidationError(f"`metadata` must hold finite numbers only (NaN never equals itself, so round "
                              f"trips could not compare equal); got {describe(metadata)} ({exc}).") from None
    except TypeError as exc:
        raise ValidationTypeError(f"`metadata` must be JSON-serialisable (str, numbers, bools, None, lists and "
                                  f"dicts of them); got {describe(metadata)} ({exc}).") from None
    return json.loads(text)


class SpikeTrains:
    """Spike trains of many units and trials, stored flat.

    Train ``i`` holds ``times[offsets[i]:offsets[i + 1]]`` (seconds, sorted)
    and was observed on the closed window ``[t_start[i], t_stop[i]]``.

    Parameters
    ----------
    times : array_like of float, shape (n_spikes,)
        All spike times in seconds, train after train.
    offsets : array_like of int, shape (n_trains + 1,)
        Start of each train in ``times``; ``offsets[0] == 0`` and
        ``offsets[-1] == n_spikes``.
    t_start, t_stop : float or array_like of float, shape (n_trains,)
        Observation window of each train in seconds; ``t_stop > t_start``.
    unit, trial : array_like of int or str, shape (n_trains,), optional
        Labels per train. Defaults: ``unit = 0 .. n_trains - 1``, ``trial = 0``.
    metadata : dict, optional
        Free JSON-serialisable metadata (sampling rate, ground truth, ...).
    sort : bool, default False
        Sort times within each train instead of rejecting unsorted input.

    Notes
    -----
    The arrays are read-only; slicing with ``st[a:b]`` returns views.
    Equality (``==``) is exact on times, offsets, windows, labels and metadata.
    """

    __slots__ = ("_times", "_offsets", "_t_start", "_t_stop", "_unit", "_trial", "_metadata")
    __hash__ = None  # type: ignore[assignment]

    def __init__(self, times: Any, offsets: Any, t_start: Any, t_stop: Any, *, unit: Any = None,
                 trial: Any = None, metadata: Mapping | None = None, sort: bool = False) -> None:
        times = np.atleast_1d(as_float_array("times", times, copy=True))
        if times.ndim != 1:
            fail("times", "a 1-d array", times, got=f"shape {times.shape}")
        offsets = as_int_array("offsets", offsets, ndim=1)
        if offsets.shape[0] < 1 or offsets[0] != 0 or offsets[-1] != times.shape[0] or np.any(np.diff(offsets) < 0):
            fail("offsets", f"non-decreasing, starting at 0 and ending at len(times) = {times.shape[0]}", offsets,
                 got=f"{offsets[:4].tolist()}...{offsets[-2:].tolist()}" if offsets.size > 6 else str(offsets.tolist()))
        n = offsets.shape[0] - 1
        t_start = per_train("t_start", t_start, n)
        t_stop = per_train("t_stop", t_stop, n)
        bad = np.flatnonzero(~(t_stop > t_start))
        if bad.size:
            i = bad[0]
            fail("t_stop", "> t_start for every train", t_stop, got=f"t_start={t_start[i]}, t_stop={t_stop[i]} "
                 f"for train {i}")
        if sort:
            for i in range(n):
                times[offsets[i]:offsets[i + 1]].sort(kind="stable")
        else:
            d = np.diff(times)
            boundary = np.zeros(d.shape, dtype=bool)
            inner = offsets[1:-1]
            inner = inner[(inner > 0) & (inner < times.shape[0])]
            boundary[inner - 1] = True
            unsorted = np.flatnonzero((d < 0) & ~boundary)
            if unsorted.size:
                j = unsorted[0] + 1
                i = int(np.searchsorted(offsets, j, side="right") - 1)
                fail("times", "sorted within each train", times, got=f"{times[j - 1]} before {times[j]} in train {i}",
                     fix="Pass `sort=True` to sort them.")
        if times.size:
            train_of = np.repeat(np.arange(n), np.diff(offsets))
            outside = np.flatnonzero((times < t_start[train_of]) | (times > t_stop[train_of]))
            if outside.size:
                j = outside[0]
                i = train_of[j]
                fail("times", "inside each train's window [t_start, t_stop]", times,
                     got=f"{times[j]} in train {i} with window [{t_start[i]}, {t_stop[i]}]",
                     fix="Widen the window or drop those spikes (e.g. with `restrict`).")
        self._init(times, offsets, t_start, t_stop, _labels("unit", unit, n),
                   np.zeros(n, dtype=INDEX_DTYPE) if trial is None else _labels("trial", trial, n),
                   _check_metadata(metadata))

    def _init(self, times, offsets, t_start, t_stop, unit, trial, metadata) -> None:
        self._times = _frozen(times)
        self._offsets = _frozen(offsets)
        self._t_start = _frozen(t_start)
        self._t_stop = _frozen(t_stop)
        self._unit = _frozen(unit)
        self._trial = _frozen(trial)
        self._metadata = metadata

    @classmethod
    def _trusted(cls, times, offsets, t_start, t_stop, unit, trial, metadata) -> SpikeTrains:
        """Build without validation from arrays already known to be valid (may be views)."""
        obj = cls.__new__(cls)
        obj._init(times, offsets, t_start, t_stop, unit, trial, dict(metadata))
        return obj

    def __reduce__(self) -> tuple:
        """Pickle through :meth:`_trusted`, so unpickled trains (dask workers, multiprocessing) stay read-only."""
        return (SpikeTrains._trusted, (self._times, self._offsets, self._t_start, self._t_stop, self._unit,
                                       self._trial, self._metadata))

    # ------------------------------------------------------------------ constructors
    @classmethod
    def from_list(cls, trains: Sequence[Any], t_start: Any = 0.0, t_stop: Any = None, *, unit: Any = None,
                  trial: Any = None, metadata: Mapping | None = None, sort: bool = False) -> SpikeTrains:
        """Build from a sequence of 1-d arrays of spike times (seconds).

        Parameters
        ----------
        trains : sequence of array_like of float
            One array of spike times per train.
        t_start : float or array_like, default 0.0
            Window start(s) in seconds.
        t_stop : float or array_like, optional
            Window end(s) in seconds. Required unless every train has spikes,
            in which case it defaults to the latest spike time of all trains.
        unit, trial, metadata, sort
            As in :class:`SpikeTrains`.
        """
        if isinstance(trains, np.ndarray) and trains.dtype != object and trains.ndim == 1:
            trains = [trains]
        if isinstance(trains, (str, bytes)) or not isinstance(trains, (Sequence, np.ndarray)):
            fail("trains", "a sequence of 1-d arrays of spike times", trains, kind=ValidationTypeError)
        arrays = []
        for i, tr in enumerate(trains):
            arr = np.atleast_1d(as_float_array(f"trains[{i}]", tr))
            if arr.ndim != 1:
                fail(f"trains[{i}]", "a 1-d array of spike times", tr, got=f"shape {arr.shape}")
            arrays.append(arr)
        lengths = np.array([a.shape[0] for a in arrays], dtype=INDEX_DTYPE)
        offsets = np.zeros(len(arrays) + 1, dtype=INDEX_DTYPE)
        np.cumsum(lengths, out=offsets[1:])
        times = np.concatenate(arrays) if arrays else np.empty(0, dtype=TIME_DTYPE)
        if t_stop is None:
            if not times.size:
                fail("t_stop", "given when no train has spikes", t_stop)
            t_stop = float(times.max())
            if np.all(np.asarray(t_start) >= t_stop):
                fail("t_stop", "given (the latest spike is not after t_start)", t_stop)
        return cls(times, offsets, t_start, t_stop, unit=unit, trial=trial, metadata=metadata, sort=sort)

    @classmethod
    def from_flat(cls, times: Any, train_index: Any, t_start: Any, t_stop: Any, *, n_trains: int | None = None,
                  unit: Any = None, trial: Any = None, metadata: Mapping | None = None,
                  sort: bool = True) -> SpikeTrains:
        """Build from parallel arrays of spike times and train indices (e.g. NEST's times and senders).

        Parameters
        ----------
        times : array_like of float, shape (n_spikes,)
            Spike times in seconds, in any order.
        train_index : array_like of int, shape (n_spikes,)
            Train (0-based) of each spike.
        t_start, t_stop : float or array_like
            Window(s) in seconds.
        n_trains : int, optional
            Number of trains (default ``max(train_index) + 1``); trains with no
            spike are kept.
        sort : bool, default True
            Sort times within each train (the pair is usually time-ordered
            overall, not per train).
        """
        times = np.atleast_1d(as_float_array("times", times))
        idx = np.atleast_1d(as_int_array("train_index", train_index, nonnegative=True))
        if times.ndim != 1 or idx.shape != times.shape:
            fail("train_index", f"a 1-d array as long as `times` ({times.shape})", train_index,
                 got=f"shape {idx.shape}")
        n = int(idx.max()) + 1 if idx.size else 0
        if n_trains is not None:
            n_trains = check_scalar("n_trains", n_trains, integer=True, nonnegative=True)
            if n_trains < n:
                fail("n_trains", f">= max(train_index) + 1 = {n}", n_trains)
            n = n_trains
        order = np.argsort(idx, kind="stable")
        offsets = np.zeros(n + 1, dtype=INDEX_DTYPE)
        np.cumsum(np.bincount(idx, minlength=n), out=offsets[1:])
        return cls(times[order], offsets, t_start, t_stop, unit=unit, trial=trial, metadata=metadata, sort=sort)

    @classmethod
    def from_raster(cls, raster: Any, bin_size: float, t_start: float = 0.0, *, unit: Any = None, trial: Any = None,
                    metadata: Mapping | None = None) -> SpikeTrains:
        """Build from a dense raster of spike counts, shape ``(n_trains, n_bins)`` (or ``(n_bins,)``).

        A bin ``[t_start + k*bin_size, t_start + (k+1)*bin_size)`` holding ``c``
        spikes gives ``c`` spikes at its left edge; each train's window is
        ``[t_start, t_start + n_bins*bin_size]``. 0/1 (bool) rasters are the
        usual case.
        """
        from spikestats._kernels.binning import raster_to_spikes

        arr = np.asarray(raster)
        if arr.dtype.kind not in "biu" and not (arr.dtype.kind == "f" and np.all(arr == np.round(arr))):
            fail("raster", "an array of non-negative integer counts or booleans", raster, kind=ValidationTypeError)
        if arr.ndim == 1:
            arr = arr[None, :]
        if arr.ndim != 2:
            fail("raster", "a 2-d array (n_trains, n_bins)", raster, got=f"shape {arr.shape}")
        counts = arr.astype(INDEX_DTYPE)
        if counts.size and counts.min() < 0:
            fail("raster", "non-negative", raster, got=f"minimum {counts.min()}")
        bin_size = check_scalar("bin_size", bin_size, positive=True)
        t_start = check_scalar("t_start", t_start)
        n_trains, n_bins = counts.shape
        if n_bins == 0:
            fail("raster", "at least one bin", raster, got=f"shape {arr.shape}")
        times, offsets = raster_to_spikes(np.ascontiguousarray(counts), t_start, bin_size)
        t_stop = bin_edges(t_start, bin_size, n_bins)[-1]
        return cls(times, offsets, t_start, t_stop, unit=unit, trial=trial, metadata=metadata)

    @classmethod
    def from_packed(cls, packed: Any, bin_size: float, t_start: float = 0.0, *, n_bins: int | None = None,
                    unit: Any = None, trial: Any = None, metadata: Mapping | None = None) -> SpikeTrains:
        """Build from the bit-packed time-major layout of :meth:`to_packed`.

        Parameters
        ----------
        packed : array_like of uint8, shape (ceil(n_bins / 8), n_trials, n_units)
            Bits along the time axis, most significant bit first
            (``np.packbits(raster, axis=0)``).
        bin_size, t_start : float
            Bin width and start of the first bin, seconds.
        n_bins : int, optional
            Number of time bins (default ``8 * packed.shape[0]``).
        unit, trial : array_like, optional
            Labels of the ``n_units`` channels and the ``n_trials`` batch entries
            (default ``0 ..``). Trains come out trial-major: train ``b * n_units + c``
            is unit ``c`` in trial ``b``.
        """
        arr = np.asarray(packed)
        if arr.dtype != np.uint8:
            fail("packed", "a uint8 array", packed, kind=ValidationTypeError, got=f"dtype {arr.dtype}")
        if arr.ndim != 3:
            fail("packed", "a 3-d array (time_bytes, n_trials, n_units)", packed, got=f"shape {arr.shape}")
        n_max = 8 * arr.shape[0]
        n_bins = n_max if n_bins is None else check_scalar("n_bins", n_bins, integer=True, positive=True)
        if not n_max - 8 < n_bins <= n_max:
            fail("n_bins", f"in ({n_max - 8}, {n_max}] for {arr.shape[0]} packed bytes", n_bins)
        dense = np.unpackbits(arr, axis=0, count=n_bins)          # (T, B, C)
        _, n_b, n_c = dense.shape
        raster = dense.transpose(1, 2, 0).reshape(n_b * n_c, n_bins)
        units = np.arange(n_c) if unit is None else _labels("unit", unit, n_c)
        trials = np.arange(n_b) if trial is None else _labels("trial", trial, n_b)
        return cls.from_raster(raster, bin_size, t_start, unit=np.tile(units, n_b), trial=np.repeat(trials, n_c),
                               metadata=metadata)

    # ------------------------------------------------------------------ properties
    @property
    def times(self) -> np.ndarray:
        """All spike times (s), float64 ``(n_spikes,)``, read-only."""
        return self._times

    @property
    def offsets(self) -> np.ndarray:
        """Train boundaries in :attr:`times`, int64 ``(n_trains + 1,)``."""
        return self._offsets

    @property
    def t_start(self) -> np.ndarray:
        """Window start per train (s), ``(n_trains,)``."""
        return self._t_start

    @property
    def t_stop(self) -> np.ndarray:
        """Window end per train (s), ``(n_trains,)``."""
        return self._t_stop

    @property
    def duration(self) -> np.ndarray:
        """Window length per train (s), ``(n_trains,)``."""
        return self._t_stop - self._t_start

    @property
    def unit(self) -> np.ndarray:
        """Unit label per train (int64 or str), ``(n_trains,)``."""
        return self._unit

    @property
    def trial(self) -> np.ndarray:
        """Trial label per train (int64 or str), ``(n_trains,)``."""
        return self._trial

    @property
    def metadata(self) -> dict:
        """Free metadata (a copy; JSON-serialisable)."""
        return json.loads(json.dumps(self._metadata))

    @property
    def n_trains(self) -> int:
        """Number of trains."""
        return int(self._offsets.shape[0] - 1)

    @property
    def n_spikes(self) -> int:
        """Total number of spikes."""
        return int(self._times.shape[0])

    @property
    def counts(self) -> np.ndarray:
        """Number of spikes per train, int64 ``(n_trains,)``."""
        return np.diff(self._offsets)

    @property
    def train_index(self) -> np.ndarray:
        """Train of each spike, int64 ``(n_spikes,)``."""
        return np.repeat(np.arange(self.n_trains, dtype=INDEX_DTYPE), self.counts)

    # ------------------------------------------------------------------ container protocol
    def __len__(self) -> int:
        return self.n_trains

    def __iter__(self) -> Iterator[np.ndarray]:
        for i in range(self.n_trains):
            yield self._times[self._offsets[i]:self._offsets[i + 1]]

    def __getitem__(self, key: Any) -> np.ndarray | SpikeTrains:
        """``st[i]``: train ``i`` as a read-only array view; ``st[a:b]``: a view; ``st[[...]]``: a copy."""
        n = self.n_trains
        if isinstance(key, (numbers.Integral, np.integer)) and not isinstance(key, bool):
            i = int(key)
            if not -n <= i < n:
                raise IndexError(f"train index {i} is out of range for {n} trains")
            i %= n
            return self._times[self._offsets[i]:self._offsets[i + 1]]
        if isinstance(key, slice):
            start, stop, step = key.indices(n)
            if step == 1:
                stop = max(stop, start)
                a, b = self._offsets[start], self._offsets[stop]
                return SpikeTrains._trusted(self._times[a:b], _frozen(self._offsets[start:stop + 1] - a),
                                            self._t_start[start:stop], self._t_stop[start:stop],
                                            self._unit[start:stop], self._trial[start:stop], self._metadata)
            return self._take(np.arange(start, stop, step))
        arr = np.asarray(key)
        if arr.dtype == bool:
            if arr.shape != (n,):
                fail("key", f"a boolean mask of length {n}", key, kind=IndexError, got=f"shape {arr.shape}")
            return self._take(np.flatnonzero(arr))
        if arr.dtype.kind in "iu" and arr.ndim == 1:
            if arr.size and (arr.max() >= n or arr.min() < -n):
                raise IndexError(f"train indices must lie in [-{n}, {n}); got {arr.min()} .. {arr.max()}")
            return self._take(arr % n if n else arr)
        raise ValidationTypeError(f"`key` must be an int, a slice, an int array or a boolean mask; got "
                                  f"{describe(key)}.")

    def _take(self, index: np.ndarray) -> SpikeTrains:
        """Trains ``index`` (int array) as a new SpikeTrains (copies the times)."""
        counts = self.counts[index]
        offsets = np.zeros(index.shape[0] + 1, dtype=INDEX_DTYPE)
        np.cumsum(counts, out=offsets[1:])
        if index.size:
            starts = self._offsets[index]
            gather = np.repeat(starts - offsets[:-1], counts) + np.arange(offsets[-1])
            times = self._times[gather]
        else:
            times = np.empty(0, dtype=TIME_DTYPE)
        return SpikeTrains._trusted(times, offsets, self._t_start[index].copy(), self._t_stop[index].copy(),
                                    self._unit[index].copy(), self._trial[index].copy(), self._metadata)

    # ------------------------------------------------------------------ selection
    def select(self, unit: Any = None, trial: Any = None) -> SpikeTrains:
        """Trains whose labels match.

        Parameters
        ----------
        unit, trial : label or sequence of labels, optional
            Keep trains whose unit (and trial) is among these; ``None`` keeps all.
            Order follows the original trains.
        """
        mask = np.ones(self.n_trains, dtype=bool)
        for name, wanted, labels in (("unit", unit, self._unit), ("trial", trial, self._trial)):
            if wanted is None:
                continue
            want = np.atleast_1d(np.asarray(wanted))
            if want.dtype.kind != labels.dtype.kind and not (want.dtype.kind in "iu" and labels.dtype.kind in "iu"):
                fail(name, f"labels of the same kind as the data ({labels.dtype})", wanted, kind=ValidationTypeError)
            missing = np.setdiff1d(want, labels)
            if missing.size:
                avail = np.unique(labels)
                shown = avail[:10].tolist()
                fail(name, f"among the labels present ({shown}{' ...' if avail.size > 10 else ''})", wanted,
                     got=f"{missing.tolist()} (not present)")
            mask &= np.isin(labels, want)
        return self._take(np.flatnonzero(mask))

    def restrict(self, t_start: Any = None, t_stop: Any = None, *, align: bool = False) -> SpikeTrains:
        """Spikes inside a time window, or cut into epochs.

        Parameters
        ----------
        t_start, t_stop : float, optional
            New window; each train's window becomes its intersection with
            ``[t_start, t_stop]`` (``None`` keeps that side). Spikes outside are
            dropped.
        t_start : Epochs
            Alternatively, an :class:`Epochs` set: every train is cut into one
            train per epoch (trains ordered train-major), whose trial label is
            the epoch label. Requires one trial label per unit (a continuous
            recording).
        align : bool, default False
            With epochs, shift each piece so that its epoch starts at 0 s.

        Returns
        -------
        SpikeTrains
            Restricting to every train's own full window returns an equal object.
        """
        if isinstance(t_start, Epochs):
            if t_stop is not None:
                fail("t_stop", "None when `t_start` is an Epochs set", t_stop)
            return self._restrict_epochs(t_start, align)
        lo = self._t_start if t_start is None else np.maximum(self._t_start, check_scalar("t_start", t_start))
        hi = self._t_stop if t_stop is None else np.minimum(self._t_stop, check_scalar("t_stop", t_stop))
        if t_start is not None and t_stop is not None and not t_stop > t_start:
            fail("t_stop", f"> t_start = {t_start}", t_stop)
        empty = np.flatnonzero(~(hi > lo))
        if empty.size:
            i = empty[0]
            fail("t_start", f"a window overlapping every train's window (train {i} covers "
                 f"[{self._t_start[i]}, {self._t_stop[i]}])", (t_start, t_stop), got=f"[{t_start}, {t_stop}]")
        return self._cut(np.arange(self.n_trains), lo, hi, np.zeros(self.n_trains), self._trial)

    def _cut(self, source: np.ndarray, lo: np.ndarray, hi: np.ndarray, shift: np.ndarray,
             trial: np.ndarray) -> SpikeTrains:
        """Train ``source[k]`` restricted to ``[lo[k], hi[k]]`` and shifted by ``-shift[k]``."""
        starts = self._offsets[source]
        ends = self._offsets[source + 1]
        first = np.empty(source.shape[0], dtype=INDEX_DTYPE)
        last = np.empty(source.shape[0], dtype=INDEX_DTYPE)
        for k, (a, b) in enumerate(zip(starts, ends)):
            seg = self._times[a:b]
            first[k] = a + np.searchsorted(seg, lo[k], side="left")
            last[k] = a + np.searchsorted(seg, hi[k], side="right")
        counts = last - first
        offsets = np.zeros(source.shape[0] + 1, dtype=INDEX_DTYPE)
        np.cumsum(counts, out=offsets[1:])
        gather = np.repeat(first - offsets[:-1], counts) + np.arange(offsets[-1])
        times = self._times[gather]
        if np.any(shift):
            times = times - np.repeat(shift, counts)
        return SpikeTrains._trusted(times, offsets, np.asarray(lo - shift, dtype=TIME_DTYPE).copy(),
                                    np.asarray(hi - shift, dtype=TIME_DTYPE).copy(), self._unit[source].copy(),
                                    np.asarray(trial).copy(), self._metadata)

    def _restrict_epochs(self, epochs: Epochs, align: bool) -> SpikeTrains:
        pairs = {}
        for u, tr in zip(self._unit.tolist(), self._trial.tolist()):
            pairs.setdefault(u, set()).add(tr)
        if any(len(v) > 1 for v in pairs.values()):
            fail("t_start", "applied to a continuous recording (one train per unit) when it is an Epochs set",
                 epochs, got="several trials per unit", fix="Select one trial first with `select(trial=...)`.")
        n, m = self.n_trains, len(epochs)
        source = np.repeat(np.arange(n), m)
        e_start = np.tile(epochs.start, n)
        e_stop = np.tile(epochs.stop, n)
        lo = np.maximum(self._t_start[source], e_start)
        hi = np.minimum(self._t_stop[source], e_stop)
        bad = np.flatnonzero(~(hi > lo))
        if bad.size:
            k = bad[0]
            fail("t_start", "epochs inside every train's window", epochs,
                 got=f"epoch [{e_start[k]}, {e_stop[k]}] outside train {source[k]}'s window "
                     f"[{self._t_start[source[k]]}, {self._t_stop[source[k]]}]")
        shift = e_start if align else np.zeros_like(e_start)
        return self._cut(source, lo, hi, shift, np.tile(epochs.label, n))

    # ------------------------------------------------------------------ combination and comparison
    @classmethod
    def concatenate(cls, items: Sequence[SpikeTrains]) -> SpikeTrains:
        """Stack the trains of several objects (labels and windows kept, metadata merged).

        Metadata keys present in several inputs must agree.
        """
        items = list(items)
        if not items or not all(isinstance(x, SpikeTrains) for x in items):
            fail("items", "a non-empty sequence of SpikeTrains", items, kind=ValidationTypeError)
        kinds = {x.unit.dtype.kind in "iu" for x in items}, {x.trial.dtype.kind in "iu" for x in items}
        for name, k in zip(("unit", "trial"), kinds):
            if len(k) > 1:
                fail(name, "labels of one kind (all int or all str) across the inputs", items,
                     got="a mix of int and str labels")
        metadata: dict = {}
        for x in items:
            for key, value in x._metadata.items():
                if key in metadata and metadata[key] != value:
                    fail("items", f"agreeing metadata (key {key!r})", items,
                         got=f"{metadata[key]!r} vs {value!r}")
                metadata[key] = value
        offsets = np.zeros(sum(len(x) for x in items) + 1, dtype=INDEX_DTYPE)
        np.cumsum(np.concatenate([x.counts for x in items]), out=offsets[1:])
        return cls._trusted(np.concatenate([x.times for x in items]), offsets,
                            np.concatenate([x.t_start for x in items]), np.concatenate([x.t_stop for x in items]),
                            np.concatenate([x.unit for x in items]), np.concatenate([x.trial for x in items]),
                            metadata)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, SpikeTrains):
            return NotImplemented
        return (np.array_equal(self._offsets, other._offsets) and np.array_equal(self._times, other._times)
                and np.array_equal(self._t_start, other._t_start) and np.array_equal(self._t_stop, other._t_stop)
                and self._unit.dtype.kind == other._unit.dtype.kind and np.array_equal(self._unit, other._unit)
                and self._trial.dtype.kind == other._trial.dtype.kind and np.array_equal(self._trial, other._trial)
                and self._metadata == other._metadata)

    def copy(self) -> SpikeTrains:
        """A deep copy that shares no memory with this object."""
        return SpikeTrains._trusted(self._times.copy(), self._offsets.copy(), self._t_start.copy(),
                                    self._t_stop.copy(), self._unit.copy(), self._trial.copy(), self.metadata)

    def with_metadata(self, **entries: Any) -> SpikeTrains:
        """A view with ``entries`` added to (or replacing those in) the metadata."""
        metadata = {**self._metadata, **_check_metadata(entries)}
        return SpikeTrains._trusted(self._times, self._offsets, self._t_start, self._t_stop, self._unit,
                                    self._trial, metadata)

    # ------------------------------------------------------------------ conversions
    def to_xarray(self):
        """This object as an ``xarray.Dataset`` (schema in :mod:`spikestats.xarray.schema`)."""
        from spikestats.xarray.schema import to_dataset

        return to_dataset(self)

    @classmethod
    def from_xarray(cls, ds: Any) -> SpikeTrains:
        """Inverse of :meth:`to_xarray` (lossless)."""
        from spikestats.xarray.schema import from_dataset

        return from_dataset(ds)

    def to_list(self) -> list[np.ndarray]:
        """The trains as a list of float64 arrays (copies)."""
        return [np.array(t) for t in self]

    def __repr__(self) -> str:
        n = self.n_trains
        if n == 0:
            return "SpikeTrains(n_trains=0)"
        win = (f"[{self._t_start[0]:.6g}, {self._t_stop[0]:.6g}] s"
               if np.all(self._t_start == self._t_start[0]) and np.all(self._t_stop == self._t_stop[0])
               else "per-train windows")
        return (f"SpikeTrains(n_trains={n}, n_spikes={self.n_spikes}, window={win}, "
                f"units={np.unique(self._unit).size}, trials={np.unique(self._trial).size})")

    # ------------------------------------------------------------------ binning and rasters
    def bin(self, bin_size: float, t_start: float | None = None, t_stop: float | None = None, *,
            parallel: bool = False) -> BinnedCounts:
        """Spike counts in bins of ``bin_size`` seconds on common edges.

        Parameters
        ----------
        bin_size : float
            Bin width in seconds, > 0.
        t_start, t_stop : float, optional
            Window to bin; defaults to the window common to all trains
            (``max(t_start)``, ``min(t_stop)``).
        parallel : bool, default False
            Count trains on several threads (same result).

        Returns
        -------
        BinnedCounts
            ``counts`` of shape ``(n_trains, n_bins)``.

        Notes
        -----
        Edges are ``t_start + k * bin_size`` for ``k = 0 .. n_bins`` with
        ``n_bins = floor((t_stop - t_start) / bin_size)`` (up to a 1e-9
        tolerance), so only whole bins are made. Bins are left-closed
        ``[e_k, e_k+1)``; the last is also closed on the right, so a spike at
        its right edge (``t_stop`` when the window is a whole number of bins) is
        counted. Spikes after the last edge (a partial final bin) are dropped.
        A spike within about 1e-9 bins below an edge counts as on the edge, so
        float rounding never moves a spike at e.g. 0.3 s out of bin 3 of 0.1 s
        bins (``3 * 0.1 > 0.3`` in floating point).
        """
        from spikestats._kernels.binning import bin_counts, bin_counts_parallel

        bin_size = check_scalar("bin_size", bin_size, positive=True)
        lo, hi = common_window(self._t_start, self._t_stop, t_start, t_stop)
        n_bins = _n_bins(lo, hi, bin_size)
        kernel = bin_counts_parallel if parallel else bin_counts
        counts = kernel(self._times, self._offsets, lo, bin_size, n_bins)
        return BinnedCounts(counts=counts, edges=bin_edges(lo, bin_size, n_bins), unit=self._unit.copy(),
                            trial=self._trial.copy())

    def to_raster(self, bin_size: float, t_start: float | None = None, t_stop: float | None = None, *,
                  on_collision: str = "raise") -> np.ndarray:
        """Dense 0/1 raster, uint8 ``(n_trains, n_bins)``, on the edges of :meth:`bin`.

        Parameters
        ----------
        on_collision : {"raise", "clip"}
            What to do when a bin holds more than one spike: raise (and suggest
            a smaller ``bin_size``), or record a 1 and lose the extra spikes.
        """
        from spikestats._validation import check_option

        check_option("on_collision", on_collision, ("raise", "clip"))
        counts = self.bin(bin_size, t_start, t_stop).counts
        if on_collision == "raise" and counts.size and counts.max() > 1:
            i, k = np.unravel_index(np.argmax(counts), counts.shape)
            raise ValidationError(f"`bin_size` must be small enough for at most one spike per bin; got "
                                  f"{bin_size}, which puts {counts[i, k]} spikes in bin {k} of train {i}. "
                                  f"Use a smaller `bin_size`, `on_collision='clip'`, or `bin()` for counts.")
        return np.minimum(counts, 1).astype(np.uint8)

    def to_packed(self, bin_size: float, t_start: float | None = None, t_stop: float | None = None, *,
                  on_collision: str = "raise") -> np.ndarray:
        """Bit-packed time-major raster ``[T, B, C]`` as JAX SNN libraries (e.g. Spyx) use.

        Returns
        -------
        numpy.ndarray of uint8, shape (ceil(n_bins / 8), n_trials, n_units)
            ``np.packbits(raster, axis=0)`` of the 0/1 raster arranged as
            (time, trial, unit); trials and units in sorted label order. Every
            (trial, unit) pair must have exactly one train. Invert with
            :meth:`from_packed` (pass ``n_bins`` when it is not a multiple of 8).
        """
        units, u_idx = np.unique(self._unit, return_inverse=True)
        trials, t_idx = np.unique(self._trial, return_inverse=True)
        grid = np.full((trials.size, units.size), -1, dtype=INDEX_DTYPE)
        grid[t_idx, u_idx] = np.arange(self.n_trains)
        if self.n_trains != trials.size * units.size or np.any(grid < 0):
            fail("self", "one train per (trial, unit) pair for the [T, B, C] layout", self,
                 got=f"{self.n_trains} trains for {trials.size} trials x {units.size} units")
        raster = self.to_raster(bin_size, t_start, t_stop, on_collision=on_collision)
        dense = raster[grid.ravel()].reshape(trials.size, units.size, -1).transpose(2, 0, 1)
        return np.packbits(dense, axis=0)


def _n_bins(lo: float, hi: float, bin_size: float) -> int:
    """Number of whole bins of ``bin_size`` in ``[lo, hi]`` (1e-9 relative tolerance)."""
    from spikestats._config import n_whole_bins

    n = int(n_whole_bins(hi - lo, bin_size))
    if n < 1:
        fail("bin_size", f"<= the window length {hi - lo}", bin_size)
    return n


def concatenate(items: Sequence[SpikeTrains]) -> SpikeTrains:
    """Stack the trains of several :class:`SpikeTrains` (see :meth:`SpikeTrains.concatenate`)."""
    return SpikeTrains.concatenate(items)


def is_single_train(x: Any) -> bool:
    """True when ``x`` is one train given as a flat sequence of spike times (not SpikeTrains or a list of them)."""
    if isinstance(x, SpikeTrains) or isinstance(x, (str, bytes)) or x is None:
        return False
    if isinstance(x, np.ndarray):
        return x.dtype != object and x.ndim == 1
    return isinstance(x, Sequence) and all(np.ndim(v) == 0 for v in x)


def as_spiketrains(x: Any, name: str = "st", *, t_start: float | None = None,
                   t_stop: float | None = None) -> SpikeTrains:
    """Coerce the input of a statistics function to :class:`SpikeTrains`.

    Accepts a SpikeTrains (returned as is), one 1-d array of spike times (one
    train) or a sequence of such arrays. For arrays the window is
    ``[t_start, t_stop]`` with defaults ``0.0`` and the latest spike, as in
    Elephant.
    """
    if isinstance(x, SpikeTrains):
        if t_start is not None or t_stop is not None:
            return x.restrict(t_start, t_stop)
        return x
    if isinstance(x, (str, bytes, Mapping)) or x is None:
        fail(name, "a SpikeTrains, a 1-d array of spike times or a list of them", x, kind=ValidationTypeError)
    if isinstance(x, np.ndarray) and x.dtype != object:
        if x.ndim != 1:
            fail(name, "a 1-d array of spike times (one train)", x, got=f"shape {x.shape}")
        trains = [x]
    elif isinstance(x, Sequence) and len(x) and all(np.ndim(v) == 0 for v in x):
        trains = [np.asarray(x)]
    elif isinstance(x, (Sequence, np.ndarray)):
        trains = list(x)
    else:
        fail(name, "a SpikeTrains, a 1-d array of spike times or a list of them", x, kind=ValidationTypeError)
    arrays = [np.atleast_1d(as_float_array(f"{name}[{i}]", t)) for i, t in enumerate(trains)]
    spiking = [a for a in arrays if a.size]
    first = min((float(a.min()) for a in spiking), default=np.inf)
    latest = max((float(a.max()) for a in spiking), default=-np.inf)
    lo = 0.0 if t_start is None else check_scalar("t_start", t_start)
    if t_stop is None:
        if not spiking:
            fail("t_stop", "given when the trains hold no spikes", t_stop)
        hi = latest if latest > lo else np.nextafter(lo, np.inf)
    else:
        hi = check_scalar("t_stop", t_stop)
    # build on a window holding every spike, then cut to the requested one (spikes outside are dropped)
    full = SpikeTrains.from_list(arrays, t_start=min(lo, first), t_stop=max(hi, latest))
    return full if (full.t_start[0] == lo and full.t_stop[0] == hi) else full.restrict(lo, hi)
