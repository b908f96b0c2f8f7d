"""The ``ds.spikes`` accessor on ``spiketrains`` Datasets.

Registered when :mod:`spikestats.xarray` is imported (``SpikeTrains.to_xarray``
does so). Every method rebuilds the (validated) SpikeTrains and calls the
numpy implementation in :mod:`spikestats.stats` or :meth:`SpikeTrains.bin`;
results are DataArrays with ``units`` attributes and the ``unit``/``trial``
labels as coordinates on ``train``, so they can be added back to the Dataset.

Examples
--------
>>> import spikestats as ss
>>> ds = ss.SpikeTrains.from_list([[0.1, 0.4], [0.2]], t_stop=1.0).to_xarray()
>>> ds.spikes.firing_rate().values
array([2., 1.])
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from spikestats import stats
from spikestats.core.spiketrains import SpikeTrains
from spikestats.typing import DIM_TIME, DIM_TRAIN
from spikestats.xarray.schema import from_dataset, train_coords

__all__ = ["SpikesAccessor"]


def _time_coord(values: np.ndarray, long_name: str) -> tuple[str, np.ndarray, dict[str, str]]:
    return (DIM_TIME, values, {"units": "s", "long_name": long_name})


@xr.register_dataset_accessor("spikes")
class SpikesAccessor:
    """Spike-train statistics on a Dataset of the ``spiketrains`` schema, as ``ds.spikes``.

    Parameters
    ----------
    ds : xarray.Dataset
        Checked (via :func:`~spikestats.xarray.schema.from_dataset`) when a
        method is called, not on attribute access.
    """

    def __init__(self, ds: xr.Dataset) -> None:
        self._ds = ds

    def to_spiketrains(self) -> SpikeTrains:
        """The Dataset as a :class:`~spikestats.SpikeTrains` (validated; lossless)."""
        return from_dataset(self._ds)

    def bin(self, bin_size: float, t_start: float | None = None, t_stop: float | None = None) -> xr.DataArray:
        """Spike counts in bins, as :meth:`SpikeTrains.bin` computes them.

        Parameters
        ----------
        bin_size : float
            Bin width in seconds, > 0.
        t_start, t_stop : float, optional
            Window to bin (seconds); defaults to the window common to all trains.

        Returns
        -------
        xarray.DataArray of int64, dims (train, time), shape (n_trains, n_bins)
            Named ``spike_count`` (units ``"1"``). Coordinates: ``time`` (bin
            centres, s), ``bin_start`` and ``bin_stop`` (the exact bin edges on
            ``time``, s; they stay right under slicing), ``unit`` and ``trial``
            on ``train``. Attribute ``bin_size`` (s).
        """
        binned = self.to_spiketrains().bin(bin_size, t_start, t_stop)
        edges = binned.edges
        coords = {
            DIM_TIME: _time_coord(binned.centers, "bin centre"),
            "bin_start": _time_coord(edges[:-1], "left bin edge"),
            "bin_stop": _time_coord(edges[1:], "right bin edge"),
            **train_coords(binned),
        }
        return xr.DataArray(binned.counts, dims=(DIM_TRAIN, DIM_TIME), coords=coords, name="spike_count",
                            attrs={"units": "1", "long_name": "spike count", "bin_size": float(bin_size)})

    def firing_rate(self, *, t_start: float | None = None, t_stop: float | None = None) -> xr.DataArray:
        """Mean firing rate of each train (:func:`spikestats.stats.firing_rate`).

        Parameters
        ----------
        t_start, t_stop : float, optional
            Restrict every train to this window first (seconds).

        Returns
        -------
        xarray.DataArray of float64, dims (train,)
            Named ``firing_rate``, units ``"Hz"``, with ``unit``/``trial`` coordinates.
        """
        st = self.to_spiketrains()
        rate = stats.firing_rate(st, t_start=t_start, t_stop=t_stop)
        return xr.DataArray(rate, dims=(DIM_TRAIN,), coords=train_coords(st), name="firing_rate",
                            attrs={"units": "Hz", "long_name": "mean firing rate"})

    def fano_factor(self, window: float | None = None, *, ddof: int = 0) -> xr.DataArray:
        """Fano factor of spike counts (:func:`spikestats.stats.fano_factor`).

        Parameters
        ----------
        window : float, optional
            ``None``: one count per train and one Fano factor across trains
            (windows must have equal lengths). A length in seconds: counts in
            consecutive windows within each train and one Fano factor per train.
        ddof : int, default 0
            Delta degrees of freedom of the variance.

        Returns
        -------
        xarray.DataArray of float64
            0-d when ``window`` is None, else dims (train,) with ``unit``/``trial``
            coordinates. Named ``fano_factor``, units ``"1"``, attributes
            ``ddof`` and (with a window) ``window`` in seconds.
        """
        st = self.to_spiketrains()
        value = stats.fano_factor(st, window, ddof=ddof)
        attrs = {"units": "1", "ddof": int(ddof)}
        if window is None:
            return xr.DataArray(value, name="fano_factor", attrs={**attrs, "long_name": "Fano factor across trains"})
        return xr.DataArray(value, dims=(DIM_TRAIN,), coords=train_coords(st), name="fano_factor",
                            attrs={**attrs, "long_name": "Fano factor within each train", "window": float(window)})
