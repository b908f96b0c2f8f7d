"""Firing rates per train and per unit, beside the true rates when known."""

from __future__ import annotations

import numpy as np

from spikestats.report._section import Column, Context, FigureSpec, Quantity, Section, SectionResult
from spikestats.stats import firing_rate

#: Bins of the rate histogram.
RATE_BINS = 40


class FiringRates(Section):
    """Spike count over window length, per train and pooled per unit."""

    name = "rates"
    title = "Firing rates"
    intro = ("Rate of a train = its spike count / its window length. A unit's rate pools its trains: all its "
             "spikes / all its observed time T, with the Poisson standard error SE = sqrt(rate / T) "
             "(an upper bound for processes more regular than Poisson, e.g. with a dead time).")

    def compute(self, ctx: Context) -> SectionResult:
        st = ctx.st
        total_time = ctx.unit_sum(st.duration)
        pooled = ctx.unit_sum(st.counts) / total_time
        return SectionResult(
            per_train={"firing_rate": Quantity(firing_rate(st), "Hz", "firing rate")},
            per_unit={"firing_rate": Quantity(pooled, "Hz", "firing rate of all the unit's trains pooled"),
                      "firing_rate_se": Quantity(np.sqrt(pooled / total_time), "Hz",
                                                 "Poisson standard error of the pooled rate, sqrt(rate / T)")})

    def columns(self, ctx: Context, result: SectionResult) -> list[Column]:
        rate = result.per_unit["firing_rate"].values
        se = result.per_unit["firing_rate_se"].values
        cols = [Column("rate \u00b1 SE (Hz)", [f"{r:.2f} \u00b1 {s:.2f}" for r, s in zip(rate, se)])]
        true = ctx.true_values("rate")
        if true is not None:
            with np.errstate(invalid="ignore", divide="ignore"):
                z = (rate - true) / se
            cols += [Column("true rate (Hz)", true, "{:.2f}", truth=True),
                     Column("(rate \u2212 true) / SE", z, "{:+.2f}")]
        return cols

    def figures(self, ctx: Context, result: SectionResult) -> list[FigureSpec]:
        from spikestats.plotting import rate_histogram

        rates = result.per_train["firing_rate"].values
        true = ctx.true_values("rate")
        reference = None if true is None else true[np.isfinite(true)]
        caption = "Firing rates of the trains" + ("; dashed lines: true rates." if reference is not None else ".")
        return [FigureSpec("rates.png", caption,
                           lambda ax: rate_histogram(rates, ax=ax, bins=RATE_BINS, reference=reference))]
