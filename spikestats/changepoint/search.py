"""Penalised change-point searches as scikit-learn style estimators: PELT, optimal partitioning, binary segmentation.

Each estimator minimises (exactly: :class:`PELT`, :class:`OptimalPartitioning`;
greedily: :class:`BinarySegmentation`, :class:`WildBinarySegmentation`)

    sum over segments of cost(segment) + penalty * n_changes

with the cost a ``-2 log L`` from :mod:`spikestats.changepoint.costs` and the
penalty from :mod:`spikestats.changepoint.penalties`. Parameters go in the
constructor; ``fit(x)`` returns the estimator with the fitted attributes
(ending in ``_``).
"""

from __future__ import annotations

import inspect
import math
from typing import Any

import numpy as np

from spikestats._kernels import changepoint as K
from spikestats._validation import check_bool, check_rng, check_scalar, fail
from spikestats.changepoint.costs import Cost, ExponentialCost, Prepared, as_cost, check_min_size
from spikestats.changepoint.penalties import Penalty, resolve_penalty
from spikestats.core.spiketrains import SpikeTrains
from spikestats.exceptions import NotFittedError, ValidationError

#: Bins a spike train is cut into when no ``bin_size`` is given (rounded to a 1-2-5 width).
DEFAULT_N_BINS = 1000


def default_bin_size(duration: float) -> float:
    """The largest 1, 2 or 5 x 10^k seconds giving at least :data:`DEFAULT_N_BINS` bins in ``duration``."""
    raw = duration / DEFAULT_N_BINS
    exp = math.floor(math.log10(raw))
    for mant in (5.0, 2.0, 1.0):
        if mant * 10.0**exp <= raw * (1 + 1e-12):
            return mant * 10.0**exp
    return 10.0**exp


def prepare_input(x: Any, cost: Cost, bin_size: Any = None, t_start: float = 0.0,
                  name: str = "x") -> tuple[Prepared, np.ndarray, np.ndarray | None]:
    """Samples of a search from an array or a SpikeTrains.

    Returns
    -------
    prep : Prepared
        The cost's cumulative sums.
    edges : numpy.ndarray, shape (n_samples + 1,)
        Time of each sample boundary (s): bin edges, or for the exponential
        cost ``t_start``, the spike times and ``t_stop``. For arrays,
        ``t_start + k * bin_size`` (``bin_size`` 1 when not given).
    units : numpy.ndarray or None
        Unit labels of the rows of a SpikeTrains input.
    """
    if isinstance(x, SpikeTrains):
        if x.n_trains == 0:
            fail(name, "a SpikeTrains with at least one train", x)
        if x.n_spikes == 0:
            fail(name, "spike trains holding at least one spike", x, got="trains with no spikes")
        if isinstance(cost, ExponentialCost):
            if x.n_trains != 1:
                fail(name, "one spike train for the continuous-time exponential cost", x,
                     got=f"{x.n_trains} trains", fix="Use cost='poisson' with a bin_size for a population.")
            t0, t1 = float(x.t_start[0]), float(x.t_stop[0])
            prep = cost.prepare_train(np.asarray(x.times), t0, t1)
            edges = np.concatenate([[t0], np.asarray(x.times), [t1]])[: prep.n + 1]
            return prep, edges, None
        if bin_size is None:
            lo, hi = float(np.max(x.t_start)), float(np.min(x.t_stop))
            bin_size = default_bin_size(hi - lo)
        binned = x.bin(bin_size)
        counts = binned.counts[0] if x.n_trains == 1 else binned.counts
        return cost.prepare(counts), binned.edges, (None if x.n_trains == 1 else binned.unit)
    prep = cost.prepare(x)
    if isinstance(cost, ExponentialCost):
        return prep, t_start + np.concatenate([[0.0], np.cumsum(np.asarray(x, dtype=float))]), None
    width = 1.0 if bin_size is None else check_scalar("bin_size", bin_size, positive=True)
    return prep, t_start + np.arange(prep.n + 1) * width, None


def segmentation_cost(prep: Prepared, change_points: np.ndarray, length_weight: float = 0.0) -> float:
    """Sum of the segment costs (``-2 log L`` with constants, plus any length terms) of a segmentation."""
    bounds = np.concatenate([[0], change_points, [prep.n]])
    total = sum(K.segment_cost(prep.kind, prep.cum, prep.scale, int(a), int(b), prep.n, length_weight)
                for a, b in zip(bounds[:-1], bounds[1:]))
    return float(total + prep.const_cum[-1])


#: Largest total count for which Poisson PELT reads ``k log k`` from a table (8 bytes per count).
MAX_TABLE_COUNT = 50_000_000


def run_pelt(prep: Prepared, penalty: float, min_size: int,
             length_weight: float = 0.0) -> tuple[np.ndarray, float, int]:
    """PELT on prepared data: the table-driven Poisson kernel where it applies (same result), else the generic one."""
    if prep.kind == K.POISSON and length_weight == 0.0 and prep.cum[0, :, -1].max() <= MAX_TABLE_COUNT:
        ccum = np.ascontiguousarray(prep.cum[0].T).astype(np.int64)
        return K.pelt_counts(ccum, penalty, min_size)
    return K.pelt(prep.kind, prep.cum, prep.scale, penalty, min_size, length_weight)


class _Search:
    """Parameter handling shared by the searches (scikit-learn's get_params / set_params contract)."""

    @classmethod
    def _param_names(cls) -> list[str]:
        sig = inspect.signature(cls.__init__)
        return [p.name for p in sig.parameters.values() if p.name != "self" and p.kind == p.KEYWORD_ONLY]

    def get_params(self, deep: bool = True) -> dict:
        """Constructor parameters, as given."""
        return {k: getattr(self, k) for k in self._param_names()}

    def set_params(self, **params: Any) -> _Search:
        """Set constructor parameters; returns ``self``."""
        names = self._param_names()
        for k, v in params.items():
            if k not in names:
                fail(k, f"one of the parameters {names}", v, kind=ValidationError)
            setattr(self, k, v)
        return self

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items())
        return f"{type(self).__name__}({args})"

    def _search(self, prep: Prepared, pen: Penalty, min_size: int) -> tuple[np.ndarray, float]:
        raise NotImplementedError(f"{type(self).__name__} must define _search")

    def fit(self, x: Any, y: Any = None) -> _Search:
        """Find the change points of ``x``.

        Parameters
        ----------
        x : array_like or SpikeTrains
            Shape ``(n_samples,)`` or ``(n_features, n_samples)`` (time last):
            spike counts per bin (``poisson``), 0/1 bins (``bernoulli``),
            intervals between spikes in s (``exponential``), or any real
            signal (``normal_mean``, ``normal_meanvar``). A SpikeTrains is
            binned with ``bin_size`` (one row per train), or for the
            exponential cost taken in continuous time (one train).
        y : None
            Ignored (scikit-learn convention).

        Returns
        -------
        self
        """
        prep, edges, _ = prepare_input(x, as_cost(self.cost), self.bin_size)
        return self.fit_prepared(prep, edges)

    def fit_prepared(self, prep: Prepared, edges: np.ndarray) -> _Search:
        """:meth:`fit` on data already in the kernels' form (see :func:`prepare_input`)."""
        cost = prep.cost
        pen = resolve_penalty(self.penalty, prep.n, cost.n_params * prep.n_features)
        m = check_min_size(self.min_size, prep.n)
        cps, objective = self._search(prep, pen, m)
        bounds = np.concatenate([[0], cps, [prep.n]])
        params = cost.segment_params(prep, bounds)
        self.cost_ = cost
        self.penalty_ = pen.value
        self.min_size_ = m
        self.n_samples_ = prep.n
        self.change_points_ = cps
        self.n_changes_ = int(cps.size)
        self.objective_ = float(objective + prep.const_cum[-1])
        self.segment_params_ = params[0] if prep.single else params
        self.edges_ = edges
        return self

    def _check_fitted(self) -> None:
        if not hasattr(self, "change_points_"):
            raise NotFittedError(f"This {type(self).__name__} is not fitted yet; call fit(x) first.")

    def predict(self, x: Any = None) -> np.ndarray:
        """The fitted change points (``x`` is ignored; fit first)."""
        self._check_fitted()
        return self.change_points_

    def fit_predict(self, x: Any, y: Any = None) -> np.ndarray:
        """``fit(x)`` then the change points."""
        return self.fit(x).change_points_


_FITTED_DOC = """
    Attributes
    ----------
    change_points_ : numpy.ndarray of int64, shape (n_changes,)
        Interior change points, increasing: segment ``j`` is
        ``x[..., change_points_[j - 1]:change_points_[j]]``.
    n_changes_ : int
    objective_ : float
        Sum of the segment costs (``-2 log L`` with constants) plus the
        penalty of every change (and the mBIC's length terms).
    penalty_ : float
        Penalty per change actually used.
    segment_params_ : numpy.ndarray of float64, shape (n_segments,) or (n_features, n_segments)
        Each segment's MLE mean per sample: count per bin (poisson), spike
        probability (bernoulli), rate in Hz (exponential), mean (normal).
    edges_ : numpy.ndarray of float64, shape (n_samples + 1,)
        Time of each sample boundary (s) (bin edges; spike times for the
        exponential cost; ``k * bin_size`` for arrays, bin_size 1 by default).
    cost_ : Cost
    min_size_, n_samples_ : int
"""

_COMMON_DOC = """
    Parameters
    ----------
    cost : str or Cost, default "poisson"
        ``"poisson"``, ``"exponential"``, ``"bernoulli"``, ``"normal_mean"``,
        ``"normal_meanvar"`` or a :class:`~spikestats.changepoint.costs.Cost`.
    penalty : {"bic", "mbic"} or float, default "bic"
        Penalty per change (see :mod:`spikestats.changepoint.penalties`).
    min_size : int, default 2
        Minimum segment length in samples.
    bin_size : float, optional
        Bin width (s) for SpikeTrains input (default: about 1000 bins).
"""


class PELT(_Search):
    __doc__ = ("""Exact penalised segmentation by pruned dynamic programming (Killick, Fearnhead & Eckley 2012).

    Same optimum as :class:`OptimalPartitioning`; starts that can no longer
    end an optimal segment are pruned (deferred by ``min_size`` steps, so the
    optimum stays exact with a minimum segment length). The work is close to
    linear in ``n`` when the number of changes grows with ``n`` and quadratic
    in the length of long change-free stretches.
""" + _COMMON_DOC + _FITTED_DOC + """
    n_evaluations_ : int
        Segment costs evaluated (``n (n + 1) / 2`` without pruning).
""")

    def __init__(self, *, cost: Any = "poisson", penalty: Any = "bic", min_size: int = 2,
                 bin_size: float | None = None) -> None:
        self.cost = cost
        self.penalty = penalty
        self.min_size = min_size
        self.bin_size = bin_size

    def _search(self, prep: Prepared, pen: Penalty, min_size: int) -> tuple[np.ndarray, float]:
        cps, obj, n_eval = run_pelt(prep, pen.value, min_size, pen.length_weight)
        self.n_evaluations_ = int(n_eval)
        return cps, obj


class OptimalPartitioning(PELT):
    __doc__ = ("""Exact penalised segmentation by dynamic programming over every start (Jackson et al. 2005), O(n^2).

    For checking :class:`PELT` and for short series.
""" + _COMMON_DOC + _FITTED_DOC)

    def _search(self, prep: Prepared, pen: Penalty, min_size: int) -> tuple[np.ndarray, float]:
        cps, obj, n_eval = K.optimal_partitioning(prep.kind, prep.cum, prep.scale, pen.value, min_size,
                                                  pen.length_weight)
        self.n_evaluations_ = int(n_eval)
        return cps, obj


def _split_recursively(prep: Prepared, pen: Penalty, min_size: int, best) -> np.ndarray:
    """Split segments while the best split of some segment lowers the cost by more than the penalty.

    ``best(a, b)`` returns the best split of ``[a, b)`` and its gain.
    """
    found: list[int] = []
    stack = [(0, prep.n)]
    while stack:
        a, b = stack.pop()
        t, gain = best(a, b)
        if t >= 0 and gain > pen.value:
            found.append(t)
            stack += [(a, t), (t, b)]
    return np.array(sorted(found), dtype=np.int64)


class BinarySegmentation(PELT):
    __doc__ = ("""Binary segmentation (Scott & Knott 1974): split at the best single change while it pays.

    A segment ``[a, b)`` is split at the ``t`` that minimises
    ``C(a, t) + C(t, b)`` when the gain ``C(a, b) - C(a, t) - C(t, b)``
    exceeds the penalty; both halves are searched again. Greedy: the result
    can differ from the exact optimum when changes are close together.
""" + _COMMON_DOC + _FITTED_DOC)

    def _search(self, prep: Prepared, pen: Penalty, min_size: int) -> tuple[np.ndarray, float]:
        def best(a, b):
            return K.best_split(prep.kind, prep.cum, prep.scale, a, b, min_size, prep.n, pen.length_weight)

        cps = _split_recursively(prep, pen, min_size, best)
        return cps, segmentation_cost(prep, cps, pen.length_weight) - prep.const_cum[-1] + pen.value * cps.size


class WildBinarySegmentation(PELT):
    __doc__ = ("""Wild binary segmentation (Fryzlewicz 2014): binary segmentation over random sub-intervals.

    ``n_intervals`` intervals ``[s, e)`` with ``e - s >= 2 min_size`` are
    drawn uniformly once; each one's best split and gain are computed once.
    A segment ``[a, b)`` is split at the best split of the interval inside it
    (itself included) with the largest gain; splitting in order of gain gives
    a path of up to ``max_changes`` change points, and the number kept is the
    one that minimises the penalised cost of the whole segmentation (the
    information-criterion selection of Fryzlewicz 2014, with this penalty).
    Changes close together that hide each other from a whole-series scan are
    found inside short intervals.
""" + _COMMON_DOC + """    n_intervals : int, default 5000
        Random intervals drawn (the default of Fryzlewicz's ``wbs`` package).
    max_changes : int, default 50
        Length of the path of candidate changes (``Kmax`` of the ``wbs`` package).
    parallel : bool, default False
        Scan the intervals on several threads (same result).
    rng : None, int, Generator, ...
        Seed of the interval draw.
""" + _FITTED_DOC)

    def __init__(self, *, cost: Any = "poisson", penalty: Any = "bic", min_size: int = 2,
                 bin_size: float | None = None, n_intervals: int = 5000, max_changes: int = 50,
                 parallel: bool = False, rng: Any = None) -> None:
        super().__init__(cost=cost, penalty=penalty, min_size=min_size, bin_size=bin_size)
        self.n_intervals = n_intervals
        self.max_changes = max_changes
        self.parallel = parallel
        self.rng = rng

    def _search(self, prep: Prepared, pen: Penalty, min_size: int) -> tuple[np.ndarray, float]:
        m = check_scalar("n_intervals", self.n_intervals, integer=True, minimum=1)
        parallel = check_bool("parallel", self.parallel)
        gen = check_rng(self.rng)
        ends = gen.integers(0, prep.n + 1, size=(m, 2))
        starts, stops = ends.min(axis=1), ends.max(axis=1)
        keep = stops - starts >= 2 * min_size
        starts, stops = np.ascontiguousarray(starts[keep]), np.ascontiguousarray(stops[keep])
        scan = K.interval_splits_parallel if parallel else K.interval_splits
        where, gain = scan(prep.kind, prep.cum, prep.scale, starts, stops, min_size, pen.length_weight)

        def best(a, b):
            t, g = K.best_split(prep.kind, prep.cum, prep.scale, a, b, min_size, prep.n, pen.length_weight)
            inside = (starts >= a) & (stops <= b) & (where >= 0)
            if np.any(inside):
                j = int(np.argmax(np.where(inside, gain, -np.inf)))
                if gain[j] > g:
                    return int(where[j]), float(gain[j])
            return t, g

        k_max = check_scalar("max_changes", self.max_changes, integer=True, minimum=0)
        path = _split_path(prep, best, k_max)
        objectives = [segmentation_cost(prep, np.sort(path[:k]), pen.length_weight) + pen.value * k
                      for k in range(len(path) + 1)]
        k = int(np.argmin(objectives))
        return np.sort(path[:k]), objectives[k] - prep.const_cum[-1]


def _split_path(prep: Prepared, best, k_max: int) -> np.ndarray:
    """Change points in the order wild binary segmentation adds them (largest gain first), at most ``k_max``."""
    import heapq

    path: list[int] = []
    heap: list[tuple[float, int, int, int]] = []

    def push(a: int, b: int) -> None:
        t, g = best(a, b)
        if t >= 0 and g > 0:
            heapq.heappush(heap, (-g, t, a, b))

    push(0, prep.n)
    while heap and len(path) < k_max:
        _, t, a, b = heapq.heappop(heap)
        path.append(t)
        push(a, t)
        push(t, b)
    return np.array(path, dtype=np.int64)


SEARCHES: dict[str, type[PELT]] = {"pelt": PELT, "op": OptimalPartitioning, "binseg": BinarySegmentation,
                                   "wbs": WildBinarySegmentation}
