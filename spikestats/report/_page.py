"""Assembling the report page from the sections' parts."""

from __future__ import annotations

import importlib.metadata
import platform
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

import spikestats
from spikestats.report import _html
from spikestats.report._section import Column, Context, FigureSpec, Section, SectionResult

#: Distributions whose versions the page and the results file record.
VERSIONED = ("numpy", "scipy", "numba", "xarray", "netCDF4", "matplotlib")


@dataclass
class Part:
    """One section as it appears on the page."""

    section: Section
    result: SectionResult
    columns: list[Column] = field(default_factory=list)
    figures: list[FigureSpec] = field(default_factory=list)
    fragment: str = ""


def versions() -> dict[str, str]:
    """Versions of spikestats, Python and the libraries it used."""
    out = {"spikestats": spikestats.__version__, "python": platform.python_version(), "numpy": np.__version__}
    for name in VERSIONED[1:]:
        try:
            out[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def summary_table(ctx: Context, parts: Sequence[Part]) -> str:
    """The per-unit table: one row per unit, the columns of every section in page order."""
    columns = [c for p in parts for c in p.columns]
    headers = ["unit", *(c.title for c in columns)]
    classes = ["", *("truth" if c.truth else "" for c in columns)]
    rows = [[str(u), *(_html.fmt(c.values[k], c.fmt) for c in columns)] for k, u in enumerate(ctx.units)]
    return _html.table(headers, rows, header_classes=classes)


def section_html(part: Part) -> str:
    """A section's heading, introduction, fragment, figures and notes."""
    body = [_html.paragraph(part.section.intro), part.fragment,
            *(_html.figure(f.filename, f.caption) for f in part.figures), _html.notes(part.result.notes)]
    return _html.section(part.section.name, part.section.title, "\n".join(b for b in body if b))


def provenance_html(ctx: Context, files: Sequence[str], skipped: Sequence[tuple[str, str]]) -> str:
    """Parameters, versions, the files written and how to read the results."""
    usage = ("import xarray as xr\n"
             "per_train = xr.open_dataset(\"results.nc\")                 # dimension train\n"
             "per_unit = xr.open_dataset(\"results.nc\", group=\"units\")   # dimension unit")
    parts = ["<h3>Parameters</h3>", _html.key_values(ctx.params.describe(float(ctx.st.duration.min()))),
             "<h3>Versions</h3>", _html.key_values(versions().items()),
             "<h3>Files</h3>", _html.paragraph("Written beside this page: " + ", ".join(files) + "."),
             f"<pre><code>{_html.esc(usage)}</code></pre>"]
    if skipped:
        parts.append(_html.notes([f"Section '{name}' skipped: {reason}" for name, reason in skipped]))
    return _html.section("provenance", "Parameters and versions", "\n".join(parts))


def render(ctx: Context, parts: Sequence[Part], *, source: str, created: str, files: Sequence[str],
           skipped: Sequence[tuple[str, str]]) -> str:
    """The whole HTML page."""
    summary = _html.section("summary", "Summary per unit", "\n".join([
        _html.paragraph(f"{ctx.n_units} unit(s), {ctx.st.n_trains} train(s). "
                        + ("Columns in green and italics are ground truth." if ctx.truth else "")),
        summary_table(ctx, parts)]))
    nav = [("summary", "Summary"), *((p.section.name, p.section.title) for p in parts),
           ("provenance", "Parameters and versions")]
    return _html.page("spikestats report", f"{source} \u00b7 generated {created} with spikestats "
                      f"{spikestats.__version__}", nav,
                      [summary, *(section_html(p) for p in parts), provenance_html(ctx, files, skipped)])
