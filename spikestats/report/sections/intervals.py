"""Inter-spike intervals: their coefficient of variation and histogram."""

from __future__ import annotations

import numpy as np

from spikestats.report._section import Column, Context, FigureSpec, Quantity, Section, SectionResult
from spikestats.stats import cv, isi

#: Above this many units the ISI histogram pools all units.
MAX_UNITS_PER_HISTOGRAM = 12
MS = 1e3  # seconds -> milliseconds for display


class Intervals(Section):
    """CV of the ISIs per train, the shortest ISI per unit, and ISI histograms."""

    name = "intervals"
    title = "Inter-spike intervals"
    intro = ("CV = standard deviation / mean of a train's inter-spike intervals (ddof = 0; 1 for a Poisson "
             "process, 1 \u2212 rate \u00d7 dead time with a dead time). The shortest ISI of a unit bounds "
             "its dead time from above.")

    def compute(self, ctx: Context) -> SectionResult:
        per_train_cv = cv(ctx.st)
        intervals = isi(ctx.st)
        unit_of_isi = np.repeat(ctx.unit_of_train, np.diff(intervals.offsets))
        shortest = np.full(ctx.n_units, np.inf)
        np.minimum.at(shortest, unit_of_isi, intervals.values)
        shortest[np.isinf(shortest)] = np.nan
        return SectionResult(
            per_train={"cv": Quantity(per_train_cv, "1", "coefficient of variation of the ISIs"),
                       "isi_count": Quantity(np.diff(intervals.offsets), "1", "number of inter-spike intervals")},
            per_unit={"mean_cv": Quantity(ctx.unit_mean(per_train_cv), "1", "mean over the unit's trains of the CV"),
                      "min_isi": Quantity(shortest, "s", "shortest inter-spike interval of the unit")})

    def columns(self, ctx: Context, result: SectionResult) -> list[Column]:
        cols = [Column("CV (mean)", result.per_unit["mean_cv"].values, "{:.3f}")]
        true_cv = ctx.true_values("cv")
        if true_cv is not None:
            cols.append(Column("true CV", true_cv, "{:.3f}", truth=True))
        cols.append(Column("shortest ISI (ms)", result.per_unit["min_isi"].values * MS, "{:.3g}"))
        dead = ctx.true_values("dead_time")
        if dead is not None:
            cols.append(Column("dead time (ms)", dead * MS, "{:.3g}", truth=True))
        return cols

    def figures(self, ctx: Context, result: SectionResult) -> list[FigureSpec]:
        from spikestats.plotting import isi_histogram

        by_unit = 1 < ctx.n_units <= MAX_UNITS_PER_HISTOGRAM
        caption = ("ISI histograms per unit, each normalised to a density." if by_unit
                   else "Histogram of all inter-spike intervals.")
        caption += " Intervals beyond the 99th percentile are not drawn."
        return [FigureSpec("isi.png", caption,
                           lambda ax: isi_histogram(ctx.st, ax=ax, bins=ctx.params.isi_bins,
                                                    by="unit" if by_unit else "all", density=by_unit))]
