"""Penalties per change point, in the units of the costs (twice a negative log-likelihood).

- ``"bic"``: ``(p + 1) log n`` per change, with ``p`` the parameters per
  segment summed over features (one rate per unit for Poisson counts) and
  one more for the change's location: Schwarz's criterion on ``-2 log L``.
  This is skchange's ``bic_penalty(n, p)``; R's changepoint uses ``p log n``.
- ``"mbic"``: the modified BIC of Zhang & Siegmund (2007),
  ``-2 log L + (p + 2) k log n + p sum_j log(l_j / n)`` over the ``k + 1``
  segments of lengths ``l_j`` (for ``p = 1`` their ``3 k log n + sum log(l_j / n)``;
  for ``p`` parameters each segment's ``log n`` is replaced by ``log l_j``,
  which is how their Laplace approximation extends).
- a number ``> 0``: that value per change.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from typing import Any

import numpy as np

from spikestats._validation import check_option, check_scalar, fail
from spikestats.exceptions import ValidationTypeError

PENALTIES = ("bic", "mbic")


def bic_penalty(n_samples: int, n_params: int = 1) -> float:
    """BIC penalty per change point, ``(n_params + 1) * log(n_samples)``.

    Parameters
    ----------
    n_samples : int
        Samples (bins, intervals) in the searched series.
    n_params : int, default 1
        Parameters per segment, summed over features.

    Returns
    -------
    float
    """
    n = check_scalar("n_samples", n_samples, integer=True, minimum=1)
    p = check_scalar("n_params", n_params, integer=True, minimum=1)
    return (p + 1) * math.log(n)


def mbic_penalty(n_samples: int, n_params: int = 1) -> tuple[float, float]:
    """Modified BIC (Zhang & Siegmund 2007): penalty per change and weight of ``log(l_j / n)`` per segment.

    Returns
    -------
    penalty : float
        ``(n_params + 2) * log(n_samples)``.
    length_weight : float
        ``n_params``: each segment of length ``l`` adds ``n_params * log(l / n_samples)``.
    """
    n = check_scalar("n_samples", n_samples, integer=True, minimum=1)
    p = check_scalar("n_params", n_params, integer=True, minimum=1)
    return (p + 2) * math.log(n), float(p)


@dataclass(frozen=True)
class Penalty:
    """A resolved penalty: value per change, per-segment length weight, and the name it came from."""

    value: float
    length_weight: float
    name: str


def resolve_penalty(penalty: Any, n_samples: int, n_params: int) -> Penalty:
    """``"bic"``, ``"mbic"`` or a number > 0, as the value the searches use."""
    if isinstance(penalty, str):
        name = check_option("penalty", penalty, PENALTIES)
        if name == "bic":
            return Penalty(bic_penalty(n_samples, n_params), 0.0, name)
        value, weight = mbic_penalty(n_samples, n_params)
        return Penalty(value, weight, name)
    if isinstance(penalty, bool) or not isinstance(penalty, (numbers.Real, np.integer, np.floating)):
        fail("penalty", f"one of {list(PENALTIES)} or a number > 0", penalty, kind=ValidationTypeError)
    value = check_scalar("penalty", penalty)
    if not value > 0:
        fail("penalty", "> 0 (the cost of adding one change point)", penalty,
             fix="A penalty of 0 or less puts a change at every admissible sample.")
    return Penalty(value, 0.0, "user")


def false_alarm_probability(n_samples: int, n_params: int = 1, min_size: int = 2,
                            penalty: float | None = None) -> float:
    """Approximate probability that a series with no change gets one at this penalty.

    The largest likelihood-ratio statistic (``-2 log`` of the ratio, ``p``
    degrees of freedom) of a single change over the admissible locations
    exceeds ``c`` with probability about (James, James & Siegmund 1987;
    Siegmund 1988)::

        c^(p/2) exp(-c/2) / (2^(p/2) Gamma(p/2)) * 2 log((n - m) / m)

    for ``m = min_size``; a segmentation with more changes must beat a
    penalty of ``2c`` or more and adds little. Large-sample (Gaussian)
    approximation: for counts of mean well below one per bin it is rough.

    Parameters
    ----------
    n_samples : int
    n_params : int, default 1
        Parameters per segment summed over features (``p``).
    min_size : int, default 2
    penalty : float, optional
        ``c``; default the BIC penalty ``(p + 1) log n``.

    Returns
    -------
    float
        In [0, 1].
    """
    from scipy.special import gammaln

    n = check_scalar("n_samples", n_samples, integer=True, minimum=2)
    p = check_scalar("n_params", n_params, integer=True, minimum=1)
    m = check_scalar("min_size", min_size, integer=True, minimum=1)
    c = bic_penalty(n, p) if penalty is None else check_scalar("penalty", penalty, positive=True)
    if n <= 2 * m:
        return 0.0
    log_density = 0.5 * p * math.log(c) - 0.5 * c - 0.5 * p * math.log(2.0) - float(gammaln(0.5 * p))
    return float(min(1.0, math.exp(log_density) * 2.0 * math.log((n - m) / m)))
