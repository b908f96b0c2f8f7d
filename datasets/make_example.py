"""Recipe of the embedded example dataset ``example.nc`` (this folder).

Run it from anywhere to rebuild the file, or to check the shipped file::

    python datasets/make_example.py            # (re)writes datasets/example.nc
    python datasets/make_example.py --check    # rebuilds in memory, compares with the file

The dataset is made only by spikestats' own generators with one fixed seed,
so the same spikestats version rebuilds the same SpikeTrains exactly. Each
unit draws from its own child of ``SeedSequence(SEED)`` (child ``i`` for row
``i`` of :data:`UNITS`), so appending units leaves the existing ones unchanged.

Its ground truth travels in ``metadata["ground_truth"]``::

    {"recipe": "datasets/make_example.py", "recipe_version": 4, "seed": ..., "spikestats_version": ...,
     "n_trials": 20, "t_start": 0.0, "t_stop": 10.0,
     "units": {"poisson_1": {"model": "PoissonProcess", "rate": 2.0, "dead_time": 0.0,
                             "expected": {"rate": 2.0, "cv": 1.0}}, ...,
               "remap_off_1": {"model": "InhomogeneousPoisson", ..., "expected": {"rate": ...},
                               "changes": {"times": [4.0], "rates": [8.0, 0.5]}}, ...},
     "remapping": {"change_times": [4.0, 7.0], "units_off": [...], "units_on": [...]}}

Each unit's entry is the generator's own ``ground_truth`` record (model name
and parameters, SI units) plus ``expected``: the stationary statistics the
model implies exactly (rate in Hz, ISI coefficient of variation), where it
states them.
"""

from __future__ import annotations

import argparse
import numbers
import sys
from pathlib import Path
from typing import Any

import numpy as np

import spikestats as ss
from spikestats import units as u
from spikestats.generators import AdEx, GLMNeuron, InhomogeneousPoisson, PoissonProcess

#: Seed of the whole dataset.
SEED = 20261121
#: Bump when the recipe changes what it builds (then rebuild the file).
RECIPE_VERSION = 4
#: Trials per unit and the window of every trial (seconds).
N_TRIALS = 20
T_START = 0.0
T_STOP = 10.0
#: File written beside this recipe.
FILENAME = "example.nc"
RECIPE = "datasets/make_example.py"

#: Integration step of the neuron-model cells (seconds).
DT = 0.1 * u.ms


class NeuronCell:
    """A neuron model driven by a constant current; one neuron per trial (independent noise streams)."""

    def __init__(self, model: Any, current: float) -> None:
        self.model, self.current = model, current

    def simulate(self, n_trains: int, t_start: float, t_stop: float, rng: np.random.Generator) -> ss.SpikeTrains:
        if t_start != 0.0:
            raise ValueError("neuron cells start at 0 s")
        return self.model.simulate(self.current, t_stop, DT, n_neurons=n_trains, rng=rng)


class TrialCell:
    """A model whose ``simulate`` counts trials (``n_trials``) rather than trains (GLM neurons)."""

    def __init__(self, model: Any) -> None:
        self.model = model

    def simulate(self, n_trains: int, t_start: float, t_stop: float, rng: np.random.Generator) -> ss.SpikeTrains:
        return self.model.simulate(n_trials=n_trains, t_start=t_start, t_stop=t_stop, rng=rng)


class ChangingRate:
    """A Poisson cell whose rate is a step function: ``rates[i]`` (Hz) from ``change_times[i - 1]`` (s) on.

    Its ground truth adds ``"changes": {"times": [...], "rates": [...]}``: the
    change times (s) and the rate of every segment (Hz), what change-point
    detectors should find.
    """

    def __init__(self, change_times: list[float], rates: list[float]) -> None:
        self.change_times, self.rates = [float(t) for t in change_times], [float(r) for r in rates]
        self.model = InhomogeneousPoisson(rate=(np.array([T_START, *self.change_times]), np.array(self.rates)))

    def simulate(self, n_trains: int, t_start: float, t_stop: float, rng: np.random.Generator) -> ss.SpikeTrains:
        return self.model.simulate(n_trains, t_start=t_start, t_stop=t_stop, rng=rng)

    def change_truth(self) -> dict[str, list[float]]:
        return {"times": self.change_times, "rates": self.rates}


#: The remapping population (units appended after the others): when visual cues conflict with
#: self-motion, six "boundary-vector" units fall silent at REMAP_TIME and six others start firing;
#: three of those halve their rate again at SECOND_CHANGE.
REMAP_TIME = 4.0
SECOND_CHANGE = 7.0
REMAP_UNITS: tuple[tuple[str, Any], ...] = tuple(
    [(f"remap_off_{i + 1}", ChangingRate([REMAP_TIME], [8.0 + i, 0.5])) for i in range(6)]
    + [(f"remap_on_{i + 1}", ChangingRate([REMAP_TIME, SECOND_CHANGE], [0.5, 8.0 + i, (8.0 + i) / 2]))
       for i in range(3)]
    + [(f"remap_on_{i + 1}", ChangingRate([REMAP_TIME], [0.5, 8.0 + i])) for i in range(3, 6)])


def _refractory_history(bin_size: float = 1e-3, n_lags: int = 30) -> np.ndarray:
    """Spike-history filter (log scale) of the GLM cell: absolute 2 ms, then recovery with tau = 4 ms."""
    lag = (np.arange(n_lags) + 1) * bin_size
    return np.where(lag <= 2e-3, -10.0, -3.0 * np.exp(-(lag - 2e-3) / 4e-3))


#: One row per unit: (label, model). Poisson cells: rates 2-40 Hz, dead times 0-5 ms. Model cells:
#: an adapting AdEx cell (Naud et al. 2008) with membrane noise, a refractory GLM cell, a sinusoidally
#: modulated inhomogeneous Poisson cell, a cell whose rate steps from 5 to 25 Hz at 6 s, and the
#: remapping population (REMAP_UNITS).
UNITS: tuple[tuple[str, Any], ...] = (
    ("poisson_1", PoissonProcess(rate=2.0, dead_time=0.0)),
    ("poisson_2", PoissonProcess(rate=5.0, dead_time=3e-3)),
    ("poisson_3", PoissonProcess(rate=8.0, dead_time=0.0)),
    ("poisson_4", PoissonProcess(rate=12.0, dead_time=5e-3)),
    ("poisson_5", PoissonProcess(rate=17.0, dead_time=1e-3)),
    ("poisson_6", PoissonProcess(rate=23.0, dead_time=4e-3)),
    ("poisson_7", PoissonProcess(rate=30.0, dead_time=2e-3)),
    ("poisson_8", PoissonProcess(rate=40.0, dead_time=5e-3)),
    ("adex_adapting", NeuronCell(AdEx.preset("adapting", sigma=2 * u.mV), AdEx.preset_current("adapting"))),
    ("glm_refractory", TrialCell(GLMNeuron(intercept=float(np.log(30.0)), history=_refractory_history(),
                                           family="bernoulli"))),
    ("sine_rate", InhomogeneousPoisson(rate=(np.arange(0.0, 10.0, 0.01),
                                             15.0 + 10.0 * np.sin(2 * np.pi * 0.5 * np.arange(0.0, 10.0, 0.01)))),
     ),
    ("rate_step", ChangingRate([6.0], [5.0, 25.0])),
    *REMAP_UNITS,
)

DESCRIPTION = (f"{len(UNITS)} synthetic units x {N_TRIALS} trials of {T_STOP - T_START:g} s, simulated by "
               f"spikestats' generators with a fixed seed; ground truth in metadata['ground_truth'].")


def expected_statistics(model: Any) -> dict[str, float]:
    """Statistics a model states exactly: mean ``rate`` (Hz) over the window and ISI ``cv``, where it has them."""
    if isinstance(model, InhomogeneousPoisson):  # the mean of its piecewise-constant rate over the window
        edges, values = model.piecewise_rate(T_START, T_STOP)
        values = np.asarray(values).reshape(-1, np.diff(edges).size)[0]
        return {"rate": float(np.sum(np.diff(edges) * values) / (T_STOP - T_START))}
    out = {}
    for name in ("rate", "cv"):
        value = getattr(model, name, None)
        if isinstance(value, numbers.Real):
            out[name] = float(value)
    return out


def build(seed: int = SEED) -> ss.SpikeTrains:
    """Simulate the example dataset.

    Parameters
    ----------
    seed : int
        Root seed; unit ``i`` uses child ``i`` of ``np.random.SeedSequence(seed)``.

    Returns
    -------
    SpikeTrains
        ``len(UNITS) * N_TRIALS`` trains on ``[T_START, T_STOP]`` seconds,
        unit-major (all trials of the first unit, then the next unit), with str
        unit labels, int trial labels ``0 .. N_TRIALS - 1`` and the ground
        truth in ``metadata["ground_truth"]``.
    """
    children = np.random.SeedSequence(seed).spawn(len(UNITS))
    trains: list[np.ndarray] = []
    units: list[str] = []
    truth: dict[str, dict] = {}
    for (label, model), child in zip(UNITS, children):
        part = model.simulate(N_TRIALS, t_start=T_START, t_stop=T_STOP, rng=np.random.default_rng(child))
        trains.extend(part.to_list())
        units.extend([label] * N_TRIALS)
        truth[label] = {**part.metadata["ground_truth"], "expected": expected_statistics(getattr(model, "model", model))}
        if isinstance(model, ChangingRate):
            truth[label]["changes"] = model.change_truth()
    remapping = {"change_times": [REMAP_TIME, SECOND_CHANGE],
                 "units_off": [label for label, _ in REMAP_UNITS if label.startswith("remap_off")],
                 "units_on": [label for label, _ in REMAP_UNITS if label.startswith("remap_on")]}
    ground_truth = {"recipe": RECIPE, "recipe_version": RECIPE_VERSION, "seed": seed,
                    "spikestats_version": ss.__version__, "n_trials": N_TRIALS, "t_start": T_START,
                    "t_stop": T_STOP, "units": truth, "remapping": remapping}
    return ss.SpikeTrains.from_list(trains, t_start=T_START, t_stop=T_STOP, unit=units,
                                    trial=np.tile(np.arange(N_TRIALS), len(UNITS)),
                                    metadata={"title": "spikestats example dataset", "description": DESCRIPTION,
                                              "ground_truth": ground_truth})


def same_data(a: ss.SpikeTrains, b: ss.SpikeTrains) -> bool:
    """Equality of two builds, ignoring only the spikestats version that made them."""
    def strip(st: ss.SpikeTrains) -> ss.SpikeTrains:
        truth = st.metadata.get("ground_truth", {})
        truth.pop("spikestats_version", None)
        return st.with_metadata(ground_truth=truth)

    return strip(a) == strip(b)


def main(argv: list[str] | None = None) -> int:
    """Write (or with ``--check`` verify) the example file; return an exit code."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name(FILENAME),
                        help=f"file to write (default: {FILENAME} beside this recipe)")
    parser.add_argument("--check", action="store_true", help="compare a fresh build with the file instead")
    args = parser.parse_args(argv)
    st = build()
    if args.check:
        ok = same_data(st, ss.io.read(args.out))
        print(f"{args.out}: {'matches the recipe' if ok else 'DIFFERS from the recipe; rebuild it'}")
        return 0 if ok else 1
    ss.io.write(st, args.out, overwrite=True)
    print(f"wrote {args.out} ({args.out.stat().st_size / 1024:.0f} kB): {st}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
