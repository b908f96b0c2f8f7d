"""Conditional intensity models: bases, design matrices, GLM estimators, inference and goodness of fit.

Models the conditional intensity lambda(t | H_t) of spike trains as a
generalised linear model of a stimulus, the neuron's own spike history and
other neurons' spikes (Truccolo et al. 2005; Pillow et al. 2008).
"""

from __future__ import annotations

__all__: list[str] = []

# estimators, families, fitting and inference on a plain design matrix
from spikestats.glm.estimators import BernoulliGLM, PoissonGLM  # noqa: E402
from spikestats.glm.families import Bernoulli, Family, Poisson  # noqa: E402
from spikestats.glm.inference import (BlockedKFold, CrossValidationResult, LikelihoodRatioResult, aic,  # noqa: E402
                                      bic, bits_per_spike, cross_validate, likelihood_ratio_test)
from spikestats.glm.path import RegularizationPath, regularization_path  # noqa: E402

__all__ += ["PoissonGLM", "BernoulliGLM", "Poisson", "Bernoulli", "Family", "likelihood_ratio_test",
            "LikelihoodRatioResult", "aic", "bic", "bits_per_spike", "BlockedKFold", "cross_validate",
            "CrossValidationResult", "regularization_path", "RegularizationPath"]

# bases, design matrices from spike times, history/coupled GLMs, time-rescaling goodness of fit
from spikestats.glm.bases import BSplineBasis, ExponentialBasis, FIRBasis, RaisedCosineBasis  # noqa: E402
from spikestats.glm.design import Design, design_matrix  # noqa: E402
from spikestats.glm.goodness_of_fit import TimeRescalingResult, time_rescaling_test  # noqa: E402
from spikestats.glm.history import ConditionalIntensity, FilterEstimate, HistoryGLM, PopulationGLM  # noqa: E402

__all__ += ["RaisedCosineBasis", "BSplineBasis", "ExponentialBasis", "FIRBasis", "Design", "design_matrix",
            "HistoryGLM", "PopulationGLM", "FilterEstimate", "ConditionalIntensity", "time_rescaling_test",
            "TimeRescalingResult"]
