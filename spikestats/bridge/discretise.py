"""The one place where a continuous-time :class:`Network` becomes per-step constants.

Every backend updates, in step ``k`` (time ``k * dt``)::

    u_k = syn_decay * u_{k-1} + weight_gain * (W s_{k-d} + W_in x_{k-d})     (synaptic drive, volts)
    v_k = mem_decay * v_{k-1} + u_k + mem_drive                              (membrane, volts)
    spike if v_k > v_threshold; then v_k = v_reset and the neuron is held for refractory_steps

with ``d = delay_steps`` (1: a spike emitted in step ``k`` acts in step
``k + 1``, as Lava's Dense and SpiNNaker's default 1-step delay). ``u`` is
the synaptic current times the per-step membrane gain, so the membrane update
is the same for both neuron kinds; for ``"lif"`` neurons ``syn_decay`` is 0
and a spike moves ``v`` by ``W`` volts.

``method="euler"`` (Lava's choice) uses ``syn_decay = 1 - dt/tau_syn``,
``mem_decay = 1 - dt/tau_mem``, ``mem_gain = r dt/tau_mem`` and
``mem_drive = (dt/tau_mem) (v_leak + r i_bias)``; ``method="exact"``
(SpiNNaker's choice) uses ``exp(-dt/tau)`` for the decays, ``mem_gain = r (1 -
exp(-dt/tau_mem))`` and ``mem_drive = (1 - exp(-dt/tau_mem)) (v_leak + r
i_bias)``: exact for a current held constant over the step; input spikes are
scaled by SpiNNaker's ``init = (tau_syn/dt)(1 - exp(-dt/tau_syn))``, so the
step-held currents of one spike carry its exact charge ``W tau_syn``.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

import numpy as np

from spikestats._validation import check_option, check_scalar, fail
from spikestats.bridge.network import Network

METHODS = ("euler", "exact")
"""Discretisation schemes: forward Euler (Lava) and exact exponential (SpiNNaker)."""

_ARRAYS = ("syn_decay", "mem_decay", "mem_gain", "weight_gain", "mem_drive", "refractory_steps")


@dataclass(frozen=True, eq=False)
class Discretisation:
    """Per-step constants of a :class:`Network` at time step ``dt`` (see the module docstring).

    Attributes
    ----------
    method : {"euler", "exact"}
    dt : float
        Time step (s).
    delay_steps : int
        Steps between a spike and its effect (>= 1).
    syn_decay, mem_decay : ndarray, shape (n_neurons,)
        Per-step decay factors of the synaptic drive and the membrane.
    mem_gain : ndarray
        Volts added to ``v`` per step per ampere of synaptic current.
    weight_gain : ndarray
        Volts of ``u`` per weight unit (``mem_gain`` for ``"cuba_lif"``, 1 for ``"lif"``).
    mem_drive : ndarray
        Volts added to ``v`` per step by the leak potential and the bias current.
    refractory_steps : ndarray of int64
        ``t_ref / dt`` rounded to the nearest step.
    """

    method: str
    dt: float
    delay_steps: int
    syn_decay: np.ndarray
    mem_decay: np.ndarray
    mem_gain: np.ndarray
    weight_gain: np.ndarray
    mem_drive: np.ndarray
    refractory_steps: np.ndarray

    def __repr__(self) -> str:
        return (f"Discretisation(method={self.method!r}, dt={self.dt:g} s, delay_steps={self.delay_steps}, "
                f"n_neurons={self.syn_decay.size})")

    def to_metadata(self) -> dict[str, Any]:
        """A dict of plain values for NIR metadata (``nir.write`` stores it as HDF5 datasets)."""
        out: dict[str, Any] = {"method": self.method, "dt": float(self.dt), "delay_steps": int(self.delay_steps)}
        for name in _ARRAYS:
            out[name] = np.asarray(getattr(self, name)).copy()
        return out

    @classmethod
    def from_metadata(cls, meta: dict[str, Any]) -> Discretisation:
        """Rebuild the record written by :meth:`to_metadata`."""
        missing = [f.name for f in fields(cls) if f.name not in meta]
        if missing:
            fail("metadata", "a discretisation record with " + ", ".join(f.name for f in fields(cls)), meta,
                 got=f"a record without {missing}")
        method = meta["method"]
        method = method.decode() if isinstance(method, bytes) else str(method)
        arrays = {name: np.asarray(meta[name], dtype=np.int64 if name == "refractory_steps" else float).reshape(-1)
                  for name in _ARRAYS}
        return cls(method=method, dt=float(meta["dt"]), delay_steps=int(meta["delay_steps"]), **arrays)

    def matches(self, other: Discretisation) -> bool:
        """Whether two records hold identical constants (bit for bit)."""
        return (self.method == other.method and self.dt == other.dt and self.delay_steps == other.delay_steps
                and all(np.array_equal(getattr(self, k), getattr(other, k)) for k in _ARRAYS))


def discretise(network: Network, dt: float, method: str = "euler", *, delay_steps: int = 1) -> Discretisation:
    """Per-step constants of ``network`` at time step ``dt``.

    Parameters
    ----------
    network : Network
    dt : float
        Time step (s), > 0. With ``method="euler"`` it must be below every
        time constant (else the decay factors leave ``[0, 1)``).
    method : {"euler", "exact"}, default "euler"
        ``"euler"``: forward Euler, as Lava's LIF (``decay = dt / tau``);
        ``"exact"``: exponential decay factors, as SpiNNaker's IF_curr_exp.
    delay_steps : int, default 1
        Synaptic delay in steps, >= 1.

    Returns
    -------
    Discretisation
    """
    if not isinstance(network, Network):
        fail("network", "a spikestats.bridge.Network", network)
    dt = check_scalar("dt", dt, positive=True)
    method = check_option("method", method, METHODS)
    delay_steps = check_scalar("delay_steps", delay_steps, integer=True, minimum=1)
    cuba = network.kind == "cuba_lif"
    taus = [("tau_mem", network.tau_mem)] + ([("tau_syn", network.tau_syn)] if cuba else [])
    if method == "euler":
        for name, tau in taus:
            if np.any(dt > tau):
                i = int(np.argmin(tau))
                fail("dt", f"<= every {name} for Euler steps (the decay factor 1 - dt/tau must stay >= 0)", dt,
                     got=f"{dt:g} s > {name}[{i}] = {tau[i]:g} s",
                     fix="Use a smaller dt or method='exact'.")
        mem_fraction = dt / network.tau_mem
        syn_decay = 1.0 - dt / network.tau_syn if cuba else np.zeros(network.n_neurons)
    else:
        mem_fraction = -np.expm1(-dt / network.tau_mem)
        syn_decay = np.exp(-dt / network.tau_syn) if cuba else np.zeros(network.n_neurons)
    mem_gain = network.r * mem_fraction
    weight_gain = mem_gain.copy() if cuba else np.ones(network.n_neurons)
    if cuba and method == "exact":
        # SpiNNaker's init factor (tau_syn / dt)(1 - exp(-dt / tau_syn)): the step-held currents of one input
        # spike then carry exactly its charge W tau_syn (without it, about (1 + dt / (2 tau_syn)) times that)
        weight_gain *= -np.expm1(-dt / network.tau_syn) * network.tau_syn / dt
    return Discretisation(
        method=method, dt=dt, delay_steps=delay_steps, syn_decay=syn_decay, mem_decay=1.0 - mem_fraction,
        mem_gain=mem_gain, weight_gain=weight_gain,
        mem_drive=mem_fraction * (network.v_leak + network.r * network.i_bias),
        refractory_steps=np.floor(network.t_ref / dt + 0.5).astype(np.int64))
