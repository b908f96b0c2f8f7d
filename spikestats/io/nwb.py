"""NWB (``.nwb``) codec: spike trains in an NWB 2 file's Units table, with trials and epochs (pynwb).

Writing
    One row of the ``units`` table per unit label when each unit's windows
    do not overlap (a recording in session time, possibly cut into trials):
    ``spike_times`` holds all its spikes and ``obs_intervals`` its windows,
    in time order. When a unit's windows overlap (trial-aligned trains such
    as ``[0, 2]`` s in every trial) there is one row per train instead.
    Columns ``unit_label`` (and ``trial_label`` for one row per train) hold
    the labels. A ``trials`` table lists each trial label whose trains share
    one window (``start_time``, ``stop_time``, ``trial_label``); given
    :class:`~spikestats.core.epochs.Epochs` go to the ``epochs`` table with
    their labels as tags. NWB has no field for the rest, so a JSON string in
    the scratch space (``/scratch/spikestats``) records the schema version,
    which spikes of which row form which train, the labels with their kind and
    the free metadata: reading it back is exact.
Reading
    Files written by spikestats come back exactly. Other NWB files give one
    train per unit (``split="none"``: window from the unit's
    ``obs_intervals``, else ``[min(0, first spike), last spike]``), or one
    train per unit and trial (``split="trials"``, the default when the file
    has a trials table), labelled by the Units ``id`` and trial ``id``.

The file opens in pynwb (``NWBHDF5IO(path).read().units``) and in pynapple
(``pynapple.load_file(path)["units"]`` is a TsGroup). Needs the ``nwb`` extra
(``pip install "spikestats[nwb]"``).
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np

from spikestats._config import INDEX_DTYPE, TIME_DTYPE
from spikestats._validation import check_option, fail
from spikestats.core.epochs import Epochs
from spikestats.core.spiketrains import SpikeTrains
from spikestats.exceptions import FileFormatError, ValidationTypeError
from spikestats.io._layout import ATTR_METADATA, Source, check_attrs, decode, encode
from spikestats.io._optional import optional_import

#: Name of the scratch entry holding the spikestats JSON.
SCRATCH = "spikestats"
_READ_ERRORS = (OSError, ValueError, KeyError, TypeError, IndexError, RuntimeError, AttributeError)


def _pynwb(purpose: str):
    optional_import("h5py", purpose)
    return optional_import("pynwb", purpose)


def save(st: SpikeTrains, path: Path, *, epochs: Epochs | None = None, session_description: str | None = None,
         identifier: str | None = None, session_start_time: datetime | None = None) -> None:
    """Write ``st`` (and optional ``epochs``) as an NWB file.

    Parameters
    ----------
    st : SpikeTrains
    path : pathlib.Path
    epochs : Epochs, optional
        Written to the NWB ``epochs`` table (labels as tags).
    session_description, identifier : str, optional
        NWB's required file fields; defaults: the metadata's
        ``session_description`` (else a generic text) and a random UUID.
    session_start_time : datetime.datetime, optional
        Timezone-aware start of the session; default: now (UTC).
    """
    pynwb = _pynwb("writing NWB files")
    from pynwb.core import ScratchData

    if epochs is not None and not isinstance(epochs, Epochs):
        fail("epochs", "an Epochs set", epochs, kind=ValidationTypeError)
    arrays, attrs = encode(st)
    metadata = st.metadata
    nwbfile = pynwb.NWBFile(
        session_description=session_description or str(metadata.get("session_description",
                                                                     "spike trains written by spikestats")),
        identifier=identifier or str(uuid.uuid4()),
        session_start_time=session_start_time or datetime.now(timezone.utc))
    rows, position, per_unit = _rows(st)
    if st.n_trains:   # hdmf cannot infer the dtype of an empty column: zero trains leave no Units table
        nwbfile.units = _units_table(st, rows, position, per_unit)
    _add_trials(nwbfile, st)
    if epochs is not None:
        for a, b, label in zip(epochs.start, epochs.stop, epochs.label):
            nwbfile.add_epoch(float(a), float(b), tags=[str(label)])
    kinds = {key: "str" if arrays[key].dtype.kind == "U" else "int" for key in ("unit", "trial")}
    record = {**attrs, "layout": "unit" if per_unit else "train", "label_kinds": kinds,
              "row": _row_of(rows, st.n_trains).tolist(), "position": position.tolist(),
              "n_spikes": arrays["n_spikes"].tolist(),
              "unit": arrays["unit"].tolist(), "trial": arrays["trial"].tolist()}
    nwbfile.add_scratch(ScratchData(name=SCRATCH, data=json.dumps(record),
                                    description="spikestats record: train layout, labels and metadata (JSON)"))
    with pynwb.NWBHDF5IO(str(path), "w") as io:
        io.write(nwbfile)


def _units_table(st: SpikeTrains, rows: list[list[int]], position: np.ndarray, per_unit: bool) -> Any:
    """The Units table built column by column from flat arrays.

    Built row by row (``add_unit``), hdmf would convert every spike time in
    Python: four times slower for the 518k-spike w-maze recording.
    """
    from hdmf.common.table import VectorData
    from pynwb.misc import Units

    order = [sorted(members, key=lambda i: position[i]) for members in rows]
    trains = np.concatenate(order)
    row_spikes = np.cumsum([int(st.counts[m].sum()) for m in order])
    times = np.concatenate([st[i] for i in trains]) if st.n_spikes else np.empty(0, dtype=TIME_DTYPE)
    first = np.array([m[0] for m in order])
    columns = _ragged("spike_times", "the spike times for each unit in seconds", times, row_spikes)
    columns += _ragged("obs_intervals", "the observation intervals for each unit",
                       np.column_stack([st.t_start[trains], st.t_stop[trains]]).astype(TIME_DTYPE),
                       np.cumsum([len(m) for m in order]))
    columns.append(VectorData(name="unit_label", description="unit label of the trains in this row (spikestats)",
                              data=np.array(st.unit[first])))
    if not per_unit:
        columns.append(VectorData(name="trial_label", description="trial label of the train in this row (spikestats)",
                                  data=np.array(st.trial[first])))
    return Units(name="units", description="spike trains written by spikestats", id=np.arange(len(rows)),
                 columns=columns)


def _ragged(name: str, description: str, data: np.ndarray, ends: np.ndarray) -> list:
    """A ragged NWB column: its flat data and the index of each row's end."""
    from hdmf.common.table import VectorData, VectorIndex

    column = VectorData(name=name, description=description, data=data)
    return [column, VectorIndex(name=f"{name}_index", data=np.asarray(ends, dtype=INDEX_DTYPE), target=column)]


def _rows(st: SpikeTrains) -> tuple[list[list[int]], np.ndarray, bool]:
    """Trains of each Units row, each train's position within its row, and whether rows are units."""
    units = {}
    for i, u in enumerate(st.unit.tolist()):
        units.setdefault(u, []).append(i)
    per_unit = True
    position = np.zeros(st.n_trains, dtype=INDEX_DTYPE)
    for members in units.values():
        order = sorted(members, key=lambda i: (st.t_start[i], st.t_stop[i], i))
        starts = st.t_start[order]
        stops = st.t_stop[order]
        if np.any(starts[1:] < stops[:-1]):
            per_unit = False
        position[order] = np.arange(len(order))
    if per_unit:
        return list(units.values()), position, True
    return [[i] for i in range(st.n_trains)], np.zeros(st.n_trains, dtype=INDEX_DTYPE), False


def _row_of(rows: list[list[int]], n: int) -> np.ndarray:
    out = np.zeros(n, dtype=INDEX_DTYPE)
    for r, members in enumerate(rows):
        out[members] = r
    return out


def _add_trials(nwbfile: Any, st: SpikeTrains) -> None:
    """A trials table of each trial label whose trains share one window (in first-appearance order)."""
    windows: dict[Any, set] = {}
    for i, label in enumerate(st.trial.tolist()):
        windows.setdefault(label, set()).add((float(st.t_start[i]), float(st.t_stop[i])))
    if not windows or any(len(w) != 1 for w in windows.values()):
        return
    nwbfile.add_trial_column("trial_label", "trial label (spikestats)")
    for label, (window,) in windows.items():
        nwbfile.add_trial(start_time=window[0], stop_time=window[1], trial_label=label)


def load(path: Path, *, split: str | None = None) -> SpikeTrains:
    """Read the spike trains of an NWB file.

    Parameters
    ----------
    path : pathlib.Path
    split : {"trials", "none"}, optional
        For files not written by spikestats: cut each unit into the trials of
        the trials table (default when there is one), or keep one train per
        unit. Ignored for files written by spikestats (they come back exactly).

    Raises
    ------
    FileFormatError
        Not an HDF5/NWB file, truncated or corrupt, without a Units table, or
        a spikestats record that disagrees with the table.
    """
    pynwb = _pynwb("reading NWB files")
    source = Source("path", f" ('{path}')", FileFormatError)
    if split is not None:
        check_option("split", split, ("trials", "none"))
    try:
        with pynwb.NWBHDF5IO(str(path), "r") as io:
            nwbfile = io.read()
            record = nwbfile.scratch.get(SCRATCH) if nwbfile.scratch else None
            units = nwbfile.units
            if units is None and record is None:
                source.fail("hold a Units table", "an NWB file without one")
            n_rows = 0 if units is None else len(units)
            times = [np.asarray(units.get_unit_spike_times(r), dtype=TIME_DTYPE) for r in range(n_rows)]
            intervals = ([np.asarray(units.get_unit_obs_intervals(r), dtype=TIME_DTYPE).reshape(-1, 2)
                          for r in range(n_rows)] if n_rows and "obs_intervals" in units.colnames else [])
            ids = np.asarray(units.id[:]) if n_rows else np.empty(0, dtype=INDEX_DTYPE)
            text = None if record is None else record.data if isinstance(record.data, (str, bytes)) else \
                record.data[()]
            trials = None
            if nwbfile.trials is not None and len(nwbfile.trials):
                trials = (np.asarray(nwbfile.trials.start_time[:], dtype=TIME_DTYPE),
                          np.asarray(nwbfile.trials.stop_time[:], dtype=TIME_DTYPE), np.asarray(nwbfile.trials.id[:]))
    except FileFormatError:
        raise
    except _READ_ERRORS as exc:
        source.fail("be a readable NWB (HDF5) file", f"a file pynwb cannot read ({type(exc).__name__}: {exc})",
                    "Is it truncated, corrupt or in another format?")
    if text is not None:
        return _decode_written(text.decode() if isinstance(text, bytes) else str(text), times, intervals, source)
    return _decode_foreign(times, intervals, ids, trials, split, source)


def _decode_written(text: str, times: list[np.ndarray], intervals: list[np.ndarray],
                    source: Source) -> SpikeTrains:
    """Rebuild the trains from the Units rows and the spikestats JSON record."""
    try:
        record = json.loads(text)
    except ValueError as exc:
        source.fail(f"hold JSON in /scratch/{SCRATCH}", f"invalid JSON ({exc})")
    keys = ("row", "position", "n_spikes", "unit", "trial")
    if not isinstance(record, dict) or any(not isinstance(record.get(k), list) for k in keys) or \
            len(intervals) != len(times):
        source.fail(f"hold a spikestats record in /scratch/{SCRATCH} and obs_intervals in its Units table",
                    "an incomplete record")
    kinds = record.pop("label_kinds", {})
    check_attrs({k: v for k, v in record.items() if k not in keys and k != "layout"}, source)
    row = np.asarray(record["row"], dtype=INDEX_DTYPE)
    position = np.asarray(record["position"], dtype=INDEX_DTYPE)
    counts = np.asarray(record["n_spikes"], dtype=INDEX_DTYPE)
    n = row.shape[0]
    if not (position.shape[0] == counts.shape[0] == len(record["unit"]) == len(record["trial"]) == n) or \
            (n and (row.max() >= len(times) or row.min() < 0)):
        source.fail("hold a spikestats record consistent with its Units table", "lists of unequal lengths or "
                    "rows that do not exist")
    pieces, t_start, t_stop = [], np.empty(n, TIME_DTYPE), np.empty(n, TIME_DTYPE)
    for r in range(len(times)):
        members = np.flatnonzero(row == r)
        members = members[np.argsort(position[members], kind="stable")]
        bounds = np.concatenate([[0], np.cumsum(counts[members])])
        if bounds[-1] != times[r].shape[0] or intervals[r].shape[0] != members.size:
            source.fail("hold a spikestats record consistent with its Units table",
                        f"row {r} with {times[r].shape[0]} spikes and {intervals[r].shape[0]} intervals where the "
                        f"record expects {bounds[-1]} and {members.size}", "Was the file edited by another tool?")
        for k, i in enumerate(members):
            pieces.append((i, times[r][bounds[k]:bounds[k + 1]]))
            t_start[i], t_stop[i] = intervals[r][k]
    pieces.sort(key=lambda item: item[0])
    arrays = {"spike_time": np.concatenate([p for _, p in pieces]) if pieces else np.empty(0, TIME_DTYPE),
              "n_spikes": counts, "t_start": t_start, "t_stop": t_stop}
    for key in ("unit", "trial"):
        kind = str if kinds.get(key) == "str" else INDEX_DTYPE
        arrays[key] = np.array(record[key], dtype=kind) if n else np.empty(0, dtype=kind)
    attrs = {k: v for k, v in record.items() if k not in keys and k != "layout"}
    attrs.setdefault(ATTR_METADATA, "{}")
    return decode(arrays, attrs, source)


def _decode_foreign(times: list[np.ndarray], intervals: list[np.ndarray], ids: np.ndarray,
                    trials: tuple | None, split: str | None, source: Source) -> SpikeTrains:
    """One train per unit (window from obs_intervals or the spikes), optionally cut into trials."""
    times = [np.sort(t) for t in times]
    spikes = [t for t in times if t.size]
    first = min((float(t[0]) for t in spikes), default=0.0)
    last = max((float(t[-1]) for t in spikes), default=0.0)
    lo, hi = min(0.0, first), last
    if any(iv.size for iv in intervals):
        lo = min(min(float(iv[:, 0].min()) for iv in intervals if iv.size), first)
        hi = max(max(float(iv[:, 1].max()) for iv in intervals if iv.size), last)
    if trials is not None:
        lo, hi = min(lo, float(trials[0].min())), max(hi, float(trials[1].max()))
    if not hi > lo:
        hi = lo + 1.0 if not spikes else np.nextafter(hi, np.inf)
    st = SpikeTrains.from_list(times, lo, hi, unit=ids.astype(INDEX_DTYPE))
    if (split or ("trials" if trials is not None else "none")) == "none":
        return st
    if trials is None:
        source.fail("hold a trials table for split='trials'", "an NWB file without one", "Pass split='none'.")
    return st.restrict(Epochs(trials[0], trials[1], trials[2].astype(INDEX_DTYPE)))


def read_intervals(path: Any, table: str = "epochs") -> Epochs:
    """The ``epochs`` or ``trials`` table of an NWB file as :class:`Epochs`.

    Labels: the first tag of each epoch (else its id); for trials, the
    ``trial_label`` column written by spikestats (else the trial id).
    """
    from spikestats.io._paths import as_path, check_readable

    pynwb = _pynwb("reading NWB files")
    check_option("table", table, ("epochs", "trials"))
    target = as_path(path)
    check_readable(target)
    source = Source("path", f" ('{target}')", FileFormatError)
    try:
        with pynwb.NWBHDF5IO(str(target), "r") as io:
            nwbfile = io.read()
            tab = getattr(nwbfile, table)
            if tab is None or not len(tab):
                source.fail(f"hold a non-empty {table} table", "none")
            start = np.asarray(tab.start_time[:], dtype=TIME_DTYPE)
            stop = np.asarray(tab.stop_time[:], dtype=TIME_DTYPE)
            if table == "epochs" and "tags" in tab.colnames:
                tags = [t[0] if len(t) else str(i) for i, t in zip(tab.id[:], tab["tags"][:])]
                label = np.array(tags, dtype=str)
            elif "trial_label" in tab.colnames:
                label = np.asarray(tab["trial_label"][:])
            else:
                label = np.asarray(tab.id[:])
    except FileFormatError:
        raise
    except _READ_ERRORS as exc:
        source.fail("be a readable NWB (HDF5) file", f"a file pynwb cannot read ({type(exc).__name__}: {exc})")
    return Epochs(start, stop, label)
