"""Leaky integrate-and-fire neurons: current-based (exact for piecewise-constant input) and with
exponential excitatory/inhibitory conductances driven by input spike trains."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from spikestats._kernels.lif import LIF_PARAMS
from spikestats._kernels.lif_cond import LIF_COND_PARAMS, simulate_lif_cond, simulate_lif_cond_parallel
from spikestats._kernels.neurons import LIF as _CODE
from spikestats._kernels.poisson import compact
from spikestats._validation import as_float_array, check_rng, fail
from spikestats.core.spiketrains import SpikeTrains
from spikestats.exceptions import ValidationTypeError
from spikestats.generators._neuron import _DIRECT_SLOTS, _PARALLEL_MIN_WORK, _PILOT_NEURONS, as_current, check_record, \
    check_params, check_run, simulate_model
from spikestats.typing import RNGLike


@dataclass(frozen=True)
class LIF:
    """Current-based leaky integrate-and-fire neuron with an absolute refractory period.

    ``tau_m dV/dt = -(V - v_rest) + r_m I(t) + noise``; when ``V`` reaches
    ``v_th`` a spike is emitted, ``V`` is reset to ``v_reset`` and held there
    for ``t_ref``.

    Parameters
    ----------
    tau_m : float, default 20 ms
        Membrane time constant (s), > 0.
    v_rest, v_th, v_reset : float
        Resting, threshold and reset potentials (V); ``v_reset < v_th``.
    r_m : float, default 100 MOhm
        Membrane resistance (Ohm), > 0: a current ``I`` moves the steady
        state to ``v_rest + r_m I``.
    t_ref : float, default 2 ms
        Absolute refractory period (s), >= 0.
    sigma : float, default 0
        White-noise amplitude (V), >= 0: the standard deviation the free
        membrane potential would have around ``v_rest + r_m I``. The noise
        enters as ``sigma * sqrt(2 / tau_m) dW``; Brian2 writes the same model
        as ``dv/dt = (v_inf - v) / tau_m + sigma * sqrt(2 / tau_m) * xi``.
    e_ex, e_in : float, default 0 V and -80 mV
        Reversal potentials (V) of the excitatory and inhibitory synaptic
        conductances (used only when ``simulate`` is given ``inputs``).
    tau_syn_ex, tau_syn_in : float, default 5 ms and 10 ms
        Decay time constants (s), > 0, of the exponential excitatory and
        inhibitory conductances (defaults of the COBA benchmark of Brette et
        al. 2007, J Comput Neurosci 23:349; NEST's ``iaf_cond_exp`` defaults
        to 0.2 ms and 2 ms).

    Notes
    -----
    Integration is exact for input held constant over each step: ``V`` moves
    to ``V_inf + (V - V_inf) exp(-h / tau_m)`` over a piece of length ``h``
    (plus ``sigma sqrt(1 - exp(-2 h / tau_m)) Z`` with noise, the exact
    Ornstein-Uhlenbeck transition, which the Euler-Maruyama scheme only
    approximates). Without noise the threshold crossing is timed exactly, so
    the rate for a constant current ``I`` above rheobase ``(v_th - v_rest) /
    r_m`` is, to rounding, ``1 / (t_ref + tau_m ln((r_m I - (v_reset -
    v_rest)) / (r_m I - (v_th - v_rest))))``, and spike times are not tied to
    the grid (as NEST's precise ``iaf_psc_delta_ps``). With noise the crossing
    is placed by linear interpolation within the step. The refractory period
    starts at the spike time and may end inside a step.

    With synaptic ``inputs`` (see :meth:`simulate`) the model is NEST's
    ``iaf_cond_exp`` with ``C_m = tau_m / r_m``, ``g_L = 1 / r_m``:
    ``C_m dV/dt = -g_L (V - v_rest) - g_ex (V - e_ex) - g_in (V - e_in) + I``,
    ``dg/dt = -g / tau_syn`` plus a jump of the synaptic weight at each input
    spike. The conductances decay exactly; over each step the membrane moves
    exactly as if each conductance were held at its exact mean over the step
    (an exponential-Euler step, second-order accurate in ``dt``), with the
    crossing timed within the step as above.
    """

    tau_m: float = 20e-3
    v_rest: float = -70e-3
    v_th: float = -50e-3
    v_reset: float = -70e-3
    r_m: float = 100e6
    t_ref: float = 2e-3
    sigma: float = 0.0
    e_ex: float = 0.0
    e_in: float = -80e-3
    tau_syn_ex: float = 5e-3
    tau_syn_in: float = 10e-3

    def __post_init__(self) -> None:
        check_params(self, positive=("tau_m", "r_m", "tau_syn_ex", "tau_syn_in"), nonnegative=("t_ref", "sigma"),
                     real=("v_rest", "v_th", "v_reset", "e_ex", "e_in"))
        if not self.v_reset < self.v_th:
            fail("v_reset", f"< v_th = {self.v_th:g} V", self.v_reset)

    @property
    def rheobase(self) -> float:
        """Smallest constant current (A) that makes the noise-free neuron fire: ``(v_th - v_rest) / r_m``."""
        return (self.v_th - self.v_rest) / self.r_m

    def rate(self, current: Any) -> np.ndarray | float:
        """Noise-free firing rate (Hz) for a constant ``current`` (A, scalar or array); 0 at or below rheobase."""
        i = np.asarray(current, dtype=np.float64)
        drive = self.r_m * i
        above = drive > self.v_th - self.v_rest
        with np.errstate(divide="ignore", invalid="ignore"):
            isi = self.t_ref + self.tau_m * np.log((drive - (self.v_reset - self.v_rest))
                                                   / (drive - (self.v_th - self.v_rest)))
            out = np.where(above, 1.0 / isi, 0.0)
        return float(out) if out.ndim == 0 else out

    def simulate(self, current: Any, t_stop: float, dt: float = 1e-4, n_neurons: int = 1, *, rng: RNGLike = None,
                 record: bool = False, record_every: float | None = None, inputs: SpikeTrains | None = None,
                 weights: Any = None) -> SpikeTrains | tuple[SpikeTrains, Any]:
        """Simulate ``n_neurons`` independent neurons on ``[0, t_stop]``, starting at ``v_rest``.

        Parameters
        ----------
        current : float, array or callable
            Input current (A): a constant, an array ``(n_steps,)`` shared by
            all neurons, ``(n_neurons, n_steps)``, ``(n_neurons, 1)`` (one
            constant per neuron), or a callable of the step start times (s)
            returning one of those. Held constant over each step.
        t_stop : float
            Duration (s), > 0; ``n_steps = floor(t_stop / dt)`` (up to rounding).
        dt : float, default 0.1 ms
            Time step (s), < ``tau_m``.
        n_neurons : int, default 1
            Number of independent neurons (unit labels ``0 .. n_neurons - 1``).
        rng : int, Generator or anything ``np.random.default_rng`` accepts
            Noise source; neuron ``i`` draws from its own stream, so results
            are identical for any number of threads and with the JIT off.
        record : bool, default False
            Also return the membrane potential ``v`` (V) as an xarray Dataset
            with dimensions ``(time, unit)``.
        record_every : float, optional
            Sampling interval of the traces (s), rounded to a multiple of
            ``dt``; default ``dt``. Memory is ``8 * n_neurons * t_stop /
            record_every`` bytes per variable.
        inputs : SpikeTrains, optional
            Presynaptic spike trains (s), one per input; with ``weights``
            they drive the conductances (the model then is ``iaf_cond_exp``,
            see the class notes) and ``dt`` must also be below
            ``tau_syn_ex`` and ``tau_syn_in``. A spike at ``t`` acts at the
            start of the step that holds it, step ``floor(t / dt)`` (times
            within 1e-9 steps of a grid point count as on it): it is moved
            earlier by less than ``dt``. Spikes outside ``[0, n_steps * dt)``
            are ignored.
        weights : array, shape (n_neurons, n_inputs) or (n_inputs,)
            Conductance jump (S) of each input onto each neuron (one row
            shared by all neurons if 1-d): positive weights raise the
            excitatory conductance ``g_ex`` (reversal ``e_ex``), negative
            ones raise the inhibitory ``g_in`` (reversal ``e_in``) by
            ``-weight``; zero means no synapse.

        Returns
        -------
        SpikeTrains or (SpikeTrains, xarray.Dataset)
            One train per neuron, with the parameters, ``dt`` and the current
            in ``metadata["ground_truth"]``. With ``inputs`` the traces also
            hold ``g_ex`` and ``g_in`` (S), sampled after the step's input
            spikes.
        """
        if inputs is not None or weights is not None:
            return self._simulate_synaptic(current, t_stop, dt, n_neurons, rng, record, record_every, inputs,
                                           weights)
        params = np.array([getattr(self, name) for name in LIF_PARAMS])
        refractory = self.t_ref
        return simulate_model(self, _CODE, params, current, t_stop, dt, n_neurons, rng, record, record_every,
                              limits=(("tau_m", self.tau_m),), variables=(("v", "V", "membrane potential"),),
                              max_spikes=None if refractory <= 0 else lambda t: math.floor(t / refractory) + 1)

    def _simulate_synaptic(self, current: Any, t_stop: Any, dt: Any, n_neurons: Any, rng: RNGLike, record: Any,
                           record_every: Any, inputs: Any, weights: Any) -> SpikeTrains | tuple[SpikeTrains, Any]:
        """:meth:`simulate` with conductance synapses driven by ``inputs`` through ``weights``."""
        t_stop, dt, n_neurons, n_steps = check_run(t_stop, dt, n_neurons, (
            ("tau_m", self.tau_m), ("tau_syn_ex", self.tau_syn_ex), ("tau_syn_in", self.tau_syn_in)))
        if not isinstance(inputs, SpikeTrains):
            fail("inputs", "a SpikeTrains of presynaptic trains (given together with `weights`)", inputs,
                 "Build one with SpikeTrains.from_list or a generator.", kind=ValidationTypeError)
        n_inputs = len(inputs)
        w = _synaptic_weights(weights, n_neurons, n_inputs)
        gen = check_rng(rng)
        record, every = check_record(record, record_every, dt)
        cur = as_current(current, n_neurons, n_steps, dt)
        ev_step, ev_input = input_events(inputs, dt, n_steps)
        key = np.uint64(gen.integers(0, 2**63 - 1))
        params = np.array([getattr(self, name) for name in LIF_COND_PARAMS])
        variables = (("v", "V", "membrane potential"), ("g_ex", "S", "excitatory conductance"),
                     ("g_in", "S", "inhibitory conductance"))
        rec = np.zeros((3, n_neurons, -(-n_steps // every) if record else 0))
        bound = n_steps if self.t_ref <= 0 else min(n_steps, math.floor(n_steps * dt / self.t_ref) + 1)
        kernel = simulate_lif_cond_parallel if n_neurons > 1 and n_neurons * n_steps >= _PARALLEL_MIN_WORK \
            else simulate_lif_cond
        ids = np.arange(n_neurons, dtype=np.int64)
        cap = bound + 1
        if n_neurons * cap > _DIRECT_SLOTS:  # size the regions by a margin over a few pilot neurons' counts
            pilot = np.unique(np.linspace(0, n_neurons - 1, _PILOT_NEURONS).astype(np.int64))
            top = float(simulate_lif_cond(key, pilot, params, cur, dt, n_steps, ev_step, ev_input, w,
                                          np.zeros(pilot.size + 1, np.int64), np.empty(0),
                                          np.zeros((3, pilot.size, 0)), every).max())
            cap = min(cap, int(1.25 * top + 6.0 * np.sqrt(top) + 16))
        region = np.arange(n_neurons + 1, dtype=np.int64) * cap
        buf = np.empty(region[-1])
        counts = kernel(key, ids, params, cur, dt, n_steps, ev_step, ev_input, w, region, buf, rec, every)
        if np.any(counts > cap):  # rare: a neuron outgrew its region; all run again, same streams, exact regions
            region = np.zeros(n_neurons + 1, dtype=np.int64)
            np.cumsum(counts, out=region[1:])
            buf = np.empty(region[-1])
            kernel(key, ids, params, cur, dt, n_steps, ev_step, ev_input, w, region, buf, rec, every)
        offsets = compact(buf, region, counts)
        truth = {"model": type(self).__name__, **asdict(self), "dt": dt,
                 "current": float(cur[0, 0]) if cur.size == 1 else ("callable" if callable(current) else "array"),
                 "synapses": "conductance (iaf_cond_exp)", "n_inputs": n_inputs}
        st = SpikeTrains._trusted(buf[:offsets[-1]], offsets, np.zeros(n_neurons), np.full(n_neurons, t_stop),
                                  np.arange(n_neurons, dtype=np.int64), np.zeros(n_neurons, dtype=np.int64),
                                  {"ground_truth": truth})
        if not record:
            return st
        from spikestats.xarray.traces import traces_dataset  # L4, imported only when traces are asked for

        return st, traces_dataset(rec, variables, every * dt, truth)


def _synaptic_weights(weights: Any, n_neurons: int, n_inputs: int) -> np.ndarray:
    """``weights`` as a float64 array ``(1 or n_neurons, n_inputs)`` in siemens."""
    if weights is None:
        fail("weights", f"an array of shape ({n_neurons}, {n_inputs}) (n_neurons, n_inputs) given with `inputs`",
             weights)
    w = as_float_array("weights", weights)
    if w.ndim == 1 and w.shape[0] == n_inputs:
        return np.ascontiguousarray(w.reshape(1, n_inputs))
    if w.ndim == 2 and w.shape[0] in (1, n_neurons) and w.shape[1] == n_inputs:
        return np.ascontiguousarray(w)
    fail("weights", f"an array of shape ({n_neurons}, {n_inputs}) (n_neurons, n_inputs) or ({n_inputs},) "
         "(shared by all neurons)", weights, got=f"an array of shape {w.shape}")
    raise AssertionError  # unreachable: fail raises


def input_events(inputs: SpikeTrains, dt: float, n_steps: int) -> tuple[np.ndarray, np.ndarray]:
    """The input spikes as events ``(step, input)`` ordered by step (inputs in order within a step).

    A spike at ``t`` falls in step ``floor(t / dt)``, counting times within
    1e-9 steps below a grid point as on it; spikes outside ``[0, n_steps)``
    steps are dropped.
    """
    times = np.asarray(inputs.times, dtype=np.float64)
    source = np.repeat(np.arange(len(inputs), dtype=np.int64), np.diff(np.asarray(inputs.offsets)))
    steps = np.floor(times / dt + 1e-9)
    keep = (steps >= 0) & (steps < n_steps)
    steps, source = steps[keep].astype(np.int64), source[keep]
    order = np.argsort(steps, kind="stable")
    return np.ascontiguousarray(steps[order]), np.ascontiguousarray(source[order])
