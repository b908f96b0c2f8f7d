"""The ``spikestats`` command.

``spikestats report [PATH] [--out DIR]`` reads a spike-train file (or the
embedded example dataset), computes the report's statistics and writes
``report.html``, PNG figures and ``results.nc`` into ``DIR``.

Errors print one line on stderr (``--debug`` shows the traceback) and give a
non-zero exit code: 2 for a wrong command line, 1 for anything else,
130 when interrupted.
"""

from __future__ import annotations

import argparse
import logging
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path

from spikestats import __version__
from spikestats.exceptions import SpikestatsError

PROG = "spikestats"
#: Default output folder of ``spikestats report``.
DEFAULT_OUT = "report_out"
EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130

_REPORT_EXAMPLES = f"""\
examples:
  spikestats report                          the embedded example dataset, into ./{DEFAULT_OUT}
  spikestats report session.nc --out rep     a file written by spikestats.io.write (.nc or .npz)
  spikestats report trains.npz -o rep --fano-window 0.5 --quiet

Only the report's own files (report.html, results.nc, *.png it draws) are
created or replaced in DIR; nothing else there is touched."""


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose usage errors are one line on stderr (exit code 2)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see `{self.prog} --help`)\n")


def build_parser() -> argparse.ArgumentParser:
    """The parser of the ``spikestats`` command and its subcommands."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("-q", "--quiet", action="store_true", help="print nothing but errors")
    common.add_argument("--debug", action="store_true", help="show tracebacks and debug logging")

    parser = _Parser(prog=PROG, description="Statistics of spike trains as point processes.",
                     epilog="Run `spikestats COMMAND --help` for a command's options.")
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    report = commands.add_parser(
        "report", parents=[common], help="write an HTML report of a spike-train file",
        description="Read a spike-train file and write report.html, PNG figures (raster, firing-rate and "
                    "ISI histograms) and results.nc (per-train and per-unit results) into DIR.",
        epilog=_REPORT_EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    report.add_argument("path", nargs="?", type=Path, metavar="PATH",
                        help="file to read with spikestats.io.read (.nc, .npz); omitted: the embedded example "
                             "dataset")
    report.add_argument("-o", "--out", type=Path, default=Path(DEFAULT_OUT), metavar="DIR",
                        help=f"output folder, created if needed (default: ./{DEFAULT_OUT})")
    report.add_argument("--fano-window", type=float, metavar="SECONDS",
                        help="window of the per-train Fano factor (default: 1 s, or a tenth of the shortest "
                             "train)")
    report.add_argument("--isi-bins", type=int, metavar="N", help="bins of the ISI histogram (default: 50)")
    report.add_argument("--dpi", type=int, metavar="N", help="resolution of the figures (default: 100)")
    report.set_defaults(handler=_report, command_parser=report)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``spikestats`` command with ``argv`` (default ``sys.argv[1:]``); return the exit code."""
    parser = build_parser()
    try:
        args, extras = parser.parse_known_args(argv)
        if extras:  # reported by the subcommand's parser, so the hint names its --help
            getattr(args, "command_parser", parser).error(f"unrecognized arguments: {' '.join(extras)}")
    except SystemExit as exc:  # --help, --version and usage errors
        return exc.code if isinstance(exc.code, int) else EXIT_OK
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    if args.debug:
        logging.basicConfig(level=logging.DEBUG, format="%(name)s: %(message)s")
    try:
        with warnings.catch_warnings():
            warnings.showwarning = _one_line_warning(args)
            return args.handler(args)
    except KeyboardInterrupt:
        print(f"{PROG} {args.command}: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as exc:
        if args.debug:
            raise
        print(f"{PROG} {args.command}: error: {_one_line(exc)}", file=sys.stderr)
        return EXIT_ERROR


def _report(args: argparse.Namespace) -> int:
    """``spikestats report``."""
    from spikestats.report import ReportParams, write_report

    options = {"fano_window": args.fano_window, "isi_bins": args.isi_bins, "dpi": args.dpi}
    params = ReportParams(**{k: v for k, v in options.items() if v is not None})
    if args.path is None:
        from spikestats.datasets import load_example

        st, source = load_example(), "the embedded example dataset"
    else:
        from spikestats.io import read

        st, source = read(args.path), str(args.path)
    n_units = len(set(st.unit.tolist()))
    _say(args, f"read {st.n_trains} trains ({n_units} unit{'' if n_units == 1 else 's'}, {st.n_spikes} spikes) "
               f"from {source}")
    report = write_report(st, args.out, params=params, source=source, input_path=args.path)
    for name, reason in report.skipped:
        _say(args, f"warning: section '{name}' skipped: {_one_line(reason)}", file=sys.stderr)
    _say(args, f"wrote {report.html} with {len(report.figures)} figures and {report.results.name}")
    return EXIT_OK


def _say(args: argparse.Namespace, text: str, file=None) -> None:
    """Print a line prefixed with the command (on stdout unless ``file`` is given) unless ``--quiet``."""
    if not args.quiet:
        print(f"{PROG} {args.command}: {text}", file=file)


def _one_line(error: BaseException | str) -> str:
    """An error as one line: its message, with the exception type when it is not one of ours."""
    text = " ".join(str(error).split())
    if isinstance(error, (str, SpikestatsError, OSError)):
        return text
    return f"{type(error).__name__}: {text} (rerun with --debug for the traceback)"


def _one_line_warning(args: argparse.Namespace):
    """A ``warnings.showwarning`` replacement: one line on stderr, nothing with ``--quiet``."""
    def show(message, category, filename, lineno, file=None, line=None) -> None:
        _say(args, f"warning: {_one_line(str(message))}", file=sys.stderr)

    return show


if __name__ == "__main__":
    sys.exit(main())
