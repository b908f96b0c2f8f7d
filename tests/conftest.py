"""Shared fixtures: seeded rng, hypothesis profiles, the shared data folder."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, settings

settings.register_profile("default", deadline=None, max_examples=60,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("ci", deadline=None, max_examples=100, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("thorough", deadline=None, max_examples=1000,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "default"))

#: ../shared/data beside the repository (real recordings with their licences).
SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


@pytest.fixture
def rng() -> np.random.Generator:
    """A freshly seeded Generator, the same in every test."""
    return np.random.default_rng(20261121)


@pytest.fixture
def shared_data() -> Path:
    """Path to ../shared/data; skipped only outside CI when the folder is absent (a user's fresh clone)."""
    if not SHARED_DATA.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"../shared/data must be beside the repository in CI; looked at {SHARED_DATA}")
        pytest.skip(f"../shared/data not found at {SHARED_DATA}")
    return SHARED_DATA
