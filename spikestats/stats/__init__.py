"""Descriptive statistics of spike trains.

Rates (``firing_rate``, ``psth``, ``kernel_rate`` with fixed, optimal and
adaptive bandwidths), ISI variability (``isi``, ``cv``, ``cv2``, ``lv``,
``lvr``), dispersion (``fano_factor``, ``time_resolved_fano``,
``mean_matched_fano``), pairs (``cross_correlogram``, ``spike_time_tiling``,
``count_correlation``) and plasticity (``stdp_weight_change``).

Every function takes a :class:`~spikestats.SpikeTrains` (or a 1-d array of
spike times for one train, or a list of them, where that makes sense) and
returns numpy arrays or small result dataclasses.
"""

from spikestats.stats._bandwidth import optimal_bandwidth
from spikestats.stats._results import Estimate
from spikestats.stats.correlation import (
    CountCorrelation,
    CrossCorrelogram,
    count_correlation,
    cross_correlogram,
    spike_time_tiling,
)
from spikestats.stats.dispersion import MeanMatchedFano, TimeResolvedFano, fano_factor, mean_matched_fano, time_resolved_fano
from spikestats.stats.intervals import Ragged, cv, cv2, isi, lv, lvr
from spikestats.stats.kernel_rate import KernelRate, kernel_rate
from spikestats.stats.plasticity import stdp_weight_change
from spikestats.stats.psth import PSTH, psth
from spikestats.stats.rates import firing_rate

__all__ = [
    "firing_rate", "psth", "PSTH", "kernel_rate", "KernelRate", "optimal_bandwidth",
    "isi", "Ragged", "cv", "cv2", "lv", "lvr", "Estimate",
    "fano_factor", "time_resolved_fano", "TimeResolvedFano", "mean_matched_fano", "MeanMatchedFano",
    "cross_correlogram", "CrossCorrelogram", "spike_time_tiling", "count_correlation", "CountCorrelation",
    "stdp_weight_change",
]
