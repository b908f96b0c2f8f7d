"""Spike-train generators: models as frozen dataclasses with ``.simulate(..., rng=)``."""

from spikestats.generators.adex import AdEx
from spikestats.generators.encoders import latency_code, population_code, rate_code, tuning_rates
from spikestats.generators.glm import GLMNeuron, GLMPopulation
from spikestats.generators.hawkes import HawkesProcess
from spikestats.generators.hodgkin_huxley import HodgkinHuxley
from spikestats.generators.inhomogeneous import InhomogeneousPoisson
from spikestats.generators.izhikevich import Izhikevich
from spikestats.generators.lif import LIF
from spikestats.generators.poisson import PoissonProcess
from spikestats.generators.renewal import GammaProcess, InverseGaussianProcess, LogNormalProcess

__all__ = ["PoissonProcess", "InhomogeneousPoisson", "GammaProcess", "InverseGaussianProcess", "LogNormalProcess",
           "HawkesProcess", "GLMNeuron", "GLMPopulation", "rate_code", "latency_code", "population_code",
           "tuning_rates"]
__all__ += ["LIF", "AdEx", "Izhikevich", "HodgkinHuxley"]
