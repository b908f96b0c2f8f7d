"""Change points in spike trains and populations: costs x searches, Bayesian online detection, the multiple filter test."""

from __future__ import annotations

from spikestats.changepoint.bocpd import BayesianOnline
from spikestats.changepoint.costs import (
    BernoulliCost,
    Cost,
    ExponentialCost,
    NormalMeanCost,
    NormalMeanVarCost,
    PoissonCost,
)
from spikestats.changepoint.crops import CropsPath, crops
from spikestats.changepoint.detect import detect
from spikestats.changepoint.mft import MFTNull, MFTResult, mft_null, multiple_filter_test
from spikestats.changepoint.penalties import bic_penalty, false_alarm_probability, mbic_penalty
from spikestats.changepoint.results import ChangePointResult
from spikestats.changepoint.search import PELT, BinarySegmentation, OptimalPartitioning, WildBinarySegmentation

__all__: list[str] = []
__all__ += [
    "detect", "ChangePointResult", "PELT", "OptimalPartitioning", "BinarySegmentation", "WildBinarySegmentation",
    "Cost", "PoissonCost", "ExponentialCost", "BernoulliCost", "NormalMeanCost", "NormalMeanVarCost",
    "bic_penalty", "mbic_penalty", "false_alarm_probability", "crops", "CropsPath",
]
__all__ += ["BayesianOnline", "multiple_filter_test", "mft_null", "MFTNull", "MFTResult"]
