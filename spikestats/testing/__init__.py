"""Public test helpers: hypothesis strategies and assertion helpers.

``spikestats.testing.strategies`` needs ``hypothesis`` (the ``test`` extra).
"""

from spikestats.testing.asserts import assert_spiketrains_equal

__all__ = ["assert_spiketrains_equal"]
