"""The data at a glance: counts, windows and a raster."""

from __future__ import annotations

import numpy as np

from spikestats.report import _html
from spikestats.report._section import Column, Context, FigureSpec, Quantity, Section, SectionResult


class Overview(Section):
    """Trains, spikes and observation windows, with a raster of every train."""

    name = "overview"
    title = "Data"

    def compute(self, ctx: Context) -> SectionResult:
        st = ctx.st
        counts = st.counts
        return SectionResult(
            per_train={"spike_count": Quantity(counts, "1", "number of spikes"),
                       "duration": Quantity(st.duration, "s", "length of the observation window")},
            per_unit={"n_trains": Quantity(ctx.trains_per_unit, "1", "number of trains (trials) of the unit"),
                      "spike_count": Quantity(ctx.unit_sum(counts).astype(np.int64), "1",
                                              "number of spikes over all the unit's trains")})

    def columns(self, ctx: Context, result: SectionResult) -> list[Column]:
        return [Column("trains", result.per_unit["n_trains"].values),
                Column("spikes", result.per_unit["spike_count"].values)]

    def figures(self, ctx: Context, result: SectionResult) -> list[FigureSpec]:
        from spikestats.plotting import raster

        height = min(9.0, 2.5 + 0.03 * ctx.st.n_trains)
        return [FigureSpec("raster.png", "Raster: one row per train, grouped by unit; one tick per spike.",
                           lambda ax: raster(ctx.st, ax=ax), size=(8.0, height))]

    def html(self, ctx: Context, result: SectionResult) -> str:
        st = ctx.st
        meta = st.metadata
        lo, hi = st.t_start, st.t_stop
        window = (f"[{lo[0]:g}, {hi[0]:g}] s for every train" if np.all(lo == lo[0]) and np.all(hi == hi[0])
                  else f"from {st.duration.min():g} to {st.duration.max():g} s long")
        pairs = [("title", meta.get("title")), ("description", meta.get("description")),
                 ("trains", st.n_trains), ("units", ctx.n_units), ("trial labels", np.unique(st.trial).size),
                 ("spikes", st.n_spikes), ("observation windows", window),
                 ("total observed time", f"{st.duration.sum():g} s")]
        return _html.key_values([(k, v) for k, v in pairs if v is not None])
