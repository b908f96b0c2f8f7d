"""Exception and warning classes raised by spikestats."""

from __future__ import annotations

import errno
import os


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


class _PathError(FileFormatError):
    """A FileFormatError that is also an OSError with ``errno``, ``strerror`` and ``filename`` set."""

    _errno = 0

    def __init__(self, message: str, path: str | os.PathLike | None = None) -> None:
        super().__init__(message)
        self.errno, self.strerror = self._errno, message
        self.filename = None if path is None else os.fspath(path)

    def __str__(self) -> str:
        return str(self.args[0])

    def __reduce__(self) -> tuple:
        return type(self), (self.args[0], self.filename)


class MissingFileError(_PathError, FileNotFoundError):
    """A file to read (or the folder to write into) does not exist.

    Also a :class:`FileNotFoundError` (``errno.ENOENT``, ``filename`` set), so
    ``except FileNotFoundError`` catches it.
    """

    _errno = errno.ENOENT


class ExistingFileError(_PathError, FileExistsError):
    """``write(..., overwrite=False)`` found a file at the target path.

    Also a :class:`FileExistsError` (``errno.EEXIST``, ``filename`` set).
    """

    _errno = errno.EEXIST


class ExportError(SpikestatsError):
    """A model could not be exported to the requested target."""


class SpikestatsWarning(UserWarning):
    """Base class of every warning issued by spikestats."""


class ConvergenceWarning(SpikestatsWarning):
    """An iterative fit stopped before meeting its tolerance."""


class DataWarning(SpikestatsWarning):
    """Input was accepted but looks suspicious (e.g. too few spikes)."""
