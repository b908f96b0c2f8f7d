"""Spike-history GLM per unit: the history filter with its band, time-rescaling KS plots, model comparison."""

from __future__ import annotations

import numpy as np

from spikestats.exceptions import SpikestatsError
from spikestats.glm import HistoryGLM, RaisedCosineBasis, time_rescaling_test
from spikestats.report._section import Column, Context, FigureSpec, Quantity, Section, SectionResult

#: Bin of the models (s) and their history basis: 8 raised cosines over 100 ms on log(t + 10 ms).
BIN_SIZE = 0.001
BASIS = RaisedCosineBasis(n_basis=8, t_max=0.1, offset=0.01)
#: Units drawn in the figures (units with ground-truth GLM filters first, then in label order).
MAX_UNITS_SHOWN = 4
#: Units with fewer spikes are not fitted.
MIN_SPIKES = 50


def _true_gain(ctx: Context, unit) -> tuple[np.ndarray, np.ndarray] | None:
    """Lags and gain ``exp(h)`` of a unit's true GLM history filter, if its ground truth has one."""
    truth = None if ctx.truth is None else ctx.truth.get(str(unit))
    if not isinstance(truth, dict) or truth.get("model") != "GLM" or not isinstance(truth.get("history"), list):
        return None
    h = np.asarray(truth["history"], dtype=float)
    if h.ndim != 3 or h.shape[:2] != (1, 1):
        return None
    lags = (np.arange(h.shape[2]) + 1) * float(truth.get("bin_size", BIN_SIZE))
    return lags, np.exp(h[0, 0])


class HistoryModels(Section):
    """Per unit: a Poisson GLM of its own spike history against the homogeneous Poisson model."""

    name = "glm"
    title = "Spike-history GLMs"
    intro = ("Each unit's trials are fitted with a Poisson GLM of its own spike history in 1 ms bins (8 raised "
             "cosines over 100 ms on a log(t + 10 ms) axis, Pillow et al. 2008): lambda(t) = exp(b0 + sum_j w_j "
             "x_j(t)) Hz. The history filter is the gain exp(h(lag)) on the rate after a spike, with its pointwise "
             "95 % band. It is compared with the homogeneous Poisson model (one rate) by AIC, by the "
             "log-likelihood gain in bits per spike and by the time-rescaling KS test (Brown et al. 2002, "
             "discrete-time correction of Haslinger et al. 2010): a model that fits keeps its KS plot inside "
             "the 95 % band.")

    def compute(self, ctx: Context) -> SectionResult:
        keys = ("aic_gain", "bits", "ks_glm", "ks_poisson", "band")
        out = {k: np.full(ctx.n_units, np.nan) for k in keys}
        fits: dict[int, tuple] = {}
        skipped: list[str] = []
        for k, unit in enumerate(ctx.units):
            trains = ctx.st[np.flatnonzero(ctx.unit_of_train == k)]
            if trains.n_spikes < MIN_SPIKES:
                skipped.append(f"{unit} ({trains.n_spikes} spikes)")
                continue
            try:
                model = HistoryGLM(history=BASIS, bin_size=BIN_SIZE).fit(trains, unit=unit)
                glm_ks = time_rescaling_test(trains, model, rng=0)
                rate = model.n_spikes_ / (model.estimator_.n_obs_ * BIN_SIZE)  # the homogeneous model's MLE (Hz)
                poisson_ks = time_rescaling_test(trains, _constant(trains, rate), bin_size=BIN_SIZE, rng=0)
            except SpikestatsError as exc:
                skipped.append(f"{unit} ({exc})")
                continue
            out["aic_gain"][k] = (-2.0 * model.null_log_likelihood_ + 2.0) - model.aic_
            out["bits"][k] = (model.log_likelihood_ - model.null_log_likelihood_) / (model.n_spikes_ * np.log(2.0))
            out["ks_glm"][k], out["ks_poisson"][k] = glm_ks.statistic, poisson_ks.statistic
            out["band"][k] = glm_ks.ks_band
            fits[k] = (model.history_filter_, glm_ks, poisson_ks)
        notes = []
        if skipped:
            notes.append(f"No GLM for {len(skipped)} unit(s): " + "; ".join(skipped[:5])
                         + ("; ..." if len(skipped) > 5 else ""))
        return SectionResult(
            per_unit={
                "glm_aic_gain": Quantity(out["aic_gain"], "1", "AIC of the homogeneous Poisson model minus AIC of "
                                                               "the spike-history GLM"),
                "glm_bits_per_spike": Quantity(out["bits"], "bit", "log-likelihood gain of the history GLM over the "
                                                                   "homogeneous Poisson model per spike"),
                "glm_ks_statistic": Quantity(out["ks_glm"], "1", "time-rescaling KS distance, history GLM"),
                "poisson_ks_statistic": Quantity(out["ks_poisson"], "1", "time-rescaling KS distance, homogeneous "
                                                                         "Poisson model"),
                "ks_band": Quantity(out["band"], "1", "half-width of the 95 % KS band, 1.36 / sqrt(n)")},
            notes=notes, data={"fits": fits})

    def columns(self, ctx: Context, result: SectionResult) -> list[Column]:
        u = result.per_unit
        return [Column("GLM AIC gain", u["glm_aic_gain"].values, "{:.0f}"),
                Column("GLM bits/spike", u["glm_bits_per_spike"].values, "{:.3f}"),
                Column("KS GLM / Poisson / band", [
                    "-" if not np.isfinite(g) else f"{g:.3f} / {p:.3f} / {b:.3f}"
                    for g, p, b in zip(u["glm_ks_statistic"].values, u["poisson_ks_statistic"].values,
                                       u["ks_band"].values)])]

    def _shown(self, ctx: Context, result: SectionResult) -> list[int]:
        fits = result.data["fits"]
        with_truth = [k for k in sorted(fits) if _true_gain(ctx, ctx.units[k]) is not None]
        return (with_truth + [k for k in sorted(fits) if k not in with_truth])[:MAX_UNITS_SHOWN]

    def figures(self, ctx: Context, result: SectionResult) -> list[FigureSpec]:
        from spikestats.plotting.glm import filter_plot, ks_plot

        fits = result.data["fits"]
        shown = self._shown(ctx, result)
        if not shown:
            return []

        def draw_filters(ax):
            for k in shown:
                f = fits[k][0]
                filter_plot(f.lags, f.gain, f.lower, f.upper, ax=ax, color=f"C{k % 10}", label=f"unit {ctx.units[k]}")
                truth = _true_gain(ctx, ctx.units[k])
                if truth is not None:
                    ax.plot(truth[0] * 1e3, truth[1], color=f"C{k % 10}", linestyle="--", linewidth=1.0,
                            label=f"unit {ctx.units[k]}, true filter")
            ax.legend(loc="lower right", frameon=False, fontsize="small")
            return ax

        def draw_ks(ax):
            for k in shown:
                _, glm_ks, poisson_ks = fits[k]
                ks_plot(glm_ks.rescaled, glm_ks.ks_band, ax=ax, color=f"C{k % 10}",
                        label=f"unit {ctx.units[k]} GLM")
                ax.plot((np.arange(poisson_ks.n) + 0.5) / poisson_ks.n, np.sort(poisson_ks.rescaled),
                        color=f"C{k % 10}", linestyle=":", linewidth=1.0, label=f"unit {ctx.units[k]} Poisson")
            ax.legend(loc="lower right", frameon=False, fontsize="small")
            return ax

        return [FigureSpec("glm_history.png", "Fitted history filters (gain on the rate after a spike) with "
                                              "pointwise 95 % bands; dashed: the true filter where known.",
                           draw_filters),
                FigureSpec("glm_ks.png", "Time-rescaling KS plots: history GLM (solid) and homogeneous Poisson "
                                         "model (dotted), with the 95 % band (dashed grey).", draw_ks, (5.0, 5.0))]


def _constant(trains, rate: float) -> np.ndarray:
    """A constant rate (Hz) per 1 ms bin over the longest window of ``trains``."""
    n = int(np.ceil(float(np.max(trains.t_stop - trains.t_start)) / BIN_SIZE)) + 1
    return np.full(n, rate)
