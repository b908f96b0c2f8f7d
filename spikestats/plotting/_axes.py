"""Shared helpers of the plotting functions: the target Axes and unit colours."""

from __future__ import annotations

from typing import Any

import numpy as np

from spikestats._validation import fail
from spikestats.exceptions import ValidationTypeError


def target_axes(ax: Any) -> Any:
    """``ax`` if it is a matplotlib Axes, pyplot's current Axes when ``None``."""
    from matplotlib.axes import Axes

    if ax is None:
        import matplotlib.pyplot as plt

        return plt.gca()
    if not isinstance(ax, Axes):
        fail("ax", "a matplotlib Axes or None", ax, kind=ValidationTypeError)
    return ax


def cycle_colors(ax: Any, n: int) -> list:
    """``n`` colours from ``ax``'s property cycle (repeated when it is shorter)."""
    import matplotlib as mpl

    colors = mpl.rcParams["axes.prop_cycle"].by_key().get("color", ["C0"])
    return [colors[i % len(colors)] for i in range(n)]


def group_rows(labels: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Unique labels (sorted), the group index of each item, and each group's size."""
    uniq, inverse, sizes = np.unique(labels, return_inverse=True, return_counts=True)
    return uniq, inverse, sizes
