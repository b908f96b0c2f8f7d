# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # A thousand units on dask
#
# The same per-unit analysis runs serially in this process, on a dask
# `LocalCluster`, or on a remote scheduler: only the `client` argument
# changes. Work is split into tasks of consecutive units; each task receives
# only its own units' trains and the results are put back in unit order, so
# the output does not depend on where the tasks ran. Larger-than-memory data
# live in Zarr and are read block by block.

# %%
import tempfile
import time
from pathlib import Path

import numpy as np

import spikestats as ss
from spikestats import units as u

rng = np.random.default_rng(3)

# %% [markdown]
# ## A population with known variability
# 1,000 units, each a gamma renewal process with its own rate and shape, five
# trials of 20 s. Unit `i` has CV `1 / sqrt(shape_i)`: the per-unit analysis
# below should find it.

# %%
n_units, n_trials = 1000, 5
rates = rng.uniform(5.0, 30.0, n_units)
shapes = rng.choice([1.0, 2.0, 4.0], n_units)
trains = [train for r, k in zip(rates, shapes)
          for train in ss.generators.GammaProcess(rate=r, shape=k).simulate(n_trials, 20.0, rng=rng)]
st = ss.SpikeTrains.from_list(trains, t_start=0.0, t_stop=20.0, unit=np.repeat(np.arange(n_units), n_trials),
                              trial=np.tile(np.arange(n_trials), n_units))
print(st)


# %% [markdown]
# ## Any per-unit function: `map_units`
# A function of one unit's trains (all its trials) returns numbers; on a
# cluster it must be picklable, so it lives at module level (or is a
# `functools.partial`).

# %%
def summary(trains):
    return {"rate": ss.stats.firing_rate(trains).mean(), "cv": ss.stats.cv(trains, pooled=True),
            "lv": ss.stats.lv(trains, pooled=True), "fano": ss.stats.fano_factor(trains, window=1.0).mean()}


start = time.perf_counter()
serial = ss.parallel.map_units(summary, st)
t_serial = time.perf_counter() - start
print(f"serial: {t_serial:.2f} s")
print(serial)

# %%
from dask.distributed import Client, LocalCluster

with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                  dashboard_address=":0") as cluster, Client(cluster) as client:
    start = time.perf_counter()
    distributed = ss.parallel.map_units(summary, st, client=client)
    print(f"LocalCluster with 2 workers: {time.perf_counter() - start:.2f} s")
np.testing.assert_array_equal(distributed["cv"].values, serial["cv"].values)
err = serial["cv"].values - 1 / np.sqrt(shapes)
print(f"CV against 1/sqrt(shape): median error {np.median(err):+.4f}, 95% within {np.quantile(np.abs(err), 0.95):.3f}")

# %% [markdown]
# For work this light (four statistics of 1.7 million spikes) the cluster's
# fixed costs (starting workers, shipping the trains) can outweigh the second
# core; the heavier the per-unit work, the more the workers gain.
# `benchmarks/cases_parallel.py` measures the speed-up of per-unit GLM fits
# with one and two workers.
#
# ## One estimator per unit: `fit_units`
# `fit_units` clones an estimator for every unit, fits it and gathers the
# fitted attributes (coefficients, standard errors, AIC, ...) into an xarray
# Dataset over `unit`. Here a history GLM per unit, on the first 100 units
# (a small ridge penalty keeps the shortest-lag weights finite for units that
# happen to have no interval that short).

# %%
few = st.select(unit=np.arange(100))
model = ss.glm.HistoryGLM(history=ss.glm.RaisedCosineBasis(n_basis=5, t_max=50 * u.ms), bin_size=2 * u.ms,
                          alpha=1e-3)
fits = ss.parallel.fit_units(few, model)
print(fits)
# gamma cells of shape > 1 are relatively refractory: their first history coefficient is negative
first = fits["coef"].isel(coef=0) if "coef" in fits["coef"].dims else fits["coef"][:, 0]
print("mean first history weight by shape:",
      {k: float(np.mean(np.asarray(first)[shapes[:100] == k])) for k in (1.0, 2.0, 4.0)})

# %% [markdown]
# ## Out of core: Zarr, block by block
# A store written chunk by chunk is summarised in blocks of spikes, so memory
# stays bounded by the block size, not by the data.

# %%
with tempfile.TemporaryDirectory() as folder:
    path = ss.parallel.write_poisson_zarr(Path(folder) / "big.zarr", n_units=200, t_stop=600.0,
                                          rate=rng.uniform(5, 20, 200), rng=1)
    summary_zarr = ss.parallel.count_summary_zarr(path, bin_size=1.0)
    print(summary_zarr)
