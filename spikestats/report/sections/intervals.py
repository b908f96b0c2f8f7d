"""Inter-spike intervals: CV, CV2, LV and LvR per train and per unit, and annotated ISI histograms."""

from __future__ import annotations

import warnings

import numpy as np

from spikestats.exceptions import DataWarning
from spikestats.report._section import Column, Context, FigureSpec, Quantity, Section, SectionResult
from spikestats.stats import isi
from spikestats.stats.intervals import cv, cv2, lv, lvr

#: Above this many units the ISI histogram pools all units.
MAX_UNITS_PER_HISTOGRAM = 12
MS = 1e3  # seconds -> milliseconds for display
#: Refractoriness constant of the LvR (s), as recommended by Shinomoto et al. (2009).
LVR_R = 5e-3


class Intervals(Section):
    """CV, CV2, LV and LvR of the ISIs per train, pooled per unit, the shortest ISI per unit, and ISI histograms."""

    name = "intervals"
    title = "Inter-spike intervals"
    intro = ("CV = standard deviation / mean of a train's inter-spike intervals (ddof = 0; 1 for a Poisson "
             "process, 1 \u2212 rate \u00d7 dead time with a dead time). CV2 (Holt 1996) and LV (Shinomoto 2003) "
             "compare each interval with the next, so slow rate changes do not inflate them: both are 1 for "
             "Poisson, 0 for a clock, and LV = 3/(2k+1) for a gamma process of shape k. LvR (Shinomoto 2009) "
             "discounts a refractoriness of R = 5 ms. Per-unit values pool all interval pairs of the unit's "
             "trains, with 95 % intervals. The shortest ISI of a unit bounds its dead time from above.")

    def compute(self, ctx: Context) -> SectionResult:
        st = ctx.st
        per_train_cv = cv(st)
        with warnings.catch_warnings():
            # the CV above already reported too-short trains; these would repeat it
            warnings.simplefilter("ignore", DataWarning)
            per_train = {"cv2": (cv2(st), "CV2 of the ISIs (Holt 1996)"),
                         "lv": (lv(st), "local variation LV (Shinomoto 2003)"),
                         "lvr": (lvr(st, LVR_R), f"revised local variation LvR, R = {LVR_R * MS:g} ms")}
            pooled = {name: [f(st[ctx.unit_of_train == k], pooled=True, ci=0.95, **kw)
                             for k in range(ctx.n_units)]
                      for name, f, kw in (("cv", cv, {}), ("lv", lv, {}), ("lvr", lvr, {"r": LVR_R}))}
        intervals = isi(st)
        unit_of_isi = np.repeat(ctx.unit_of_train, np.diff(intervals.offsets))
        shortest = np.full(ctx.n_units, np.inf)
        np.minimum.at(shortest, unit_of_isi, intervals.values)
        shortest[np.isinf(shortest)] = np.nan
        per_unit = {"mean_cv": Quantity(ctx.unit_mean(per_train_cv), "1", "mean over the unit's trains of the CV"),
                    "min_isi": Quantity(shortest, "s", "shortest inter-spike interval of the unit")}
        for name, estimates in pooled.items():
            label = name.upper() if name != "lvr" else "LvR"
            for part, long in (("estimate", ""), ("low", " (lower 95 % limit)"), ("high", " (upper 95 % limit)")):
                key = f"pooled_{name}" + ("" if part == "estimate" else f"_{part}")
                values = np.array([getattr(e, part) for e in estimates], dtype=float)
                per_unit[key] = Quantity(values, "1", f"{label} of the unit's pooled intervals{long}")
        return SectionResult(
            per_train={"cv": Quantity(per_train_cv, "1", "coefficient of variation of the ISIs"),
                       **{k: Quantity(v, "1", text) for k, (v, text) in per_train.items()},
                       "isi_count": Quantity(np.diff(intervals.offsets), "1", "number of inter-spike intervals")},
            per_unit=per_unit)

    def columns(self, ctx: Context, result: SectionResult) -> list[Column]:
        pu = result.per_unit
        cols = [Column("CV (mean)", pu["mean_cv"].values, "{:.3f}")]
        true_cv = ctx.true_values("cv")
        if true_cv is not None:
            cols.append(Column("true CV", true_cv, "{:.3f}", truth=True))
        for name, title in (("lv", "LV"), ("lvr", "LvR")):
            cols.append(Column(f"{title} (pooled, 95 % CI)",
                               [_with_interval(e, lo, hi) for e, lo, hi in zip(pu[f"pooled_{name}"].values,
                                                                               pu[f"pooled_{name}_low"].values,
                                                                               pu[f"pooled_{name}_high"].values)]))
        cols.append(Column("shortest ISI (ms)", pu["min_isi"].values * MS, "{:.3g}"))
        dead = ctx.true_values("dead_time")
        if dead is not None:
            cols.append(Column("dead time (ms)", dead * MS, "{:.3g}", truth=True))
        return cols

    def figures(self, ctx: Context, result: SectionResult) -> list[FigureSpec]:
        from spikestats.plotting.variability import isi_variability_histogram

        by_unit = 1 < ctx.n_units <= MAX_UNITS_PER_HISTOGRAM
        caption = ("ISI histograms per unit, each normalised to a density; the legend gives each unit's pooled "
                   "CV, LV and LvR." if by_unit else
                   "Histogram of all inter-spike intervals with their pooled CV, LV and LvR.")
        caption += " Intervals beyond the 99th percentile are not drawn."
        return [FigureSpec("isi.png", caption,
                           lambda ax: isi_variability_histogram(ctx.st, ax, bins=ctx.params.isi_bins,
                                                                by="unit" if by_unit else "all", density=by_unit,
                                                                r=LVR_R))]


def _with_interval(estimate: float, low: float, high: float) -> str | None:
    """``"0.53 [0.49, 0.57]"``, or None (a dash) when undefined."""
    if not np.isfinite(estimate):
        return None
    return f"{estimate:.3f} [{low:.3f}, {high:.3f}]"
