"""What every ``spikestats`` subcommand shares: exit codes, one-line messages, the parser class, options."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from spikestats.exceptions import SpikestatsError, ValidationError

PROG = "spikestats"
EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
T = TypeVar("T")


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose usage errors are one line on stderr (exit code 2)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see `{self.prog} --help`)\n")


def common_options() -> argparse.ArgumentParser:
    """The options every subcommand takes: ``--quiet``, ``--debug``."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("-q", "--quiet", action="store_true", help="print nothing but errors; no progress bars")
    common.add_argument("--debug", action="store_true", help="show tracebacks and debug logging")
    return common


def add_command(commands: Any, name: str, common: argparse.ArgumentParser, *, help: str, description: str,
                examples: str, handler: Any) -> argparse.ArgumentParser:
    """Add subcommand ``name`` with its help text and examples; ``handler(args)`` runs it."""
    parser = commands.add_parser(name, parents=[common], help=help, description=description,
                                 epilog="examples:\n" + examples,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.set_defaults(handler=handler, command_parser=parser)
    return parser


def add_seed(parser: argparse.ArgumentParser) -> None:
    """``--seed N``: the seed of every random draw of the command (default: fresh entropy)."""
    parser.add_argument("--seed", type=int, metavar="N",
                        help="seed of the random number generator (default: fresh entropy; give one to reproduce)")


def add_out_file(parser: argparse.ArgumentParser, what: str) -> None:
    """``-o/--out FILE`` (required) and ``--force`` to replace an existing file."""
    parser.add_argument("-o", "--out", type=Path, required=True, metavar="FILE",
                        help=f"{what}; the extension chooses the format")
    parser.add_argument("--force", action="store_true", help="replace FILE if it exists")


def parse_params(items: Iterable[str] | None) -> dict[str, float | str]:
    """``NAME=VALUE`` pairs into a dict; values become floats where they read as numbers."""
    out: dict[str, float | str] = {}
    for item in items or ():
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise ValidationError(f"`--param` must be NAME=VALUE; got {item!r}.")
        try:
            out[name.strip().replace("-", "_")] = float(value)
        except ValueError:
            out[name.strip().replace("-", "_")] = value.strip()
    return out


def say(args: argparse.Namespace, text: str, file: Any = None) -> None:
    """Print a line prefixed with the command (on stdout unless ``file`` is given) unless ``--quiet``."""
    if not args.quiet:
        print(f"{PROG} {args.command}: {text}", file=file)


def progress(args: argparse.Namespace, items: Iterable[T], *, desc: str, total: int | None = None) -> Iterator[T]:
    """``items`` with a tqdm bar on stderr when it is a terminal and ``--quiet`` is off."""
    if args.quiet or not sys.stderr.isatty():
        yield from items
        return
    from tqdm import tqdm

    yield from tqdm(items, desc=f"{PROG} {args.command}: {desc}", total=total, leave=False, file=sys.stderr)


def one_line(error: BaseException | str) -> str:
    """An error as one line: its message, with the exception type when it is not one of ours."""
    text = " ".join(str(error).split())
    if isinstance(error, (str, SpikestatsError, OSError)):
        return text
    return f"{type(error).__name__}: {text} (rerun with --debug for the traceback)"


def read_spiketrains(path: Path | None) -> tuple[Any, str]:
    """The trains in ``path`` (any format of :mod:`spikestats.io`), or the example dataset when None."""
    if path is None:
        from spikestats.datasets import load_example

        return load_example(), "the embedded example dataset"
    from spikestats.io import read

    return read(path), str(path)


def chosen_units(st: Any, wanted: list[str] | None, source: str) -> list[Any]:
    """The unit labels of ``st`` named by ``--unit`` options (all units, in order, when none is given)."""
    units = list(dict.fromkeys(st.unit.tolist()))
    if not wanted:
        return units
    labels = {str(u): u for u in units}
    missing = [u for u in wanted if u not in labels]
    if missing:
        raise ValidationError(f"`--unit` names units not in {source}: {', '.join(missing)}; "
                              f"it has: {', '.join(labels)}.")
    return [labels[u] for u in wanted]
