"""Ground truth carried by simulated data in ``metadata["ground_truth"]``.

Two layouts occur:

* one model for every train, as a generator writes it:
  ``{"model": "PoissonProcess", "rate": 20.0, "dead_time": 0.002}``;
* one record per unit label, as a dataset recipe writes it:
  ``{"seed": ..., "units": {"poisson_1": {"model": ..., ..., "expected": {...}}, ...}}``.

A record holds the model name, its parameters in SI units and optionally
``expected``: statistics the model implies exactly (``rate`` in Hz, ISI
``cv``), which take precedence over parameters of the same name.
"""

from __future__ import annotations

import numbers

import numpy as np

from spikestats._validation import fail
from spikestats.core.spiketrains import SpikeTrains
from spikestats.exceptions import ValidationTypeError


def unit_ground_truth(st: SpikeTrains) -> dict[str, dict] | None:
    """Ground-truth record of each unit of ``st``, or ``None`` when it carries none.

    Parameters
    ----------
    st : SpikeTrains

    Returns
    -------
    dict or None
        Maps ``str(label)`` of every unit in ``st`` that has a record to its
        record (a dict with at least ``"model"``). ``None`` when
        ``metadata["ground_truth"]`` is absent or in neither layout.
    """
    if not isinstance(st, SpikeTrains):
        fail("st", "a SpikeTrains", st, kind=ValidationTypeError)
    truth = st.metadata.get("ground_truth")
    if not isinstance(truth, dict):
        return None
    labels = [str(u) for u in np.unique(st.unit)]
    per_unit = truth.get("units")
    if isinstance(per_unit, dict):
        return {label: per_unit[label] for label in labels if isinstance(per_unit.get(label), dict)}
    if "model" in truth:
        return {label: truth for label in labels}
    return None


def true_value(record: dict | None, name: str) -> float | None:
    """A true statistic or parameter from a ground-truth record.

    Parameters
    ----------
    record : dict or None
        One unit's record (see :func:`unit_ground_truth`).
    name : str
        ``"rate"`` (Hz), ``"cv"``, ``"dead_time"`` (s), or any parameter name.

    Returns
    -------
    float or None
        ``record["expected"][name]`` if present, else ``record[name]``, when it
        is a real number; otherwise ``None``.
    """
    if not isinstance(record, dict):
        return None
    expected = record.get("expected")
    for source in (expected if isinstance(expected, dict) else {}, record):
        value = source.get(name)
        if isinstance(value, numbers.Real) and not isinstance(value, bool):
            return float(value)
    return None
