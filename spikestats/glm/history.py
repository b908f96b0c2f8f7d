"""GLMs of spike trains with spike history, coupling and stimulus filters, fitted from spike times.

:class:`HistoryGLM` builds its design from SpikeTrains (:func:`design_matrix`),
fits it with :class:`PoissonGLM` / :class:`BernoulliGLM` and exposes the fitted
filters as time series with pointwise confidence bands, the conditional
intensity, goodness-of-fit inputs and simulation from the fit (through the
kernel :mod:`spikestats._kernels.glm_sim` that the generators use).
:class:`PopulationGLM` fits one coupled model per unit in parallel (Pillow et
al. 2008, Nature 454: 995; Truccolo et al. 2005, J Neurophysiol 93: 1074).
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np

from spikestats._validation import check_glm_totals, check_option, check_rng, check_scalar, fail
from spikestats.core.spiketrains import SpikeTrains, as_spiketrains
from spikestats.exceptions import NotFittedError, ValidationTypeError
from spikestats.glm._params import ParamsMixin
from spikestats.glm.bases import Basis, RaisedCosineBasis
from spikestats.glm.design import Design, design_matrix
from spikestats.glm.estimators import BernoulliGLM, PoissonGLM
from spikestats.typing import RNGLike

__all__ = ["FilterEstimate", "ConditionalIntensity", "HistoryGLM", "PopulationGLM"]

#: z of a two-sided 95 % interval.
_Z95 = 1.959963984540054
#: (family, link) -> (estimator link, whether the offset log(bin_size) applies)
_LINKS = {("poisson", "log"): ("log", True), ("bernoulli", "log"): ("cloglog", True),
          ("bernoulli", "logit"): ("logit", False)}


@dataclass(frozen=True, eq=False)
class FilterEstimate:
    """A fitted filter on its lags, with pointwise 95 % Wald bands.

    Attributes
    ----------
    lags : numpy.ndarray, shape (n_lags,)
        Lags in seconds (``k * bin_size``, ``k = 1 ..`` for history and
        coupling, ``k = 0 ..`` for a stimulus).
    log_gain : numpy.ndarray, shape (n_lags,)
        The filter on the link scale: ``sum_j w_j b_j(lag)``.
    stderr : numpy.ndarray, shape (n_lags,)
        Pointwise standard error ``sqrt(b(lag)' Cov(w) b(lag))`` (NaN where the
        covariance is not available, e.g. L1-zeroed weights).
    name : str
        Group of the design (``"history"``, ``"coupling[2]"``, ``"stimulus"``).

    Notes
    -----
    For the log link ``gain = exp(log_gain)`` multiplies the rate (1: no
    effect; near 0 right after a spike: refractoriness). For the logit link
    it multiplies the odds of a spike in a bin.
    """

    lags: np.ndarray
    log_gain: np.ndarray
    stderr: np.ndarray
    name: str = "history"

    @property
    def log_lower(self) -> np.ndarray:
        """Lower end of the pointwise 95 % band on the link scale."""
        return self.log_gain - _Z95 * self.stderr

    @property
    def log_upper(self) -> np.ndarray:
        """Upper end of the pointwise 95 % band on the link scale."""
        return self.log_gain + _Z95 * self.stderr

    @property
    def gain(self) -> np.ndarray:
        """``exp(log_gain)``: the multiplicative effect on the rate (or odds)."""
        return np.exp(self.log_gain)

    @property
    def lower(self) -> np.ndarray:
        """Lower end of the 95 % band of :attr:`gain`."""
        return np.exp(self.log_lower)

    @property
    def upper(self) -> np.ndarray:
        """Upper end of the 95 % band of :attr:`gain` (inf where the band is unbounded)."""
        with np.errstate(over="ignore"):
            return np.exp(self.log_upper)

    def plot(self, ax: Any = None, *, scale: str = "gain", **kwargs: Any) -> Any:
        """The filter with its band against lag in ms (``scale="gain"`` or ``"log"``); returns the Axes."""
        from spikestats.plotting.glm import filter_plot

        check_option("scale", scale, ("gain", "log"))
        if scale == "gain":
            return filter_plot(self.lags, self.gain, self.lower, self.upper, ax=ax, scale=scale, **kwargs)
        return filter_plot(self.lags, self.log_gain, self.log_lower, self.log_upper, ax=ax, scale=scale, **kwargs)

    def __repr__(self) -> str:
        return (f"FilterEstimate(name={self.name!r}, n_lags={self.lags.size}, lags=[{self.lags[0]:g}, "
                f"{self.lags[-1]:g}] s, gain=[{self.gain.min():.3g}, {self.gain.max():.3g}])")


@dataclass(frozen=True, eq=False)
class ConditionalIntensity:
    """Conditional intensity of a fitted model per bin, trial after trial.

    Attributes
    ----------
    rate : numpy.ndarray, shape (n_bins,)
        Conditional intensity in Hz (for Bernoulli models ``-log(1 - p) / bin_size``,
        the rate of a Poisson process with the same chance of a spike in the bin).
    bin_start : numpy.ndarray, shape (n_bins,)
        Start of each bin (s).
    bin_size : float
        Bin width (s).
    block_row0 : numpy.ndarray of int64, shape (n_trials + 1,)
        First bin of each trial.
    train : numpy.ndarray of int64, shape (n_trials,)
        Index in the SpikeTrains of the modelled unit's train in each trial.
    unit : int or str
        The modelled unit.
    """

    rate: np.ndarray
    bin_start: np.ndarray
    bin_size: float
    block_row0: np.ndarray
    train: np.ndarray
    unit: Any

    def trial(self, q: int) -> tuple[np.ndarray, np.ndarray]:
        """Bin start times and rates of trial ``q``."""
        a, b = self.block_row0[q], self.block_row0[q + 1]
        return self.bin_start[a:b], self.rate[a:b]

    def __repr__(self) -> str:
        return (f"ConditionalIntensity(unit={self.unit!r}, n_bins={self.rate.size}, n_trials={self.train.size}, "
                f"bin_size={self.bin_size:g}, mean_rate={self.rate.mean():.4g} Hz)")


def _keep(estimator: Any, **params: Any) -> None:
    """Store constructor parameters as given (the scikit-learn contract: no logic in ``__init__``)."""
    for name, value in params.items():
        setattr(estimator, name, value)


def _filter_estimate(name: str, basis: Basis | None, bin_size: float, weights: np.ndarray, cov: np.ndarray,
                     causal: bool, feature: int = 0) -> FilterEstimate:
    if basis is None:  # a raw stimulus column: a lag-0 weight
        return FilterEstimate(np.zeros(1), weights[:1].copy(), np.sqrt(np.diag(cov))[:1], name)
    b = basis.sample(bin_size, causal=causal)
    var = np.einsum("lj,jk,lk->l", b, cov, b)
    return FilterEstimate(basis.lags(bin_size, causal=causal), b @ weights, np.sqrt(np.maximum(var, 0.0)), name)


class HistoryGLM(ParamsMixin):
    """GLM of a spike train's conditional intensity from its own history, other units and a stimulus.

    In bin ``b`` of width ``bin_size`` (log link, Poisson family)

        log lambda_b = intercept + sum_j w_j x_bj,
        y_b ~ Poisson(lambda_b * bin_size),

    where the columns ``x`` are the spike-history (and coupling, stimulus)
    columns of :func:`design_matrix`: ``lambda`` is in Hz and
    ``exp(intercept_)`` is the rate with no history.

    Parameters
    ----------
    history : Basis, default RaisedCosineBasis(n_basis=8, t_max=0.1)
        Basis of the spike-history filter (``None``: no history).
    bin_size : float, default 0.001
        Bin width in seconds.
    alpha, l1_ratio : float
        Penalty of :class:`PoissonGLM` (scikit-learn's scaling).
    link : {"log", "logit"}
        ``"log"``: ``lambda = exp(eta)`` Hz (with ``family="bernoulli"``, a spike
        in a bin has probability ``1 - exp(-lambda * bin_size)``: the
        complementary log-log link with offset ``log(bin_size)``).
        ``"logit"`` (Bernoulli only): ``eta`` is the log-odds of a spike per bin.
    family : {"poisson", "bernoulli"}
        Count per bin, or spike / no spike (bins with several spikes count once).
    stimulus_basis : Basis, optional
        Basis of the stimulus filter when ``fit`` gets a stimulus (``None``:
        the stimulus enters unfiltered).
    cov_type, max_iter, tol
        Passed to the estimator.

    Attributes
    ----------
    coef_ : numpy.ndarray, shape (n_features,)
    intercept_ : float
    stderr_, pvalues_ : numpy.ndarray, shape (n_features + 1,)
        Intercept first.
    cov_ : numpy.ndarray, shape (n_features + 1, n_features + 1)
    log_likelihood_, null_log_likelihood_, aic_, bic_, deviance_ : float
        From the estimator (the null model is the homogeneous one).
    history_filter_ : FilterEstimate or None
    filters_ : dict of str -> FilterEstimate
        Every fitted filter by design group (``"history"``, ``"coupling[u]"``,
        ``"stimulus"`` or ``"stimulus[f]"``).
    estimator_ : PoissonGLM or BernoulliGLM
    unit_, feature_names_, n_spikes_, bin_size_

    Notes
    -----
    Bands of ridge fits are the approximate (Bayesian) intervals described in
    :class:`PoissonGLM`.
    """

    def __init__(self, *, history: Basis | None = RaisedCosineBasis(), bin_size: float = 0.001,
                 alpha: float = 0.0, l1_ratio: float = 0.0, link: str = "log", family: str = "poisson",
                 stimulus_basis: Basis | None = None, cov_type: str = "observed", max_iter: int = 100,
                 tol: float = 1e-8) -> None:
        _keep(self, history=history, bin_size=bin_size, alpha=alpha, l1_ratio=l1_ratio, link=link, family=family,
              stimulus_basis=stimulus_basis, cov_type=cov_type, max_iter=max_iter, tol=tol)

    # ------------------------------------------------------------------ fitting
    def _estimator_link(self) -> tuple[str, bool]:
        family = check_option("family", self.family, ("poisson", "bernoulli"))
        link = check_option("link", self.link, ("log", "logit"))
        if (family, link) not in _LINKS:
            fail("link", "'log' for family='poisson'", self.link, "Use family='bernoulli' with link='logit'.")
        return _LINKS[family, link]

    def _estimator(self) -> PoissonGLM | BernoulliGLM:
        link, _ = self._estimator_link()
        cls = PoissonGLM if self.family == "poisson" else BernoulliGLM
        return cls(alpha=self.alpha, l1_ratio=self.l1_ratio, link=link, cov_type=self.cov_type,
                   max_iter=self.max_iter, tol=self.tol)

    def _design(self, st: Any, stimulus: Any, coupling: bool | Basis, unit: Any, bin_size: float) -> Design:
        if self.history is not None and not isinstance(self.history, Basis):
            fail("history", "a basis (e.g. RaisedCosineBasis()) or None", self.history, kind=ValidationTypeError)
        return design_matrix(st, bin_size, history=self.history, coupling=coupling, stimulus=stimulus,
                             stimulus_basis=self.stimulus_basis if stimulus is not None else None, unit=unit)

    def _counts(self, design: Design) -> np.ndarray:
        return np.minimum(design.y, 1) if self.family == "bernoulli" else design.y

    def _offset(self, design: Design) -> np.ndarray | None:
        return design.offset if self._estimator_link()[1] else None

    def fit(self, st: Any, stimulus: Any = None, coupling: bool | Basis = False, *, unit: Any = None) -> HistoryGLM:
        """Build the design from ``st`` and fit it.

        Parameters
        ----------
        st : SpikeTrains or array_like
            Spike trains (s), one train per (unit, trial).
        stimulus : (times, values) pair or array, optional
            See :func:`design_matrix`.
        coupling : bool or Basis, default False
            Coupling filters from every other unit of ``st`` (``True``: the
            history basis).
        unit : int or str, optional
            The unit to model (required when ``st`` holds several).

        Returns
        -------
        self
        """
        bin_size = check_scalar("bin_size", self.bin_size, positive=True)
        est = self._estimator()
        design = self._design(st, stimulus, coupling, unit, bin_size)
        if design.X.shape[1] == 0:
            fail("history", "a basis, or a stimulus or coupling given to fit (the model has no covariate)",
                 self.history)
        est.fit(design.X, self._counts(design), offset=self._offset(design))
        self.estimator_ = est
        self.bin_size_ = bin_size
        self.unit_ = design.unit
        self.coupling_ = coupling
        self.feature_names_ = design.names
        self.groups_ = dict(design.groups)
        self.bases_ = dict(design.bases)
        self.n_stimulus_features_ = design.n_stimulus_features
        for name in ("coef_", "intercept_", "stderr_", "pvalues_", "cov_", "log_likelihood_",
                     "null_log_likelihood_", "aic_", "bic_", "deviance_", "n_spikes_", "converged_"):
            setattr(self, name, getattr(est, name))
        self.filters_ = self._filters()
        self.history_filter_ = self.filters_.get("history")
        return self

    def _filters(self) -> dict[str, FilterEstimate]:
        out = {}
        cov = self.cov_[1:, 1:]
        for group, cols in self.groups_.items():
            basis = self.bases_[group]
            if group == "stimulus":
                k = self.n_stimulus_features_
                width = (cols.stop - cols.start) // k
                for f in range(k):
                    sub = slice(cols.start + f * width, cols.start + (f + 1) * width)
                    name = "stimulus" if k == 1 else f"stimulus[{f}]"
                    out[name] = _filter_estimate(name, basis, self.bin_size_, self.coef_[sub], cov[sub, sub], False)
            else:
                out[group] = _filter_estimate(group, basis, self.bin_size_, self.coef_[cols], cov[cols, cols], True)
        return out

    def _check_fitted(self) -> None:
        if not hasattr(self, "estimator_"):
            raise NotFittedError(f"This {type(self).__name__} is not fitted yet; call fit(st) first.")

    # ------------------------------------------------------------------ use of the fit
    def _rates(self, design: Design, scale_stimulus: float = 1.0) -> np.ndarray:
        X = design.X
        if scale_stimulus != 1.0 and "stimulus" in design.groups and self.bases_.get("stimulus") is not None:
            X = X.copy()
            X[:, design.groups["stimulus"]] *= scale_stimulus
        eta = X @ self.coef_ + self.intercept_
        offset = self._offset(design)
        mu = self.estimator_.family_.mean(eta if offset is None else eta + offset)
        if self.family == "poisson":
            return mu / design.bin_size
        return -np.log1p(-np.minimum(mu, 1.0 - 1e-16)) / design.bin_size

    def conditional_intensity(self, st: Any, stimulus: Any = None, *, bin_size: float | None = None
                              ) -> ConditionalIntensity:
        """Conditional intensity (Hz) of the fitted unit given the spikes of ``st``, per bin.

        Parameters
        ----------
        st : SpikeTrains or array_like
            Spike trains holding the fitted unit (and the coupled units).
        stimulus : optional
            The stimulus, for models fitted with one.
        bin_size : float, optional
            Resolution (s): the model's bin size (default) or that divided by
            a whole number ``m``. The filters are functions of lag (their
            bases are re-sampled) and the intercept a log-rate in Hz, so the
            finer intensity is the same model between spikes; lagged stimulus
            sums are scaled by ``1 / m``. Log-link models only.

        Returns
        -------
        ConditionalIntensity
        """
        self._check_fitted()
        dt = self.bin_size_
        scale = 1.0
        if bin_size is not None:
            dt = check_scalar("bin_size", bin_size, positive=True)
            m = self.bin_size_ / dt
            if abs(m - round(m)) > 1e-9 * m or round(m) < 1:
                fail("bin_size", f"the model's bin size {self.bin_size_:g} s divided by a whole number", bin_size)
            if round(m) > 1 and self.link != "log":
                fail("bin_size", f"the model's bin size {self.bin_size_:g} s for a logit model", bin_size)
            scale = 1.0 / round(m)
        design = self._design(st, self._check_stimulus(stimulus), self.coupling_, self.unit_, dt)
        return ConditionalIntensity(rate=self._rates(design, scale), bin_start=design.bin_start, bin_size=dt,
                                    block_row0=design.block_row0, train=design.train, unit=design.unit)

    def _check_stimulus(self, stimulus: Any) -> Any:
        if (stimulus is None) != (self.n_stimulus_features_ == 0):
            fail("stimulus", "given exactly when the model was fitted with one", stimulus)
        return stimulus

    def log_likelihood(self, st: Any, stimulus: Any = None) -> float:
        """Log-likelihood (nats, constants included) of ``st`` under the fitted model."""
        self._check_fitted()
        design = self._design(st, self._check_stimulus(stimulus), self.coupling_, self.unit_, self.bin_size_)
        return self.estimator_.log_likelihood(design.X, self._counts(design), offset=self._offset(design))

    def bits_per_spike(self, st: Any, stimulus: Any = None) -> float:
        """Log-likelihood gain over a homogeneous model, in bits per spike.

        ``(log L_model - log L_hom) / (n_spikes * log 2)`` on ``st``, where the
        homogeneous model has the constant rate (or spike probability) that
        maximises its likelihood on ``st`` itself (Pillow et al. 2008). On the
        training data this is ``(log_likelihood_ - null_log_likelihood_) /
        (n_spikes_ log 2)``.
        """
        self._check_fitted()
        design = self._design(st, self._check_stimulus(stimulus), self.coupling_, self.unit_, self.bin_size_)
        y = self._counts(design)
        n_spikes = float(y.sum())
        if n_spikes == 0:
            fail("st", f"spikes of unit {self.unit_!r} (bits per spike need at least one)", st)
        family = self.estimator_.family_
        model = self.estimator_.log_likelihood(design.X, y, offset=self._offset(design))
        null = float(family.log_likelihood(y, np.full(y.shape, n_spikes / y.size)).sum())
        return (model - null) / (n_spikes * np.log(2.0))

    # ------------------------------------------------------------------ simulation
    def _kernel_codes(self) -> tuple[int, int]:
        from spikestats._kernels.glm_sim import BERNOULLI, LOG, LOGIT, POISSON

        return (LOGIT if self.link == "logit" else LOG), (POISSON if self.family == "poisson" else BERNOULLI)

    def _stimulus_drive(self, stimulus: Any, t_start: float, t_stop: float) -> np.ndarray:
        """Filtered stimulus ``(n_bins,)`` on ``[t_start, t_stop]`` (link scale)."""
        empty = SpikeTrains.from_list([np.empty(0)], t_start=t_start, t_stop=t_stop)
        design = design_matrix(empty, self.bin_size_, stimulus=stimulus, stimulus_basis=self.bases_["stimulus"])
        return design.X @ self.coef_[self.groups_["stimulus"]]

    def simulate(self, t_stop: float, n_trials: int = 1, *, t_start: float = 0.0, stimulus: Any = None,
                 rng: RNGLike = None) -> SpikeTrains:
        """Spike trains drawn from the fitted model, recurrently (each spike feeds the history of later bins).

        Parameters
        ----------
        t_stop : float
            End of each trial (s); trials hold ``floor((t_stop - t_start) / bin_size)`` bins.
        n_trials : int, default 1
            Independent realisations, each starting with no history.
        t_start : float, default 0.0
        stimulus : optional
            The stimulus over ``[t_start, t_stop]``, for models fitted with one.
        rng : int, Generator or anything ``np.random.default_rng`` accepts
            Same ``rng``, same trains (whatever the number of threads).

        Returns
        -------
        SpikeTrains
            ``n_trials`` trains of the fitted unit; spikes at bin centres (a
            count ``c`` gives ``c`` equal times), as the generators' GLMs.
        """
        self._check_fitted()
        if self.coupling_ is not False:
            fail("self", "a model without coupling (a coupled unit needs the other units' spikes)", self,
                 got="a model fitted with coupling", fix="Fit and simulate a PopulationGLM instead.")
        t_start, t_stop, n_trials, n_bins = _window(t_start, t_stop, n_trials, self.bin_size_)
        stimulus = self._check_stimulus(stimulus)
        drive = (np.zeros((1, 0)) if stimulus is None
                 else self._stimulus_drive(stimulus, t_start, t_start + n_bins * self.bin_size_)[None, :])
        filters = np.zeros((1, 1, 0))
        if self.history_filter_ is not None:
            filters = self.history_filter_.log_gain[None, None, :]
        link, family = self._kernel_codes()
        times, offsets = simulate_realizations(check_rng(rng), np.array([self.intercept_]), drive, filters, link,
                                               family, t_start, self.bin_size_, n_bins, n_trials)
        return SpikeTrains._trusted(times, offsets, np.full(n_trials, t_start), np.full(n_trials, t_stop),
                                    _label_array([self.unit_] * n_trials),
                                    np.arange(n_trials, dtype=np.int64), {})


def _label_array(labels: list) -> np.ndarray:
    """Unit labels as SpikeTrains stores them (int64 or str)."""
    arr = np.asarray(labels)
    return arr.astype(np.int64) if arr.dtype.kind in "iub" else arr.astype(str)


def _window(t_start: Any, t_stop: Any, n_trials: Any, bin_size: float) -> tuple[float, float, int, int]:
    from spikestats._config import n_whole_bins

    t_start = check_scalar("t_start", t_start)
    t_stop = check_scalar("t_stop", t_stop)
    n_trials = check_scalar("n_trials", n_trials, integer=True, minimum=1)
    n_bins = int(n_whole_bins(t_stop - t_start, bin_size)) if t_stop > t_start else 0
    if n_bins < 1:
        fail("t_stop", f"at least one bin ({bin_size:g} s) after t_start = {t_start:g}", t_stop)
    return t_start, t_stop, n_trials, n_bins


def simulate_realizations(gen: np.random.Generator, baseline: np.ndarray, drive: np.ndarray, filters: np.ndarray,
                          link: int, family: int, t0: float, bin_size: float, n_bins: int, n_trials: int
                          ) -> tuple[np.ndarray, np.ndarray]:
    """Flat times and offsets of ``n_trials * n_units`` trains (trial-major) from the GLM kernel.

    One 64-bit key from ``gen``; trial ``r`` draws from stream ``r``. Buffers
    are sized from the rates without history; if a trial outgrows its region
    the kernel runs again on regions of the exact sizes (same streams, same
    spikes), so the result never depends on the first guess.
    """
    from spikestats._kernels.glm_sim import RUNAWAY_MEAN, bin_means, glm_realizations, glm_realizations_parallel
    from spikestats._kernels.poisson import compact

    key = np.uint64(gen.integers(0, 2**63 - 1))
    n_units = baseline.shape[0]
    eta = baseline[:, None] + (drive if drive.shape[1] else np.zeros((n_units, 1)))
    per_trial = float(bin_means(np.ascontiguousarray(eta), link, family, bin_size).mean(axis=1).sum()) * n_bins
    sizes = np.full(n_trials, int(per_trial + 6.0 * np.sqrt(per_trial) + 0.5 * per_trial) + 16, dtype=np.int64)
    kernel = glm_realizations_parallel if per_trial * n_trials > 100_000 else glm_realizations
    for _ in range(2):
        region = np.zeros(n_trials + 1, dtype=np.int64)
        np.cumsum(sizes, out=region[1:])
        out_t = np.empty(region[-1])
        out_u = np.empty(region[-1], dtype=np.int64)
        totals = kernel(key, baseline, drive, filters, link, family, t0, bin_size, n_bins, region, out_t, out_u)
        check_glm_totals(totals, t0, bin_size, RUNAWAY_MEAN)
        if np.all(totals <= sizes):
            break
        sizes = totals
    compact(out_t, region, totals)
    offsets = compact(out_u, region, totals)
    times, units = out_t[:offsets[-1]], out_u[:offsets[-1]]
    # one train per (trial, unit): stable sort of the events by train index keeps time order
    train = np.repeat(np.arange(n_trials, dtype=np.int64), totals) * n_units + units
    order = np.argsort(train, kind="stable")
    out = np.zeros(n_trials * n_units + 1, dtype=np.int64)
    np.cumsum(np.bincount(train, minlength=n_trials * n_units), out=out[1:])
    return np.ascontiguousarray(times[order]), out


class PopulationGLM(ParamsMixin):
    """Coupled GLMs of a population: one :class:`HistoryGLM` per unit with coupling from all others.

    Each unit's conditional intensity depends on its own history and on every
    other unit's spikes through coupling filters (Pillow et al. 2008). The
    per-unit fits are independent given the spikes, so they run in parallel
    threads (the design kernels and dense solves release the GIL).

    Parameters
    ----------
    history : Basis, default RaisedCosineBasis()
        Basis of each unit's own history filter.
    coupling : bool or Basis, default True
        Basis of the coupling filters (``True``: the history basis).
    bin_size, alpha, l1_ratio, link, family, stimulus_basis, cov_type, max_iter, tol
        As in :class:`HistoryGLM` (shared by every unit).
    n_jobs : int, optional
        Threads (default: the number of CPUs).

    Attributes
    ----------
    models_ : dict of unit -> HistoryGLM
    units_ : list
        Unit labels, sorted.
    intercept_ : numpy.ndarray, shape (n_units,)
    filters_ : dict of (post, pre) -> FilterEstimate
        The history filter of each unit on the diagonal ``(u, u)`` and the
        coupling filter from ``pre`` to ``post`` elsewhere.
    log_likelihood_, aic_, bic_ : float
        Sums over units (the joint model factorises given the spikes).
    """

    def __init__(self, *, history: Basis | None = RaisedCosineBasis(), coupling: bool | Basis = True,
                 bin_size: float = 0.001, alpha: float = 0.0, l1_ratio: float = 0.0, link: str = "log",
                 family: str = "poisson", stimulus_basis: Basis | None = None, cov_type: str = "observed",
                 max_iter: int = 100, tol: float = 1e-8, n_jobs: int | None = None) -> None:
        _keep(self, history=history, coupling=coupling, bin_size=bin_size, alpha=alpha, l1_ratio=l1_ratio, link=link,
              family=family, stimulus_basis=stimulus_basis, cov_type=cov_type, max_iter=max_iter, tol=tol,
              n_jobs=n_jobs)

    def _unit_model(self) -> HistoryGLM:
        return HistoryGLM(**{k: v for k, v in self.get_params().items() if k not in ("coupling", "n_jobs")})

    def fit(self, st: Any, stimulus: Any = None) -> PopulationGLM:
        """Fit one coupled model per unit of ``st`` (in parallel threads); returns ``self``."""
        st = as_spiketrains(st)
        units = sorted(set(st.unit.tolist()))
        if len(units) < 2:
            fail("st", "spike trains of at least two units", st, fix="Use HistoryGLM for a single unit.")
        n_jobs = ((os.cpu_count() or 1) if self.n_jobs is None
                  else check_scalar("n_jobs", self.n_jobs, integer=True, minimum=1))

        def one(u: Any) -> HistoryGLM:
            return self._unit_model().fit(st, stimulus, self.coupling, unit=u)

        with ThreadPoolExecutor(max_workers=min(n_jobs, len(units))) as pool:
            fitted = list(pool.map(one, units))
        self.models_ = dict(zip(units, fitted))
        self.units_ = units
        self.intercept_ = np.array([m.intercept_ for m in fitted])
        self.filters_ = {}
        for u, m in self.models_.items():
            for group, f in m.filters_.items():
                if group == "history":
                    self.filters_[u, u] = f
                elif group.startswith("coupling["):
                    pre = next(v for v in units if f"coupling[{v}]" == group)
                    self.filters_[u, pre] = f
        self.log_likelihood_ = float(sum(m.log_likelihood_ for m in fitted))
        self.aic_ = float(sum(m.aic_ for m in fitted))
        self.bic_ = float(sum(m.bic_ for m in fitted))
        self.bin_size_ = fitted[0].bin_size_
        return self

    def filter_array(self) -> np.ndarray:
        """Log-gain filters ``(n_units, n_units, n_lags)``: ``[post, pre, k]`` at lag ``(k + 1) * bin_size``.

        Filters of different lengths are padded with zeros (no effect).
        """
        if not hasattr(self, "models_"):
            raise NotFittedError("This PopulationGLM is not fitted yet; call fit(st) first.")
        n = len(self.units_)
        n_lags = max((f.lags.size for f in self.filters_.values()), default=0)
        out = np.zeros((n, n, n_lags))
        for (post, pre), f in self.filters_.items():
            out[self.units_.index(post), self.units_.index(pre), :f.lags.size] = f.log_gain
        return out

    def simulate(self, t_stop: float, n_trials: int = 1, *, t_start: float = 0.0, stimulus: Any = None,
                 rng: RNGLike = None) -> SpikeTrains:
        """Draw the coupled population recurrently; ``n_trials * n_units`` trains, trial-major (see HistoryGLM)."""
        filters = self.filter_array()
        first = self.models_[self.units_[0]]
        t_start, t_stop, n_trials, n_bins = _window(t_start, t_stop, n_trials, self.bin_size_)
        if (stimulus is None) != (first.n_stimulus_features_ == 0):
            fail("stimulus", "given exactly when the model was fitted with one", stimulus)
        drive = np.zeros((len(self.units_), 0))
        if stimulus is not None:
            hi = t_start + n_bins * self.bin_size_
            drive = np.vstack([self.models_[u]._stimulus_drive(stimulus, t_start, hi) for u in self.units_])
        link, family = first._kernel_codes()
        times, offsets = simulate_realizations(check_rng(rng), self.intercept_, drive, filters, link, family,
                                               t_start, self.bin_size_, n_bins, n_trials)
        n = len(self.units_)
        unit = np.tile(_label_array(self.units_), n_trials)
        return SpikeTrains._trusted(times, offsets, np.full(n_trials * n, t_start), np.full(n_trials * n, t_stop),
                                    unit, np.repeat(np.arange(n_trials, dtype=np.int64), n), {})
