"""Populations of independent neurons: one dispatcher over the single-neuron kernels, serial and parallel.

Every single-neuron kernel has the signature ``(key, stream, p, cur, dt,
n_steps, out, rec, rec_every) -> count``. Neuron ``ids[j]`` uses random
stream ``ids[j]`` of ``key`` (:mod:`spikestats._kernels.rng`) and writes its
spikes into ``buf[region[j]:region[j + 1]]`` (only the first ones if the
region is too short; the true count is returned, so a caller can run it again
with a longer region and get the same spikes) and its traces into
``rec[:, j, :]`` (``rec`` may have zero samples). The spikes of a neuron
depend only on ``(key, ids[j])``, so threads over neurons give identical
results.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from spikestats._config import NJIT_FLAGS, NJIT_PARALLEL_FLAGS
from spikestats._kernels.adex import adex_neuron
from spikestats._kernels.hodgkin_huxley import hh_neuron
from spikestats._kernels.izhikevich import izhikevich_neuron
from spikestats._kernels.lif import lif_neuron

#: Model codes of :func:`simulate_neuron`.
LIF = 0
ADEX = 1
IZHIKEVICH = 2
HODGKIN_HUXLEY = 3


@njit(**NJIT_FLAGS)
def simulate_neuron(model, key, j, ids, p, current, dt, n_steps, region, buf, rec, rec_every):
    """Neuron ``ids[j]`` of model ``model``; returns its true spike count."""
    i = ids[j]
    cur = current[i] if current.shape[0] > 1 else current[0]
    out = buf[region[j]:region[j + 1]]
    r = rec[:, j, :]
    if model == LIF:
        return lif_neuron(key, i, p, cur, dt, n_steps, out, r, rec_every)
    if model == ADEX:
        return adex_neuron(key, i, p, cur, dt, n_steps, out, r, rec_every)
    if model == IZHIKEVICH:
        return izhikevich_neuron(key, i, p, cur, dt, n_steps, out, r, rec_every)
    return hh_neuron(key, i, p, cur, dt, n_steps, out, r, rec_every)


@njit(**NJIT_FLAGS)
def simulate_neurons(model, key, ids, p, current, dt, n_steps, region, buf, rec, rec_every):
    """Neurons ``ids`` one after the other; returns their true spike counts."""
    counts = np.empty(ids.shape[0], dtype=np.int64)
    for j in range(ids.shape[0]):
        counts[j] = simulate_neuron(model, key, j, ids, p, current, dt, n_steps, region, buf, rec, rec_every)
    return counts


@njit(**NJIT_PARALLEL_FLAGS)
def simulate_neurons_parallel(model, key, ids, p, current, dt, n_steps, region, buf, rec, rec_every):
    """Parallel twin of :func:`simulate_neurons` (threads over neurons; identical output)."""
    counts = np.empty(ids.shape[0], dtype=np.int64)
    for j in prange(ids.shape[0]):
        counts[j] = simulate_neuron(model, key, j, ids, p, current, dt, n_steps, region, buf, rec, rec_every)
    return counts
