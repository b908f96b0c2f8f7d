"""Izhikevich (2003) simple model neurons, in SI units, with the named cortical and thalamic presets."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, ClassVar

import numpy as np

from spikestats._kernels.izhikevich import IZHIKEVICH_PARAMS
from spikestats._kernels.neurons import IZHIKEVICH as _CODE
from spikestats._validation import check_option, fail
from spikestats.core.spiketrains import SpikeTrains
from spikestats.generators._neuron import check_params, simulate_model
from spikestats.typing import RNGLike

#: Izhikevich (2003), IEEE Trans. Neural Netw. 14:1569-1572, Fig. 2: (a, b, c, d) in the model's units
#: (a, b in 1/ms; c in mV; d in mV/ms).
_IZHIKEVICH_FIG_2 = {
    "RS": (0.02, 0.2, -65.0, 8.0),   # regular spiking
    "IB": (0.02, 0.2, -55.0, 4.0),   # intrinsically bursting
    "CH": (0.02, 0.2, -50.0, 2.0),   # chattering
    "FS": (0.1, 0.2, -65.0, 2.0),    # fast spiking
    "LTS": (0.02, 0.25, -65.0, 2.0),  # low-threshold spiking
    "RZ": (0.1, 0.26, -65.0, 2.0),   # resonator
    "TC": (0.02, 0.25, -65.0, 0.05),  # thalamo-cortical
}


@dataclass(frozen=True)
class Izhikevich:
    """Izhikevich (2003) simple spiking model, with SI parameters.

    In the paper's units (v in mV, t in ms, I in the same units as dv/dt):
    ``v' = 0.04 v^2 + 5 v + 140 - u + I``, ``u' = a (b v - u)``; if ``v >=
    30 mV``: ``v -> c``, ``u -> u + d``. Here ``v`` is in volts, time in
    seconds and ``u`` in V/s (1 mV/ms = 1 V/s), so ``a`` and ``b`` are
    multiplied by 1000, ``c`` and ``v_peak`` divided by 1000 and ``d`` keeps
    its number; the quadratic is ``4e4 v^2 + 5e3 v + 140`` (V/s). The input is
    a current in amperes divided by ``c_m``: with the default ``c_m`` = 1 pF,
    1 pA is one unit of the paper's ``I`` (its Fig. 2 uses ``I = 10``, i.e.
    10 pA here).

    Parameters
    ----------
    a : float, default 20 /s (0.02 /ms)
        Recovery rate (1/s), > 0.
    b : float, default 200 /s (0.2 /ms)
        Sensitivity of ``u`` to ``v`` (1/s).
    c : float, default -65 mV
        Reset potential (V), < ``v_peak``.
    d : float, default 8 V/s (8 mV/ms)
        Reset increment of ``u`` (V/s).
    v_peak : float, default 30 mV
        Spike cut-off (V).
    c_m : float, default 1 pF
        Capacitance converting the current to the model's units (F), > 0.
    v_init : float, default -65 mV
        Initial ``v`` (V); ``u`` starts at ``b * v_init``.

    Notes
    -----
    Forward Euler with both variables updated from the start of the step
    (Izhikevich's published code takes two 0.5 ms half steps for ``v``);
    use ``dt`` of 0.1 ms or less. Spikes are timed at the end of the step in
    which ``v`` reaches ``v_peak``. ``Izhikevich.preset(name)`` gives the
    seven classes of the paper's Fig. 2: RS, IB, CH, FS, LTS, RZ, TC.
    """

    a: float = 20.0
    b: float = 200.0
    c: float = -65e-3
    d: float = 8.0
    v_peak: float = 30e-3
    c_m: float = 1e-12
    v_init: float = -65e-3

    PRESETS: ClassVar[tuple[str, ...]] = tuple(_IZHIKEVICH_FIG_2)

    def __post_init__(self) -> None:
        check_params(self, positive=("a", "c_m"), real=("b", "c", "d", "v_peak", "v_init"))
        if not self.c < self.v_peak:
            fail("c", f"< v_peak = {self.v_peak:g} V", self.c)
        if not self.v_init < self.v_peak:
            fail("v_init", f"< v_peak = {self.v_peak:g} V", self.v_init)

    @classmethod
    def preset(cls, name: str, **overrides: Any) -> Izhikevich:
        """One of the classes of Izhikevich (2003), Fig. 2, converted to SI.

        Parameters
        ----------
        name : str
            ``"RS"``, ``"IB"``, ``"CH"``, ``"FS"``, ``"LTS"``, ``"RZ"`` or ``"TC"``.
        **overrides
            Fields to change.
        """
        a, b, c, d = _IZHIKEVICH_FIG_2[check_option("name", name, cls.PRESETS)]
        model = cls(a=a * 1e3, b=b * 1e3, c=c * 1e-3, d=d)
        return replace(model, **overrides) if overrides else model

    def simulate(self, current: Any, t_stop: float, dt: float = 1e-4, n_neurons: int = 1, *, rng: RNGLike = None,
                 record: bool = False, record_every: float | None = None) -> SpikeTrains | tuple[SpikeTrains, Any]:
        """Simulate ``n_neurons`` independent neurons on ``[0, t_stop]``.

        Parameters and returns as :meth:`spikestats.generators.LIF.simulate`
        (the model is deterministic; ``rng`` is accepted for a common
        interface). ``dt`` must be below 1 ms and ``1 / a``. The traces hold
        ``v`` (V) and ``u`` (V/s).
        """
        params = np.array([getattr(self, name) for name in IZHIKEVICH_PARAMS])
        return simulate_model(self, _CODE, params, current, t_stop, dt, n_neurons, rng, record, record_every,
                              limits=(("the 1 ms scale of v", 1e-3), ("1 / a", 1.0 / self.a)),
                              variables=(("v", "V", "membrane potential"), ("u", "V/s", "recovery variable")))
