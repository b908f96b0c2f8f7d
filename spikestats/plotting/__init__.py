"""Matplotlib figures of spike trains and their statistics.

Every function draws on the Axes passed as ``ax=`` (default: pyplot's current
Axes), labels its axes with physical units, and returns the Axes. Matplotlib
is imported only when a function is called, never by ``import spikestats``.

Examples
--------
>>> import matplotlib.pyplot as plt
>>> import spikestats as ss
>>> st = ss.datasets.load_example()
>>> fig, (a, b, c) = plt.subplots(1, 3, figsize=(12, 3))       # doctest: +SKIP
>>> ss.plotting.raster(st, ax=a)                               # doctest: +SKIP
>>> ss.plotting.rate_histogram(ss.stats.firing_rate(st), ax=b) # doctest: +SKIP
>>> ss.plotting.isi_histogram(st, ax=c, by="unit")             # doctest: +SKIP
"""

from spikestats.plotting.bridge import bridge_comparison_plot
from spikestats.plotting.files import save_png
from spikestats.plotting.histograms import isi_histogram, rate_histogram
from spikestats.plotting.intervals import isi_return_map
from spikestats.plotting.raster import raster
from spikestats.plotting.rates import kernel_rate_plot, psth_plot
from spikestats.plotting.traces import traces_plot
from spikestats.plotting.variability import fano_window_curve, isi_variability_histogram, time_resolved_fano_plot

__all__ = ["raster", "rate_histogram", "isi_histogram", "isi_return_map", "psth_plot", "kernel_rate_plot",
           "isi_variability_histogram", "fano_window_curve", "time_resolved_fano_plot", "traces_plot", "bridge_comparison_plot", "save_png"]
