"""State traces of simulated neurons as an xarray Dataset (``time`` x ``unit``).

Built by the neuron generators of :mod:`spikestats.generators` when called
with ``record=True``; they import this module only then, so the generators
stay free of xarray at import.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import xarray as xr

from spikestats.typing import DIM_TIME, DIM_UNIT


def traces_dataset(rec: np.ndarray, variables: Sequence[tuple[str, str, str]], sample_interval: float,
                   ground_truth: Mapping[str, Any] | None = None) -> xr.Dataset:
    """Dataset with one ``(time, unit)`` variable per recorded state variable.

    Parameters
    ----------
    rec : ndarray, shape (n_variables, n_units, n_samples)
        The samples, taken at ``time = k * sample_interval``.
    variables : sequence of (name, units, long_name)
        One entry per row of ``rec``; ``units`` are SI (CF-style strings).
    sample_interval : float
        Seconds between samples.
    ground_truth : mapping, optional
        The model's parameters, stored as a JSON string attribute.

    Returns
    -------
    xarray.Dataset
        Coordinates ``time`` (s) and ``unit`` (0 .. n_units - 1); the data
        are views of ``rec`` (transposed), not copies.
    """
    n_vars, n_units, n_samples = rec.shape
    coords = {DIM_TIME: (DIM_TIME, np.arange(n_samples) * sample_interval, {"units": "s", "long_name": "time"}),
              DIM_UNIT: (DIM_UNIT, np.arange(n_units, dtype=np.int64))}
    data = {name: ((DIM_TIME, DIM_UNIT), rec[k].T, {"units": units, "long_name": long_name})
            for k, (name, units, long_name) in enumerate(variables)}
    attrs = {"sample_interval": float(sample_interval)}
    if ground_truth is not None:
        attrs["ground_truth"] = json.dumps(dict(ground_truth))
    return xr.Dataset(data, coords=coords, attrs=attrs)
