"""The scikit-learn estimator contract without importing scikit-learn.

``get_params`` / ``set_params`` read the constructor's signature, so
``sklearn.base.clone``, ``GridSearchCV`` and ``cross_val_score`` work on any
subclass; ``__sklearn_tags__`` imports scikit-learn only when scikit-learn
itself asks for the tags.
"""

from __future__ import annotations

import difflib
import inspect
import sys
from typing import Any

from spikestats._validation import fail
from spikestats.exceptions import NotFittedError

_SKLEARN_NOT_FITTED: dict[type, type] = {}


def not_fitted_error(estimator: Any) -> NotFittedError:
    """The error for use before ``fit``; also scikit-learn's NotFittedError when scikit-learn is loaded.

    scikit-learn's checks (and user code written for it) catch
    ``sklearn.exceptions.NotFittedError``; spikestats does not import
    scikit-learn, so the combined class is made only if scikit-learn is
    already imported.
    """
    cls: type = NotFittedError
    sk = sys.modules.get("sklearn.exceptions")
    if sk is not None:
        base = sk.NotFittedError
        if base not in _SKLEARN_NOT_FITTED:
            _SKLEARN_NOT_FITTED[base] = type("NotFittedError", (NotFittedError, base), {"__module__": __name__})
        cls = _SKLEARN_NOT_FITTED[base]
    return cls(f"This {type(estimator).__name__} is not fitted yet; call fit(X, y) first.")


class ParamsMixin:
    """``get_params``, ``set_params`` and a repr listing the parameters that differ from their defaults."""

    @classmethod
    def _param_defaults(cls) -> dict[str, Any]:
        sig = inspect.signature(cls.__init__)
        return {p.name: p.default for p in sig.parameters.values()
                if p.name != "self" and p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL)}

    def _set_init_params(self, values: dict[str, Any]) -> None:
        """Store each constructor argument as given (``__init__`` passes its ``locals()``)."""
        for name in self._param_defaults():
            setattr(self, name, values[name])

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """Constructor parameters as a dict (``deep`` is accepted for scikit-learn and changes nothing)."""
        return {name: getattr(self, name) for name in self._param_defaults()}

    def set_params(self, **params: Any) -> ParamsMixin:
        """Set constructor parameters by name; returns ``self``."""
        names = list(self._param_defaults())
        for key, value in params.items():
            if key not in names:
                close = difflib.get_close_matches(key, names, n=1)
                fail("parameter name", f"one of {names}", key, f"Did you mean {close[0]!r}?" if close else None)
            setattr(self, key, value)
        return self

    def __repr__(self) -> str:
        changed = []
        for name, default in self._param_defaults().items():
            value = getattr(self, name)
            try:
                same = bool(value == default)
            except Exception:  # arrays and other objects without a scalar ==
                same = value is default
            if not same:
                changed.append(f"{name}={value!r}")
        return f"{type(self).__name__}({', '.join(changed)})"

    def __sklearn_tags__(self):
        """Estimator tags for scikit-learn >= 1.6 (a regressor that needs ``y`` and finite ``X``)."""
        from sklearn.utils import InputTags, RegressorTags, Tags, TargetTags

        return Tags(estimator_type="regressor", target_tags=TargetTags(required=True),
                    regressor_tags=RegressorTags(), input_tags=InputTags(allow_nan=False))

    _estimator_type = "regressor"  # scikit-learn < 1.6
