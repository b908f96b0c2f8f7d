"""Small pieces every single-neuron kernel uses: the input at a step, trace sampling, spike output."""

from __future__ import annotations

from numba import njit

from spikestats._config import NJIT_FLAGS


@njit(**NJIT_FLAGS)
def input_at(cur, k):
    """The input of step ``k``: ``cur`` holds one value per step, or one value for all steps."""
    return cur[k] if cur.shape[0] > 1 else cur[0]


@njit(**NJIT_FLAGS)
def sample_index(rec, k, every):
    """Column of ``rec`` (variables x samples) that step ``k`` fills, or -1 (not a sample, or no traces)."""
    if rec.shape[1] > 0 and k % every == 0:
        return k // every
    return -1


@njit(**NJIT_FLAGS)
def emit(out, n, t):
    """Spike number ``n`` at ``t``: written if ``out`` has room; returns ``n + 1`` (the true count goes on)."""
    if n < out.shape[0]:
        out[n] = t
    return n + 1
