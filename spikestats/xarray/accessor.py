"""The ``ds.spikes`` accessor on ``spiketrains`` Datasets.

Registered when :mod:`spikestats.xarray` is imported (``SpikeTrains.to_xarray``
does so). Every method rebuilds the (validated) SpikeTrains and calls the
numpy implementation in :mod:`spikestats.stats` or :meth:`SpikeTrains.bin`;
results are DataArrays with ``units`` attributes and the ``unit``/``trial``
labels as coordinates on ``train``, so they can be added back to the Dataset.

Examples
--------
>>> import spikestats as ss
>>> ds = ss.SpikeTrains.from_list([[0.1, 0.4], [0.2]], t_stop=1.0).to_xarray()
>>> ds.spikes.firing_rate().values
array([2., 1.])
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from spikestats import stats
from spikestats.core.spiketrains import SpikeTrains
from spikestats.stats import correlation, dispersion, intervals, plasticity
from spikestats.stats._results import Estimate
from spikestats.typing import DIM_TIME, DIM_TRAIN, DIM_TRIAL, DIM_UNIT
from spikestats.xarray.schema import from_dataset, train_coords

__all__ = ["SpikesAccessor"]


def _time_coord(values: np.ndarray, long_name: str) -> tuple[str, np.ndarray, dict[str, str]]:
    return (DIM_TIME, values, {"units": "s", "long_name": long_name})


@xr.register_dataset_accessor("spikes")
class SpikesAccessor:
    """Spike-train statistics on a Dataset of the ``spiketrains`` schema, as ``ds.spikes``.

    Parameters
    ----------
    ds : xarray.Dataset
        Checked (via :func:`~spikestats.xarray.schema.from_dataset`) when a
        method is called, not on attribute access.
    """

    def __init__(self, ds: xr.Dataset) -> None:
        self._ds = ds

    def to_spiketrains(self) -> SpikeTrains:
        """The Dataset as a :class:`~spikestats.SpikeTrains` (validated; lossless)."""
        return from_dataset(self._ds)

    def _train_coords(self, st) -> dict:
        """``unit``/``trial`` of ``st`` plus the Dataset's other coordinates on ``train`` (``region``, ...).

        Per-train metadata thus travels with every per-train result, so that
        ``ds.spikes.cv().groupby("region").mean()`` works.
        """
        extra = {name: c.variable.copy() for name, c in self._ds.coords.items()
                 if c.dims == (DIM_TRAIN,) and name not in (DIM_UNIT, DIM_TRIAL)}
        return {**train_coords(st), **extra}

    def _unit_coords(self, units) -> dict:
        """The Dataset's coordinates on ``train`` that are constant within each unit, on ``unit`` (for ``units``)."""
        labels = np.asarray(self._ds.coords[DIM_UNIT].values)
        out = {}
        for name, c in self._ds.coords.items():
            if c.dims != (DIM_TRAIN,) or name in (DIM_UNIT, DIM_TRIAL):
                continue
            values = np.asarray(c.values)
            first = {u: values[np.flatnonzero(labels == u)[0]] for u in np.asarray(units).tolist()}
            if all(np.all(values[labels == u] == v) for u, v in first.items()):
                out[name] = (DIM_UNIT, np.array(list(first.values())), dict(c.attrs))
        return out

    def bin(self, bin_size: float, t_start: float | None = None, t_stop: float | None = None) -> xr.DataArray:
        """Spike counts in bins, as :meth:`SpikeTrains.bin` computes them.

        Parameters
        ----------
        bin_size : float
            Bin width in seconds, > 0.
        t_start, t_stop : float, optional
            Window to bin (seconds); defaults to the window common to all trains.

        Returns
        -------
        xarray.DataArray of int64, dims (train, time), shape (n_trains, n_bins)
            Named ``spike_count`` (units ``"1"``). Coordinates: ``time`` (bin
            centres, s), ``bin_start`` and ``bin_stop`` (the exact bin edges on
            ``time``, s; they stay right under slicing), ``unit`` and ``trial``
            on ``train``. Attribute ``bin_size`` (s).
        """
        binned = self.to_spiketrains().bin(bin_size, t_start, t_stop)
        edges = binned.edges
        coords = {
            DIM_TIME: _time_coord(binned.centers, "bin centre"),
            "bin_start": _time_coord(edges[:-1], "left bin edge"),
            "bin_stop": _time_coord(edges[1:], "right bin edge"),
            **self._train_coords(binned),
        }
        return xr.DataArray(binned.counts, dims=(DIM_TRAIN, DIM_TIME), coords=coords, name="spike_count",
                            attrs={"units": "1", "long_name": "spike count", "bin_size": float(bin_size)})

    def firing_rate(self, *, t_start: float | None = None, t_stop: float | None = None) -> xr.DataArray:
        """Mean firing rate of each train (:func:`spikestats.stats.firing_rate`).

        Parameters
        ----------
        t_start, t_stop : float, optional
            Restrict every train to this window first (seconds).

        Returns
        -------
        xarray.DataArray of float64, dims (train,)
            Named ``firing_rate``, units ``"Hz"``, with ``unit``/``trial`` coordinates.
        """
        st = self.to_spiketrains()
        rate = stats.firing_rate(st, t_start=t_start, t_stop=t_stop)
        return xr.DataArray(rate, dims=(DIM_TRAIN,), coords=self._train_coords(st), name="firing_rate",
                            attrs={"units": "Hz", "long_name": "mean firing rate"})

    def psth(self, bin_size: float, *, t_start: float | None = None, t_stop: float | None = None) -> xr.Dataset:
        """Trial-averaged rate in bins with its standard error (:func:`spikestats.stats.psth.psth`).

        Every train counts as one trial (select a unit first for one unit's PSTH).

        Returns
        -------
        xarray.Dataset
            ``rate`` and ``se`` (Hz, dims (time,)) and ``spike_count`` (dims
            (train, time)); ``time`` = bin centres (s), ``bin_start``/``bin_stop``
            the bin edges (s); ``unit``/``trial`` on ``train``. Attributes
            ``bin_size`` (s) and ``n_trains``.
        """
        from spikestats.stats.psth import psth

        st = self.to_spiketrains()
        res = psth(st, bin_size, t_start=t_start, t_stop=t_stop)
        coords = {DIM_TIME: _time_coord(res.centers, "bin centre"),
                  "bin_start": _time_coord(res.edges[:-1], "left bin edge"),
                  "bin_stop": _time_coord(res.edges[1:], "right bin edge"), **self._train_coords(st)}
        data = {"rate": ((DIM_TIME,), res.rate, {"units": "Hz", "long_name": "trial-averaged rate"}),
                "se": ((DIM_TIME,), res.se, {"units": "Hz", "long_name": "standard error of the rate"}),
                "spike_count": ((DIM_TRAIN, DIM_TIME), res.counts, {"units": "1", "long_name": "spike count"})}
        return xr.Dataset(data, coords=coords, attrs={"bin_size": res.bin_size, "n_trains": res.n_trains})

    def kernel_rate(self, bandwidth: float | str = "auto", kernel: str = "gaussian", **kwargs) -> xr.DataArray:
        """Kernel rate estimate of each train (:func:`spikestats.stats.kernel_rate.kernel_rate`).

        Parameters
        ----------
        bandwidth, kernel, **kwargs
            As :func:`~spikestats.stats.kernel_rate.kernel_rate` (``sampling_period``,
            ``t_start``, ``t_stop``, ``causal``, ``edge_correction``, ``per_train``,
            ``cutoff``, ``method``, ``parallel``).

        Returns
        -------
        xarray.DataArray of float64, dims (train, time)
            Named ``kernel_rate``, units ``"Hz"``; ``time`` = grid times (s);
            ``bandwidth`` (s) as a coordinate on ``train`` (on ``train`` and
            ``time`` for ``"adaptive"``); ``unit``/``trial`` on ``train``.
            Attributes ``kernel``, ``causal``, ``method``, ``evaluation``,
            ``edge_corrected``, ``sampling_period`` (s).
        """
        from spikestats.stats.kernel_rate import kernel_rate

        st = self.to_spiketrains()
        res = kernel_rate(st, bandwidth, kernel, **kwargs)
        bw_dims = (DIM_TRAIN,) if res.bandwidth.ndim == 1 else (DIM_TRAIN, DIM_TIME)
        coords = {DIM_TIME: _time_coord(res.times, "time"),
                  "bandwidth": (bw_dims, res.bandwidth, {"units": "s", "long_name": "kernel standard deviation"}),
                  **self._train_coords(st)}
        attrs = {"units": "Hz", "long_name": "kernel rate estimate", "kernel": res.kernel, "causal": int(res.causal),
                 "method": res.method, "evaluation": res.evaluation, "edge_corrected": int(res.edge_corrected),
                 "sampling_period": res.sampling_period}
        return xr.DataArray(res.rates, dims=(DIM_TRAIN, DIM_TIME), coords=coords, name="kernel_rate", attrs=attrs)

    def optimal_bandwidth(self, *, per_train: bool = False, t_start: float | None = None,
                          t_stop: float | None = None) -> xr.DataArray:
        """Shimazaki-Shinomoto optimal Gaussian kernel bandwidth (:func:`spikestats.stats.optimal_bandwidth`).

        Returns
        -------
        xarray.DataArray of float64
            0-d (all trains pooled), or dims (train,) with ``per_train=True``;
            named ``bandwidth``, units ``"s"`` (the kernel's standard deviation).
        """
        st = self.to_spiketrains()
        value = stats.optimal_bandwidth(st, per_train=per_train, t_start=t_start, t_stop=t_stop)
        attrs = {"units": "s", "long_name": "optimal kernel standard deviation"}
        if not per_train:
            return xr.DataArray(value, name="bandwidth", attrs=attrs)
        return xr.DataArray(value, dims=(DIM_TRAIN,), coords=self._train_coords(st), name="bandwidth", attrs=attrs)

    def fano_factor(self, window: float | None = None, *, step: float | None = None, ddof: int = 0,
                    ci: float | None = None, method: str = "chi2", n_resamples: int = 2000,
                    rng=None) -> xr.DataArray | xr.Dataset:
        """Fano factor of spike counts (:func:`spikestats.stats.fano_factor`).

        Parameters
        ----------
        window : float, optional
            ``None``: one count per train and one Fano factor across trains
            (windows must have equal lengths). A length in seconds: counts in
            consecutive windows within each train and one Fano factor per train.
        step : float, optional
            Step between window starts (s) for sliding windows.
        ddof : int, default 0
            Delta degrees of freedom of the variance.
        ci, method, n_resamples, rng
            A confidence interval, as in :func:`spikestats.stats.dispersion.fano_factor`.

        Returns
        -------
        xarray.DataArray of float64, or xarray.Dataset with ``ci``
            0-d when ``window`` is None, else dims (train,) with ``unit``/``trial``
            coordinates. Named ``fano_factor``, units ``"1"``, attributes
            ``ddof`` and (with a window) ``window`` (and ``step``) in seconds.
            With ``ci``: a Dataset with ``fano_factor``, ``fano_factor_low``
            and ``fano_factor_high``.
        """
        st = self.to_spiketrains()
        value = dispersion.fano_factor(st, window, step=step, ddof=ddof, ci=ci, method=method,
                                       n_resamples=n_resamples, rng=rng)
        attrs = {"units": "1", "ddof": int(ddof)}
        if window is None:
            attrs["long_name"] = "Fano factor across trains"
            return _as_xarray(value, "fano_factor", attrs, None, None)
        attrs.update(long_name="Fano factor within each train", window=float(window))
        if step is not None:
            attrs["step"] = float(step)
        return _as_xarray(value, "fano_factor", attrs, (DIM_TRAIN,), self._train_coords(st))

    # ------------------------------------------------------------------ ISI variability
    def isi(self) -> xr.Dataset:
        """Inter-spike intervals of every train (:func:`spikestats.stats.intervals.isi`), in the spike layout.

        Returns
        -------
        xarray.Dataset
            ``isi`` (s) and ``train_index`` (int64) along a ragged ``interval``
            dimension, train after train; ``n_intervals`` along ``train`` with
            the ``unit``/``trial`` coordinates. Train ``i``'s intervals are
            ``isi[offsets[i]:offsets[i + 1]]`` with ``offsets = [0, *cumsum(n_intervals)]``.
        """
        st = self.to_spiketrains()
        res = intervals.isi(st)
        n = np.diff(res.offsets)
        data = {"isi": ("interval", res.values, {"units": "s", "long_name": "inter-spike interval"}),
                "train_index": ("interval", np.repeat(np.arange(n.size), n), {"long_name": "train of each interval"}),
                "n_intervals": (DIM_TRAIN, n, {"units": "1", "long_name": "intervals per train"})}
        return xr.Dataset(data, coords=self._train_coords(st))

    def cv(self, *, ddof: int = 0, ci: float | None = None) -> xr.DataArray | xr.Dataset:
        """Coefficient of variation of each train's ISIs (:func:`spikestats.stats.intervals.cv`).

        Returns
        -------
        xarray.DataArray of float64, dims (train,), named ``cv`` (units ``"1"``);
        with ``ci`` a Dataset with ``cv``, ``cv_low`` and ``cv_high``.
        """
        st = self.to_spiketrains()
        return self._per_train(st, intervals.cv(st, ddof=ddof, ci=ci), "cv", "coefficient of variation of the ISIs",
                               ddof=int(ddof))

    def cv2(self, *, ci: float | None = None) -> xr.DataArray | xr.Dataset:
        """CV2 of Holt et al. (1996) per train (:func:`spikestats.stats.intervals.cv2`), named ``cv2``."""
        st = self.to_spiketrains()
        return self._per_train(st, intervals.cv2(st, ci=ci), "cv2", "local coefficient of variation CV2")

    def lv(self, *, ci: float | None = None) -> xr.DataArray | xr.Dataset:
        """Local variation of Shinomoto et al. (2003) per train (:func:`spikestats.stats.intervals.lv`), named ``lv``."""
        st = self.to_spiketrains()
        return self._per_train(st, intervals.lv(st, ci=ci), "lv", "local variation LV")

    def lvr(self, r: float = 5e-3, *, ci: float | None = None) -> xr.DataArray | xr.Dataset:
        """Revised local variation LvR per train (:func:`spikestats.stats.intervals.lvr`), named ``lvr``.

        Attribute ``r``: the refractoriness constant in seconds.
        """
        st = self.to_spiketrains()
        return self._per_train(st, intervals.lvr(st, r, ci=ci), "lvr", "revised local variation LvR", r=float(r))

    def _per_train(self, st: SpikeTrains, value, name: str, long_name: str, **attrs) -> xr.DataArray | xr.Dataset:
        return _as_xarray(value, name, {"units": "1", "long_name": long_name, **attrs}, (DIM_TRAIN,),
                          self._train_coords(st))

    # ------------------------------------------------------------------ dispersion over time
    def time_resolved_fano(self, window: float, step: float, *, ddof: int = 0) -> xr.Dataset:
        """Fano factor across trials over time, per unit (:func:`spikestats.stats.dispersion.time_resolved_fano`).

        Returns
        -------
        xarray.Dataset
            ``fano_factor``, ``mean_count`` and ``count_variance`` with dims
            (unit, time); ``time`` = window centres (s); ``n_trials`` on ``unit``.
            Attributes ``window``, ``step`` (s) and ``ddof``.
        """
        res = dispersion.time_resolved_fano(self.to_spiketrains(), window, step, ddof=ddof)
        dims = (DIM_UNIT, DIM_TIME)
        shape = (res.units.size, res.times.size)
        coords = {DIM_UNIT: (DIM_UNIT, res.units, {"long_name": "unit label"}),
                  DIM_TIME: _time_coord(res.times, "window centre"),
                  "n_trials": (DIM_UNIT, res.n_trials, {"units": "1", "long_name": "number of trials"}),
                  **self._unit_coords(res.units)}
        data = {"fano_factor": (dims, np.reshape(res.fano, shape), {"units": "1", "long_name": "Fano factor across trials"}),
                "mean_count": (dims, np.reshape(res.mean, shape), {"units": "1", "long_name": "mean spike count"}),
                "count_variance": (dims, np.reshape(res.variance, shape),
                                   {"units": "1", "long_name": "variance of the spike count"})}
        return xr.Dataset(data, coords=coords, attrs={"window": res.window, "step": res.step, "ddof": int(ddof)})

    def mean_matched_fano(self, window: float, step: float, *, bin_width: float = 0.25, n_resamples: int = 10,
                          ci: float = 0.95, rng=None) -> xr.Dataset:
        """Mean-matched Fano factor over time (:func:`spikestats.stats.dispersion.mean_matched_fano`).

        Returns
        -------
        xarray.Dataset
            Along ``time`` (window centres, s): ``fano_factor`` with
            ``fano_factor_low``/``fano_factor_high``, ``fano_factor_all``
            (unmatched), ``retained`` and ``mean_count``. Attributes ``window``,
            ``step`` (s), ``confidence``, ``n_resamples``, ``bin_width`` (spikes).
        """
        res = dispersion.mean_matched_fano(self.to_spiketrains(), window, step, bin_width=bin_width,
                                           n_resamples=n_resamples, ci=ci, rng=rng)
        one = {"units": "1"}
        data = {"fano_factor": (DIM_TIME, res.fano, {**one, "long_name": "mean-matched Fano factor"}),
                "fano_factor_low": (DIM_TIME, res.low, {**one, "long_name": "lower end of the interval"}),
                "fano_factor_high": (DIM_TIME, res.high, {**one, "long_name": "upper end of the interval"}),
                "fano_factor_all": (DIM_TIME, res.fano_all, {**one, "long_name": "Fano factor of all units"}),
                "retained": (DIM_TIME, res.retained, {**one, "long_name": "fraction of units kept by matching"}),
                "mean_count": (DIM_TIME, res.mean_count, {**one, "long_name": "mean count of the kept units"})}
        return xr.Dataset(data, coords={DIM_TIME: _time_coord(res.times, "window centre")},
                          attrs={"window": float(window), "step": float(step), "confidence": res.confidence,
                                 "n_resamples": res.n_resamples, "bin_width": float(bin_width)})

    # ------------------------------------------------------------------ pairs
    def cross_correlogram(self, unit_a, unit_b, bin_size: float, max_lag: float, **kwargs) -> xr.Dataset:
        """Cross-correlogram of two units, their trials paired by trial label (summed).

        Parameters
        ----------
        unit_a, unit_b
            Unit labels of the reference and target trains.
        bin_size, max_lag : float
            Seconds; see :func:`spikestats.stats.correlation.cross_correlogram`.
        **kwargs
            ``surrogate``, ``n_surrogates``, ``jitter``, ``alpha``, ``rng``.

        Returns
        -------
        xarray.Dataset
            Along ``lag`` (s): ``count`` and, with surrogates, ``surrogate_mean``,
            ``lower`` and ``upper``; attributes ``bin_size`` and, with surrogates,
            ``global_lower``, ``global_upper``, ``alpha``, ``surrogate``.
        """
        a, b = self._paired_units(unit_a, unit_b)
        res = correlation.cross_correlogram(a, b, bin_size, max_lag, **kwargs)
        data = {"count": ("lag", res.counts, {"units": "1", "long_name": "spike pairs per lag bin"})}
        attrs = {"bin_size": res.bin_size}
        if res.surrogate is not None:
            for name, values in (("surrogate_mean", res.mean), ("lower", res.lower), ("upper", res.upper)):
                data[name] = ("lag", values, {"units": "1", "long_name": f"surrogate {name.replace('_', ' ')}"})
            attrs.update(surrogate=res.surrogate, alpha=res.alpha, global_lower=res.global_lower,
                         global_upper=res.global_upper, n_surrogates=res.n_surrogates)
        coords = {"lag": ("lag", res.lags, {"units": "s", "long_name": "lag of b after a (bin centre)"})}
        return xr.Dataset(data, coords=coords, attrs=attrs)

    def spike_time_tiling(self, unit_a, unit_b, dt: float = 5e-3) -> xr.DataArray:
        """STTC of two units per trial (:func:`spikestats.stats.correlation.spike_time_tiling`).

        Returns
        -------
        xarray.DataArray of float64, dims (trial,), named ``sttc`` (units ``"1"``), attribute ``dt`` (s).
        """
        a, b = self._paired_units(unit_a, unit_b)
        value = correlation.spike_time_tiling(a, b, dt)
        return xr.DataArray(np.atleast_1d(value), dims=(DIM_TRIAL,), coords={DIM_TRIAL: np.array(a.trial)},
                            name="sttc", attrs={"units": "1", "long_name": "spike-time tiling coefficient",
                                                "dt": float(dt)})

    def count_correlation(self, *, t_start: float | None = None, t_stop: float | None = None) -> xr.DataArray:
        """Pearson correlations of trial counts between units (:func:`spikestats.stats.correlation.count_correlation`).

        Returns
        -------
        xarray.DataArray of float64, dims (unit, unit_b), named ``count_correlation``;
        attribute ``n_trials``.
        """
        res = correlation.count_correlation(self.to_spiketrains(), t_start=t_start, t_stop=t_stop)
        return xr.DataArray(res.r, dims=(DIM_UNIT, "unit_b"), coords={DIM_UNIT: res.units, "unit_b": res.units,
                                                                      **self._unit_coords(res.units)},
                            name="count_correlation",
                            attrs={"units": "1", "long_name": "correlation of trial spike counts",
                                   "n_trials": res.n_trials})

    def stdp_weight_change(self, pre_unit, post_unit, a_plus: float = 0.1, a_minus: float = 0.12,
                           tau_plus: float = 20e-3, tau_minus: float = 20e-3, pairing: str = "all") -> xr.DataArray:
        """Pair-based STDP weight change from one unit to another per trial.

        See :func:`spikestats.stats.plasticity.stdp_weight_change`.

        Returns
        -------
        xarray.DataArray of float64, dims (trial,), named ``weight_change``
        (units ``"1"``, those of the amplitudes); the parameters as attributes (s).
        """
        pre, post = self._paired_units(pre_unit, post_unit)
        value = plasticity.stdp_weight_change(pre, post, a_plus, a_minus, tau_plus, tau_minus, pairing)
        attrs = {"units": "1", "long_name": "pair-based STDP weight change", "a_plus": float(a_plus),
                 "a_minus": float(a_minus), "tau_plus": float(tau_plus), "tau_minus": float(tau_minus),
                 "pairing": pairing}
        return xr.DataArray(np.atleast_1d(value), dims=(DIM_TRIAL,), coords={DIM_TRIAL: np.array(pre.trial)},
                            name="weight_change", attrs=attrs)

    # ------------------------------------------------------------------ per-unit work, estimators
    def map_units(self, func, client=None, **kwargs):
        """``func`` applied to each unit's trains (:func:`spikestats.parallel.map_units`).

        The generic way to run any function of a unit's SpikeTrains, including
        those with no method here, serially or on a dask cluster
        (``client=``). Coordinates on ``train`` that are constant within a
        unit (``region``, ``cell_type``) come back on ``unit``, so
        ``ds.spikes.map_units(f).groupby("region")`` works.

        Returns
        -------
        xarray.DataArray, xarray.Dataset or list
            Over ``unit``; see :func:`spikestats.parallel.map_units` for
            ``combine``, ``rng``, ``batch_size`` and ``progress``.
        """
        from spikestats.parallel import map_units

        return map_units(func, self._ds, client, **kwargs)

    def fit_units(self, estimator, client=None, **kwargs) -> xr.Dataset:
        """A clone of ``estimator`` fitted to each unit (:func:`spikestats.parallel.fit_units`).

        Works with any scikit-learn style estimator whose ``fit`` takes a
        unit's SpikeTrains (or what ``prepare=`` makes of it), e.g. the GLMs
        of :mod:`spikestats.glm` and the detectors of
        :mod:`spikestats.changepoint`.

        Returns
        -------
        xarray.Dataset
            Fitted attributes over ``unit`` (``coef``, ``intercept``, ...),
            with per-unit metadata coordinates as in :meth:`map_units`.
        """
        from spikestats.parallel import fit_units

        return fit_units(self._ds, estimator, client, **kwargs)

    def fit_glm(self, estimator=None, client=None, **kwargs) -> xr.Dataset:
        """A GLM of each unit's conditional intensity, fitted per unit (all its trials together).

        Parameters
        ----------
        estimator : estimator, optional
            Default ``spikestats.glm.HistoryGLM()`` (spike history in 1 ms
            bins); any estimator whose ``fit`` takes a unit's SpikeTrains.
        client
            Where units run, as in :func:`spikestats.parallel.map_units`.
        **kwargs
            ``fit_params`` (e.g. ``{"stimulus": s}``), ``prepare``,
            ``batch_size``, ``progress`` of :func:`spikestats.parallel.fit_units`.

        Returns
        -------
        xarray.Dataset
            Over ``unit``: ``coef``, ``intercept``, ``stderr``, ``pvalues``,
            ``log_likelihood``, ``aic``, ``bic``, the history filter with its
            standard error (``history_filter_*``) ...; equal to fitting
            ``estimator`` to ``ds.spikes.to_spiketrains().select(unit=u)``.
        """
        if estimator is None:
            from spikestats.glm import HistoryGLM

            estimator = HistoryGLM()
        return self.fit_units(estimator, client, **kwargs)

    def changepoints(self, client=None, *, rng=None, progress: bool | None = None, **kwargs) -> xr.Dataset:
        """Change points of each unit (:func:`spikestats.changepoint.detect` on the unit's trains).

        A unit's trials are searched together for changes they share (as
        ``detect`` does for several trains).

        Parameters
        ----------
        client
            Where units run, as in :func:`spikestats.parallel.map_units`.
        rng : seed or Generator, optional
            For randomised searches (``method="wbs"``): each unit gets its own
            stream, so results do not depend on ``client``.
        **kwargs
            ``method``, ``cost``, ``penalty``, ``bin_size``, ``min_size``,
            ``confidence``, ... of :func:`~spikestats.changepoint.detect`.

        Returns
        -------
        xarray.Dataset
            Over ``unit`` (NaN-padded along ``<name>_dim_0`` where units have
            different numbers of changes): ``change_times`` (s),
            ``change_points``, ``rates`` (Hz, per segment), ``rate_intervals``,
            ``edges``, ``intervals``, ``penalty``, ``confidence``,
            ``objective``; plus ``n_changes`` on ``unit``.
        """
        from functools import partial

        from spikestats.changepoint import detect

        out = self.map_units(partial(detect, **kwargs), client, rng=rng, progress=progress, combine="xarray")
        n = np.count_nonzero(np.isfinite(np.atleast_2d(out["change_times"].values)), axis=-1)
        return out.assign_coords(n_changes=(DIM_UNIT, n, {"units": "1", "long_name": "number of change points"}))

    def _paired_units(self, unit_a, unit_b) -> tuple[SpikeTrains, SpikeTrains]:
        """The trains of two units, ordered by trial label so that trials pair up."""
        st = self.to_spiketrains()
        a, b = st.select(unit=unit_a), st.select(unit=unit_b)
        a = a[np.argsort(a.trial, kind="stable")]
        b = b[np.argsort(b.trial, kind="stable")]
        if not np.array_equal(a.trial, b.trial):
            from spikestats._validation import fail

            fail("unit_b", f"a unit with the same trials as unit {unit_a!r}", unit_b,
                 got=f"trials {np.unique(b.trial).tolist()[:5]} vs {np.unique(a.trial).tolist()[:5]}")
        return a, b


def _as_xarray(value, name: str, attrs: dict, dims, coords) -> xr.DataArray | xr.Dataset:
    """A DataArray of ``value`` (a number or array), or a Dataset of an Estimate's three parts."""
    if not isinstance(value, Estimate):
        if dims is None:
            return xr.DataArray(value, name=name, attrs=attrs)
        return xr.DataArray(value, dims=dims, coords=coords, name=name, attrs=attrs)
    kw = {} if dims is None else {"dims": dims}
    parts = {name: (value.estimate, attrs),
             f"{name}_low": (value.low, {"units": attrs["units"], "long_name": "lower end of the interval"}),
             f"{name}_high": (value.high, {"units": attrs["units"], "long_name": "upper end of the interval"})}
    data = {key: xr.DataArray(v, attrs=a, **kw) for key, (v, a) in parts.items()}
    return xr.Dataset(data, coords=coords or {}, attrs={"confidence": value.confidence, "method": value.method})
