"""Small result types shared by the statistics modules."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from spikestats._validation import check_scalar, fail


@dataclass(frozen=True)
class Estimate:
    """A statistic with a confidence interval.

    Attributes
    ----------
    estimate : float or numpy.ndarray
        The point estimate (the value the plain call returns), one per train
        or a float when pooled.
    low, high : float or numpy.ndarray
        Lower and upper ends of the interval, same shape as ``estimate``;
        NaN where the statistic is undefined.
    confidence : float
        Nominal coverage (e.g. 0.95).
    method : str
        How the interval was made (``"delta"``, ``"1-dependent normal"``,
        ``"chi2"``, ``"bootstrap"``).
    """

    estimate: float | np.ndarray
    low: float | np.ndarray
    high: float | np.ndarray
    confidence: float
    method: str

    def __repr__(self) -> str:
        def show(x):
            arr = np.asarray(x)
            if arr.ndim == 0:
                return f"{float(arr):.4g}"
            with np.printoptions(precision=4, threshold=6, edgeitems=2):
                return str(arr)
        return (f"Estimate(estimate={show(self.estimate)}, low={show(self.low)}, high={show(self.high)}, "
                f"confidence={self.confidence:g}, method={self.method!r})")


def check_confidence(ci: float) -> float:
    """A coverage strictly between 0 and 1."""
    ci = check_scalar("ci", ci)
    if not 0.0 < ci < 1.0:
        fail("ci", "a coverage strictly between 0 and 1 (e.g. 0.95)", ci)
    return ci


def normal_quantile(ci: float) -> float:
    """Two-sided standard-normal quantile ``z`` with ``P(|Z| <= z) = ci``."""
    from scipy.special import ndtri

    return float(ndtri(0.5 + ci / 2.0))


def as_output(values: np.ndarray, single: bool) -> float | np.ndarray:
    """``values`` as a float for a single train, else the array."""
    return float(values[0]) if single else values
