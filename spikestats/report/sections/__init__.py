"""The report's sections, in page order.

To add a section, write a :class:`~spikestats.report.Section` subclass in a
module of its own and add an instance to :data:`SECTIONS` (here, or at run
time with :func:`register_section`); no other section or the builder changes.
"""

from __future__ import annotations

from spikestats._validation import fail
from spikestats.exceptions import ValidationTypeError
from spikestats.report._section import Section
from spikestats.report.sections.bridge import Bridge
from spikestats.report.sections.changepoints import ChangePoints
from spikestats.report.sections.dispersion import Dispersion
from spikestats.report.sections.generators import GeneratedCells
from spikestats.report.sections.glm import HistoryModels
from spikestats.report.sections.intervals import Intervals
from spikestats.report.sections.kernel_rate import KernelRates
from spikestats.report.sections.overview import Overview
from spikestats.report.sections.rates import FiringRates
from spikestats.report.sections.truth import GroundTruth

__all__ = ["SECTIONS", "register_section", "Overview", "FiringRates", "Intervals", "Dispersion", "KernelRates",
           "ChangePoints", "HistoryModels", "Bridge", "GeneratedCells", "GroundTruth"]

#: The sections of a default report, in page order.
SECTIONS: list[Section] = [Overview(), FiringRates(), Intervals(), Dispersion(), KernelRates(), ChangePoints(),
                           HistoryModels(), Bridge(), GeneratedCells(), GroundTruth()]


def register_section(section: Section, *, before: str | None = None) -> None:
    """Add ``section`` to :data:`SECTIONS`, at the end or before the section named ``before``.

    Raises
    ------
    ValidationTypeError
        ``section`` is not a Section instance.
    ValidationError
        A section of that name is registered already, or ``before`` names none.
    """
    if not isinstance(section, Section):
        fail("section", "an instance of spikestats.report.Section", section, kind=ValidationTypeError)
    names = [s.name for s in SECTIONS]
    if section.name in names:
        fail("section", f"a section with a new name (registered: {names})", section, got=repr(section.name))
    if before is None:
        SECTIONS.append(section)
        return
    if before not in names:
        fail("before", f"the name of a registered section ({names})", before)
    SECTIONS.insert(names.index(before), section)
