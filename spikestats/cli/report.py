"""``spikestats report [PATH]``: the HTML report of a spike-train file or of the embedded example."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from spikestats.cli._common import EXIT_OK, add_command, one_line, read_spiketrains, say

#: Default output folder of ``spikestats report``.
DEFAULT_OUT = "report_out"

EXAMPLES = f"""\
  spikestats report                          the embedded example dataset, into ./{DEFAULT_OUT}
  spikestats report session.nc --out rep     a file spikestats.io.read understands (.nc, .npz, ...)
  spikestats report trains.npz -o rep --fano-window 0.5 --quiet

Only the report's own files (report.html, results.nc, *.png it draws) are
created or replaced in DIR; nothing else there is touched."""


def add_parser(commands: Any, common: argparse.ArgumentParser) -> None:
    """Register ``report``."""
    parser = add_command(
        commands, "report", common, help="write an HTML report of a spike-train file",
        description="Read a spike-train file and write report.html, PNG figures (raster, firing-rate and "
                    "ISI histograms, ...) and results.nc (per-train and per-unit results) into DIR.",
        examples=EXAMPLES, handler=run)
    parser.add_argument("path", nargs="?", type=Path, metavar="PATH",
                        help="file to read with spikestats.io.read; omitted: the embedded example dataset")
    parser.add_argument("-o", "--out", type=Path, default=Path(DEFAULT_OUT), metavar="DIR",
                        help=f"output folder, created if needed (default: ./{DEFAULT_OUT})")
    parser.add_argument("--fano-window", type=float, metavar="SECONDS",
                        help="window of the per-train Fano factor (default: 1 s, or a tenth of the shortest train)")
    parser.add_argument("--isi-bins", type=int, metavar="N", help="bins of the ISI histogram (default: 50)")
    parser.add_argument("--dpi", type=int, metavar="N", help="resolution of the figures (default: 100)")


def run(args: argparse.Namespace) -> int:
    """``spikestats report``."""
    from spikestats.report import ReportParams, write_report

    options = {"fano_window": args.fano_window, "isi_bins": args.isi_bins, "dpi": args.dpi}
    params = ReportParams(**{k: v for k, v in options.items() if v is not None})
    st, source = read_spiketrains(args.path)
    n_units = len(set(st.unit.tolist()))
    say(args, f"read {st.n_trains} trains ({n_units} unit{'' if n_units == 1 else 's'}, {st.n_spikes} spikes) "
              f"from {source}")
    report = write_report(st, args.out, params=params, source=source, input_path=args.path)
    for name, reason in report.skipped:
        say(args, f"warning: section '{name}' skipped: {one_line(reason)}", file=__import__("sys").stderr)
    say(args, f"wrote {report.html} with {len(report.figures)} figures and {report.results.name}")
    return EXIT_OK
