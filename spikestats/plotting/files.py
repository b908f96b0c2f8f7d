"""Drawing a figure straight to a PNG file with the Agg backend (no pyplot state involved)."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from spikestats._validation import check_scalar


def save_png(draw: Callable[[Any], Any], path: str | os.PathLike, *, size: tuple[float, float] = (7.0, 4.0),
             dpi: int = 100) -> None:
    """Call ``draw(ax)`` on a fresh single-Axes figure and save it as PNG.

    Parameters
    ----------
    draw : callable
        Draws on the matplotlib Axes it receives (e.g.
        ``lambda ax: raster(st, ax=ax)``).
    path : str or os.PathLike
        Destination file (written as PNG whatever its extension).
    size : tuple of float, default (7.0, 4.0)
        Width and height in inches.
    dpi : int, default 100
        Resolution in dots per inch.

    Notes
    -----
    The figure uses the Agg canvas directly, so this works without a
    display, never changes pyplot's backend or current figure, and leaves
    nothing open.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    dpi = check_scalar("dpi", dpi, integer=True, positive=True)
    width, height = (check_scalar("size", v, positive=True) for v in size)
    fig = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(fig)
    draw(fig.add_subplot())
    fig.savefig(path, format="png", dpi=dpi)
