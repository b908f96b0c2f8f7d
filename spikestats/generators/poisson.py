"""Stationary Poisson processes, with an optional dead time."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from spikestats._kernels.poisson import compact, poisson_train, poisson_trains, poisson_trains_parallel
from spikestats._validation import check_rng, check_scalar, fail
from spikestats.core.spiketrains import SpikeTrains
from spikestats.generators._regions import use_parallel
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
        times, offsets = _simulate(gen, self.rate, self.dead_time, starts, stops)
        truth = {"model": type(self).__name__, **asdict(self)}
        return SpikeTrains._trusted(times, offsets, starts, stops, np.zeros(n_trains, dtype=np.int64),
                                    np.arange(n_trains, dtype=np.int64), {"ground_truth": truth})


#: Below this many expected spikes the serial kernel is used (threads cost more than they save).


def _simulate(gen: np.random.Generator, rate: float, dead_time: float, starts: np.ndarray,
              stops: np.ndarray, headroom: float = 6.0) -> tuple[np.ndarray, np.ndarray]:
    """All trains into one buffer, one random stream per train.

    One 64-bit key is drawn from ``gen``; train ``i`` uses stream ``i`` of that
    key (:mod:`spikestats._kernels.rng`), so the spikes depend on ``gen`` only,
    whatever the number of threads. Each train writes into its own region of
    one buffer (its expected count + ``headroom`` SD); the regions are then closed up in
    place and a view is returned. A train that outgrows its region (about one
    in 10^9) is drawn again, from the same stream, into a fresh array.
    """
    key = np.uint64(gen.integers(0, 2**63 - 1))
    expected = rate * (stops - starts)
    region = np.zeros(starts.shape[0] + 1, dtype=np.int64)
    np.cumsum(np.maximum(expected + headroom * np.sqrt(expected) + 4.0, 0.0).astype(np.int64), out=region[1:])
    buf = np.empty(region[-1], dtype=np.float64)
    kernel = poisson_trains_parallel if use_parallel(expected) else poisson_trains
    counts = kernel(key, rate, dead_time, starts, stops, region, buf)
    if np.all(counts <= np.diff(region)):
        offsets = compact(buf, region, counts)
        return buf[:offsets[-1]], offsets
    trains = []
    for i, c in enumerate(counts):
        out = np.empty(c)
        poisson_train(key, i, rate, dead_time, starts[i], stops[i], out)
        trains.append(out)
    offsets = np.zeros(starts.shape[0] + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets[1:])
    return np.concatenate(trains) if trains else np.empty(0), offsets
