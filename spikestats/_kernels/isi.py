"""Inter-spike-interval moments per train."""

from __future__ import annotations

import numpy as np
from numba import njit

from spikestats._config import NJIT_FLAGS


@njit(**NJIT_FLAGS)
def isi_moments(times, offsets):
    """Per train: number of ISIs, their mean and their sum of squared deviations.

    Two passes per train (mean, then deviations) for accuracy. Trains with no
    ISI get ``n = 0`` and NaN mean.
    """
    n_trains = offsets.shape[0] - 1
    n = np.zeros(n_trains, dtype=np.int64)
    mean = np.full(n_trains, np.nan)
    m2 = np.zeros(n_trains, dtype=np.float64)
    for i in range(n_trains):
        a = offsets[i]
        b = offsets[i + 1]
        if b - a < 2:
            continue
        k = b - a - 1
        mu = (times[b - 1] - times[a]) / k
        s = 0.0
        for j in range(a + 1, b):
            d = times[j] - times[j - 1] - mu
            s += d * d
        n[i] = k
        mean[i] = mu
        m2[i] = s
    return n, mean, m2
