"""Per-unit work (any function, or one estimator fitted per unit), serially or on a dask cluster.

A *unit* is every train with one ``unit`` label (all its trials). The work of
one call is split into *tasks* of ``batch_size`` consecutive units (in sorted
label order); each task gets only its own units' trains and returns their
results, which are put back in unit order, so the output does not depend on
where or in which order the tasks ran.
"""

from __future__ import annotations

import copy
import json
import logging
import math
import warnings
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from spikestats._validation import check_option, check_rng, check_scalar, fail
from spikestats.core.spiketrains import SpikeTrains
from spikestats.exceptions import ValidationTypeError
from spikestats.parallel._dask import connected, describe_client, n_threads, run_tasks
from spikestats.parallel._gather import flatten, is_numeric, records_to_dataset, xarray_results
from spikestats.typing import DIM_TRAIN, DIM_UNIT, RNGLike

if TYPE_CHECKING:
    import xarray as xr

__all__ = ["map_units", "fit_units", "clone_estimator", "fitted_attributes", "unit_groups"]

log = logging.getLogger("spikestats.parallel")

#: Tasks per worker thread when ``batch_size`` is not given (a few per thread balance uneven units).
TASKS_PER_THREAD = 4


# ------------------------------------------------------------------ inputs
def unit_groups(st: SpikeTrains) -> tuple[np.ndarray, list[np.ndarray]]:
    """Sorted unit labels and, for each, the indices of its trains (in their original order)."""
    labels, inverse = np.unique(st.unit, return_inverse=True)
    order = np.argsort(inverse, kind="stable")
    bounds = np.searchsorted(inverse[order], np.arange(labels.size + 1))
    return labels, [order[bounds[k]:bounds[k + 1]] for k in range(labels.size)]


def _as_input(st: Any) -> tuple[SpikeTrains, dict[str, np.ndarray]]:
    """SpikeTrains from ``st`` (SpikeTrains or a ``spiketrains`` Dataset) and the Dataset's other train coordinates."""
    if isinstance(st, SpikeTrains):
        return st, {}
    import xarray as xr

    if not isinstance(st, xr.Dataset):
        fail("st", "a SpikeTrains or an xarray Dataset of the spiketrains schema", st, kind=ValidationTypeError)
    from spikestats.xarray.schema import from_dataset

    extra = {str(name): np.asarray(c.values) for name, c in st.coords.items()
             if c.dims == (DIM_TRAIN,) and name not in ("unit", "trial")}
    return from_dataset(st), extra


def _unit_coords(st: SpikeTrains, labels: np.ndarray, groups: list[np.ndarray],
                 extra: Mapping[str, np.ndarray]) -> dict[str, tuple]:
    """Coordinates on ``unit``: labels, trains and spikes per unit, and per-train metadata constant within units."""
    coords: dict[str, tuple] = {
        DIM_UNIT: (DIM_UNIT, labels, {"long_name": "unit label"}),
        "n_trials": (DIM_UNIT, np.array([g.size for g in groups], dtype=np.int64),
                     {"units": "1", "long_name": "trains (trials) of the unit"}),
        "n_spikes": (DIM_UNIT, np.array([st.counts[g].sum() for g in groups], dtype=np.int64),
                     {"units": "1", "long_name": "spikes of the unit"}),
    }
    firsts = np.array([g[0] for g in groups], dtype=np.int64)
    inverse = np.empty(st.n_trains, dtype=np.int64)
    for k, g in enumerate(groups):
        inverse[g] = k
    for name, values in extra.items():
        if name not in coords and np.array_equal(values, values[firsts][inverse]):
            coords[name] = (DIM_UNIT, values[firsts])
    return coords


# ------------------------------------------------------------------ the work of one task
def _apply(func: Callable, parts: Sequence[SpikeTrains] | tuple[SpikeTrains, np.ndarray], labels: Sequence[Any],
           kwargs: Mapping[str, Any], rngs: Sequence[np.random.Generator] | None) -> list:
    """``func(part, **kwargs)`` for each unit of a task (``rng=`` its own Generator when given).

    ``parts`` is the units' trains, or (in-process, to copy one unit at a
    time) a pair of all trains and the indices of the task's one unit.
    """
    if isinstance(parts, tuple):
        parts = [parts[0][parts[1]]]
    out = []
    for k, part in enumerate(parts):
        kw = dict(kwargs) if rngs is None else {**kwargs, "rng": rngs[k]}
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                result = func(part, **kw)
            except Exception as exc:
                exc.add_note(f"(spikestats.parallel: while processing unit {labels[k]!r})")
                raise
        out.append((result, [(w.category, str(w.message)) for w in caught]))
    return out


def _relay_warnings(labels: Sequence[Any], caught: Sequence[list[tuple[type, str]]]) -> None:
    """Warn once per distinct (category, message) raised by any unit, naming the units (wherever they ran)."""
    units: dict[tuple[type, str], list] = {}
    for label, ws in zip(labels, caught):
        for key in dict.fromkeys(ws):
            units.setdefault(key, []).append(label)
    for (category, message), who in units.items():
        shown = ", ".join(repr(u) for u in who[:5]) + (f" and {len(who) - 5} more" if len(who) > 5 else "")
        warnings.warn(f"{message} [unit{'s' if len(who) > 1 else ''} {shown}]", category, stacklevel=4)


def _unit_rngs(rng: RNGLike, n: int) -> list[np.random.Generator]:
    """One Generator per unit position, from one key drawn from ``rng`` (independent of batching)."""
    key = int(check_rng(rng).integers(0, 2**63 - 1))
    return [np.random.default_rng([key, i]) for i in range(n)]


def _run(func: Callable, st: SpikeTrains, client: Any, *, kwargs: Mapping[str, Any], rng: RNGLike,
         progress: bool | None, batch_size: int | None, desc: str, timeout: float) -> tuple[np.ndarray, list, list]:
    """Unit labels, train groups and per-unit results of ``func`` over the units of ``st``."""
    if st.n_trains == 0:
        fail("st", "at least one train", st, got="no trains")
    if batch_size is not None:
        batch_size = check_scalar("batch_size", batch_size, integer=True, positive=True)
    labels, groups = unit_groups(st)
    n = labels.size
    rngs = None if rng is None else _unit_rngs(rng, n)
    with connected(client, timeout=timeout) as c:
        size = 1 if c is None else batch_size or max(1, math.ceil(n / (TASKS_PER_THREAD * n_threads(c))))
        starts = list(range(0, n, size))
        log.info("%s: %d units in %d tasks of <= %d units %s", desc, n, len(starts), size, describe_client(c))
        if c is None:
            payloads = [(st, groups[a]) for a in starts]
        else:  # the trains go to the workers directly, not through the scheduler
            payloads = c.scatter([[st[groups[k]] for k in range(a, min(a + size, n))] for a in starts], hash=False)
        tasks = [(func, data, labels[a:a + size].tolist(), dict(kwargs), None if rngs is None else rngs[a:a + size])
                 for a, data in zip(starts, payloads)]
        try:
            parts = run_tasks(_apply, tasks, c, progress=progress, desc=desc, total=n,
                              weights=[min(size, n - a) for a in starts])
        finally:
            if c is not None:
                c.cancel(payloads)
    flat = [r for part in parts for r in part]
    _relay_warnings(labels.tolist(), [w for _, w in flat])
    return labels, groups, [r for r, _ in flat]


# ------------------------------------------------------------------ map_units
def map_units(func: Callable[..., Any], st: Any, client: Any = None, *, progress: bool | None = None,
              batch_size: int | None = None, rng: RNGLike = None, combine: str = "auto", name: str | None = None,
              timeout: float = 10.0, **kwargs: Any) -> list | xr.DataArray | xr.Dataset:
    """Apply ``func`` to each unit's trains, serially or on a dask cluster.

    Parameters
    ----------
    func : callable
        ``func(unit_trains, **kwargs)``, where ``unit_trains`` is a
        :class:`~spikestats.SpikeTrains` holding every train (trial) of one
        unit. On a cluster it must be picklable (module-level functions,
        ``functools.partial``, lambdas via cloudpickle).
    st : SpikeTrains or xarray.Dataset
        The trains (a Dataset of the ``spiketrains`` schema is decoded; its
        other coordinates on ``train`` that are constant within each unit,
        such as ``region``, become coordinates on ``unit``).
    client : None, dask.distributed.Client, cluster, "local" or str
        ``None`` (default): a plain loop in this process. A ``Client`` (for
        example on a ``LocalCluster``): tasks are submitted to it. A cluster
        object: a Client is opened on it for this call. ``"local"``: a
        ``LocalCluster`` of worker processes for this call. Any other string:
        the address of a running scheduler (``"tcp://host:8786"``).
    progress : bool, optional
        Progress bar (tqdm, on stderr): ``None`` shows it only on a terminal;
        ``True``/``False`` force it on or off.
    batch_size : int, optional
        Units per task on a cluster. Default: about four tasks per worker
        thread (``ceil(n_units / (4 * threads))``).
    rng : seed or Generator, optional
        When given, ``func`` is also called with ``rng=`` a Generator of its
        own, seeded by one key drawn from ``rng`` and the unit's position, so
        results are the same serially, on any cluster and for any
        ``batch_size``.
    combine : {"auto", "list", "xarray"}
        ``"list"``: the results in unit order. ``"xarray"``: numbers and
        arrays become one DataArray over ``unit`` (named ``name``, default
        ``func.__name__``; ragged arrays NaN-padded); xarray results are
        concatenated along ``unit``; dataclasses and dicts become a Dataset of
        their numeric parts. ``"auto"``: xarray when the results convert, a
        list otherwise.
    timeout : float, default 10
        Seconds to wait for a scheduler address to answer.
    **kwargs
        Passed to ``func``.

    Returns
    -------
    list, xarray.DataArray or xarray.Dataset
        One result per unit, units in sorted label order. xarray results have
        coordinates ``unit`` (labels), ``n_trials`` and ``n_spikes`` on ``unit``.

    Raises
    ------
    SchedulerUnreachableError
        ``client`` is an address where no scheduler answered within ``timeout``.
    ImportError
        A cluster was asked for and dask.distributed is not installed (the
        message names the extra ``spikestats[dask]``).

    Notes
    -----
    An exception raised by ``func`` is re-raised here with a note naming the
    unit. Warnings raised by ``func`` are caught on every unit (wherever it
    runs) and issued again here, once per distinct category and message,
    naming the units that raised them. See ``docs/PARALLEL.md`` for what a task is and how to pick
    ``batch_size``.

    Examples
    --------
    >>> import spikestats as ss
    >>> st = ss.generators.PoissonProcess(10.0).simulate(6, 5.0, rng=0)
    >>> st = ss.SpikeTrains(st.times, st.offsets, 0.0, 5.0, unit=[0, 0, 1, 1, 2, 2])
    >>> ss.parallel.map_units(lambda s: s.n_spikes, st, combine="list")
    [101, 97, 112]
    >>> ss.parallel.map_units(ss.stats.firing_rate, st).shape   # (unit, trains of the unit)
    (3, 2)
    """
    if not callable(func):
        fail("func", "a callable taking one unit's SpikeTrains", func, kind=ValidationTypeError)
    combine = check_option("combine", combine, ("auto", "list", "xarray"))
    trains, extra = _as_input(st)
    labels, groups, results = _run(func, trains, client, kwargs=kwargs, rng=rng, progress=progress,
                                   batch_size=batch_size, desc=getattr(func, "__name__", "map_units"),
                                   timeout=timeout)
    if combine == "list":
        return results
    label = name or getattr(func, "__name__", "result")
    label = "result" if label == "<lambda>" else label
    out = xarray_results(results, _unit_coords(trains, labels, groups, extra), label, {})
    if out is None and combine == "xarray":
        kinds = sorted({type(r).__name__ for r in results})
        fail("combine", "'list' or 'auto' for these results", combine,
             got=f"'xarray' for results of type {', '.join(kinds)}, which do not convert to xarray",
             fix="Return numbers, numeric arrays, xarray objects, dicts or dataclasses of them.")
    return results if out is None else out


# ------------------------------------------------------------------ fit_units
def clone_estimator(estimator: Any) -> Any:
    """An unfitted copy of ``estimator`` with the same parameters, as ``sklearn.base.clone`` makes.

    ``type(est)(**params)`` with ``params = est.get_params(deep=False)``,
    estimator-valued parameters cloned in turn and the others deep-copied;
    objects without ``get_params`` are deep-copied.
    """
    if not hasattr(estimator, "get_params"):
        return copy.deepcopy(estimator)
    params = estimator.get_params(deep=False)
    return type(estimator)(**{k: clone_estimator(v) if hasattr(v, "get_params") and not isinstance(v, type)
                              else copy.deepcopy(v) for k, v in params.items()})


def fitted_attributes(estimator: Any) -> tuple[dict[str, Any], list[str]]:
    """Numeric fitted attributes (public names ending in ``_``) and the names of the others.

    Dataclass-valued attributes (e.g. a filter with its interval) are
    flattened to ``<name>_<field>``. Names lose their trailing underscore
    (``coef_`` -> ``coef``).
    """
    names = {k for k in vars(estimator) if k.endswith("_") and not k.startswith("_")}
    names |= {k for k in dir(type(estimator)) if k.endswith("_") and not k.startswith("_")
              and isinstance(getattr(type(estimator), k, None), property)}
    numeric, skipped = {}, []
    for attr in sorted(names):
        try:
            value = getattr(estimator, attr)
        except Exception:  # a property that does not apply to this fit
            continue
        for key, part in flatten(attr.rstrip("_"), value).items():
            if is_numeric(part):
                numeric[key] = part
            else:
                skipped.append(key)
    return numeric, skipped


class _FitOne:
    """Picklable task body: clone, fit on one unit's trains, return the numeric fitted attributes."""

    def __init__(self, estimator: Any, prepare: Callable | None, fit_params: Mapping[str, Any]) -> None:
        self.estimator = estimator
        self.prepare = prepare
        self.fit_params = dict(fit_params)

    def __call__(self, part: SpikeTrains) -> tuple[dict[str, Any], list[str]]:
        est = clone_estimator(self.estimator)
        args = (part,) if self.prepare is None else self.prepare(part)
        est.fit(*(args if isinstance(args, tuple) else (args,)), **self.fit_params)
        return fitted_attributes(est)


def fit_units(st: Any, estimator: Any, client: Any = None, *, prepare: Callable | None = None,
              fit_params: Mapping[str, Any] | None = None, progress: bool | None = None,
              batch_size: int | None = None, timeout: float = 10.0) -> xr.Dataset:
    """Fit a clone of ``estimator`` to each unit and gather the fitted attributes into a Dataset.

    Parameters
    ----------
    st : SpikeTrains or xarray.Dataset
        The trains; as in :func:`map_units`.
    estimator : object with ``fit``
        A scikit-learn style estimator (``get_params``, ``fit`` returning
        ``self``, fitted attributes ending in ``_``), e.g.
        ``spikestats.glm.HistoryGLM``. It is not modified: each unit gets an
        unfitted clone (:func:`clone_estimator`).
    client, progress, batch_size, timeout
        As in :func:`map_units`.
    prepare : callable, optional
        ``prepare(unit_trains)`` returns what ``fit`` takes: a tuple of
        positional arguments (e.g. ``(X, y)`` for a design-matrix estimator
        such as ``PoissonGLM``) or a single argument. Default: the unit's
        SpikeTrains itself.
    fit_params : dict, optional
        Keyword arguments of ``fit`` (e.g. ``{"stimulus": s}``).

    Returns
    -------
    xarray.Dataset
        One variable per numeric fitted attribute, named without the trailing
        underscore (``coef``, ``intercept``, ``stderr``, ``aic`` ...), over
        ``unit`` and ``<name>_dim_<k>`` for the attribute's own axes (ragged
        ones NaN-padded). Coordinates ``unit``, ``n_trials``, ``n_spikes``.
        Attributes ``estimator`` (class path), ``estimator_params`` (JSON) and
        ``skipped`` (non-numeric fitted attributes, if any).
    """
    if not hasattr(estimator, "fit"):
        fail("estimator", "an object with a fit method (a scikit-learn style estimator)", estimator,
             kind=ValidationTypeError)
    if prepare is not None and not callable(prepare):
        fail("prepare", "a callable of one unit's SpikeTrains", prepare, kind=ValidationTypeError)
    if fit_params is not None and not isinstance(fit_params, Mapping):
        fail("fit_params", "a dict of keyword arguments of fit", fit_params, kind=ValidationTypeError)
    clone_estimator(estimator)  # fail here, not on a worker, when it cannot be cloned
    trains, extra = _as_input(st)
    labels, groups, results = _run(_FitOne(estimator, prepare, fit_params or {}), trains, client, kwargs={},
                                   rng=None, progress=progress, batch_size=batch_size,
                                   desc=f"fit {type(estimator).__name__}", timeout=timeout)
    params = estimator.get_params(deep=False) if hasattr(estimator, "get_params") else {}
    attrs = {"estimator": f"{type(estimator).__module__}.{type(estimator).__qualname__}",
             "estimator_params": json.dumps(params, default=repr, sort_keys=True)}
    ds = records_to_dataset([r for r, _ in results], _unit_coords(trains, labels, groups, extra), attrs)
    skipped = sorted({s for _, sk in results for s in sk} | set(filter(None, ds.attrs.get("skipped", "").split(", "))))
    if skipped:
        ds.attrs["skipped"] = ", ".join(skipped)
    return ds
