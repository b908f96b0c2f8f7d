"""Per-train and per-unit analysis results as xarray Datasets, stored together in one netCDF file.

A results file (``spikestats report`` writes ``results.nc``) has two groups:

=========  ===========  ===========================================================
group      dimension    content
=========  ===========  ===========================================================
``/``      ``train``    one variable per per-train quantity; coordinates ``unit``
                        and ``trial`` (the labels, as in the ``spiketrains``
                        schema), ``t_start`` and ``t_stop`` (s)
``units``  ``unit``     one variable per per-unit quantity; index coordinate
                        ``unit`` = the sorted unique labels (``np.unique(st.unit)``)
=========  ===========  ===========================================================

The per-unit quantities live in their own group because ``unit`` is already
a coordinate along ``train`` in the root group. Every variable carries
CF-style ``units`` and ``long_name`` attributes when given; dataset
attributes that netCDF cannot hold (dicts, lists, booleans, None) are stored
as JSON strings.

Examples
--------
>>> import xarray as xr
>>> per_train = xr.open_dataset("results.nc")                  # doctest: +SKIP
>>> per_unit = xr.open_dataset("results.nc", group="units")    # doctest: +SKIP
>>> per_train.firing_rate.groupby("unit").mean()               # doctest: +SKIP
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from typing import Any, Union

import numpy as np
import xarray as xr

from spikestats._validation import fail
from spikestats.core.spiketrains import SpikeTrains
from spikestats.exceptions import ValidationTypeError
from spikestats.typing import ArrayLike, DIM_TRAIN, DIM_UNIT
from spikestats.xarray.schema import train_coords

__all__ = ["per_train_dataset", "per_unit_dataset", "write_results", "read_results", "UNIT_GROUP"]

#: netCDF group holding the per-unit Dataset.
UNIT_GROUP = "units"
#: A result: its values, or ``(values, attrs)`` with CF-style ``units`` / ``long_name``.
Variable = Union[ArrayLike, tuple[ArrayLike, Mapping[str, str]]]

_ENGINE = "netcdf4"


def per_train_dataset(st: SpikeTrains, variables: Mapping[str, Variable], *,
                      attrs: Mapping[str, Any] | None = None) -> xr.Dataset:
    """Per-train results of ``st`` as a Dataset along ``train``.

    Parameters
    ----------
    st : SpikeTrains
        The trains the results belong to (labels and windows become coordinates).
    variables : mapping of str to array_like or (array_like, dict)
        Name -> values of shape ``(n_trains,)`` in the order of ``st``'s
        trains, optionally with attributes (e.g. ``{"units": "Hz",
        "long_name": "firing rate"}``).
    attrs : mapping, optional
        Dataset attributes (parameters, versions, provenance).

    Returns
    -------
    xarray.Dataset
        Dimension ``train``; coordinates ``unit``, ``trial``, ``t_start``,
        ``t_stop``; one data variable per entry of ``variables``.
    """
    _check_st(st)
    coords = {**train_coords(st),
              "t_start": (DIM_TRAIN, np.array(st.t_start), {"units": "s", "long_name": "start of the window"}),
              "t_stop": (DIM_TRAIN, np.array(st.t_stop), {"units": "s", "long_name": "end of the window"})}
    return xr.Dataset(_data_vars(variables, DIM_TRAIN, st.n_trains), coords=coords, attrs=netcdf_attrs(attrs))


def per_unit_dataset(st: SpikeTrains, variables: Mapping[str, Variable], *,
                     attrs: Mapping[str, Any] | None = None) -> xr.Dataset:
    """Per-unit results of ``st`` as a Dataset along ``unit``.

    Parameters
    ----------
    st : SpikeTrains
        The trains; their sorted unique unit labels index the results.
    variables : mapping of str to array_like or (array_like, dict)
        Name -> values of shape ``(n_units,)`` in the order of
        ``np.unique(st.unit)``, optionally with attributes.
    attrs : mapping, optional
        Dataset attributes.

    Returns
    -------
    xarray.Dataset
        Dimension and index coordinate ``unit``; one data variable per entry.
    """
    _check_st(st)
    units = np.unique(st.unit)
    coords = {DIM_UNIT: (DIM_UNIT, units, {"long_name": "unit label"})}
    return xr.Dataset(_data_vars(variables, DIM_UNIT, units.size), coords=coords, attrs=netcdf_attrs(attrs))


def write_results(path: str | os.PathLike, per_train: xr.Dataset, per_unit: xr.Dataset | None = None) -> None:
    """Write results to a netCDF4 file: ``per_train`` as the root group, ``per_unit`` as group ``units``.

    Parameters
    ----------
    path : str or os.PathLike
        File to create (an existing file is replaced). Write to a temporary
        path and rename it for an atomic update.
    per_train, per_unit : xarray.Dataset
        From :func:`per_train_dataset` and :func:`per_unit_dataset`.
    """
    for name, ds in (("per_train", per_train), ("per_unit", per_unit)):
        if ds is not None and not isinstance(ds, xr.Dataset):
            fail(name, "an xarray.Dataset", ds, kind=ValidationTypeError)
    per_train.to_netcdf(path, mode="w", engine=_ENGINE)
    if per_unit is not None:
        per_unit.to_netcdf(path, mode="a", group=UNIT_GROUP, engine=_ENGINE)


def read_results(path: str | os.PathLike) -> tuple[xr.Dataset, xr.Dataset | None]:
    """Read a results file written by :func:`write_results` (into memory).

    Returns
    -------
    per_train : xarray.Dataset
    per_unit : xarray.Dataset or None
        ``None`` when the file has no ``units`` group.
    """
    with xr.open_dataset(path, engine=_ENGINE) as ds:
        per_train = ds.load()
    try:
        with xr.open_dataset(path, engine=_ENGINE, group=UNIT_GROUP) as ds:
            per_unit = ds.load()
    except OSError:  # netCDF4 reports a missing group as an OSError
        per_unit = None
    return per_train, per_unit


def netcdf_attrs(attrs: Mapping[str, Any] | None) -> dict[str, Any]:
    """Attributes netCDF can store: str and numbers kept, anything else as a JSON string."""
    out = {}
    for key, value in (attrs or {}).items():
        keep = isinstance(value, (str, int, float, np.integer, np.floating)) and not isinstance(value, bool)
        out[str(key)] = value if keep else json.dumps(value)
    return out


def _data_vars(variables: Mapping[str, Variable], dim: str, size: int) -> dict[str, tuple]:
    if not isinstance(variables, Mapping):
        fail("variables", "a mapping of names to arrays", variables, kind=ValidationTypeError)
    out = {}
    for name, item in variables.items():
        values, var_attrs = item if isinstance(item, tuple) else (item, {})
        arr = np.asarray(values)
        if arr.shape != (size,):
            fail(f"variables[{name!r}]", f"an array of shape ({size},), one value per {dim}", values,
                 got=f"shape {arr.shape}")
        out[name] = (dim, arr, dict(var_attrs))
    return out


def _check_st(st: Any) -> None:
    if not isinstance(st, SpikeTrains):
        fail("st", "a SpikeTrains", st, kind=ValidationTypeError)
