"""Rate changes per unit: Poisson PELT on the trial-pooled counts, drawn on the raster and the rate."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from spikestats.changepoint import ChangePointResult, detect
from spikestats.changepoint.search import default_bin_size
from spikestats.exceptions import SpikestatsError
from spikestats.report._section import Column, Context, FigureSpec, Quantity, Section, SectionResult

#: Units drawn in the figures (those with changes first, in label order).
MAX_UNITS_SHOWN = 6


def _times_text(times) -> str:
    return ", ".join(f"{t:.2f}" for t in times) if len(times) else "none"


class ChangePoints(Section):
    """Per unit: change points of its rate, shared by its trials (PELT, Poisson counts, BIC)."""

    name = "changepoints"
    title = "Rate changes"
    intro = ("Each unit's trials are binned on their common window (the 1-2-5 bin width giving at least 1000 "
             "bins) and their counts summed; PELT finds the segmentation with piecewise-constant rates that "
             "minimises -2 log L (Poisson) + (1 + 1) log n per change (BIC). Rates are per trial, with exact "
             "(Garwood) 95 % intervals; each change time has a 95 % profile-likelihood interval. A slowly "
             "varying rate shows as several steps.")

    def compute(self, ctx: Context) -> SectionResult:
        n_changes = np.full(ctx.n_units, np.nan)
        first = np.full(ctx.n_units, np.nan)
        results: dict[int, ChangePointResult] = {}
        notes: list[str] = []
        for k, unit in enumerate(ctx.units):
            trains = ctx.st[np.flatnonzero(ctx.unit_of_train == k)]
            lo, hi = float(np.max(trains.t_start)), float(np.min(trains.t_stop))
            if not hi > lo or trains.n_spikes == 0:
                continue
            width = default_bin_size(hi - lo)
            try:
                counts = trains.bin(width).counts.sum(axis=0)
                res = detect(counts, bin_size=width, t_start=lo)
            except SpikestatsError as exc:
                notes.append(f"No change points for unit {unit}: {exc}")
                continue
            per_trial = float(len(trains))
            res = replace(res, rates=res.rates / per_trial, rate_intervals=res.rate_intervals / per_trial)
            results[k] = res
            n_changes[k] = res.n_changes
            first[k] = res.change_times[0] if res.n_changes else np.nan
        if ctx.n_units > MAX_UNITS_SHOWN:
            notes.append(f"Figures show {MAX_UNITS_SHOWN} of {ctx.n_units} units (units with changes first, one per "
                         f"pattern of change times).")
        return SectionResult(
            per_unit={"n_rate_changes": Quantity(n_changes, "1", "rate change points (PELT, Poisson, BIC), trials "
                                                                  "pooled"),
                      "first_rate_change": Quantity(first, "s", "time of the first rate change point")},
            notes=notes, data={"results": results})

    def columns(self, ctx: Context, result: SectionResult) -> list[Column]:
        found = result.data["results"]
        cols = [Column("rate changes at (s)", [_times_text(found[k].change_times) if k in found else None
                                               for k in range(ctx.n_units)])]
        if ctx.truth is not None:
            truth = [((ctx.truth.get(str(u)) or {}).get("changes") or {}).get("times") for u in ctx.units]
            if any(t is not None for t in truth):
                cols.append(Column("true changes at (s)", [None if t is None else _times_text(t) for t in truth],
                                   truth=True))
        return cols

    def _shown(self, result: SectionResult) -> list[int]:
        """Units with changes, one per distinct pattern of change times (to 0.5 s) first, then the rest."""
        found = result.data["results"]
        changed = [k for k in sorted(found) if found[k].n_changes]
        seen: set[tuple] = set()
        first = []
        for k in changed:
            pattern = tuple(np.round(found[k].change_times * 2) / 2)
            if pattern not in seen:
                seen.add(pattern)
                first.append(k)
        rest = [k for k in changed if k not in first] + [k for k in sorted(found) if not found[k].n_changes]
        return (first + rest)[:MAX_UNITS_SHOWN]

    def figures(self, ctx: Context, result: SectionResult) -> list[FigureSpec]:
        found = result.data["results"]
        shown = self._shown(result)
        if not shown:
            return []

        def draw_raster(ax):
            row = 0
            for j, k in enumerate(shown):
                trains = ctx.st[np.flatnonzero(ctx.unit_of_train == k)]
                color = f"C{j % 10}"
                for i, times in enumerate(trains):
                    ax.vlines(times, row + i + 0.1, row + i + 0.9, color=color, linewidth=0.5)
                top = row + len(trains)
                for t in found[k].change_times:
                    ax.vlines(t, row, top, color="k", linestyle="--", linewidth=1.2)
                ax.text(1.005, (row + top) / 2, str(ctx.units[k]), transform=ax.get_yaxis_transform(),
                        fontsize="small", va="center")
                row = top + 1
            ax.set_ylim(0, row)
            ax.set_xlabel("time (s)")
            ax.set_ylabel("trial (grouped by unit)")
            return ax

        def draw_rates(ax):
            for j, k in enumerate(shown):
                res, color = found[k], f"C{j % 10}"
                ax.step(res.edges, np.r_[res.rates, res.rates[-1:]], where="post", color=color, linewidth=1.4,
                        label=f"unit {ctx.units[k]}")
                lo, hi = res.rate_intervals[:, 0], res.rate_intervals[:, 1]
                ax.fill_between(res.edges, np.r_[lo, lo[-1:]], np.r_[hi, hi[-1:]], step="post", color=color,
                                alpha=0.2, linewidth=0)
                for (a, b), t in zip(res.intervals, res.change_times):
                    ax.axvspan(a, b, color=color, alpha=0.12, linewidth=0)
                    ax.axvline(t, color=color, linestyle="--", linewidth=0.9)
            ax.set_xlabel("time (s)")
            ax.set_ylabel("rate per trial (Hz)")
            ax.legend(loc="upper left", frameon=False, fontsize="small")
            return ax

        return [FigureSpec("changepoints_raster.png", "Raster of the units with rate changes; dashed lines: "
                                                      "detected change times.", draw_raster, size=(7.0, 5.0)),
                FigureSpec("changepoints_rates.png", "Per-trial rate of each segment (steps) with its 95 % "
                                                     "interval (band); dashed lines and shading: change times "
                                                     "with their 95 % intervals.", draw_rates)]
