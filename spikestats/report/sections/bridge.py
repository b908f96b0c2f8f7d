"""What neuromorphic chips would do with these spikes: one network on the float, Loihi and SpiNNaker references."""

from __future__ import annotations

import warnings

import numpy as np

from spikestats.exceptions import DataWarning
from spikestats.report._html import fmt, table
from spikestats.report._section import Context, FigureSpec, Section, SectionResult

#: Network size, seed and parameters (SI units): a small recurrent CubaLIF network, fixed so reports compare.
N_NEURONS = 8
SEED = 0
TAU_MEM, TAU_SYN, R_MEM = 20e-3, 5e-3, 1e8
V_REST, V_THRESHOLD = -70e-3, -50e-3
#: Input weights are scaled so that the mean input drives the membrane about this far towards threshold.
DRIVE_FRACTION = 0.8
#: Longest stretch of the first trial fed to the network, and the time step.
MAX_DURATION, DT = 10.0, 1e-3
BACKENDS = ("float", "loihi", "float_exact", "spinnaker")


class Bridge(Section):
    """The data's first trial, one channel per unit, drives a small CubaLIF network run on three backends."""

    name = "bridge"
    title = "Neuromorphic references"
    intro = ("The first trial of every unit (one input channel per unit, at most 10 s) drives a fixed, seeded "
             "network of 8 recurrent current-based LIF neurons (self-inhibition, sparse coupling; 1 ms steps). "
             "The same network runs as a float64 model, on the integer-exact Loihi reference (Lava's fixed-point "
             "CUBA neuron) and on the s16.15 SpiNNaker reference (IF_curr_exp): the table and figure show how "
             "far the chips' arithmetic moves the spikes. Loihi steps like the float model (Euler); SpiNNaker "
             "integrates with exact exponential decays, so the float model with those decays (float_exact) shows "
             "how much of its difference is the discretisation rather than the integers. The references compute "
             "what the chips compute; they were checked against Lava and sPyNNaker, not on a board.")

    def applies(self, ctx: Context) -> bool:
        return ctx.st.n_spikes > 0

    def compute(self, ctx: Context) -> SectionResult:
        from spikestats.bridge import compare, network_from_arrays

        first = ctx.st.trial == ctx.st.trial[0]
        trains = ctx.st[np.flatnonzero(first)]
        t0 = float(np.min(trains.t_start))
        t1 = min(float(np.max(trains.t_stop)), t0 + MAX_DURATION)
        trains = trains.restrict(t0, t1)
        rates = trains.counts / (t1 - t0)
        rng = np.random.default_rng(SEED)
        n_in = trains.n_trains
        mask = rng.random((N_NEURONS, n_in)) < 0.5
        w_in = rng.uniform(0.5, 1.5, (N_NEURONS, n_in)) * mask
        # scale: mean synaptic current W * tau_syn * rate summed over inputs, times r, reaches DRIVE_FRACTION of
        # the threshold distance on average
        drive = R_MEM * TAU_SYN * (w_in @ rates)
        scale = DRIVE_FRACTION * (V_THRESHOLD - V_REST) / max(float(np.mean(drive)), 1e-30)
        w = rng.normal(0.0, 0.1, (N_NEURONS, N_NEURONS)) * (rng.random((N_NEURONS, N_NEURONS)) < 0.3)
        np.fill_diagonal(w, -0.5)
        net = network_from_arrays("cuba_lif", N_NEURONS, tau_mem=TAU_MEM, tau_syn=TAU_SYN, r=R_MEM, v_leak=V_REST,
                                  v_reset=V_REST, v_threshold=V_THRESHOLD, weights=w * scale * np.mean(w_in),
                                  input_weights=w_in * scale)
        shifted = type(trains).from_list([np.asarray(x) - t0 for x in trains], t_start=0.0, t_stop=t1 - t0)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DataWarning)  # saturation counts are reported in the table instead
            cmp = compare(net, shifted, dt=DT, backends=BACKENDS)
        notes = [f"{n_in} input channels over {t1 - t0:g} s; float model: {cmp.spikes['float'].n_spikes} spikes."]
        notes += [f"{name} skipped: {why}" for name, why in cmp.skipped.items()]
        return SectionResult(notes=notes, data={"comparison": cmp})

    def figures(self, ctx: Context, result: SectionResult) -> list[FigureSpec]:
        from spikestats.plotting.bridge import bridge_comparison_plot

        cmp = result.data["comparison"]
        stop = min(2.0, float(np.max(cmp.spikes["float"].t_stop)))
        return [FigureSpec("bridge.png", f"The network's first 4 neurons over the first {stop:g} s: each row one "
                                         "backend (float model first); a tick out of line with the one above is a "
                                         "spike the fixed-point arithmetic moved.",
                           lambda ax: bridge_comparison_plot(cmp, ax=ax, neurons=range(4), t_start=0.0,
                                                             t_stop=stop), size=(8.0, 4.5))]

    def html(self, ctx: Context, result: SectionResult) -> str:
        cmp = result.data["comparison"]
        rows = []
        for name in cmp.spikes:
            if name == "float":
                rows.append((name, str(cmp.spikes[name].n_spikes), "reference", "reference", "reference"))
                continue
            rows.append((name, str(cmp.spikes[name].n_spikes), fmt(float(np.max(cmp.rate_rel_error[name])), "{:.2%}"),
                         fmt(float(cmp.within_one_step[name]), "{:.1%}"),
                         fmt(float(np.median(cmp.van_rossum[name])), "{:.2f}")))
        return table(["backend", "spikes", "largest per-neuron rate error", "spikes within one step",
                      "median van Rossum distance (10 ms)"], rows, text_columns=(0,))
