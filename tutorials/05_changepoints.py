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
# # Change points in a remapping population
#
# When place cells remap (say, when visual cues start to conflict with
# self-motion) some cells fall silent and others start firing, all at about
# the same moment. The embedded example holds such a population: six
# `remap_off` units fall from 8 Hz to 0.5 Hz at 4 s, six `remap_on` units rise
# at the same time, and three of them halve their rate again at 7 s. We ask
# when the population changed, which units took part, and how sure we can be,
# with the three families of detectors spikestats offers: penalised searches
# (PELT with a Poisson cost), Bayesian online detection, and the multiple
# filter test.

# %%
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

import spikestats as ss
from spikestats import units as u

example = ss.datasets.load_example()
truth = ss.datasets.unit_ground_truth(example)
remap = [unit for unit in truth if str(unit).startswith("remap_")]
pop = example.select(unit=remap)
for unit in remap[:1] + remap[6:7]:
    print(unit, truth[unit]["changes"])

# %% [markdown]
# ## One unit, one trial: PELT with a Poisson cost
# Spikes are counted in 50 ms bins; PELT finds the exact optimum of the
# penalised Poisson likelihood (the BIC penalty by default). The result gives
# change times in seconds with profile-likelihood intervals and the rate of
# each segment with its interval.

# %%
one = pop.select(unit="remap_on_1", trial=0)
result = ss.changepoint.detect(one, method="pelt", cost="poisson", penalty="bic", bin_size=50 * u.ms)
print(result)
fig, ax = plt.subplots(figsize=(7, 3))
result.plot(ax=ax)

# %% [markdown]
# ## The population: changes shared across units
# Given several units, `detect` sums their Poisson costs, so a change must pay
# its penalty once for the whole population; each unit's rates per segment
# then tell which units changed there.

# %%
trial0 = pop.select(trial=0)
shared = ss.changepoint.detect(trial0, bin_size=50 * u.ms)
print("shared change times (s):", np.round(shared.change_times, 2))
for k, t in enumerate(shared.change_times):
    changed = [str(unit) for unit, c in zip(shared.units, shared.units_changed[k]) if c]
    print(f"  at {t:.2f} s: {len(changed)} units changed: {', '.join(changed)}")
assert np.any(np.abs(np.asarray(shared.change_times) - 4.0) < 0.2)

# %% [markdown]
# ## How many changes? The CROPS path
# The number of change points depends on the penalty. CROPS (Haynes, Eckley &
# Fearnhead 2017) finds every optimal segmentation over a range of penalties
# at the cost of a handful of PELT runs; a long flat stretch of the path is a
# robust answer.

# %%
counts = one.bin(50 * u.ms).counts[0]
path = ss.changepoint.crops(counts, (1.0, 200.0), cost="poisson")
print(path)

# %% [markdown]
# ## Online: Bayesian change-point detection
# Adams & MacKay (2007) keep a posterior over the time since the last change
# (the run length); with a Gamma prior on the rate, Poisson counts update it
# in closed form. It runs on a stream chunk by chunk and gives the same
# answer as one call on the whole series.

# %%
online = ss.changepoint.BayesianOnline(model="poisson", hazard=1 / 100)
for chunk in np.array_split(counts, 4):   # as if the bins arrived in four batches
    online.partial_fit(chunk)
batch = ss.changepoint.BayesianOnline(model="poisson", hazard=1 / 100).fit(counts)
# on plain counts, times are in steps (here 50 ms bins)
print("detected (online):", online.result().change_times * 0.05, "s;  (one call):",
      batch.result().change_times * 0.05, "s")
assert np.array_equal(online.result().change_times, batch.result().change_times)
fig, ax = plt.subplots(figsize=(7, 3))
ax.imshow(np.log10(online.run_length_posterior_.T + 1e-12), origin="lower", aspect="auto", cmap="Greys",
          vmin=-6, vmax=0, extent=(0, counts.size * 0.05, 0, online.run_length_posterior_.shape[1] * 0.05))
ax.set_xlabel("time (s)")
ax.set_ylabel("run length (s)")
ax.set_title("log10 run-length posterior")

# %% [markdown]
# ## In continuous time: the multiple filter test
# Messer et al. (2014) compare spike counts in adjacent windows of several
# widths, scaled by the interval variability, and set the threshold by
# simulating the limit process so that `alpha` is the familywise level: under
# a stationary process, the chance of any false change is at most 5 %. It
# needs about a hundred spikes per window, so it suits long recordings: here
# 300 s of a gamma-like cell whose rate steps from 20 to 28 Hz at 180 s.

# %%
long = ss.generators.InhomogeneousPoisson(rate=(np.array([0.0, 180.0]), np.array([20.0, 28.0])))
train = long.simulate(n_trains=1, t_stop=300.0, rng=5)
mft = ss.changepoint.multiple_filter_test(train, windows=[10.0, 20.0, 40.0], alpha=0.05, rng=1)
print(mft)
stationary = ss.generators.PoissonProcess(rate=20.0).simulate(n_trains=1, t_stop=300.0, rng=6)
print("stationary train:", ss.changepoint.multiple_filter_test(stationary, windows=[10.0, 20.0, 40.0], rng=1))
assert np.any(np.abs(mft.change_times - 180.0) < 5.0)

# %% [markdown]
# `alpha` bounds the chance of *any* false change on a stationary train (the
# second train). After a change is found, the filters also look for further
# changes on each side with the same threshold, so a long recording with a
# real change can still pick up an extra, spurious one now and then (here a
# second detection near the end; about one run in ten in a sweep of seeds).
# Check detections against the segment rates and intervals before reading
# them as events.
