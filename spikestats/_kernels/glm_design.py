"""Design-matrix columns of GLMs built from spike times: counts, spike history, coupling, lagged stimulus.

Rows are bins, grouped in blocks (one block per trial, ``block_n[q]`` bins of
width ``width`` from ``block_t0[q]``, starting at row ``block_row0[q]``).
``block_train[q]`` is the train feeding block ``q`` (``-1``: none). A spike in
bin ``s`` of its block adds row ``k - 1`` of the sampled basis ``(L, n_basis)``
to row ``s + k`` of the same block for ``k = 1 .. L``: strictly causal (the
bin's own spike is not in its history) and never across blocks. The cost is
``O(spikes * L * n_basis)``, against ``O(bins * L * n_basis)`` for a dense
convolution of the binned train.
"""

from __future__ import annotations

from numba import njit, prange

from spikestats._config import NJIT_FLAGS, NJIT_PARALLEL_FLAGS
from spikestats._kernels.binning import bin_index


@njit(**NJIT_FLAGS)
def _history_block(times, a, b, t0, width, n, row0, basis, X, col0):
    """Add the history of spikes ``times[a:b]`` to the ``n`` rows of one block from ``row0``."""
    n_lags, n_basis = basis.shape
    for j in range(a, b):
        s = bin_index(times[j], t0, width, n)
        if s < 0:
            continue
        last = min(n_lags, n - 1 - s)
        for k in range(1, last + 1):
            row = row0 + s + k
            for c in range(n_basis):
                X[row, col0 + c] += basis[k - 1, c]


@njit(**NJIT_FLAGS)
def add_history(times, offsets, block_train, block_t0, block_n, block_row0, width, basis, X, col0):
    """Spike-history (or coupling) columns ``col0 .. col0 + n_basis`` of ``X`` from the blocks' trains."""
    for q in range(block_train.shape[0]):
        tr = block_train[q]
        if tr >= 0:
            _history_block(times, offsets[tr], offsets[tr + 1], block_t0[q], width, block_n[q], block_row0[q],
                           basis, X, col0)


@njit(**NJIT_PARALLEL_FLAGS)
def add_history_parallel(times, offsets, block_train, block_t0, block_n, block_row0, width, basis, X, col0):
    """Parallel twin of :func:`add_history` (threads over blocks, which own disjoint rows)."""
    for q in prange(block_train.shape[0]):
        tr = block_train[q]
        if tr >= 0:
            _history_block(times, offsets[tr], offsets[tr + 1], block_t0[q], width, block_n[q], block_row0[q],
                           basis, X, col0)


@njit(**NJIT_FLAGS)
def block_counts(times, offsets, block_train, block_t0, block_n, block_row0, width, y):
    """Spike count of each row into ``y`` (int64), with the bin rule of :func:`bin_index`."""
    for q in range(block_train.shape[0]):
        tr = block_train[q]
        if tr < 0:
            continue
        for j in range(offsets[tr], offsets[tr + 1]):
            s = bin_index(times[j], block_t0[q], width, block_n[q])
            if s >= 0:
                y[block_row0[q] + s] += 1


@njit(**NJIT_FLAGS)
def add_lagged(signal, block_n, block_row0, basis, X, col0):
    """Lagged-stimulus columns: ``X[r, col0 + f * n_basis + c] += sum_k basis[k, c] * signal[r - k, f]``.

    ``k = 0 .. L - 1`` (lag 0 is the same bin), ``r - k`` within the row's block.
    ``signal`` is ``(n_rows, n_features)``.
    """
    n_lags, n_basis = basis.shape
    n_feat = signal.shape[1]
    for q in range(block_n.shape[0]):
        r0 = block_row0[q]
        for r in range(block_n[q]):
            last = min(n_lags, r + 1)
            for f in range(n_feat):
                base = col0 + f * n_basis
                for k in range(last):
                    v = signal[r0 + r - k, f]
                    if v == 0.0:
                        continue
                    for c in range(n_basis):
                        X[r0 + r, base + c] += basis[k, c] * v
