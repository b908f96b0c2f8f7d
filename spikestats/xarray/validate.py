"""Check a Dataset against the ``spiketrains`` schema and say everything that is wrong with it.

:func:`~spikestats.xarray.schema.from_dataset` stops at the first problem;
:func:`validate` collects them all (missing variables, wrong dimensions or
dtypes, ragged arrays of unequal length, counts that do not add up, unsorted
times, times outside their train's window, duplicate (unit, trial) pairs,
duplicate unit ids of a per-unit table, a wrong schema tag or version) and
raises one :class:`~spikestats.exceptions.ValidationError` listing them, each
naming the variable, the train (with its labels) and the values at fault.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import xarray as xr

from spikestats._validation import fail
from spikestats.exceptions import ValidationError, ValidationTypeError
from spikestats.io._layout import (ATTR_METADATA, ATTR_SCHEMA, ATTR_TIME_UNITS, ATTR_VERSION,
                                   REQUIRED, SCHEMA_NAME, SCHEMA_VERSION, TIME_UNITS, VARIABLES)
from spikestats.typing import DIM_UNIT

__all__ = ["validate", "schema_problems"]

#: Problems of one kind shown before "... and k more".
SHOWN = 3
#: dtype kinds accepted per variable, and how to say it.
KINDS = {"spike_time": ("f", "float"), "t_start": ("f", "float"), "t_stop": ("f", "float"),
         "n_spikes": ("iu", "integer"), "train_index": ("iu", "integer"),
         "unit": ("iuUSO", "int or str"), "trial": ("iuUSO", "int or str")}


def validate(ds: Any, *, allow_duplicates: bool = False) -> xr.Dataset:
    """Check that ``ds`` fits the ``spiketrains`` schema (``docs/SCHEMA.md``); return it unchanged.

    Parameters
    ----------
    ds : xarray.Dataset
    allow_duplicates : bool, default False
        Accept several trains with the same (unit, trial) labels. The schema
        identifies a train by its labels, so by default they must be unique
        (a :class:`~spikestats.SpikeTrains` in memory may hold duplicates).

    Returns
    -------
    xarray.Dataset
        ``ds`` itself, so ``validate(ds).spikes...`` chains.

    Raises
    ------
    ValidationTypeError
        ``ds`` is not a Dataset.
    ValidationError
        Listing every problem found (see :func:`schema_problems`).
    """
    problems = schema_problems(ds, allow_duplicates=allow_duplicates)
    if problems:
        listed = "".join(f"\n  {k}. {p}" for k, p in enumerate(problems, 1))
        raise ValidationError(f"`ds` must fit the {SCHEMA_NAME} schema (version {SCHEMA_VERSION}, docs/SCHEMA.md); "
                              f"got {len(problems)} problem{'s' if len(problems) > 1 else ''}:{listed}")
    return ds


def schema_problems(ds: Any, *, allow_duplicates: bool = False) -> list[str]:
    """Every way ``ds`` departs from the schema, as readable sentences (empty when it fits).

    Checks stop early only where a later check would be meaningless (values
    are not compared when the arrays they index are missing or ragged).
    """
    if not isinstance(ds, xr.Dataset):
        fail("ds", "an xarray.Dataset", ds, kind=ValidationTypeError, got=type(ds).__name__,
             fix="Convert it with `.to_dataset()` first." if isinstance(ds, xr.DataArray) else None)
    problems: list[str] = []
    missing = [name for name in REQUIRED if name not in ds.variables]
    if missing:
        problems.append(f"required variable{'s' if len(missing) > 1 else ''} {missing} missing (the schema needs "
                        f"{list(REQUIRED)}; present: {sorted(map(str, ds.variables))})")
    arrays = {}
    for name, dim in VARIABLES.items():
        if name not in ds.variables:
            continue
        var = ds.variables[name]
        kinds, what = KINDS[name]
        if var.dims != (dim,):
            problems.append(f"`{name}` must lie along the single dimension `{dim}`; it has dimensions {var.dims}")
        elif var.dtype.kind not in kinds or (var.dtype.kind == "O" and not _all_str(var.values)):
            problems.append(f"`{name}` must hold {what} values; it has dtype {var.dtype}")
        else:
            arrays[name] = var.values
    problems += _length_problems(arrays)
    if not problems:                        # values are compared only on complete, well-shaped arrays
        problems += _train_problems(arrays)
        if not allow_duplicates:
            problems += _duplicate_problems(arrays)
    if DIM_UNIT in ds.dims and DIM_UNIT in ds.coords:
        ids, counts = np.unique(ds[DIM_UNIT].values, return_counts=True)
        if np.any(counts > 1):
            problems.append(f"unit ids of the `{DIM_UNIT}` dimension must be unique; {_few(ids[counts > 1])} "
                            f"appear more than once")
    return _attr_problems(ds.attrs) + problems


def _all_str(values: np.ndarray) -> bool:
    return all(isinstance(v, str) for v in values.reshape(-1))


def _few(values: Any) -> str:
    values = list(values)
    shown = ", ".join(repr(v.item() if isinstance(v, np.generic) else v) for v in values[:SHOWN])
    return shown + (f" and {len(values) - SHOWN} more" if len(values) > SHOWN else "")


def _attr_problems(attrs: dict) -> list[str]:
    problems = []
    schema = attrs.get(ATTR_SCHEMA)
    if schema != SCHEMA_NAME:
        problems.append(f"attribute {ATTR_SCHEMA} must be {SCHEMA_NAME!r}; it is "
                        f"{'missing' if schema is None else repr(schema)} (write datasets with "
                        f"`SpikeTrains.to_xarray()`)")
    version = attrs.get(ATTR_VERSION)
    if isinstance(version, np.ndarray) and version.size == 1:
        version = version.reshape(()).item()
    integer = isinstance(version, (int, np.integer)) and not isinstance(version, (bool, np.bool_))
    if version is None:
        problems.append(f"attribute {ATTR_VERSION} is missing (this spikestats reads versions 1 .. {SCHEMA_VERSION})")
    elif not integer or version < 1:
        problems.append(f"attribute {ATTR_VERSION} must be an integer >= 1; it is {version!r}")
    elif version > SCHEMA_VERSION:
        problems.append(f"schema version {version} is newer than this spikestats reads (1 .. {SCHEMA_VERSION}); "
                        f"upgrade spikestats")
    units = attrs.get(ATTR_TIME_UNITS, TIME_UNITS)
    if units != TIME_UNITS:
        problems.append(f"attribute {ATTR_TIME_UNITS} must be {TIME_UNITS!r} (times in seconds); it is {units!r}")
    text = attrs.get(ATTR_METADATA, "{}")
    try:
        ok = isinstance(json.loads(text), dict) if isinstance(text, str) else False
    except ValueError:
        ok = False
    if not ok:
        problems.append(f"attribute {ATTR_METADATA} must be a JSON object string; it is {str(text)[:40]!r}")
    return problems


def _length_problems(arrays: dict[str, np.ndarray]) -> list[str]:
    """Ragged arrays: the per-train counts must add up to the spikes and agree with ``train_index``.

    (Variables on one xarray dimension always share its length; a ragged
    variable shows up as a wrong dimension, reported with the dtypes.)
    """
    problems = []
    if "n_spikes" in arrays and "spike_time" in arrays:
        counts = arrays["n_spikes"]
        if counts.size and counts.min() < 0:
            problems.append(f"`n_spikes` must be non-negative; trains {_few(np.flatnonzero(counts < 0))} have "
                            f"negative counts")
        elif int(counts.sum()) != arrays["spike_time"].shape[0]:
            problems.append(f"`n_spikes` must add up to the number of spikes ({arrays['spike_time'].shape[0]} in "
                            f"`spike_time`); it adds up to {int(counts.sum())}")
        elif "train_index" in arrays:
            expected = np.repeat(np.arange(counts.shape[0]), counts)
            bad = np.flatnonzero(arrays["train_index"] != expected)
            if bad.size:
                j = bad[0]
                problems.append(f"`train_index` must group spikes train by train as `n_spikes` says; spike {j} has "
                                f"train {arrays['train_index'][j]} where `n_spikes` puts it in train {expected[j]} "
                                f"({bad.size} spikes differ)")
    return problems


def _describe_train(arrays: dict, i: int) -> str:
    return f"train {i} (unit {_few([arrays['unit'][i]])}, trial {_few([arrays['trial'][i]])})"


def _train_problems(arrays: dict[str, np.ndarray]) -> list[str]:
    """Windows, finiteness, order and window membership of the spike times."""
    problems = []
    times, counts = arrays["spike_time"], arrays["n_spikes"]
    t_start, t_stop = arrays["t_start"], arrays["t_stop"]
    bad = np.flatnonzero(~(t_stop > t_start))
    if bad.size:
        i = bad[0]
        problems.append(f"`t_stop` must exceed `t_start` for every train; {_describe_train(arrays, i)} has "
                        f"[{t_start[i]}, {t_stop[i]}] ({bad.size} trains in all)")
    bad = np.flatnonzero(~np.isfinite(times))
    if bad.size:
        problems.append(f"`spike_time` must be finite; spikes {_few(bad)} are {_few(times[bad])}")
        return problems
    train = np.repeat(np.arange(counts.shape[0]), counts)
    first = np.zeros(times.shape[0], dtype=bool)            # first spike of each train
    first[(np.cumsum(counts) - counts)[counts > 0]] = True
    unsorted = np.flatnonzero((np.diff(times, prepend=-np.inf) < 0) & ~first)
    if unsorted.size:
        j = unsorted[0]
        problems.append(f"`spike_time` must be sorted within each train; {_describe_train(arrays, train[j])} has "
                        f"{times[j - 1]} before {times[j]} ({unsorted.size} spikes out of order; sort with "
                        f"`SpikeTrains(..., sort=True)`)")
    outside = np.flatnonzero((times < t_start[train]) | (times > t_stop[train]))
    if outside.size:
        j = outside[0]
        i = train[j]
        problems.append(f"spike times must lie inside their train's window; spike {j} at {times[j]} s of "
                        f"{_describe_train(arrays, i)} is outside [{t_start[i]}, {t_stop[i]}] "
                        f"({outside.size} spikes outside, in {np.unique(train[outside]).size} trains)")
    return problems


def _duplicate_problems(arrays: dict[str, np.ndarray]) -> list[str]:
    """(unit, trial) pairs shared by several trains."""
    seen: dict[tuple, int] = {}
    clashes = []
    for i, pair in enumerate(zip(arrays["unit"].tolist(), arrays["trial"].tolist())):
        if pair in seen:
            clashes.append((seen[pair], i, pair))
        else:
            seen[pair] = i
    if not clashes:
        return []
    a, b, (unit, trial) = clashes[0]
    return [f"(unit, trial) labels must identify one train; trains {a} and {b} are both unit {unit!r}, trial "
            f"{trial!r} ({len(clashes)} duplicate trains; pass allow_duplicates=True to accept them)"]
