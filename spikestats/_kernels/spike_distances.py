"""Distances between paired spike trains: van Rossum in O(n + m) per pair (Houghton & Kreuz 2012 sweeps)
and one-to-one matching within a tolerance."""

from __future__ import annotations

import math

from numba import njit

from spikestats._config import NJIT_FLAGS


@njit(**NJIT_FLAGS)
def _self_sum(x, lo, hi, tau):
    """``sum_{i,j} exp(-|x_i - x_j| / tau)`` over sorted ``x[lo:hi]``.

    Equals ``n + 2 sum_i m_i`` with ``m_i = (m_{i-1} + 1) exp(-(x_i - x_{i-1}) / tau)``.
    """
    total = float(hi - lo)
    m = 0.0
    for i in range(lo + 1, hi):
        m = (m + 1.0) * math.exp(-(x[i] - x[i - 1]) / tau)
        total += 2.0 * m
    return total


@njit(**NJIT_FLAGS)
def _cross_sum(x, xlo, xhi, y, ylo, yhi, tau):
    """``sum_{i,j} exp(-|x_i - y_j| / tau)`` over sorted slices.

    Sums the causal and the anti-causal exponential traces of ``y`` at each ``x_i``.
    """
    total = 0.0
    trace = 0.0
    last = 0.0
    j = ylo
    for i in range(xlo, xhi):
        while j < yhi and y[j] <= x[i]:
            trace = trace * math.exp(-(y[j] - last) / tau) + 1.0 if j > ylo else 1.0
            last = y[j]
            j += 1
        if j > ylo:
            total += trace * math.exp(-(x[i] - last) / tau)
    trace = 0.0
    j = yhi - 1
    for i in range(xhi - 1, xlo - 1, -1):
        while j >= ylo and y[j] > x[i]:
            trace = trace * math.exp(-(last - y[j]) / tau) + 1.0 if j < yhi - 1 else 1.0
            last = y[j]
            j -= 1
        if j < yhi - 1:
            total += trace * math.exp(-(last - x[i]) / tau)
    return total


@njit(**NJIT_FLAGS)
def van_rossum_paired(x, x_off, y, y_off, tau, out):
    """Distance between train ``k`` of ``x`` and train ``k`` of ``y`` (flat sorted times + offsets) into ``out[k]``.

    ``D^2 = sum_xx + sum_yy - 2 sum_xy`` with the kernel ``exp(-|d| / tau)``
    (Elephant's normalisation; divide by sqrt(2) for van Rossum's 2001 one).
    """
    for k in range(out.shape[0]):
        d2 = (_self_sum(x, x_off[k], x_off[k + 1], tau) + _self_sum(y, y_off[k], y_off[k + 1], tau)
              - 2.0 * _cross_sum(x, x_off[k], x_off[k + 1], y, y_off[k], y_off[k + 1], tau))
        out[k] = math.sqrt(d2) if d2 > 0.0 else 0.0
    return out



@njit(**NJIT_FLAGS)
def matched_within(a, a_off, b, b_off, tol, out):
    """Number of one-to-one pairs ``|a_i - b_j| <= tol`` between train ``k`` of ``a`` and of ``b``, into ``out[k]``.

    Greedy earliest-first matching along the time axis, which is maximal for
    pairs within a fixed distance on a line.
    """
    for k in range(out.shape[0]):
        i, j = a_off[k], b_off[k]
        count = 0
        while i < a_off[k + 1] and j < b_off[k + 1]:
            if abs(a[i] - b[j]) <= tol:
                count += 1
                i += 1
                j += 1
            elif a[i] < b[j]:
                i += 1
            else:
                j += 1
        out[k] = count
    return out
