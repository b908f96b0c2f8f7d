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
# # Quick start: load, look, summarise
#
# spikestats keeps many spike trains in one flat `SpikeTrains` object: all
# spike times in one float64 array (seconds), train boundaries in `offsets`,
# and a window, a unit and a trial label per train. This tutorial loads the
# embedded example, looks at it, computes rates, ISI variability and Fano
# factors, compares them with the ground truth the example carries, and saves
# everything to netCDF.

# %%
import tempfile
from pathlib import Path

import numpy as np

import spikestats as ss
from spikestats import units as u

st = ss.datasets.load_example()
print(st)
print("units:", np.unique(st.unit))

# %% [markdown]
# ## Selecting and cutting
# `select` picks trains by label, `restrict` cuts a time window, `st[i]` is one
# train as a read-only array and `st[a:b]` a view of several trains.

# %%
fast = st.select(unit="poisson_8")
early = fast.restrict(0.0, 2.0)
print(fast, early, sep="\n")
print("first spikes of trial 0:", fast[0][:5])

# %% [markdown]
# ## Rates, ISIs, CV and Fano factors
# With a dead time, a Poisson process stays at its requested rate but becomes
# more regular: its ISI CV is `1 - rate * dead_time`, and for long windows its
# Fano factor tends to CV² (Cox 1962). The model cells (an adapting AdEx
# neuron, a refractory GLM neuron, a sine- and a step-modulated Poisson cell)
# show what regularity and rate changes do to the same numbers; `true_value`
# reads the ground truth each unit carries (None where no closed form exists).

# %%
truth = ss.datasets.unit_ground_truth(st)
true_value = ss.datasets.true_value
print(f"{'unit':>15} {'rate':>7} {'true':>6} {'CV':>6} {'true':>6} {'LV':>6} {'Fano(1 s)':>9}")
for unit in np.unique(st.unit):
    trains = st.select(unit=unit)
    rate = ss.stats.firing_rate(trains).mean()
    cv = np.nanmean(ss.stats.cv(trains))
    lv = np.nanmean(ss.stats.lv(trains))
    fano = ss.stats.fano_factor(trains, window=1.0, ddof=1).mean()
    true_rate, true_cv = true_value(truth[unit], "rate"), true_value(truth[unit], "cv")
    fmt = lambda x, spec: "-" if x is None else format(x, spec)  # noqa: E731
    print(f"{unit:>15} {rate:7.2f} {fmt(true_rate, '6.1f'):>6} {cv:6.3f} {fmt(true_cv, '6.3f'):>6} {lv:6.3f} "
          f"{fano:9.3f}")
    if true_rate is not None:
        assert abs(rate - true_rate) < 5 * np.sqrt(true_rate / trains.duration.sum())

# %% [markdown]
# ## Binning and the xarray view
# `bin` counts spikes on edges `t_start + k * bin_size` (left-closed bins);
# `to_xarray` gives a Dataset whose `.spikes` accessor bins and summarises too.

# %%
counts = fast.bin(50 * u.ms)
print(counts, counts.counts.sum() == fast.n_spikes)
ds = st.to_xarray()
print(ds.spikes.fano_factor(window=1.0).mean().item())

# %% [markdown]
# ## Saving
# `ss.io.write` picks the format from the extension; reading it back gives an
# equal object, bit for bit.

# %%
with tempfile.TemporaryDirectory() as folder:
    path = Path(folder) / "example.nc"
    ss.io.write(st, path)
    assert ss.io.read(path) == st
    print("round trip through", path.name, "is lossless")
