"""Package-wide numerical settings: dtypes, Numba flag sets and constants.

Everything here is a plain constant so that any layer may import it cheaply.
"""

from __future__ import annotations

import numpy as np

#: dtype of spike times (seconds).
TIME_DTYPE = np.dtype(np.float64)
#: dtype of offsets, indices and counts.
INDEX_DTYPE = np.dtype(np.int64)

#: Flags for ``numba.njit`` on every kernel. ``fastmath`` stays off by default:
#: reproducibility with the JIT on or off matters more than the last 10 %.
NJIT_FLAGS: dict = {"cache": True, "nogil": True}
#: Flags for kernels whose loops may be reassociated (sums of many terms).
NJIT_FAST_FLAGS: dict = {"cache": True, "nogil": True, "fastmath": {"nsz", "arcp", "contract", "afn", "reassoc"}}
#: Flags for kernels that use ``prange``; such kernels end in ``_parallel``.
NJIT_PARALLEL_FLAGS: dict = {"cache": True, "nogil": True, "parallel": True}

#: Tolerance, in bins, for spikes that sit on a bin edge up to rounding: with
#: ``x = (t - t_start) / bin_size`` the bin is ``floor(x + BIN_ATOL + 8 * EPS * |x|)``.
#: The same rule counts whole bins in a window, so ``1.0 / 0.001`` gives 1000 bins.
BIN_ATOL = 1e-9
#: Machine epsilon of float64.
EPS = float(np.finfo(np.float64).eps)


def n_whole_bins(duration, width):
    """Number of whole bins of ``width`` in ``duration`` (array or scalar), with the edge tolerance."""
    x = np.asarray(duration, dtype=np.float64) / width
    return np.floor(x + BIN_ATOL + 8.0 * EPS * np.abs(x)).astype(np.int64)

#: Spikes (or items) above which ``parallel=None`` ("auto") runs the threaded twin of a kernel: below it, thread
#: start-up and scheduling cost more than the second core gives back. Results are identical either way.
PARALLEL_MIN_ITEMS = 500_000


def threads_pay_off(n_items: float, min_items: float = PARALLEL_MIN_ITEMS) -> bool:
    """Whether ``parallel=None`` ("auto") should run a threaded kernel on ``n_items`` spikes.

    Threads pay off for large inputs when cores are free: at least
    ``min_items`` items (default :data:`PARALLEL_MIN_ITEMS`) and a one-minute load average below
    ``cpu_count - 0.5`` (where the platform reports one). On a busy machine
    the threads wait on each other and the threaded kernel ran five times
    slower than the serial one (measured on 2 cores at a load of 8).
    """
    if n_items < min_items:
        return False
    import os

    cpus = os.cpu_count() or 1
    if cpus < 2:
        return False
    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):  # not reported (Windows): trust the size alone
        return True
    return load < cpus - 0.5
