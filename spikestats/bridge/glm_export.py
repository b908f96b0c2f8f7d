"""Fitted history / coupled GLMs as NIR graphs: each exponential basis function a synaptic current.

A log-link GLM with an :class:`~spikestats.glm.bases.ExponentialBasis` history
(and coupling) basis is a network of exponential-escape neurons::

    eta_i(t) = b_i + sum_j sum_k w[i, j, k] h_jk(t),   tau_k dh_jk/dt = -h_jk + tau_k S_j(t)

(``h_jk`` jumps by 1 at each spike of unit ``j``); unit ``i`` spikes in a step
of length ``dt`` with probability ``1 - exp(-exp(eta_i) dt)``. The graph is::

    input (n) -> units (Threshold, n) -> fan (Linear, n K x n) -> basis (LI, n K) -> filters (Affine, n x n K)
                 units <- filters;  units -> output

``basis`` holds ``h_jk`` (NIR ``LI`` with ``tau = r = tau_k``: a Dirac spike
moves it by ``r / tau = 1``), ``filters`` holds ``w`` with the intercepts as
its bias, and the history is the self-connection (the diagonal blocks);
``input`` is an additive drive of ``eta`` (zero for the fitted model, and
the entry point NIR's type inference needs). NIR
has no stochastic neuron: the ``Threshold`` node (``eta > log(1 / dt)``, an
intensity above one spike per step) is a deterministic stand-in for other
tools; the escape rule, link, family and ``dt`` are in the ``"spikestats"``
metadata, which :func:`escape_from_nir` reads back.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from spikestats._validation import fail
from spikestats.exceptions import ValidationTypeError

GLM_MODEL = "exponential_escape_glm"


def glm_parameters(model: Any) -> dict[str, Any]:
    """``bias (n,)``, ``taus (K,)``, ``weights[post, pre, k] (n, n, K)``, ``dt`` and ``units`` of a fitted GLM.

    Parameters
    ----------
    model : HistoryGLM or PopulationGLM
        Fitted, log link, with an ExponentialBasis history (and the same
        basis for coupling: ``coupling=True``); no stimulus.
    """
    from spikestats.glm.bases import ExponentialBasis
    from spikestats.glm.history import HistoryGLM, PopulationGLM

    if isinstance(model, PopulationGLM):
        if not hasattr(model, "models_"):
            fail("model", "a fitted PopulationGLM", model, got="an unfitted one", fix="Call fit(st) first.")
        units = list(model.units_)
        models = [model.models_[u] for u in units]
    elif isinstance(model, HistoryGLM):
        if not hasattr(model, "coef_"):
            fail("model", "a fitted HistoryGLM", model, got="an unfitted one", fix="Call fit(st) first.")
        if model.coupling_ is not False:
            fail("model", "a HistoryGLM without coupling (a coupled population exports as a PopulationGLM)",
                 model, got=f"coupling={model.coupling_!r}", fix="Fit ss.glm.PopulationGLM on all units.")
        units = [model.unit_]
        models = [model]
    else:
        fail("model", "a fitted spikestats.glm.HistoryGLM or PopulationGLM", model, kind=ValidationTypeError)
        raise AssertionError  # pragma: no cover
    taus = None
    n = len(units)
    bias = np.array([float(m.intercept_) for m in models])
    weights = None
    for i, m in enumerate(models):
        if m.link != "log":
            fail("model", "a log-link GLM (exponential escape)", m.link, got=f"link={m.link!r} for unit {units[i]!r}")
        for group, cols in m.groups_.items():
            basis = m.bases_[group]
            if group == "history":
                j = i
            elif group.startswith("coupling["):
                j = next(k for k, u in enumerate(units) if f"coupling[{u}]" == group)
            else:
                fail("model", "a GLM of spike history and coupling only", group,
                     got=f"a {group!r} filter", fix="Stimulus filters have no NIR form; fit without a stimulus.")
            if not isinstance(basis, ExponentialBasis):
                fail("model", "filters in an ExponentialBasis (one synaptic current per basis function)",
                     type(basis).__name__, got=f"{group} in a {type(basis).__name__}",
                     fix="Refit with history=ss.glm.ExponentialBasis(taus=...).")
            if taus is None:
                taus = np.asarray(basis.taus, dtype=float)
                weights = np.zeros((n, n, taus.size))
            elif not np.array_equal(np.asarray(basis.taus, dtype=float), taus):
                fail("model", "the same ExponentialBasis for every filter", basis.taus,
                     got=f"taus {basis.taus} for {group} and {tuple(taus)} elsewhere")
            weights[i, j] = np.asarray(m.coef_, dtype=float)[cols]
    if taus is None:
        fail("model", "a GLM with a history or coupling filter", model)
    return {"bias": bias, "taus": taus, "weights": weights, "dt": float(models[0].bin_size_), "units": units,
            "family": str(models[0].family)}


def glm_to_nir(model: Any) -> Any:
    """A ``nir.NIRGraph`` of a fitted history / coupled GLM (see the module docstring for the layout)."""
    return glm_graph(glm_parameters(model))


def glm_graph(p: dict[str, Any]) -> Any:
    """A ``nir.NIRGraph`` from GLM parameters as :func:`glm_parameters` returns them.

    Parameters
    ----------
    p : dict
        ``bias`` (n,) intercepts, ``taus`` (K,) basis time constants (s),
        ``weights`` (n, n, K) filter coefficients ``[post, pre, k]``, ``dt``
        the bin size (s), ``units`` (n labels) and ``family``.
    """
    from spikestats.bridge.nir_export import META_KEY, _nir

    nir = _nir()
    n, k = p["bias"].size, p["taus"].size
    fan = np.kron(np.eye(n), np.ones((k, 1)))
    filters = p["weights"].reshape(n, n * k)
    taus = np.tile(p["taus"], n)
    meta = {"format_version": 1, "model": GLM_MODEL, "link": "log", "family": p["family"], "dt": p["dt"],
            "escape": "p(spike in a step of dt) = 1 - exp(-exp(eta) dt); eta = filters(basis) + bias",
            "threshold": "deterministic stand-in for other tools: spike when eta > log(1 / dt)",
            "basis": "h_jk jumps by 1 at each spike of unit j and decays with tau_k (not truncated)",
            "unit_labels": ",".join(str(u) for u in p["units"]), "n_basis": k}
    nodes = {"units": nir.Threshold(threshold=np.full(n, np.log(1.0 / p["dt"]))),
             "fan": nir.Linear(weight=fan), "basis": nir.LI(tau=taus, r=taus.copy(), v_leak=np.zeros(n * k)),
             "filters": nir.Affine(weight=filters, bias=p["bias"].copy()), "output": nir.Output(np.array([n]))}
    nodes["input"] = nir.Input(np.array([n]))
    edges = [("input", "units"), ("units", "fan"), ("fan", "basis"), ("basis", "filters"), ("filters", "units"),
             ("units", "output")]
    return nir.NIRGraph(nodes=nodes, edges=edges, metadata={META_KEY: meta})


def escape_from_nir(graph: Any) -> Any:
    """The :class:`~spikestats.bridge.escape.EscapeNeuronReference` of a GLM graph written by :func:`glm_to_nir`."""
    from spikestats.bridge.escape import EscapeNeuronReference
    from spikestats.bridge.nir_export import META_KEY, _nir, _plain, _read_graph

    graph = _read_graph(_nir(), graph)
    meta = _plain(graph.metadata.get(META_KEY, {})) if isinstance(graph.metadata, dict) else {}
    if meta.get("model") != GLM_MODEL:
        fail("graph", "a GLM graph written by spikestats (metadata model = 'exponential_escape_glm')", graph,
             got=f"metadata model {meta.get('model')!r}")
    k = int(meta["n_basis"])
    filters = np.asarray(graph.nodes["filters"].weight, dtype=float)
    n = filters.shape[0]
    taus = np.asarray(graph.nodes["basis"].tau, dtype=float)[:k]
    return EscapeNeuronReference(bias=np.asarray(graph.nodes["filters"].bias, dtype=float), taus=taus,
                                 weights=filters.reshape(n, n, k), dt=float(meta["dt"]))
