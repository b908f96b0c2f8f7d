"""TSV (``.tsv``) codec: the CSV layout of :mod:`spikestats.io.text` with tab separators."""

from __future__ import annotations

from pathlib import Path

from spikestats.core.spiketrains import SpikeTrains
from spikestats.io import text


def save(st: SpikeTrains, path: Path) -> None:
    """Write ``st`` as tab-separated text (see :mod:`spikestats.io.text`)."""
    text.save(st, path, delimiter="\t")


def load(path: Path, *, time_scale: float = 1.0, t_start: float | None = None,
         t_stop: float | None = None) -> SpikeTrains:
    """Read tab-separated spike rows (options as :func:`spikestats.io.text.load`)."""
    return text.load(path, time_scale=time_scale, t_start=t_start, t_stop=t_stop, delimiter="\t")
