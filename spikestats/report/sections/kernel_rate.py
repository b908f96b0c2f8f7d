"""Rates over time per unit: PSTH with standard error and the optimal-bandwidth kernel rate."""

from __future__ import annotations

import warnings

import numpy as np

from spikestats.exceptions import DataWarning, SpikestatsError
from spikestats.report._section import Column, Context, FigureSpec, Quantity, Section, SectionResult
from spikestats.stats.kernel_rate import kernel_rate
from spikestats.stats.psth import psth

#: PSTH bins across each unit's common window.
PSTH_BINS = 50
#: Kernel-rate samples across each unit's common window.
RATE_SAMPLES = 1000
#: Units drawn in the figures (the first ones in label order).
MAX_UNITS_SHOWN = 6


class KernelRates(Section):
    """Per unit: PSTH over its trials (mean +- SE) and the Gaussian kernel rate with the optimal fixed bandwidth."""

    name = "kernel_rate"
    title = "Rates over time"
    intro = ("PSTH: spike counts of each unit's trials in 50 bins across their common window, averaged over "
             "trials, with the standard error across trials (shaded; none for a single trial). Kernel rate: "
             "the trial-averaged Gaussian kernel estimate with the optimal fixed bandwidth of Shimazaki & "
             "Shinomoto (2010) selected from the unit's pooled spikes (bandwidth = the kernel's standard "
             "deviation), corrected at the window's ends by the kernel mass inside the window.")

    def compute(self, ctx: Context) -> SectionResult:
        bandwidth = np.full(ctx.n_units, np.nan)
        peak = np.full(ctx.n_units, np.nan)
        curves: dict = {}
        notes: list[str] = []
        skipped: list[str] = []
        for k, unit in enumerate(ctx.units):
            trains = ctx.st[np.flatnonzero(ctx.unit_of_train == k)]
            try:
                lo, hi = float(np.max(trains.t_start)), float(np.min(trains.t_stop))
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", DataWarning)  # one trial: SE is NaN, drawn without a band
                    hist = psth(trains, (hi - lo) / PSTH_BINS)
                est = kernel_rate(trains, "auto", sampling_period=(hi - lo) / RATE_SAMPLES, edge_correction=True)
            except SpikestatsError as exc:
                skipped.append(f"{unit} ({exc})")
                continue
            bandwidth[k] = est.bandwidth[0]
            mean = est.mean_rate
            peak[k] = np.nanmax(mean)
            curves[k] = (hist.edges, hist.rate, hist.se, est.times, mean)
        if skipped:
            notes.append(f"No rate over time for {len(skipped)} unit(s): " + "; ".join(skipped[:5])
                         + ("; ..." if len(skipped) > 5 else ""))
        if ctx.n_units > MAX_UNITS_SHOWN:
            notes.append(f"Figures show the first {MAX_UNITS_SHOWN} of {ctx.n_units} units.")
        return SectionResult(
            per_unit={"kernel_bandwidth": Quantity(bandwidth, "s", "optimal fixed Gaussian kernel bandwidth (SD), "
                                                              "Shimazaki & Shinomoto 2010, pooled over trials"),
                      "kernel_rate_peak": Quantity(peak, "Hz", "peak of the trial-averaged kernel rate")},
            notes=notes, data={"curves": curves})

    def columns(self, ctx: Context, result: SectionResult) -> list[Column]:
        return [Column("kernel bandwidth (ms)", result.per_unit["kernel_bandwidth"].values * 1e3, "{:.1f}"),
                Column("peak kernel rate (Hz)", result.per_unit["kernel_rate_peak"].values, "{:.1f}")]

    def figures(self, ctx: Context, result: SectionResult) -> list[FigureSpec]:
        from spikestats.plotting.rates import kernel_rate_plot, psth_plot

        curves = result.data["curves"]
        shown = [k for k in sorted(curves)][:MAX_UNITS_SHOWN]
        if not shown:
            return []

        def draw_psth(ax):
            for k in shown:
                edges, rate, se, _, _ = curves[k]
                psth_plot(edges, rate, se, ax=ax, color=f"C{k % 10}", label=f"unit {ctx.units[k]}")
            ax.legend(loc="upper right", frameon=False, fontsize="small")
            return ax

        def draw_kernel(ax):
            for k in shown:
                times, mean = curves[k][3], curves[k][4]
                kernel_rate_plot(times, mean, ax=ax)
                ax.lines[-1].set_color(f"C{k % 10}")
                width = result.per_unit["kernel_bandwidth"].values[k] * 1e3
                ax.lines[-1].set_label(f"unit {ctx.units[k]} ({width:.0f} ms)")
            ax.legend(loc="upper right", frameon=False, fontsize="small")
            return ax

        return [FigureSpec("psth.png", "PSTH per unit: trial-averaged rate in bins, shaded \u00b11 standard error "
                                       "across trials.", draw_psth),
                FigureSpec("kernel_rate.png", "Trial-averaged Gaussian kernel rate per unit, optimal fixed bandwidth "
                                              "(in the legend), edge-corrected.", draw_kernel)]
