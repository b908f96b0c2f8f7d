"""Exception and warning classes raised by spikestats."""

from __future__ import annotations


class SpikestatsError(Exception):
    """Base class of every error raised by spikestats."""


class ValidationError(SpikestatsError, ValueError):
    """An argument has the right type but a wrong value or shape."""


class ValidationTypeError(SpikestatsError, TypeError):
    """An argument is the wrong kind of object."""


class NotFittedError(SpikestatsError, AttributeError):
    """An estimator was used before ``fit``."""


class FileFormatError(SpikestatsError, ValueError):
    """A file is missing, truncated, corrupt or not in the expected format."""


class ExportError(SpikestatsError):
    """A model could not be exported to the requested target."""


class SpikestatsWarning(UserWarning):
    """Base class of every warning issued by spikestats."""


class ConvergenceWarning(SpikestatsWarning):
    """An iterative fit stopped before meeting its tolerance."""


class DataWarning(SpikestatsWarning):
    """Input was accepted but looks suspicious (e.g. too few spikes)."""
