"""Scale-out: per-unit work on a dask cluster, and spike datasets in Zarr processed chunk by chunk.

* :func:`map_units` applies any function to each unit's trains;
  :func:`fit_units` fits a clone of an estimator per unit and gathers the
  fitted attributes into an ``xarray.Dataset`` over ``unit``. ``client=None``
  runs a plain loop in this process; a ``dask.distributed.Client`` (a
  ``LocalCluster`` or a remote scheduler), ``"local"`` or a scheduler address
  runs the same tasks there, with the same results.
* :func:`write_poisson_zarr` writes a synthetic dataset of the ``spiketrains``
  schema to Zarr chunk by chunk; :func:`count_summary_zarr` and
  :func:`bin_counts_zarr` read such a store (any ``spiketrains`` Zarr store)
  in blocks of trains, with memory bounded by the block size.

dask is optional (``pip install 'spikestats[dask]'``); it is imported only
when a cluster or a dask array is asked for. See ``docs/PARALLEL.md``.
"""

from spikestats.parallel._dask import SchedulerUnreachableError
from spikestats.parallel.outofcore import bin_counts_zarr, count_summary_zarr, write_poisson_zarr
from spikestats.parallel.units import clone_estimator, fit_units, map_units

__all__ = ["map_units", "fit_units", "clone_estimator", "SchedulerUnreachableError",
           "write_poisson_zarr", "count_summary_zarr", "bin_counts_zarr"]
