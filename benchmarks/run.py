"""Time spikestats against Elephant in one process; print a table and write JSON.

Run from the repository root::

    python -m benchmarks.run            # default sizes, a few minutes on 2 cores
    python -m benchmarks.run --quick    # fewer repeats, for CI
    python -m benchmarks.run --help

Each case gets one warm-up call per library (Numba compilation, or loading it
from the on-disk cache, shows up there), then ``--repeats`` samples; a sample
times enough back-to-back calls to last ``--min-time`` seconds. Reported:
median and interquartile range per call, and ratio = Elephant median /
spikestats median. The exit status is 0 even when a ratio target is missed
(the table says MISSED); it is 1 only if the two libraries disagree on a case's
output, since the timing would then compare different work.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.cases import CASES, COMBINED, Case, Combined, load_elephant

HERE = Path(__file__).resolve().parent
DEFAULT_JSON = HERE / "results" / "latest.json"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options (sizes, repeats, output)."""
    names = [c.name for c in CASES] + [c.name for c in COMBINED]
    p = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.split("\n\n")[0])
    p.add_argument("--quick", action="store_true", help="3 repeats, shorter samples, no slow info cases (CI)")
    p.add_argument("--repeats", type=int, default=None, help="samples per library and case (default 7, quick 3)")
    p.add_argument("--min-time", type=float, default=None,
                   help="seconds each sample should last at least (default 0.1, quick 0.02)")
    p.add_argument("--cases", nargs="+", choices=names, default=None, metavar="CASE",
                   help=f"cases to run, among {names} (default: all; with --quick, all but the slow info cases)")
    sizes = (("--rate", float, 20.0, "firing rate of every case, Hz"),
             ("--dead-time", float, 0.002, "dead time of the poisson-dead-time case, s"),
             ("--gen-trains", int, 1000, "trains per generation call"),
             ("--gen-t-stop", float, 100.0, "length of generated trains, s"),
             ("--stats-trains", int, 10_000, "trains given to Fano factor and CV"),
             ("--stats-t-stop", float, 10.0, "length of those trains, s"),
             ("--seed", int, 0, "seed of every random draw"))
    for flag, kind, default, text in sizes:
        p.add_argument(flag, type=kind, default=default, help=f"{text} (default: %(default)s)")
    p.add_argument("--no-peers", action="store_true", help="time spikestats only (as if Elephant were missing)")
    p.add_argument("--json", type=Path, default=DEFAULT_JSON,
                   help="where to write the results (default: benchmarks/results/latest.json)")
    a = p.parse_args(argv)
    a.repeats = a.repeats if a.repeats is not None else (3 if a.quick else 7)
    a.min_time = a.min_time if a.min_time is not None else (0.02 if a.quick else 0.1)
    if a.repeats < 1 or a.min_time < 0:
        p.error("--repeats must be >= 1 and --min-time >= 0")
    return a


# ------------------------------------------------------------------ timing
def warm_up(fn: Callable[[], Any]) -> tuple[float, Any]:
    """Time one call and return (seconds, its output)."""
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def sample(fn: Callable[[], Any], repeats: int, min_time: float) -> tuple[list[float], int]:
    """Per-call seconds of ``repeats`` samples, and the number of calls per sample.

    One calibration call sets the number of calls per sample so that a sample
    lasts ``min_time``; when one call is long enough, it is the first sample.
    The garbage collector is off while timing, as in :mod:`timeit`.
    """
    gc.collect()
    enabled = gc.isenabled()
    gc.disable()
    try:
        first, _ = warm_up(fn)
        number = 1 if first >= min_time else int(np.ceil(min_time / max(first, 1e-9)))
        samples = [first] if number == 1 else []
        while len(samples) < repeats:
            t0 = time.perf_counter()
            for _ in range(number):
                fn()
            samples.append((time.perf_counter() - t0) / number)
    finally:
        if enabled:
            gc.enable()
    return samples, number


def summary(samples: list[float], warmup: float, number: int) -> dict:
    """Median, quartiles and IQR (seconds per call) of ``samples``."""
    q1, med, q3 = np.percentile(samples, [25, 50, 75])
    return {"median": float(med), "q1": float(q1), "q3": float(q3), "iqr": float(q3 - q1),
            "warmup": float(warmup), "calls_per_sample": int(number), "samples": [float(s) for s in samples]}


def status(target: float | None, ratio: float | None) -> str:
    """``ok``, ``MISSED (>= target)``, ``info`` (no target) or ``skipped`` (no peer)."""
    if target is None:
        return "info"
    if ratio is None:
        return "skipped"
    return "ok" if ratio >= target else f"MISSED (>= {target:g})"


def run_case(case: Case, args: argparse.Namespace, el: Any) -> dict:
    """Build, warm up, check agreement, then time both libraries."""
    pair = case.build(args, el)
    print(f"  {case.name}: {pair.size} ...", end="", flush=True)
    w_ours, out_ours = warm_up(pair.ours)
    row: dict = {"name": case.name, "size": pair.size, "target": case.target, "peer": None, "ratio": None}
    if pair.peer is not None:
        w_peer, out_peer = warm_up(pair.peer)
        if pair.check is not None:
            try:
                pair.check(out_ours, out_peer)
            except AssertionError as exc:
                raise AssertionError(f"case {case.name!r}: spikestats and Elephant disagree: {exc}") from None
            row["agreement_checked"] = True
        del out_peer
    del out_ours
    row["spikestats"] = _timed(pair.ours, w_ours, args)
    if pair.peer is not None:
        row["peer"] = _timed(pair.peer, w_peer, args)
        row["ratio"] = row["peer"]["median"] / row["spikestats"]["median"]
    row["status"] = status(case.target, row["ratio"])
    print(" done", flush=True)
    return row


def _timed(fn: Callable[[], Any], warmup: float, args: argparse.Namespace) -> dict:
    """Sample ``fn`` as ``args`` asks and summarise, with its warm-up time."""
    samples, number = sample(fn, args.repeats, args.min_time)
    return summary(samples, warmup, number)


def combine(spec: Combined, rows: dict[str, dict]) -> dict | None:
    """Row of ``spec`` from the repeat-wise sums of its parts' per-call times."""
    if not all(p in rows for p in spec.parts):
        return None
    parts = [rows[p] for p in spec.parts]
    row: dict = {"name": spec.name, "size": " + ".join(spec.parts) + " (repeat-wise sums)",
                 "target": spec.target, "peer": None, "ratio": None}
    for lib in ("spikestats", "peer"):
        if any(r[lib] is None for r in parts):
            continue
        samples = np.sum([r[lib]["samples"] for r in parts], axis=0).tolist()
        row[lib] = summary(samples, sum(r[lib]["warmup"] for r in parts), 1)
    if row["peer"] is not None:
        row["ratio"] = row["peer"]["median"] / row["spikestats"]["median"]
    row["status"] = status(spec.target, row["ratio"])
    return row


# ------------------------------------------------------------------ report
def machine_info(elephant_version: str | None) -> dict:
    """CPU count, load, interpreter and library versions, commit."""
    import numba
    import scipy

    import spikestats

    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=HERE, capture_output=True, text=True,
                                timeout=10).stdout.strip() or None
    except (OSError, subprocess.SubprocessError):
        commit = None
    return {
        "cpu_count": os.cpu_count(),
        "cpus_usable": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "load_average": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "python": sys.version.split()[0],
        "numpy": np.__version__,
        "numba": numba.__version__,
        "scipy": scipy.__version__,
        "elephant": elephant_version,
        "spikestats": spikestats.__version__,
        "git_commit": commit,
    }


def fmt_time(seconds: float | None) -> str:
    """Seconds in a readable unit."""
    if seconds is None:
        return "-"
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("us", 1e-6)):
        if seconds >= scale:
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds * 1e9:.3g} ns"


def table(rows: list[dict]) -> str:
    """The results as an aligned text table."""
    head = ("case", "size", "spikestats", "IQR", "warm-up", "peer", "IQR", "ratio", "status")
    lines = [head]
    for r in rows:
        ours, peer = r["spikestats"], r["peer"]
        lines.append((r["name"], r["size"], fmt_time(ours["median"]), fmt_time(ours["iqr"]), fmt_time(ours["warmup"]),
                      fmt_time(peer and peer["median"]), fmt_time(peer and peer["iqr"]),
                      "-" if r["ratio"] is None else f"{r['ratio']:.3g}", r["status"]))
    widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
    left = (0, 1, len(head) - 1)
    out = ["  ".join(c.ljust(w) if i in left else c.rjust(w) for i, (c, w) in enumerate(zip(line, widths))).rstrip()
           for line in lines]
    out.insert(1, "-" * len(out[0]))
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    """Run the selected cases; print the table; write the JSON file."""
    args = parse_args(argv)
    el, el_version = (None, "not used (--no-peers)") if args.no_peers else load_elephant()
    info = machine_info(el_version if el is not None else None)
    print(f"spikestats {info['spikestats']} ({info['git_commit']}), numpy {info['numpy']}, numba {info['numba']}, "
          f"python {info['python']}, {info['cpus_usable']}/{info['cpu_count']} CPUs, "
          f"load {', '.join(f'{x:.2f}' for x in info['load_average'] or [])}")
    if el is None:
        print(f"Elephant peer columns skipped: {el_version}")
    else:
        print(f"Elephant {el_version}")
    print(f"{args.repeats} samples of >= {args.min_time:g} s per library and case, after one warm-up call")

    wanted = args.cases or [c.name for c in CASES if c.quick or not args.quick] + [c.name for c in COMBINED]
    needed = set(wanted) | {p for c in COMBINED if c.name in wanted for p in c.parts}
    rows: dict[str, dict] = {}
    try:
        for case in CASES:
            if case.name in needed:
                rows[case.name] = run_case(case, args, el)
    except AssertionError as exc:
        print(f"\nERROR: {exc}", file=sys.stderr)
        return 1
    for spec in COMBINED:
        if spec.name in wanted and (row := combine(spec, rows)) is not None:
            rows[spec.name] = row
    shown = list(rows.values())

    print()
    print(table(shown))
    print("\nratio = peer median / spikestats median (the peer each case's module names: Elephant, NEST, statsmodels, "
          "scikit-learn, skchange, ruptures, pynapple); times per call; warm-up = first spikestats call")
    for r in shown:
        if r["status"].startswith("MISSED"):
            print(f"MISSED: {r['name']} ratio {r['ratio']:.3g} < target {r['target']:g}")

    info["load_average_end"] = list(os.getloadavg()) if hasattr(os, "getloadavg") else None
    settings = {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()}
    result = {"created": datetime.now(timezone.utc).isoformat(timespec="seconds"), "machine": info,
              "settings": settings, "results": shown}
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, indent=2) + "\n")
    print(f"\nwrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
