"""Hodgkin-Huxley (1952) squid-axon neurons, the slow but accurate reference generator."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from spikestats._kernels.hodgkin_huxley import HH_PARAMS
from spikestats._kernels.neurons import HODGKIN_HUXLEY as _CODE
from spikestats.core.spiketrains import SpikeTrains
from spikestats.generators._neuron import check_params, simulate_model
from spikestats.typing import RNGLike

#: Fastest gating time constant of the standard model (about 0.1 ms, m near -40 mV and above 0 mV).
_FASTEST_GATE = 1e-4


@dataclass(frozen=True)
class HodgkinHuxley:
    """Hodgkin & Huxley (1952, J. Physiol. 117:500) squid giant axon, single compartment.

    ``c_m dV/dt = -g_na m^3 h (V - e_na) - g_k n^4 (V - e_k) - g_l (V - e_l) + I / area``
    with the 1952 rate functions shifted to a resting potential of -65 mV
    (the parameters of Dayan & Abbott 2001, ch. 5, and NEURON's ``hh``
    mechanism at 6.3 degC).

    Parameters
    ----------
    c_m : float, default 1 uF/cm^2 = 0.01 F/m^2
        Specific membrane capacitance (F/m^2), > 0.
    g_na, g_k, g_l : float, default 120, 36, 0.3 mS/cm^2 (1200, 360, 3 S/m^2)
        Maximal specific conductances (S/m^2), >= 0 (``g_l`` > 0).
    e_na, e_k, e_l : float, default 50, -77, -54.387 mV
        Reversal potentials (V).
    area : float, default 1e-9 m^2 (1000 um^2)
        Membrane area (m^2), > 0: the input current (A) divided by it is the
        current density. With the default, 1 uA/cm^2 is 10 pA.
    v_detect : float, default 0 mV
        A spike is an upward crossing of this potential (V).
    v_init : float, default -65 mV
        Initial potential (V); the gates start at their steady state there.

    Notes
    -----
    Exponential Euler at step ``dt`` (default 10 us, must be below 0.1 ms):
    each gate and then ``V`` is advanced exactly over the step with the other
    variables frozen. The standard model fires repetitively for a step of
    constant current density above about 6.3 uA/cm^2 started from rest
    (the saddle-node of periodic orbits at 6.26 uA/cm^2; the rest state loses
    stability at a subcritical Hopf bifurcation near 9.78 uA/cm^2: Rinzel &
    Miller 1980, Math. Biosci. 49:27; Hassard 1978, J. Theor. Biol. 71:401),
    with a discontinuous (type II) f-I curve starting near 50 Hz.
    """

    c_m: float = 1e-2
    g_na: float = 1200.0
    g_k: float = 360.0
    g_l: float = 3.0
    e_na: float = 50e-3
    e_k: float = -77e-3
    e_l: float = -54.387e-3
    area: float = 1e-9
    v_detect: float = 0.0
    v_init: float = -65e-3

    def __post_init__(self) -> None:
        check_params(self, positive=("c_m", "g_l", "area"), nonnegative=("g_na", "g_k"),
                     real=("e_na", "e_k", "e_l", "v_detect", "v_init"))

    def simulate(self, current: Any, t_stop: float, dt: float = 1e-5, n_neurons: int = 1, *, rng: RNGLike = None,
                 record: bool = False, record_every: float | None = None) -> SpikeTrains | tuple[SpikeTrains, Any]:
        """Simulate ``n_neurons`` independent neurons on ``[0, t_stop]``, starting at rest.

        Parameters and returns as :meth:`spikestats.generators.LIF.simulate`
        (the model is deterministic; ``rng`` is accepted for a common
        interface), with ``dt`` defaulting to 10 us and required below 0.1 ms.
        The traces hold ``v`` (V) and the gates ``m``, ``h``, ``n``.
        """
        params = np.array([getattr(self, name) for name in HH_PARAMS])
        return simulate_model(self, _CODE, params, current, t_stop, dt, n_neurons, rng, record, record_every,
                              limits=(("the fastest gating time constant", _FASTEST_GATE),),
                              variables=(("v", "V", "membrane potential"), ("m", "1", "sodium activation"),
                                         ("h", "1", "sodium inactivation"), ("n", "1", "potassium activation")))
