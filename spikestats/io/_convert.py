"""In-memory conversions to and from Neo and pynapple objects.

Neo
    :func:`to_neo` gives a ``neo.Block`` with one ``Segment`` per trial label
    (in order of first appearance) and one ``Group`` per unit label; every
    ``neo.SpikeTrain`` carries ``unit``, ``trial`` and ``train_index``
    annotations, its window as ``t_start``/``t_stop`` and times in seconds.
    The metadata travels as JSON in the Block annotation
    ``spikestats_metadata``. :func:`from_neo` reads a Block, a Segment, a
    list of SpikeTrains or one SpikeTrain (from spikestats or any Neo IO).
pynapple
    :func:`to_pynapple` gives a ``TsGroup`` with one ``Ts`` per train (or per
    unit, ``by="unit"``) and metadata columns ``unit``, ``trial``,
    ``t_start``, ``t_stop``; :func:`from_pynapple` reads it back, or cuts any
    ``TsGroup`` into trials given an ``IntervalSet``. :func:`to_intervalset` /
    :func:`from_intervalset` convert :class:`~spikestats.core.epochs.Epochs`.
    pynapple has no place for free metadata: it is not carried.

Times stay float64 seconds throughout, so round trips are bit-exact.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np

from spikestats._config import TIME_DTYPE
from spikestats._validation import check_option, describe, fail
from spikestats.core.epochs import Epochs
from spikestats.core.spiketrains import SpikeTrains
from spikestats.exceptions import ValidationError, ValidationTypeError
from spikestats.io._layout import ATTR_METADATA, check_spiketrains
from spikestats.io._optional import optional_import

__all__ = ["to_neo", "from_neo", "to_pynapple", "from_pynapple", "to_intervalset", "from_intervalset"]


def _label(value: Any) -> int | str:
    """A numpy label as a plain Python int or str (annotations and metadata want plain values)."""
    return value.item() if isinstance(value, np.generic) else value


def _ordered_unique(labels: np.ndarray) -> np.ndarray:
    """Distinct labels in order of first appearance."""
    _, first = np.unique(labels, return_index=True)
    return labels[np.sort(first)]


# ---------------------------------------------------------------------- Neo
def to_neo(st: SpikeTrains):
    """``st`` as a ``neo.Block``: one Segment per trial, one Group per unit.

    Parameters
    ----------
    st : SpikeTrains

    Returns
    -------
    neo.Block
        ``block.segments[k]`` holds the trains of the k-th trial label (in
        order of first appearance), ``block.groups[j]`` those of the j-th unit
        label. Each ``neo.SpikeTrain`` has times and window in seconds and the
        annotations ``unit``, ``trial`` and ``train_index`` (its position in
        ``st``); the Block is annotated with the metadata as JSON.
    """
    neo = optional_import("neo", "converting to Neo objects")
    check_spiketrains(st)
    block = neo.Block(name="spikestats")
    block.annotate(**{ATTR_METADATA: json.dumps(st.metadata)})
    trains = []
    for i in range(st.n_trains):
        train = neo.SpikeTrain(np.array(st[i]), units="s", t_start=float(st.t_start[i]), t_stop=float(st.t_stop[i]),
                               name=str(st.unit[i]))
        train.annotate(unit=_label(st.unit[i]), trial=_label(st.trial[i]), train_index=i)
        trains.append(train)
    for trial in _ordered_unique(st.trial):
        segment = neo.Segment(name=str(trial))
        segment.annotate(trial=_label(trial))
        segment.spiketrains.extend([trains[i] for i in np.flatnonzero(st.trial == trial)])
        block.segments.append(segment)
    for unit in _ordered_unique(st.unit):
        group = neo.Group(objects=[trains[i] for i in np.flatnonzero(st.unit == unit)], name=str(unit))
        group.annotate(unit=_label(unit))
        block.groups.append(group)
    return block


def from_neo(obj: Any) -> SpikeTrains:
    """Build SpikeTrains from Neo objects.

    Parameters
    ----------
    obj : neo.Block, neo.Segment, neo.SpikeTrain or sequence of neo.SpikeTrain
        A Block's segments are its trials. Labels come from the annotations
        ``unit`` and ``trial`` when present; otherwise the unit is the
        train's position within its segment and the trial the segment's
        position in the Block (its ``trial`` annotation if any). When every
        train has a ``train_index`` annotation (as :func:`to_neo` writes), the
        trains come back in that order.

    Returns
    -------
    SpikeTrains
        Times and windows rescaled to seconds.
    """
    neo = optional_import("neo", "converting Neo objects")
    metadata = {}
    if isinstance(obj, neo.Block):
        text = obj.annotations.get(ATTR_METADATA)
        metadata = json.loads(text) if isinstance(text, str) else {}
        segments = [(k, seg) for k, seg in enumerate(obj.segments)]
    elif isinstance(obj, neo.Segment):
        segments = [(0, obj)]
    elif isinstance(obj, neo.SpikeTrain):
        segments = [(0, [obj])]
    elif isinstance(obj, (list, tuple)) and all(isinstance(x, neo.SpikeTrain) for x in obj):
        segments = [(0, list(obj))]
    else:
        fail("obj", "a neo.Block, neo.Segment, neo.SpikeTrain or list of neo.SpikeTrain", obj,
             kind=ValidationTypeError)
    rows = []
    for k, seg in segments:
        trains = seg.spiketrains if isinstance(seg, neo.Segment) else seg
        seg_trial = seg.annotations.get("trial", k) if isinstance(seg, neo.Segment) else k
        for j, train in enumerate(trains):
            ann = train.annotations
            rows.append((ann.get("unit", j), ann.get("trial", seg_trial), ann.get("train_index"), train))
    if rows and all(isinstance(r[2], (int, np.integer)) for r in rows):
        order = [r[2] for r in rows]
        if sorted(order) == list(range(len(rows))):
            rows = [rows[i] for i in np.argsort(order)]
    times = [np.asarray(r[3].times.rescale("s").magnitude, dtype=TIME_DTYPE) for r in rows]
    t_start = [float(r[3].t_start.rescale("s").magnitude) for r in rows]
    t_stop = [float(r[3].t_stop.rescale("s").magnitude) for r in rows]
    unit = np.array([r[0] for r in rows]) if rows else np.empty(0, dtype=np.int64)
    trial = np.array([r[1] for r in rows]) if rows else np.empty(0, dtype=np.int64)
    if not rows:
        return SpikeTrains(np.empty(0), [0], [], [], unit=unit, trial=trial, metadata=metadata)
    return SpikeTrains.from_list(times, t_start, t_stop, unit=unit, trial=trial, metadata=metadata)


# ---------------------------------------------------------------------- pynapple
def to_pynapple(st: SpikeTrains, *, by: str = "train"):
    """``st`` as a pynapple ``TsGroup``.

    Parameters
    ----------
    st : SpikeTrains
    by : {"train", "unit"}, default "train"
        ``"train"``: one ``Ts`` per train (key = train position), with metadata
        columns ``unit``, ``trial``, ``t_start``, ``t_stop``: lossless except
        the free metadata. ``"unit"``: one ``Ts`` per unit label (key = order
        of first appearance) holding all its spikes, with a ``unit`` column;
        the unit's windows must not overlap (a recording in session time).

    Returns
    -------
    pynapple.TsGroup
        Its ``time_support`` spans ``[min(t_start), max(t_stop)]``.
    """
    nap = optional_import("pynapple", "converting to pynapple objects")
    check_spiketrains(st)
    check_option("by", by, ("train", "unit"))
    if st.n_trains == 0:
        fail("st", "at least one train (a pynapple TsGroup cannot be empty)", st)
    support = nap.IntervalSet(float(st.t_start.min()), float(st.t_stop.max()))
    if by == "train":
        data = {i: nap.Ts(np.array(st[i]), time_support=support) for i in range(st.n_trains)}
        meta = {"unit": np.array(st.unit), "trial": np.array(st.trial), "t_start": np.array(st.t_start),
                "t_stop": np.array(st.t_stop)}
    else:
        units = _ordered_unique(st.unit)
        data = {}
        for j, unit in enumerate(units):
            idx = np.flatnonzero(st.unit == unit)
            idx = idx[np.argsort(st.t_start[idx], kind="stable")]
            if np.any(st.t_start[idx][1:] < st.t_stop[idx][:-1]):
                fail("st", "trains whose windows do not overlap within each unit for by='unit'", st,
                     got=f"overlapping windows for unit {unit!r}", fix="Use by='train'.")
            data[j] = nap.Ts(np.concatenate([st[i] for i in idx]), time_support=support)
        meta = {"unit": np.array(units)}
    return nap.TsGroup(data, time_support=support, metadata=meta)


def from_pynapple(group: Any, epochs: Any = None) -> SpikeTrains:
    """Build SpikeTrains from a pynapple ``TsGroup`` (or one ``Ts``).

    Parameters
    ----------
    group : pynapple.TsGroup or pynapple.Ts
        A group written by :func:`to_pynapple` (metadata columns ``unit``,
        ``trial``, ``t_start``, ``t_stop``) comes back exactly. Otherwise each
        entry is a unit (label: its ``unit`` or ``unit_label`` column, the
        latter as in NWB files written by spikestats, else its key).
    epochs : pynapple.IntervalSet or Epochs, optional
        Cut every unit into one train per interval (trial label: the
        IntervalSet's ``label`` or ``trial`` column, else its row number).
        Without it, each entry becomes one train on the group's time support
        (from its first start to its last end).

    Returns
    -------
    SpikeTrains
    """
    nap = optional_import("pynapple", "converting pynapple objects")
    if isinstance(group, nap.Ts):
        group = nap.TsGroup({0: group}, time_support=group.time_support)
    if not isinstance(group, nap.TsGroup):
        fail("group", "a pynapple TsGroup or Ts", group, kind=ValidationTypeError)
    keys = list(group.keys())
    columns = set(group.metadata_columns)
    times = [np.asarray(group[k].index.values, dtype=TIME_DTYPE) for k in keys]
    if epochs is None and {"unit", "trial", "t_start", "t_stop"} <= columns:
        col = {name: np.asarray(group.metadata[name].values) for name in ("unit", "trial", "t_start", "t_stop")}
        return SpikeTrains.from_list(times, col["t_start"].astype(TIME_DTYPE), col["t_stop"].astype(TIME_DTYPE),
                                     unit=_plain_labels(col["unit"]), trial=_plain_labels(col["trial"]))
    label_column = next((c for c in ("unit", "unit_label") if c in columns), None)   # unit_label: NWB via spikestats
    unit = _plain_labels(np.asarray(group.metadata[label_column].values)) if label_column else np.array(keys)
    support = group.time_support
    continuous = SpikeTrains.from_list(times, float(support.start[0]), float(support.end[-1]), unit=unit)
    if epochs is None:
        return continuous
    if isinstance(epochs, nap.IntervalSet):
        epochs = from_intervalset(epochs)
    if not isinstance(epochs, Epochs):
        fail("epochs", "a pynapple IntervalSet or spikestats Epochs", epochs, kind=ValidationTypeError)
    return continuous.restrict(epochs)


def _plain_labels(values: np.ndarray) -> np.ndarray:
    """Metadata column values as int64 or str labels."""
    if values.dtype.kind == "O":
        if all(isinstance(v, str) for v in values):
            return values.astype(str)
        if all(isinstance(v, (int, np.integer)) for v in values):
            return values.astype(np.int64)
        raise ValidationError(f"`group` must hold int or str labels in its metadata; got {describe(values)}.")
    return values


def to_intervalset(epochs: Epochs):
    """:class:`Epochs` as a pynapple ``IntervalSet`` with a ``label`` metadata column."""
    nap = optional_import("pynapple", "converting to pynapple objects")
    if not isinstance(epochs, Epochs):
        fail("epochs", "an Epochs", epochs, kind=ValidationTypeError)
    order = np.argsort(epochs.start, kind="stable")
    if np.any(epochs.start[order][1:] < epochs.stop[order][:-1]):
        fail("epochs", "non-overlapping intervals (pynapple merges overlapping ones)", epochs,
             got="overlapping intervals")
    return nap.IntervalSet(np.array(epochs.start[order]), np.array(epochs.stop[order]),
                           metadata={"label": np.array(epochs.label[order])})


def from_intervalset(intervals: Any) -> Epochs:
    """A pynapple ``IntervalSet`` as :class:`Epochs` (labels from a ``label`` or ``trial`` column, else 0..n-1)."""
    nap = optional_import("pynapple", "converting pynapple objects")
    if not isinstance(intervals, nap.IntervalSet):
        fail("intervals", "a pynapple IntervalSet", intervals, kind=ValidationTypeError)
    columns = set(getattr(intervals, "metadata_columns", ()))
    name = next((c for c in ("label", "trial") if c in columns), None)
    label = _plain_labels(np.asarray(intervals.metadata[name].values)) if name else None
    return Epochs(np.asarray(intervals.start, dtype=TIME_DTYPE), np.asarray(intervals.end, dtype=TIME_DTYPE),
                  label)
