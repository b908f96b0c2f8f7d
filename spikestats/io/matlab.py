"""MATLAB (``.mat``, v5) codec: the common shapes labs store spike data in.

Reading (``scipy.io.loadmat``) understands

* files written by spikestats (variable ``spikestats`` present): exact;
* a **MatClust** ``spikes`` variable (nelpy layout): one cell per tetrode,
  each holding unit structs with fields ``time`` (s), ``timerange``,
  ``meanrate``; empty tetrodes are skipped, and a tetrode with a single unit
  (a 0-d struct after squeezing) is handled like the others;
* a **cell array** of spike-time vectors: 1-d -> one train per cell,
  2-d ``(n_units, n_trials)`` -> one train per cell with unit = row and
  trial = column labels;
* a **0/1 (or count) matrix** with ``bin_size`` given: rows are trains
  (units or trials, ``rows=``), each spike at its bin's left edge;
* a numeric **vector** of spike times: one train.

Writing stores ``spike_times`` (a cell column of column vectors, seconds),
``t_start``, ``t_stop`` (columns), ``unit``, ``trial`` (int64 columns or cell
arrays of char) and ``spikestats`` (a char row of JSON: schema tag, version,
label kinds and the metadata), compressed. In MATLAB ``spike_times{i}`` is
train ``i``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from spikestats._config import INDEX_DTYPE, TIME_DTYPE
from spikestats._validation import check_option, check_scalar
from spikestats.core.spiketrains import SpikeTrains
from spikestats.exceptions import FileFormatError
from spikestats.io._layout import ATTR_METADATA, Source, check_attrs, decode, encode

#: Variable that marks (and describes) a file written by spikestats.
MARKER = "spikestats"
MATCLUST_FIELDS = ("time", "timerange")


def save(st: SpikeTrains, path: Path) -> None:
    """Write ``st`` as a MATLAB v5 file (see the module docstring for the variables)."""
    from scipy.io import savemat

    arrays, attrs = encode(st)
    cells = np.empty((st.n_trains, 1), dtype=object)
    for i in range(st.n_trains):
        cells[i, 0] = np.array(st[i], dtype=TIME_DTYPE).reshape(-1, 1)
    kinds = {key: "str" if arrays[key].dtype.kind == "U" else "int" for key in ("unit", "trial")}
    payload = {"spike_times": cells, "t_start": arrays["t_start"].reshape(-1, 1),
               "t_stop": arrays["t_stop"].reshape(-1, 1),
               MARKER: json.dumps({**attrs, "label_kinds": kinds}, ensure_ascii=True)}
    for key in ("unit", "trial"):
        if kinds[key] == "str":
            labels = np.empty((st.n_trains, 1), dtype=object)
            labels[:, 0] = arrays[key].tolist()
            payload[key] = labels
        else:
            payload[key] = arrays[key].astype(np.int64).reshape(-1, 1)
    with open(path, "wb") as fh:
        savemat(fh, payload, do_compression=True, format="5")


def load(path: Path, *, variable: str | None = None, bin_size: float | None = None, rows: str = "unit",
         t_start: float | None = None, t_stop: float | None = None, time_scale: float = 1.0,
         keep_empty_units: bool = False) -> SpikeTrains:
    """Read spike trains from a MATLAB v5 file.

    Parameters
    ----------
    path : pathlib.Path
    variable : str, optional
        Variable to read; default: the only one, or ``spikes`` of a MatClust file.
    bin_size : float, optional
        Bin width in seconds of a 0/1 matrix (required for matrices).
    rows : {"unit", "trial"}, default "unit"
        What the rows of a 0/1 matrix or a 1-d cell array are.
    t_start, t_stop : float, optional
        Window of every train (seconds). Defaults: the MatClust ``timerange``;
        ``[0, n_bins * bin_size]`` for matrices; ``[min(0, first spike), last
        spike]`` for times.
    time_scale : float, default 1.0
        Seconds per stored time unit (``1e-3`` for milliseconds).
    keep_empty_units : bool, default False
        Keep MatClust units without spikes (empty placeholders of the sorter).

    Raises
    ------
    FileFormatError
        Not a MATLAB v5 file (v7.3 files are HDF5: open them with h5py), or no
        variable of a shape listed above.
    """
    from scipy.io import loadmat, whosmat

    source = Source("path", f" ('{path}')", FileFormatError)
    check_option("rows", rows, ("unit", "trial"))
    time_scale = check_scalar("time_scale", time_scale, positive=True)
    try:
        with open(path, "rb") as fh:
            head = fh.read(128)
            if b"MATLAB 7.3" in head or head.startswith(b"\x89HDF"):
                source.fail("be a MATLAB v4-v7 file", "a v7.3 (HDF5) file", "Save it with -v7 or read it with h5py.")
            fh.seek(0)
            shapes = {entry[0]: entry[1] for entry in whosmat(fh)}
            names = list(shapes)
            fh.seek(0)
            if MARKER in names and variable is None:
                return _decode_written(loadmat(fh, squeeze_me=False, chars_as_strings=True), source)
            # squeezed, as nelpy reads MatClust files: a one-unit tetrode becomes a 0-d struct
            raw = loadmat(fh, squeeze_me=True, struct_as_record=True, chars_as_strings=True)
    except FileFormatError:
        raise
    except Exception as exc:  # scipy raises many kinds (MatReadError, ValueError, TypeError, struct.error ...)
        source.fail("be a readable MATLAB v5 file", f"a file scipy.io.loadmat cannot read "
                    f"({type(exc).__name__}: {exc})", "Is it truncated, corrupt or in another format?")
    if variable is None:
        if "spikes" in raw and _is_matclust(raw["spikes"]):
            variable = "spikes"
        elif len(names) == 1:
            variable = names[0]
        else:
            listed = ", ".join(f"{k} {shapes[k]}" for k in names)
            source.fail("hold one variable, or be read with `variable=`", f"the variables {listed or 'none'}",
                        "Pass `variable=` naming the one to read.")
    if variable not in raw:
        source.fail(f"hold the variable {variable!r}", f"the variables {names}")
    value = raw[variable]
    window = (t_start, t_stop)
    if _is_matclust(value):
        return _matclust(value, window, time_scale, keep_empty_units, source)
    if isinstance(value, np.ndarray) and value.dtype == object:
        return _cells(value, rows, window, time_scale, source)
    if isinstance(value, (int, float)) or (isinstance(value, np.ndarray) and value.dtype.kind in "biuf"):
        value = np.asarray(value)
        if bin_size is not None or value.ndim == 2:
            return _matrix(np.atleast_2d(value), bin_size, rows, t_start, source)
        return _times([value.reshape(-1).astype(TIME_DTYPE)], window, time_scale, source)
    source.fail(f"hold in {variable!r} a cell array, a numeric vector or matrix, or MatClust structs",
                f"{type(value).__name__} of dtype {getattr(value, 'dtype', None)}")


def _decode_written(raw: dict, source: Source) -> SpikeTrains:
    """The layout written by :func:`save`."""
    try:
        header = json.loads(_text(raw[MARKER]))
    except (ValueError, TypeError) as exc:
        source.fail(f"hold JSON in its `{MARKER}` variable", f"unreadable text ({exc})")
    if not isinstance(header, dict):
        source.fail(f"hold a JSON object in its `{MARKER}` variable", f"a JSON {type(header).__name__}")
    kinds = header.pop("label_kinds", {})
    check_attrs(header, source)
    missing = [k for k in ("spike_times", "t_start", "t_stop", "unit", "trial") if k not in raw]
    if missing:
        source.fail("hold the variables spike_times, t_start, t_stop, unit, trial", f"none named {missing}")
    cells = raw["spike_times"].reshape(-1)
    trains = [np.asarray(c, dtype=TIME_DTYPE).reshape(-1) for c in cells]
    counts = np.array([t.shape[0] for t in trains], dtype=INDEX_DTYPE)
    arrays: dict[str, Any] = {
        "spike_time": np.concatenate(trains) if trains else np.empty(0, TIME_DTYPE), "n_spikes": counts,
        "t_start": np.asarray(raw["t_start"]).reshape(-1), "t_stop": np.asarray(raw["t_stop"]).reshape(-1)}
    for key in ("unit", "trial"):
        value = raw[key]
        if kinds.get(key) == "str":
            arrays[key] = np.array([_text(v) for v in value.reshape(-1)], dtype=str).reshape(-1)
        else:
            arrays[key] = np.asarray(value).reshape(-1)
            if not arrays[key].size:
                arrays[key] = arrays[key].astype(INDEX_DTYPE)
    header.setdefault(ATTR_METADATA, "{}")
    return decode(arrays, header, source)


def _text(value: Any) -> str:
    """A MATLAB char array as str."""
    arr = np.asarray(value)
    if arr.dtype.kind == "U":
        return "".join(arr.reshape(-1).tolist()) if arr.size else ""
    raise TypeError(f"expected char data, got dtype {arr.dtype}")


def _is_struct(value: Any) -> bool:
    """True for a (squeezed) MatClust unit: a struct array with ``time`` and ``timerange`` fields."""
    names = value.dtype.names if isinstance(value, np.ndarray) else None
    return bool(names) and all(f in names for f in MATCLUST_FIELDS)


def _is_matclust(value: Any) -> bool:
    """True for a squeezed MatClust ``spikes`` array: tetrodes holding unit structs (or nothing)."""
    if not isinstance(value, np.ndarray) or value.dtype != object:
        return False
    found = False
    for tetrode in value.reshape(-1):
        if not isinstance(tetrode, np.ndarray) or not tetrode.size:
            continue
        units = [tetrode] if _is_struct(tetrode) else tetrode.reshape(-1) if tetrode.dtype == object else None
        if units is None:
            return False
        for unit in units:
            if isinstance(unit, np.ndarray) and unit.size:
                if not _is_struct(unit):
                    return False
                found = True
    return found


def _field(unit: np.ndarray, name: str) -> np.ndarray:
    """A squeezed struct field as a 1-d float array (a single value is squeezed to a scalar by loadmat)."""
    value = unit[name]
    value = value.item() if isinstance(value, np.ndarray) and value.dtype == object and value.size == 1 else value
    return np.atleast_1d(np.asarray(value, dtype=TIME_DTYPE)).reshape(-1)


def _matclust(value: np.ndarray, window: tuple, time_scale: float, keep_empty: bool, source: Source) -> SpikeTrains:
    """Units of a MatClust tetrode array, tetrode by tetrode, cluster by cluster (1-based numbers kept)."""
    trains, tetrode, cluster, ranges = [], [], [], []
    for t_index, tet in enumerate(value.reshape(-1)):
        if not isinstance(tet, np.ndarray) or not tet.size:
            continue                                  # an unsorted tetrode
        units = [tet.reshape(())] if _is_struct(tet) else list(tet.reshape(-1))   # a 0-d struct: one unit
        for c, unit in enumerate(units):
            if not isinstance(unit, np.ndarray) or not unit.size:
                continue                              # an empty cluster slot
            times = _field(unit.reshape(()), "time")
            if not times.size and not keep_empty:
                continue
            trains.append(times * time_scale)
            tetrode.append(t_index + 1)
            cluster.append(c + 1)
            span = _field(unit.reshape(()), "timerange")
            if span.size == 2:
                ranges.append(span * time_scale)
    if not trains:
        source.fail("hold at least one MatClust unit with spikes", "only empty tetrodes")
    lo, hi = window
    spikes = [t for t in trains if t.size]
    first = min((float(t.min()) for t in spikes), default=np.inf)
    last = max((float(t.max()) for t in spikes), default=-np.inf)
    if lo is None:
        lo = min(min((float(r[0]) for r in ranges), default=first), first)
    if hi is None:
        hi = max(max((float(r[1]) for r in ranges), default=last), last)
    return SpikeTrains.from_list(trains, lo, hi, unit=np.arange(len(trains)), sort=True,
                                 metadata={"source": "MatClust", "tetrode": tetrode, "cluster": cluster})


def _cells(value: np.ndarray, rows: str, window: tuple, time_scale: float, source: Source) -> SpikeTrains:
    """A cell array of spike-time vectors: 1-d -> trains, 2-d -> (unit, trial) grid."""
    shape = value.shape
    grid = value.ndim == 2 and min(shape) > 1
    cells = value.reshape(-1, order="C")
    trains = []
    for k, cell in enumerate(cells):
        arr = np.asarray(cell)
        if arr.dtype.kind not in "biuf":
            source.fail("hold numeric spike-time vectors in every cell", f"cell {k} of dtype {arr.dtype}")
        trains.append(arr.astype(TIME_DTYPE).reshape(-1) * time_scale)
    st = _times(trains, window, 1.0, source)
    if grid:
        n_rows, n_cols = shape
        unit, trial = np.repeat(np.arange(n_rows), n_cols), np.tile(np.arange(n_cols), n_rows)
        return SpikeTrains(st.times, st.offsets, st.t_start, st.t_stop, unit=unit, trial=trial)
    n = len(trains)
    if rows == "trial":
        return SpikeTrains(st.times, st.offsets, st.t_start, st.t_stop, unit=np.zeros(n, int), trial=np.arange(n))
    return st


def _matrix(value: np.ndarray, bin_size: float | None, rows: str, t_start: float | None,
            source: Source) -> SpikeTrains:
    """A 0/1 (or count) matrix, one row per train."""
    if bin_size is None:
        source.fail("be read with `bin_size=` for its 0/1 matrix", f"a {value.shape[0]} x {value.shape[1]} matrix",
                    "Pass the bin width in seconds, e.g. `bin_size=0.001`.")
    bin_size = check_scalar("bin_size", bin_size, positive=True)
    if value.dtype.kind == "f" and not np.all(value == np.round(value)) or (value.size and value.min() < 0):
        source.fail("hold non-negative integer counts (0/1) in its matrix", "non-integer or negative values")
    n = value.shape[0]
    labels = {"unit": np.arange(n), "trial": np.zeros(n, int)} if rows == "unit" else \
        {"unit": np.zeros(n, int), "trial": np.arange(n)}
    return SpikeTrains.from_raster(value.astype(INDEX_DTYPE), bin_size, 0.0 if t_start is None else t_start,
                                   **labels)


def _times(trains: list[np.ndarray], window: tuple, time_scale: float, source: Source) -> SpikeTrains:
    """Trains of spike times on a common window (default ``[min(0, first), last]``)."""
    trains = [t * time_scale if time_scale != 1.0 else t for t in trains]
    spikes = [t for t in trains if t.size]
    if any(not np.all(np.isfinite(t)) for t in spikes):
        source.fail("hold finite spike times", "NaN or infinite values")
    lo, hi = window
    if lo is None:
        lo = min(0.0, min((float(t.min()) for t in spikes), default=0.0))
    if hi is None:
        if not spikes:
            source.fail("hold spikes when `t_stop` is not given", "only empty trains", "Pass `t_stop=`.")
        hi = max(float(t.max()) for t in spikes)
    return SpikeTrains.from_list(trains, lo, hi, sort=True)
