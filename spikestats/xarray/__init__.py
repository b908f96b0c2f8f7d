"""xarray integration: the ``spiketrains`` Dataset schema and the ``ds.spikes`` accessor.

Importing this package registers the accessor. See
:mod:`spikestats.xarray.schema` for the schema.
"""

from spikestats.xarray.accessor import SpikesAccessor
from spikestats.xarray.schema import from_dataset, to_dataset
from spikestats.xarray.validate import schema_problems, validate

__all__ = ["to_dataset", "from_dataset", "SpikesAccessor", "validate", "schema_problems"]
