"""Example data with ground truth.

``load_example()`` returns the small synthetic dataset embedded in the
package (8 units x 20 trials of 10 s; see ``datasets/README.md`` in the
source tree); ``unit_ground_truth(st)`` reads the ground truth that
simulated data carries in its metadata, per unit. ``load_recording(name)``
(and ``load_grasshopper``, ``load_kramer_eden``, ``load_nelpy``) load the
real recordings of ``../shared/data`` (:mod:`spikestats.datasets.recordings`).

Examples
--------
>>> import spikestats as ss
>>> st = ss.datasets.load_example()
>>> truth = ss.datasets.unit_ground_truth(st)
>>> truth["poisson_8"]["rate"]
40.0
"""

from spikestats.datasets._example import example_path, load_example
from spikestats.datasets._truth import true_value, unit_ground_truth
from spikestats.datasets.recordings import (RECORDINGS, Recording, Signal, data_folder, load_grasshopper,
                                            load_kramer_eden, load_nelpy, load_recording)

__all__ = ["load_example", "example_path", "unit_ground_truth", "true_value", "Recording", "Signal", "RECORDINGS",
           "data_folder", "load_recording", "load_grasshopper", "load_kramer_eden", "load_nelpy"]
