"""From fitted models to neuromorphic hardware: NIR graphs, Loihi and SpiNNaker reference simulators, PyNN scripts."""

from __future__ import annotations

from spikestats.bridge.escape import EscapeNeuronReference, EscapeRun
from spikestats.bridge.spinnaker import SpiNNakerHost, SpiNNakerReference, SpiNNakerRun, spinnaker_host

__all__: list[str] = []
__all__ += ["SpiNNakerReference", "SpiNNakerRun", "SpiNNakerHost", "spinnaker_host"]
__all__ += ["EscapeNeuronReference", "EscapeRun"]
