"""What a report section is: the plug-in interface and the values it hands back.

A section computes numbers from the data (:meth:`Section.compute`), and from
those numbers offers per-unit summary columns, figures and an HTML fragment.
The report builder collects every section's per-train and per-unit
quantities into ``results.nc``, its columns into the summary table, renders
its figures to PNG and places its fragment on the page; sections know
nothing of each other or of files.
"""

from __future__ import annotations

import abc
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, ClassVar

import numpy as np

from spikestats.core.spiketrains import SpikeTrains
from spikestats.datasets import true_value, unit_ground_truth
from spikestats.report._params import ReportParams


@dataclass(frozen=True)
class Quantity:
    """One result array: per train ``(n_trains,)`` or per unit ``(n_units,)``.

    Attributes
    ----------
    values : numpy.ndarray
        The numbers, in SI units.
    units : str
        CF-style units (``"Hz"``, ``"s"``, ``"1"`` for dimensionless).
    long_name : str
        Readable description (stored as the netCDF ``long_name``).
    """

    values: np.ndarray
    units: str
    long_name: str

    def as_variable(self) -> tuple[np.ndarray, dict[str, str]]:
        """``(values, attrs)`` as :mod:`spikestats.xarray.results` takes them."""
        return np.asarray(self.values), {"units": self.units, "long_name": self.long_name}


@dataclass(frozen=True)
class Column:
    """One column of the per-unit summary table.

    Attributes
    ----------
    title : str
        Header, with units in parentheses (``"rate (Hz)"``).
    values : sequence of float or str
        One entry per unit (sorted labels); floats are formatted with
        ``fmt``, NaN and None show as a dash, strings appear as they are.
    fmt : str
        Format of a float (``"{:.2f}"``).
    truth : bool
        The column holds ground truth (shown beside the estimates, marked).
    """

    title: str
    values: Sequence[Any]
    fmt: str = "{:.3g}"
    truth: bool = False


@dataclass(frozen=True)
class FigureSpec:
    """A figure a section asks for; the builder renders it to ``filename`` (PNG, Agg).

    Attributes
    ----------
    filename : str
        File name in the output folder (``"raster.png"``); unique across sections.
    caption : str
        Caption under the figure (plain text).
    draw : callable
        ``draw(ax)`` draws on a fresh matplotlib Axes.
    size : tuple of float
        Width and height in inches.
    """

    filename: str
    caption: str
    draw: Callable[[Any], Any]
    size: tuple[float, float] = (7.0, 4.0)


@dataclass
class SectionResult:
    """What :meth:`Section.compute` returns.

    Attributes
    ----------
    per_train, per_unit : dict of str to Quantity
        Results saved in ``results.nc`` (per-train in the root group,
        per-unit in group ``units``); names must be unique across sections.
    notes : list of str
        Remarks shown in the section (warnings raised while computing are
        added by the builder).
    data : dict
        Anything else the section's figures or HTML need.
    """

    per_train: dict[str, Quantity] = field(default_factory=dict)
    per_unit: dict[str, Quantity] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)


class Context:
    """The data and settings every section sees.

    Parameters
    ----------
    st : SpikeTrains
        The data.
    params : ReportParams
        The report's settings.

    Attributes
    ----------
    units : numpy.ndarray
        Sorted unique unit labels; per-unit arrays follow this order.
    unit_of_train : numpy.ndarray of int, shape (n_trains,)
        Index into ``units`` of each train.
    truth : dict or None
        Per-unit ground truth (:func:`spikestats.datasets.unit_ground_truth`).
    """

    def __init__(self, st: SpikeTrains, params: ReportParams) -> None:
        self.st = st
        self.params = params
        self.units, self.unit_of_train = np.unique(st.unit, return_inverse=True)
        self.truth = unit_ground_truth(st)

    @property
    def n_units(self) -> int:
        """Number of units."""
        return int(self.units.size)

    @cached_property
    def trains_per_unit(self) -> np.ndarray:
        """Number of trains of each unit, int ``(n_units,)``."""
        return np.bincount(self.unit_of_train, minlength=self.n_units)

    def unit_sum(self, per_train: np.ndarray) -> np.ndarray:
        """Sum of a per-train array over each unit's trains, ``(n_units,)``."""
        return np.bincount(self.unit_of_train, weights=per_train, minlength=self.n_units)

    def unit_mean(self, per_train: np.ndarray) -> np.ndarray:
        """Mean of a per-train array over each unit's trains, ignoring NaN (NaN when all are), ``(n_units,)``."""
        ok = np.isfinite(per_train)
        total = np.bincount(self.unit_of_train[ok], weights=per_train[ok], minlength=self.n_units)
        count = np.bincount(self.unit_of_train[ok], minlength=self.n_units)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(count > 0, total / np.maximum(count, 1), np.nan)

    def true_values(self, name: str) -> np.ndarray | None:
        """True ``name`` of each unit (NaN where unknown), or ``None`` when no unit has it.

        ``name`` is looked up with :func:`spikestats.datasets.true_value`
        (``"rate"`` in Hz, ``"cv"``, ``"dead_time"`` in s, ...).
        """
        if self.truth is None:
            return None
        values = [true_value(self.truth.get(str(u)), name) for u in self.units]
        if all(v is None for v in values):
            return None
        return np.array([np.nan if v is None else v for v in values])


class Section(abc.ABC):
    """A part of the report. Subclass it and add an instance to :data:`spikestats.report.SECTIONS`.

    Attributes
    ----------
    name : str
        Identifier (HTML anchor; prefix of nothing else), lower case.
    title : str
        Heading on the page.
    intro : str
        One paragraph of plain text under the heading.
    """

    name: ClassVar[str]
    title: ClassVar[str]
    intro: ClassVar[str] = ""

    def applies(self, ctx: Context) -> bool:
        """Whether the section belongs in a report of these data (default: always)."""
        return True

    @abc.abstractmethod
    def compute(self, ctx: Context) -> SectionResult:
        """The section's numbers. May raise a :class:`~spikestats.exceptions.SpikestatsError` for unsuitable data."""

    def columns(self, ctx: Context, result: SectionResult) -> list[Column]:
        """Columns this section adds to the per-unit summary table."""
        return []

    def figures(self, ctx: Context, result: SectionResult) -> list[FigureSpec]:
        """Figures of this section."""
        return []

    def html(self, ctx: Context, result: SectionResult) -> str:
        """An HTML fragment shown after the figures (escape any text from the data)."""
        return ""
