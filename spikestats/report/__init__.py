"""The ``spikestats report`` HTML report, built from a list of plug-in sections.

:func:`write_report` runs every section of :data:`SECTIONS` on a
:class:`~spikestats.SpikeTrains` and writes, into one folder,
``report.html`` (summary table per unit, one part per section, parameters and
versions, ground truth beside estimates when the data carry it), the
sections' PNG figures beside it, and ``results.nc`` (per-train results in
the root group, per-unit results in group ``units``; see
:mod:`spikestats.xarray.results`).

A section is a :class:`Section` subclass: ``compute(ctx)`` returns a
:class:`SectionResult` of per-train and per-unit :class:`Quantity` arrays;
``columns``, ``figures`` and ``html`` present them. Add one with
:func:`register_section`.

Examples
--------
>>> import spikestats as ss
>>> from spikestats.report import write_report, ReportParams
>>> report = write_report(ss.datasets.load_example(), "report_out",
...                       params=ReportParams(fano_window=0.5))    # doctest: +SKIP
>>> report.html                                                    # doctest: +SKIP
PosixPath('report_out/report.html')
"""

from spikestats.report._build import HTML_FILE, RESULTS_FILE, Report, write_report
from spikestats.report._params import ReportParams
from spikestats.report._section import Column, Context, FigureSpec, Quantity, Section, SectionResult
from spikestats.report.sections import SECTIONS, register_section

__all__ = ["write_report", "Report", "ReportParams", "Section", "SectionResult", "Quantity", "Column",
           "FigureSpec", "Context", "SECTIONS", "register_section", "HTML_FILE", "RESULTS_FILE"]
