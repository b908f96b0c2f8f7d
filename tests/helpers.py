"""Small helpers shared by test modules (importable as ``helpers``: ``tests/`` is on pytest's pythonpath)."""

from __future__ import annotations

import pytest

import spikestats as ss
from spikestats.exceptions import FileFormatError


def expect_file_error(path, *words: str) -> None:
    """``ss.io.read(path)`` raises a FileFormatError in the house template naming the path and ``words``."""
    with pytest.raises(FileFormatError) as info:
        ss.io.read(path)
    msg = str(info.value)
    assert msg.startswith(f"`path` ('{path}') must ") and "; got " in msg, msg
    for word in words:
        assert word in msg, msg
