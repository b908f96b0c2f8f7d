"""The ``spikestats`` command.

=================  ==========================================================
``report``         HTML report of a spike-train file or the embedded example
``simulate``       spike trains from a generator model, written to a file
``convert``        a spike-train file from one format to another
``fit glm``        history GLMs per unit, with inference and goodness of fit
``changepoints``   change points per unit or shared by a population
``export nir``     a model as a NIR graph for neuromorphic tools
=================  ==========================================================

Errors print one line on stderr (``--debug`` shows the traceback) and give a
non-zero exit code: 2 for a wrong command line, 1 for anything else,
130 when interrupted. ``--quiet`` prints nothing but errors; progress bars
show only on a terminal.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
import warnings
from collections.abc import Sequence

from spikestats import __version__
from spikestats.cli._common import (EXIT_ERROR, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, PROG, Parser,
                                    common_options, one_line, say)
from spikestats.cli.report import DEFAULT_OUT

__all__ = ["main", "build_parser", "PROG", "DEFAULT_OUT", "EXIT_OK", "EXIT_ERROR", "EXIT_USAGE", "EXIT_INTERRUPTED"]

#: Subcommand modules, in ``--help`` order; each has ``add_parser(commands, common)``.
COMMANDS = ("report", "simulate", "convert", "fit", "changepoints", "export")


def build_parser() -> argparse.ArgumentParser:
    """The parser of the ``spikestats`` command and its subcommands."""
    common = common_options()
    parser = Parser(prog=PROG, description="Statistics of spike trains as point processes.",
                    epilog="Run `spikestats COMMAND --help` for a command's options and examples.")
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    for name in COMMANDS:
        importlib.import_module(f"spikestats.cli.{name}").add_parser(commands, common)
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
    if getattr(args, "handler", None) is None:  # a command group (`fit`, `export`) without its subcommand
        args.command_parser.print_help(sys.stderr)
        return EXIT_USAGE
    logging.basicConfig(level=logging.DEBUG if args.debug else logging.WARNING, format="%(name)s: %(message)s")
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
        print(f"{PROG} {args.command}: error: {one_line(exc)}", file=sys.stderr)
        return EXIT_ERROR


def _one_line_warning(args: argparse.Namespace):
    """A ``warnings.showwarning`` replacement: one line on stderr, nothing with ``--quiet``."""
    def show(message, category, filename, lineno, file=None, line=None) -> None:
        say(args, f"warning: {one_line(str(message))}", file=sys.stderr)

    return show


if __name__ == "__main__":
    sys.exit(main())
