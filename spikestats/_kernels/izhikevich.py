"""Izhikevich (2003) simple neuron model in SI units, forward Euler."""

from __future__ import annotations

from numba import njit

from spikestats._config import NJIT_FLAGS
from spikestats._kernels.neuron_steps import emit, input_at, sample_index

#: Order of the parameters in the array the kernel takes.
IZHIKEVICH_PARAMS = ("a", "b", "c", "d", "v_peak", "c_m", "v_init")
#: The model's quadratic, 0.04 v^2 + 5 v + 140 in mV and ms, in SI: 1 / (V s), 1 / s, V / s.
K2 = 0.04e6
K1 = 5.0e3
K0 = 140.0


@njit(**NJIT_FLAGS)
def izhikevich_neuron(key, stream, p, cur, dt, n_steps, out, rec, rec_every):
    """One Izhikevich neuron for ``n_steps`` steps of ``dt``; spike times into ``out``, returns the true count.

    ``p`` holds :data:`IZHIKEVICH_PARAMS` (SI: ``a``, ``b`` in 1/s, ``c``,
    ``v_peak``, ``v_init`` in V, ``d`` in V/s, ``c_m`` in F). Forward Euler on

        dv/dt = K2 v^2 + K1 v + K0 - u + I / c_m,    du/dt = a (b v - u)

    both updated from the values at the start of the step. When ``v >=
    v_peak`` at the end of step ``k`` a spike is recorded at ``(k + 1) dt``,
    ``v = c`` and ``u += d``. The model is deterministic: ``key`` and
    ``stream`` are unused (kept for the common kernel signature).
    """
    a, b, c, d, v_peak, inv_c = p[0], p[1], p[2], p[3], p[4], 1.0 / p[5]
    v = p[6]
    u = b * v
    n = 0
    for k in range(n_steps):
        j = sample_index(rec, k, rec_every)
        if j >= 0:
            rec[0, j] = v
            rec[1, j] = u
        dv = K2 * v * v + K1 * v + K0 - u + input_at(cur, k) * inv_c
        u += dt * a * (b * v - u)
        v += dt * dv
        if v >= v_peak:
            n = emit(out, n, (k + 1) * dt)
            v = c
            u += d
    return n
