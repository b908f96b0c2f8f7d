"""Exponential-escape neurons for GLM exports: a history GLM run as stochastic neurons with exponential synapses.

A point-process GLM with an :class:`~spikestats.glm.bases.ExponentialBasis`
maps onto neurons with exponentially decaying synaptic currents, one per
basis function: neuron ``i`` keeps a trace ``x[k, j]`` of the spikes of
every neuron ``j`` through basis ``k`` (time constant ``tau_k``); in step
``n``

    eta_i = bias_i + log(dt) + sum_{j,k} weights[i, j, k] x[k, j]
    P(spike in step n) = 1 - exp(-exp(eta_i))            (exponential escape)
    x[k, j] <- exp(-dt / tau_k) (x[k, j] + spike_j)       (after the draw)

so ``exp(bias + ...)`` is a rate in Hz (``bias`` is the GLM intercept), the
history filter is the self-connection ``weights[i, i, :]`` (the GLM's
history coefficients) and coupling filters are the off-diagonal entries.
This is exactly the GLM's conditional intensity with the Bernoulli
(complementary log-log) family, and the Poisson family's probability of at
least one spike per bin; the only model difference is that the traces are
not truncated at the basis's ``t_max`` (an exponential synapse cannot forget
a spike; the GLM drops lags beyond ``t_max``, by default ``5 max(tau)``).

``fixed_point=True`` runs what a SpiNNaker core would: s16.15 weights, bias
and traces, u0.32 decay factors from ``expulr`` (as sPyNNaker's exponential
synapses), products rounded to nearest, and the spike probability in u0.32
from spinn_common's ``expulr``/``expk`` with a 7-term series for small
rates (see :func:`spikestats._kernels.bridge_spinnaker.escape_probability_u032`),
compared with a 32-bit uniform. ``fixed_point=False`` is its float64 twin on
the *same* uniforms, so the two differ only where a uniform falls between
the two probabilities. This neuron is a reference model designed here, not
one of sPyNNaker's (its ``IF_curr_exp``-like ``StocExp`` model has
instantaneous synapses and another escape function).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from spikestats._validation import as_float_array, check_bool, check_rng, check_scalar, fail
from spikestats.bridge.fixed_point import pynn_value, to_s1615
from spikestats.bridge.spinnaker import check_record
from spikestats.core.spiketrains import SpikeTrains
from spikestats.exceptions import DataWarning, ValidationTypeError

RECORDABLES = ("eta", "p")
"""States :meth:`EscapeNeuronReference.run` can record."""


@dataclass(frozen=True, eq=False)
class EscapeRun:
    """Output of :meth:`EscapeNeuronReference.run`.

    Attributes
    ----------
    spikes : SpikeTrains
        One train per neuron; a spike in step ``k`` is at the step's centre
        ``(k + 1/2) dt`` (the GLMs' convention for bins).
    dt : float
    fixed_point : bool
    eta : ndarray, shape (n_steps, n_neurons), or None
        ``log(expected spikes per step)`` in each step, before the draw.
    p : ndarray, shape (n_steps, n_neurons), or None
        Spike probability of each step.
    n_saturations : int
        s16.15 sums that left the range (saturated, with a warning).
    """

    spikes: SpikeTrains
    dt: float
    fixed_point: bool
    eta: np.ndarray | None = None
    p: np.ndarray | None = None
    n_saturations: int = 0

    def __repr__(self) -> str:
        return (f"EscapeRun(n_neurons={len(self.spikes)}, n_spikes={self.spikes.n_spikes}, dt={self.dt:g} s, "
                f"fixed_point={self.fixed_point}, saturations={self.n_saturations})")


class EscapeNeuronReference:
    """Exponential-escape (GLM) neurons with exponential-basis synapses, in s16.15 or float64.

    Parameters
    ----------
    bias : array_like, shape (n_neurons,)
        Log of the rate with no input, in log-Hz (a GLM's ``intercept_``).
    taus : array_like, shape (n_basis,)
        Time constants (s) of the basis functions ``exp(-t / tau_k)``.
    weights : array_like, shape (n_neurons, n_neurons, n_basis)
        ``weights[post, pre, k]``: coefficient of basis ``k`` of ``pre``'s
        spikes in ``post``'s log-intensity (the diagonal is the history
        filter). A 1-d array of length ``n_basis`` is taken as the history
        weights of a single neuron.
    dt : float, default 1e-3
        Time step (s), the GLM's ``bin_size``.

    Raises
    ------
    ValidationError
        Inconsistent shapes, non-positive time constants, or (when run in
        fixed point) a bias, weight or ``log(dt)`` term outside s16.15.

    Examples
    --------
    >>> ref = EscapeNeuronReference.from_glm(fitted_history_glm)     # doctest: +SKIP
    >>> out = ref.run(n_steps=60_000, rng=0)                          # doctest: +SKIP
    >>> ss.glm.time_rescaling_test(out.spikes, fitted_history_glm)    # doctest: +SKIP
    """

    def __init__(self, bias: Any, taus: Any, weights: Any, dt: float = 1e-3) -> None:
        self.dt = check_scalar("dt", dt, positive=True)
        self.bias = np.atleast_1d(as_float_array("bias", bias))
        if self.bias.ndim != 1 or self.bias.size == 0:
            fail("bias", "a 1-d array with one log-rate per neuron", bias, got=f"shape {self.bias.shape}")
        self.taus = np.atleast_1d(as_float_array("taus", taus))
        if self.taus.ndim != 1 or self.taus.size == 0 or np.any(self.taus <= 0):
            fail("taus", "a non-empty 1-d array of time constants > 0 (s)", taus)
        n, k = self.bias.size, self.taus.size
        w = as_float_array("weights", weights)
        if w.ndim == 1 and n == 1:
            w = w.reshape(1, 1, -1)
        if w.shape != (n, n, k):
            fail("weights", f"an array of shape (n_neurons, n_neurons, n_basis) = ({n}, {n}, {k}) "
                 "[post, pre, basis]", weights, got=f"shape {w.shape}")
        self.weights = np.ascontiguousarray(w)

    @classmethod
    def from_glm(cls, model: Any) -> EscapeNeuronReference:
        """The escape neuron of a fitted history GLM whose history basis is an ExponentialBasis.

        ``bias = intercept_``, ``taus = history.taus``, ``weights[0, 0] =``
        the history coefficients, ``dt = bin_size_``. Log link only (Poisson
        or Bernoulli family); a coupled model needs a population export.
        """
        from spikestats.glm.bases import ExponentialBasis

        if not hasattr(model, "intercept_") or not hasattr(model, "groups_"):
            fail("model", "a fitted spikestats.glm.HistoryGLM", model, kind=ValidationTypeError)
        if not isinstance(getattr(model, "history", None), ExponentialBasis):
            fail("model", "a HistoryGLM whose history basis is an ExponentialBasis (one synaptic current per basis "
                 "function)", type(getattr(model, "history", None)).__name__,
                 got=f"history={type(getattr(model, 'history', None)).__name__}",
                 fix="Refit with history=ss.glm.ExponentialBasis(taus=...).")
        if getattr(model, "link", "log") != "log":
            fail("model", "a log-link GLM (exponential escape)", model.link, got=f"link={model.link!r}")
        if getattr(model, "coupling_", False) is not False or set(model.groups_) - {"history"}:
            fail("model", "a GLM with a history filter only", sorted(model.groups_),
                 got=f"design groups {sorted(model.groups_)}")
        coef = np.asarray(model.coef_, dtype=float)[model.groups_["history"]]
        return cls(bias=[model.intercept_], taus=model.history.taus, weights=coef.reshape(1, 1, -1),
                   dt=model.bin_size_)

    def __repr__(self) -> str:
        return (f"EscapeNeuronReference(n_neurons={self.bias.size}, taus={np.round(self.taus, 6).tolist()} s, "
                f"dt={self.dt:g} s)")

    def fixed_point_words(self) -> dict[str, np.ndarray]:
        """The s16.15 patterns of ``bias + log(dt)`` and the weights, and the u0.32 trace decays.

        The decay is ``expulr(-kdivk(dt_ms, tau_ms))`` as sPyNNaker's
        exponential synapses compute it on the board.
        """
        from spikestats._kernels.bridge_spinnaker import expulr, kdivk

        shifted = self.bias + math.log(self.dt)
        labels = [f"neuron {i}" for i in range(self.bias.size)]
        bias_bits = to_s1615("bias + log(dt)", shifted, labels=labels)
        w_bits = to_s1615("weights", self.weights)
        dt_bits = to_s1615("dt", pynn_value(self.dt, 1e3), unit="ms")
        tau_bits = to_s1615("taus", np.array([pynn_value(t, 1e3) for t in self.taus]), unit="ms")
        if int(dt_bits) <= 0 or np.any(tau_bits <= 0):
            fail("taus", "time constants and dt of at least 2**-15 ms", self.taus)
        decay = np.array([expulr(-kdivk(int(dt_bits), int(t))) for t in tau_bits], dtype=np.int64)
        return {"bias": bias_bits, "weights": np.ascontiguousarray(w_bits), "trace_decay": decay}

    def run(self, n_steps: int, *, rng: Any = None, fixed_point: bool = True, record: Any = ()) -> EscapeRun:
        """Simulate ``n_steps`` steps.

        Parameters
        ----------
        n_steps : int
        rng : int, Generator or anything ``np.random.default_rng`` accepts
            One 64-bit key is drawn from it; neuron ``i`` uses xoshiro256**
            stream ``i`` of that key (same result for any thread count, JIT
            on or off, and for ``fixed_point`` True or False).
        fixed_point : bool, default True
            s16.15 (a SpiNNaker core) or float64.
        record : tuple of str
            ``"eta"`` and/or ``"p"``.

        Returns
        -------
        EscapeRun
        """
        import warnings

        from spikestats._kernels.bridge_spinnaker import escape_run

        n_steps = check_scalar("n_steps", n_steps, integer=True, positive=True)
        fixed_point = check_bool("fixed_point", fixed_point)
        record = check_record(record, RECORDABLES)
        key = np.uint64(check_rng(rng).integers(0, 2**63 - 1))
        n = self.bias.size
        rows = n_steps if record else 0
        if fixed_point:
            words = self.fixed_point_words()
            quantised = (words["bias"], words["trace_decay"], words["weights"])
            floats = (np.zeros(0), np.zeros(0), np.zeros((0, 0, 0)))
        else:
            quantised = (np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros((0, 0, 0), np.int64))
            floats = (self.bias + math.log(self.dt), np.exp(-self.dt / self.taus), self.weights)
        eta_q = np.zeros((rows if fixed_point else 0, n), np.int64)
        p_q = np.zeros_like(eta_q)
        eta_f = np.zeros((0 if fixed_point else rows, n))
        p_f = np.zeros_like(eta_f)
        expected = float(np.sum(np.exp(np.minimum(self.bias, 20.0)))) * n_steps * self.dt
        cap = int(max(1024, 2 * expected))
        while True:
            spike_step = np.empty(cap, np.int64)
            spike_neuron = np.empty(cap, np.int64)
            n_spk, n_sat = escape_run(key, n_steps, fixed_point, *quantised, *floats, spike_step, spike_neuron,
                                      bool(record), eta_q, p_q, eta_f, p_f)
            if n_spk <= cap:
                break
            cap = int(n_spk)
        if n_sat:
            warnings.warn(f"{n_sat} s16.15 sum(s) left the range [-65536, 65536) and were saturated (the board's "
                          "plain accum arithmetic would wrap them).", DataWarning, stacklevel=2)
        steps, neurons = spike_step[:n_spk], spike_neuron[:n_spk]
        spikes = SpikeTrains.from_flat((steps + 0.5) * self.dt, neurons, 0.0, n_steps * self.dt, n_trains=n,
                                       unit=np.arange(n), sort=False,
                                       metadata={"backend": "spinnaker-escape" if fixed_point else "float-escape",
                                                 "dt": self.dt})
        out: dict[str, Any] = {}
        if "eta" in record:
            out["eta"] = eta_q / 32768.0 if fixed_point else eta_f
        if "p" in record:
            out["p"] = p_q / 4294967296.0 if fixed_point else p_f
        return EscapeRun(spikes=spikes, dt=self.dt, fixed_point=fixed_point, n_saturations=int(n_sat), **out)
