"""``write_report``: run the sections on the data and write the page, figures and results."""

from __future__ import annotations

import datetime
import logging
import os
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from spikestats._validation import fail
from spikestats.core.spiketrains import SpikeTrains
from spikestats.exceptions import SpikestatsError, ValidationError, ValidationTypeError
from spikestats.report import _output, _page
from spikestats.report._params import ReportParams
from spikestats.report._section import Context, Quantity, Section, SectionResult

logger = logging.getLogger("spikestats.report")

#: Names of the files every report writes (figures come from the sections).
HTML_FILE = "report.html"
RESULTS_FILE = "results.nc"


@dataclass(frozen=True)
class Report:
    """What :func:`write_report` wrote.

    Attributes
    ----------
    html : pathlib.Path
        The page.
    results : pathlib.Path
        The netCDF results (per-train root group, per-unit group ``units``).
    figures : tuple of pathlib.Path
        The PNG figures, in page order.
    sections : tuple of str
        Names of the sections on the page.
    skipped : tuple of (str, str)
        ``(section name, reason)`` for sections these data did not suit.
    """

    html: Path
    results: Path
    figures: tuple[Path, ...]
    sections: tuple[str, ...]
    skipped: tuple[tuple[str, str], ...]


def write_report(st: SpikeTrains, out_dir: str | os.PathLike, *, params: ReportParams | None = None,
                 sections: Sequence[Section] | None = None, source: str = "SpikeTrains",
                 input_path: str | os.PathLike | None = None) -> Report:
    """Compute every section on ``st`` and write ``report.html``, its PNG figures and ``results.nc``.

    Parameters
    ----------
    st : SpikeTrains
        The data.
    out_dir : str or os.PathLike
        Output folder, created if needed. Only the report's own files are
        created or replaced there (listed in ``.spikestats-report.json``);
        nothing is deleted.
    params : ReportParams, optional
        Settings (default ``ReportParams()``).
    sections : sequence of Section, optional
        Sections in page order (default :data:`spikestats.report.SECTIONS`).
    source : str
        Where the data come from, for the page (a path, "the example dataset").
    input_path : str or os.PathLike, optional
        The file ``st`` was read from; the report refuses to overwrite it.

    Returns
    -------
    Report
        The paths written and the sections included or skipped.

    Raises
    ------
    ValidationError
        ``out_dir`` is a file, holds a file named like a report file that an
        earlier report did not write, or a report file would replace
        ``input_path``.

    Notes
    -----
    A section whose computation raises a
    :class:`~spikestats.exceptions.SpikestatsError` for these data is left
    out and listed in ``Report.skipped`` (and on the page); warnings raised
    while computing become notes of the section.
    """
    from spikestats.report.sections import SECTIONS

    if not isinstance(st, SpikeTrains):
        fail("st", "a SpikeTrains", st, kind=ValidationTypeError)
    if st.n_trains == 0:
        fail("st", "at least one train", st)
    params = ReportParams() if params is None else params
    if not isinstance(params, ReportParams):
        fail("params", "a ReportParams", params, kind=ValidationTypeError)
    ctx = Context(st, params)
    parts, skipped = [], []
    for section in SECTIONS if sections is None else sections:
        if not section.applies(ctx):
            continue
        try:
            result = _compute(section, ctx)
        except SpikestatsError as exc:
            logger.info("section %r skipped: %s", section.name, exc)
            skipped.append((section.name, str(exc)))
            continue
        parts.append(_page.Part(section, result, section.columns(ctx, result), section.figures(ctx, result),
                                section.html(ctx, result)))
    folder = _output.output_folder(out_dir)
    figures = [f for p in parts for f in p.figures]
    names = [HTML_FILE, RESULTS_FILE, *(f.filename for f in figures)]
    if len(set(names)) != len(names):
        raise ValidationError(f"`sections` must ask for distinct file names; got {names}.")
    _output.refuse_input([folder / n for n in names], input_path)
    _output.claim(folder, names)

    created = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
    for spec in figures:
        _output.render_figure(spec, folder / spec.filename, params.dpi)
        logger.info("wrote %s", folder / spec.filename)
    _output.write_file(folder / RESULTS_FILE, lambda tmp: _write_results(ctx, parts, tmp, source, created))
    html = _page.render(ctx, parts, source=source, created=created, files=names[1:], skipped=skipped)
    _output.write_text(folder / HTML_FILE, html)
    logger.info("wrote %s", folder / HTML_FILE)
    return Report(folder / HTML_FILE, folder / RESULTS_FILE, tuple(folder / f.filename for f in figures),
                  tuple(p.section.name for p in parts), tuple(skipped))


def _compute(section: Section, ctx: Context) -> SectionResult:
    """``section.compute(ctx)`` with the warnings it raises turned into notes."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = section.compute(ctx)
    for w in caught:
        text = str(w.message)
        if text not in result.notes:
            result.notes.append(text)
    return result


def _collect(parts: Sequence[_page.Part], kind: str) -> dict[str, tuple]:
    """Every section's ``per_train`` or ``per_unit`` quantities as netCDF variables; names must be unique."""
    out: dict[str, tuple] = {}
    for part in parts:
        quantities: dict[str, Quantity] = getattr(part.result, kind)
        for name, quantity in quantities.items():
            if name in out:
                raise ValidationError(f"section '{part.section.name}' must name its {kind} results uniquely; "
                                      f"got {name!r}, which another section uses.")
            out[name] = quantity.as_variable()
    return out


def _write_results(ctx: Context, parts: Sequence[_page.Part], path: Path, source: str, created: str) -> None:
    """Write the per-train and per-unit results of ``parts`` to the netCDF file ``path``."""
    from spikestats.xarray.results import per_train_dataset, per_unit_dataset, write_results

    versions = _page.versions()
    attrs = {"title": "spikestats report results", "source": source, "created": created,
             "spikestats_version": versions["spikestats"], "numpy_version": versions["numpy"],
             "parameters": ctx.params.resolved(float(ctx.st.duration.min())).as_dict(),
             "sections": [p.section.name for p in parts]}
    truth = ctx.st.metadata.get("ground_truth")
    if truth is not None:
        attrs["ground_truth"] = truth
    write_results(path, per_train_dataset(ctx.st, _collect(parts, "per_train"), attrs=attrs),
                  per_unit_dataset(ctx.st, _collect(parts, "per_unit"), attrs=attrs))
