"""Spike-timing-dependent plasticity as an analysis: the pair-based weight change between two trains."""

from __future__ import annotations

from typing import Any

import numpy as np

from spikestats._kernels.plasticity import stdp_pairs
from spikestats._validation import check_option, check_scalar
from spikestats.core.spiketrains import is_single_train
from spikestats.stats._results import as_output
from spikestats.stats.correlation import paired_trains


def stdp_weight_change(pre: Any, post: Any, a_plus: float = 0.1, a_minus: float = 0.12, tau_plus: float = 20e-3,
                       tau_minus: float = 20e-3, pairing: str = "all") -> float | np.ndarray:
    """Total pair-based STDP weight change of a synapse from ``pre`` to ``post``.

    Every pair of a presynaptic spike at ``t_pre`` and a postsynaptic spike at
    ``t_post`` contributes ``a_plus * exp(-(t_post - t_pre) / tau_plus)`` when
    ``t_post > t_pre`` (potentiation) and ``-a_minus * exp(-(t_pre - t_post) /
    tau_minus)`` when ``t_post < t_pre`` (depression); simultaneous spikes
    contribute nothing. Contributions add up (no weight bounds, additive STDP).

    Parameters
    ----------
    pre, post : array_like of float (one train each), or SpikeTrains of equal length
        Spike times (s); pair ``i`` is ``(pre[i], post[i])``.
    a_plus, a_minus : float, default 0.1 and 0.12
        Amplitudes of potentiation and depression (>= 0).
    tau_plus, tau_minus : float, default 20e-3
        Time constants (s), > 0.
    pairing : {"all", "nearest"}, default "all"
        ``"all"``: every pre-post pair interacts (all-to-all). ``"nearest"``:
        the symmetric nearest-spike scheme of Morrison, Diesmann & Gerstner
        (2008, Biol Cybern 98:459-478, Fig. 7A): each postsynaptic spike
        pairs with the latest presynaptic spike before it (potentiation) and
        each presynaptic spike with the latest postsynaptic spike before it
        (depression).

    Returns
    -------
    float for two arrays, else numpy.ndarray of float64, shape (n_pairs,)
        Weight change, in the units of the amplitudes.

    Examples
    --------
    >>> round(stdp_weight_change([0.100], [0.110]), 4)
    0.0607
    >>> round(stdp_weight_change([0.100], [0.085]), 4)
    -0.0567
    """
    a_plus = check_scalar("a_plus", a_plus, nonnegative=True)
    a_minus = check_scalar("a_minus", a_minus, nonnegative=True)
    tau_plus = check_scalar("tau_plus", tau_plus, positive=True)
    tau_minus = check_scalar("tau_minus", tau_minus, positive=True)
    check_option("pairing", pairing, ("all", "nearest"))
    single = is_single_train(pre) and is_single_train(post)
    a, b = paired_trains(pre, post)
    out = stdp_pairs(a.times, a.offsets, b.times, b.offsets, a_plus, a_minus, tau_plus, tau_minus,
                     pairing == "nearest")
    return as_output(out, single)
