"""``spikestats fit glm PATH``: a history GLM per unit, with inference, model comparison and goodness of fit."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from spikestats.cli._common import EXIT_OK, Parser, add_command, chosen_units, progress, read_spiketrains, say
from spikestats.exceptions import ExistingFileError

SUMMARY_FILE, MODELS_FILE = "glm_summary.csv", "glm_models.json"

EXAMPLES = f"""\
  spikestats fit glm session.nc --out fits                      every unit, 1 ms bins, 8 raised cosines to 100 ms
  spikestats fit glm - --out fits --unit sine_rate --basis exponential --taus 0.002,0.01,0.05
  spikestats fit glm recording.nwb -o fits --alpha 1e-3 --family bernoulli --seed 1

PATH '-' (or omitted) fits the embedded example dataset. DIR receives {SUMMARY_FILE} (one row per
unit: coefficients' count, log-likelihood, AIC and BIC of the history GLM, the AIC of a constant
rate in the same family and bins and the difference, bits per spike, the time-rescaling KS
statistic and p-value) and {MODELS_FILE}
(the fitted parameters with their standard errors, readable by `spikestats export nir`)."""


def add_parser(commands: Any, common: argparse.ArgumentParser) -> None:
    """Register ``fit`` and its ``glm`` subcommand."""
    group = commands.add_parser("fit", help="fit models to spike trains (see `spikestats fit glm --help`)",
                                description="Fit models to spike trains.")
    group.set_defaults(handler=None, command_parser=group)
    kinds = group.add_subparsers(dest="model_kind", metavar="MODEL", parser_class=Parser)
    parser = add_command(
        kinds, "glm", common, help="history GLM per unit",
        description="Fit a history (refractory) GLM to each unit of a spike-train file, pooling its trials, "
                    "and compare it with a homogeneous Poisson model.", examples=EXAMPLES, handler=run)
    parser.add_argument("path", nargs="?", default="-", metavar="PATH",
                        help="spike-train file (any spikestats.io format); '-' or omitted: the example")
    parser.add_argument("-o", "--out", type=Path, required=True, metavar="DIR", help="output folder")
    parser.add_argument("--unit", action="append", metavar="LABEL", help="fit only this unit (repeatable)")
    parser.add_argument("--bin-size", type=float, default=1e-3, metavar="SECONDS", help="bin size (default 1 ms)")
    parser.add_argument("--basis", choices=("raised-cosine", "exponential"), default="raised-cosine",
                        help="history basis (default raised-cosine; exponential exports to NIR)")
    parser.add_argument("--n-basis", type=int, default=8, metavar="N", help="raised cosines (default 8)")
    parser.add_argument("--history", type=float, default=0.1, metavar="SECONDS",
                        help="history window of the raised cosines (default 0.1 s)")
    parser.add_argument("--taus", metavar="S,S,...", default="0.002,0.005,0.01,0.02,0.05",
                        help="time constants of the exponential basis (seconds, comma-separated)")
    parser.add_argument("--alpha", type=float, default=0.0, help="ridge penalty (default 0)")
    parser.add_argument("--family", choices=("poisson", "bernoulli"), default="poisson")
    parser.add_argument("--seed", type=int, metavar="N", help="seed of the discrete-time KS correction")
    parser.add_argument("--force", action="store_true", help=f"replace {SUMMARY_FILE} and {MODELS_FILE} in DIR")
    parser.set_defaults(command="fit glm")


def make_basis(args: argparse.Namespace) -> Any:
    """The history basis the options describe."""
    from spikestats import glm

    if args.basis == "exponential":
        taus = [float(t) for t in args.taus.split(",") if t.strip()]
        return glm.ExponentialBasis(taus)
    return glm.RaisedCosineBasis(n_basis=args.n_basis, t_max=args.history)


def run(args: argparse.Namespace) -> int:
    """``spikestats fit glm``."""
    import numpy as np

    from spikestats import glm

    st, source = read_spiketrains(None if args.path == "-" else Path(args.path))
    units = chosen_units(st, args.unit, source)
    args.out.mkdir(parents=True, exist_ok=True)
    targets = [args.out / SUMMARY_FILE, args.out / MODELS_FILE]
    if not args.force and any(t.exists() for t in targets):
        raise ExistingFileError(f"{args.out} already holds {SUMMARY_FILE} or {MODELS_FILE}; pass --force to "
                                "replace them (nothing else in the folder is touched).")
    rng = np.random.default_rng(args.seed)
    rows, models = [], []
    for unit in progress(args, units, desc="fitting", total=len(units)):
        trains = st.select(unit=unit)
        model = glm.HistoryGLM(history=make_basis(args), bin_size=args.bin_size, alpha=args.alpha,
                               family=args.family).fit(trains)
        ks = glm.time_rescaling_test(trains, model, rng=rng)
        rows.append({"unit": unit, "n_spikes": trains.n_spikes, "n_coef": len(model.coef_) + 1,
                     "log_likelihood": model.log_likelihood_, "aic": model.aic_, "bic": model.bic_,
                     "constant_aic": _constant_aic(model), "delta_aic": _constant_aic(model) - model.aic_,
                     "bits_per_spike": model.bits_per_spike(trains), "ks_statistic": ks.statistic,
                     "ks_pvalue": ks.pvalue})
        models.append({"unit": unit, "family": args.family, "bin_size": args.bin_size, "alpha": args.alpha,
                       "basis": _basis_spec(args), "intercept": model.intercept_,
                       "coef": np.asarray(model.coef_).tolist(), "stderr": np.asarray(model.stderr_).tolist()})
    _write_csv(targets[0], rows)
    targets[1].write_text(json.dumps({"source": source, "models": models}, indent=1, default=_plain))
    say(args, f"fitted {len(rows)} unit{'' if len(rows) == 1 else 's'} from {source}; wrote {targets[0]} "
              f"and {targets[1]}")
    return EXIT_OK


def _constant_aic(model: Any) -> float:
    """AIC of the constant-rate model on the same bins and family (its one parameter: the intercept)."""
    return 2.0 - 2.0 * float(model.null_log_likelihood_)


def _basis_spec(args: argparse.Namespace) -> dict[str, Any]:
    if args.basis == "exponential":
        return {"kind": "exponential", "taus": [float(t) for t in args.taus.split(",") if t.strip()]}
    return {"kind": "raised-cosine", "n_basis": args.n_basis, "t_max": args.history}


def _write_csv(path: Path, rows: list[dict[str, Any]]) -> None:
    import csv

    with open(path, "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]) if rows else ["unit"])
        writer.writeheader()
        writer.writerows(rows)


def _plain(value: Any) -> Any:
    import numpy as np

    return value.item() if isinstance(value, np.generic) else str(value)
