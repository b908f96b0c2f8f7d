"""The container-neutral layout of a :class:`~spikestats.SpikeTrains` record.

One layout serves every container that stores named 1-d arrays plus a few
attributes: the xarray Dataset of :mod:`spikestats.xarray.schema` (and hence
netCDF files) and ``.npz`` archives. This module is numpy-only, so reading an
``.npz`` file never imports xarray. The schema itself is documented in
:mod:`spikestats.xarray.schema` and ``docs/SCHEMA.md``.

``encode`` turns a SpikeTrains into ``(arrays, attrs)``; ``decode`` checks a
container's ``(arrays, attrs)`` against the layout and rebuilds the
SpikeTrains, raising the error class of the caller's :class:`Source` with the
house message template.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, NoReturn

import numpy as np

from spikestats._config import INDEX_DTYPE, TIME_DTYPE
from spikestats._validation import describe
from spikestats.core.spiketrains import SpikeTrains
from spikestats.exceptions import ValidationError, ValidationTypeError
from spikestats.typing import DIM_SPIKE, DIM_TRAIN

#: Value of the ``spikestats_schema`` attribute.
SCHEMA_NAME = "spiketrains"
#: Newest layout version this code writes and reads.
SCHEMA_VERSION = 1
#: Unit of every time (only seconds are written and read).
TIME_UNITS = "s"

ATTR_SCHEMA = "spikestats_schema"
ATTR_VERSION = "spikestats_schema_version"
ATTR_TIME_UNITS = "time_units"
ATTR_METADATA = "spikestats_metadata"

#: Every variable of the layout and the dimension it runs along.
VARIABLES: dict[str, str] = {
    "spike_time": DIM_SPIKE,
    "train_index": DIM_SPIKE,
    "t_start": DIM_TRAIN,
    "t_stop": DIM_TRAIN,
    "n_spikes": DIM_TRAIN,
    "unit": DIM_TRAIN,
    "trial": DIM_TRAIN,
}
#: Per-train labels (xarray coordinates on the ``train`` dimension).
LABELS = ("unit", "trial")
#: Variables derivable from the others: optional on read, checked when present.
DERIVED = ("train_index",)
#: Variables every record must hold.
REQUIRED = tuple(name for name in VARIABLES if name not in DERIVED)

#: Descriptive attributes of each variable (CF-style ``units`` and ``long_name``).
VARIABLE_ATTRS: dict[str, dict[str, str]] = {
    "spike_time": {"units": TIME_UNITS, "long_name": "spike time"},
    "train_index": {"long_name": "train (0-based) of each spike"},
    "t_start": {"units": TIME_UNITS, "long_name": "start of the observation window"},
    "t_stop": {"units": TIME_UNITS, "long_name": "end of the observation window"},
    "n_spikes": {"units": "1", "long_name": "number of spikes per train"},
    "unit": {"long_name": "unit label"},
    "trial": {"long_name": "trial label"},
}


@dataclass(frozen=True)
class Source:
    """Where a record comes from, for error messages.

    Attributes
    ----------
    name : str
        Argument name as the user wrote it (``"ds"``, ``"path"``).
    where : str
        Extra identification appended to the name (e.g. ``" ('a.nc')"``).
    error : type
        Exception class raised for a bad record.
    """

    name: str
    where: str = ""
    error: type[Exception] = ValidationError

    def fail(self, expectation: str, got: str, fix: str | None = None) -> NoReturn:
        """Raise :attr:`error` with the house template."""
        msg = f"`{self.name}`{self.where} must {expectation}; got {got}."
        raise self.error(msg + (f" {fix}" if fix else ""))


def check_spiketrains(st: Any, name: str = "st") -> None:
    """Raise :class:`ValidationTypeError` unless ``st`` is a SpikeTrains."""
    if not isinstance(st, SpikeTrains):
        raise ValidationTypeError(f"`{name}` must be a SpikeTrains; got {describe(st)}. "
                                  f"Build one with `SpikeTrains.from_list` or `SpikeTrains.from_flat`.")


def encode(st: SpikeTrains) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    """The layout's arrays (copies, in :data:`VARIABLES` order) and attributes of ``st``.

    Parameters
    ----------
    st : SpikeTrains

    Returns
    -------
    arrays : dict of str to numpy.ndarray
        ``spike_time`` float64 (n_spikes,) in s, ``train_index`` int64
        (n_spikes,), ``t_start``/``t_stop`` float64 (n_trains,) in s,
        ``n_spikes`` int64 (n_trains,), ``unit``/``trial`` int64 or str
        (n_trains,).
    attrs : dict of str to str or int
        Schema name and version, time units, and the metadata as JSON.
    """
    check_spiketrains(st)
    arrays = {
        "spike_time": np.array(st.times, dtype=TIME_DTYPE),
        "train_index": st.train_index,
        "t_start": np.array(st.t_start, dtype=TIME_DTYPE),
        "t_stop": np.array(st.t_stop, dtype=TIME_DTYPE),
        "n_spikes": st.counts.astype(INDEX_DTYPE),
        "unit": np.array(st.unit),
        "trial": np.array(st.trial),
    }
    attrs = {
        ATTR_SCHEMA: SCHEMA_NAME,
        ATTR_VERSION: SCHEMA_VERSION,
        ATTR_TIME_UNITS: TIME_UNITS,
        ATTR_METADATA: json.dumps(st.metadata, allow_nan=True),
    }
    return arrays, attrs


def check_attrs(attrs: Mapping[str, Any], source: Source) -> dict:
    """Check the schema tag, version and time units; return the decoded metadata dict."""
    schema = attrs.get(ATTR_SCHEMA)
    if schema != SCHEMA_NAME:
        got = f"no `{ATTR_SCHEMA}` attribute" if schema is None else f"{ATTR_SCHEMA}={schema!r}"
        source.fail(f"be a spikestats SpikeTrains record (attribute {ATTR_SCHEMA}={SCHEMA_NAME!r})", got,
                    "Write it with `SpikeTrains.to_xarray()` or `spikestats.io.write`.")
    version = _scalar(attrs.get(ATTR_VERSION))
    integer = isinstance(version, (int, np.integer)) and not isinstance(version, bool)
    if not (integer and 1 <= version <= SCHEMA_VERSION):
        source.fail(f"use schema version 1 .. {SCHEMA_VERSION} (attribute {ATTR_VERSION})", repr(version),
                    "A newer spikestats may read it." if integer and version > SCHEMA_VERSION else None)
    units = attrs.get(ATTR_TIME_UNITS, TIME_UNITS)
    if units != TIME_UNITS:
        source.fail(f"store times in seconds (attribute {ATTR_TIME_UNITS}={TIME_UNITS!r})",
                    f"{ATTR_TIME_UNITS}={units!r}")
    text = attrs.get(ATTR_METADATA, "{}")
    try:
        metadata = json.loads(text) if isinstance(text, str) else None
    except ValueError as exc:
        source.fail(f"hold its metadata as a JSON object (attribute {ATTR_METADATA})", f"invalid JSON ({exc})")
    if not isinstance(metadata, dict):
        source.fail(f"hold its metadata as a JSON object (attribute {ATTR_METADATA})", describe(text))
    return metadata


def decode(arrays: Mapping[str, Any], attrs: Mapping[str, Any], source: Source) -> SpikeTrains:
    """Rebuild a SpikeTrains from a container's arrays and attributes, checking the layout.

    Parameters
    ----------
    arrays : mapping of str to array_like
        At least :data:`REQUIRED`; ``train_index`` is checked when present;
        other names are ignored.
    attrs : mapping of str to str or int
        As written by :func:`encode`. ``time_units`` (default ``"s"``) and the
        metadata (default ``{}``) may be absent.
    source : Source
        Names the container in messages and chooses the error class.

    Returns
    -------
    SpikeTrains
        Equal to the encoded object (times bit-exact, labels of the same kind).

    Raises
    ------
    source.error
        Wrong schema tag or version, missing variables, wrong dtypes or
        shapes, inconsistent lengths, or arrays that are not valid spike
        trains (unsorted, outside their window, ...).
    """
    metadata = check_attrs(attrs, source)
    missing = [name for name in REQUIRED if name not in arrays]
    if missing:
        source.fail(f"hold the variables {list(REQUIRED)}", f"none named {missing} (present: {sorted(arrays)})")
    values = {name: np.asarray(arrays[name]) for name in VARIABLES if name in arrays}
    lengths: dict[str, tuple[str, int]] = {}
    for name, arr in values.items():
        if arr.ndim != 1:
            source.fail(f"hold `{name}` as a 1-d array", f"shape {arr.shape}")
        dim = VARIABLES[name]
        first = lengths.setdefault(dim, (name, arr.shape[0]))
        if arr.shape[0] != first[1]:
            source.fail(f"hold `{name}` as long as `{first[0]}` (both along `{dim}`)",
                        f"lengths {arr.shape[0]} and {first[1]}")
    times = _typed(values["spike_time"], "spike_time", "f", "float", source)
    counts = _typed(values["n_spikes"], "n_spikes", "iu", "integer", source)
    if counts.size and counts.min() < 0:
        source.fail("hold non-negative `n_spikes`", f"minimum {counts.min()}")
    offsets = np.zeros(counts.shape[0] + 1, dtype=INDEX_DTYPE)
    np.cumsum(counts, out=offsets[1:])
    if offsets[-1] != times.shape[0]:
        source.fail(f"hold `n_spikes` summing to the number of spikes ({times.shape[0]})", f"sum {offsets[-1]}")
    if "train_index" in values:
        index = _typed(values["train_index"], "train_index", "iu", "integer", source)
        expected = np.repeat(np.arange(counts.shape[0], dtype=INDEX_DTYPE), counts)
        if not np.array_equal(index, expected):
            j = int(np.flatnonzero(index != expected)[0])
            source.fail("hold `train_index` consistent with `n_spikes` (spikes grouped train by train)",
                        f"train {index[j]} for spike {j}, which `n_spikes` puts in train {expected[j]}")
    t_start = _typed(values["t_start"], "t_start", "f", "float", source)
    t_stop = _typed(values["t_stop"], "t_stop", "f", "float", source)
    unit, trial = (_label_array(values[name], name, source) for name in LABELS)
    try:
        return SpikeTrains(times, offsets, t_start, t_stop, unit=unit, trial=trial, metadata=metadata)
    except (ValidationError, ValidationTypeError) as exc:
        source.fail("hold valid spike trains", f"an invalid record: {exc}")


def _typed(arr: np.ndarray, name: str, kinds: str, what: str, source: Source) -> np.ndarray:
    """``arr`` as float64 (``kinds="f"``) or int64, after checking its dtype kind."""
    if arr.dtype.kind not in kinds:
        source.fail(f"hold `{name}` as {what} values", f"dtype {arr.dtype}")
    return arr.astype(TIME_DTYPE if kinds == "f" else INDEX_DTYPE, copy=False)


def _label_array(arr: np.ndarray, name: str, source: Source) -> np.ndarray:
    """Labels as int64 or str; bytes are decoded as UTF-8 and objects must all be str."""
    if arr.dtype.kind in "iu":
        return arr.astype(INDEX_DTYPE, copy=False)
    if arr.dtype.kind == "S":
        return np.char.decode(arr, "utf-8") if arr.size else arr.astype(str)
    if arr.dtype.kind == "U" or (arr.dtype.kind == "O" and all(isinstance(v, str) for v in arr)):
        return arr.astype(str)
    source.fail(f"hold `{name}` labels as integers or strings", f"dtype {arr.dtype}")


def _scalar(value: Any) -> Any:
    """A one-element array (as some backends return attributes) as its element."""
    if isinstance(value, np.ndarray) and value.size == 1:
        return value.reshape(()).item()
    return value
