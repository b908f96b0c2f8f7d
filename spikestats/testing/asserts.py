"""Assertion helpers with readable failure messages."""

from __future__ import annotations

import numpy as np

from spikestats.core.spiketrains import SpikeTrains


def assert_spiketrains_equal(actual: SpikeTrains, expected: SpikeTrains) -> None:
    """Assert exact equality of two SpikeTrains, naming the first part that differs."""
    if not isinstance(actual, SpikeTrains) or not isinstance(expected, SpikeTrains):
        raise AssertionError(f"expected two SpikeTrains; got {type(actual).__name__} and {type(expected).__name__}")
    for name in ("offsets", "times", "t_start", "t_stop", "unit", "trial"):
        a, b = getattr(actual, name), getattr(expected, name)
        if a.shape != b.shape or a.dtype.kind != b.dtype.kind or not np.array_equal(a, b):
            raise AssertionError(f"SpikeTrains differ in `{name}`: {a!r} != {b!r}")
    if actual.metadata != expected.metadata:
        raise AssertionError(f"SpikeTrains differ in `metadata`: {actual.metadata!r} != {expected.metadata!r}")
