"""Per-unit results gathered into xarray: one variable per part, over ``unit`` and the part's own axes.

A part is a number, a numeric array, or a (frozen) dataclass whose fields are
those (flattened to ``<part>_<field>``). Parts whose shapes differ between
units along the same number of axes are padded with NaN; parts that are not
numeric (strings, objects) or change their number of axes are left out and
named in the ``skipped`` attribute.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from spikestats.typing import DIM_UNIT

if TYPE_CHECKING:
    import xarray as xr

__all__ = ["is_numeric", "flatten", "records_to_dataset", "xarray_results"]


def is_numeric(value: Any) -> bool:
    """True for bools, integers, floats (Python or numpy) and arrays of them."""
    if isinstance(value, (bool, int, float, np.bool_, np.number)):
        return True
    return isinstance(value, np.ndarray) and value.dtype.kind in "biuf"


def flatten(name: str, value: Any) -> dict[str, Any]:
    """``{name: value}``, with a dataclass expanded to ``{name_field: field value}`` (one level)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        prefix = f"{name}_" if name else ""
        return {prefix + f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    return {name: value}


def _stack(values: Sequence[Any]) -> tuple[np.ndarray, bool] | None:
    """Stack numeric ``values`` along a new first axis; NaN-pad ragged ones; None when impossible."""
    if not all(is_numeric(v) for v in values):
        return None
    arrays = [np.asarray(v) for v in values]
    ndims = {a.ndim for a in arrays}
    if len(ndims) != 1:
        return None
    shapes = {a.shape for a in arrays}
    if len(shapes) == 1:
        return np.stack(arrays), False
    shape = tuple(np.max([a.shape for a in arrays], axis=0))
    out = np.full((len(arrays), *shape), np.nan)
    for k, a in enumerate(arrays):
        out[(k, *(slice(0, n) for n in a.shape))] = a
    return out, True


def records_to_dataset(records: Sequence[Mapping[str, Any]], unit_coords: Mapping[str, Any],
                       attrs: Mapping[str, Any]) -> xr.Dataset:
    """One Dataset from per-unit ``{part: value}`` records (same keys expected; a missing key is skipped).

    A part's axes beyond ``unit`` are named ``<part>_dim_<k>``.
    """
    import xarray as xr

    data, skipped = {}, []
    keys = list(dict.fromkeys(k for r in records for k in r))
    for key in keys:
        stacked = _stack([r[key] for r in records]) if all(key in r for r in records) else None
        if stacked is None:
            skipped.append(key)
            continue
        arr, padded = stacked
        name = f"{key}_" if key == DIM_UNIT else key   # an estimator's unit_ cannot take the dimension's name
        dims = (DIM_UNIT, *(f"{name}_dim_{k}" for k in range(arr.ndim - 1)))
        var_attrs = {"padded": "NaN beyond each unit's own length"} if padded else {}
        data[name] = xr.Variable(dims, arr, attrs=var_attrs)
    out_attrs = dict(attrs)
    if skipped:
        out_attrs["skipped"] = ", ".join(skipped)
    # a result named like a descriptive coordinate (an estimator's n_spikes_) wins over it
    coords = {k: v for k, v in unit_coords.items() if k == DIM_UNIT or k not in data}
    return xr.Dataset(data, coords=coords, attrs=out_attrs)


def xarray_results(results: Sequence[Any], unit_coords: Mapping[str, Any], name: str,
                   attrs: Mapping[str, Any]) -> xr.DataArray | xr.Dataset | None:
    """Per-unit results as xarray, or None when they do not convert.

    xarray objects are concatenated along a new ``unit`` dimension; numbers
    and arrays become one DataArray named ``name``; dataclasses and mappings
    become a Dataset of their numeric parts.
    """
    import xarray as xr

    if all(isinstance(r, (xr.DataArray, xr.Dataset)) for r in results):
        # a `unit` coordinate of the pieces (e.g. on `train`) would clash with the new dimension
        pieces = [r.drop_vars(DIM_UNIT) if DIM_UNIT in r.coords and DIM_UNIT not in r.dims else r for r in results]
        if any(DIM_UNIT in r.dims for r in pieces):
            return None
        out = xr.concat(pieces, dim=DIM_UNIT, coords="minimal", compat="override", join="outer")
        return out.assign_coords(dict(unit_coords))
    if all(is_numeric(r) for r in results):
        stacked = _stack(results)
        if stacked is None:
            return None
        arr, padded = stacked
        dims = (DIM_UNIT, *(f"{name}_dim_{k}" for k in range(arr.ndim - 1)))
        var_attrs = {**attrs, **({"padded": "NaN beyond each unit's own length"} if padded else {})}
        return xr.DataArray(arr, dims=dims, coords=dict(unit_coords), name=name, attrs=var_attrs)
    if all(isinstance(r, Mapping) or (dataclasses.is_dataclass(r) and not isinstance(r, type)) for r in results):
        records = [dict(r) if isinstance(r, Mapping) else flatten("", r) for r in results]
        ds = records_to_dataset(records, unit_coords, attrs)
        return None if not ds.data_vars else ds
    return None
