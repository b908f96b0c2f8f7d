"""``spikestats export nir MODEL_FILE``: a model as a NIR graph for neuromorphic tools."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from spikestats.cli._common import EXIT_OK, Parser, add_command, say
from spikestats.exceptions import ExistingFileError, FileFormatError, ValidationError

EXAMPLES = """\
  spikestats fit glm rec.nc -o fits --basis exponential --taus 0.002,0.01,0.05
  spikestats export nir fits/glm_models.json -o glm.nir              every fitted unit, uncoupled
  spikestats export nir fits/glm_models.json -o unit3.nir --unit 3
  spikestats simulate lif --current 3e-10 -n 4 -o lif.nc && spikestats export nir lif.nc -o lif.nir --dt 0.001
  spikestats export nir network.json -o net.nir                      {"kind": "cuba_lif", "n_neurons": 3, ...}

MODEL_FILE is one of: the glm_models.json written by `spikestats fit glm` (history filters in an
exponential basis: each basis function becomes a synaptic trace); a spike-train file written by
`spikestats simulate lif` (the LIF generator it recorded, --current as bias); or a JSON network
{"kind": "lif" | "cuba_lif", "n_neurons": N, "tau_mem": ..., "weights": [[...]], ...} with the
fields of spikestats.bridge.network_from_arrays (SI units). What NIR cannot say (time step, link,
escape noise, refractory period, reset) goes under the "spikestats" metadata key, which other tools
ignore."""


def add_parser(commands: Any, common: argparse.ArgumentParser) -> None:
    """Register ``export`` and its ``nir`` subcommand."""
    group = commands.add_parser("export", help="export a model (see `spikestats export nir --help`)",
                                description="Export models to other tools.")
    group.set_defaults(handler=None, command_parser=group)
    kinds = group.add_subparsers(dest="format_kind", metavar="FORMAT", parser_class=Parser)
    parser = add_command(kinds, "nir", common, help="a model as a NIR graph (HDF5)",
                         description="Write a fitted GLM, a LIF generator or a network as a NIR graph.",
                         examples=EXAMPLES, handler=run)
    parser.add_argument("model_file", type=Path, metavar="MODEL_FILE", help="model to export (see below)")
    parser.add_argument("-o", "--out", type=Path, required=True, metavar="FILE", help="NIR file to write (.nir)")
    parser.add_argument("--force", action="store_true", help="replace FILE if it exists")
    parser.add_argument("--unit", action="append", metavar="LABEL", help="GLM models: export only these units")
    parser.add_argument("--dt", type=float, metavar="SECONDS",
                        help="networks: time step whose discretisation is recorded in the graph")
    parser.add_argument("--method", choices=("euler", "exact"), default="euler",
                        help="networks: discretisation recorded with --dt (euler as Lava, exact as SpiNNaker)")
    parser.set_defaults(command="export nir")


def run(args: argparse.Namespace) -> int:
    """``spikestats export nir``."""
    from spikestats import bridge

    if args.out.exists() and not args.force:
        raise ExistingFileError(f"{args.out} exists; pass --force to replace it.")
    if not args.model_file.is_file():
        from spikestats.exceptions import MissingFileError

        raise MissingFileError(f"MODEL_FILE {str(args.model_file)!r} does not exist.", args.model_file)
    graph, what = _graph(args, bridge)
    tmp = args.out.with_name(f".{args.out.name}.part")
    try:
        bridge.write_nir(graph, tmp)
        tmp.replace(args.out)
    finally:
        tmp.unlink(missing_ok=True)
    say(args, f"wrote {what} to {args.out}")
    return EXIT_OK


def _graph(args: argparse.Namespace, bridge: Any) -> tuple[Any, str]:
    """The NIR graph of MODEL_FILE and a description of it."""
    options = {} if args.dt is None else {"dt": args.dt, "method": args.method}
    if args.model_file.suffix.lower() == ".json":
        try:
            spec = json.loads(args.model_file.read_text())
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise FileFormatError(f"MODEL_FILE {str(args.model_file)!r} is not valid JSON ({exc}).") from None
        if isinstance(spec, dict) and "models" in spec:
            return _glm_graph(spec, args, bridge)
        if isinstance(spec, dict) and "kind" in spec:
            fields = {k: v for k, v in spec.items() if k not in ("kind", "n_neurons")}
            network = bridge.network_from_arrays(spec["kind"], spec.get("n_neurons", 1), **fields)
            return bridge.to_nir(network, **options), f"a {spec['kind']} network of {network.n_neurons} neurons"
        raise FileFormatError(f"MODEL_FILE {str(args.model_file)!r} must hold the glm_models.json of `spikestats "
                              "fit glm` or a network with a \"kind\" field.")
    from spikestats.io import read

    st = read(args.model_file)
    sim = st.metadata.get("simulation") or {}
    if sim.get("model") != "lif":
        raise ValidationError(f"MODEL_FILE {str(args.model_file)!r} holds spike trains without a recorded LIF "
                              "model (write one with `spikestats simulate lif`).")
    from spikestats.generators import LIF

    params = {k: v for k, v in sim["parameters"].items()}
    model = LIF(**params)
    current = float(sim.get("current") or 0.0)
    graph = bridge.to_nir(model, n_neurons=st.n_trains, i_bias=current, **options)
    return graph, f"{st.n_trains} LIF neurons (bias {current:g} A)"


def _glm_graph(spec: dict, args: argparse.Namespace, bridge: Any) -> tuple[Any, str]:
    """GLM parameters of the chosen units of a glm_models.json, uncoupled, as one graph."""
    import numpy as np

    models = spec["models"]
    if args.unit:
        chosen = [m for m in models if str(m["unit"]) in set(args.unit)]
        missing = sorted(set(args.unit) - {str(m["unit"]) for m in chosen})
        if missing:
            raise ValidationError(f"`--unit` names units not in {args.model_file}: {', '.join(missing)}; it has: "
                                  f"{', '.join(str(m['unit']) for m in models)}.")
        models = chosen
    if not models:
        raise ValidationError(f"{args.model_file} holds no fitted model.")
    kinds = {m["basis"]["kind"] for m in models}
    if kinds != {"exponential"}:
        raise ValidationError("NIR export needs history filters in an exponential basis (each basis function "
                              "is a synaptic trace); refit with `spikestats fit glm --basis exponential`.")
    taus = np.asarray(models[0]["basis"]["taus"], dtype=float)
    if any(not np.array_equal(np.asarray(m["basis"]["taus"], dtype=float), taus) for m in models):
        raise ValidationError("every unit must use the same exponential time constants.")
    n = len(models)
    weights = np.zeros((n, n, taus.size))
    for i, m in enumerate(models):
        weights[i, i] = np.asarray(m["coef"], dtype=float)
    params = {"bias": np.array([float(m["intercept"]) for m in models]), "taus": taus, "weights": weights,
              "dt": float(models[0]["bin_size"]), "units": [m["unit"] for m in models],
              "family": models[0].get("family", "poisson")}
    return bridge.glm_graph(params), f"the history GLMs of {n} unit{'' if n == 1 else 's'}"
