"""Live comparisons with Elephant of CV2, LV, LvR, windowed Fano factors, cross-correlograms and STTC.

Identical inputs; values agree to 1e-12 relative (counts exactly). Where the
conventions differ (short trains, LvR units, STTC's ``isclose``), the test
states the difference and checks it.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

import spikestats as ss
from spikestats.exceptions import DataWarning
from spikestats.stats.correlation import cross_correlogram, spike_time_tiling
from spikestats.stats.dispersion import fano_factor
from spikestats.stats.intervals import cv2, lv, lvr

pytestmark = pytest.mark.peers

elephant = pytest.importorskip("elephant", reason="Elephant is not importable (pip install 'spikestats[bench]')")
pq = pytest.importorskip("quantities", reason="quantities (an Elephant dependency) is not importable")
neo = pytest.importorskip("neo", reason="neo (an Elephant dependency) is not importable")
from elephant import statistics as es  # noqa: E402
from elephant.conversion import BinnedSpikeTrain  # noqa: E402
from elephant.spike_train_correlation import cross_correlation_histogram, spike_time_tiling_coefficient  # noqa: E402

RTOL = 1e-12
T = 10.0


@pytest.fixture(scope="module")
def trains() -> tuple[ss.SpikeTrains, list[np.ndarray]]:
    """100 gamma(3) renewal trains at ~20 Hz on [0, 10] s (plus a few very short ones), and their arrays."""
    rng = np.random.default_rng(4)
    arrays = []
    for _ in range(100):
        t = np.cumsum(rng.gamma(3.0, 1 / 60.0, 400))
        arrays.append(t[t <= T])
    arrays += [np.sort(rng.uniform(0, T, k)) for k in (3, 4)]
    return ss.SpikeTrains.from_list(arrays, 0.0, T), arrays


@pytest.mark.parametrize("ours,theirs", [(cv2, es.cv2), (lv, es.lv)])
def test_cv2_lv_match(trains, ours, theirs):
    st, arrays = trains
    np.testing.assert_allclose(ours(st), [theirs(es.isi(a)) for a in arrays], rtol=RTOL, atol=0)
    assert ours(arrays[5]) == pytest.approx(theirs(np.diff(arrays[5])), rel=RTOL, abs=0)


def test_lvr_matches_with_units(trains):
    st, arrays = trains
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # with quantities Elephant does not warn
        expected = [es.lvr(es.isi(a) * pq.s, R=5 * pq.ms) for a in arrays]
    np.testing.assert_allclose(lvr(st), expected, rtol=RTOL, atol=0)
    np.testing.assert_allclose(lvr(st, r=0.012), [es.lvr(es.isi(a) * pq.s, R=12 * pq.ms) for a in arrays],
                               rtol=RTOL, atol=0)


def test_lvr_unitless_convention_differs():
    # Elephant reads unitless intervals AND a unitless R as milliseconds (with a warning). Passing R=5
    # ("5 ms" in its docs) beside intervals in seconds therefore means R = 5 s. spikestats takes
    # everything in seconds: lvr(t, r=0.005) equals Elephant only with both in the same unit.
    t = np.cumsum(np.random.default_rng(0).gamma(2.0, 0.02, 200))
    with pytest.warns(UserWarning, match="assuming milliseconds"):
        same_unit = es.lvr(np.diff(t), R=0.005)
    assert lvr(t, r=0.005) == pytest.approx(same_unit, rel=RTOL)
    with pytest.warns(UserWarning):
        trap = es.lvr(np.diff(t), R=5)
    assert abs(trap - lvr(t, r=0.005)) > 1.0


def test_short_trains_convention():
    # Elephant raises for fewer than two intervals (or returns NaN with with_nan=True);
    # spikestats returns NaN with a DataWarning.
    two = np.array([0.1, 0.3])
    with pytest.raises(ValueError):
        es.lv(es.isi(two))
    with pytest.warns(UserWarning):
        assert math.isnan(es.cv2(es.isi(two), with_nan=True))
    with pytest.warns(DataWarning):
        assert math.isnan(lv(two))


def _elephant_windowed_fano(a: np.ndarray, window: float, t_stop: float) -> float:
    """What an Elephant user does for a Fano factor within one train: cut it into windows, call fanofactor."""
    n = int(round(t_stop / window))
    edges = np.arange(n + 1) * window
    pieces = np.split(a, np.searchsorted(a, edges[1:-1], side="left"))
    return es.fanofactor(pieces)


def test_windowed_fano_matches(trains):
    st, arrays = trains
    ours = fano_factor(st[:100], 0.5)
    np.testing.assert_allclose(ours, [_elephant_windowed_fano(a, 0.5, T) for a in arrays[:100]], rtol=RTOL, atol=0)
    # BinnedSpikeTrain counts give the same numbers
    counts = BinnedSpikeTrain([neo.SpikeTrain(a, t_stop=T, units="s") for a in arrays[:100]],
                              bin_size=0.5 * pq.s).to_array()
    np.testing.assert_allclose(ours, counts.var(axis=1) / counts.mean(axis=1), rtol=RTOL, atol=0)


@pytest.mark.parametrize("bin_ms,max_bins", [(1.0, 20), (5.0, 10), (2.0, 1)])
def test_cross_correlogram_matches(trains, bin_ms, max_bins):
    # Elephant's CCH of the two binned trains (binary=False, no border correction, method="memory")
    # counts pairs by bin difference, lag = bin(b) - bin(a), as spikestats does.
    _, arrays = trains
    a, b = arrays[0], arrays[1]
    bin_size = bin_ms * 1e-3
    ours = cross_correlogram(ss.SpikeTrains.from_list([a], 0.0, T), ss.SpikeTrains.from_list([b], 0.0, T),
                             bin_size, max_bins * bin_size)
    binned = [BinnedSpikeTrain(neo.SpikeTrain(x, t_stop=T, units="s"), bin_size=bin_ms * pq.ms) for x in (a, b)]
    cch, lags = cross_correlation_histogram(binned[0], binned[1], window=[-max_bins, max_bins], method="memory")
    np.testing.assert_array_equal(ours.counts, np.asarray(cch).ravel().astype(int))
    np.testing.assert_allclose(ours.lags, lags * bin_size, rtol=0, atol=1e-15)


def _unambiguous(a: np.ndarray, b: np.ndarray, dt: float) -> np.ndarray:
    """``b`` without spikes whose distance to a spike of ``a`` lies in (dt, dt + 1e-4]: numpy.isclose's
    rtol=1e-5 (|t| <= 10 s) would count those pairs in Elephant but not in the definition."""
    d = np.abs(b[:, None] - a[None, :])
    bad = np.any((d > dt) & (d <= dt + 1e-4), axis=1)
    return b[~bad]


@pytest.mark.parametrize("dt", [0.001, 0.005, 0.02])
def test_sttc_matches(trains, dt):
    _, arrays = trains
    for i in range(0, 20, 2):
        a = arrays[i]
        b = _unambiguous(a, arrays[i + 1], dt)
        expected = spike_time_tiling_coefficient(neo.SpikeTrain(a, t_stop=T, units="s"),
                                                 neo.SpikeTrain(b, t_stop=T, units="s"), dt=dt * pq.s)
        got = spike_time_tiling(ss.SpikeTrains.from_list([a], 0.0, T), ss.SpikeTrains.from_list([b], 0.0, T), dt)
        assert got[0] == pytest.approx(expected, rel=RTOL, abs=1e-14)


def test_sttc_isclose_convention():
    # A pair 1e-5 s beyond dt at t = 10 s: Elephant (numpy.isclose, rtol=1e-5) counts it, the definition does not.
    a, b = np.array([9.0]), np.array([9.0 + 0.005 + 5e-5])
    peer = spike_time_tiling_coefficient(neo.SpikeTrain(a, t_stop=T, units="s"),
                                         neo.SpikeTrain(b, t_stop=T, units="s"), dt=0.005 * pq.s)
    ours = spike_time_tiling(ss.SpikeTrains.from_list([a], 0.0, T), ss.SpikeTrains.from_list([b], 0.0, T), 0.005)[0]
    assert peer > 0.5 and ours < 0
