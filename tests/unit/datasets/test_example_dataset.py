"""The embedded example dataset: it loads, is small, carries its ground truth and matches its recipe."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest

import spikestats as ss
from spikestats.datasets import example_path, load_example, true_value, unit_ground_truth
from spikestats.testing import assert_spiketrains_equal
from _tolerances import Z, rate_tol

REPO = Path(__file__).resolve().parents[3]
RECIPE = REPO / "datasets" / "make_example.py"
#: The size the example aims to stay under (the hard limit is 5 MB).
MAX_BYTES = 500_000


@pytest.fixture(scope="module")
def example() -> ss.SpikeTrains:
    return load_example()


@pytest.fixture(scope="module")
def recipe():
    spec = importlib.util.spec_from_file_location("make_example", RECIPE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_loads_as_labelled_units_by_trials(example, recipe):
    assert isinstance(example, ss.SpikeTrains)
    assert example.n_trains == 20 * len(recipe.UNITS) == 480
    units, per_unit = np.unique(example.unit, return_counts=True)
    assert units.tolist() == sorted(label for label, _ in recipe.UNITS)
    assert {f"poisson_{i}" for i in range(1, 9)} | {"adex_adapting", "glm_refractory", "sine_rate",
                                                     "rate_step"} | {f"remap_{kind}_{i}" for kind in ("on", "off")
                                                                     for i in range(1, 7)} == set(units)
    assert np.all(per_unit == 20)
    for unit in units:
        assert sorted(example.select(unit=unit).trial.tolist()) == list(range(20))
    assert np.all(example.t_start == 0.0) and np.all(example.t_stop == 10.0)


def test_is_small():
    assert example_path().stat().st_size < MAX_BYTES


def test_carries_ground_truth(example):
    truth = example.metadata["ground_truth"]
    assert truth["recipe"] == "datasets/make_example.py"
    assert isinstance(truth["seed"], int) and truth["spikestats_version"]
    per_unit = unit_ground_truth(example)
    assert set(per_unit) == {str(u) for u in np.unique(example.unit)}
    poisson = [r for label, r in per_unit.items() if label.startswith("poisson_")]
    rates = [true_value(r, "rate") for r in poisson]
    dead_times = [true_value(r, "dead_time") for r in poisson]
    assert all(r["model"] == "PoissonProcess" for r in poisson)
    assert [per_unit[k]["model"] for k in ("adex_adapting", "glm_refractory", "sine_rate", "rate_step")] == [
        "AdEx", "GLM", "InhomogeneousPoisson", "InhomogeneousPoisson"]
    assert true_value(per_unit["rate_step"], "rate") == (6 * 5.0 + 4 * 25.0) / 10
    assert min(rates) == 2.0 and max(rates) == 40.0 and len(set(rates)) == 8
    assert min(dead_times) == 0.0 and max(dead_times) == 0.005


def test_estimated_rates_agree_with_the_truth(example):
    truth = unit_ground_truth(example)
    checked = 0
    for unit, record in truth.items():
        trains = example.select(unit=unit)
        total_time = float(trains.duration.sum())
        estimate = trains.n_spikes / total_time
        rate = true_value(record, "rate")
        if rate is None:  # model cells without an analytic rate (AdEx, GLM)
            continue
        checked += 1
        # Z = 5 standard errors of a Poisson count: SE = sqrt(rate / total_time)
        # (a dead time makes counts less variable, so this is conservative).
        assert abs(estimate - rate) < rate_tol(rate, total_time), (unit, estimate, rate, Z)
    assert checked == 22


def test_remapping_population_changes_at_its_true_times(example):
    """Six units fall silent and six start at 4 s (three halve again at 7 s); segment rates as recorded."""
    truth = example.metadata["ground_truth"]
    assert truth["remapping"]["change_times"] == [4.0, 7.0]
    per_unit = unit_ground_truth(example)
    off, on = truth["remapping"]["units_off"], truth["remapping"]["units_on"]
    assert len(off) == len(on) == 6
    for unit in off + on + ["rate_step"]:
        changes = per_unit[unit]["changes"]
        edges = [0.0, *changes["times"], 10.0]
        assert len(changes["rates"]) == len(edges) - 1
        trains = example.select(unit=unit)
        for a, b, rate in zip(edges[:-1], edges[1:], changes["rates"]):
            total = (b - a) * trains.n_trains
            estimate = trains.restrict(a, b).n_spikes / total
            assert abs(estimate - rate) < rate_tol(rate, total), (unit, a, b, estimate, rate)
        if unit in off:
            assert changes["times"] == [4.0] and changes["rates"][1] < changes["rates"][0]
        elif unit in on:
            assert changes["times"][0] == 4.0 and changes["rates"][1] > changes["rates"][0]


def test_model_cells_behave_as_their_models(example):
    glm = example.select(unit="glm_refractory")
    assert ss.stats.isi(glm).values.min() >= 3e-3 - 1e-9  # history -10 for 2 ms: no ISI below 3 bins
    adex = example.select(unit="adex_adapting")
    assert np.nanmean(ss.stats.cv(adex)) < 0.6  # an adapting cell under constant drive is regular
    step = example.select(unit="rate_step")
    before = step.restrict(0.0, 6.0).n_spikes / (6.0 * 20)
    after = step.restrict(6.0, 10.0).n_spikes / (4.0 * 20)
    assert abs(before - 5.0) < rate_tol(5.0, 120.0) and abs(after - 25.0) < rate_tol(25.0, 80.0)


def test_recipe_reproduces_the_shipped_file(example, recipe):
    built = recipe.build()
    truth = built.metadata["ground_truth"]
    truth["spikestats_version"] = example.metadata["ground_truth"]["spikestats_version"]
    assert_spiketrains_equal(built.with_metadata(ground_truth=truth), example)
    assert recipe.same_data(built, example)


def test_recipe_is_deterministic(recipe):
    assert recipe.build() == recipe.build()
    assert recipe.build(seed=1) != recipe.build()


@pytest.mark.skipif(not RECIPE.is_file(), reason="needs the source tree")
def test_shipped_file_is_the_top_level_one():
    assert example_path().resolve() == (REPO / "datasets" / "example.nc").resolve()


def test_ground_truth_of_a_generator_applies_to_every_unit():
    st = ss.generators.PoissonProcess(rate=5.0, dead_time=1e-3).simulate(n_trains=3, t_stop=2.0, rng=0)
    truth = unit_ground_truth(st)
    assert truth == {"0": {"model": "PoissonProcess", "rate": 5.0, "dead_time": 1e-3}}
    assert true_value(truth["0"], "rate") == 5.0 and true_value(truth["0"], "cv") is None


def test_no_ground_truth():
    st = ss.SpikeTrains.from_list([[0.1, 0.5]], t_stop=1.0)
    assert unit_ground_truth(st) is None
    assert unit_ground_truth(st.with_metadata(ground_truth={"note": "unknown layout"})) is None
    assert true_value(None, "rate") is None


def test_expected_statistics_take_precedence():
    record = {"model": "M", "rate": 3.0, "flag": True, "expected": {"rate": 2.5}}
    assert true_value(record, "rate") == 2.5
    assert true_value(record, "flag") is None


@pytest.mark.slow
def test_wheel_ships_the_example(tmp_path):
    """Build a wheel from a copy of the source tree and load the example from the installed wheel."""
    src = tmp_path / "src"
    shutil.copytree(REPO, src, symlinks=True,
                    ignore=shutil.ignore_patterns(".git", "build", "dist", "*.egg-info", "__pycache__",
                                                  ".hypothesis", ".pytest_cache", "report_out"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(src), "-w", str(tmp_path / "whl"), "--no-deps",
                    "-q"], check=True, capture_output=True)
    wheel = next((tmp_path / "whl").glob("spikestats-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "spikestats/datasets/_data/example.nc" in names
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
                   check=True, capture_output=True)
    code = "import spikestats as ss; st = ss.datasets.load_example(); print(ss.__file__, st.n_trains)"
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True,
                         env={"PYTHONPATH": str(target), "PATH": ""}).stdout.split()
    assert out[0].startswith(str(target)) and out[1] == "480"
