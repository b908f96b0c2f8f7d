"""``SpiNNakerReference``: an s16.15 reference model of sPyNNaker's IF_curr_exp, with the host-side numbers.

This is a *reference model*: it computes, integer for integer, what the C
code of sPyNNaker 7.x (``neuron_impl_standard.h`` with
``neuron_model_lif_impl.h``, ``synapse_types_exponential_impl.h``,
``threshold_type_static.h``, ``synapses.c``) and ``spinn_common``'s
fixed-point library compute, as read from their sources. It has not been
confirmed against a SpiNNaker board (none is available here); the host-side
part (ring-buffer shifts, 16-bit weights, s16.15 parameter words) is checked
against sPyNNaker 7.4.1's own host code (``tests/reference/spynnaker_host.py``).

Mapping of a :class:`~spikestats.bridge.network.Network` (``kind="cuba_lif"``)
to IF_curr_exp, per neuron: ``tau_m = tau_mem``, ``cm = tau_mem / r``,
``v_rest = v_leak`` (also the initial ``v``), ``v_reset``, ``v_thresh =
v_threshold``, ``tau_syn_E = tau_syn_I = tau_syn``, ``tau_refrac = t_ref``,
``i_offset = i_bias``; a weight ``W[i, j] > 0`` is an excitatory synapse of
``W`` amperes, ``W < 0`` an inhibitory one of ``|W|``. Each population block
of the network is one sPyNNaker Population (ring-buffer shifts are per
population and synapse type); the input channels are one SpikeSourceArray.

What differs from the continuous-time network (and from NIR): the threshold
is ``v >= v_thresh`` (NIR: ``>``); the membrane is held (not integrated) for
``ceil(t_ref / dt)`` steps after a spike; a spike acts ``delay_steps`` steps
later; a weight enters the synaptic current scaled by ``init = (tau_syn /
dt)(1 - exp(-dt / tau_syn))`` (the board's normalisation, ~1 for ``dt <<
tau_syn``); weights are 16-bit multiples of ``2**(shift - 15)`` nA.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from spikestats._validation import check_scalar, fail
from spikestats.bridge.fixed_point import (
    S1615_SCALE,
    as_words,
    from_s1615,
    max_input_per_step,
    pynn_value,
    pynn_values,
    quantise_weights,
    ring_buffer_shift,
    to_s1615,
    weight_scale,
)
from spikestats.bridge.network import Network
from spikestats.core.spiketrains import SpikeTrains
from spikestats.exceptions import DataWarning, ValidationTypeError

RECORDABLES = ("v", "i_syn", "i_syn_exc", "i_syn_inh")
"""State variables :meth:`SpiNNakerReference.run` can record."""
SYNAPSE_TYPES = ("excitatory", "inhibitory")
"""IF_curr_exp's synapse types, in the board's order."""
LIF_STRUCT = "v+v_rest+cm+tau_m+i_offset+v_reset+tau_refrac+refract_timer+timestep"
THRESHOLD_STRUCT = "v_thresh"
SYNAPSE_STRUCT = "tau_syn_E+isyn_exc+tau_syn_I+isyn_inh+timestep_ms"
STEPS_STRUCT = "n_steps_per_timestep"


def _array(values: Any, factor: float) -> np.ndarray:
    """SI values in PyNN units (:func:`~spikestats.bridge.fixed_point.pynn_values`)."""
    return pynn_values(values, factor)


def as_network(graph_or_network: Any, name: str = "graph") -> Network:
    """A :class:`Network` from itself, a ``nir.NIRGraph`` or a path to a NIR file."""
    if isinstance(graph_or_network, Network):
        return graph_or_network
    if graph_or_network is None or isinstance(graph_or_network, (int, float, np.ndarray, list, tuple, dict)):
        fail(name, "a spikestats.bridge.Network, a nir.NIRGraph or a path to a NIR file", graph_or_network,
             kind=ValidationTypeError)
    return Network.from_nir(graph_or_network)


@dataclass(frozen=True, eq=False)
class SpiNNakerHost:
    """What the host computes and loads for an IF_curr_exp network, and what the board derives from it.

    Attributes
    ----------
    dt : float
        Time step (s).
    delay_steps : int
        Synaptic delay (steps).
    populations : tuple of (name, start, stop)
        sPyNNaker Populations (blocks of neurons).
    max_weights : ndarray, shape (n_populations, 2)
        Bound on the summed input per step (nA) of each population and
        synapse type (excitatory, inhibitory).
    ring_buffer_shifts : ndarray of int64, shape (n_populations, 2)
    weight_scales : ndarray, shape (n_populations, 2)
        ``2**(15 - shift)`` (16-bit units per nA).
    weights : ndarray of int64, shape (2, n_neurons, n_neurons)
        16-bit weights ``[synapse type, post, pre]``.
    input_weights : ndarray of int64, shape (2, n_neurons, n_inputs)
        16-bit weights from the input channels.
    param_words : dict
        Per population, the neuron parameter region as sPyNNaker writes it:
        struct name (field names joined by ``+``) -> list of uint32 words,
        neuron after neuron.
    r_membrane, exp_tc : ndarray of int64
        s16.15 ``R = tau_m / cm`` (MOhm) and ``expk(-dt / tau_m)`` as the
        board computes them at start-up (``neuron_model_initialise``).
    t_refract : ndarray of int64
        Refractory period in steps (``lif_ceil_accum(tau_refrac / dt)``).
    syn_decay, syn_init : ndarray of int64, shape (2, n_neurons)
        u0.32 ``exp(-dt / tau_syn)`` and ``(tau_syn / dt)(1 - decay)``
        (``decay_and_init`` in ``exp_synapse_utils.h``).
    param_bits : dict
        Parameter name (``v``, ``v_rest``, ``cm``, ``tau_m``, ``i_offset``,
        ``v_reset``, ``tau_refrac``, ``v_thresh``, ``tau_syn``,
        ``timestep``) -> signed s16.15 patterns per neuron (int64).
    n_zero_weights : int
        Non-zero weights that quantised to 0.
    """

    dt: float
    delay_steps: int
    populations: tuple
    max_weights: np.ndarray
    ring_buffer_shifts: np.ndarray
    weight_scales: np.ndarray
    weights: np.ndarray
    input_weights: np.ndarray
    param_words: dict
    r_membrane: np.ndarray
    exp_tc: np.ndarray
    t_refract: np.ndarray
    syn_decay: np.ndarray
    syn_init: np.ndarray
    param_bits: dict = field(default_factory=dict, repr=False)
    n_zero_weights: int = 0

    def __repr__(self) -> str:
        shifts = ", ".join(f"{name}: exc {s[0]}, inh {s[1]}"
                           for (name, _, _), s in zip(self.populations, self.ring_buffer_shifts))
        return (f"SpiNNakerHost(dt={self.dt:g} s, delay_steps={self.delay_steps}, n_neurons={self.r_membrane.size}, "
                f"ring_buffer_shifts={{{shifts}}}, zero_weights={self.n_zero_weights})")

    def weight_values(self) -> tuple[np.ndarray, np.ndarray]:
        """The weights the board applies, in amperes: ``(W, W_in)`` with inhibitory ones negative."""
        post_scale = np.empty((2, self.r_membrane.size))
        for p, (_, a, b) in enumerate(self.populations):
            post_scale[:, a:b] = self.weight_scales[p][:, None]
        sign = np.array([1.0, -1.0])[:, None, None]
        w = (sign * self.weights / post_scale[:, :, None]).sum(axis=0) * 1e-9
        w_in = (sign * self.input_weights / post_scale[:, :, None]).sum(axis=0) * 1e-9
        return w, w_in


def _check_dt(dt: Any) -> float:
    dt = check_scalar("dt", dt, positive=True)
    us = dt * 1e6
    if abs(us - round(us)) > 1e-6 * max(1.0, us) or round(us) < 1:
        fail("dt", "a whole number of microseconds (sPyNNaker's time step is an integer in us)", dt)
    return dt


def _neuron_params(net: Network, dt: float) -> dict[str, np.ndarray]:
    """IF_curr_exp parameters in PyNN units (mV, ms, nF, nA)."""
    return {"v": _array(net.v_leak, 1e3), "v_rest": _array(net.v_leak, 1e3),
            "cm": _array(net.tau_mem / net.r, 1e9), "tau_m": _array(net.tau_mem, 1e3),
            "i_offset": _array(net.i_bias, 1e9), "v_reset": _array(net.v_reset, 1e3),
            "tau_refrac": _array(net.t_ref, 1e3), "v_thresh": _array(net.v_threshold, 1e3),
            "tau_syn": _array(net.tau_syn, 1e3), "timestep": np.full(net.n_neurons, pynn_value(dt, 1e3))}


_PARAM_NAMES = {"v": "v (initial, = v_leak)", "v_rest": "v_leak", "cm": "cm = tau_mem / r", "tau_m": "tau_mem",
                "i_offset": "i_bias", "v_reset": "v_reset", "tau_refrac": "t_ref", "v_thresh": "v_threshold",
                "tau_syn": "tau_syn", "timestep": "dt"}
_UNITS = {"v": "mV", "v_rest": "mV", "cm": "nF", "tau_m": "ms", "i_offset": "nA", "v_reset": "mV",
          "tau_refrac": "ms", "v_thresh": "mV", "tau_syn": "ms", "timestep": "ms"}


def _encode(params: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    labels = [f"neuron {i}" for i in range(params["v"].size)]
    return {k: to_s1615(_PARAM_NAMES[k], v, unit=_UNITS[k], labels=labels) for k, v in params.items()}


def _chip_constants(bits: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """What ``neuron_model_initialise`` and ``decay_and_init`` compute on the board from the parameter words."""
    from spikestats._kernels.bridge_spinnaker import decay_s1615_to_u032, expk, expulr, kdivk, kdivui

    n = bits["v"].size
    for key, label in (("cm", "cm = tau_mem / r"), ("tau_m", "tau_mem"), ("tau_syn", "tau_syn")):
        zero = bits[key] <= 0
        if np.any(zero):
            i = int(np.flatnonzero(zero)[0])
            fail(label, f"at least 2**-15 in PyNN units ({_UNITS[key]}) so that s16.15 holds it", bits[key],
                 got=f"{from_s1615(bits[key][i]):g} {_UNITS[key]} after rounding, for neuron {i}")
    big = (bits["tau_m"] << 15) // bits["cm"] >= 2**31
    if np.any(big):
        i = int(np.flatnonzero(big)[0])
        fail("r", "at most 65535 MOhm (R = tau_m / cm must fit s16.15 on the board)", bits["cm"],
             got=f"{from_s1615(bits['tau_m'][i]) / from_s1615(bits['cm'][i]):g} MOhm for neuron {i}")
    r_mem = np.empty(n, np.int64)
    exp_tc = np.empty(n, np.int64)
    t_ref = np.empty(n, np.int64)
    decay = np.empty((2, n), np.int64)
    init = np.empty((2, n), np.int64)
    for i in range(n):
        ts = int(kdivui(bits["timestep"][i], 1))
        r_mem[i] = kdivk(bits["tau_m"][i], bits["cm"][i])
        exp_tc[i] = expk(-kdivk(ts, bits["tau_m"][i]))
        ratio = int(kdivk(bits["tau_refrac"][i], ts))
        t_ref[i] = (ratio >> 15) + (1 if ratio & 0x7FFF else 0)
        d = int(expulr(-kdivk(ts, bits["tau_syn"][i])))
        # 1.0ulr - decay in u0.32: 1.0 taken as 2**32 (see docs/BRIDGE.md on this literal)
        inv = (2**32 - d) & 0xFFFFFFFF
        decay[:, i] = d
        init[:, i] = decay_s1615_to_u032(kdivk(bits["tau_syn"][i], ts), inv)
    return {"r_membrane": r_mem, "exp_tc": exp_tc, "t_refract": t_ref, "syn_decay": decay, "syn_init": init}


def spinnaker_host(graph_or_network: Any, dt: float = 1e-3, *, delay_steps: int = 1,
                   spikes_per_second: float = 30.0) -> SpiNNakerHost:
    """The host-side numbers sPyNNaker 7.4.1 computes for an IF_curr_exp network, and the board's start-up constants.

    Parameters
    ----------
    graph_or_network : Network, nir.NIRGraph or path
        A ``"cuba_lif"`` network (NIR ``CubaLIF`` nodes).
    dt : float, default 1e-3
        Time step (s); a whole number of microseconds.
    delay_steps : int, default 1
        Synaptic delay in steps (sPyNNaker's minimum is one step).
    spikes_per_second : float, default 30.0
        sPyNNaker's ``[Simulation] spikes_per_second``: a projection from a
        source without a rate bound contributes ``max(1, spikes_per_second *
        dt)`` spikes per step to the ring-buffer bound.

    Returns
    -------
    SpiNNakerHost

    Raises
    ------
    ValidationError
        A network that is not ``"cuba_lif"``; a parameter outside the s16.15
        range; a time constant or capacitance that rounds to 0; a summed input
        per step above 32768 nA (ring-buffer shift > 15).

    Warns
    -----
    DataWarning
        When non-zero weights quantise to 0 (too small against the largest
        input of their population and synapse type).
    """
    net = as_network(graph_or_network)
    if net.kind != "cuba_lif":
        fail("graph", "a network of current-based LIF neurons with exponential synapses (NIR CubaLIF, kind "
             "'cuba_lif') to map to IF_curr_exp", net.kind, got=f"kind {net.kind!r}",
             fix="NIR LIF nodes (delta synapses) would map to IF_curr_delta, which this reference does not model.")
    dt = _check_dt(dt)
    delay_steps = check_scalar("delay_steps", delay_steps, integer=True, minimum=1)
    spikes_per_second = check_scalar("spikes_per_second", spikes_per_second, positive=True)
    params = _neuron_params(net, dt)
    bits = _encode(params)
    consts = _chip_constants(bits)

    w_na = _array(net.weights, 1e9)
    w_in_na = _array(net.input_weights, 1e9)
    signed = [(np.where(w_na > 0, w_na, 0.0), np.where(w_in_na > 0, w_in_na, 0.0)),
              (np.where(w_na < 0, -w_na, 0.0), np.where(w_in_na < 0, -w_in_na, 0.0))]
    ticks = max(1.0, spikes_per_second * dt)
    pops = net.populations
    n_pop = len(pops)
    max_w = np.zeros((n_pop, 2))
    shifts = np.zeros((n_pop, 2), np.int64)
    scales = np.zeros((n_pop, 2))
    weights = np.zeros((2, net.n_neurons, net.n_neurons), np.int64)
    input_weights = np.zeros((2, net.n_neurons, net.n_inputs), np.int64)
    for p, (name, a, b) in enumerate(pops):
        for s in range(2):
            w_s, w_in_s = signed[s]
            blocks = [w_s[a:b, c:d] for _, c, d in pops] + [w_in_s[a:b]]
            max_w[p, s] = max_input_per_step(blocks, [ticks] * len(blocks))
            shifts[p, s] = ring_buffer_shift(max_w[p, s])
            if shifts[p, s] > 15:
                fail("weights", "a summed input per step below 32768 nA for every population and synapse type "
                     "(the s16.15 range)", max_w[p, s],
                     got=f"a bound of {max_w[p, s]:g} nA for {SYNAPSE_TYPES[s]} synapses onto {name!r}")
            scales[p, s] = weight_scale(shifts[p, s])
            weights[s, a:b] = quantise_weights("weights", w_s[a:b], scales[p, s])
            input_weights[s, a:b] = quantise_weights("input_weights", w_in_s[a:b], scales[p, s])
    lost = int(np.count_nonzero((weights.sum(axis=0) == 0) & (w_na != 0))
               + np.count_nonzero((input_weights.sum(axis=0) == 0) & (w_in_na != 0)))
    if lost:
        warnings.warn(f"{lost} non-zero weight(s) quantise to 0 on SpiNNaker: they are below half a 16-bit unit "
                      "of their population's ring-buffer scale (set by its largest summed input per step).",
                      DataWarning, stacklevel=2)
    words: dict[str, dict[str, list[int]]] = {}
    lif_fields = ("v", "v_rest", "cm", "tau_m", "i_offset", "v_reset", "tau_refrac", "refract_timer", "timestep")
    bits_all = dict(bits, refract_timer=np.zeros(net.n_neurons, np.int64))
    for name, a, b in pops:
        def interleave(fields: tuple[str, ...]) -> list[int]:
            table = np.stack([as_words(bits_all[f][a:b]) for f in fields], axis=1)
            return [int(x) for x in table.ravel()]

        bits_all["isyn"] = np.zeros(net.n_neurons, np.int64)
        words[name] = {STEPS_STRUCT: [1], LIF_STRUCT: interleave(lif_fields),
                       THRESHOLD_STRUCT: interleave(("v_thresh",)),
                       SYNAPSE_STRUCT: interleave(("tau_syn", "isyn", "tau_syn", "isyn", "timestep"))}
    return SpiNNakerHost(dt=dt, delay_steps=delay_steps, populations=pops, max_weights=max_w,
                         ring_buffer_shifts=shifts, weight_scales=scales, weights=weights,
                         input_weights=input_weights, param_words=words, n_zero_weights=lost,
                         param_bits=bits, **consts)


def by_source(weights: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Non-zero 16-bit weights ``[type, post, pre]`` grouped by ``pre``: ``(ptr, post, type, weight)`` (CSR).

    Within a source the synapses are ordered by (type, post), as a dense
    sweep over the matrix would visit them.
    """
    s, j, i = np.nonzero(weights)
    order = np.lexsort((j, s, i))
    ptr = np.zeros(weights.shape[2] + 1, np.int64)
    np.cumsum(np.bincount(i, minlength=weights.shape[2]), out=ptr[1:])
    return ptr, j[order].astype(np.int64), s[order].astype(np.int64), weights[s, j, i][order].astype(np.int64)


def input_ticks(inputs: SpikeTrains, dt: float) -> tuple[np.ndarray, np.ndarray]:
    """Ticks at which a SpikeSourceArray sends each input spike: ``ceil(floor(t_ms * 1000) / dt_us)``.

    Returns ``(tick, channel)`` sorted by tick (stable in channel order).
    """
    t_ms = _array(inputs.times, 1e3)
    dt_us = round(dt * 1e6)
    tick = np.ceil(np.floor(t_ms * 1000.0) / dt_us).astype(np.int64)
    channel = inputs.train_index
    order = np.lexsort((channel, tick))
    return tick[order], channel[order].astype(np.int64)


@dataclass(frozen=True, eq=False)
class SpiNNakerRun:
    """Output of :meth:`SpiNNakerReference.run`.

    Attributes
    ----------
    spikes : SpikeTrains
        One train per neuron; a spike in step ``k`` is at ``k * dt``.
    dt : float
        Time step (s).
    v, i_syn, i_syn_exc, i_syn_inh : ndarray, shape (n_steps, n_neurons), or None
        Recorded states in SI units (V, A) as sPyNNaker records them: row
        ``k`` holds the membrane at the start of step ``k`` (before its
        update) and the synaptic currents after step ``k``'s ring-buffer
        input, before their decay. ``i_syn = i_syn_exc - i_syn_inh``.
    host : SpiNNakerHost
    n_saturations : int
        s16.15 additions or products the board would have wrapped or
        clipped (the reference saturates; a warning is issued when > 0).
    n_ring_saturations : int
        16-bit ring-buffer sums that saturated at 0xFFFF (as on the board).
    """

    spikes: SpikeTrains
    dt: float
    host: SpiNNakerHost
    v: np.ndarray | None = None
    i_syn: np.ndarray | None = None
    i_syn_exc: np.ndarray | None = None
    i_syn_inh: np.ndarray | None = None
    n_saturations: int = 0
    n_ring_saturations: int = 0

    def __repr__(self) -> str:
        rec = [k for k in RECORDABLES if getattr(self, k) is not None]
        return (f"SpiNNakerRun(n_neurons={len(self.spikes)}, n_spikes={self.spikes.n_spikes}, dt={self.dt:g} s, "
                f"recorded={rec}, saturations={self.n_saturations}, ring_saturations={self.n_ring_saturations})")


def check_record(record: Any, options: tuple[str, ...]) -> tuple[str, ...]:
    """``record`` as a tuple of known state names (a single name is accepted)."""
    from spikestats._validation import check_option

    if record is None or record is False:
        return ()
    if isinstance(record, str):
        record = (record,)
    if not isinstance(record, (tuple, list)):
        fail("record", f"a tuple of names among {list(options)}", record, kind=ValidationTypeError)
    return tuple(check_option("record", r, options) for r in record)


def check_inputs(inputs: Any, n_inputs: int, n_steps: Any, dt: float) -> tuple[SpikeTrains | None, int]:
    """Validate ``inputs`` (one train per channel) and ``n_steps`` (default: the inputs' window)."""
    if inputs is not None and not isinstance(inputs, SpikeTrains):
        fail("inputs", "a SpikeTrains with one train per input channel", inputs, kind=ValidationTypeError)
    if inputs is not None and len(inputs) != n_inputs:
        fail("inputs", f"one train per input channel of the graph ({n_inputs})", inputs,
             got=f"{len(inputs)} trains")
    if n_steps is None:
        if inputs is None or len(inputs) == 0:
            fail("n_steps", "given when there are no input trains to take the duration from", n_steps)
        from spikestats._config import n_whole_bins

        n_steps = int(n_whole_bins(float(np.max(inputs.t_stop)), dt))
    n_steps = check_scalar("n_steps", n_steps, integer=True, positive=True)
    if inputs is None and n_inputs:
        warnings.warn(f"`inputs` is None: the graph's {n_inputs} input channel(s) receive no spikes.",
                      DataWarning, stacklevel=3)
    return inputs, n_steps


def spikes_from_steps(steps: np.ndarray, neurons: np.ndarray, n: int, n_steps: int, dt: float,
                      metadata: dict) -> SpikeTrains:
    """SpikeTrains (one train per neuron on ``[0, n_steps * dt]``) from (step, neuron) pairs in time order."""
    return SpikeTrains.from_flat(steps * dt, neurons, 0.0, n_steps * dt, n_trains=n, unit=np.arange(n),
                                 metadata=metadata, sort=False)


class SpiNNakerReference:
    """s16.15 reference simulator of sPyNNaker's IF_curr_exp (see the module docstring).

    A reference model read from sPyNNaker's C sources: it cannot be
    confirmed on a board here. Its host-side numbers equal sPyNNaker
    7.4.1's (frozen by ``tests/reference/spynnaker_host.py``).

    Parameters
    ----------
    graph_or_network : nir.NIRGraph, path or Network
        A network of NIR ``CubaLIF`` neurons (``kind="cuba_lif"``).
    dt : float, default 1e-3
        Time step (s), a whole number of microseconds.
    delay_steps : int, default 1
        Delay of every synapse in steps.
    spikes_per_second : float, default 30.0
        sPyNNaker's rate assumption for the ring-buffer bound.

    Attributes
    ----------
    network : Network
    host : SpiNNakerHost
        Ring-buffer shifts, 16-bit weights, parameter words and the board's
        start-up constants.

    Examples
    --------
    >>> sim = SpiNNakerReference(network, dt=1e-3)              # doctest: +SKIP
    >>> out = sim.run(inputs, n_steps=1000, record=("v",))       # doctest: +SKIP
    >>> out.spikes, out.v, sim.host.ring_buffer_shifts           # doctest: +SKIP
    """

    def __init__(self, graph_or_network: Any, dt: float = 1e-3, *, delay_steps: int = 1,
                 spikes_per_second: float = 30.0) -> None:
        self.network = as_network(graph_or_network)
        self.dt = _check_dt(dt)
        self.delay_steps = delay_steps
        self.spikes_per_second = spikes_per_second
        self.host = spinnaker_host(self.network, dt, delay_steps=delay_steps, spikes_per_second=spikes_per_second)

    def __repr__(self) -> str:
        return (f"SpiNNakerReference(n_neurons={self.network.n_neurons}, n_inputs={self.network.n_inputs}, "
                f"dt={self.dt:g} s, delay_steps={self.host.delay_steps})")

    def run(self, inputs: SpikeTrains | None = None, n_steps: int | None = None, *,
            record: Any = ()) -> SpiNNakerRun:
        """Simulate ``n_steps`` steps driven by ``inputs``.

        Parameters
        ----------
        inputs : SpikeTrains, optional
            One train per input channel (spike times in s, sent at tick
            ``ceil(t / dt)`` as a SpikeSourceArray does).
        n_steps : int, optional
            Number of steps; default: the inputs' ``t_stop / dt``.
        record : tuple of str
            Any of ``"v"``, ``"i_syn"``, ``"i_syn_exc"``, ``"i_syn_inh"``.

        Returns
        -------
        SpiNNakerRun

        Warns
        -----
        DataWarning
            When an s16.15 sum or product left the range (the board would
            wrap it; here it saturates) or a ring buffer saturated.
        """
        from spikestats._kernels.bridge_spinnaker import if_curr_exp_run

        net, host = self.network, self.host
        inputs, n_steps = check_inputs(inputs, net.n_inputs, n_steps, self.dt)
        record = check_record(record, RECORDABLES)
        n = net.n_neurons
        if inputs is not None and inputs.n_spikes:
            tick, channel = input_ticks(inputs, self.dt)
        else:
            tick, channel = np.zeros(0, np.int64), np.zeros(0, np.int64)
        shifts = np.empty((2, n), np.int64)
        for p, (_, a, b) in enumerate(host.populations):
            shifts[:, a:b] = host.ring_buffer_shifts[p][:, None]
        bits = host.param_bits
        rec_v = "v" in record
        rec_syn = any(r.startswith("i_syn") for r in record)
        v_out = np.zeros((n_steps if rec_v else 0, n), np.int64)
        exc_out = np.zeros((n_steps if rec_syn else 0, n), np.int64)
        inh_out = np.zeros_like(exc_out)
        rec, inp = by_source(host.weights), by_source(host.input_weights)
        cap = max(1024, 4 * n_steps * n // 100)
        while True:
            spike_step = np.empty(cap, np.int64)
            spike_neuron = np.empty(cap, np.int64)
            n_spk, n_sat, n_ring = if_curr_exp_run(
                n_steps, host.delay_steps, bits["v"], bits["v_rest"], host.r_membrane, host.exp_tc,
                bits["i_offset"], bits["v_reset"], host.t_refract, bits["v_thresh"], host.syn_decay,
                host.syn_init, shifts, *rec, *inp, tick, channel, rec_v, rec_syn, spike_step, spike_neuron,
                v_out, exc_out, inh_out)
            if n_spk <= cap:
                break
            cap = int(n_spk)
        if n_sat:
            warnings.warn(f"{n_sat} s16.15 sum(s) or product(s) left the range [-65536, 65536): the board's plain "
                          "accum arithmetic would wrap them; this reference saturated them instead.",
                          DataWarning, stacklevel=2)
        if n_ring:
            warnings.warn(f"{n_ring} ring-buffer sum(s) saturated at 0xFFFF (as on the board): more input arrived "
                          "in one step than sPyNNaker's bound allowed for.", DataWarning, stacklevel=2)
        spikes = spikes_from_steps(spike_step[:n_spk], spike_neuron[:n_spk], n, n_steps, self.dt,
                                   {"backend": "spinnaker", "dt": self.dt, "reference_model": "sPyNNaker 7.x "
                                    "IF_curr_exp (s16.15), not confirmed on hardware"})
        mv_to_v = 1e-3 / S1615_SCALE
        na_to_a = 1e-9 / S1615_SCALE
        traces: dict[str, Any] = {}
        if rec_v:
            traces["v"] = v_out * mv_to_v
        if "i_syn" in record:
            traces["i_syn"] = (exc_out - inh_out) * na_to_a
        if "i_syn_exc" in record:
            traces["i_syn_exc"] = exc_out * na_to_a
        if "i_syn_inh" in record:
            traces["i_syn_inh"] = inh_out * na_to_a
        return SpiNNakerRun(spikes=spikes, dt=self.dt, host=host, n_saturations=int(n_sat),
                            n_ring_saturations=int(n_ring), **traces)

