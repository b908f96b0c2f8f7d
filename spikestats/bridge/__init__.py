"""From fitted models to neuromorphic hardware: NIR graphs, Loihi and SpiNNaker reference simulators, PyNN scripts."""

from __future__ import annotations

from spikestats.bridge.escape import EscapeNeuronReference, EscapeRun
from spikestats.bridge.pynn import to_pynn
from spikestats.bridge.spinnaker import SpiNNakerHost, SpiNNakerReference, SpiNNakerRun, spinnaker_host

__all__: list[str] = []
__all__ += ["SpiNNakerReference", "SpiNNakerRun", "SpiNNakerHost", "spinnaker_host"]
__all__ += ["EscapeNeuronReference", "EscapeRun"]
__all__ += ["to_pynn"]
from spikestats.bridge._run import SimulationResult  # noqa: E402
from spikestats.bridge.compare import Comparison, compare, van_rossum_distance  # noqa: E402
from spikestats.bridge.discretise import Discretisation, discretise  # noqa: E402
from spikestats.bridge.float_sim import FloatReference  # noqa: E402
from spikestats.bridge.glm_export import escape_from_nir, glm_graph, glm_parameters, glm_to_nir  # noqa: E402
from spikestats.bridge.loihi import LoihiQuantisation, LoihiReference, loihi_dense_weights, loihi_integers  # noqa: E402
from spikestats.bridge.network import Network, network_from_arrays  # noqa: E402
from spikestats.bridge.nir_export import from_nir, to_nir, write_nir  # noqa: E402

__all__ += ["Network", "network_from_arrays", "Discretisation", "discretise", "to_nir", "write_nir", "from_nir"]
__all__ += ["LoihiReference", "LoihiQuantisation", "loihi_integers", "loihi_dense_weights", "FloatReference",
            "SimulationResult", "compare", "Comparison", "van_rossum_distance"]
__all__ += ["glm_to_nir", "glm_graph", "glm_parameters", "escape_from_nir"]
