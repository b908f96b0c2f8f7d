"""Adaptive exponential integrate-and-fire neurons (Brette & Gerstner 2005) with the Naud et al. (2008) presets."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any, ClassVar

import numpy as np

from spikestats._kernels.adex import ADEX_PARAMS
from spikestats._kernels.neurons import ADEX as _CODE
from spikestats._validation import check_option, fail
from spikestats.core.spiketrains import SpikeTrains
from spikestats.generators._neuron import check_params, simulate_model
from spikestats.typing import RNGLike

#: Naud, Marcille, Clopath & Gerstner (2008), Biol. Cybern. 99:335-347, Table 1, in its units:
#: C (pF), g_L (nS), E_L (mV), V_T (mV), Delta_T (mV), a (nS), tau_w (ms), b (pA), V_r (mV), step current I (pA).
_NAUD_TABLE_1 = {
    "tonic": (200, 10, -70, -50, 2, 2, 30, 0, -58, 500),
    "adapting": (200, 12, -70, -50, 2, 2, 300, 60, -58, 500),
    "initial burst": (130, 18, -58, -50, 2, 4, 150, 120, -50, 400),
    "regular bursting": (200, 10, -58, -50, 2, 2, 120, 100, -46, 210),
    "delayed accelerating": (200, 12, -70, -50, 2, -10, 300, 0, -58, 300),
    "delayed regular bursting": (100, 10, -65, -50, 2, -10, 90, 30, -47, 110),
    "transient": (100, 10, -65, -50, 2, 10, 90, 100, -47, 180),
    "irregular": (100, 12, -60, -50, 2, -11, 130, 30, -48, 160),
}


@dataclass(frozen=True)
class AdEx:
    """Adaptive exponential integrate-and-fire neuron (Brette & Gerstner 2005, J. Neurophysiol. 94:3637).

    ``c_m dV/dt = -g_l (V - e_l) + g_l delta_t exp((V - v_t) / delta_t) - w + I``,
    ``tau_w dw/dt = a (V - e_l) - w``; when ``V`` reaches ``v_spike``: ``V ->
    v_reset``, ``w -> w + b``, and ``V`` is held for ``t_ref``.

    Parameters
    ----------
    c_m : float, default 200 pF
        Membrane capacitance (F), > 0.
    g_l : float, default 10 nS
        Leak conductance (S), > 0.
    e_l, v_t : float
        Leak reversal and exponential threshold (V).
    delta_t : float, default 2 mV
        Slope factor (V), >= 0 (0 gives an adaptive LIF with threshold ``v_spike``).
    a : float, default 2 nS
        Subthreshold adaptation (S), any sign.
    tau_w : float, default 30 ms
        Adaptation time constant (s), > 0.
    b : float, default 0
        Spike-triggered adaptation increment (A).
    v_reset : float, default -58 mV
        Reset potential (V), < ``v_spike``.
    v_spike : float, default 0 mV
        Spike cut-off (V), > ``v_t`` (with ``delta_t`` = 0, the threshold).
    t_ref : float, default 0
        Refractory period (s), >= 0, rounded to whole steps.
    sigma : float, default 0
        White-noise amplitude (V), >= 0, with the convention of
        :class:`~spikestats.generators.LIF`: ``sigma sqrt(2 / tau_m) dW`` on
        ``V`` with ``tau_m = c_m / g_l``.

    Notes
    -----
    Forward Euler (Euler-Maruyama with noise) at step ``dt``, as Brian2's
    ``method="euler"``; use 0.1 ms or less. Spikes are timed at the end of the
    step in which ``V`` reaches ``v_spike``. NEST's ``aeif_psc_delta`` (and
    ``aeif_cond_exp`` without synaptic input) integrate the same equations
    with an adaptive Runge-Kutta-Fehlberg 4(5) scheme; spike counts agree
    within one spike (``tests/peers/test_nest.py``). ``AdEx.preset(name)``
    gives the eight firing patterns of Naud et al. (2008).
    """

    c_m: float = 200e-12
    g_l: float = 10e-9
    e_l: float = -70e-3
    v_t: float = -50e-3
    delta_t: float = 2e-3
    a: float = 2e-9
    tau_w: float = 30e-3
    b: float = 0.0
    v_reset: float = -58e-3
    v_spike: float = 0.0
    t_ref: float = 0.0
    sigma: float = 0.0

    PRESETS: ClassVar[tuple[str, ...]] = tuple(_NAUD_TABLE_1)

    def __post_init__(self) -> None:
        check_params(self, positive=("c_m", "g_l", "tau_w"), nonnegative=("delta_t", "t_ref", "sigma"),
                     real=("e_l", "v_t", "a", "b", "v_reset", "v_spike"))
        if self.delta_t > 0 and not self.v_spike > self.v_t:
            fail("v_spike", f"> v_t = {self.v_t:g} V", self.v_spike, "With delta_t = 0, v_spike is the threshold.")
        if not self.v_reset < self.v_spike:
            fail("v_reset", f"< v_spike = {self.v_spike:g} V", self.v_reset)

    @property
    def tau_m(self) -> float:
        """Membrane time constant ``c_m / g_l`` (s)."""
        return self.c_m / self.g_l

    @classmethod
    def preset(cls, name: str, **overrides: Any) -> AdEx:
        """One of the eight firing patterns of Naud et al. (2008), Table 1.

        Parameters
        ----------
        name : str
            One of :attr:`PRESETS`: ``"tonic"``, ``"adapting"``, ``"initial
            burst"``, ``"regular bursting"``, ``"delayed accelerating"``,
            ``"delayed regular bursting"``, ``"transient"``, ``"irregular"``
            (underscores may replace spaces).
        **overrides
            Fields to change (e.g. ``sigma``, ``t_ref``, ``v_spike``).

        Returns
        -------
        AdEx
            With ``v_spike`` = 0 mV and ``t_ref`` = 0 unless overridden. Drive
            it with :meth:`preset_current` (a step from ``t = 0``) to see the
            pattern.
        """
        c, g, e_l, v_t, delta, a, tau_w, b, v_r, _ = _NAUD_TABLE_1[cls._preset_name(name)]
        model = cls(c_m=c * 1e-12, g_l=g * 1e-9, e_l=e_l * 1e-3, v_t=v_t * 1e-3, delta_t=delta * 1e-3, a=a * 1e-9,
                    tau_w=tau_w * 1e-3, b=b * 1e-12, v_reset=v_r * 1e-3)
        return replace(model, **overrides) if overrides else model

    @classmethod
    def preset_current(cls, name: str) -> float:
        """The step current (A) of Naud et al. (2008), Table 1, for preset ``name``."""
        return _NAUD_TABLE_1[cls._preset_name(name)][-1] * 1e-12

    @classmethod
    def _preset_name(cls, name: str) -> str:
        key = name.replace("_", " ") if isinstance(name, str) else name
        return check_option("name", key, cls.PRESETS)

    def simulate(self, current: Any, t_stop: float, dt: float = 1e-4, n_neurons: int = 1, *, rng: RNGLike = None,
                 record: bool = False, record_every: float | None = None) -> SpikeTrains | tuple[SpikeTrains, Any]:
        """Simulate ``n_neurons`` independent neurons on ``[0, t_stop]``, starting at ``V = e_l``, ``w = 0``.

        Parameters and returns as :meth:`spikestats.generators.LIF.simulate`;
        ``dt`` must be below ``tau_m`` and ``tau_w``. The traces hold ``v`` (V)
        and ``w`` (A).
        """
        params = np.array([getattr(self, name) for name in ADEX_PARAMS])
        refractory = self.t_ref
        return simulate_model(self, _CODE, params, current, t_stop, dt, n_neurons, rng, record, record_every,
                              limits=(("tau_m", self.tau_m), ("tau_w", self.tau_w)),
                              variables=(("v", "V", "membrane potential"), ("w", "A", "adaptation current")),
                              max_spikes=None if refractory <= 0 else lambda t: math.floor(t / refractory) + 1)
