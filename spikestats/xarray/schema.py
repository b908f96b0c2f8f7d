"""The ``spiketrains`` xarray Dataset schema (version 1).

A :class:`~spikestats.SpikeTrains` becomes a Dataset with two dimensions: a
ragged ``spike`` dimension holding every spike of every train, train after
train, and a ``train`` dimension holding one entry per train.

==============  ===========  ==================  =========================================
name            dimension    dtype               meaning
==============  ===========  ==================  =========================================
``spike_time``  ``spike``    float64, ``s``      spike times, sorted within each train
``train_index`` ``spike``    int64               train (0-based) of each spike
``t_start``     ``train``    float64, ``s``      start of each train's observation window
``t_stop``      ``train``    float64, ``s``      end of each train's observation window
``n_spikes``    ``train``    int64               spikes per train (``offsets = [0, *cumsum]``)
``unit``        ``train``    int64 or str        unit label (a coordinate)
``trial``       ``train``    int64 or str        trial label (a coordinate)
==============  ===========  ==================  =========================================

Train ``i`` is ``spike_time[offsets[i]:offsets[i + 1]]`` with
``offsets = concatenate([[0], cumsum(n_spikes)])``; ``train_index`` repeats
``i`` ``n_spikes[i]`` times (handy for ``groupby``), is derivable, and so is
optional on read but checked when present.

Dataset attributes:

* ``spikestats_schema = "spiketrains"`` and ``spikestats_schema_version = 1``
  (required on read; a newer version is refused with a clear message);
* ``time_units = "s"`` (only seconds; assumed when absent);
* ``spikestats_metadata``: the free metadata as a JSON string (JSON keeps it
  exactly; ``"{}"`` assumed when absent).

Variables carry CF-style ``units`` and ``long_name`` attributes. The two
dimensions are independent, so ``ds.isel(train=...)`` does not subset the
spikes: select trains on the SpikeTrains (``ds.spikes.to_spiketrains().select(...)``).

Round trips are exact: ``from_dataset(to_dataset(st)) == st`` with times bit
for bit, windows, offsets, the label kind (int or str, even for zero trains)
and the metadata; this holds through netCDF files too
(:func:`spikestats.io.write`).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import xarray as xr

from spikestats.core.binned import BinnedCounts
from spikestats.core.spiketrains import SpikeTrains
from spikestats.exceptions import ValidationTypeError
from spikestats.io._layout import LABELS, VARIABLE_ATTRS, VARIABLES, Source, decode, encode
from spikestats.typing import DIM_TRAIN

__all__ = ["to_dataset", "from_dataset", "decode_dataset", "train_coords"]


def train_coords(st: SpikeTrains | BinnedCounts) -> dict[str, tuple[str, np.ndarray, dict[str, str]]]:
    """The ``unit`` and ``trial`` coordinates (along ``train``) of ``st``, as xarray tuples (copies)."""
    return {name: (DIM_TRAIN, np.array(getattr(st, name)), dict(VARIABLE_ATTRS[name])) for name in LABELS}


def to_dataset(st: SpikeTrains) -> xr.Dataset:
    """``st`` as a Dataset of the ``spiketrains`` schema (see the module docstring).

    Parameters
    ----------
    st : SpikeTrains
        The trains; the Dataset holds copies of its arrays.

    Returns
    -------
    xarray.Dataset
        Dimensions ``spike`` (n_spikes) and ``train`` (n_trains); data
        variables ``spike_time``, ``train_index``, ``t_start``, ``t_stop``,
        ``n_spikes``; coordinates ``unit``, ``trial``.
    """
    arrays, attrs = encode(st)
    data_vars = {name: (VARIABLES[name], arr, dict(VARIABLE_ATTRS[name]))
                 for name, arr in arrays.items() if name not in LABELS}
    return xr.Dataset(data_vars, coords=train_coords(st), attrs=attrs)


def from_dataset(ds: xr.Dataset) -> SpikeTrains:
    """Rebuild the SpikeTrains stored in a ``spiketrains`` Dataset (inverse of :func:`to_dataset`).

    Parameters
    ----------
    ds : xarray.Dataset
        A Dataset of the schema; ``unit`` and ``trial`` may be coordinates or
        data variables; extra variables and attributes are ignored.

    Returns
    -------
    SpikeTrains

    Raises
    ------
    ValidationTypeError
        ``ds`` is not a Dataset.
    ValidationError
        Wrong or missing schema tag or version, missing variables, variables
        on the wrong dimension or of the wrong dtype, inconsistent lengths,
        or spikes that are unsorted or outside their windows.
    """
    return decode_dataset(ds, Source("ds"))


def decode_dataset(ds: Any, source: Source) -> SpikeTrains:
    """:func:`from_dataset` with errors named and typed by ``source`` (file readers use this)."""
    if not isinstance(ds, xr.Dataset):
        fix = " Convert it with `.to_dataset()` first." if isinstance(ds, xr.DataArray) else ""
        raise ValidationTypeError(f"`{source.name}`{source.where} must be an xarray.Dataset; got "
                                  f"{type(ds).__name__}.{fix}")
    arrays = {}
    for name, dim in VARIABLES.items():
        if name not in ds.variables:
            continue
        var = ds.variables[name]
        if var.dims != (dim,):
            source.fail(f"hold `{name}` along the single dimension `{dim}`", f"dimensions {var.dims}")
        arrays[name] = var.values
    return decode(arrays, ds.attrs, source)
