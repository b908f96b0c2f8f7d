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
# # Generators and their ground truth
#
# A method should be tried on data whose answer is known before it is trusted
# on a recording. spikestats' generators make such data: point processes
# (Poisson with a dead time, inhomogeneous Poisson, gamma and inverse-Gaussian
# renewal processes, Hawkes), neuron models (LIF, AdEx, Izhikevich,
# Hodgkin-Huxley) and GLM neurons. Every one takes `rng=` and is reproducible
# bit for bit from it, whatever the number of threads. This tutorial checks a
# few of them against their theory.

# %%
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

import spikestats as ss
from spikestats import units as u

rng = np.random.default_rng(2026)

# %% [markdown]
# ## Poisson with a dead time
# The rate you ask for is the output rate: with dead time `d` the process is
# a Poisson process of rate `rate / (1 - rate d)` shifted by `d` after every
# spike, so its ISI CV is `1 - rate d` (Cox 1962).

# %%
rate, dead = 40.0, 5 * u.ms
st = ss.generators.PoissonProcess(rate=rate, dead_time=dead).simulate(n_trains=200, t_stop=10.0, rng=rng)
measured_rate = ss.stats.firing_rate(st).mean()
measured_cv = ss.stats.cv(st, pooled=True)
print(f"rate {measured_rate:.2f} Hz (asked {rate}), CV {measured_cv:.4f} (theory {1 - rate * dead:.4f})")
print("shortest ISI:", min(np.diff(train).min() for train in st if len(train) > 1), "s")
assert abs(measured_rate - rate) < 5 * np.sqrt(rate / st.duration.sum())
assert abs(measured_cv - (1 - rate * dead)) < 0.01

# %% [markdown]
# ## Reproducible from one `rng`
# The same seed gives the same spikes; trains come from independent streams,
# so asking for more trains does not change the first ones.

# %%
gen = ss.generators.GammaProcess(rate=10.0, shape=4.0)
a = gen.simulate(n_trains=5, t_stop=5.0, rng=1)
b = gen.simulate(n_trains=5, t_stop=5.0, rng=1)
assert a == b
print("same seed, same trains:", a == b)
print("LV of gamma(shape 4):", round(float(ss.stats.lv(gen.simulate(50, 20.0, rng=2), pooled=True)), 3),
      "theory 3/(2k+1) =", round(3 / 9, 3))

# %% [markdown]
# ## An inhomogeneous rate and the PSTH
# A rate given as a callable (or as samples) is followed by thinning; the
# PSTH over many trials recovers it.

# %%
def sine(t):
    return 20.0 + 15.0 * np.sin(2 * np.pi * 2.0 * t)


trials = ss.generators.InhomogeneousPoisson(rate=sine, method="thinning", rate_bound=35.0).simulate(n_trains=300, t_stop=2.0, rng=rng)
psth = ss.stats.psth(trials, bin_size=25 * u.ms)
centres = 0.5 * (psth.edges[1:] + psth.edges[:-1])
fig, ax = plt.subplots(figsize=(7, 3))
ss.plotting.psth_plot(psth.edges, psth.rate, psth.se, ax=ax)
ax.plot(centres, sine(centres), "k--", label="true rate")
ax.legend()
err = np.abs(psth.rate - sine(centres)) / psth.se
print("largest PSTH error in standard errors:", err.max().round(2))

# %% [markdown]
# ## Firing patterns of the AdEx neuron
# The presets are the firing patterns of Naud et al. (2008), Table 1, each
# with its step current. Tonic firing is regular; an adapting cell's
# intervals lengthen; a bursting cell mixes short and long intervals.

# %%
fig, axes = plt.subplots(3, 1, figsize=(7, 5), sharex=True)
for ax, name in zip(axes, ["tonic", "adapting", "initial_burst"]):
    model = ss.generators.AdEx.preset(name)
    spikes, traces = model.simulate(model.preset_current(name), t_stop=0.5, rng=rng, record=True)
    isis = np.diff(spikes[0])
    ss.plotting.traces_plot(traces, "v", ax=ax, spikes=spikes)
    ax.set_title(f"{name}: {spikes.n_spikes} spikes, first/last ISI {isis[0] * 1e3:.1f} / {isis[-1] * 1e3:.1f} ms",
                 fontsize=9)
axes[-1].set_xlabel("time (s)")
fig.tight_layout()

# %% [markdown]
# ## Ground truth travels with the data
# The embedded example dataset was made by these generators; each unit's
# parameters sit in the metadata, and `true_value` turns them into the rate
# or CV a statistic should recover.

# %%
example = ss.datasets.load_example()
truth = ss.datasets.unit_ground_truth(example)
for unit in ["poisson_3", "poisson_8", "glm_refractory"]:
    print(unit, truth[unit]["model"], "true rate:", ss.datasets.true_value(truth[unit], "rate"))
