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

#: Relative tolerance used when deciding how many whole bins fit in a window,
#: so that e.g. ``1.0 / 0.001`` gives 1000 bins, not 999.
BIN_RTOL = 1e-9
