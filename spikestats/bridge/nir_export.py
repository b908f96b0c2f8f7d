"""NIR graphs to and from :class:`~spikestats.bridge.network.Network`.

NIR (the Neuromorphic Intermediate Representation, ``pip install nir``)
describes neurons in continuous time with no time step, noise or refractory
period. Everything else spikestats knows is written under the ``"spikestats"``
key of the graph's and the neuron nodes' ``metadata``; other tools ignore it,
and :func:`from_nir` uses it to restore the network exactly.

Input conventions
-----------------
NIR's equations read spikes as Dirac deltas, but the tools that export NIR
disagree on what a weight means. :func:`from_nir` takes ``convention=``:

``"nir"`` (default for graphs without spikestats metadata)
    The specification: a spike through weight ``w`` makes the synaptic
    current of a ``CubaLIF`` jump by ``w_in w / tau_syn`` and the membrane of a
    ``LIF`` jump by ``r w / tau``.
``"per_step"``
    A spike is a value of 1 held for one step ``dt`` (jumps ``w_in w dt /
    tau_syn`` and ``r w dt / tau``): the Euler reading of snnTorch and Spyx.
``"snntorch"``
    ``"per_step"`` with snnTorch's export step ``dt = 1e-4 s`` (snnTorch 0.9
    writes ``tau = dt / (1 - beta)``, ``r = tau / dt``, ``w_in = tau_syn / dt``).
``"norse"``
    Norse adds its input to the synaptic current each step (``CubaLIF``
    jump ``w_in w``); its ``LIF`` box cell is ``"per_step"`` (``dt`` defaults
    to Norse's 1 ms).
``"spyx"``
    Spyx writes ``Linear`` weights as ``(in, out)`` and keeps ``beta`` in
    ``r``; read as Spyx's own importer does: weights transposed, jumps
    ``w_in w dt / tau_syn`` (``CubaLIF``, membrane ``v <- beta v + I``) and
    ``w dt / tau`` (``LIF``).

A constant ``Affine`` bias ``b`` into a neuron becomes the bias current
``w_in b`` (``CubaLIF``; its steady-state value, without the ``tau_syn``
onset) or ``b`` (``LIF``).
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np

from spikestats._validation import check_option, check_scalar, fail
from spikestats.bridge.discretise import METHODS, discretise
from spikestats.bridge.network import Network
from spikestats.exceptions import ExportError, FileFormatError, MissingFileError, ValidationTypeError

META_KEY = "spikestats"
"""Metadata key under which spikestats stores what NIR cannot say."""

FORMAT_VERSION = 1
CONVENTIONS = ("nir", "per_step", "snntorch", "norse", "spyx")
_DEFAULT_DT = {"snntorch": 1e-4, "norse": 1e-3}
_NEURON_TYPES = ("LIF", "CubaLIF")
_WEIGHT_TYPES = ("Affine", "Linear", "Scale", "Identity", "Flatten")
_SEMANTICS = {"threshold": "v > v_threshold (strict)", "reset": "v <- v_reset, held for t_ref",
              "units": "SI (s, V, A, Ohm)", "weights": "W[post, pre]: jump of I (A, CubaLIF) or v (V, LIF)",
              "synaptic_delay": "one time step (dt) from spike to effect in every backend"}


def _nir() -> Any:
    try:
        import nir
    except ImportError:  # pragma: no cover - nir is a declared extra
        raise ExportError("NIR support needs the `nir` package: pip install 'spikestats[nir]'.") from None
    return nir


# --------------------------------------------------------------------------------------------- export


def to_nir(obj: Any, *, dt: float | None = None, method: str = "euler", n_neurons: int = 1,
           i_bias: float = 0.0) -> Any:
    """A ``nir.NIRGraph`` for a network or a fitted/generator model.

    Parameters
    ----------
    obj : Network, spikestats.generators.LIF, HistoryGLM or PopulationGLM
        A :class:`Network`; a current-based ``LIF`` generator (exported as
        ``n_neurons`` unconnected ``LIF`` neurons driven by ``i_bias``; its
        ``sigma`` noise is recorded in the metadata only); or a fitted
        log-link GLM with an ExponentialBasis history (and coupling), written
        by :func:`spikestats.bridge.glm_export.glm_to_nir` (the other
        arguments do not apply).
    dt : float, optional
        Time step (s) the graph is meant to be run at. When given, the
        discretisation record (``method`` at ``dt``) is stored in the metadata
        so that every reader builds the same per-step constants.
    method : {"euler", "exact"}
        Discretisation to record with ``dt``.
    n_neurons, i_bias : int, float
        Only for a generator model: number of neurons and bias current (A).

    Returns
    -------
    nir.NIRGraph
        Nodes ``input`` (if the network has inputs), ``w_in_<pop>``, one
        ``LIF``/``CubaLIF`` node per population, ``w_<pre>_<post>`` for each
        non-zero weight block and ``output``. Weights are written so that the
        NIR (Dirac) reading gives the network's jumps exactly: ``CubaLIF``
        nodes carry ``w_in = tau_syn`` and ``LIF`` nodes ``r = tau`` (their true
        resistance, bias and refractory period are in the node metadata).
    """
    nir = _nir()
    if _is_glm(obj):
        from spikestats.bridge.glm_export import glm_to_nir

        return glm_to_nir(obj)
    extra: dict[str, Any] = {}
    network = _as_network(obj, n_neurons, i_bias, extra)
    meta: dict[str, Any] = {"format_version": FORMAT_VERSION, "convention": "nir", "kind": network.kind,
                            "n_inputs": network.n_inputs, **_SEMANTICS, **extra}
    if dt is not None:
        method = check_option("method", method, METHODS)
        meta["discretisation"] = discretise(network, dt, method).to_metadata()
    for key, value in network.metadata.items():
        if isinstance(value, (str, int, float, np.ndarray)) and key not in meta:
            meta[f"network_{key}"] = value
    nodes: dict[str, Any] = {}
    edges: list[tuple[str, str]] = []
    pops = network.populations
    names = [_node_name(name, set()) for name, _, _ in pops]
    if len(set(names)) != len(names):
        names = [f"{name}_{i}" for i, name in enumerate(names)]
    for name, (_, a, b) in zip(names, pops):
        nodes[name] = _neuron_node(nir, network, a, b)
    if network.n_inputs:
        nodes["input"] = nir.Input(np.array([network.n_inputs]))
        for name, (_, a, b) in zip(names, pops):
            block = network.input_weights[a:b]
            if np.any(block) or len(pops) == 1:
                nodes[f"w_in_{name}"] = nir.Linear(weight=np.array(block))
                edges += [("input", f"w_in_{name}"), (f"w_in_{name}", name)]
    for pre, (_, pa, pb) in zip(names, pops):
        for post, (_, qa, qb) in zip(names, pops):
            block = network.weights[qa:qb, pa:pb]
            if np.any(block):
                key = "w_rec" if len(pops) == 1 else f"w_{pre}_{post}"
                nodes[key] = nir.Linear(weight=np.array(block))
                edges += [(pre, key), (key, post)]
    outputs = network.metadata.get("outputs", [pops[-1][0]])
    out_names = [n for n, (p, _, _) in zip(names, pops) if p in outputs] or [names[-1]]
    for name in out_names:
        key = "output" if len(out_names) == 1 else f"output_{name}"
        nodes[key] = nir.Output(np.array([nodes[name].v_threshold.size]))
        edges.append((name, key))
    # without inputs, nir's type inference would add an Input node to every source node
    return nir.NIRGraph(nodes=nodes, edges=edges, metadata={META_KEY: meta}, type_check=network.n_inputs > 0)


def write_nir(obj: Any, path: str | os.PathLike, **options: Any) -> None:
    """Write ``obj`` (a ``nir.NIRGraph``, or anything :func:`to_nir` takes) to a NIR (HDF5) file."""
    nir = _nir()
    if not isinstance(path, (str, os.PathLike)):
        fail("path", "a file path", path, kind=ValidationTypeError)
    graph = obj if isinstance(obj, nir.NIRGraph) else to_nir(obj, **options)
    folder = os.path.dirname(os.fspath(path)) or "."
    if not os.path.isdir(folder):
        raise MissingFileError(f"`path` must be in an existing folder; got {os.fspath(path)!r} "
                               f"({folder!r} does not exist).", path)
    nir.write(path, graph)


def _as_network(obj: Any, n_neurons: int, i_bias: float, extra: dict) -> Network:
    if isinstance(obj, Network):
        return obj
    from spikestats.generators.lif import LIF

    if isinstance(obj, LIF):
        n = check_scalar("n_neurons", n_neurons, integer=True, positive=True)
        i_bias = check_scalar("i_bias", i_bias)
        extra.update(source="spikestats.generators.LIF", noise_sigma=float(obj.sigma),
                     generator_threshold="crossing of v_th timed within the step (>=)")
        return Network("lif", tau_mem=obj.tau_m, tau_syn=0.0, r=obj.r_m, v_leak=obj.v_rest, v_threshold=obj.v_th,
                       v_reset=obj.v_reset, i_bias=i_bias, t_ref=obj.t_ref, weights=np.zeros((n, n)),
                       input_weights=np.zeros((n, 0)), populations=(("lif", 0, n),))
    fail("obj", "a spikestats.bridge.Network, a spikestats.generators.LIF or a fitted HistoryGLM/PopulationGLM",
         obj, kind=ValidationTypeError)
    raise AssertionError  # pragma: no cover


def _is_glm(obj: Any) -> bool:
    from spikestats.glm.history import HistoryGLM, PopulationGLM

    return isinstance(obj, (HistoryGLM, PopulationGLM))


def _neuron_node(nir: Any, net: Network, a: int, b: int) -> Any:
    sl = slice(a, b)
    tau_mem, v_th, v_reset = (np.array(getattr(net, k)[sl]) for k in ("tau_mem", "v_threshold", "v_reset"))
    r, v_leak, i_bias, t_ref = (np.array(getattr(net, k)[sl]) for k in ("r", "v_leak", "i_bias", "t_ref"))
    meta = {META_KEY: {"r": r, "v_leak": v_leak, "i_bias": i_bias, "t_ref": t_ref}}
    if net.kind == "cuba_lif":
        tau_syn = np.array(net.tau_syn[sl])
        return nir.CubaLIF(tau_syn=tau_syn, tau_mem=tau_mem, r=r, v_leak=v_leak + r * i_bias, v_threshold=v_th,
                           v_reset=v_reset, w_in=tau_syn.copy(), metadata=meta)
    return nir.LIF(tau=tau_mem, r=tau_mem.copy(), v_leak=v_leak + r * i_bias, v_threshold=v_th, v_reset=v_reset,
                   metadata=meta)


def _node_name(name: str, taken: set) -> str:
    clean = "".join(c if c.isalnum() or c == "_" else "_" for c in name) or "neurons"
    return clean if clean not in {"input", "output", "w_rec"} else f"{clean}_neurons"


# --------------------------------------------------------------------------------------------- import


def from_nir(graph: Any, *, convention: str | None = None, dt: float | None = None) -> Network:
    """A :class:`Network` from a ``nir.NIRGraph`` or a NIR file.

    Parameters
    ----------
    graph : nir.NIRGraph or path
        Written by spikestats or another tool. Nested graphs (snnTorch's
        recurrent layers, Spyx's RNN blocks) are inlined.
    convention : {"nir", "per_step", "snntorch", "norse", "spyx"}, optional
        How weights are read (see the module docstring). Default: what the
        spikestats metadata says, else ``"nir"``.
    dt : float, optional
        Time step (s) for the ``"per_step"`` readings (required for
        ``"per_step"`` and ``"spyx"``).

    Returns
    -------
    Network
        One population per neuron node (in graph order); ``metadata`` holds
        ``source`` (the reading used), ``outputs`` (populations wired to an
        ``Output``) and the stored discretisation record if any.

    Raises
    ------
    ValidationError
        Unsupported node types (with the list of supported ones), mixed
        neuron kinds, inconsistent shapes, cycles through weight nodes only,
        biases into outputs.
    """
    nir = _nir()
    graph = _read_graph(nir, graph)
    meta = _plain(graph.metadata.get(META_KEY, {})) if isinstance(graph.metadata, dict) else {}
    own = bool(meta)
    if meta.get("model") == "exponential_escape_glm":
        fail("graph", "a LIF/CubaLIF network graph", graph, got="a GLM graph (exponential-escape units)",
             fix="Read it with spikestats.bridge.escape_from_nir(graph).")
    if convention is None:
        convention = str(meta.get("convention", "nir"))
    convention = check_option("convention", convention, CONVENTIONS)
    if dt is None and convention in _DEFAULT_DT:
        dt = _DEFAULT_DT[convention]
    if convention in ("per_step", "spyx") and dt is None:
        fail("dt", f"a time step (s) for convention={convention!r}", dt,
             fix="Pass the step the graph was trained with, e.g. dt=1e-3.")
    if dt is not None:
        dt = check_scalar("dt", dt, positive=True)
    nodes, edges = _flatten(nir, graph)
    kinds = {type(n).__name__ for n in nodes.values() if type(n).__name__ in _NEURON_TYPES}
    for name, node in nodes.items():
        kind = _kind(node)
        if kind not in _NEURON_TYPES + _WEIGHT_TYPES + ("Input", "Output"):
            fail("graph", "made of " + ", ".join(_NEURON_TYPES + _WEIGHT_TYPES) + ", Input and Output nodes",
                 graph, got=f"a {kind} node {name!r}",
                 fix="spikestats simulates LIF/CubaLIF networks; convert or remove the other nodes.")
    if not kinds:
        fail("graph", "a graph with at least one LIF or CubaLIF node", graph, got="no neuron nodes")
    if len(kinds) > 1:
        fail("graph", "a graph with one neuron type", graph, got=f"both {' and '.join(sorted(kinds))} nodes",
             fix="Export each neuron type as its own graph.")
    kind = "cuba_lif" if kinds == {"CubaLIF"} else "lif"
    pops = [name for name, n in nodes.items() if type(n).__name__ in _NEURON_TYPES]
    inputs = [name for name, n in nodes.items() if type(n).__name__ == "Input"]
    if own and int(meta.get("n_inputs", 1)) == 0:
        inputs = []  # an Input node nir's type inference added on reading
    if len(inputs) > 1:
        fail("graph", "a graph with at most one Input node", graph, got=f"inputs {inputs}")
    sizes = {p: int(np.asarray(_neuron_param(nodes[p], "v_threshold")).size) for p in pops}
    starts = np.cumsum([0] + [sizes[p] for p in pops])
    offset = dict(zip(pops, starts[:-1]))
    n = int(starts[-1])
    n_in = _input_size(nodes[inputs[0]]) if inputs else 0
    params = {k: np.zeros(n) for k in ("tau_mem", "tau_syn", "r", "v_leak", "v_threshold", "v_reset", "i_bias",
                                      "t_ref")}
    weights, w_in = np.zeros((n, n)), np.zeros((n, n_in))
    incoming = _incoming(nodes, edges, convention)
    for p in pops:
        sl = slice(offset[p], offset[p] + sizes[p])
        node = nodes[p]
        values = _neuron_values(node, sizes[p], p, own)
        for k, v in values.items():
            params[k][sl] = v
        spike_factor, bias_factor, r_eff = _scaling(convention, type(node).__name__, node, values, dt)
        if r_eff is not None:
            params["r"][sl] = r_eff
        for src, (matrix, bias) in incoming[p].items():
            if matrix.shape[0] != sizes[p]:
                fail("graph", "edges whose shapes match the nodes they join", graph,
                     got=f"{matrix.shape[0]} values arriving at {p!r} of {sizes[p]} neurons")
            if src in offset:
                if matrix.shape[1] != sizes[src]:
                    fail("graph", "edges whose shapes match the nodes they join", graph,
                         got=f"a weight of {matrix.shape[1]} columns from {src!r} of {sizes[src]} neurons")
                weights[sl, offset[src]:offset[src] + sizes[src]] += spike_factor[:, None] * matrix
            elif src in inputs:
                if matrix.shape[1] != n_in:
                    fail("graph", "edges whose shapes match the nodes they join", graph,
                         got=f"a weight of {matrix.shape[1]} columns from input {src!r} of size {n_in}")
                w_in[sl] += spike_factor[:, None] * matrix
            if bias is not None:
                params["i_bias"][sl] += bias_factor * bias
    outputs = [p for p in pops if any(dst in nodes and type(nodes[dst]).__name__ == "Output"
                                      for dst in _successors(p, nodes, edges))]
    network_meta: dict[str, Any] = {"source": "spikestats" if own else "nir", "convention": convention,
                                    "outputs": outputs or [pops[-1]]}
    if dt is not None:
        network_meta["dt"] = dt
    if "discretisation" in meta:
        network_meta["discretisation"] = meta["discretisation"]
    try:
        return Network(kind, weights=weights, input_weights=w_in, populations=tuple(
            (p, int(offset[p]), int(offset[p] + sizes[p])) for p in pops), metadata=network_meta, **params)
    except (ValueError, TypeError) as exc:
        raise type(exc)(f"The NIR graph does not describe a valid network: {exc}") from None


def _read_graph(nir: Any, graph: Any) -> Any:
    if isinstance(graph, (str, os.PathLike)):
        if not os.path.exists(graph):
            raise MissingFileError(f"`graph` must be an existing NIR file; got {os.fspath(graph)!r}.", graph)
        try:
            return nir.read(graph, type_check=False)  # shapes are checked here, with clearer messages
        except Exception as exc:
            raise FileFormatError(f"`graph` must be a readable NIR file; reading {os.fspath(graph)!r} failed "
                                  f"({type(exc).__name__}: {exc}).") from None
    if not isinstance(graph, nir.NIRGraph):
        fail("graph", "a nir.NIRGraph or a path to a NIR file", graph, kind=ValidationTypeError)
    return graph


def _plain(value: Any) -> Any:
    """Metadata as read back from HDF5: bytes -> str, 0-d arrays -> scalars, nested dicts kept."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, bytes):
        return value.decode()
    if isinstance(value, np.ndarray) and value.ndim == 0:
        return value.item()
    if isinstance(value, np.generic):
        return value.item()
    return value


def _flatten(nir: Any, graph: Any, prefix: str = "") -> tuple[dict, list]:
    """Inline nested graphs: a subgraph's Input/Output nodes become identity pass-throughs."""
    nodes: dict[str, Any] = {}
    edges: list[tuple[str, str]] = []
    entry: dict[str, str] = {}
    exit_: dict[str, str] = {}
    for name, node in graph.nodes.items():
        full = prefix + name
        if isinstance(node, nir.NIRGraph):
            sub_nodes, sub_edges = _flatten(nir, node, full + ".")
            ins = [k for k, v in node.nodes.items() if isinstance(v, nir.Input)]
            outs = [k for k, v in node.nodes.items() if isinstance(v, nir.Output)]
            if len(ins) != 1 or len(outs) != 1:
                fail("graph", "nested graphs with one Input and one Output node", graph,
                     got=f"subgraph {full!r} with inputs {ins} and outputs {outs}")
            for k in (ins[0], outs[0]):
                sub_nodes[f"{full}.{k}"] = _Identity(sub_nodes[f"{full}.{k}"])
            entry[full], exit_[full] = f"{full}.{ins[0]}", f"{full}.{outs[0]}"
            nodes.update(sub_nodes)
            edges += sub_edges
        else:
            nodes[full] = node
    for a, b in graph.edges:
        a, b = prefix + str(a), prefix + str(b)
        for end in (a, b):
            if end not in nodes and end not in entry:
                fail("graph", "edges between existing nodes", graph, got=f"an edge to or from unknown node {end!r}")
        edges.append((exit_.get(a, a), entry.get(b, b)))
    return nodes, edges


class _Identity:
    """A pass-through (the Input/Output of an inlined subgraph)."""

    def __init__(self, node: Any) -> None:
        shape = (node.input_type if hasattr(node, "input_type") else {}).get("input")
        self.size = None if shape is None else int(np.prod(np.asarray(shape).reshape(-1)))


def _kind(node: Any) -> str:
    return "Identity" if isinstance(node, _Identity) else type(node).__name__


def _input_size(node: Any) -> int:
    shape = np.asarray(node.input_type["input"]).reshape(-1)
    return int(np.prod(shape)) if shape.size else 1


def _successors(name: str, nodes: dict, edges: list) -> list[str]:
    """Nodes reached from ``name`` through weight nodes only (the first non-weight node on each path)."""
    out, stack, seen = [], [b for a, b in edges if a == name], set()
    while stack:
        cur = stack.pop()
        if cur in seen:
            continue
        seen.add(cur)
        if _kind(nodes[cur]) in _WEIGHT_TYPES and _kind(nodes[cur]) != "Output":
            stack += [b for a, b in edges if a == cur]
        else:
            out.append(cur)
    return out


def _weight_map(node: Any, name: str) -> tuple[np.ndarray | None, np.ndarray | None, int | None]:
    """(matrix or None for identity, bias or None, size for identity/scale)."""
    kind = _kind(node)
    if kind in ("Affine", "Linear"):
        w = np.asarray(node.weight, dtype=float)
        if w.ndim != 2:
            fail("graph", "2-d Linear/Affine weights", w, got=f"node {name!r} with weights of shape {w.shape}")
        bias = np.asarray(node.bias, dtype=float).reshape(-1) if kind == "Affine" else None
        if bias is not None and bias.size != w.shape[0]:
            fail("graph", "Affine biases with one value per output", bias,
                 got=f"node {name!r}: bias of {bias.size} for {w.shape[0]} outputs")
        return w, bias, None
    if kind == "Scale":
        s = np.asarray(node.scale, dtype=float).reshape(-1)
        return np.diag(s), None, None
    return None, None, getattr(node, "size", None)


def _incoming(nodes: dict, edges: list, convention: str) -> dict[str, dict[str, tuple]]:
    """For each neuron node, the composed (matrix, bias) from each source (neuron or Input) through weight nodes."""
    preds: dict[str, list[str]] = {k: [] for k in nodes}
    for a, b in edges:
        preds[b].append(a)
    transpose = convention == "spyx"

    def paths(name: str, stack: tuple) -> dict[str, tuple]:
        """Composed maps into the *input* of ``name`` from each source."""
        total: dict[str, tuple] = {}
        for pre in preds[name]:
            kind = _kind(nodes[pre])
            if kind in _NEURON_TYPES or kind == "Input":
                _add(total, pre, None, None)
                continue
            if kind == "Output":
                fail("graph", "Output nodes without outgoing edges", pre, got=f"an edge out of {pre!r}")
            if pre in stack:
                fail("graph", "free of cycles that pass through weight nodes only (every loop needs a neuron)",
                     pre, got=f"a loop through {' -> '.join(stack + (pre,))}")
            w, bias, _ = _weight_map(nodes[pre], pre)
            if w is not None and transpose and _kind(nodes[pre]) in ("Affine", "Linear"):
                w = w.T
            for src, (m, b) in paths(pre, stack + (pre,)).items():
                mm = m if w is None else (w if m is None else _compose(w, m, pre))
                bb = b if w is None else (None if b is None else w @ b)
                if bias is not None:
                    bb = bias if bb is None else bb + bias
                _add(total, src, mm, bb)
        return total

    out = {}
    for name, node in nodes.items():
        if _kind(node) in _NEURON_TYPES:
            out[name] = {}
            size = np.asarray(_neuron_param(node, "v_threshold")).size
            for src, (m, b) in paths(name, (name,)).items():
                if m is None:
                    m = np.eye(size) if src != name else np.eye(size)
                out[name][src] = (m, b)
    return out


def _compose(w: np.ndarray, m: np.ndarray, name: str) -> np.ndarray:
    if w.shape[1] != m.shape[0]:
        fail("graph", "edges whose shapes match the nodes they join", w,
             got=f"node {name!r} expects {w.shape[1]} inputs but receives {m.shape[0]}")
    return w @ m


def _add(total: dict, src: str, m: Any, b: Any) -> None:
    if src not in total:
        total[src] = (m, b)
        return
    m0, b0 = total[src]
    if m0 is None or m is None:
        fail("graph", "one path between a source and a node through identity edges", src,
             got=f"several identity paths from {src!r}")
    if m0.shape != m.shape:
        fail("graph", "edges whose shapes match the nodes they join", m,
             got=f"parallel paths from {src!r} of shapes {m0.shape} and {m.shape}")
    total[src] = (m0 + m, b0 if b is None else (b if b0 is None else b0 + b))


def _neuron_param(node: Any, name: str) -> Any:
    return getattr(node, name)


def _neuron_values(node: Any, size: int, name: str, own: bool) -> dict[str, np.ndarray]:
    kind = type(node).__name__
    raw = {"tau_mem": node.tau_mem if kind == "CubaLIF" else node.tau,
           "tau_syn": node.tau_syn if kind == "CubaLIF" else np.zeros(size),
           "r": node.r, "v_leak": node.v_leak, "v_threshold": node.v_threshold,
           "v_reset": node.v_reset if node.v_reset is not None else np.zeros(size),
           "i_bias": np.zeros(size), "t_ref": np.zeros(size)}
    extra = _plain(node.metadata.get(META_KEY, {})) if own and isinstance(node.metadata, dict) else {}
    raw.update({k: extra[k] for k in ("r", "v_leak", "i_bias", "t_ref") if k in extra})
    out = {}
    for key, value in raw.items():
        arr = np.asarray(value, dtype=float).reshape(-1)
        if arr.size == 1 and size != 1:
            arr = np.full(size, arr[0])
        if arr.size != size:
            fail("graph", "neuron nodes whose parameters all have one value per neuron", arr,
                 got=f"node {name!r}: {key} has {arr.size} values for {size} neurons")
        out[key] = arr
    return out


def _scaling(convention: str, kind: str, node: Any, values: dict, dt: float | None) -> tuple:
    """(jump per unit weight, bias current per unit bias, resistance override) for one neuron node."""
    size = values["tau_mem"].size
    w_in = np.asarray(node.w_in, dtype=float).reshape(-1) * np.ones(size) if kind == "CubaLIF" else np.ones(size)
    r_eff = None
    if kind == "CubaLIF":
        tau = values["tau_syn"]
        if convention == "nir":
            spike = w_in / tau
        elif convention == "norse":
            spike = w_in.copy()
            return spike, w_in * tau / dt, None
        else:
            spike = w_in * dt / tau
            if convention == "spyx":
                r_eff = values["tau_mem"] / dt
        return spike, w_in, r_eff
    tau = np.asarray(node.tau, dtype=float).reshape(-1) * np.ones(size)
    r = np.asarray(node.r, dtype=float).reshape(-1) * np.ones(size)  # the node's own r, not the true one
    if convention == "spyx":
        return dt / tau, np.ones(size), None
    spike = r / tau if convention == "nir" else r * dt / tau
    return spike, np.ones(size), None
