"""A network of leaky integrate-and-fire neurons in continuous time: what every bridge backend simulates.

The network is the common currency of the bridge: NIR graphs are read into
it and written from it, the discretisation layer turns it into per-step
constants, and every reference simulator (float, Loihi, SpiNNaker) runs it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from spikestats._validation import as_float_array, check_option, check_scalar, fail
from spikestats.exceptions import ValidationTypeError

NEURON_KINDS = ("lif", "cuba_lif")
"""Neuron models a :class:`Network` can hold: NIR's ``LIF`` and ``CubaLIF``."""

_PER_NEURON = ("tau_mem", "tau_syn", "r", "v_leak", "v_threshold", "v_reset", "i_bias", "t_ref")


class WeightShaped:
    """``n_neurons`` and ``n_inputs`` of anything holding ``weights`` (n, n) and ``input_weights`` (n, n_inputs)."""

    weights: Any
    input_weights: Any

    @property
    def n_neurons(self) -> int:
        """Number of neurons."""
        return int(self.weights.shape[0])

    @property
    def n_inputs(self) -> int:
        """Number of input channels."""
        return int(self.input_weights.shape[1])


@dataclass(frozen=True, eq=False)
class Network(WeightShaped):
    """Leaky integrate-and-fire neurons with instantaneous-jump synapses, in SI units.

    Every neuron ``i`` follows (NIR's ``CubaLIF`` for ``kind="cuba_lif"``)::

        tau_syn[i] dI_i/dt = -I_i + tau_syn[i] * sum_j W[i, j] S_j(t) + tau_syn[i] * sum_c W_in[i, c] X_c(t)
        tau_mem[i] dv_i/dt = (v_leak[i] - v_i) + r[i] * (I_i + i_bias[i])

    where ``S_j`` and ``X_c`` are the spike trains of neuron ``j`` and input
    channel ``c`` as sums of Dirac deltas: a spike of ``j`` makes ``I_i`` jump
    by ``W[i, j]`` amperes. For ``kind="lif"`` (NIR's ``LIF``) there is no
    synaptic current: a spike makes ``v_i`` jump by ``W[i, j]`` volts and
    ``tau_syn`` is unused (stored as zeros). When ``v_i > v_threshold[i]``
    (strict, as NIR) the neuron spikes, ``v_i`` is set to ``v_reset[i]`` and
    held there for ``t_ref[i]`` seconds.

    Parameters
    ----------
    kind : {"lif", "cuba_lif"}
        Neuron model, shared by all neurons.
    tau_mem, tau_syn : array_like, shape (n_neurons,)
        Membrane and synaptic time constants (s), > 0 (``tau_syn`` ignored for
        ``"lif"``). A scalar is broadcast.
    r : array_like
        Membrane resistance (Ohm), > 0.
    v_leak, v_threshold, v_reset : array_like
        Leak (resting), threshold and reset potentials (V); ``v_reset <
        v_threshold``.
    i_bias : array_like
        Constant bias current (A).
    t_ref : array_like
        Absolute refractory period (s), >= 0.
    weights : array_like, shape (n_neurons, n_neurons)
        ``W[post, pre]``: jump of the synaptic current (A, ``"cuba_lif"``) or
        of the membrane potential (V, ``"lif"``) of ``post`` at each spike of
        ``pre``.
    input_weights : array_like, shape (n_neurons, n_inputs)
        ``W_in[post, channel]``, same units as ``weights``.
    populations : tuple of (name, start, stop)
        Named contiguous blocks of neurons (NIR node names on import); by
        default one block ``("neurons", 0, n_neurons)``.
    metadata : dict
        Free-form provenance (e.g. the tool a graph came from).

    Notes
    -----
    Excitatory and inhibitory synapses share ``tau_syn`` (NIR has one
    synaptic time constant per neuron). The synaptic current variable of a
    ``"cuba_lif"`` neuron decays to zero; a constant drive belongs in
    ``i_bias``.
    """

    kind: str
    tau_mem: Any
    tau_syn: Any
    r: Any
    v_leak: Any
    v_threshold: Any
    v_reset: Any
    i_bias: Any
    t_ref: Any
    weights: Any
    input_weights: Any
    populations: tuple = ()
    metadata: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        check_option("kind", self.kind, NEURON_KINDS)
        w = as_float_array("weights", self.weights)
        if w.ndim != 2 or w.shape[0] != w.shape[1]:
            fail("weights", "a square (n_neurons, n_neurons) matrix W[post, pre]", w,
                 got=f"an array of shape {w.shape}")
        n = w.shape[0]
        if n == 0:
            fail("weights", "a matrix for at least one neuron", w, got="shape (0, 0)")
        w_in = as_float_array("input_weights", self.input_weights)
        if w_in.ndim != 2 or w_in.shape[0] != n:
            fail("input_weights", f"a ({n}, n_inputs) matrix W_in[post, channel]", w_in,
                 got=f"an array of shape {w_in.shape}")
        set_ = object.__setattr__
        set_(self, "weights", np.array(w, dtype=float))
        set_(self, "input_weights", np.array(w_in, dtype=float))
        for name in _PER_NEURON:
            arr = as_float_array(name, getattr(self, name))
            if arr.ndim == 0:
                arr = np.full(n, float(arr))
            if arr.shape != (n,):
                fail(name, f"a scalar or one value per neuron ({n})", arr, got=f"an array of shape {arr.shape}")
            set_(self, name, np.array(arr, dtype=float))
        if self.kind == "lif":
            set_(self, "tau_syn", np.zeros(n))
        positive = ("tau_mem", "r") + (("tau_syn",) if self.kind == "cuba_lif" else ())
        for name in positive:
            arr = getattr(self, name)
            if np.any(arr <= 0):
                i = int(np.flatnonzero(arr <= 0)[0])
                fail(name, "> 0 for every neuron", arr, got=f"{arr[i]:g} for neuron {i}")
        if np.any(self.t_ref < 0):
            i = int(np.flatnonzero(self.t_ref < 0)[0])
            fail("t_ref", ">= 0 for every neuron", self.t_ref, got=f"{self.t_ref[i]:g} for neuron {i}")
        bad = ~(self.v_reset < self.v_threshold)
        if np.any(bad):
            i = int(np.flatnonzero(bad)[0])
            fail("v_reset", "< v_threshold for every neuron", self.v_reset,
                 got=f"v_reset = {self.v_reset[i]:g} V, v_threshold = {self.v_threshold[i]:g} V for neuron {i}")
        pops = self.populations or (("neurons", 0, n),)
        pops = tuple((str(a), int(b), int(c)) for a, b, c in pops)
        if pops[0][1] != 0 or pops[-1][2] != n or any(p[2] != q[1] for p, q in zip(pops, pops[1:])) \
                or any(p[2] <= p[1] for p in pops):
            fail("populations", f"contiguous (name, start, stop) blocks covering 0..{n}", pops)
        set_(self, "populations", pops)
        if not isinstance(self.metadata, dict):
            fail("metadata", "a dict", self.metadata, kind=ValidationTypeError)
        for name in _PER_NEURON + ("weights", "input_weights"):
            getattr(self, name).setflags(write=False)

    def __repr__(self) -> str:
        pops = ", ".join(f"{name}[{a}:{b}]" for name, a, b in self.populations)
        n_syn = int(np.count_nonzero(self.weights))
        return (f"Network(kind={self.kind!r}, n_neurons={self.n_neurons}, n_inputs={self.n_inputs}, "
                f"synapses={n_syn}, populations=({pops}))")

    def replace(self, **changes: Any) -> Network:
        """A copy with some fields changed (validated again)."""
        return replace(self, **changes)

    def equals(self, other: Network, *, rtol: float = 0.0, atol: float = 0.0) -> bool:
        """Whether ``other`` holds the same kind, parameters and weights (to ``rtol``/``atol``)."""
        if not isinstance(other, Network) or other.kind != self.kind or other.n_neurons != self.n_neurons \
                or other.n_inputs != self.n_inputs:
            return False
        return all(np.allclose(getattr(self, k), getattr(other, k), rtol=rtol, atol=atol)
                   for k in _PER_NEURON + ("weights", "input_weights"))

    @classmethod
    def from_nir(cls, graph: Any, **options: Any) -> Network:
        """Read a NIR graph (or a path to a NIR file); see :func:`spikestats.bridge.from_nir`."""
        from spikestats.bridge.nir_export import from_nir

        return from_nir(graph, **options)

    def to_nir(self, **options: Any) -> Any:
        """Write as a ``nir.NIRGraph``; see :func:`spikestats.bridge.to_nir`."""
        from spikestats.bridge.nir_export import to_nir

        return to_nir(self, **options)


def network_from_arrays(kind: str, n_neurons: int, **params: Any) -> Network:
    """A :class:`Network` with defaults for anything not given: no weights, no inputs, no bias, no refractoriness.

    Defaults (per neuron): ``tau_mem`` 20 ms, ``tau_syn`` 5 ms, ``r`` 1 Ohm,
    ``v_leak`` and ``v_reset`` 0 V, ``v_threshold`` 1 V, ``i_bias`` 0 A,
    ``t_ref`` 0 s, ``weights`` zeros, ``input_weights`` of shape
    ``(n_neurons, 0)``.
    """
    n = check_scalar("n_neurons", n_neurons, integer=True, positive=True)
    base: dict[str, Any] = dict(tau_mem=20e-3, tau_syn=5e-3, r=1.0, v_leak=0.0, v_threshold=1.0, v_reset=0.0,
                                i_bias=0.0, t_ref=0.0, weights=np.zeros((n, n)), input_weights=np.zeros((n, 0)))
    unknown = set(params) - set(base) - {"populations", "metadata"}
    if unknown:
        fail("params", f"among {sorted(base)}", sorted(unknown)[0])
    base.update(params)
    return Network(kind, **base)
