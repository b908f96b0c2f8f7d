"""Data model: SpikeTrains, BinnedCounts, Epochs (numpy only)."""

from spikestats.core.binned import BinnedCounts, bin_edges
from spikestats.core.epochs import Epochs
from spikestats.core.spiketrains import SpikeTrains, concatenate

__all__ = ["SpikeTrains", "BinnedCounts", "Epochs", "bin_edges", "concatenate"]
