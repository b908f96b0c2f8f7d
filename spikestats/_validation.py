"""Coercion and checks at the public boundary.

Every public function validates its arguments once, here, and raises with one
template: "`name` must be <expectation>; got <value>." plus a fix when there
is one. Kernels below this layer assume valid input.
"""

from __future__ import annotations

import difflib
import numbers
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from spikestats._config import INDEX_DTYPE, TIME_DTYPE
from spikestats.exceptions import ValidationError, ValidationTypeError


def describe(value: Any, limit: int = 60) -> str:
    """Short, readable description of ``value`` for error messages."""
    if isinstance(value, np.ndarray):
        return f"array of shape {value.shape} and dtype {value.dtype}"
    text = repr(value)
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    return f"{text} ({type(value).__name__})" if not isinstance(value, (str, bool)) else text


def fail(name: str, expectation: str, value: Any, fix: str | None = None, *, kind: type = ValidationError,
         got: str | None = None) -> None:
    """Raise ``kind`` with the house message template."""
    msg = f"`{name}` must be {expectation}; got {got if got is not None else describe(value)}."
    if fix:
        msg += f" {fix}"
    raise kind(msg)


def check_scalar(name: str, value: Any, *, positive: bool = False, nonnegative: bool = False,
                 finite: bool = True, integer: bool = False, minimum: float | None = None,
                 maximum: float | None = None) -> Any:
    """Check a real scalar and return it as ``float`` (or ``int`` if ``integer``)."""
    if type(value) is int and integer and minimum is None and maximum is None:  # fast path for counts and ddof
        if (positive and value <= 0) or (nonnegative and value < 0):
            fail(name, "> 0" if positive else ">= 0", value)
        return value
    if isinstance(value, bool) or not isinstance(value, (numbers.Real, np.integer, np.floating)):
        if isinstance(value, np.ndarray) and value.ndim == 0:
            value = value.item()
            return check_scalar(name, value, positive=positive, nonnegative=nonnegative, finite=finite,
                                integer=integer, minimum=minimum, maximum=maximum)
        fail(name, "an integer" if integer else "a real number", value, kind=ValidationTypeError)
    if integer:
        if not float(value).is_integer():
            fail(name, "a whole number", value)
        out: Any = int(value)
    else:
        out = float(value)
    if finite and not np.isfinite(out):
        fail(name, "finite", value)
    if positive and not out > 0:
        fail(name, "> 0", value)
    if nonnegative and not out >= 0:
        fail(name, ">= 0", value)
    if minimum is not None and out < minimum:
        fail(name, f">= {minimum}", value)
    if maximum is not None and out > maximum:
        fail(name, f"<= {maximum}", value)
    return out


def check_option(name: str, value: Any, options: Sequence[str]) -> str:
    """Check that ``value`` is one of ``options``; suggest the closest on a typo."""
    if not isinstance(value, str):
        fail(name, f"one of {list(options)}", value, kind=ValidationTypeError)
    if value not in options:
        close = difflib.get_close_matches(value, list(options), n=1)
        fix = f"Did you mean {close[0]!r}?" if close else None
        fail(name, f"one of {list(options)}", value, fix)
    return value


def check_bool(name: str, value: Any) -> bool:
    """Check a boolean flag."""
    if not isinstance(value, (bool, np.bool_)):
        fail(name, "True or False", value, kind=ValidationTypeError)
    return bool(value)


def as_float_array(name: str, value: Any, *, ndim: int | None = None, finite: bool = True,
                   copy: bool = False) -> np.ndarray:
    """Coerce to a float64 array, rejecting strings, objects, complex and non-finite values."""
    try:
        arr = np.asarray(value)
    except Exception as exc:  # ragged nested sequences and the like
        raise ValidationTypeError(f"`{name}` must be an array of real numbers; got {describe(value)} "
                                  f"({exc}).") from None
    if arr.dtype == object:
        try:
            arr = arr.astype(TIME_DTYPE)
        except (TypeError, ValueError):
            fail(name, "an array of real numbers", value, kind=ValidationTypeError)
    if arr.dtype.kind not in "iuf":
        fail(name, "an array of real numbers", value, kind=ValidationTypeError,
             got=f"an array of dtype {arr.dtype}")
    if ndim is not None and arr.ndim != ndim:
        fail(name, f"a {ndim}-d array", value, got=f"an array of shape {arr.shape}")
    out = np.array(arr, dtype=TIME_DTYPE, copy=True) if copy else np.asarray(arr, dtype=TIME_DTYPE)
    if finite and out.size and not np.all(np.isfinite(out)):
        bad = np.flatnonzero(~np.isfinite(out.ravel()))[0]
        fail(name, "finite (no NaN or inf)", value, got=f"{out.ravel()[bad]} at flat index {bad}")
    return out


def as_int_array(name: str, value: Any, *, ndim: int | None = None, nonnegative: bool = False) -> np.ndarray:
    """Coerce to an int64 array; floats are accepted only when whole."""
    arr = np.asarray(value)
    if arr.dtype.kind == "f":
        if arr.size and not (np.all(np.isfinite(arr)) and np.all(arr == np.round(arr))):
            fail(name, "an array of whole numbers", value, kind=ValidationError,
                 got="an array with non-integer values")
    elif arr.dtype.kind not in "iub":
        fail(name, "an array of integers", value, kind=ValidationTypeError, got=f"an array of dtype {arr.dtype}")
    if ndim is not None and arr.ndim != ndim:
        fail(name, f"a {ndim}-d array", value, got=f"an array of shape {arr.shape}")
    out = arr.astype(INDEX_DTYPE, copy=False)
    if nonnegative and out.size and out.min() < 0:
        fail(name, "non-negative", value, got=f"minimum {out.min()}")
    return out


def per_train(name: str, value: Any, n: int) -> np.ndarray:
    """Broadcast a scalar or length-``n`` sequence of floats to a float64 ``(n,)`` array."""
    arr = as_float_array(name, value)
    if arr.ndim == 0:
        return np.full(n, float(arr), dtype=TIME_DTYPE)
    if arr.ndim != 1 or arr.shape[0] != n:
        fail(name, f"a scalar or one value per train ({n})", value, got=f"an array of shape {arr.shape}")
    return np.ascontiguousarray(arr)


def check_rng(rng: Any) -> np.random.Generator:
    """Return a ``np.random.Generator`` from anything ``np.random.default_rng`` accepts."""
    if isinstance(rng, np.random.Generator):
        return rng
    if isinstance(rng, (bool, float, str, bytes)) or (rng is not None and not isinstance(
            rng, (numbers.Integral, np.random.SeedSequence, np.random.BitGenerator, Iterable))):
        fail("rng", "None, an int seed, a SeedSequence, a BitGenerator or a Generator", rng,
             kind=ValidationTypeError)
    try:
        return np.random.default_rng(rng)
    except (TypeError, ValueError) as exc:
        raise ValidationError(f"`rng` must be something np.random.default_rng accepts; got {describe(rng)} "
                              f"({exc}).") from None


def check_glm_totals(totals: np.ndarray, t0: float, dt: float, limit: float) -> None:
    """Raise when a GLM simulation kernel stopped an explosive realisation (a negative total).

    ``totals[r] = -(b + 1)`` means realisation ``r`` had an expected count
    above ``limit`` in bin ``b``.
    """
    bad = np.flatnonzero(totals < 0)
    if bad.size:
        r = int(bad[0])
        b = int(-totals[r] - 1)
        raise ValidationError(
            f"the GLM is explosive: in realisation {r} the expected count of a unit in the bin at "
            f"t = {t0 + b * dt:g} s exceeded {limit:g} spikes (excitatory history or coupling feeding back "
            "through the exponential link grows without bound). Make the positive filter weights smaller, "
            "use a shorter or inhibitory filter, or use family='bernoulli' (at most one spike per bin).")
