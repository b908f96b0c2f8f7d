"""``spikestats simulate MODEL``: spike trains from a generator, written to a file."""

from __future__ import annotations

import argparse
import dataclasses
from typing import Any

from spikestats._validation import check_option
from spikestats.cli._common import EXIT_OK, add_command, add_out_file, add_seed, parse_params, say
from spikestats.exceptions import ValidationError

#: MODEL name -> (generator class name, kind): "process" simulates n trains, "neuron" n neurons under a current
MODELS = {
    "poisson": ("PoissonProcess", "process"),
    "gamma": ("GammaProcess", "process"),
    "inverse-gaussian": ("InverseGaussianProcess", "process"),
    "lognormal": ("LogNormalProcess", "process"),
    "hawkes": ("HawkesProcess", "process"),
    "lif": ("LIF", "neuron"),
    "adex": ("AdEx", "neuron"),
    "izhikevich": ("Izhikevich", "neuron"),
    "hodgkin-huxley": ("HodgkinHuxley", "neuron"),
}

EXAMPLES = """\
  spikestats simulate poisson --param rate=20 --param dead_time=0.002 -n 50 --t-stop 10 --seed 1 -o poisson.nc
  spikestats simulate gamma --param rate=10 --param shape=4 -n 20 -o gamma.npz
  spikestats simulate hawkes --param baseline=5 --param alpha=0.5 --param beta=20 --t-stop 60 -o hawkes.nc
  spikestats simulate adex --preset adapting --t-stop 1 -n 5 --seed 3 -o adex.nc   (the preset's own current)
  spikestats simulate lif --param sigma=0.002 --current 2.5e-10 --t-stop 2 -n 10 -o lif.nc

Parameters are the generator's fields in SI units (seconds, Hz, volts, amperes); see
`help(spikestats.generators.<Class>)`. The file's metadata records the model, its
parameters and the seed."""


def add_parser(commands: Any, common: argparse.ArgumentParser) -> None:
    """Register ``simulate``."""
    parser = add_command(
        commands, "simulate", common, help="simulate spike trains from a generator model",
        description="Simulate spike trains from one of spikestats' generators and write them to FILE "
                    f"(any format of spikestats.io). MODEL is one of: {', '.join(MODELS)}.",
        examples=EXAMPLES, handler=run)
    parser.add_argument("model", metavar="MODEL", help="generator to sample from")
    parser.add_argument("-p", "--param", action="append", metavar="NAME=VALUE",
                        help="a parameter of the model (repeat for several)")
    parser.add_argument("--preset", metavar="NAME", help="a named parameter set (adex, izhikevich)")
    parser.add_argument("-n", "--n", type=int, default=1, metavar="N",
                        help="number of trains (point processes), trials (hawkes) or neurons (default: 1)")
    parser.add_argument("--t-stop", type=float, default=10.0, metavar="SECONDS", help="duration (default: 10 s)")
    parser.add_argument("--current", type=float, metavar="AMPERES",
                        help="constant input current of a neuron model (adex presets have their own)")
    parser.add_argument("--dt", type=float, metavar="SECONDS", help="time step of a neuron model")
    add_seed(parser)
    add_out_file(parser, "output file")


def build_model(name: str, params: dict[str, Any], preset: str | None) -> tuple[Any, str]:
    """The generator object named ``name`` with ``params`` (and ``preset``), and its kind."""
    import spikestats.generators as gen

    name = check_option("MODEL", name, tuple(MODELS))
    class_name, kind = MODELS[name]
    cls = getattr(gen, class_name)
    fields = {f.name for f in dataclasses.fields(cls)}
    unknown = sorted(set(params) - fields)
    if unknown:
        raise ValidationError(f"`--param` names unknown to {class_name}: {', '.join(unknown)}; "
                              f"it has: {', '.join(sorted(fields))}.")
    if preset is not None:
        if not hasattr(cls, "preset"):
            raise ValidationError(f"`--preset` applies to adex and izhikevich; {name} has none.")
        return cls.preset(preset, **params), kind
    return cls(**params), kind


def run(args: argparse.Namespace) -> int:
    """``spikestats simulate``."""
    import numpy as np

    from spikestats.io import write

    model, kind = build_model(args.model, parse_params(args.param), args.preset)
    rng = np.random.default_rng(args.seed)
    current = None
    if kind == "process":
        if args.current is not None or args.dt is not None:
            raise ValidationError(f"`--current` and `--dt` apply to neuron models; {args.model} is a point process.")
        count = "n_trials" if args.model == "hawkes" else "n_trains"
        st = model.simulate(**{count: args.n}, t_stop=args.t_stop, rng=rng)
    else:
        current = args.current
        if current is None:
            if args.preset is None or not hasattr(type(model), "preset_current"):
                raise ValidationError(f"`--current` is required for {args.model} (amperes, e.g. --current 2.5e-10).")
            current = type(model).preset_current(args.preset)
        extra = {} if args.dt is None else {"dt": args.dt}
        st = model.simulate(current, args.t_stop, n_neurons=args.n, rng=rng, **extra)
    record = {"model": args.model, "parameters": {k: _plain(v) for k, v in dataclasses.asdict(model).items()},
              "preset": args.preset, "seed": args.seed, "current": current, "t_stop": args.t_stop}
    st = st.with_metadata(simulation=record)
    write(st, args.out, overwrite=args.force)
    say(args, f"wrote {st.n_trains} trains ({st.n_spikes} spikes) of {args.model} to {args.out}")
    return EXIT_OK


def _plain(value: Any) -> Any:
    """A JSON-friendly copy of a generator field (arrays become lists)."""
    import numpy as np

    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    return value
