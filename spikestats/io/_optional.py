"""Lazy imports of the optional format libraries, with an error naming the extra to install."""

from __future__ import annotations

import importlib
from types import ModuleType

#: optional module -> extra of pyproject.toml that installs it
EXTRAS = {"pynwb": "nwb", "hdmf": "nwb", "h5py": "nwb", "neo": "neo", "quantities": "neo",
          "pynapple": "pynapple", "zarr": "zarr", "nir": "nir", "dask": "dask", "distributed": "dask"}


def optional_import(module: str, purpose: str) -> ModuleType:
    """Import ``module`` or raise :class:`ModuleNotFoundError` naming the extra that provides it.

    Parameters
    ----------
    module : str
        Top-level module name (a key of :data:`EXTRAS`).
    purpose : str
        What needs it, for the message (``"reading NWB files"``).
    """
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        extra = EXTRAS.get(module.split(".")[0], "all")
        raise ModuleNotFoundError(
            f"`{module}` must be installed for {purpose}; got an ImportError ({exc}). "
            f'Install it with: pip install "spikestats[{extra}]"', name=module) from exc
