"""Change-point accuracy on a seeded synthetic suite: F1, localisation, interval coverage, false alarms.

Scores (printed with ``-s`` and recorded as junit properties): a true change
is found when a detected one lies within ``WINDOW`` bins of it (each detected
change matches at most one true change, nearest first); F1 is the harmonic
mean of precision (matched / detected) and recall (matched / true), and the
localisation error the mean ``|detected - true|`` (bins) over matches.
"""

from __future__ import annotations

import numpy as np
import pytest

from _tolerances import binomial_tol, coverage_tol
from spikestats.changepoint import detect, false_alarm_probability

WINDOW = 10


def _series(rates: list[np.ndarray], bounds: list[int], n: int, rng: np.random.Generator) -> np.ndarray:
    """Poisson counts whose per-bin means are ``rates[j]`` (scalar or per unit) on ``[bounds[j-1], bounds[j])``."""
    edges = [0, *bounds, n]
    lam = np.concatenate([np.repeat(np.atleast_1d(r)[:, None], b - a, axis=1)
                          for r, a, b in zip(rates, edges[:-1], edges[1:])], axis=1)
    x = rng.poisson(lam)
    return x[0] if x.shape[0] == 1 else x


#: name -> (segment rates per bin, true change points, n_bins)
SUITE = {
    "single, ratio 2": ([1.0, 2.0], [200], 400),
    "single, ratio 5": ([0.5, 2.5], [200], 400),
    "multiple": ([1.0, 3.0, 1.5, 4.0], [150, 300, 450], 600),
    "population": ([np.array([1.0, 1.0, 3.0, 2.0]), np.array([3.0, 3.0, 1.0, 2.0])], [200], 400),
}
#: F1 each method keeps on the suite. PELT over 20 seeds x 20 series: ratio 2 median 0.83, lowest 0.70 (the
#: BIC finds the change in ~93 % of series and the location is often off by more than WINDOW bins); ratio 5
#: median 0.98, lowest 0.93; three changes median 0.97, lowest 0.92; population 1.0.
MIN_F1 = {"single, ratio 2": 0.6, "single, ratio 5": 0.9, "multiple": 0.85, "population": 0.9}


def _match(found: np.ndarray, truth: list[int]) -> list[tuple[int, int]]:
    pairs = sorted((abs(f - t), i, j) for i, f in enumerate(found) for j, t in enumerate(truth) if abs(f - t) <= WINDOW)
    used_f: set[int] = set()
    used_t: set[int] = set()
    out = []
    for _, i, j in pairs:
        if i not in used_f and j not in used_t:
            used_f.add(i)
            used_t.add(j)
            out.append((int(found[i]), truth[j]))
    return out


def _scores(name: str, method: str, seed: int, reps: int) -> tuple[float, float, float]:
    rates, truth, n = SUITE[name]
    rng = np.random.default_rng(seed)
    n_found = n_true = n_match = 0
    errors: list[int] = []
    units_right = []
    for _ in range(reps):
        res = detect(_series(rates, truth, n, rng), method=method, rng=rng, n_intervals=500)
        pairs = _match(res.change_points, truth)
        n_found += res.n_changes
        n_true += len(truth)
        n_match += len(pairs)
        errors += [abs(f - t) for f, t in pairs]
        if res.units_changed is not None and res.n_changes == 1:
            units_right.append(res.units_changed[0].tolist() == [True, True, True, False])
    precision, recall = n_match / max(n_found, 1), n_match / n_true
    f1 = 2 * precision * recall / max(precision + recall, 1e-300)
    units = float(np.mean(units_right)) if units_right else float("nan")
    return f1, float(np.mean(errors)) if errors else float("nan"), units


@pytest.mark.parametrize("method", ["pelt", "binseg", "wbs"])
@pytest.mark.parametrize("name", list(SUITE))
def test_f1_and_localisation_on_the_synthetic_suite(name, method, record_property):
    f1, err, units = _scores(name, method, seed=7, reps=15)
    print(f"\n{name:18s} {method:7s} F1 {f1:.3f}  mean localisation error {err:.2f} bins"
          + (f"  units right {units:.2f}" if name == "population" else ""))
    record_property(f"{name}/{method}/F1", f1)
    record_property(f"{name}/{method}/localisation_error_bins", err)
    assert f1 >= MIN_F1[name]
    assert err <= WINDOW / 2
    if name == "population":
        assert units >= 0.8  # the flat unit is declared changed at most at the Bonferroni level, changed ones found


def _coverage(seed: int, reps: int, r1: float, r2: float) -> tuple[float, int]:
    rng = np.random.default_rng(seed)
    covered = n = 0
    for _ in range(reps):
        res = detect(rng.poisson(np.r_[np.full(200, r1), np.full(200, r2)]))
        if res.n_changes == 1:
            lo, hi = res.intervals[0]
            covered += lo <= 200 <= hi
            n += 1
    return covered / n, n


@pytest.mark.parametrize("r1,r2", [(1.0, 2.0), (0.5, 2.5)])
def test_change_time_intervals_cover_at_close_to_nominal(r1, r2):
    cover, n = _coverage(11, 100, r1, r2)
    assert abs(cover - 0.95) <= coverage_tol(0.95, n)


def _false_alarms(seed: int, reps: int, method: str, mean: float, n_units: int) -> float:
    rng = np.random.default_rng(seed)
    size = (n_units, 1000) if n_units > 1 else 1000
    return float(np.mean([detect(rng.poisson(mean, size=size), method=method, rng=rng, n_intervals=300).n_changes > 0
                          for _ in range(reps)]))


@pytest.mark.parametrize("method,mean,n_units", [("pelt", 1.0, 1), ("pelt", 0.2, 1), ("pelt", 4.0, 3),
                                                 ("binseg", 1.0, 1), ("wbs", 1.0, 1)])
def test_no_false_changes_beyond_the_claimed_level(method, mean, n_units):
    reps = 60 if method == "wbs" else 100 if n_units > 1 else 200
    claimed = false_alarm_probability(1000, n_units, 2)
    rate = _false_alarms(3, reps, method, mean, n_units)
    assert rate <= claimed + binomial_tol(claimed, reps)


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(20))
def test_seed_sweep(seed):
    for r1, r2 in [(1.0, 2.0), (0.5, 2.5)]:
        cover, n = _coverage(1000 + seed, 150, r1, r2)
        assert abs(cover - 0.95) <= coverage_tol(0.95, n)
    claimed = false_alarm_probability(1000, 1, 2)
    assert _false_alarms(2000 + seed, 300, "pelt", 1.0, 1) <= claimed + binomial_tol(claimed, 300)
    for name in SUITE:
        f1, err, _ = _scores(name, "pelt", 3000 + seed, 20)
        assert f1 >= MIN_F1[name] and err <= WINDOW / 2
