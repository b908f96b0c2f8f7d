"""Validation of design matrices, counts, offsets, weights and penalties at the GLM boundary."""

from __future__ import annotations

from typing import Any

import numpy as np

from spikestats._validation import as_float_array, check_scalar, fail
from spikestats.exceptions import ValidationError
from spikestats.glm.families import Family


def check_design(X: Any, *, n_features: int | None = None) -> np.ndarray:
    """A finite, C-contiguous float64 ``(n_bins, n_features)`` design matrix with at least one row."""
    arr = np.asarray(X) if not isinstance(X, np.ndarray) else X
    if getattr(arr, "ndim", None) == 1:
        fail("X", "a 2-d design matrix of shape (n_bins, n_features)", X, got=f"a 1-d array of shape {arr.shape}",
             fix="Reshape your data with X.reshape(-1, 1) for a single feature.")
    X = as_float_array("X", X, ndim=2)
    if X.shape[0] == 0:
        fail("X", "a design matrix with at least one row (bin)", X)
    if n_features is not None and X.shape[1] != n_features:
        fail("X", f"a design matrix with {n_features} columns, as at fit", X, got=f"{X.shape[1]} columns")
    return np.ascontiguousarray(X)


def check_rows(name: str, value: Any, n: int, *, what: str) -> np.ndarray:
    """A finite 1-d float64 array with one entry per row of the design."""
    arr = as_float_array(name, value, ndim=1)
    if arr.shape[0] != n:
        fail(name, f"{what} per row of X ({n})", value, got=f"length {arr.shape[0]}")
    return np.ascontiguousarray(arr)


def check_counts(y: Any, n: int, family: Family, weight: np.ndarray | None) -> np.ndarray:
    """Counts (or 0/1) valid for ``family``, with at least one spike and one silent bin where it matters."""
    y = check_rows("y", y, n, what="one count")
    family.check_y(y)
    w = np.ones(n) if weight is None else weight
    spikes = float(y @ w)
    if spikes == 0.0:
        fail("y", "non-zero in at least one bin (with non-zero weight)", y, got="no spikes at all",
             fix=f"The {family.name} maximum-likelihood intercept is -inf without a spike; fit units with "
                 "spikes only.")
    if family.name == "bernoulli" and spikes == float(w.sum()):
        fail("y", "0 in at least one bin (with non-zero weight)", y, got="a spike in every bin",
             fix="The maximum-likelihood intercept is +inf; use a smaller bin size.")
    return y


def check_weights(sample_weight: Any, n: int) -> np.ndarray | None:
    """Non-negative frequency weights with a positive sum, or None."""
    if sample_weight is None:
        return None
    w = check_rows("sample_weight", sample_weight, n, what="one weight")
    if w.min() < 0:
        fail("sample_weight", "non-negative", sample_weight, got=f"minimum {w.min():g}")
    if w.sum() <= 0:
        fail("sample_weight", "positive in at least one bin", sample_weight, got="all zero")
    return w


def check_penalty(alpha: Any, l1_ratio: Any) -> tuple[float, float]:
    """``(l1, l2)`` penalty weights from ``alpha >= 0`` and ``0 <= l1_ratio <= 1``."""
    alpha = check_scalar("alpha", alpha, nonnegative=True)
    l1_ratio = check_scalar("l1_ratio", l1_ratio, minimum=0.0, maximum=1.0)
    return alpha * l1_ratio, alpha * (1.0 - l1_ratio)


def check_solver_options(max_iter: Any, tol: Any) -> tuple[int, float]:
    """``max_iter >= 1`` and ``tol > 0``."""
    return check_scalar("max_iter", max_iter, integer=True, minimum=1), check_scalar("tol", tol, positive=True)


def require(condition: bool, message: str) -> None:
    """Raise ValidationError with ``message`` unless ``condition``."""
    if not condition:
        raise ValidationError(message)
