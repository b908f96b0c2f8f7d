"""Spike-train generators: models as frozen dataclasses with ``.simulate(..., rng=)``."""

from spikestats.generators.poisson import PoissonProcess

__all__ = ["PoissonProcess"]
