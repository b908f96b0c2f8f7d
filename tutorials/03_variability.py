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
# # Variability: CV, LV, Fano factors and the mean-matched Fano factor
#
# Two kinds of variability hide in spike trains. Interval statistics (CV, CV2,
# LV, LvR) ask how irregular the spikes of one train are; count statistics
# (Fano factors) ask how much the number of spikes varies from window to
# window or from trial to trial. They answer different questions: a regular
# neuron whose rate drifts from trial to trial has a small LV and a large Fano
# factor across trials. This tutorial shows both on data with a known answer
# and ends with the mean-matched Fano factor of Churchland et al. (2010), the
# measure of the stimulus-driven decline of variability.

# %%
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

import spikestats as ss
from spikestats import units as u

rng = np.random.default_rng(7)

# %% [markdown]
# ## Interval statistics on renewal processes
# For a gamma process of shape k the CV is `1/sqrt(k)` and the LV
# `3 / (2k + 1)` (Shinomoto et al. 2003). LV compares neighbouring intervals
# only, so it stays put when the rate drifts slowly; CV does not.

# %%
print(f"{'shape':>5} {'CV':>7} {'1/sqrt(k)':>9} {'LV':>7} {'3/(2k+1)':>9}")
for k in (1.0, 2.0, 4.0, 8.0):
    st = ss.generators.GammaProcess(rate=20.0, shape=k).simulate(n_trains=50, t_stop=20.0, rng=rng)
    cv = ss.stats.cv(st, pooled=True, ci=0.95)
    lv = ss.stats.lv(st, pooled=True, ci=0.95)
    print(f"{k:5.0f} {cv.estimate:7.3f} {1 / np.sqrt(k):9.3f} {lv.estimate:7.3f} {3 / (2 * k + 1):9.3f}")
    assert cv.low - 0.02 < 1 / np.sqrt(k) < cv.high + 0.02
    assert lv.low - 0.02 < 3 / (2 * k + 1) < lv.high + 0.02

# %% [markdown]
# A slow sinusoidal rate (period 10 s) raises the CV of a Poisson train well
# above 1 but leaves its LV near 1: the local measure sees through the drift.

# %%
slow = ss.generators.InhomogeneousPoisson(rate=lambda t: 20 + 18 * np.sin(2 * np.pi * t / 10.0))
drifting = slow.simulate(n_trains=20, t_stop=60.0, rng=rng)
print("drifting Poisson: CV", round(float(ss.stats.cv(drifting, pooled=True)), 3),
      " LV", round(float(ss.stats.lv(drifting, pooled=True)), 3))

# %% [markdown]
# ## Fano factors: within trains and across trials
# `fano_factor(st, window=w)` counts spikes in consecutive windows of each
# train; `fano_factor(st)` takes one count per train and compares trains. For
# a renewal process the windowed Fano factor tends to CV² as the window grows
# (Cox 1962), and `fano_window_curve` shows the approach.

# %%
gamma4 = ss.generators.GammaProcess(rate=20.0, shape=4.0).simulate(n_trains=20, t_stop=100.0, rng=rng)
for w in (0.05, 0.5, 5.0):
    f = ss.stats.fano_factor(gamma4, window=w, ci=0.95)
    print(f"window {w:5.2f} s: Fano {np.mean(f.estimate):.3f} (CV^2 = {1 / 4:.3f})")
fig, ax = plt.subplots(figsize=(6, 3))
ss.plotting.fano_window_curve(gamma4, windows=np.geomspace(0.01, 10, 12), ax=ax)

# %% [markdown]
# ## The mean-matched Fano factor
# Across trials, a Fano factor mixes two things: Poisson-like noise and
# trial-to-trial changes of the rate itself. Churchland et al. (2010) showed
# that a stimulus quenches the second kind across cortex. Because the raw
# Fano factor also moves with the mean rate, they compared, at each time, only
# a subset of neurons whose distribution of mean counts is the same at every
# time ("mean matching").
#
# Here 80 model neurons fire for 2 s over 60 trials. Before the stimulus at
# 1 s each trial's rate is scaled by a random gain (gamma, variance 0.3), so
# counts vary more than Poisson; after it the gain is fixed and the rate
# higher. The mean-matched Fano factor should fall from about
# `1 + 0.3 * mean count` to 1.

# %%
n_units, n_trials, t_stop, onset = 80, 60, 2.0, 1.0
base = rng.uniform(10.0, 40.0, n_units)
gain = rng.gamma(1 / 0.3, 0.3, size=(n_units, n_trials))
times = np.array([0.0, onset])
rates = np.stack([np.column_stack([base[i] * gain[i], np.full(n_trials, base[i] * 1.5)]) for i in range(n_units)])
model = ss.generators.InhomogeneousPoisson(rate=(times, rates.reshape(n_units * n_trials, 2)))
trains = model.simulate(n_trains=n_units * n_trials, t_stop=t_stop, rng=rng)
trains = ss.SpikeTrains(trains.times, trains.offsets, trains.t_start, trains.t_stop,
                        unit=np.repeat(np.arange(n_units), n_trials), trial=np.tile(np.arange(n_trials), n_units))

raw = ss.stats.time_resolved_fano(trains, window=100 * u.ms, step=50 * u.ms)
matched = ss.stats.mean_matched_fano(trains, window=100 * u.ms, step=50 * u.ms, rng=rng)
before, after = matched.times < onset - 0.1, matched.times > onset + 0.05
print("mean-matched Fano before:", matched.fano[before].mean().round(2), " after:", matched.fano[after].mean().round(2))
assert matched.fano[before].mean() > 1.2 and abs(matched.fano[after].mean() - 1.0) < 0.15

fig, ax = plt.subplots(figsize=(7, 3))
ss.plotting.time_resolved_fano_plot(raw, ax=ax, mean_matched=matched)
ax.axvline(onset, color="k", lw=0.8, ls=":")

# %% [markdown]
# ## On a recording
# The same calls work on real data. The Kramer-Eden retinal neuron (30 s under
# low and high ambient light) is in `../shared/data` where this repository
# sits beside it (or wherever the `SPIKESTATS_DATA` variable points).

# %%
import os
from pathlib import Path

data = Path(os.environ.get("SPIKESTATS_DATA", "../shared/data"))
if not data.is_dir():
    print(f"{data} not found: skipping the recording")
else:
    from scipy.io import loadmat

    mat = loadmat(data / "kramer_eden_case_studies" / "08_spikes-1.mat")
    light = ss.SpikeTrains.from_list([np.ravel(mat["SpikesLow"]), np.ravel(mat["SpikesHigh"])],
                                     t_stop=30.0, unit=["low light", "high light"])
    for name, cv, lv, fano in zip(light.unit, ss.stats.cv(light), ss.stats.lv(light),
                                  ss.stats.fano_factor(light, window=1.0)):
        print(f"{name:>10}: CV {cv:.3f}  LV {lv:.3f}  Fano(1 s) {fano:.3f}")
