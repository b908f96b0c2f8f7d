"""Spike-count variability: Fano factors within trains and across trials."""

from __future__ import annotations

import numpy as np

from spikestats.report._section import Column, Context, Quantity, Section, SectionResult
from spikestats.stats import fano_factor

#: How many unit labels a note lists before "...".
MAX_LISTED = 10


class Dispersion(Section):
    """Windowed Fano factor per train; Fano factor across trials per unit."""

    name = "dispersion"
    title = "Spike-count variability"
    intro = ("Fano factor = variance / mean of spike counts (ddof = 0). Windowed: counts in consecutive "
             "windows within each train, one value per train. Across trials: one count per trial over the "
             "whole window, for units whose trials have equal lengths. Both are 1 for a Poisson process; for "
             "a renewal process they tend to CV\u00b2 in long windows.")

    def compute(self, ctx: Context) -> SectionResult:
        st = ctx.st
        window = ctx.params.fano_window_for(float(st.duration.min()))
        windowed = fano_factor(st, window=window)
        across = np.full(ctx.n_units, np.nan)
        lacking = []
        for k, unit in enumerate(ctx.units):
            trains = st[ctx.unit_of_train == k]
            if len(trains) >= 2 and np.allclose(trains.duration, trains.duration[0], rtol=1e-9, atol=0):
                across[k] = fano_factor(trains)
            else:
                lacking.append(str(unit))
        notes = [f"Fano factors in windows of {window:g} s."]
        if lacking:
            shown = ", ".join(lacking[:MAX_LISTED]) + (", ..." if len(lacking) > MAX_LISTED else "")
            notes.append(f"No Fano factor across trials for {len(lacking)} unit(s) with fewer than two trials "
                         f"or trials of unequal length: {shown}.")
        return SectionResult(
            per_train={"fano_windowed": Quantity(windowed, "1", f"Fano factor of counts in {window:g} s windows")},
            per_unit={"fano_across_trials": Quantity(across, "1", "Fano factor of the trial counts"),
                      "mean_fano_windowed": Quantity(ctx.unit_mean(windowed), "1",
                                                     "mean over the unit's trains of the windowed Fano factor")},
            notes=notes, data={"window": window})

    def columns(self, ctx: Context, result: SectionResult) -> list[Column]:
        cols = [Column("Fano across trials", result.per_unit["fano_across_trials"].values, "{:.3f}"),
                Column(f"Fano in {result.data['window']:g} s windows (mean)",
                       result.per_unit["mean_fano_windowed"].values, "{:.3f}")]
        true_cv = ctx.true_values("cv")
        if true_cv is not None:
            cols.append(Column("true CV\u00b2 (long-window Fano)", true_cv ** 2, "{:.3f}", truth=True))
        return cols
