"""An integer-exact reference of Intel Lava's fixed-point CUBA LIF + Dense (lava-nc 0.10), and its quantiser.

What is simulated is what Lava's ``PyLifModelBitAcc`` and ``PyDenseModelBitAcc``
compute (read in lava-nc 0.10.0's ``lava/proc/lif/models.py``,
``lava/proc/dense/models.py`` and ``lava/utils/weightutils.py``), step ``k``:

- ``a_in``: the Dense output of the spikes of step ``k - 1`` (Dense delivers
  one step late): the sum of the integer weights of the spiking inputs, then
  shifted by ``weight_exp`` (left for > 0, arithmetic right otherwise);
- ``u <- sign(p) (|p| >> 12) + (a_in << 6)`` with ``p = u (4096 - (du + 1))``
  (12-bit ``du`` with the offset of 1: ``du = 4095`` forgets ``u`` in one
  step), then wrapped into 24 bits as Lava does (``> 2**23`` loses ``2**24``,
  ``<= -2**23`` gains it);
- ``v <- sign(q) (|q| >> 12) + u + (bias_mant << bias_exp)`` with ``q = v (4096
  - dv)`` (no offset), saturated to ``+-(2**23 - 1)``;
- spike if ``v > vth << 6`` (strict); a spiking neuron's ``v`` is set to 0,
  ``u`` is not reset; there is no refractory period.

Dense weights are 8-bit: a matrix of one sign is clipped to ``[0, 255]`` (or
``[-255, 0]``); a mixed-sign matrix to ``[-256, 255]`` and its lowest bit is
dropped (floor to even), see :func:`loihi_dense_weights`.

This is a reference model of the published simulator semantics: it has not
been checked against Loihi hardware here. Lava 0.10's own bit-accurate model
notes that it omits Loihi 1's refractory period and axonal delays.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from spikestats._validation import as_float_array, as_int_array, check_bool, check_scalar, fail
from spikestats.bridge._run import SimulationResult, check_record, input_steps, raster_spikes
from spikestats.bridge.discretise import discretise
from spikestats.bridge.network import Network, WeightShaped
from spikestats.exceptions import DataWarning, ValidationTypeError

DU_MAX = DV_MAX = 4095
VTH_MAX = (1 << 17) - 1
BIAS_MANT_MIN, BIAS_MANT_MAX = -(1 << 12), (1 << 12) - 1
BIAS_EXP_MAX = 7
WEIGHT_EXP_MIN, WEIGHT_EXP_MAX = -8, 7
LOSS_WARNING = 0.01
"""Relative quantisation error above which LoihiReference warns (and lists it in ``dropped``)."""


def loihi_dense_weights(weights: Any) -> np.ndarray:
    """Lava's Dense preprocessing of one weight block: clip to 8 bits by sign mode, drop the lowest bit if mixed.

    A block whose weights are all ``>= 0`` is clipped to ``[0, 255]``, all
    ``<= 0`` to ``[-255, 0]``; a mixed-sign block to ``[-256, 255]`` and then
    floored to even (``(w >> 1) << 1``). Values are first cast to integers
    (truncated toward zero, as ``astype(int32)``).

    Returns
    -------
    ndarray of int64, same shape
    """
    w = as_float_array("weights", weights)
    w = np.trunc(w).astype(np.int64)
    if w.size == 0:
        return w
    if w.min() >= 0:
        return np.clip(w, 0, 255)
    if w.max() <= 0:
        return -np.clip(-w, 0, 255)
    return (np.clip(w, -256, 255) >> 1) << 1


def _check_block(name: str, w: np.ndarray, split_signs: bool) -> None:
    """Reject integer weights Lava's Dense would change (out of 8 bits, or odd in a mixed-sign block)."""
    if w.size == 0:
        return
    if split_signs:
        _check_block(name, np.maximum(w, 0), False)
        _check_block(name, np.minimum(w, 0), False)
        return
    mixed = w.min() < 0 < w.max()
    lo, hi = (-256, 254) if mixed else ((0, 255) if w.min() >= 0 else (-255, 0))
    bad = (w < lo) | (w > hi) | ((w % 2 != 0) if mixed else False)
    if np.any(bad):
        i, j = np.argwhere(bad)[0]
        rule = "even integers in [-256, 254] (mixed signs)" if mixed else f"integers in [{lo}, {hi}]"
        fail(name, rule, w, got=f"{w[i, j]} at [{i}, {j}]",
             fix="Lava's Dense would clip/truncate it silently; apply loihi_dense_weights(W) first.")


@dataclass(frozen=True, eq=False)
class LoihiQuantisation:
    """How a float network was mapped onto Loihi's integers, and what was lost.

    Attributes
    ----------
    scale : ndarray, shape (n_neurons,)
        Volts per least significant bit of ``v`` (and ``u``) of each neuron.
    weight_exp, input_weight_exp : int
    tau_syn_error, tau_mem_error : float
        Largest relative error of the effective time constants
        ``dt / (1 - decay)`` implied by the 12-bit ``du``, ``dv``.
    weight_error : float
        Largest ``|w_q - w|`` over all synapses, relative to the largest ``|w|``.
    weights_zeroed : int
        Non-zero float weights that became 0.
    threshold_error : float
        Largest relative error of ``v_threshold - v_reset``.
    bias_error : float
        Largest error of the per-step drive (leak and bias), as a fraction of the threshold distance.
    dropped : tuple of str
        What Lava's LIF cannot express (e.g. a refractory period).
    """

    scale: np.ndarray
    weight_exp: int
    input_weight_exp: int
    tau_syn_error: float
    tau_mem_error: float
    weight_error: float
    weights_zeroed: int
    threshold_error: float
    bias_error: float
    dropped: tuple = ()

    def __repr__(self) -> str:
        return (f"LoihiQuantisation(tau_syn_error={self.tau_syn_error:.2e}, tau_mem_error={self.tau_mem_error:.2e}, "
                f"weight_error={self.weight_error:.2e}, weights_zeroed={self.weights_zeroed}, "
                f"threshold_error={self.threshold_error:.2e}, bias_error={self.bias_error:.2e}, "
                f"dropped={list(self.dropped)})")


def _round_even(x: np.ndarray) -> np.ndarray:
    return 2.0 * np.round(x / 2.0)


def loihi_integers(network: Network, dt: float = 1e-3, *, weight_exp: int = 0, input_weight_exp: int = 0,
             split_signs: bool = True) -> tuple[dict[str, np.ndarray], LoihiQuantisation]:
    """Map a float network onto Lava's integer LIF parameters and 8-bit Dense weights.

    The network is discretised with forward Euler (as Lava: ``du ~ 4096 dt /
    tau_syn``, ``dv ~ 4096 dt / tau_mem``); potentials are measured from
    ``v_reset`` (Lava resets to 0). Each neuron gets its own voltage scale
    (V per LSB), the finest at which its largest incoming weight fits 8 bits,
    its threshold 17 bits and its per-step drive the 13-bit mantissa with a
    3-bit exponent.

    Parameters
    ----------
    network : Network
    dt : float
        Time step (s), <= every time constant.
    weight_exp, input_weight_exp : int
        Dense ``weight_exp`` of the recurrent and input weights, in [-8, 7].
    split_signs : bool, default True
        Map a mixed-sign matrix onto two Dense processes (its excitatory and
        its inhibitory part), so weights keep all 8 bits; with False one
        mixed-sign Dense holds even values only.

    Returns
    -------
    params : dict
        ``du, dv, vth, bias_mant, bias_exp, weights, input_weights`` (int64
        arrays) for :meth:`LoihiReference.from_integers`.
    report : LoihiQuantisation
    """
    if not isinstance(network, Network):
        fail("network", "a spikestats.bridge.Network", network, kind=ValidationTypeError)
    e = check_scalar("weight_exp", weight_exp, integer=True, minimum=WEIGHT_EXP_MIN, maximum=WEIGHT_EXP_MAX)
    e_in = check_scalar("input_weight_exp", input_weight_exp, integer=True, minimum=WEIGHT_EXP_MIN,
                        maximum=WEIGHT_EXP_MAX)
    disc = discretise(network, dt, "euler")
    theta = network.v_threshold - network.v_reset
    drive = disc.mem_drive - (1.0 - disc.mem_decay) * network.v_reset
    jumps = disc.weight_gain[:, None] * network.weights
    jumps_in = disc.weight_gain[:, None] * network.input_weights
    split_signs = check_bool("split_signs", split_signs)
    cap = _cap(jumps, split_signs)
    cap_in = _cap(jumps_in, split_signs)
    with np.errstate(divide="ignore", invalid="ignore"):
        s_w = np.maximum(_row_max(jumps) / (cap * 2.0 ** (6 + e)), _row_max(jumps_in) / (cap_in * 2.0 ** (6 + e_in)))
    s_th = theta / (VTH_MAX * 64.0)
    s_b = np.abs(drive) / (BIAS_MANT_MAX * 2.0 ** BIAS_EXP_MAX)
    scale = np.maximum(np.maximum(s_w, s_th), s_b)
    w_units = jumps / (scale[:, None] * 2.0 ** (6 + e))
    w_in_units = jumps_in / (scale[:, None] * 2.0 ** (6 + e_in))
    w_q = np.round(w_units) if split_signs or not _mixed(jumps) else _round_even(w_units)
    w_in_q = np.round(w_in_units) if split_signs or not _mixed(jumps_in) else _round_even(w_in_units)
    vth = np.round(theta / (64.0 * scale)).astype(np.int64)
    b = drive / scale
    bias_exp = np.zeros(network.n_neurons, dtype=np.int64)
    for k in range(1, BIAS_EXP_MAX + 1):
        bias_exp = np.where(np.abs(np.round(b / 2.0 ** bias_exp)) > BIAS_MANT_MAX, k, bias_exp)
    bias_mant = np.clip(np.round(b / 2.0 ** bias_exp), BIAS_MANT_MIN, BIAS_MANT_MAX).astype(np.int64)
    du = np.clip(DU_MAX - np.round(4096.0 * disc.syn_decay), 0, DU_MAX).astype(np.int64)
    dv = np.clip(4096 - np.round(4096.0 * disc.mem_decay), 0, DV_MAX).astype(np.int64)
    dropped = []
    if np.any(network.t_ref > 0):
        dropped.append(f"refractory period (up to {network.t_ref.max():g} s): Lava's LIF has none")
    if np.any(np.round(4096.0 * disc.mem_decay) < 1):
        dropped.append("membrane decay to 0 in one step (dv is at most 4095: v keeps 1/4096)")
    syn_q = (4096.0 - (du + 1)) / 4096.0
    mem_q = (4096.0 - dv) / 4096.0
    cuba = network.kind == "cuba_lif"
    tau_syn_err = float(np.max(np.abs(dt / (1.0 - syn_q) / network.tau_syn - 1.0))) if cuba else 0.0
    with np.errstate(divide="ignore"):
        tau_mem_err = float(np.max(np.abs(dt / (1.0 - mem_q) / network.tau_mem - 1.0)))
    all_j = np.concatenate([jumps.ravel(), jumps_in.ravel()])
    all_q = np.concatenate([(w_q * scale[:, None] * 2.0 ** (6 + e)).ravel(),
                            (w_in_q * scale[:, None] * 2.0 ** (6 + e_in)).ravel()])
    top = float(np.max(np.abs(all_j))) if all_j.size else 0.0
    report = LoihiQuantisation(
        scale=scale, weight_exp=e, input_weight_exp=e_in, tau_syn_error=tau_syn_err, tau_mem_error=tau_mem_err,
        weight_error=float(np.max(np.abs(all_q - all_j)) / top) if top > 0 else 0.0,
        weights_zeroed=int(np.count_nonzero((all_j != 0) & (all_q == 0))),
        threshold_error=float(np.max(np.abs(vth * 64.0 * scale - theta) / theta)),
        bias_error=float(np.max(np.abs(bias_mant * 2.0 ** bias_exp * scale - drive) / theta)),
        dropped=tuple(dropped))
    params = dict(du=du, dv=dv, vth=vth, bias_mant=bias_mant, bias_exp=bias_exp, weights=w_q.astype(np.int64),
                  input_weights=w_in_q.astype(np.int64))
    return params, report


def _row_max(m: np.ndarray) -> np.ndarray:
    return np.max(np.abs(m), axis=1) if m.shape[1] else np.zeros(m.shape[0])


def _mixed(m: np.ndarray) -> bool:
    return bool(m.size and m.min() < 0 < m.max())


def _cap(m: np.ndarray, split_signs: bool) -> float:
    """Largest usable integer magnitude: 254 for one mixed-sign block (even values), else 255."""
    return 254.0 if _mixed(m) and not split_signs else 255.0


class LoihiReference(WeightShaped):
    """Integer-exact simulator of Lava 0.10's fixed-point CUBA LIF neurons joined by Dense synapses.

    Parameters
    ----------
    graph : nir.NIRGraph, path or Network
        The network (read with :func:`spikestats.bridge.from_nir` unless a
        :class:`Network`); quantised with :func:`quantise`.
    dt : float, default 1 ms
        Time step (s).
    weight_exp, input_weight_exp : int
        Dense weight exponents used by the quantiser.
    split_signs : bool, default True
        Give the excitatory and the inhibitory part of a mixed-sign matrix
        their own Dense process (8-bit weights) instead of one mixed Dense
        (even 8-bit weights).

    Attributes
    ----------
    du, dv, vth, bias_mant, bias_exp : ndarray of int64, shape (n_neurons,)
    weights, input_weights : ndarray of int64
        ``W[post, pre]`` and ``W_in[post, channel]``.
    weight_exp, input_weight_exp : ndarray of int64, same shapes as the weights
    split_signs : bool
    quantisation : LoihiQuantisation or None
        What the quantiser lost (None for :meth:`from_integers`).
    network : Network or None

    Notes
    -----
    See the module docstring for the exact arithmetic. Synapses onto one
    neuron that share a ``weight_exp`` (and, with ``split_signs``, a sign)
    are summed before the shift, as one Dense process does; recurrent and
    input synapses are separate Dense processes.
    """

    def __init__(self, graph: Any, dt: float = 1e-3, *, weight_exp: int = 0, input_weight_exp: int = 0,
                 split_signs: bool = True) -> None:
        network = graph if isinstance(graph, Network) else _read(graph)
        params, report = loihi_integers(network, dt, weight_exp=weight_exp, input_weight_exp=input_weight_exp,
                                  split_signs=split_signs)
        self._setup(dt=dt, weight_exp=weight_exp, input_weight_exp=input_weight_exp, split_signs=split_signs,
                    **params)
        self.quantisation = report
        self.network = network
        coarse = [f"{name} {value:.1%}" for name, value in (
            ("weights", report.weight_error), ("threshold", report.threshold_error), ("drive", report.bias_error),
            ("tau_syn", report.tau_syn_error), ("tau_mem", report.tau_mem_error)) if value > LOSS_WARNING]
        if coarse:
            report = replace(report, dropped=report.dropped + ("precision: largest relative errors "
                                                               + ", ".join(coarse),))
            self.quantisation = report
        if report.dropped:
            warnings.warn("LoihiReference: " + "; ".join(report.dropped) + ".", DataWarning, stacklevel=2)

    @classmethod
    def from_integers(cls, *, du: Any, dv: Any, vth: Any, bias_mant: Any, bias_exp: Any = 0, weights: Any,
                      weight_exp: Any = 0, input_weights: Any = None, input_weight_exp: Any = 0,
                      dt: float = 1e-3, split_signs: bool = False) -> LoihiReference:
        """A reference from Lava's own integer parameters (one value or one per neuron).

        Parameters
        ----------
        du, dv : int or array_like
            12-bit decays, in [0, 4095].
        vth : int or array_like
            17-bit threshold, in [0, 131071] (compared as ``vth << 6``).
        bias_mant, bias_exp : int or array_like
            Bias mantissa in [-4096, 4095] and exponent in [0, 7].
        weights : array_like, shape (n_neurons, n_neurons)
            Integer ``W[post, pre]`` as Lava's Dense holds them after its
            preprocessing (see :func:`loihi_dense_weights`); anything Dense
            would clip or truncate is an error.
        weight_exp : int or array_like of weights' shape
            Dense weight exponent (per synapse if an array), in [-8, 7].
        input_weights : array_like, shape (n_neurons, n_inputs), optional
        input_weight_exp : int or array_like
        dt : float
            Time step (s) used to place spikes in time.
        split_signs : bool, default False
            Whether each weight matrix stands for two Dense processes (its
            positive and its negative part; any integer in [-255, 255]) rather
            than one (a mixed-sign matrix then holds even values in [-256, 254]).
        """
        self = cls.__new__(cls)
        self._setup(dt=dt, du=du, dv=dv, vth=vth, bias_mant=bias_mant, bias_exp=bias_exp, weights=weights,
                    weight_exp=weight_exp, input_weights=input_weights, input_weight_exp=input_weight_exp,
                    split_signs=split_signs)
        self.quantisation = None
        self.network = None
        return self

    def _setup(self, *, dt: Any, du: Any, dv: Any, vth: Any, bias_mant: Any, bias_exp: Any, weights: Any,
               weight_exp: Any, input_weights: Any, input_weight_exp: Any, split_signs: Any) -> None:
        self.dt = check_scalar("dt", dt, positive=True)
        self.split_signs = check_bool("split_signs", split_signs)
        w = as_int_array("weights", weights, ndim=2)
        n = w.shape[0]
        if w.shape != (n, n) or n == 0:
            fail("weights", "a square (n_neurons, n_neurons) integer matrix W[post, pre]", w,
                 got=f"shape {w.shape}")
        w_in = np.zeros((n, 0), np.int64) if input_weights is None else as_int_array("input_weights", input_weights,
                                                                                      ndim=2)
        if w_in.shape[0] != n:
            fail("input_weights", f"a ({n}, n_inputs) integer matrix", w_in, got=f"shape {w_in.shape}")
        _check_block("weights", w, self.split_signs)
        _check_block("input_weights", w_in, self.split_signs)
        ranges = {"du": (0, DU_MAX), "dv": (0, DV_MAX), "vth": (0, VTH_MAX),
                  "bias_mant": (BIAS_MANT_MIN, BIAS_MANT_MAX), "bias_exp": (0, BIAS_EXP_MAX)}
        values = {"du": du, "dv": dv, "vth": vth, "bias_mant": bias_mant, "bias_exp": bias_exp}
        for name, (lo, hi) in ranges.items():
            arr = as_int_array(name, values[name])
            if arr.ndim == 0:
                arr = np.full(n, int(arr), dtype=np.int64)
            if arr.shape != (n,):
                fail(name, f"an integer or one per neuron ({n})", arr, got=f"shape {arr.shape}")
            if arr.size and (arr.min() < lo or arr.max() > hi):
                bad = int(np.flatnonzero((arr < lo) | (arr > hi))[0])
                fail(name, f"in [{lo}, {hi}] (Loihi's register width)", arr, got=f"{arr[bad]} for neuron {bad}",
                     fix="Rescale the network (LoihiReference(network) quantises floats for you).")
            setattr(self, name, np.ascontiguousarray(arr))
        self.weights, self.input_weights = np.ascontiguousarray(w), np.ascontiguousarray(w_in)
        self.weight_exp = _exp_matrix("weight_exp", weight_exp, w.shape)
        self.input_weight_exp = _exp_matrix("input_weight_exp", input_weight_exp, w_in.shape)

    def _dense_groups(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Exponent per Dense process and the process of each recurrent and input synapse."""
        e_rec, g_rec = _groups(self.weights, self.weight_exp, self.split_signs, 0)
        e_in, g_in = _groups(self.input_weights, self.input_weight_exp, self.split_signs, e_rec.size)
        exps = np.concatenate([e_rec, e_in, [0]]).astype(np.int64)
        return exps, g_rec, g_in

    def __repr__(self) -> str:
        return (f"LoihiReference(n_neurons={self.n_neurons}, n_inputs={self.n_inputs}, dt={self.dt:g} s, "
                f"synapses={int(np.count_nonzero(self.weights))}, quantised={self.quantisation is not None})")

    def run(self, inputs: Any = None, n_steps: int | None = None, record: Any = None) -> SimulationResult:
        """Run from ``u = v = 0``.

        Parameters
        ----------
        inputs : SpikeTrains, optional
            One train per input channel; a spike at ``t`` is emitted in step
            ``floor(t / dt)`` and reaches the neurons one step later.
        n_steps : int, optional
            Number of steps (default: the inputs' ``t_stop / dt``).
        record : tuple of {"u", "v"}, optional
            States to return (integers, shape (n_steps, n_neurons); row ``k``
            after update ``k + 1``, as Lava's Monitor).

        Returns
        -------
        SimulationResult
            ``events`` counts ``u_wraps`` (24-bit wrap-arounds of ``u``, as
            Loihi) and ``v_saturations``; a DataWarning is issued when either
            is non-zero.
        """
        from spikestats._kernels.bridge_loihi import loihi_run

        record = check_record(record)
        steps, chans, n = input_steps(inputs, self.n_inputs, self.dt, n_steps)
        exps, g_rec, g_in = self._dense_groups()
        bias = self.bias_mant << self.bias_exp
        shape = (n, self.n_neurons) if record else (0, self.n_neurons)
        u, v = np.zeros(shape, np.int64), np.zeros(shape, np.int64)
        raster = np.zeros((n, self.n_neurons), np.uint8)
        counts = np.zeros(2, np.int64)
        loihi_run(self.du, self.dv, self.vth, bias, self.weights, g_rec, self.input_weights, g_in,
                  exps, steps, chans, n, bool(record), u, v, raster, counts)
        events = {"u_wraps": int(counts[0]), "v_saturations": int(counts[1])}
        if counts.any():
            warnings.warn(f"LoihiReference: u wrapped around 24 bits {counts[0]} times and v saturated "
                          f"{counts[1]} times (as Loihi does; a float model would not).", DataWarning, stacklevel=2)
        return SimulationResult(spikes=raster_spikes(raster, self.dt, "loihi"), u=u if "u" in record else None,
                                v=v if "v" in record else None, dt=self.dt, backend="loihi", raster=raster,
                                events=events)


def _groups(w: np.ndarray, e: np.ndarray, split: bool, first: int) -> tuple[np.ndarray, np.ndarray]:
    """Dense process of each synapse: one per (weight_exp, sign if split), numbered from ``first``."""
    key = e * 2 + (w < 0) if split else e * 2
    values, index = np.unique(key, return_inverse=True)
    return (values // 2).astype(np.int64), (index.reshape(w.shape) + first).astype(np.int64)


def _exp_matrix(name: str, value: Any, shape: tuple) -> np.ndarray:
    arr = as_int_array(name, value)
    if arr.ndim == 0:
        arr = np.full(shape, int(arr), dtype=np.int64)
    if arr.shape != shape:
        fail(name, f"an integer or an array of the weights' shape {shape}", arr, got=f"shape {arr.shape}")
    if arr.size and (arr.min() < WEIGHT_EXP_MIN or arr.max() > WEIGHT_EXP_MAX):
        fail(name, f"in [{WEIGHT_EXP_MIN}, {WEIGHT_EXP_MAX}]", arr, got=f"values in [{arr.min()}, {arr.max()}]")
    return np.ascontiguousarray(arr)


def _read(graph: Any) -> Network:
    from spikestats.bridge.nir_export import from_nir

    return from_nir(graph)
