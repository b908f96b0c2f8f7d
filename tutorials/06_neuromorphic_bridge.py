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
# # From a fitted model to Loihi and SpiNNaker references, and back
#
# A model fitted to recordings can run on neuromorphic hardware, but the chips
# compute in fixed point: Loihi's CUBA neuron in 12-bit decays and 24-bit
# states, SpiNNaker's in s16.15. Before asking for hardware time you want to
# know what that arithmetic does to the model. spikestats exports models as
# NIR graphs (the interchange format Lava, SpiNNaker2, Norse, snnTorch and
# others read) and runs them on integer-exact *reference simulators*: software
# that computes what the chips compute (checked bit for bit against Lava's
# fixed-point model and against sPyNNaker's host-side code; not confirmed on a
# board). Their outputs are SpikeTrains, so every statistic and test of the
# toolkit applies to them.

# %%
import tempfile
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

import spikestats as ss
from spikestats import units as u

rng = np.random.default_rng(11)

# %% [markdown]
# ## A recurrent CubaLIF network on three backends
# Twenty current-based LIF neurons with self-inhibition and sparse coupling,
# driven by ten 10 Hz Poisson inputs. `compare` runs the float64 model, the
# Loihi reference and the SpiNNaker reference at the same 1 ms step and
# measures each against the float model: per-neuron rate error, the fraction
# of spikes within one step, van Rossum distances.

# %%
n, n_in = 20, 10
w = rng.normal(0, 0.04e-9, (n, n)) * (rng.random((n, n)) < 0.3)
np.fill_diagonal(w, -0.3e-9)
w_in = rng.uniform(0.5e-9, 1.5e-9, (n, n_in)) * (rng.random((n, n_in)) < 0.7)
net = ss.bridge.network_from_arrays("cuba_lif", n, tau_mem=20 * u.ms, tau_syn=5 * u.ms, r=1e8, v_leak=-70 * u.mV,
                                    v_reset=-70 * u.mV, v_threshold=-50 * u.mV, i_bias=rng.uniform(0, 0.1e-9, n),
                                    weights=w, input_weights=w_in)
inputs = ss.generators.PoissonProcess(rate=10.0).simulate(n_in, 20.0, rng=rng)

with tempfile.TemporaryDirectory() as folder:
    path = Path(folder) / "network.nir"
    ss.bridge.write_nir(net, path, dt=1 * u.ms)          # what other tools would read
    graph = ss.bridge.from_nir(path)                      # and back: the same network
    np.testing.assert_array_equal(graph.weights, net.weights)

cmp = ss.bridge.compare(graph, inputs, dt=1 * u.ms, backends=("float", "loihi", "spinnaker"))
print(cmp)
for name in ("loihi", "spinnaker"):
    if name in cmp.rate_rel_error:
        print(f"{name:>9}: worst rate error {np.max(cmp.rate_rel_error[name]):.2%}, "
              f"{cmp.within_one_step[name]:.1%} of spikes within one step")
assert np.max(cmp.rate_rel_error["loihi"]) <= 0.02 and cmp.within_one_step["loihi"] >= 0.95

fig, ax = plt.subplots(figsize=(8, 4))
ss.plotting.bridge_comparison_plot(cmp, ax=ax, neurons=range(4), t_start=5.0, t_stop=6.0)

# %% [markdown]
# Loihi's Euler steps match the float model's; SpiNNaker integrates with exact
# exponential decays, a different discretisation, so part of its difference
# comes from the method, not the integers (compare it with the `float_exact`
# backend to separate the two).
#
# ## A fitted GLM as a stochastic neuron
# A history GLM whose filters use an exponential basis maps onto synaptic
# traces: each basis function is a current that jumps at every spike and
# decays with its time constant, and the fitted weights feed them back into
# the neuron's log intensity. SpiNNaker's exponential-escape neuron then
# spikes with probability `1 - exp(-lambda dt)` in every step. If the export
# is faithful, the spikes it makes pass the time-rescaling test *under the
# original model*.

# %%
try:
    st = ss.datasets.load_grasshopper().spikes.select(trial=1)
except ss.exceptions.MissingFileError:
    st = ss.datasets.load_example().select(unit="glm_refractory", trial=0)
basis = ss.glm.ExponentialBasis(taus=(1 * u.ms, 2.5 * u.ms, 6 * u.ms, 15 * u.ms, 40 * u.ms))
glm = ss.glm.HistoryGLM(history=basis, bin_size=1 * u.ms, family="bernoulli").fit(st)
graph = ss.bridge.to_nir(glm)
print("NIR nodes:", sorted(graph.nodes))

chip = ss.bridge.EscapeNeuronReference.from_glm(glm)
out = chip.run(n_steps=60_000, rng=4)
ks = ss.glm.time_rescaling_test(out.spikes, glm)
print("exported GLM on the SpiNNaker escape neuron:", ks)
print(f"rate: data {ss.stats.firing_rate(st).mean():.1f} Hz, chip {ss.stats.firing_rate(out.spikes).mean():.1f} Hz")
fig, ax = plt.subplots(figsize=(4.5, 4.5))
ks.plot(ax=ax, label="fixed-point escape neuron")
ax.legend()

# %% [markdown]
# ## A runnable PyNN script
# For SpiNNaker boards (and any PyNN back end) the same network becomes a
# script of `IF_curr_exp` cells, `SpikeSourceArray` inputs and projections in
# nA.

# %%
script = ss.bridge.to_pynn(ss.bridge.to_nir(net), inputs=inputs)
compile(script, "network_pynn.py", "exec")  # valid Python
print("\n".join(script.splitlines()[:25]))
