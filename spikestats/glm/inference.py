"""Model comparison for fitted GLMs: likelihood-ratio tests, information criteria, bits per spike, blocked CV.

* :func:`likelihood_ratio_test` -- nested unpenalised fits on the same bins.
* :func:`aic`, :func:`bic` -- from a log-likelihood and a parameter count.
* :func:`bits_per_spike` -- log-likelihood gain over a homogeneous model, in
  bits per spike (Pillow et al. 2008; Williamson et al. 2015).
* :class:`BlockedKFold` and :func:`cross_validate` -- k-fold cross-validation
  in contiguous time blocks, with an optional gap that keeps spike-history
  columns of the training bins from reaching into the test block.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import special

from spikestats._validation import check_option, check_scalar, fail
from spikestats.exceptions import ValidationError
from spikestats.glm._inputs import check_design, check_rows
from spikestats.glm._params import ParamsMixin
from spikestats.glm.estimators import GLMBase
from spikestats.glm.families import Family

#: scorings understood by :func:`cross_validate`
SCORINGS = ("log_likelihood", "bits_per_spike")


@dataclass(frozen=True)
class LikelihoodRatioResult:
    """Likelihood-ratio test of a reduced model nested in a full one.

    Attributes
    ----------
    statistic : float
        ``2 * (log L_full - log L_reduced)`` (>= 0 up to rounding).
    df : int
        Difference in the number of parameters.
    pvalue : float
        ``P(chi2(df) >= statistic)``.
    """

    statistic: float
    df: int
    pvalue: float

    def __repr__(self) -> str:
        return f"LikelihoodRatioResult(statistic={self.statistic:.4g}, df={self.df}, pvalue={self.pvalue:.4g})"


def _n_params(model: GLMBase) -> int:
    return model.coef_.shape[0] + int(bool(model.fit_intercept))


def _check_fitted_glm(name: str, model: Any) -> GLMBase:
    if not isinstance(model, GLMBase):
        fail(name, "a fitted PoissonGLM or BernoulliGLM", model)
    if not hasattr(model, "coef_"):
        fail(name, "a fitted model", model, got=f"an unfitted {type(model).__name__}", fix="Call fit(X, y) first.")
    return model


def likelihood_ratio_test(full: GLMBase, reduced: GLMBase) -> LikelihoodRatioResult:
    """Likelihood-ratio test of ``reduced`` against ``full`` (Wilks: chi-square with the parameter difference).

    Both models must be unpenalised fits of the same family and link to the
    same counts (checked through the number of bins and spikes), with
    ``reduced`` nested in ``full``: its columns a subset of (or spanned by)
    those of ``full``. Nesting of the columns themselves cannot be checked
    from fitted models; a reduced model with a larger log-likelihood than the
    full one is reported as not nested.

    Parameters
    ----------
    full, reduced : PoissonGLM or BernoulliGLM
        Fitted models.

    Returns
    -------
    LikelihoodRatioResult
    """
    full = _check_fitted_glm("full", full)
    reduced = _check_fitted_glm("reduced", reduced)
    if type(full) is not type(reduced) or full.family_ != reduced.family_:
        fail("reduced", f"a {type(full).__name__} with the {full.family_.link} link, as `full`", reduced)
    for name, m in (("full", full), ("reduced", reduced)):
        if float(m.alpha) != 0.0:
            fail(name, "an unpenalised fit (alpha=0) for a likelihood-ratio test", m,
                 got=f"alpha={m.alpha}", fix="Compare penalised fits by cross-validation instead.")
    if full.n_obs_ != reduced.n_obs_ or full.n_spikes_ != reduced.n_spikes_:
        fail("reduced", "fitted to the same bins as `full`", reduced,
             got=f"{reduced.n_obs_:g} bins with {reduced.n_spikes_:g} spikes against {full.n_obs_:g} with "
                 f"{full.n_spikes_:g}")
    df = _n_params(full) - _n_params(reduced)
    if df <= 0:
        fail("reduced", f"a model with fewer parameters than `full` ({_n_params(full)})", reduced,
             got=f"{_n_params(reduced)} parameters")
    stat = 2.0 * (full.log_likelihood_ - reduced.log_likelihood_)
    scale = 1e-8 * max(1.0, abs(full.log_likelihood_))
    if stat < -scale:
        raise ValidationError(f"`reduced` must be nested in `full`; got a reduced log-likelihood "
                              f"{reduced.log_likelihood_:.6g} above the full one {full.log_likelihood_:.6g}.")
    stat = max(stat, 0.0)
    return LikelihoodRatioResult(float(stat), int(df), float(special.chdtrc(df, stat)))


def aic(log_likelihood: float, n_params: float) -> float:
    """Akaike's information criterion ``-2 log L + 2 k`` (lower is better)."""
    return -2.0 * check_scalar("log_likelihood", log_likelihood) + 2.0 * check_scalar("n_params", n_params,
                                                                                     nonnegative=True)


def bic(log_likelihood: float, n_params: float, n_obs: float) -> float:
    """Schwarz's Bayesian information criterion ``-2 log L + k log(n)`` (lower is better)."""
    k = check_scalar("n_params", n_params, nonnegative=True)
    return -2.0 * check_scalar("log_likelihood", log_likelihood) + k * np.log(check_scalar("n_obs", n_obs,
                                                                                         positive=True))


def homogeneous_log_likelihood(family: Family, y: np.ndarray, mean_count: float,
                               offset: np.ndarray | None = None) -> float:
    """Log-likelihood of counts under a constant mean count per bin (times ``exp(offset)`` for the log link)."""
    if offset is None:
        mu = np.full(y.shape, mean_count)
    else:
        mu = family.mean(family.link_function(mean_count) + offset)
    return float(family.log_likelihood(y, mu).sum())


def bits_per_spike(model: GLMBase, X, y, *, offset=None, baseline: float | None = None) -> float:
    """Log-likelihood of ``y`` under ``model`` above a homogeneous model, in bits per spike.

    ``(log L_model - log L_homogeneous) / (n_spikes * ln 2)``. The homogeneous
    model has the same family and a constant mean count per bin: ``baseline``
    if given (e.g. the training set's mean count, for held-out data), else the
    mean of ``y`` itself -- the maximum-likelihood homogeneous Poisson
    (or Bernoulli) model, so in-sample values are >= 0 for a model with an
    intercept. With an ``offset`` and the log link the homogeneous model's
    mean count is ``baseline * exp(offset)``.

    Parameters
    ----------
    model : PoissonGLM or BernoulliGLM
        A fitted model.
    X : array_like, shape (n_bins, n_features)
    y : array_like, shape (n_bins,)
        Spike counts per bin.
    offset : array_like, shape (n_bins,), optional
    baseline : float, optional
        Mean count per bin of the homogeneous model (> 0).

    Returns
    -------
    float
        Bits per spike (higher is better; 0 means no better than a constant rate).
    """
    model = _check_fitted_glm("model", model)
    X = check_design(X, n_features=model.n_features_in_)
    y = check_rows("y", y, X.shape[0], what="one count")
    family = model.family_
    family.check_y(y)
    n_spikes = float(y.sum())
    if n_spikes == 0:
        fail("y", "at least one spike for bits per spike", y, got="no spikes")
    off = None if offset is None else check_rows("offset", offset, X.shape[0], what="one value")
    if baseline is None:
        base = n_spikes / y.shape[0] if off is None else n_spikes / float(np.exp(off).sum())
    else:
        base = check_scalar("baseline", baseline, positive=True)
    ll_model = model.log_likelihood(X, y, offset=off)
    ll_base = homogeneous_log_likelihood(family, y, base, off)
    return (ll_model - ll_base) / (n_spikes * np.log(2.0))


class BlockedKFold(ParamsMixin):
    """K-fold splits into contiguous blocks of time bins (scikit-learn splitter protocol).

    Fold ``k`` tests on the ``k``-th of ``n_splits`` consecutive blocks of
    bins (sizes differing by at most one) and trains on the rest, minus
    ``gap`` bins on each side of the test block: with spike-history columns
    reaching ``gap`` bins back, no training row then shares spikes with the
    test block's history. Unlike shuffled k-fold, neighbouring bins (which are
    correlated through the spike history) do not straddle train and test.

    Parameters
    ----------
    n_splits : int
        Number of folds (>= 2).
    gap : int
        Bins dropped from the training set on each side of the test block.
    """

    def __init__(self, n_splits: int = 5, *, gap: int = 0) -> None:
        self._set_init_params(locals())

    def get_n_splits(self, X=None, y=None, groups=None) -> int:
        """Number of folds."""
        return check_scalar("n_splits", self.n_splits, integer=True, minimum=2)

    def split(self, X, y=None, groups=None) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """Yield ``(train_indices, test_indices)`` for each fold, in time order."""
        k = self.get_n_splits()
        gap = check_scalar("gap", self.gap, integer=True, nonnegative=True)
        n = len(X)
        if n < k:
            fail("X", f"at least n_splits={k} rows", X, got=f"{n} rows")
        edges = np.linspace(0, n, k + 1).round().astype(np.int64)
        idx = np.arange(n)
        for a, b in zip(edges[:-1], edges[1:]):
            train = np.concatenate((idx[:max(a - gap, 0)], idx[min(b + gap, n):]))
            if train.size == 0:
                fail("gap", f"small enough to leave training bins (n={n}, n_splits={k})", gap)
            yield train, idx[a:b]


@dataclass(frozen=True)
class CrossValidationResult:
    """Held-out scores of a GLM, one per contiguous fold.

    Attributes
    ----------
    scores : numpy.ndarray, shape (n_splits,)
        Score of each test block: mean log-likelihood per bin (nats) or bits
        per spike against the training blocks' homogeneous model.
    scoring : str
    n_test : numpy.ndarray of int, shape (n_splits,)
        Bins in each test block.
    n_spikes : numpy.ndarray, shape (n_splits,)
        Spikes in each test block.
    """

    scores: np.ndarray
    scoring: str
    n_test: np.ndarray
    n_spikes: np.ndarray

    @property
    def mean(self) -> float:
        """Average over folds, each weighted by its bins (log-likelihood) or spikes (bits per spike)."""
        w = self.n_test if self.scoring == "log_likelihood" else self.n_spikes
        return float(np.average(self.scores, weights=w))

    @property
    def sem(self) -> float:
        """Standard error of the unweighted mean of the fold scores (NaN for one fold)."""
        s = self.scores
        return float(np.std(s, ddof=1) / np.sqrt(len(s))) if len(s) > 1 else float("nan")

    def __repr__(self) -> str:
        with np.printoptions(precision=4):
            return (f"CrossValidationResult(scoring={self.scoring!r}, mean={self.mean:.4g}, sem={self.sem:.2g}, "
                    f"scores={self.scores})")


def cross_validate(model: GLMBase, X, y, *, n_splits: int = 5, gap: int = 0, scoring: str = "log_likelihood",
                   offset=None, sample_weight=None) -> CrossValidationResult:
    """Refit ``model`` on contiguous training blocks and score each held-out block.

    Parameters
    ----------
    model : PoissonGLM or BernoulliGLM
        Estimator whose parameters are used (it is cloned, not modified).
    X : array_like, shape (n_bins, n_features)
    y : array_like, shape (n_bins,)
    n_splits : int
        Number of contiguous folds (:class:`BlockedKFold`).
    gap : int
        Bins left out of training on each side of each test block (set it to
        the history window in bins for history designs).
    scoring : {"log_likelihood", "bits_per_spike"}
        Mean held-out log-likelihood per bin (nats), or bits per spike
        against a homogeneous model with the training blocks' mean count.
    offset, sample_weight : array_like, shape (n_bins,), optional
        Split with the bins.

    Returns
    -------
    CrossValidationResult
    """
    if not isinstance(model, GLMBase):
        fail("model", "a PoissonGLM or BernoulliGLM", model)
    check_option("scoring", scoring, SCORINGS)
    X = check_design(X)
    n = X.shape[0]
    y = check_rows("y", y, n, what="one count")
    off = None if offset is None else check_rows("offset", offset, n, what="one value")
    w = None if sample_weight is None else check_rows("sample_weight", sample_weight, n, what="one weight")
    scores, n_test, n_spk = [], [], []
    for train, test in BlockedKFold(n_splits, gap=gap).split(X):
        fold = type(model)(**model.get_params())
        fold.fit(X[train], y[train], offset=None if off is None else off[train],
                 sample_weight=None if w is None else w[train])
        o_test = None if off is None else off[test]
        if scoring == "log_likelihood":
            ww = None if w is None else w[test]
            scores.append(fold.score(X[test], y[test], sample_weight=ww, offset=o_test))
        else:
            base = fold.n_spikes_ / fold.n_obs_ if off is None else None
            if base is None:  # training blocks' homogeneous mean count per unit exposure (log link)
                base = float(y[train].sum() / np.exp(off[train]).sum())
            scores.append(bits_per_spike(fold, X[test], y[test], offset=o_test, baseline=base))
        n_test.append(test.size)
        n_spk.append(float(y[test].sum()))
    return CrossValidationResult(np.array(scores), scoring, np.array(n_test), np.array(n_spk))
