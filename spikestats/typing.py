"""Type aliases, option sets and fixed dimension names."""

from __future__ import annotations

from typing import Literal, Union

import numpy as np
import numpy.typing as npt

#: Anything ``np.random.default_rng`` accepts.
RNGLike = Union[None, int, np.integer, np.random.SeedSequence, np.random.BitGenerator, np.random.Generator]
ArrayLike = npt.ArrayLike
FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

#: xarray dimension names (fixed across the package).
DIM_UNIT = "unit"
DIM_TRIAL = "trial"
DIM_TIME = "time"
DIM_SPIKE = "spike"
DIM_TRAIN = "train"

FanoMode = Literal["across", "within"]
