"""spikestats: statistics of spike trains as point processes.

The namespace is lazy: ``import spikestats`` loads numpy and the data model
only; subpackages (and Numba, xarray, matplotlib) load on first use.
"""

from __future__ import annotations

import importlib
from typing import Any

from spikestats import exceptions, units
from spikestats.core import BinnedCounts, Epochs, SpikeTrains, concatenate

__version__ = "0.1.0.dev0"

_SUBMODULES = {"generators", "stats", "glm", "changepoint", "io", "datasets", "xarray", "bridge", "parallel", "plotting",
               "testing", "report", "typing", "core", "cli"}

__all__ = ["SpikeTrains", "BinnedCounts", "Epochs", "concatenate", "exceptions", "units", "__version__",
           *sorted(_SUBMODULES)]


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:
        module = importlib.import_module(f"spikestats.{name}")
        globals()[name] = module
        return module
    raise AttributeError(f"module 'spikestats' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | _SUBMODULES)
