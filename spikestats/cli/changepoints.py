"""``spikestats changepoints PATH``: change points of each unit, or shared by the population."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from spikestats.cli._common import EXIT_OK, add_command, chosen_units, parse_params, progress, read_spiketrains, say

EXAMPLES = """\
  spikestats changepoints session.nc -o changes.json                 Poisson PELT per unit, BIC penalty, 50 ms bins
  spikestats changepoints - -o changes.json --unit rate_step         one unit of the embedded example
  spikestats changepoints rec.nwb -o shared.json --population --bin-size 0.1
  spikestats changepoints rec.nc -o cp.json --method binseg --penalty 25

  spikestats changepoints - -o steps.json --unit rate_step --across-trials

PATH '-' (or omitted) reads the embedded example. Trials of a unit are analysed one after another
(each trial is its own series) unless --across-trials looks for changes shared by all of them. The JSON file lists, per unit (or for the population) and trial,
the change times in seconds with their intervals and the rate of each segment in Hz."""


def add_parser(commands: Any, common: argparse.ArgumentParser) -> None:
    """Register ``changepoints``."""
    parser = add_command(commands, "changepoints", common, help="detect changes in firing rate",
                         description="Detect change points in each unit's firing (or changes shared across "
                                     "the units with --population) with spikestats.changepoint.detect.",
                         examples=EXAMPLES, handler=run)
    parser.add_argument("path", nargs="?", default="-", metavar="PATH",
                        help="spike-train file (any spikestats.io format); '-' or omitted: the example")
    parser.add_argument("-o", "--out", type=Path, required=True, metavar="FILE", help="output JSON file")
    parser.add_argument("--force", action="store_true", help="replace FILE if it exists")
    parser.add_argument("--unit", action="append", metavar="LABEL", help="analyse only this unit (repeatable)")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--population", action="store_true", help="look for changes shared across the units")
    mode.add_argument("--across-trials", action="store_true",
                      help="per unit, look for changes shared by all its trials (task-locked changes)")
    parser.add_argument("--method", default="pelt", help="search: pelt, binseg, ... (default pelt)")
    parser.add_argument("--cost", default="poisson", help="cost model (default poisson)")
    parser.add_argument("--penalty", default="bic", help="penalty: bic, mbic or a number (default bic)")
    parser.add_argument("--bin-size", type=float, default=0.05, metavar="SECONDS", help="bin size (default 50 ms)")
    parser.add_argument("-p", "--param", action="append", metavar="NAME=VALUE",
                        help="another keyword of spikestats.changepoint.detect (repeatable)")


def run(args: argparse.Namespace) -> int:
    """``spikestats changepoints``."""
    from spikestats import changepoint
    from spikestats.exceptions import ExistingFileError

    if args.out.exists() and not args.force:
        raise ExistingFileError(f"{args.out} exists; pass --force to replace it.")
    st, source = read_spiketrains(None if args.path == "-" else Path(args.path))
    penalty: Any = args.penalty
    try:
        penalty = float(penalty)
    except ValueError:
        pass
    units = chosen_units(st, args.unit, source)
    options = dict(method=args.method, cost=args.cost, penalty=penalty, bin_size=args.bin_size,
                   **parse_params(args.param))
    trials = list(dict.fromkeys(st.trial.tolist()))
    groups = [("population", units)] if args.population else [(u, [u]) for u in units]
    entries = []
    for label, members in progress(args, groups, desc="detecting", total=len(groups)):
        if args.across_trials:  # the unit's trials form the "population" whose changes are shared
            result = changepoint.detect(st.select(unit=members), **options)
            entries.append(_entry(label, "all", result, None))
            continue
        for trial in trials:
            trains = st.select(unit=members, trial=trial)
            if trains.n_trains == 0:
                continue
            result = changepoint.detect(trains, **options)
            entries.append(_entry(label, trial, result, members if args.population else None))
    record = {"source": source, "options": {k: v for k, v in options.items()}, "results": entries}
    tmp = args.out.with_name(args.out.name + ".part")
    tmp.write_text(json.dumps(record, indent=1, default=_plain))
    tmp.replace(args.out)
    n = sum(len(e["change_times"]) for e in entries)
    say(args, f"found {n} change point{'' if n == 1 else 's'} in {len(entries)} series of {source}; wrote {args.out}")
    return EXIT_OK


def _entry(label: Any, trial: Any, result: Any, members: list[Any] | None) -> dict[str, Any]:
    import numpy as np

    intervals = getattr(result, "intervals", None)
    entry = {"unit": label, "trial": trial, "change_times": np.asarray(result.change_times).tolist(),
             "intervals": None if intervals is None else np.asarray(intervals).tolist(),
             "rates": np.asarray(result.rates).tolist()}
    changed = getattr(result, "units_changed", None)
    if members is not None and changed is not None:
        entry["units"] = members
        entry["units_changed"] = [np.asarray(c).tolist() for c in changed]
    return entry


def _plain(value: Any) -> Any:
    import numpy as np

    return value.item() if isinstance(value, np.generic) else str(value)
