"""Spike trains from binned generalised linear models (stimulus filter, spike history, coupling)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from spikestats._config import n_whole_bins
from spikestats._kernels.glm_sim import (
    BERNOULLI,
    LOG,
    LOGIT,
    POISSON,
    RUNAWAY_MEAN,
    SOFTPLUS,
    bin_means,
    glm_realization,
    glm_realizations,
    glm_realizations_parallel,
)
from spikestats._validation import as_float_array, check_glm_totals, check_option, check_rng, check_scalar, fail
from spikestats.core.spiketrains import SpikeTrains
from spikestats.generators._regions import check_window, draw_key, fill_trains, split_by_unit, use_parallel
from spikestats.typing import RNGLike

_FAMILIES = {"poisson": POISSON, "bernoulli": BERNOULLI}
_LINKS = {"log": LOG, "logit": LOGIT, "softplus": SOFTPLUS}
#: largest filter (number of values) copied into ``metadata["ground_truth"]``
_TRUTH_MAX_VALUES = 10_000


@dataclass(frozen=True, eq=False)
class GLMPopulation:
    """Coupled population of binned GLM neurons (Pillow et al. 2008, Nature 454).

    In bin ``b`` of width ``bin_size``, neuron ``i`` has linear predictor

        eta[i, b] = intercept[i] + sum_l stimulus_filter[i, l] * stimulus[b - l]
                    + sum_j sum_l history[i, j, l] * y[j, b - 1 - l]

    with ``y[j, b]`` the spike count of neuron ``j`` in bin ``b``.

    Parameters
    ----------
    intercept : array (n,)
        Baseline on the link scale (for ``link="log"``, ``exp(intercept)`` is
        the rate in Hz with no input and no history).
    history : array (n, n, L), optional
        ``history[i, j, l]``: effect on ``i`` of a spike of ``j`` ``l + 1`` bins
        ago (link scale); the diagonal holds the spike-history filters, the
        rest the coupling filters. Default: no history.
    stimulus_filter : array (n, K), optional
        Causal filter of the stimulus per neuron (lag 0 = the same bin).
    bin_size : float, default 1e-3
        Bin width in seconds.
    family : {"poisson", "bernoulli"}, default "poisson"
        Count per bin: ``Poisson(rate * bin_size)``, or one spike with
        probability ``p``.
    link : {"log", "softplus", "logit"}, default "log"
        ``rate = exp(eta)`` or ``log(1 + exp(eta))`` in Hz; for Bernoulli,
        ``p = 1 - exp(-rate * bin_size)``. ``"logit"`` (Bernoulli only):
        ``p = 1 / (1 + exp(-eta))``, ``eta`` being the log-odds per bin.

    Notes
    -----
    Spikes are placed at bin centres; a Poisson count ``c > 1`` gives ``c``
    equal times. The kernel (:mod:`spikestats._kernels.glm_sim`) is the one
    fitted GLMs use to simulate.
    """

    intercept: Any
    history: Any = None
    stimulus_filter: Any = None
    bin_size: float = 1e-3
    family: str = "poisson"
    link: str = "log"

    def __post_init__(self) -> None:
        intercept = np.atleast_1d(as_float_array("intercept", self.intercept))
        if intercept.ndim != 1 or intercept.size == 0:
            fail("intercept", "a non-empty 1-d array (one value per neuron)", self.intercept)
        n = intercept.size
        history = np.zeros((n, n, 0)) if self.history is None else as_float_array("history", self.history)
        if history.ndim != 3 or history.shape[:2] != (n, n):
            fail("history", f"of shape ({n}, {n}, n_lags) for {n} neurons", self.history,
                 got=f"an array of shape {history.shape}")
        stim = np.zeros((n, 0)) if self.stimulus_filter is None else as_float_array("stimulus_filter",
                                                                                   self.stimulus_filter)
        if stim.ndim != 2 or stim.shape[0] != n:
            fail("stimulus_filter", f"of shape ({n}, n_lags) for {n} neurons", self.stimulus_filter,
                 got=f"an array of shape {stim.shape}")
        check_option("family", self.family, list(_FAMILIES))
        check_option("link", self.link, list(_LINKS))
        if self.link == "logit" and self.family != "bernoulli":
            fail("link", "'log' or 'softplus' for family='poisson'", self.link,
                 "Use family='bernoulli' with link='logit'.")
        object.__setattr__(self, "bin_size", check_scalar("bin_size", self.bin_size, positive=True))
        object.__setattr__(self, "intercept", intercept)
        object.__setattr__(self, "history", np.ascontiguousarray(history))
        object.__setattr__(self, "stimulus_filter", np.ascontiguousarray(stim))

    @property
    def n_neurons(self) -> int:
        """Number of neurons."""
        return int(self.intercept.shape[0])

    def stimulus_drive(self, stimulus: Any, n_bins: int) -> np.ndarray:
        """Filtered stimulus ``(n, n_bins)`` on the link scale (``(n, 0)`` without a stimulus filter)."""
        if stimulus is None:
            if self.stimulus_filter.shape[1] and np.any(self.stimulus_filter):
                fail("stimulus", f"an array of {n_bins} values (one per bin) for a model with a stimulus filter",
                     stimulus)
            return np.zeros((self.n_neurons, 0))
        s = as_float_array("stimulus", stimulus, ndim=1)
        if s.shape[0] != n_bins:
            fail("stimulus", f"one value per bin ({n_bins} bins of {self.bin_size} s)", stimulus,
                 got=f"{s.shape[0]} values")
        drive = np.zeros((self.n_neurons, n_bins))
        for i, k in enumerate(self.stimulus_filter):
            if k.size:
                drive[i] = np.convolve(s, k)[:n_bins]
        return drive

    def simulate(self, n_trials: int = 1, t_stop: float = 1.0, *, stimulus: Any = None, t_start: float = 0.0,
                 rng: RNGLike = None) -> SpikeTrains:
        """Draw ``n_trials`` independent realisations on ``[t_start, t_stop]``.

        Parameters
        ----------
        n_trials : int, default 1
            Number of realisations (each starts with no spike history).
        t_stop, t_start : float
            Window in seconds; it holds ``floor((t_stop - t_start) / bin_size)`` whole bins.
        stimulus : array (n_bins,), optional
            Stimulus value per bin, shared by all neurons and trials.
        rng : int, Generator or anything ``np.random.default_rng`` accepts
            Same ``rng``, same trains, whatever the number of threads.

        Returns
        -------
        SpikeTrains
            ``n_trials * n`` trains, trial-major (train ``r * n + i`` is neuron
            ``i`` of trial ``r``); parameters in ``metadata["ground_truth"]``
            (filters with more than 10,000 values are described, not copied).
        """
        n_trials, t_start, t_stop = check_window(n_trials, t_start, t_stop, "n_trials")
        gen = check_rng(rng)
        n_bins = int(n_whole_bins(t_stop - t_start, self.bin_size))
        drive = self.stimulus_drive(stimulus, n_bins)
        link, family = _LINKS[self.link], _FAMILIES[self.family]
        key = draw_key(gen)
        times, offsets = simulate_glm(key, self.intercept, drive, self.history, link, family, t_start,
                                      self.bin_size, n_bins, n_trials)
        n = self.n_neurons
        truth: dict[str, Any] = {"model": "GLM", "intercept": self.intercept.tolist(), "bin_size": self.bin_size,
                                 "family": self.family, "link": self.link}
        for name in ("history", "stimulus_filter"):
            arr = getattr(self, name)
            if np.prod([max(k, 1) for k in arr.shape]) <= _TRUTH_MAX_VALUES:  # nested lists, empty ones too
                truth[name] = arr.tolist()
            else:  # kept out of the JSON metadata (it would dwarf the spikes)
                truth[name] = f"array of shape {arr.shape} omitted (> {_TRUTH_MAX_VALUES} values)"
        return SpikeTrains._trusted(times, offsets, np.full(n_trials * n, t_start), np.full(n_trials * n, t_stop),
                                    np.tile(np.arange(n, dtype=np.int64), n_trials),
                                    np.repeat(np.arange(n_trials, dtype=np.int64), n), {"ground_truth": truth})


def simulate_glm(key: np.uint64, baseline: np.ndarray, drive: np.ndarray, filters: np.ndarray, link: int,
                 family: int, t_start: float, bin_size: float, n_bins: int, n_trials: int
                 ) -> tuple[np.ndarray, np.ndarray]:
    """Flat times and offsets (``n_trials * n`` trains, trial-major) from already-checked arrays.

    Regions are sized from the counts without history; a trial that outgrows
    its region is redrawn from the same stream, so history only costs time.
    """
    d = drive if drive.shape[1] else np.zeros((baseline.shape[0], 1))
    eta = np.ascontiguousarray(baseline[:, None] + d[:, :: max(1, d.shape[1] // 64)])  # <= 128 bins per neuron
    per_bin = bin_means(eta, link, family, bin_size)
    expected = np.full(n_trials, per_bin.mean(axis=1).sum() * n_bins)
    kernel = glm_realizations_parallel if use_parallel(expected) else glm_realizations
    def run_all(region: np.ndarray, bt: np.ndarray, bu: np.ndarray) -> np.ndarray:
        totals = kernel(key, baseline, drive, filters, link, family, t_start, bin_size, n_bins, region, bt, bu)
        check_glm_totals(totals, t_start, bin_size, RUNAWAY_MEAN)
        return totals

    (times, units), offsets = fill_trains(
        run_all,
        lambda r, ot, ou: glm_realization(key, r, baseline, drive, filters, link, family, t_start, bin_size,
                                          n_bins, ot, ou),
        expected, np.sqrt(expected) + 0.5 * expected, dtypes=(np.float64, np.int64))
    return split_by_unit(times, units, offsets, baseline.shape[0])


@dataclass(frozen=True, eq=False)
class GLMNeuron:
    """One binned GLM neuron: intercept, spike-history filter and stimulus filter.

    Parameters
    ----------
    intercept : float
        Baseline on the link scale (``exp(intercept)`` Hz for ``link="log"``).
    history : array (L,), optional
        ``history[l]``: effect of the neuron's own spike ``l + 1`` bins ago
        (link scale); strongly negative first lags make a refractory period.
    stimulus_filter : array (K,), optional
        Causal stimulus filter (lag 0 = the same bin).
    bin_size, family, link
        As in :class:`GLMPopulation`.
    """

    intercept: float
    history: Any = None
    stimulus_filter: Any = None
    bin_size: float = 1e-3
    family: str = "poisson"
    link: str = "log"

    def __post_init__(self) -> None:
        object.__setattr__(self, "intercept", check_scalar("intercept", self.intercept))
        for name in ("history", "stimulus_filter"):
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, as_float_array(name, value, ndim=1))
        self.population  # validates the rest  # noqa: B018

    @property
    def population(self) -> GLMPopulation:
        """The same model as a one-neuron :class:`GLMPopulation`."""
        return GLMPopulation(intercept=[self.intercept],
                             history=None if self.history is None else self.history[None, None, :],
                             stimulus_filter=None if self.stimulus_filter is None else self.stimulus_filter[None, :],
                             bin_size=self.bin_size, family=self.family, link=self.link)

    def simulate(self, n_trials: int = 1, t_stop: float = 1.0, *, stimulus: Any = None, t_start: float = 0.0,
                 rng: RNGLike = None) -> SpikeTrains:
        """Draw ``n_trials`` trains; see :meth:`GLMPopulation.simulate`."""
        return self.population.simulate(n_trials, t_stop, stimulus=stimulus, t_start=t_start, rng=rng)
