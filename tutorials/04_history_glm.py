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
# # A history GLM of the grasshopper receptor, checked by time rescaling
#
# The conditional intensity `lambda(t | H_t)` of a neuron is its firing rate
# given everything that happened before `t`. A Poisson model says the past does
# not matter; a real neuron disagrees: right after a spike it cannot fire
# (refractoriness), and some neurons fire again at a preferred delay. A
# history GLM models `log lambda(t) = b0 + sum_j w_j (B_j * spikes)(t)`, with the
# spike train convolved with a few basis functions `B_j` of the lag (Truccolo
# et al. 2005; Pillow et al. 2008).
#
# The grasshopper auditory receptor of Rokem et al. (2006) fires at about
# 90 Hz with intervals never shorter than 3 ms. We fit a Poisson model and a
# history GLM, compare them by AIC and bits per spike, and ask the
# time-rescaling theorem (Brown et al. 2002) which one describes the spikes.

# %%
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

import spikestats as ss
from spikestats import units as u

try:
    recording = ss.datasets.load_grasshopper()  # ../shared/data, or $SPIKESTATS_DATA
    st = recording.spikes
    source = "grasshopper receptor (Rokem et al. 2006)"
except ss.exceptions.MissingFileError as err:
    # no recording beside the repository: a refractory GLM cell from the embedded example instead
    print("recording not found:", err)
    st = ss.datasets.load_example().select(unit="glm_refractory")
    source = "the example's refractory GLM cell"
print(source, st)
print("rate", ss.stats.firing_rate(st).round(1), "Hz; shortest ISI",
      round(min(np.diff(x).min() for x in st) * 1e3, 2), "ms")

# %% [markdown]
# ## Fitting
# Eight raised cosines on a log-time axis cover lags up to 60 ms, narrow near
# zero where refractoriness acts. Bins are 1 ms. `fit` builds the design
# matrix from the spike times (no history leaks from one trial into the next)
# and solves the likelihood equations by Newton's method with Cholesky steps.
# A cell that *never* fires within 3 ms of a spike pushes the first weights
# towards minus infinity (the likelihood keeps improving); a tiny ridge
# penalty `alpha` keeps them finite without moving the rest of the fit.
# With 1 ms bins a bin holds at most one spike, so the Bernoulli family (a
# spike or not per bin, log link) is the natural likelihood; a Poisson count
# model would also allow two spikes in one bin, which a refractory cell never
# fires.

# %%
basis = ss.glm.RaisedCosineBasis(n_basis=8, t_max=60 * u.ms)
history = ss.glm.HistoryGLM(history=basis, bin_size=1 * u.ms, alpha=1e-4, family="bernoulli").fit(st)

# the homogeneous model (one spike probability per bin, intercept only) is fitted alongside on the same bins
poisson_ll = history.null_log_likelihood_
poisson_aic = 2 * 1 - 2 * poisson_ll
mu = st.bin(1 * u.ms).counts.mean()  # its spike probability per bin
print(f"Poisson:     log L = {poisson_ll:10.1f}  AIC = {poisson_aic:10.1f}")
print(f"history GLM: log L = {history.log_likelihood_:10.1f}  AIC = {history.aic_:10.1f}")
print(f"history GLM gains {history.bits_per_spike(st):.3f} bits per spike over a constant rate")
assert history.aic_ < poisson_aic

fig, ax = plt.subplots(figsize=(6, 3))
history.history_filter_.plot(ax=ax)
ax.set_title("history filter: gain on the rate after a spike, with 95% band")

# %% [markdown]
# The filter is near zero for the first few milliseconds (the cell cannot
# fire), then overshoots above 1: the receptor tends to fire again at its
# preferred interval.
#
# ## Goodness of fit by time rescaling
# If a model's intensity is right, the integrals of `lambda` between
# consecutive spikes are independent Exp(1) variables. Their KS plot against
# the uniform law must stay within the 95% band; for binned models the
# discrete-time correction of Haslinger, Pipa & Brown (2010) removes the bias
# that bins would otherwise add.

# %%
ks_history = ss.glm.time_rescaling_test(st, history, rng=1)
ks_poisson = ss.glm.time_rescaling_test(st, lambda t: np.full(np.shape(t), mu / 1e-3))  # constant rate (Hz)
print("Poisson:    ", ks_poisson)
print("history GLM:", ks_history)
fig, ax = plt.subplots(figsize=(4.5, 4.5))
ks_poisson.plot(ax=ax, label="Poisson")
ks_history.plot(ax=ax, label="history GLM")
ax.legend()

# %% [markdown]
# ## Simulating the fitted model
# A fitted model is a generator: `simulate` runs it forward, spike history
# included, through the same kernel as `spikestats.generators.GLMNeuron`. Its
# intervals reproduce the refractory gap of the data.

# %%
fake = history.simulate(t_stop=10.0, n_trials=2, rng=3)
gap = min(np.diff(x).min() for x in st)
short = np.mean(np.concatenate([np.diff(x) for x in fake]) < gap)
print("simulated rate", ss.stats.firing_rate(fake).round(1), "Hz, CV", np.round(ss.stats.cv(fake), 3),
      "vs data", np.round(ss.stats.cv(st), 3))
print(f"simulated intervals shorter than the data's shortest ({gap * 1e3:.1f} ms): {short:.2%}")
