"""Pair-based STDP weight changes between a presynaptic and a postsynaptic train."""

from __future__ import annotations

import numpy as np
from numba import njit

from spikestats._config import NJIT_FLAGS


@njit(**NJIT_FLAGS)
def _all_pairs_sum(early, late, tau):
    """``sum over pairs (e, l) with e < l of exp(-(l - e) / tau)`` for sorted ``early`` and ``late``.

    One pass with an exponential trace of the ``early`` spikes, updated by
    multiplying with ``exp(-gap / tau)`` so no term ever overflows; equal
    times do not pair.
    """
    total = 0.0
    trace = 0.0
    t_last = 0.0
    i = 0
    ne = early.shape[0]
    for j in range(late.shape[0]):
        t = late[j]
        while i < ne and early[i] < t:
            if trace != 0.0:
                trace *= np.exp(-(early[i] - t_last) / tau)
            trace += 1.0
            t_last = early[i]
            i += 1
        if trace != 0.0:
            total += trace * np.exp(-(t - t_last) / tau)
    return total


@njit(**NJIT_FLAGS)
def _nearest_sum(early, late, tau):
    """``sum over l of exp(-(l - e*) / tau)`` with ``e*`` the latest ``early`` spike strictly before ``l``."""
    total = 0.0
    i = 0
    ne = early.shape[0]
    for j in range(late.shape[0]):
        t = late[j]
        while i < ne and early[i] < t:
            i += 1
        if i > 0:
            total += np.exp(-(t - early[i - 1]) / tau)
    return total


@njit(**NJIT_FLAGS)
def stdp_pairs(pre, off_pre, post, off_post, a_plus, a_minus, tau_plus, tau_minus, nearest):
    """Weight change of each pair of trains ``(pre_i, post_i)``, float64 ``(n_pairs,)``.

    ``a_plus * sum exp(-(t_post - t_pre) / tau_plus)`` over pre-before-post
    pairs minus ``a_minus * sum exp(-(t_pre - t_post) / tau_minus)`` over
    post-before-pre pairs; with ``nearest`` each post spike pairs only with
    the latest pre spike before it (potentiation) and each pre spike only
    with the latest post spike before it (depression).
    """
    n = off_pre.shape[0] - 1
    out = np.zeros(n)
    for i in range(n):
        a = pre[off_pre[i]:off_pre[i + 1]]
        b = post[off_post[i]:off_post[i + 1]]
        if nearest:
            out[i] = a_plus * _nearest_sum(a, b, tau_plus) - a_minus * _nearest_sum(b, a, tau_minus)
        else:
            out[i] = a_plus * _all_pairs_sum(a, b, tau_plus) - a_minus * _all_pairs_sum(b, a, tau_minus)
    return out
