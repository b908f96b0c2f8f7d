"""Stationary Poisson processes, with an optional dead time."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from spikestats._kernels.poisson import dead_time_poisson
from spikestats._validation import check_rng, check_scalar, fail
from spikestats.core.spiketrains import SpikeTrains
from spikestats.typing import RNGLike


@dataclass(frozen=True)
class PoissonProcess:
    """Stationary Poisson process with an absolute dead time.

    Parameters
    ----------
    rate : float
        Output firing rate in Hz, >= 0. With a dead time, this is still the
        rate of the spikes produced (the expected count in a window of length
        ``T`` is ``rate * T``), not the rate of the underlying process.
    dead_time : float, default 0.0
        Absolute refractory period in seconds, >= 0, with
        ``rate * dead_time < 1``.

    Notes
    -----
    Inter-spike intervals are ``dead_time + Exp(lam)`` with
    ``lam = rate / (1 - rate * dead_time)`` (mean ISI ``1 / rate``, CV
    ``1 - rate * dead_time``). Each train starts in equilibrium: the first
    spike follows the forward-recurrence law of this renewal process, so
    counts are stationary from ``t_start`` on. Elephant's
    ``StationaryPoissonProcess(refractory_period=...)`` follows the same
    convention (its ``rate`` is the output rate).
    """

    rate: float
    dead_time: float = 0.0

    def __post_init__(self) -> None:
        rate = check_scalar("rate", self.rate, nonnegative=True)
        dead_time = check_scalar("dead_time", self.dead_time, nonnegative=True)
        if rate * dead_time >= 1.0:
            fail("dead_time", f"< 1 / rate = {1.0 / rate} s (the dead time alone would exceed the mean ISI)",
                 self.dead_time)
        object.__setattr__(self, "rate", rate)
        object.__setattr__(self, "dead_time", dead_time)

    @property
    def cv(self) -> float:
        """Theoretical coefficient of variation of the ISIs."""
        return 1.0 - self.rate * self.dead_time

    def simulate(self, n_trains: int = 1, t_stop: float = 1.0, *, t_start: float = 0.0,
                 rng: RNGLike = None) -> SpikeTrains:
        """Draw ``n_trains`` independent trains on ``[t_start, t_stop]``.

        Parameters
        ----------
        n_trains : int, default 1
            Number of trains (labelled unit 0, trials ``0 .. n_trains - 1``).
        t_stop, t_start : float
            Window in seconds.
        rng : int, Generator or anything ``np.random.default_rng`` accepts
            Source of randomness; the same ``rng`` gives the same trains,
            whatever the number of threads and with the JIT on or off.

        Returns
        -------
        SpikeTrains
            With the model's parameters in ``metadata["ground_truth"]``.
        """
        n_trains = check_scalar("n_trains", n_trains, integer=True, nonnegative=True)
        t_start = check_scalar("t_start", t_start)
        t_stop = check_scalar("t_stop", t_stop)
        if not t_stop > t_start:
            fail("t_stop", f"> t_start = {t_start}", t_stop)
        gen = check_rng(rng)
        starts = np.full(n_trains, t_start)
        stops = np.full(n_trains, t_stop)
        # One buffer for the expected count plus 6 standard deviations (the kernel grows it if needed);
        # the result is a view of it, so the spikes are written once and never copied.
        expected = n_trains * self.rate * (t_stop - t_start)
        out = np.empty(int(expected + 6.0 * np.sqrt(expected) + 16))
        buf, offsets = dead_time_poisson(gen, self.rate, self.dead_time, starts, stops, out)
        times = buf[:offsets[-1]]
        truth = {"model": type(self).__name__, **asdict(self)}
        return SpikeTrains._trusted(times, offsets, starts, stops, np.zeros(n_trains, dtype=np.int64),
                                    np.arange(n_trains, dtype=np.int64), {"ground_truth": truth})


