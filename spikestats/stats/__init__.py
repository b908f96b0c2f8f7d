"""Descriptive statistics of spike trains: rates, ISI statistics, dispersion.

Every function takes a :class:`~spikestats.SpikeTrains` (or a 1-d array of
spike times for one train, or a list of them) and returns numpy arrays or
small result dataclasses.
"""

from spikestats.stats.dispersion import fano_factor
from spikestats.stats.intervals import Ragged, cv, isi
from spikestats.stats.rates import firing_rate

__all__ = ["firing_rate", "isi", "cv", "fano_factor", "Ragged"]
