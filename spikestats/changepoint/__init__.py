"""Change points in spike trains and populations: costs x searches, Bayesian online detection, the multiple filter test."""

from __future__ import annotations

__all__: list[str] = []
