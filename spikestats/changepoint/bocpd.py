"""Bayesian online change-point detection (Adams & MacKay 2007) with Poisson-Gamma and Normal-Gamma models.

The detector keeps the posterior of the *run length* ``r_t`` (the number of
observations since the last change) after each observation and updates it in
one pass, so data can arrive chunk by chunk: ``partial_fit`` (or ``update``)
on consecutive chunks gives exactly the same posterior, MAP run lengths,
predictive probabilities and change points as one ``fit`` on the whole
sequence (the state carries everything, and every step does the same
floating-point operations in the same order).

Conventions
-----------
- Observation ``t`` (0-based) is ``x[t]`` (or the column ``x[:, t]`` of a
  ``(n_dims, n_steps)`` array: time is the last axis); after it the posterior is over
  ``r = 0 .. t + 1``, where ``r`` counts the most recent observations that
  belong to the current segment and ``r = 0`` means the next observation
  starts a new one. Row ``t + 1`` of ``run_length_posterior_`` holds it; row 0
  is the state before any observation (all mass at ``r = 0``).
- Hazard ``H(r)``: the probability that a segment holding ``r`` observations
  ends after its ``r``-th. A constant ``H`` is a geometric prior on segment
  lengths with mean ``1 / H`` observations.
- Detection rule: after observation ``t`` the MAP segment start is
  ``s_t = t + 1 - argmax_r p(r_t = r | x_0..x_t)``. A change point ``s`` (the
  index of the first observation of the new segment) is reported once the MAP
  segment start has been at least ``min_distance`` after the last reported
  change point for ``confirm`` consecutive observations; the reported value is
  the MAP start at that moment and ``detection_steps_`` records when.
- Approximation: the oldest segments (longest runs) whose posterior
  probability falls below ``prune_threshold`` are dropped and the rest
  renormalised (exact recursion with ``prune_threshold=0``); so are runs
  longer than ``max_run_length``. Memory and time per step are then of the
  order of the current run length rather than of the whole stream.
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable
from typing import Any

import numpy as np

from spikestats._validation import as_float_array, check_bool, check_option, check_scalar, fail
from spikestats.changepoint.results import ChangePointResult
from spikestats.core.spiketrains import SpikeTrains
from spikestats.exceptions import NotFittedError, ValidationError, ValidationTypeError

_MODELS = ("poisson", "gaussian")
_DEFAULT_PRIOR = {"poisson": (1.0, 1.0), "gaussian": (0.0, 1.0, 1.0, 1.0)}
#: Largest buffer (values) for the stored posterior rows of one kernel call; the kernel stops when it is
#: full and the wrapper continues with a new one (same result).
_ROW_BUFFER_MAX = 1 << 24


def _check_prior(model: str, prior: Any) -> np.ndarray:
    """Prior parameters as a float64 ``(4,)`` array for the kernel."""
    n = 2 if model == "poisson" else 4
    what = "(shape, rate) of the Gamma prior" if model == "poisson" else "(mu0, kappa0, alpha0, beta0)"
    values = _DEFAULT_PRIOR[model] if prior is None else prior
    arr = as_float_array("prior", values)
    if arr.shape != (n,):
        fail("prior", f"{n} numbers {what} for model={model!r}", prior, got=f"shape {arr.shape}")
    positive = arr if model == "poisson" else arr[1:]
    if np.any(positive <= 0):
        fail("prior", f"{what} with positive " + ("entries" if model == "poisson" else "kappa0, alpha0, beta0"),
             prior)
    out = np.zeros(4)
    out[:n] = arr
    return out


class _Hazard:
    """The hazard as log arrays indexed by run length - 1, extended on demand for callables."""

    def __init__(self, hazard: Any) -> None:
        self.fn: Callable | None = None
        if callable(hazard):
            self.fn = hazard
            self.values = np.empty(0)
        elif np.ndim(hazard) == 0:
            h = check_scalar("hazard", hazard)
            if not 0.0 < h < 1.0:
                fail("hazard", "a probability in (0, 1) (the constant hazard 1 / expected segment length)", hazard)
            self.values = np.array([h])
        else:
            self.values = self._check(as_float_array("hazard", hazard, ndim=1), hazard)
            if not self.values.size:
                fail("hazard", "a non-empty array of probabilities H(1), H(2), ...", hazard)
        self._logs()

    @staticmethod
    def _check(values: np.ndarray, given: Any) -> np.ndarray:
        bad = np.flatnonzero(~((values > 0.0) & (values < 1.0)))
        if bad.size:
            fail("hazard", "probabilities in (0, 1) for every run length", given,
                 got=f"{values[bad[0]]} for run length {bad[0] + 1}")
        return values

    def _logs(self) -> None:
        self.log_h = np.log(self.values)
        self.log_1mh = np.log1p(-self.values)

    def cover(self, n: int) -> None:
        """Make the arrays cover run lengths 1 .. n (callables only; arrays repeat their last value)."""
        if self.fn is None or self.values.size >= n:
            return
        r = np.arange(self.values.size + 1, max(n, 2 * self.values.size) + 1, dtype=np.int64)
        try:
            new = np.asarray(self.fn(r), dtype=np.float64)
        except Exception as exc:  # the user's function failed on an array of run lengths
            raise ValidationError(f"`hazard` must be a function of an int64 array of run lengths (1, 2, ...) "
                                  f"returning probabilities; calling it failed ({exc}).") from None
        if new.shape != r.shape:
            fail("hazard", "a function returning one probability per run length", self.fn,
                 got=f"shape {new.shape} for {r.size} run lengths")
        self.values = np.concatenate([self.values, self._check(new, self.fn)])
        self._logs()


class BayesianOnline:
    """Bayesian online change-point detection (Adams & MacKay 2007).

    Parameters
    ----------
    model : {"poisson", "gaussian"}, default "poisson"
        Observation model within a segment. ``"poisson"``: counts per step
        with a Gamma prior on their mean (per dimension; a population of
        units shares its change points). ``"gaussian"``: real values with
        unknown mean and variance under a Normal-Gamma prior.
    hazard : float, array_like or callable, default 1/250
        Probability ``H(r)`` that a segment holding ``r`` observations ends
        after its ``r``-th: a constant in (0, 1) (geometric segment lengths
        with mean ``1 / hazard`` observations), an array ``[H(1), H(2), ...]``
        (its last value repeats), or a function of an int64 array of run
        lengths returning probabilities in (0, 1).
    prior : tuple of float, optional
        ``(shape, rate)`` of the Gamma prior on the mean count per step for
        ``"poisson"`` (default ``(1, 1)``: prior mean one count per step);
        ``(mu0, kappa0, alpha0, beta0)`` of the Normal-Gamma prior for
        ``"gaussian"`` (default ``(0, 1, 1, 1)``). The prior is fixed before
        the first observation so that streaming gives the same result as
        one call; choose it on the scale of your data.
    bin_size : float, optional
        Bin width (s) used when ``fit`` receives spike trains (counted in
        bins of this width on their common window; ``"poisson"`` only).
        Change times are then in seconds.
    prune_threshold : float, default 1e-10
        Drop the oldest run lengths whose posterior probability is below
        this (0: the exact recursion, with memory growing with the stream).
    max_run_length : int, optional
        Also drop runs longer than this many observations.
    confirm : int, default 3
        Consecutive observations for which the MAP segment start must point
        after the last change before a change point is reported.
    min_distance : int, default 1
        Minimum number of observations between reported change points.
    store_posterior : bool, default True
        Keep the run-length posterior of every step (``run_length_posterior_``).

    Attributes
    ----------
    run_length_posterior_ : numpy.ndarray, shape (n_steps + 1, max_run + 1)
        ``p(r_t = r | x_0..x_t)`` in row ``t + 1`` (row 0: the initial state);
        run lengths that were pruned (or never reached) hold 0.
    map_run_length_ : numpy.ndarray of int64, shape (n_steps,)
        MAP run length after each observation.
    predictive_log_prob_ : numpy.ndarray, shape (n_steps,)
        One-step predictive log probability (density for ``"gaussian"``)
        ``log p(x_t | x_0..x_{t-1})``; their sum is the log evidence.
    change_points_ : numpy.ndarray of int64, shape (n_changes,)
        Indices of the first observation of each detected new segment.
    detection_steps_ : numpy.ndarray of int64, shape (n_changes,)
        Observation after which each change point was reported (its delay is
        ``detection_steps_ - change_points_ + 1`` observations).
    change_times_ : numpy.ndarray, shape (n_changes,)
        Change times (s) for spike-train input (left bin edges), else the
        change points as floats.
    n_steps_ : int
        Observations seen so far.
    current_run_length_posterior_ : numpy.ndarray
        ``p(r | x)`` after the last observation, ``r = 0 ..``.

    References
    ----------
    Adams, R. P. & MacKay, D. J. C. (2007). Bayesian online changepoint
    detection. arXiv:0710.3742.
    """

    def __init__(self, *, model: str = "poisson", hazard: Any = 1 / 250, prior: Any = None,
                 bin_size: float | None = None, prune_threshold: float = 1e-10, max_run_length: int | None = None,
                 confirm: int = 3, min_distance: int = 1, store_posterior: bool = True) -> None:
        self.model = model
        self.hazard = hazard
        self.prior = prior
        self.bin_size = bin_size
        self.prune_threshold = prune_threshold
        self.max_run_length = max_run_length
        self.confirm = confirm
        self.min_distance = min_distance
        self.store_posterior = store_posterior

    # ------------------------------------------------------------------ estimator protocol
    @classmethod
    def _param_names(cls) -> list[str]:
        return [p for p in inspect.signature(cls.__init__).parameters if p != "self"]

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """Constructor parameters (scikit-learn protocol)."""
        return {name: getattr(self, name) for name in self._param_names()}

    def set_params(self, **params: Any) -> BayesianOnline:
        """Set constructor parameters (scikit-learn protocol); returns self."""
        names = self._param_names()
        for key, value in params.items():
            if key not in names:
                fail(key, f"one of the parameters {names}", value)
            setattr(self, key, value)
        return self

    def __repr__(self) -> str:
        sig = inspect.signature(type(self).__init__).parameters
        changed = [f"{k}={v!r}" for k, v in self.get_params().items() if sig[k].default is not v
                   and not (isinstance(v, (int, float, str)) and v == sig[k].default)]
        return f"{type(self).__name__}({', '.join(changed)})"

    # ------------------------------------------------------------------ fitting
    def _setup(self) -> None:
        model = check_option("model", self.model, _MODELS)
        self._model_code = _MODELS.index(model)
        self._prior = _check_prior(model, self.prior)
        self._hazard = _Hazard(self.hazard)
        prune = check_scalar("prune_threshold", self.prune_threshold, nonnegative=True, maximum=0.5)
        self._log_prune = math.log(prune) if prune > 0 else -np.inf
        self._max_run = -1 if self.max_run_length is None else check_scalar(
            "max_run_length", self.max_run_length, integer=True, minimum=1)
        self._confirm = check_scalar("confirm", self.confirm, integer=True, minimum=1)
        self._min_distance = check_scalar("min_distance", self.min_distance, integer=True, minimum=1)
        self._store = check_bool("store_posterior", self.store_posterior)
        self._bin = None if self.bin_size is None else check_scalar("bin_size", self.bin_size, positive=True)
        self._dims: int | None = None
        self._state = {"lp": np.zeros(1), "A": None, "B": None, "nobs": np.zeros(1, dtype=np.int64),
                       "last_cp": 0, "streak": 0}
        self._rows: list[np.ndarray] = [np.ones(1)]
        self._row_lengths: list[np.ndarray] = [np.ones(1, dtype=np.int64)]
        self._x: list[np.ndarray] = []
        self._map: list[np.ndarray] = []
        self._pred: list[np.ndarray] = []
        self._cp: list[np.ndarray] = []
        self._cp_step: list[np.ndarray] = []
        self._edges: np.ndarray | None = None
        self._units: np.ndarray | None = None
        self._dense: np.ndarray | None = None
        self.n_steps_ = 0

    def _observations(self, x: Any, *, first: bool) -> np.ndarray:
        """Validate one chunk as a float64 ``(n_steps, n_dims)`` array."""
        if isinstance(x, SpikeTrains):
            if not first:
                fail("x", "an array of counts for partial_fit / update", x, kind=ValidationTypeError,
                     fix="Bin the new spikes yourself (st.bin(bin_size).counts) and pass the counts.")
            return self._binned(x)
        arr = as_float_array("x", x)
        if arr.ndim not in (1, 2):
            fail("x", "a 1-d array (n_steps,) or a 2-d array (n_dims, n_steps), time last", x,
                 got=f"an array of shape {arr.shape}")
        arr = arr[:, None] if arr.ndim == 1 else arr.T
        if arr.shape[1] == 0:
            fail("x", "at least one dimension", x, got=f"an array of shape {arr.shape}")
        if self._model_code == 0 and arr.size:
            bad = np.flatnonzero((arr < 0).ravel() | (arr != np.floor(arr)).ravel())
            if bad.size:
                fail("x", "non-negative whole counts for model='poisson'", x,
                     got=f"{arr.ravel()[bad[0]]} at flat index {bad[0]}",
                     fix="Use model='gaussian' for real-valued signals.")
        if self._dims is None:
            self._dims = arr.shape[1]
        elif arr.shape[1] != self._dims:
            fail("x", f"{self._dims} dimension(s) per observation, as in earlier chunks", x,
                 got=f"an array of shape {arr.shape}")
        return np.ascontiguousarray(arr)

    def _binned(self, st: SpikeTrains) -> np.ndarray:
        if self._model_code != 0:
            fail("model", "'poisson' for spike-train input", self.model)
        if self._bin is None:
            fail("bin_size", "given (seconds) to fit spike trains", self.bin_size,
                 fix="Pass bin_size=..., or pass binned counts.")
        if st.n_trains == 0:
            fail("x", "at least one spike train", st, got="no trains")
        binned = st.bin(self._bin)
        if binned.n_bins < 2:
            fail("bin_size", f"small enough for at least 2 bins in the window "
                 f"[{binned.edges[0]}, {binned.edges[-1]}] s", self.bin_size)
        self._edges = binned.edges
        self._units = np.asarray(st.unit)
        self._dims = binned.counts.shape[0]
        return np.ascontiguousarray(binned.counts.T, dtype=np.float64)

    def fit(self, x: Any, y: Any = None) -> BayesianOnline:
        """Run the detector on a whole sequence, forgetting any earlier data.

        Parameters
        ----------
        x : array_like, shape (n_steps,) or (n_dims, n_steps), or SpikeTrains
            Counts per step (``"poisson"``), real values (``"gaussian"``), or
            spike trains binned with ``bin_size`` (one dimension per train).
            Time is the last axis, as in the other change-point estimators.
        y : ignored

        Returns
        -------
        BayesianOnline
            ``self``, fitted.
        """
        self._setup()
        return self._consume(self._observations(x, first=True))

    def partial_fit(self, x: Any, y: Any = None) -> BayesianOnline:
        """Continue with the next chunk of the stream (starts a new stream when not fitted).

        Consecutive chunks give exactly the result of one :meth:`fit` on their
        concatenation.

        Parameters
        ----------
        x : array_like, shape (n_chunk,) or (n_dims, n_chunk)
        y : ignored

        Returns
        -------
        BayesianOnline
            ``self``.
        """
        if not hasattr(self, "_state"):
            self._setup()
        return self._consume(self._observations(x, first=False))

    update = partial_fit

    def _consume(self, x: np.ndarray) -> BayesianOnline:
        from spikestats._kernels.bocpd import bocpd_detect, bocpd_steps

        n, d = x.shape
        st = self._state
        if st["A"] is None:
            st["A"] = np.empty((1, d))
            st["B"] = np.empty((1, d))
            p = self._prior
            st["A"][0] = p[0]
            st["B"][0] = p[1] if self._model_code == 0 else p[3]
        if n == 0:
            return self._finish()
        L = st["lp"].shape[0]
        cap = L + n + 1
        lp = np.empty(cap)
        A = np.empty((cap, d))
        B = np.empty((cap, d))
        nobs = np.empty(cap, dtype=np.int64)
        lp[:L], A[:L], B[:L], nobs[:L] = st["lp"], st["A"], st["B"], st["nobs"]
        self._hazard.cover(self.n_steps_ + n + 1)
        map_run = np.empty(n, dtype=np.int64)
        pred = np.empty(n)
        first, last, done = 0, L, 0
        while done < n:
            rows = np.empty(min(max(4 * (last - first) * (n - done), 1024), max(_ROW_BUFFER_MAX, 2 * (last - first) + 4))
                            if self._store else 0)
            offsets = np.zeros(n - done + 1, dtype=np.int64)
            k, first, last, n_rows = bocpd_steps(self._model_code, x[done:], self._prior, lp, A, B, nobs, first,
                                                 last, self._hazard.log_h, self._hazard.log_1mh, self._log_prune,
                                                 self._max_run, self._store, rows, offsets, 0,
                                                 map_run[done:], pred[done:])
            if self._store:
                self._rows.append(rows[:offsets[n_rows]])
                self._row_lengths.append(np.diff(offsets[:n_rows + 1]))
            done += k
        st["lp"], st["A"], st["B"], st["nobs"] = (lp[first:last].copy(), A[first:last].copy(),
                                                  B[first:last].copy(), nobs[first:last].copy())
        cp = np.empty(n, dtype=np.int64)
        step = np.empty(n, dtype=np.int64)
        found, st["last_cp"], st["streak"] = bocpd_detect(map_run, self.n_steps_, self._confirm,
                                                          self._min_distance, self._max_run, st["last_cp"],
                                                          st["streak"], cp, step)
        self._cp.append(cp[:found])
        self._cp_step.append(step[:found])
        self._map.append(map_run)
        self._pred.append(pred)
        self._x.append(x)
        self.n_steps_ += n
        return self._finish()

    def _finish(self) -> BayesianOnline:
        self.map_run_length_ = np.concatenate(self._map) if self._map else np.empty(0, dtype=np.int64)
        self.predictive_log_prob_ = np.concatenate(self._pred) if self._pred else np.empty(0)
        self.change_points_ = np.concatenate(self._cp) if self._cp else np.empty(0, dtype=np.int64)
        self.detection_steps_ = np.concatenate(self._cp_step) if self._cp_step else np.empty(0, dtype=np.int64)
        if self._edges is not None:
            self.change_times_ = self._edges[self.change_points_]
        else:
            self.change_times_ = self.change_points_.astype(np.float64)
        self.current_run_length_posterior_ = np.exp(self._state["lp"][::-1])
        self._dense = None
        return self

    # ------------------------------------------------------------------ results
    def _check_fitted(self) -> None:
        if not hasattr(self, "n_steps_"):
            raise NotFittedError(f"This {type(self).__name__} is not fitted yet; call fit(x) or partial_fit(x) "
                                 f"first.")

    @property
    def run_length_posterior_(self) -> np.ndarray:
        """Run-length posterior of every step, ``(n_steps + 1, max_run + 1)`` (built on first access)."""
        self._check_fitted()
        if not self._store:
            raise NotFittedError("The run-length posterior was not kept (store_posterior=False); "
                                 "current_run_length_posterior_ holds the last one.")
        if self._dense is None:
            lengths = np.concatenate(self._row_lengths)
            values = np.concatenate(self._rows)
            width = int(lengths.max())
            dense = np.zeros((lengths.size, width))
            rows = np.repeat(np.arange(lengths.size), lengths)
            starts = np.repeat(np.cumsum(lengths) - lengths, lengths)
            dense[rows, np.arange(values.size) - starts] = values
            self._dense = dense
        return self._dense

    def result(self, confidence: float = 0.95) -> ChangePointResult:
        """The detected segmentation as a :class:`ChangePointResult`.

        Rates are per segment: counts per second for spike-train input,
        counts per step for counts (``bin_size`` of 1 step), the segment mean
        for ``"gaussian"``. Rate intervals: exact Poisson (Garwood) for
        counts, Student-t for Gaussian means. Each change time gets the
        interval of its location at the step it was reported (when
        ``store_posterior``): the run-length posterior of that step gives
        the segment start ``s = t + 1 - r``; restricted to starts after the
        previous change point and renormalised, the most probable starts
        that hold ``confidence`` of the mass span the interval (left bin
        edges, in s). It uses the data up to the detection only, as an
        online detector knows them.

        Parameters
        ----------
        confidence : float, default 0.95

        Returns
        -------
        ChangePointResult
        """
        self._check_fitted()
        from spikestats.changepoint.costs import NormalMeanVarCost, PoissonCost

        confidence = check_scalar("confidence", confidence, minimum=0.0, maximum=1.0)
        if self.n_steps_ == 0:
            fail("x", "at least one observation before result()", self.n_steps_, kind=NotFittedError)
        cost = PoissonCost() if self._model_code == 0 else NormalMeanVarCost()
        prep = cost.prepare(self._data().T)
        bounds = np.concatenate([[0], self.change_points_, [self.n_steps_]])
        width = 1.0 if self._edges is None else float(self._edges[1] - self._edges[0])
        scale = width if self._model_code == 0 else 1.0
        rates = cost.segment_params(prep, bounds) / scale
        intervals = cost.param_intervals(prep, bounds, confidence) / scale
        if rates.shape[0] == 1:
            rates, intervals = rates[0], intervals[0]
        t0 = 0.0 if self._edges is None else float(self._edges[0])
        edges = t0 + bounds * width
        located = self._change_intervals(confidence) if self._store else None
        return ChangePointResult(change_times=edges[1:-1].copy(), change_points=self.change_points_.copy(),
                                 rates=rates, rate_intervals=intervals, edges=edges, method="bocpd",
                                 cost=self.model, units=self._units, confidence=confidence,
                                 intervals=None if located is None else t0 + located * width,
                                 interval_method=("run-length posterior at detection; " if self._store else "")
                                 + ("exact Poisson rates" if self._model_code == 0 else "Student t means"))

    def _change_intervals(self, confidence: float) -> np.ndarray:
        """``(n_changes, 2)`` change-point index intervals from the run-length posterior at each detection."""
        lengths = np.concatenate(self._row_lengths)
        values = np.concatenate(self._rows)
        starts = np.concatenate([[0], np.cumsum(lengths)])
        out = np.empty((self.change_points_.size, 2))
        previous = 0
        for i, (cp, t) in enumerate(zip(self.change_points_, self.detection_steps_)):
            row = values[starts[t + 1]:starts[t + 2]]  # row t + 1: after observation t
            seg_start = t + 1 - np.arange(row.size)
            keep = (seg_start > previous) & (seg_start <= t)
            p, s = row[keep], seg_start[keep]
            order = np.argsort(-p, kind="stable")
            need = np.searchsorted(np.cumsum(p[order]), confidence * p.sum()) + 1
            chosen = s[order[:need]]
            out[i] = chosen.min(), chosen.max()
            previous = cp
        return out

    def _data(self) -> np.ndarray:
        """All observations so far, ``(n_steps, n_dims)``."""
        return np.concatenate(self._x) if self._x else np.empty((0, self._dims or 1))
