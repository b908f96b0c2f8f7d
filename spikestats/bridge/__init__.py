"""From fitted models to neuromorphic hardware: NIR graphs, Loihi and SpiNNaker reference simulators, PyNN scripts."""

from __future__ import annotations

__all__: list[str] = []
