"""Leaky integrate-and-fire neurons (current-based), integrated exactly for piecewise-constant input."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from spikestats._kernels.lif import LIF_PARAMS
from spikestats._kernels.neurons import LIF as _CODE
from spikestats._validation import fail
from spikestats.core.spiketrains import SpikeTrains
from spikestats.generators._neuron import check_params, simulate_model
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
    """

    tau_m: float = 20e-3
    v_rest: float = -70e-3
    v_th: float = -50e-3
    v_reset: float = -70e-3
    r_m: float = 100e6
    t_ref: float = 2e-3
    sigma: float = 0.0

    def __post_init__(self) -> None:
        check_params(self, positive=("tau_m", "r_m"), nonnegative=("t_ref", "sigma"),
                     real=("v_rest", "v_th", "v_reset"))
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
                 record: bool = False, record_every: float | None = None) -> SpikeTrains | tuple[SpikeTrains, Any]:
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

        Returns
        -------
        SpikeTrains or (SpikeTrains, xarray.Dataset)
            One train per neuron, with the parameters, ``dt`` and the current
            in ``metadata["ground_truth"]``.
        """
        params = np.array([getattr(self, name) for name in LIF_PARAMS])
        refractory = self.t_ref
        return simulate_model(self, _CODE, params, current, t_stop, dt, n_neurons, rng, record, record_every,
                              limits=(("tau_m", self.tau_m),), variables=(("v", "V", "membrane potential"),),
                              max_spikes=None if refractory <= 0 else lambda t: math.floor(t / refractory) + 1)
