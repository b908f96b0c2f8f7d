"""Spike-count variability: Fano factors within trains, across trials, against window and over time."""

from __future__ import annotations

import warnings

import numpy as np

from spikestats.exceptions import DataWarning, SpikestatsError
from spikestats.report._section import Column, Context, FigureSpec, Quantity, Section, SectionResult
from spikestats.stats.dispersion import fano_factor, mean_matched_fano, time_resolved_fano

#: How many unit labels a note lists before "...".
MAX_LISTED = 10
#: Windows of the time-resolved Fano factor: this fraction of the trial length, stepped by half of it.
TIME_WINDOW_FRACTION = 0.1
#: Fewest units for a mean-matched Fano factor (the matching needs a population).
MIN_UNITS_MATCHED = 3
#: Seed of the random matching, so a report is reproducible.
MATCHING_SEED = 0
#: Bin widths (spikes) tried in turn for the mean matching; the first keeping this fraction of units is used.
MATCHING_BIN_WIDTHS = tuple(0.25 * 2.0 ** k for k in range(9))
MIN_RETAINED = 0.5


class Dispersion(Section):
    """Windowed Fano factor per train; Fano factor across trials per unit; Fano against window and over time."""

    name = "dispersion"
    title = "Spike-count variability"
    intro = ("Fano factor = variance / mean of spike counts (ddof = 0). Windowed: counts in consecutive "
             "windows within each train, one value per train. Across trials: one count per trial over the "
             "whole window, for units whose trials have equal lengths, with a 95 % chi-square interval. Both "
             "are 1 for a Poisson process; for a renewal process they tend to CV\u00b2 in long windows. Over "
             "time: the Fano factor across trials in a sliding window, and, for a population, the "
             "mean-matched Fano factor of Churchland et al. (2010), which removes the effect of rate changes.")

    def compute(self, ctx: Context) -> SectionResult:
        st = ctx.st
        window = ctx.params.fano_window_for(float(st.duration.min()))
        windowed = fano_factor(st, window=window)
        across = np.full(ctx.n_units, np.nan)
        low = np.full(ctx.n_units, np.nan)
        high = np.full(ctx.n_units, np.nan)
        lacking = []
        for k, unit in enumerate(ctx.units):
            trains = st[ctx.unit_of_train == k]
            if len(trains) >= 2 and np.allclose(trains.duration, trains.duration[0], rtol=1e-9, atol=0):
                est = fano_factor(trains, ci=0.95)
                across[k], low[k], high[k] = est.estimate, est.low, est.high
            else:
                lacking.append(str(unit))
        notes = [f"Fano factors in windows of {window:g} s."]
        if lacking:
            shown = ", ".join(lacking[:MAX_LISTED]) + (", ..." if len(lacking) > MAX_LISTED else "")
            notes.append(f"No Fano factor across trials for {len(lacking)} unit(s) with fewer than two trials "
                         f"or trials of unequal length: {shown}.")
        data = {"window": window, **self._over_time(ctx, notes)}
        return SectionResult(
            per_train={"fano_windowed": Quantity(windowed, "1", f"Fano factor of counts in {window:g} s windows")},
            per_unit={"fano_across_trials": Quantity(across, "1", "Fano factor of the trial counts"),
                      "fano_across_trials_low": Quantity(low, "1", "lower 95 % chi-square limit of that Fano factor"),
                      "fano_across_trials_high": Quantity(high, "1",
                                                          "upper 95 % chi-square limit of that Fano factor"),
                      "mean_fano_windowed": Quantity(ctx.unit_mean(windowed), "1",
                                                     "mean over the unit's trains of the windowed Fano factor")},
            notes=notes, data=data)

    def _over_time(self, ctx: Context, notes: list[str]) -> dict:
        """Time-resolved (and, for >= 3 units, mean-matched) Fano factors when the trials share one window."""
        st = ctx.st
        if np.any(ctx.trains_per_unit < 2):
            return {}
        trial_length = float(st.duration[0])
        window = TIME_WINDOW_FRACTION * trial_length
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DataWarning)  # silent windows give NaN, drawn as gaps
                resolved = time_resolved_fano(st, window, window / 2)
                matched, width = (_matched(st, window) if ctx.n_units >= MIN_UNITS_MATCHED else (None, None))
        except SpikestatsError as exc:   # trials not aligned on one window
            notes.append(f"No Fano factor over time: {exc}")
            return {}
        notes.append(f"Fano factor over time in windows of {window:g} s every {window / 2:g} s.")
        if matched is not None:
            notes.append(f"Mean-matched Fano factor: {np.nanmean(matched.fano):.3f} on average over time, keeping "
                         f"{np.nanmean(matched.retained):.0%} of the units (bins of {width:g} spikes, 10 random "
                         f"matchings).")
        elif ctx.n_units >= MIN_UNITS_MATCHED:
            notes.append(f"No mean-matched Fano factor: the units' mean counts overlap too little over time (fewer "
                         f"than {MIN_RETAINED:.0%} kept with bins up to {MATCHING_BIN_WIDTHS[-1]:g} spikes).")
        return {"resolved": resolved, "matched": matched}

    def columns(self, ctx: Context, result: SectionResult) -> list[Column]:
        pu = result.per_unit
        cols = [Column("Fano across trials", pu["fano_across_trials"].values, "{:.3f}"),
                Column(f"Fano in {result.data['window']:g} s windows (mean)", pu["mean_fano_windowed"].values,
                       "{:.3f}")]
        true_cv = ctx.true_values("cv")
        if true_cv is not None:
            cols.append(Column("true CV\u00b2 (long-window Fano)", true_cv ** 2, "{:.3f}", truth=True))
        return cols

    def figures(self, ctx: Context, result: SectionResult) -> list[FigureSpec]:
        from spikestats.plotting.variability import fano_window_curve, time_resolved_fano_plot

        by = "unit" if ctx.n_units <= 12 else "all"
        figs = [FigureSpec("fano_windows.png", "Mean windowed Fano factor against the window length "
                           + ("per unit." if by == "unit" else "over all trains.") + " Dashed: Poisson (1).",
                           lambda ax: fano_window_curve(ctx.st, ax=ax, by=by))]
        resolved = result.data.get("resolved")
        if resolved is not None:
            matched = result.data.get("matched")
            caption = "Fano factor across trials over time, one line per unit"
            caption += "; black: mean-matched Fano factor with its 95 % interval." if matched is not None else "."
            figs.append(FigureSpec("fano_time.png", caption,
                                   lambda ax: time_resolved_fano_plot(resolved, ax, mean_matched=matched)))
        return figs


def _matched(st, window: float):
    """The mean-matched Fano factor with the narrowest bins (of MATCHING_BIN_WIDTHS) that keep enough units."""
    for width in MATCHING_BIN_WIDTHS:
        matched = mean_matched_fano(st, window, window / 2, bin_width=width, rng=MATCHING_SEED)
        if np.nanmin(matched.retained) >= MIN_RETAINED:
            return matched, width
    return None, None
