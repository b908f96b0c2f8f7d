"""Simulated cells checked against the models that made them."""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy import stats as sps

from spikestats.report._section import Column, Context, FigureSpec, Quantity, Section, SectionResult
from spikestats.stats.intervals import isi
from spikestats.stats.psth import psth

#: PSTH bins for the time-varying cells.
PSTH_BINS = 40


def _isi_law(record: dict) -> Any:
    """The frozen scipy ISI distribution a unit's generator states exactly, or None."""
    model = record.get("model")
    if model == "PoissonProcess" and record.get("rate", 0) > 0:
        rate, dead = record["rate"], record.get("dead_time", 0.0)
        return sps.expon(loc=dead, scale=(1.0 - rate * dead) / rate)
    if model == "GammaProcess":
        return sps.gamma(record["shape"], scale=1.0 / (record["shape"] * record["rate"]))
    return None


def _true_rate(record: dict) -> tuple[np.ndarray, np.ndarray] | None:
    """``(edges, values)`` of a piecewise-constant true rate (InhomogeneousPoisson, one shared rate), or None."""
    if record.get("model") != "InhomogeneousPoisson":
        return None
    values = np.asarray(record["rate_values"], dtype=float)
    return (np.asarray(record["rate_edges"], dtype=float), values[0]) if values.shape[0] == 1 else None


#: Most PSTH curves drawn in one figure (more overlap unreadably).
MAX_CURVES = 4


class GeneratedCells(Section):
    """Per simulated unit: a KS test of its ISIs against the model's ISI law, or its PSTH against the true rate."""

    name = "generators"
    title = "Simulated cells against their models"
    intro = ("For units made by a generator with a closed-form ISI law (Poisson with dead time: "
             "dead_time + Exp(rate / (1 - rate x dead_time)); gamma), a one-sample Kolmogorov-Smirnov test of "
             "the pooled ISIs against that law (pooling trials: the intervals of a stationary renewal process "
             "are i.i.d.). For inhomogeneous Poisson cells, the PSTH over trials (+- SE) against the true rate. "
             "Model neurons (AdEx, GLM) have no closed form here; their rate and regularity are in the summary.")

    def applies(self, ctx: Context) -> bool:
        return ctx.truth is not None

    def compute(self, ctx: Context) -> SectionResult:
        ks = np.full(ctx.n_units, np.nan)
        pvalue = np.full(ctx.n_units, np.nan)
        curves: dict[int, tuple] = {}
        for k, unit in enumerate(ctx.units):
            record = ctx.truth.get(str(unit)) or {}
            trains = ctx.st[np.flatnonzero(ctx.unit_of_train == k)]
            law = _isi_law(record)
            values = isi(trains).values
            if law is not None and values.size >= 2:
                test = sps.kstest(values, law.cdf)
                ks[k], pvalue[k] = test.statistic, test.pvalue
            truth = _true_rate(record)
            if truth is not None:
                hist = psth(trains, float(trains.duration.min()) / PSTH_BINS)
                curves[k] = (hist.edges, hist.rate, hist.se, *truth)
        return SectionResult(per_unit={
            "isi_ks_statistic": Quantity(ks, "1", "KS distance of the pooled ISIs from the generator's ISI law"),
            "isi_ks_pvalue": Quantity(pvalue, "1", "p-value of that one-sample KS test")}, data={"curves": curves})

    def columns(self, ctx: Context, result: SectionResult) -> list[Column]:
        return [Column("ISI KS p (model)", result.per_unit["isi_ks_pvalue"].values, "{:.3f}")]

    def figures(self, ctx: Context, result: SectionResult) -> list[FigureSpec]:
        from spikestats.plotting.rates import psth_plot

        curves = result.data["curves"]
        if not curves:
            return []

        shown = list(curves.items())[:MAX_CURVES]

        def draw(ax):
            for k, (edges, rate, se, true_edges, true_values) in shown:
                color = f"C{k % 10}"
                psth_plot(edges, rate, se, ax=ax, color=color, label=f"{ctx.units[k]} (PSTH)")
                ax.step(true_edges, np.r_[true_values, true_values[-1:]], where="post", color=color,
                        linestyle="--", linewidth=1.0, label=f"{ctx.units[k]} (true rate)")
            ax.legend(fontsize="small")

        more = f" (the first {MAX_CURVES} of {len(curves)} cells)" if len(curves) > MAX_CURVES else ""
        return [FigureSpec("generated_rates.png", "PSTH (+- SE over trials) of the inhomogeneous Poisson cells "
                           f"against the rate that generated them (dashed){more}.", draw)]

    def html(self, ctx: Context, result: SectionResult) -> str:
        from spikestats.report import _html

        rows = [(str(u), f"{d:.4f}", f"{p:.3f}") for u, d, p in zip(ctx.units, result.per_unit["isi_ks_statistic"].values,
                                                                   result.per_unit["isi_ks_pvalue"].values)
                if np.isfinite(d)]
        return _html.table(["unit", "KS distance", "p-value"], rows, text_columns=(0,)) if rows else ""
