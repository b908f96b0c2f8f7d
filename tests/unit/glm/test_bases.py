"""Bases: analytic properties, sampling at design lags, bad input, plots."""

from __future__ import annotations

import math

import numpy as np
import pytest

from spikestats.exceptions import ValidationError, ValidationTypeError
from spikestats.glm.bases import BSplineBasis, ExponentialBasis, FIRBasis, RaisedCosineBasis


@pytest.mark.parametrize("log", [True, False])
def test_raised_cosines_sum_to_two_between_inner_centres(log):
    b = RaisedCosineBasis(n_basis=8, t_max=0.1, log=log)
    c = b.centers
    t = np.linspace(c[1], c[-2], 2001)
    np.testing.assert_allclose(b.evaluate(t).sum(axis=1), 2.0, atol=1e-12)


def test_raised_cosine_peaks_at_its_centres_and_vanishes_at_t_max():
    b = RaisedCosineBasis(n_basis=6, t_max=0.2, offset=0.005, first_peak=0.001)
    v = b.evaluate(b.centers)
    np.testing.assert_allclose(np.diag(v), 1.0, atol=1e-12)
    assert b.centers[0] == pytest.approx(0.001)
    # centres equally spaced on log(t + offset); the last bump ends at t_max
    u = np.log(b.centers + 0.005)
    np.testing.assert_allclose(np.diff(u), b.spacing, rtol=1e-12)
    assert u[-1] + 2 * b.spacing == pytest.approx(math.log(0.2 + 0.005))
    assert np.all(b.evaluate([0.2, 0.25]) == 0.0)


def test_raised_cosine_matches_the_formula():
    b = RaisedCosineBasis(n_basis=5, t_max=0.05, offset=0.002)
    t = np.linspace(0, 0.05, 301)
    phi = math.log(0.002) + b.spacing * np.arange(5)
    arg = np.clip((np.log(t[:, None] + 0.002) - phi) * math.pi / (2 * b.spacing), -math.pi, math.pi)
    np.testing.assert_allclose(b.evaluate(t), (1 + np.cos(arg)) / 2, rtol=0, atol=1e-14)


def test_raised_cosine_refractory_indicator():
    b = RaisedCosineBasis(n_basis=5, t_max=0.05, refractory=0.002)
    v = b.evaluate([0.0, 0.0019, 0.002, 0.01])
    assert b.n_bumps == 4 and v.shape == (4, 5)
    np.testing.assert_array_equal(v[:2], [[1, 0, 0, 0, 0]] * 2)
    assert v[2, 0] == 0 and v[3, 0] == 0 and v[3, 1:].sum() > 0


def test_bspline_partition_of_unity_and_degree():
    b = BSplineBasis(n_basis=7, t_max=0.08, degree=3)
    t = np.linspace(0, 0.08, 1001)
    v = b.evaluate(t)
    np.testing.assert_allclose(v.sum(axis=1), 1.0, atol=1e-12)
    assert np.all(v >= -1e-15)
    assert v[0, 0] == pytest.approx(1.0) and v[-1, -1] == pytest.approx(1.0)
    # piecewise cubic: the fourth difference vanishes within a knot interval
    inner = np.linspace(0.001, 0.015, 50)
    assert np.max(np.abs(np.diff(b.evaluate(inner), 4, axis=0))) < 1e-10


def test_exponentials_are_exact():
    taus = (0.003, 0.02)
    b = ExponentialBasis(taus)
    t = np.array([0.0, 0.001, 0.05, 0.1])
    np.testing.assert_array_equal(b.evaluate(t), np.exp(-t[:, None] / np.array(taus)))
    assert b.t_max == pytest.approx(0.1) and b.n_basis == 2
    assert np.all(b.evaluate([0.1001, -0.001]) == 0)


def test_fir_is_identity_at_its_own_bin_size():
    b = FIRBasis(n_basis=12, t_max=0.012)
    np.testing.assert_array_equal(b.sample(0.001), np.eye(12))
    assert b.lags(0.001)[0] == pytest.approx(0.001) and b.lags(0.001, causal=False)[0] == 0.0


def test_sample_shapes_and_lags():
    b = RaisedCosineBasis(n_basis=4, t_max=0.0305)
    assert b.sample(0.001).shape == (30, 4)
    assert b.sample(0.001).flags.c_contiguous
    np.testing.assert_allclose(b.lags(0.01), [0.01, 0.02, 0.03])


def test_bin_size_longer_than_the_basis_is_an_error():
    with pytest.raises(ValidationError, match=r"`bin_size` must be <= the filter length t_max = 0.01 s"):
        FIRBasis(n_basis=5, t_max=0.01).sample(0.02)


@pytest.mark.parametrize("make, match", [
    (lambda: RaisedCosineBasis(n_basis=0), "`n_basis` must be >= 1"),
    (lambda: RaisedCosineBasis(t_max=-1.0), "`t_max` must be > 0"),
    (lambda: RaisedCosineBasis(t_max=0.1, first_peak=0.2), "`first_peak` must be < t_max"),
    (lambda: RaisedCosineBasis(offset=0.0), "`offset` must be > 0"),
    (lambda: RaisedCosineBasis(n_basis=1, refractory=0.001), "`n_basis` must be >= 2"),
    (lambda: BSplineBasis(n_basis=3, degree=3), "`n_basis` must be >= 4"),
    (lambda: ExponentialBasis([]), "`taus` must be a non-empty"),
    (lambda: ExponentialBasis([0.01, -0.1]), "`taus` must be a non-empty"),
    (lambda: ExponentialBasis([0.01, 0.01]), "`taus` must be distinct"),
    (lambda: FIRBasis(n_basis=2.5), "`n_basis` must be a whole number"),
])
def test_bad_parameters(make, match):
    with pytest.raises(ValidationError, match=match):
        make()


def test_bad_evaluation_grid():
    with pytest.raises(ValidationError, match="`t` must be a 1-d array"):
        RaisedCosineBasis().evaluate(np.zeros((2, 2)))
    with pytest.raises(ValidationTypeError):
        RaisedCosineBasis().evaluate("abc")
    with pytest.raises(ValidationTypeError, match="`log` must be True or False"):
        RaisedCosineBasis(log="yes")


@pytest.mark.parametrize("basis", [RaisedCosineBasis(), BSplineBasis(), ExponentialBasis(), FIRBasis()])
def test_plot_returns_axes_with_one_line_per_function(basis):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    out = basis.plot(ax=ax)
    assert out is ax and len(ax.lines) == basis.n_basis
    plt.close(fig)
