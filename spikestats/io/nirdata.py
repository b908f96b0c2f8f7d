"""NIR graph data (``.nir``) codec: spikes as ``EventData`` in a ``NIRGraphData`` file.

The Neuromorphic Intermediate Representation stores recorded or simulated
activity of a graph's nodes as ``nir.NIRGraphData`` (``nir.write_data`` /
``nir.read_data``, HDF5): for each node a ``NIRNodeData`` of named
observables, here one ``EventData`` with ``idx`` and ``time`` arrays of shape
``(n_samples, n_events)`` (padded with ``-1`` and ``inf``), ``n_neurons`` and
``t_max``. spikestats maps samples to trials and neurons to units, so writing
needs exactly one train per (trial, unit) pair; events of a sample are sorted
by time (ties keep unit order). Times are stored as given (float64 seconds,
bit for bit) and ``t_max`` is the latest ``t_stop``.

NIR has no place for windows, labels or metadata: spikestats adds a root
attribute ``spikestats`` (JSON: schema version, the unit and trial labels with
their kind, each train's window and grid position, the metadata) that
``nir.read_data`` ignores, so files written here round-trip exactly. Other
NIR files give unit labels ``0 .. n_neurons - 1``, trial labels ``0 ..
n_samples - 1`` and windows ``[min(0, first event), t_max]``. Needs the ``nir``
extra (``pip install "spikestats[nir]"``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from spikestats._config import INDEX_DTYPE, TIME_DTYPE
from spikestats._validation import fail
from spikestats.core.spiketrains import SpikeTrains
from spikestats.exceptions import FileFormatError
from spikestats.io._layout import ATTR_METADATA, Source, check_attrs, decode, encode
from spikestats.io._optional import optional_import

#: Root attribute holding the spikestats JSON record.
ATTR = "spikestats"
NODE = "spikes"
OBSERVABLE = "spikes"
_READ_ERRORS = (OSError, ValueError, KeyError, TypeError, IndexError, RuntimeError, AttributeError)


def _grid(st: SpikeTrains) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Units and trials in first-appearance order, and each train's (trial, unit) grid position."""
    def ordered(labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        _, first, inverse = np.unique(labels, return_index=True, return_inverse=True)
        rank = np.empty(first.size, dtype=INDEX_DTYPE)
        rank[np.argsort(first)] = np.arange(first.size)
        return labels[np.sort(first)], rank[inverse.reshape(-1)]

    units, neuron = ordered(st.unit)
    trials, sample = ordered(st.trial)
    if st.n_trains != units.size * trials.size or np.unique(sample * units.size + neuron).size != st.n_trains:
        fail("st", "one train per (trial, unit) pair for NIR EventData (samples x neurons)", st,
             got=f"{st.n_trains} trains for {trials.size} trials x {units.size} units",
             fix="Select a complete grid, or write another format (.nc).")
    return units, trials, sample, neuron


def save(st: SpikeTrains, path: Path, *, node: str = NODE, observable: str = OBSERVABLE) -> None:
    """Write ``st`` as NIR graph data with one ``EventData`` (``node``/``observable``)."""
    nir = optional_import("nir", "writing NIR graph data")
    h5py = optional_import("h5py", "writing NIR graph data")
    arrays, attrs = encode(st)
    units, trials, sample, neuron = _grid(st)
    n_events = max([int(st.counts[sample == s].sum()) for s in range(trials.size)], default=0)
    idx = np.full((trials.size, n_events), -1, dtype=INDEX_DTYPE)
    time = np.full((trials.size, n_events), np.inf, dtype=TIME_DTYPE)
    for s in range(trials.size):
        members = np.flatnonzero(sample == s)
        members = members[np.argsort(neuron[members], kind="stable")]
        t = np.concatenate([st[i] for i in members]) if members.size else np.empty(0)
        who = np.repeat(neuron[members], st.counts[members])
        order = np.argsort(t, kind="stable")
        idx[s, :t.size] = who[order]
        time[s, :t.size] = t[order]
    t_max = float(st.t_stop.max()) if st.n_trains else 0.0
    data = nir.NIRGraphData({node: nir.NIRNodeData({observable: nir.EventData(idx, time, int(units.size), t_max)})})
    nir.write_data(path, data)
    kinds = {key: "str" if arrays[key].dtype.kind == "U" else "int" for key in ("unit", "trial")}
    record = {**attrs, "label_kinds": kinds, "node": node, "observable": observable,
              "units": units.tolist(), "trials": trials.tolist(), "sample": sample.tolist(),
              "neuron": neuron.tolist(), "t_start": arrays["t_start"].tolist(), "t_stop": arrays["t_stop"].tolist()}
    with h5py.File(path, "a") as fh:
        fh.attrs[ATTR] = json.dumps(record)


def load(path: Path, *, node: str | None = None, observable: str | None = None) -> SpikeTrains:
    """Read spike trains from the ``EventData`` of a NIR graph data file.

    Parameters
    ----------
    path : pathlib.Path
    node, observable : str, optional
        Which node's observable to read (``"a/b"`` for a node inside a
        subgraph); needed only when the file holds several ``EventData``.

    Raises
    ------
    FileFormatError
        Not a NIR graph data file (e.g. a NIR graph or any other HDF5 file),
        truncated or corrupt, or without a matching ``EventData``.
    """
    nir = optional_import("nir", "reading NIR graph data")
    h5py = optional_import("h5py", "reading NIR graph data")
    source = Source("path", f" ('{path}')", FileFormatError)
    try:
        data = nir.read_data(path)
        with h5py.File(path, "r") as fh:
            text = fh.attrs.get(ATTR)
    except _READ_ERRORS as exc:
        source.fail("be a readable NIR graph data file (nir.read_data)", f"a file nir cannot read "
                    f"({type(exc).__name__}: {exc})", "Is it truncated, corrupt, a NIR graph or another format?")
    record = json.loads(text) if isinstance(text, (str, bytes)) else None
    if record is not None and node is None and observable is None:
        node, observable = record.get("node"), record.get("observable")
    found = [(name, obs_name, obs) for name, obs_name, obs in _events(data, nir)
             if (node is None or name == node) and (observable is None or obs_name == observable)]
    if len(found) != 1:
        names = [f"{n}/{o}" for n, o, _ in _events(data, nir)]
        source.fail("hold exactly one matching spike EventData" + (" (pass `node=`/`observable=`)" if found else ""),
                    f"{len(found)} among {names or 'none'}")
    events = found[0][2]
    idx, time = np.asarray(events.idx), np.asarray(events.time, dtype=TIME_DTYPE)
    if idx.ndim != 2 or idx.shape != time.shape:
        source.fail("hold EventData idx and time of one 2-d shape", f"shapes {idx.shape} and {time.shape}")
    if record is not None:
        return _decode_written(record, idx, time, source)
    n_samples, n_neurons = idx.shape[0], int(events.n_neurons)
    sample = np.repeat(np.arange(n_samples), n_neurons)
    neuron = np.tile(np.arange(n_neurons), n_samples)
    valid = time[idx >= 0]
    lo = min(0.0, float(valid.min(initial=0.0)))
    hi = max(float(events.t_max), float(valid.max(initial=lo)))
    if not hi > lo:
        hi = np.nextafter(lo, np.inf)
    trains = [np.sort(time[s][idx[s] == j]) for s, j in zip(sample, neuron)]
    return SpikeTrains.from_list(trains, lo, hi, unit=neuron, trial=sample)


def _events(data: Any, nir: Any, prefix: str = "") -> list[tuple[str, str, Any]]:
    """Every (node path, observable name, EventData) in a NIRGraphData, depth first."""
    out = []
    for name, node in data.nodes.items():
        if isinstance(node, nir.NIRGraphData):
            out += _events(node, nir, f"{prefix}{name}/")
        else:
            out += [(f"{prefix}{name}", obs_name, obs) for obs_name, obs in node.observables.items()
                    if isinstance(obs, nir.EventData)]
    return out


def _decode_written(record: dict, idx: np.ndarray, time: np.ndarray, source: Source) -> SpikeTrains:
    """Rebuild the trains from the EventData and the spikestats record."""
    kinds = record.get("label_kinds", {})
    attrs = {k: record[k] for k in record if k.startswith("spikestats_") or k == "time_units"}
    check_attrs(attrs, source)
    try:
        sample = np.asarray(record["sample"], dtype=INDEX_DTYPE)
        neuron = np.asarray(record["neuron"], dtype=INDEX_DTYPE)
        t_start = np.asarray(record["t_start"], dtype=TIME_DTYPE)
        t_stop = np.asarray(record["t_stop"], dtype=TIME_DTYPE)
        units, trials = record["units"], record["trials"]
    except (KeyError, TypeError, ValueError) as exc:
        source.fail(f"hold a complete spikestats record in its `{ATTR}` attribute", f"a broken one ({exc})")
    n = sample.shape[0]
    if sample.size and (sample.max() >= idx.shape[0] or neuron.max() >= len(units)):
        source.fail("hold EventData matching its spikestats record", f"{idx.shape[0]} samples for trains in "
                    f"{sample.max() + 1} samples")
    trains = [time[s][idx[s] == j] for s, j in zip(sample, neuron)]
    arrays = {"spike_time": np.concatenate(trains) if trains else np.empty(0, TIME_DTYPE),
              "n_spikes": np.array([t.shape[0] for t in trains], dtype=INDEX_DTYPE), "t_start": t_start,
              "t_stop": t_stop}
    for key, labels, pos in (("unit", units, neuron), ("trial", trials, sample)):
        kind = str if kinds.get(key) == "str" else INDEX_DTYPE
        arrays[key] = np.array(labels, dtype=kind)[pos] if n else np.empty(0, dtype=kind)
    attrs.setdefault(ATTR_METADATA, "{}")
    return decode(arrays, attrs, source)
