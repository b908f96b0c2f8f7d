"""``spikestats convert IN -o OUT``: a spike-train file from one format of :mod:`spikestats.io` to another."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from spikestats.cli._common import EXIT_OK, add_command, add_out_file, say

EXAMPLES = """\
  spikestats convert session.nwb -o session.nc        NWB units table to netCDF
  spikestats convert trains.nc -o trains.npz --force  replace an existing file

The extensions choose the formats (see `spikestats.io.FORMATS`); the output is
written atomically, so a failed conversion leaves no partial file."""


def add_parser(commands: Any, common: argparse.ArgumentParser) -> None:
    """Register ``convert``."""
    parser = add_command(commands, "convert", common, help="convert a spike-train file to another format",
                         description="Read IN with spikestats.io.read and write it to FILE with spikestats.io.write.",
                         examples=EXAMPLES, handler=run)
    parser.add_argument("path", type=Path, metavar="IN", help="file to read")
    add_out_file(parser, "output file")


def run(args: argparse.Namespace) -> int:
    """``spikestats convert``."""
    from spikestats.io import read, write

    st = read(args.path)
    write(st, args.out, overwrite=args.force)
    say(args, f"converted {st.n_trains} trains ({st.n_spikes} spikes) from {args.path} to {args.out}")
    return EXIT_OK
