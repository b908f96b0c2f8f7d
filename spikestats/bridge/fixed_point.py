"""s16.15 fixed point as sPyNNaker's host writes it, and the ring-buffer weight scaling of its synapses.

Host side (what sPyNNaker 7.4.1 computes in Python before loading a board):

* :func:`to_s1615` -- ``DataType.S1615.encode_as_int``: values must lie in
  ``[-65536, 65535.999969482421875]`` (sPyNNaker raises ``ValueError``
  outside; here a :class:`~spikestats.exceptions.ValidationError` naming the
  parameter and the neuron), then ``round(Decimal(str(value)) * 2**15)``
  with Python's round-half-even on the decimal value.
* :func:`ring_buffer_shift` -- ``PopulationVertex.get_ring_buffer_shifts``:
  the smallest ``p >= 0`` with ``max_weight < 2**p`` (0 when nothing
  arrives), where ``max_weight`` (nA) bounds the summed input of one synapse
  type in one time step (see :func:`max_input_per_step`).
* :func:`weight_scale` -- ``2**(15 - shift)``: weights are stored as
  unsigned 16-bit ``rint(|w| * scale)`` (numpy's rint, half to even); the
  board shifts the 16-bit ring-buffer sum left by ``shift`` to get an s16.15
  current in nA. sPyNNaker masks with ``& 0xFFFF``; a weight that would not
  fit raises here instead (with the shift chosen as above it always fits).

Board side, the integer primitives live in
:mod:`spikestats._kernels.bridge_spinnaker`; this module re-exports the
scalar ones (``expk``, ``expulr``, ``kdivk``, ``kdivui``,
``mul_round_nearest``, ``decay_s1615``) for host computations and tests.
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

import numpy as np

from spikestats._validation import as_float_array, fail

S1615_SCALE = 32768
"""2**15: one unit of an s16.15 value."""
S1615_MIN = -65536.0
"""Smallest s16.15 value (sPyNNaker's ``DataType.S1615.min``)."""
S1615_MAX = 65535.999969482421875
"""Largest s16.15 value (sPyNNaker's ``DataType.S1615.max``)."""
U032_SCALE = 4294967296
"""2**32: one unit of a u0.32 fraction."""
WEIGHT_MAX = 0xFFFF
"""Largest 16-bit synaptic weight."""


def pynn_values(values: Any, factor: float) -> np.ndarray:
    """``values * factor`` rounded to 15 significant digits (SI to PyNN units without float dust).

    ``-65.2e-3 V * 1e3`` is ``-65.20000000000002`` in binary floating point;
    written in a PyNN script it would be ``-65.2``. Rounding to 15
    significant digits gives back the decimal the user meant, so the s16.15
    words here equal those sPyNNaker writes for the script's literals.
    Vectorised: ``round(y * 10**k) / 10**k`` with ``10**k`` exact (``k <= 22``)
    for ``1e-7 <= |y| < 1e15``; other values go through ``format(y, ".15g")``.
    (The product ``y * 10**k`` is itself rounded, so for about 4 % of random
    values the 15th digit differs by one from decimal formatting; decimal
    inputs such as ``-65.2e-3`` are unaffected.) The script writer and the
    host encoding both use this function, so the literals in a script and
    the words of the reference always agree.
    """
    y = np.asarray(values, dtype=float) * factor
    out = y.copy()
    a = np.abs(y)
    fast = (a >= 1e-7) & (a < 1e15)
    if np.any(fast):
        k = 14.0 - np.floor(np.log10(a[fast]))
        scale = 10.0 ** k
        out[fast] = np.round(y[fast] * scale) / scale
    slow = ~fast & (y != 0.0) & np.isfinite(y)
    if np.any(slow):
        out[slow] = [float(f"{v:.15g}") for v in y[slow]]
    return out


def pynn_value(value: float, factor: float) -> float:
    """Scalar :func:`pynn_values`."""
    return float(pynn_values(np.array([float(value)]), factor)[0])


def to_s1615(name: str, values: Any, *, unit: str = "", labels: Any = None) -> np.ndarray:
    """s16.15 bit patterns (int64, signed) of ``values``, encoded as sPyNNaker's host does.

    Parameters
    ----------
    name : str
        Parameter name for error messages.
    values : array_like of float
        Values in the board's units (mV, ms, nF, nA).
    unit : str
        Unit shown in error messages.
    labels : sequence of str, optional
        What each value belongs to (e.g. ``"neuron 3"``), for error messages.

    Raises
    ------
    ValidationError
        A value outside ``[-65536, 65535.99997]``: the board cannot hold it
        (sPyNNaker refuses it too); nothing is wrapped or clipped.
    """
    arr = as_float_array(name, values)
    flat = arr.ravel()
    bad = (flat < S1615_MIN) | (flat > S1615_MAX)
    if np.any(bad):
        i = int(np.flatnonzero(bad)[0])
        where = f" for {labels[i]}" if labels is not None else (f" at index {i}" if flat.size > 1 else "")
        fail(name, f"within the s16.15 range [{S1615_MIN:g}, {S1615_MAX:.5f}] {unit}".rstrip(), values,
             got=f"{float(flat[i])!r} {unit}{where}".replace("  ", " "),
             fix="SpiNNaker stores it as a 32-bit fixed-point number with 15 fractional bits; rescale the "
                 "model (e.g. larger capacitance, smaller weights) so every value fits.")
    out = np.array([int(round(Decimal(repr(float(v))) * S1615_SCALE)) for v in flat], dtype=np.int64)
    return out.reshape(arr.shape)


def from_s1615(bits: Any) -> np.ndarray:
    """Values of s16.15 bit patterns (signed int or uint32 words) as float64."""
    b = np.asarray(bits, dtype=np.int64)
    b = np.where(b >= 2**31, b - 2**32, b)
    return b / float(S1615_SCALE)


def as_words(bits: Any) -> np.ndarray:
    """Signed 32-bit patterns as the unsigned 32-bit words written to SDRAM (int64 array)."""
    return np.asarray(bits, dtype=np.int64) & 0xFFFFFFFF


def ring_buffer_shift(max_weight: float) -> int:
    """sPyNNaker's left shift for a synapse type whose summed input per step is at most ``max_weight`` (nA).

    ``0`` for ``max_weight <= 0``; else ``p = ceil(max(0, log2(max_weight)))``,
    plus one when ``2**p <= max_weight`` (the 16-bit range is ``[0, 2**p)``).
    """
    w = float(max_weight)
    if w <= 0.0:
        return 0
    p = int(math.ceil(max(0.0, math.log2(w))))
    return p + 1 if 2.0**p <= w else p


def weight_scale(shift: int) -> float:
    """Factor from nA to the 16-bit weight for a ring-buffer ``shift``: ``2**(15 - shift)``."""
    return float(2.0 ** (16 - (int(shift) + 1)))


def max_input_per_step(blocks: list[np.ndarray], spikes_per_tick: list[float]) -> float:
    """sPyNNaker's bound on one synapse type's input per step (nA), from its incoming projections.

    Each block is the ``(n_post, n_pre)`` matrix of weight magnitudes of one
    projection onto the population (zeros where there is no synapse). With
    every delay of a projection equal (as here), sPyNNaker's ``_Stats`` takes
    ``max(sum_p spikes_per_tick_p * w_max_p * n_max_p, max_p w_max_p)``,
    where ``w_max_p`` is the largest weight and ``n_max_p`` the largest
    number of synapses onto one neuron.
    """
    total = 0.0
    biggest = 0.0
    for block, ticks in zip(blocks, spikes_per_tick):
        nonzero = block != 0
        if not nonzero.any():
            continue
        w_max = float(np.max(block))
        n_max = int(nonzero.sum(axis=1).max())
        total += ticks * (w_max * n_max)
        biggest = max(biggest, w_max)
    return max(total, biggest)


def quantise_weights(name: str, weights_na: Any, scale: float) -> np.ndarray:
    """16-bit weights ``rint(|w| * scale)`` (int64); a value above 0xFFFF raises instead of wrapping."""
    w = np.rint(np.abs(np.asarray(weights_na, dtype=float)) * scale)
    if w.size and w.max() > WEIGHT_MAX:
        fail(name, "weights that fit 16 bits after ring-buffer scaling", weights_na,
             got=f"a weight of {w.max():.0f} units (> {WEIGHT_MAX}) at scale {scale:g}")
    return w.astype(np.int64)


def __getattr__(name: str) -> Any:
    """The board's scalar primitives from the kernel module, loaded on first use (Numba)."""
    if name in ("expk", "expulr", "kdivk", "kdivui", "mul_round_nearest", "decay_s1615", "decay_s1615_to_u032",
                "escape_probability_u032"):
        from spikestats._kernels import bridge_spinnaker

        return getattr(bridge_spinnaker, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
