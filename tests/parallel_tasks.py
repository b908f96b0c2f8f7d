"""Picklable per-unit work for the tests of spikestats.parallel (worker processes import this module).

Test modules are imported under names worker processes cannot import, so
what is sent to a cluster lives here (``tests`` is on ``sys.path``, and
dask's spawned workers inherit it).
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from spikestats.exceptions import DataWarning
from spikestats.stats import firing_rate


class RateEstimator:
    """A scikit-learn style estimator of a unit's Poisson rate: the maximum-likelihood count / exposure.

    Fitted attributes: ``rate_`` (Hz), ``stderr_`` (its standard error
    ``sqrt(n) / T``), ``trial_rates_`` (one per trial), ``spike_times_``
    (ragged across units), ``label_`` (a string, not numeric).
    """

    def __init__(self, *, prior_count: float = 0.0) -> None:
        self.prior_count = prior_count

    def get_params(self, deep: bool = True) -> dict:
        return {"prior_count": self.prior_count}

    def set_params(self, **params) -> RateEstimator:
        for k, v in params.items():
            setattr(self, k, v)
        return self

    def fit(self, st, scale: float = 1.0) -> RateEstimator:
        exposure = float(np.sum(st.duration))
        n = st.n_spikes + self.prior_count
        self.rate_ = scale * n / exposure
        self.stderr_ = scale * np.sqrt(n) / exposure
        self.trial_rates_ = scale * firing_rate(st)
        self.spike_times_ = np.array(st.times[:3 + st.n_spikes % 4])
        self.label_ = f"{n:g} spikes"
        return self


def count_and_draw(st, rng):
    """The unit's spike count plus a uniform draw from the unit's own stream."""
    return st.n_spikes + rng.random()


def warn_on_even_units(st):
    """A DataWarning for units with even labels; returns the unit's spike count."""
    if st.unit[0] % 2 == 0:
        warnings.warn("an even unit", DataWarning, stacklevel=2)
    return st.n_spikes


def fail_on_unit(st, unit):
    """Raise for one unit (to test the error note)."""
    if st.unit[0] == unit:
        raise RuntimeError("boom")
    return 0.0


@pytest.fixture(scope="session")
def dask_client():
    """Two single-threaded worker processes on 127.0.0.1, shared by every test that imports this fixture."""
    distributed = pytest.importorskip("dask.distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=":0") as cluster, \
            distributed.Client(cluster, set_as_default=False) as client:
        yield client


def history_design(st):
    """``(X, y)`` of a unit's spike-history design (5 raised cosines over 50 ms, 5 ms bins) for PoissonGLM."""
    from spikestats.glm.bases import RaisedCosineBasis
    from spikestats.glm.design import design_matrix

    d = design_matrix(st, 5e-3, history=RaisedCosineBasis(n_basis=5, t_max=0.05))
    return d.X, d.y
