"""Hypothesis properties of the ISI-variability and dispersion statistics: invariance under shifts and scaling."""

from __future__ import annotations

import warnings

import numpy as np
from hypothesis import given
from hypothesis import strategies as hs

import spikestats as ss
from spikestats.stats.dispersion import fano_factor
from spikestats.stats.intervals import cv, cv2, lv, lvr
from spikestats.testing.strategies import spike_trains

RTOL = 1e-6  # shifted and scaled times round differently; intervals keep ~1e-9 of their size


def _transformed(st: ss.SpikeTrains, shift: float = 0.0, scale: float = 1.0) -> ss.SpikeTrains:
    return ss.SpikeTrains(st.times * scale + shift, st.offsets, st.t_start * scale + shift, st.t_stop * scale + shift,
                          unit=st.unit, trial=st.trial)


def _separated(st: ss.SpikeTrains, edges: np.ndarray | None = None) -> ss.SpikeTrains:
    """``st`` without spikes closer than 1e-6 of the time scale to the previous kept spike (or to ``edges``),
    so that rounding a shifted or scaled time changes no interval by more than ~RTOL of itself."""
    span = float(np.max(np.abs(np.r_[st.t_start, st.t_stop]))) + float(np.max(st.duration))
    kept = []
    for t in st:
        out = []
        for x in t:
            near_edge = edges is not None and np.min(np.abs(edges - x)) <= 1e-6 * span
            if not near_edge and (not out or x - out[-1] > 1e-6 * span):
                out.append(x)
        kept.append(np.array(out, dtype=float))
    return ss.SpikeTrains.from_list(kept, st.t_start, st.t_stop, unit=st.unit, trial=st.trial)


def _quiet(f, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return f(*args, **kwargs)


def _close(a, b):
    np.testing.assert_allclose(a, b, rtol=RTOL, atol=1e-9, equal_nan=True)


@given(spike_trains(min_trains=1, max_spikes=30), hs.floats(-500.0, 500.0))
def test_shift_leaves_isi_statistics_unchanged(st, shift):
    st = _separated(st)
    moved = _transformed(st, shift=shift)
    for f in (cv, cv2, lv, lvr):
        _close(_quiet(f, moved), _quiet(f, st))


@given(spike_trains(min_trains=2, max_spikes=30, common_window=True), hs.integers(-500, 500))
def test_shift_leaves_fano_factors_unchanged(st, shift):
    window = float(st.duration[0]) / 7.3
    # a spike within rounding of a window edge may change window when shifted: keep those out
    st = _separated(st, edges=st.t_start[0] + window * np.arange(8))
    moved = _transformed(st, shift=float(shift))
    _close(_quiet(fano_factor, moved), _quiet(fano_factor, st))
    _close(_quiet(fano_factor, moved, window), _quiet(fano_factor, st, window))


@given(spike_trains(min_trains=1, max_spikes=30), hs.floats(1e-3, 1e3))
def test_scaling_time_leaves_cv_and_lv_unchanged(st, scale):
    st = _separated(st)
    stretched = _transformed(st, scale=scale)
    for f in (cv, cv2, lv):
        _close(_quiet(f, stretched), _quiet(f, st))
    # LvR is scale-free only when R scales with time
    _close(_quiet(lvr, stretched, r=0.004 * scale), _quiet(lvr, st, r=0.004))


@given(spike_trains(min_trains=1, max_spikes=30))
def test_pooled_equals_weighted_per_train(st):
    for f in (cv2, lv):
        per = _quiet(f, st)
        pairs = np.maximum(st.counts - 2, 0)
        pooled = _quiet(f, st, pooled=True)
        if pairs.sum() == 0:
            assert np.isnan(pooled)
        else:
            ok = pairs > 0
            np.testing.assert_allclose(pooled, np.sum(per[ok] * pairs[ok]) / pairs.sum(), rtol=1e-12)
