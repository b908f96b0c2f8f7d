"""write_report: files, results.nc contents, HTML parts, plug-in sections and safe writing."""

from __future__ import annotations

import json

import numpy as np
import pytest
import xarray as xr

import spikestats as ss
from spikestats.exceptions import ValidationError, ValidationTypeError
from spikestats.report import (
    SECTIONS, Column, FigureSpec, Quantity, ReportParams, Section, SectionResult, register_section, write_report,
)
from spikestats.xarray.results import read_results

FIGURES = ("raster.png", "rates.png", "isi.png", "fano_windows.png", "fano_time.png", "psth.png", "kernel_rate.png",
           "changepoints_raster.png", "changepoints_rates.png", "glm_history.png", "glm_ks.png", "bridge.png", "generated_rates.png")


@pytest.fixture(scope="module")
def example() -> ss.SpikeTrains:
    return ss.datasets.load_example()


@pytest.fixture(scope="module")
def report(example, tmp_path_factory):
    return write_report(example, tmp_path_factory.mktemp("report"), source="the example")


@pytest.fixture(scope="module")
def page(report) -> str:
    return report.html.read_text(encoding="utf-8")


@pytest.fixture
def small() -> ss.SpikeTrains:
    return ss.generators.PoissonProcess(rate=15.0).simulate(n_trains=4, t_stop=2.0, rng=3)


def test_writes_page_figures_and_results(report):
    folder = report.html.parent
    assert report.html.name == "report.html" and report.results.name == "results.nc"
    assert [f.name for f in report.figures] == list(FIGURES)
    for name in ("report.html", "results.nc", *FIGURES):
        assert (folder / name).stat().st_size > 0
    for name in FIGURES:
        assert (folder / name).read_bytes()[:4] == b"\x89PNG"
    assert report.sections == ("overview", "rates", "intervals", "dispersion", "kernel_rate", "changepoints",
                               "glm", "bridge", "generators", "truth")
    assert report.skipped == ()
    assert not list(folder.glob(".*.tmp*"))


def test_results_hold_the_per_train_statistics(report, example):
    with xr.open_dataset(report.results) as ds:
        assert ds.sizes["train"] == example.n_trains
        assert ds.unit.values.tolist() == example.unit.tolist()
        assert np.array_equal(ds.trial.values, example.trial)
        assert np.array_equal(ds.firing_rate.values, ss.stats.firing_rate(example))
        assert ds.firing_rate.attrs["units"] == "Hz"
        assert np.array_equal(ds.spike_count.values, example.counts)
        assert np.array_equal(ds.cv.values, ss.stats.cv(example), equal_nan=True)
        assert np.array_equal(ds.fano_windowed.values, ss.stats.fano_factor(example, window=1.0), equal_nan=True)
        assert json.loads(ds.attrs["parameters"])["fano_window"] == 1.0
        assert ds.attrs["spikestats_version"] == ss.__version__
        assert json.loads(ds.attrs["ground_truth"]) == example.metadata["ground_truth"]


def test_results_hold_the_per_unit_statistics(report, example):
    _, per_unit = read_results(report.results)
    units = np.unique(example.unit)
    assert per_unit.unit.values.tolist() == units.tolist()
    for k, unit in enumerate(units):
        trains = example.select(unit=unit)
        assert per_unit.fano_across_trials.values[k] == pytest.approx(ss.stats.fano_factor(trains), rel=1e-12)
        assert per_unit.firing_rate.values[k] == pytest.approx(trains.n_spikes / trains.duration.sum(), rel=1e-12)
        assert per_unit.min_isi.values[k] == ss.stats.isi(trains).values.min()
        assert per_unit.n_trains.values[k] == 20


def test_page_has_every_part(page):
    for title in ("Summary per unit", "Data", "Firing rates", "Inter-spike intervals", "Spike-count variability",
                  "Ground truth", "Parameters and versions"):
        assert f">{title}</h2>" in page
    for name in FIGURES:
        assert f'<img src="{name}"' in page
    assert f"<td class=\"text\">{np.__version__}</td>" in page
    assert f"<td class=\"text\">{ss.__version__}</td>" in page
    assert "1 (automatic)" in page


def test_page_shows_truth_beside_estimates(page, example):
    summary = page[page.index('id="summary"'):page.index('id="overview"')]
    assert '<th class="truth">true rate (Hz)</th>' in summary
    row = summary[summary.index("<td>poisson_8</td>"):]
    row = row[:row.index("</tr>")]
    rate = ss.stats.firing_rate(example.select(unit="poisson_8")).mean()
    assert f"{rate:.2f} \u00b1" in row and '<td class="truth">40.00</td>' in row


def test_page_escapes_text_from_the_data(tmp_path):
    st = ss.SpikeTrains.from_list([[0.1, 0.2, 0.5], [0.3, 0.6, 0.7]], t_stop=1.0, unit=["<b>x</b>", "y"],
                                  metadata={"title": "<script>alert(1)</script>"})
    page = write_report(st, tmp_path).html.read_text()
    assert "<script>alert" not in page and "&lt;script&gt;" in page
    assert "<b>x</b>" not in page and "&lt;b&gt;x&lt;/b&gt;" in page


def test_no_truth_section_without_ground_truth(tmp_path):
    st = ss.SpikeTrains.from_list([[0.1, 0.2, 0.5], [0.3, 0.6, 0.7]], t_stop=1.0)
    report = write_report(st, tmp_path)
    assert "truth" not in report.sections
    assert 'class="truth"' not in report.html.read_text()


def test_warnings_become_notes(tmp_path):
    st = ss.SpikeTrains.from_list([[0.5], [0.1, 0.4, 0.8, 0.9]], t_stop=1.0, unit=[0, 1])
    report = write_report(st, tmp_path)            # CV of a one-spike train warns; pytest turns warnings into errors
    page = report.html.read_text()
    assert "too few intervals" in page
    assert "fewer than two trials" in page          # no across-trial Fano with one trial per unit


class _Counts(Section):
    name = "counts_squared"
    title = "Squared counts"
    intro = "A plug-in section."

    def compute(self, ctx):
        return SectionResult(per_train={"count_squared": Quantity(ctx.st.counts ** 2, "1", "count squared")})

    def columns(self, ctx, result):
        return [Column("count² (sum)", ctx.unit_sum(result.per_train["count_squared"].values), "{:.0f}")]

    def figures(self, ctx, result):
        return [FigureSpec("squares.png", "Squares.", lambda ax: ax.plot(result.per_train["count_squared"].values))]

    def html(self, ctx, result):
        return "<p>extra fragment</p>"


class _Unsuitable(Section):
    name = "unsuitable"
    title = "Never shown"

    def compute(self, ctx):
        raise ValidationError("`st` must be something else; got these data.")


def test_plug_in_sections(small, tmp_path):
    report = write_report(small, tmp_path, sections=[*SECTIONS[:2], _Counts(), _Unsuitable()])
    assert report.sections == ("overview", "rates", "counts_squared")
    assert report.skipped == (("unsuitable", "`st` must be something else; got these data."),)
    page = report.html.read_text()
    assert ">Squared counts</h2>" in page and "<p>extra fragment</p>" in page and 'src="squares.png"' in page
    assert "count² (sum)" in page and "Section &#x27;unsuitable&#x27; skipped" in page
    with xr.open_dataset(report.results) as ds:
        assert np.array_equal(ds.count_squared.values, small.counts ** 2)


def test_register_section():
    n = len(SECTIONS)
    try:
        register_section(_Counts(), before="rates")
        assert [s.name for s in SECTIONS[:3]] == ["overview", "counts_squared", "rates"]
        with pytest.raises(ValidationError, match="new name"):
            register_section(_Counts())
    finally:
        SECTIONS[:] = [s for s in SECTIONS if s.name != "counts_squared"]
    assert len(SECTIONS) == n
    with pytest.raises(ValidationTypeError):
        register_section(object())
    with pytest.raises(ValidationError, match="before"):
        register_section(_Counts(), before="nope")


def test_clashing_result_names_are_refused(small, tmp_path):
    class Twice(_Counts):
        name = "twice"

        def figures(self, ctx, result):
            return []

    with pytest.raises(ValidationError, match="count_squared"):
        write_report(small, tmp_path, sections=[_Counts(), Twice()])


def test_user_files_in_the_folder_are_kept(small, tmp_path):
    mine = tmp_path / "notes.txt"
    mine.write_text("keep me")
    write_report(small, tmp_path)
    report = write_report(small, tmp_path)         # the report's own files are replaced
    assert mine.read_text() == "keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [".spikestats-report.json", "notes.txt", "report.html", "results.nc", *(f.name for f in report.figures)])


def test_a_foreign_file_with_a_report_name_is_not_replaced(small, tmp_path):
    theirs = tmp_path / "results.nc"
    theirs.write_bytes(b"the user's own results")
    with pytest.raises(ValidationError, match="did not write"):
        write_report(small, tmp_path)
    assert theirs.read_bytes() == b"the user's own results"
    assert not (tmp_path / "report.html").exists()


def test_the_input_file_is_never_replaced(small, tmp_path):
    write_report(small, tmp_path)                  # results.nc is now the report's
    data = tmp_path / "results.nc"
    ss.io.write(small, data)                       # ... and then the user stores data under that name
    before = data.read_bytes()
    with pytest.raises(ValidationError, match="is the input"):
        write_report(ss.io.read(data), tmp_path, input_path=data)
    assert data.read_bytes() == before


def test_bad_arguments(small, tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(ValidationError, match="a file"):
        write_report(small, tmp_path / "file")
    with pytest.raises(ValidationTypeError):
        write_report([0.1, 0.2], tmp_path)
    with pytest.raises(ValidationError, match="at least one train"):
        write_report(small[0:0], tmp_path)
    with pytest.raises(ValidationTypeError):
        write_report(small, tmp_path, params={"fano_window": 1.0})


def test_report_params():
    assert ReportParams().fano_window_for(10.0) == 1.0
    assert ReportParams().fano_window_for(2.0) == pytest.approx(0.2)
    assert ReportParams(fano_window=0.5).fano_window_for(2.0) == 0.5
    assert ReportParams().resolved(2.0).fano_window == pytest.approx(0.2)
    with pytest.raises(ValidationError, match="fano_window"):
        ReportParams(fano_window=0.0)
    with pytest.raises(ValidationError, match="isi_bins"):
        ReportParams(isi_bins=0)


def test_generated_cells_are_checked_against_their_models():
    from spikestats.report._params import ReportParams
    from spikestats.report._section import Context
    from spikestats.report.sections.generators import GeneratedCells

    st = ss.datasets.load_example()
    ctx = Context(st, ReportParams())
    result = GeneratedCells().compute(ctx)
    p = dict(zip(ctx.units, result.per_unit["isi_ks_pvalue"].values))
    poisson = [u for u in ctx.units if u.startswith("poisson_")]
    # the Poisson cells follow their ISI law: 8 KS tests, none rejected at 1e-3 (a false alarm has chance 0.8 %)
    assert all(np.isfinite(p[u]) and p[u] > 1e-3 for u in poisson)
    assert all(np.isnan(p[u]) for u in ("adex_adapting", "glm_refractory", "sine_rate", "rate_step"))
    remap = sorted(f"remap_{kind}_{i}" for kind in ("off", "on") for i in range(1, 7))
    assert sorted(ctx.units[k] for k in result.data["curves"]) == ["rate_step", *remap, "sine_rate"]
