"""PyNN export: a runnable script (IF_curr_exp, SpikeSourceArray / SpikeSourcePoisson, FromListConnector projections).

The script is plain text that imports nothing from spikestats: copy it to a
machine with sPyNNaker (``python net.py spiNNaker``), NEST (``nest``) or
Brian2 (``brian2``) and run it. It records the spikes of every population
and, given an output path (``python net.py brian2 out.npz``), saves them as
``<population>_times_ms`` / ``<population>_offsets`` arrays.

Conversion (the same as :class:`~spikestats.bridge.SpiNNakerReference`'s,
so the script loads the same words on a board): SI to PyNN units (mV, ms,
nF, nA) rounded to 15 significant digits; ``cm = tau_mem / r``; the initial
``v`` is ``v_leak``; a weight ``W > 0`` becomes an ``"excitatory"`` synapse,
``W < 0`` an ``"inhibitory"`` one with the negative weight in nA (PyNN's
convention for current synapses; sPyNNaker uses the magnitude, so its host
numbers are unchanged); every synapse has the delay
``delay_steps * dt``. One PyNN Population per population block of the
network and one for the input channels.
"""

from __future__ import annotations

import pprint
from typing import Any

import numpy as np

from spikestats._validation import as_float_array, check_option, check_scalar, fail
from spikestats.bridge.fixed_point import pynn_value
from spikestats.bridge.spinnaker import _array, _check_dt, _neuron_params, as_network
from spikestats.core.spiketrains import SpikeTrains
from spikestats.exceptions import ValidationTypeError

SIMULATORS = ("spiNNaker", "nest", "brian2", "neuron")
"""PyNN back-ends the script can be told to use (its first command-line argument)."""

_CELL_PARAMS = ("tau_m", "cm", "v_rest", "v_reset", "v_thresh", "tau_refrac", "i_offset")


def _literal(value: Any, indent: int = 8) -> str:
    """A Python literal for ``value`` (floats as their shortest repr), wrapped at 100 columns."""
    text = pprint.pformat(value, width=100 - indent, compact=True)
    return text.replace("\n", "\n" + " " * indent)


def _floats(arr: np.ndarray) -> list[float]:
    return [float(x) for x in arr]


def _uniform_or_list(arr: np.ndarray) -> Any:
    values = _floats(arr)
    return values[0] if all(v == values[0] for v in values) else values


def projections(net: Any) -> list[tuple[str, str, str, list[tuple[int, int, float]]]]:
    """``(pre, post, receptor, [(i, j, weight_nA), ...])`` for every non-empty block of the network.

    ``pre`` is a population name or ``"inputs"``; ``i``/``j`` index within
    the pre/post population; weights are magnitudes in nA.
    """
    w_na = _array(net.weights, 1e9)
    w_in_na = _array(net.input_weights, 1e9)
    sources = [(name, a, b, w_na) for name, a, b in net.populations] + [("inputs", 0, net.n_inputs, w_in_na)]
    out = []
    for post, a, b in net.populations:
        for pre, c, d, w in sources:
            block = w[a:b, c:d]
            for receptor, mask in (("excitatory", block > 0), ("inhibitory", block < 0)):
                jj, ii = np.nonzero(mask)
                if jj.size:
                    order = np.lexsort((jj, ii))
                    conns = [(int(ii[k]), int(jj[k]), abs(float(block[jj[k], ii[k]]))) for k in order]
                    out.append((pre, post, receptor, conns))
    return out


def to_pynn(graph_or_network: Any, *, dt: float = 1e-3, inputs: SpikeTrains | None = None,
            input_rates: Any = None, t_stop: float | None = None, delay_steps: int = 1,
            simulator: str = "spiNNaker") -> str:
    """A runnable PyNN script for a network of current-based LIF neurons.

    Parameters
    ----------
    graph_or_network : nir.NIRGraph, path or Network
        A ``"cuba_lif"`` network (NIR ``CubaLIF`` nodes): IF_curr_exp cells.
    dt : float, default 1e-3
        Time step (s) passed to ``sim.setup``.
    inputs : SpikeTrains, optional
        One train per input channel: a ``SpikeSourceArray`` with these times.
    input_rates : array_like, optional
        Instead of ``inputs``: one rate (Hz) per input channel, a
        ``SpikeSourcePoisson``.
    t_stop : float, optional
        Simulated time (s); default the inputs' ``t_stop`` (required otherwise).
    delay_steps : int, default 1
        Delay of every synapse, in steps.
    simulator : {"spiNNaker", "nest", "brian2", "neuron"}, default "spiNNaker"
        Back-end used when the script is run without arguments.

    Returns
    -------
    str
        Python source; ``compile`` it or save it as ``.py``.

    Raises
    ------
    ValidationError
        A network that is not ``"cuba_lif"``, inputs that do not match the
        network's input channels, both ``inputs`` and ``input_rates``.
    """
    net = as_network(graph_or_network)
    if net.kind != "cuba_lif":
        fail("graph", "a network of current-based LIF neurons (kind 'cuba_lif') for IF_curr_exp cells", net.kind,
             got=f"kind {net.kind!r}")
    dt = _check_dt(dt)
    delay_steps = check_scalar("delay_steps", delay_steps, integer=True, minimum=1)
    simulator = check_option("simulator", simulator, SIMULATORS)
    if inputs is not None and input_rates is not None:
        fail("input_rates", "None when `inputs` is given (one source per channel)", input_rates)
    if inputs is not None:
        if not isinstance(inputs, SpikeTrains):
            fail("inputs", "a SpikeTrains with one train per input channel", inputs, kind=ValidationTypeError)
        if len(inputs) != net.n_inputs:
            fail("inputs", f"one train per input channel of the graph ({net.n_inputs})", inputs,
                 got=f"{len(inputs)} trains")
    rates = None
    if input_rates is not None:
        rates = np.atleast_1d(as_float_array("input_rates", input_rates))
        if rates.shape != (net.n_inputs,) or np.any(rates < 0):
            fail("input_rates", f"{net.n_inputs} rates >= 0 (Hz), one per input channel", input_rates,
                 got=f"shape {rates.shape}")
    if t_stop is None:
        if inputs is None:
            fail("t_stop", "given when there are no input trains to take the duration from", t_stop)
        t_stop = float(np.max(inputs.t_stop))
    t_stop = check_scalar("t_stop", t_stop, positive=True)

    params = _neuron_params(net, dt)
    dt_ms = pynn_value(dt, 1e3)
    delay_ms = pynn_value(delay_steps * dt, 1e3)
    lines = [
        '"""PyNN network exported by spikestats.bridge.to_pynn.',
        "",
        f"{net.n_neurons} IF_curr_exp neurons in {len(net.populations)} population(s), {net.n_inputs} input "
        f"channel(s), dt = {dt_ms} ms, delay = {delay_ms} ms.",
        "Usage: python this_script.py [spiNNaker|nest|brian2|neuron] [spikes.npz]",
        "",
        "Semantics differ from the NIR graph it came from: PyNN thresholds are v >= v_thresh on SpiNNaker",
        "(NIR: v > threshold), the membrane is held for tau_refrac after a spike, and each synapse acts after",
        "its delay. Weights are in nA (current jumps of the exponential synapses; negative for inhibitory).",
        '"""',
        "",
        "import importlib",
        "import sys",
        "",
        "import numpy as np",
        "",
        f"SIMULATOR = sys.argv[1] if len(sys.argv) > 1 else {simulator!r}",
        "OUT = sys.argv[2] if len(sys.argv) > 2 else None",
        'sim = importlib.import_module("pyNN." + SIMULATOR)',
        f"sim.setup(timestep={dt_ms!r})",
        "",
        "populations = {}",
    ]
    for name, a, b in net.populations:
        cell = ", ".join(f"{k}={_literal(_uniform_or_list(params[k][a:b]), 12)}" for k in _CELL_PARAMS)
        taus = _literal(_uniform_or_list(params["tau_syn"][a:b]), 12)
        lines += [f"populations[{name!r}] = sim.Population({b - a}, sim.IF_curr_exp(",
                  f"    {cell},",
                  f"    tau_syn_E={taus}, tau_syn_I={taus}), label={name!r})",
                  f"populations[{name!r}].initialize(v={_literal(_uniform_or_list(params['v'][a:b]))})"]
    if net.n_inputs:
        if rates is not None:
            source = f"sim.SpikeSourcePoisson(rate={_literal(_floats(rates))})"
        else:
            trains = [[pynn_value(t, 1e3) for t in train] for train in inputs] if inputs is not None \
                else [[] for _ in range(net.n_inputs)]
            # one channel: a flat list (PyNN reads a list of lists for one cell as a malformed Sequence)
            source = f"sim.SpikeSourceArray(spike_times={_literal(trains[0] if len(trains) == 1 else trains)})"
        lines += [f"inputs = sim.Population({net.n_inputs}, {source}, label='inputs')"]
    lines += ["", "projections = []"]
    for pre, post, receptor, conns in projections(net):
        pre_ref = "inputs" if pre == "inputs" else f"populations[{pre!r}]"
        sign = 1.0 if receptor == "excitatory" else -1.0  # PyNN: inhibitory current weights are negative
        conn_list = [(i, j, sign * w, delay_ms) for i, j, w in conns]
        lines += [f"projections.append(sim.Projection({pre_ref}, populations[{post!r}], sim.FromListConnector(",
                  f"    {_literal(conn_list, 4)}),",
                  f"    synapse_type=sim.StaticSynapse(), receptor_type={receptor!r}))"]
    lines += [
        "",
        "for pop in populations.values():",
        '    pop.record("spikes")',
        f"sim.run({pynn_value(t_stop, 1e3)!r})",
        "",
        "spikes = {}",
        "for label, pop in populations.items():",
        '    trains = pop.get_data("spikes").segments[0].spiketrains',
        '    times = [np.asarray(st.rescale("ms").magnitude, dtype=float) for st in trains]',
        '    spikes[label + "_times_ms"] = np.concatenate(times) if times else np.zeros(0)',
        '    spikes[label + "_offsets"] = np.concatenate([[0], np.cumsum([len(t) for t in times])])',
        "    print(label, 'spikes per neuron:', np.diff(spikes[label + '_offsets']).tolist())",
        "if OUT:",
        "    np.savez(OUT, **spikes)",
        "sim.end()",
        "",
    ]
    return "\n".join(lines)
