"""One call from spike trains (or counts, or a signal) to change times with intervals: :func:`detect`."""

from __future__ import annotations

from typing import Any

import numpy as np

from spikestats._kernels import changepoint as K
from spikestats._validation import check_option, check_scalar
from spikestats.changepoint.costs import ExponentialCost, NormalMeanCost, NormalMeanVarCost, Prepared, as_cost
from spikestats.changepoint.results import ChangePointResult
from spikestats.changepoint.search import SEARCHES, WildBinarySegmentation, prepare_input

#: Family-wise level of the per-unit tests that say which units changed at a shared change.
UNIT_TEST_LEVEL = 0.05


def location_interval(prep: Prepared, a: int, t: int, b: int, min_size: int, length_weight: float,
                      confidence: float) -> tuple[int, int]:
    """Interval of sample indices for the change at ``t`` between its neighbours ``a`` and ``b``.

    The profile likelihood of the location, ``exp(-(C(a, s) + C(s, b)) / 2)``
    over admissible ``s`` (segment parameters re-fitted at each ``s``), is
    normalised to weights; the interval spans the smallest set of locations
    whose weights add up to ``confidence`` (a highest-likelihood set under a
    flat prior on the location; its hull when the set has gaps).
    """
    costs = K.split_costs(prep.kind, prep.cum, prep.scale, a, b, min_size, prep.n, length_weight)
    w = np.exp(-0.5 * (costs - costs.min()))
    w /= w.sum()
    order = np.argsort(-w, kind="stable")
    k = int(np.searchsorted(np.cumsum(w[order]), confidence)) + 1
    chosen = order[:k] + a + min_size
    return int(chosen.min()), int(chosen.max())


def detect(st_or_counts: Any, method: str = "pelt", cost: Any = "poisson", penalty: Any = "bic",
           bin_size: float | None = None, *, min_size: int = 2, confidence: float = 0.95, t_start: float = 0.0,
           n_intervals: int = 5000, rng: Any = None) -> ChangePointResult:
    """Change points of a spike train, a population or a signal, with rates and intervals.

    Parameters
    ----------
    st_or_counts : SpikeTrains or array_like
        A SpikeTrains (one train, or several trains searched for shared
        changes), spike counts ``(n_bins,)`` or ``(n_units, n_bins)``, 0/1
        bins, intervals between spikes (``cost="exponential"``) or a real
        signal (``normal_mean``, ``normal_meanvar``). Time is the last axis.
    method : {"pelt", "op", "binseg", "wbs"}, default "pelt"
        Search: exact (PELT, optimal partitioning) or greedy (binary and
        wild binary segmentation).
    cost : str or Cost, default "poisson"
        ``"poisson"`` (counts), ``"exponential"`` (one spike train in
        continuous time, no bins), ``"bernoulli"``, ``"normal_mean"``,
        ``"normal_meanvar"``; see :mod:`spikestats.changepoint.costs`.
    penalty : {"bic", "mbic"} or float, default "bic"
        Penalty per change, in units of ``-2 log L``.
    bin_size : float, optional
        Bin width (s). SpikeTrains are binned with it (default: the 1-2-5
        width giving at least 1000 bins); for arrays it converts bin indices
        to seconds (default 1, so times are in bins).
    min_size : int, default 2
        Minimum segment length in samples (bins or intervals).
    confidence : float, default 0.95
        Coverage of the rate and change-time intervals.
    t_start : float, default 0
        Time (s) of the first sample of array input.
    n_intervals : int, default 5000
        Random intervals of ``method="wbs"``.
    rng : None, int, Generator, ...
        Seed of ``method="wbs"``.

    Returns
    -------
    ChangePointResult
        ``change_times`` (s; the left edge of the first bin of each new
        segment, or the spike that ends the last interval of the old segment
        for the exponential cost), ``rates`` per segment (Hz: count per bin
        over ``bin_size``, spike probability per bin over ``bin_size``, or
        spikes over duration; for normal costs the segment mean) with exact
        intervals (Garwood for Poisson and exponential, Clopper-Pearson for
        Bernoulli, z or t for normal means), an interval for each change time
        from the profile likelihood of its location between its neighbours
        (:func:`location_interval`), and for several units ``units_changed``:
        a unit changed at a shared change when its own likelihood-ratio
        statistic there exceeds the chi-square quantile at level
        ``0.05 / n_units`` (Bonferroni over units).

    Notes
    -----
    What the default penalty promises: on a series with no change, the
    BIC penalty ``(p + 1) log n`` declares one or more changes with
    probability close to the tail of the single-change likelihood-ratio scan,
    :func:`~spikestats.changepoint.penalties.false_alarm_probability`
    (about 1.6 % for one Poisson train of 1000 bins, ``min_size=2``; it
    falls like ``log(n)^1.5 / n``). Tested in
    tests/statistical/test_changepoint_accuracy.py.
    """
    name = check_option("method", method, tuple(SEARCHES))
    c = as_cost(cost)
    confidence = check_scalar("confidence", confidence)
    if not 0.0 < confidence < 1.0:
        from spikestats._validation import fail

        fail("confidence", "a coverage strictly between 0 and 1 (e.g. 0.95)", confidence)
    prep, edges, units = prepare_input(st_or_counts, c, bin_size, check_scalar("t_start", t_start),
                                       name="st_or_counts")
    kwargs: dict[str, Any] = {"cost": c, "penalty": penalty, "min_size": min_size}
    if SEARCHES[name] is WildBinarySegmentation:
        kwargs.update(n_intervals=n_intervals, rng=rng)
    est = SEARCHES[name](**kwargs).fit_prepared(prep, edges)
    cps = est.change_points_
    bounds = np.concatenate([[0], cps, [prep.n]])
    rates = c.segment_params(prep, bounds)
    bands = c.param_intervals(prep, bounds, confidence)
    if not isinstance(c, (ExponentialCost, NormalMeanCost, NormalMeanVarCost)):
        width = float(edges[1] - edges[0])
        rates, bands = rates / width, bands / width
    from spikestats.changepoint.penalties import resolve_penalty

    weight = resolve_penalty(penalty, prep.n, c.n_params * prep.n_features).length_weight
    spans = [location_interval(prep, int(bounds[k]), int(bounds[k + 1]), int(bounds[k + 2]), est.min_size_, weight,
                               confidence) for k in range(cps.size)]
    intervals = np.array([[edges[lo], edges[hi]] for lo, hi in spans]).reshape(-1, 2)
    changed = None
    if not prep.single:
        from scipy.stats import chi2

        gains = K.feature_gains(prep.kind, prep.cum, prep.scale, bounds)
        changed = (gains > chi2.isf(UNIT_TEST_LEVEL / prep.n_features, c.n_params)).T
    return ChangePointResult(
        change_times=edges[cps], change_points=None if isinstance(c, ExponentialCost) else cps,
        rates=rates[0] if prep.single else rates, rate_intervals=bands[0] if prep.single else bands,
        edges=edges[bounds], method=name, cost=c.name, penalty=est.penalty_, intervals=intervals,
        interval_method="profile likelihood", units_changed=changed, units=units, confidence=confidence,
        objective=est.objective_)
