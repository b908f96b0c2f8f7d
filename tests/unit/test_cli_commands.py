"""The `spikestats` subcommands beyond `report`: simulate, convert; help texts; one-line errors."""

from __future__ import annotations

import numpy as np
import pytest

import spikestats as ss
from spikestats.cli import COMMANDS, main


def _one_line_error(err: str) -> None:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "error:" in lines[0] and "Traceback" not in err, err


@pytest.mark.parametrize("command", [{"fit": "fit glm", "export": "export nir"}.get(c, c) for c in COMMANDS])
def test_every_command_help_lists_examples(command, capsys):
    assert main([*command.split(), "--help"]) == 0
    out = capsys.readouterr().out
    assert "examples:" in out and f"spikestats {command}" in out


def test_simulate_is_reproducible_from_the_seed_and_records_the_model(tmp_path, capsys):
    paths = [tmp_path / f"p{i}.nc" for i in range(2)]
    for path in paths:
        assert main(["simulate", "poisson", "--param", "rate=20", "-p", "dead_time=0.002", "-n", "4",
                     "--t-stop", "3", "--seed", "5", "-o", str(path)]) == 0
    a, b = (ss.io.read(p) for p in paths)
    assert a == b and a.n_trains == 4
    expected = ss.generators.PoissonProcess(rate=20.0, dead_time=0.002).simulate(
        n_trains=4, t_stop=3.0, rng=np.random.default_rng(5))
    assert np.array_equal(a.times, expected.times)
    assert a.metadata["simulation"]["parameters"] == {"rate": 20.0, "dead_time": 0.002}
    assert "wrote 4 trains" in capsys.readouterr().out


def test_simulate_neuron_models(tmp_path):
    out = tmp_path / "adex.npz"
    assert main(["simulate", "adex", "--preset", "tonic", "-n", "2", "--t-stop", "0.5", "--seed", "1",
                 "-o", str(out), "-q"]) == 0
    st = ss.io.read(out)
    assert st.n_trains == 2 and st.n_spikes > 0
    assert main(["simulate", "lif", "--current", "3e-10", "--t-stop", "0.5", "-o", str(tmp_path / "l.nc"),
                 "-q"]) == 0
    assert ss.io.read(tmp_path / "l.nc").n_spikes > 0


@pytest.mark.parametrize("argv, message", [
    (["simulate", "poison"], "Did you mean 'poisson'"),
    (["simulate", "poisson", "--param", "rat=3"], "unknown to PoissonProcess"),
    (["simulate", "poisson", "--param", "rate"], "NAME=VALUE"),
    (["simulate", "poisson", "--param", "rate=-1"], "rate"),
    (["simulate", "lif"], "--current` is required"),
    (["simulate", "gamma", "--param", "rate=5", "--param", "shape=2", "--current", "1e-10"], "neuron models"),
    (["simulate", "poisson", "--preset", "tonic", "--param", "rate=5"], "--preset` applies"),
])
def test_simulate_bad_input_is_one_line(tmp_path, capsys, argv, message):
    out = tmp_path / "x.nc"
    assert main([*argv, "-o", str(out)]) == 1
    err = capsys.readouterr().err
    _one_line_error(err)
    assert message in err
    assert not out.exists()


def test_simulate_does_not_replace_a_file_without_force(tmp_path, capsys):
    out = tmp_path / "x.nc"
    out.write_text("mine")
    assert main(["simulate", "poisson", "-p", "rate=5", "-o", str(out)]) == 1
    _one_line_error(capsys.readouterr().err)
    assert out.read_text() == "mine"
    assert main(["simulate", "poisson", "-p", "rate=5", "-o", str(out), "--force", "-q"]) == 0
    assert ss.io.read(out).n_trains == 1


def test_convert_round_trips_between_formats(tmp_path):
    st = ss.generators.GammaProcess(rate=8.0, shape=3.0).simulate(n_trains=3, t_stop=2.0, rng=2)
    ss.io.write(st, tmp_path / "a.nc")
    assert main(["convert", str(tmp_path / "a.nc"), "-o", str(tmp_path / "b.npz"), "-q"]) == 0
    assert main(["convert", str(tmp_path / "b.npz"), "-o", str(tmp_path / "c.nc"), "-q"]) == 0
    assert ss.io.read(tmp_path / "c.nc") == st


@pytest.mark.parametrize("content", [b"", b"not a netcdf file at all", b"\x89HDF\r\n\x1a\n truncated"])
def test_convert_corrupt_input_is_one_line(tmp_path, capsys, content):
    bad = tmp_path / "bad.nc"
    bad.write_bytes(content)
    assert main(["convert", str(bad), "-o", str(tmp_path / "out.npz")]) == 1
    _one_line_error(capsys.readouterr().err)
    assert not (tmp_path / "out.npz").exists()


def test_missing_path_and_group_without_subcommand(tmp_path, capsys):
    assert main(["convert", str(tmp_path / "nope.nc"), "-o", str(tmp_path / "o.nc")]) == 1
    _one_line_error(capsys.readouterr().err)
    assert main(["fit"]) == 2
    assert "glm" in capsys.readouterr().err
    assert main(["simulate", "poisson", "--bogus", "-o", str(tmp_path / "o.nc")]) == 2
    _one_line_error(capsys.readouterr().err)


def test_changepoints_find_the_example_rate_step(tmp_path, capsys):
    import json

    out = tmp_path / "cp.json"
    assert main(["changepoints", "-", "-o", str(out), "--unit", "rate_step", "--across-trials", "-q"]) == 0
    (entry,) = json.loads(out.read_text())["results"]
    truth = ss.datasets.unit_ground_truth(ss.datasets.load_example())["rate_step"]
    assert len(entry["change_times"]) == 1
    # the true step is at 6 s; 50 ms bins and 20 trials locate it within a bin or two
    assert abs(entry["change_times"][0] - 6.0) <= 0.1, (entry, truth)
    per_trial = tmp_path / "per_trial.json"
    assert main(["changepoints", "-o", str(per_trial), "--unit", "rate_step", "--unit", "poisson_3", "-q"]) == 0
    results = json.loads(per_trial.read_text())["results"]
    assert {r["unit"] for r in results} == {"rate_step", "poisson_3"} and len(results) == 40
    assert main(["changepoints", "-o", str(per_trial), "-q"]) == 1  # exists: --force needed
    _one_line_error(capsys.readouterr().err)
    assert main(["changepoints", "-o", str(tmp_path / "x.json"), "--unit", "nope"]) == 1
    assert "nope" in capsys.readouterr().err
    assert main(["changepoints", "-o", str(tmp_path / "y.json"), "--penalty", "-3"]) == 1
    _one_line_error(capsys.readouterr().err)
    assert not (tmp_path / "y.json").exists()


def test_export_nir_from_a_simulated_lif_and_a_network_file(tmp_path, capsys):
    import json

    trains = tmp_path / "lif.nc"
    assert main(["simulate", "lif", "--current", "3e-10", "-n", "3", "--t-stop", "0.5", "-o", str(trains),
                 "-q"]) == 0
    graph = tmp_path / "lif.nir"
    assert main(["export", "nir", str(trains), "-o", str(graph), "--dt", "0.001", "-q"]) == 0
    net = ss.bridge.from_nir(graph)
    model = ss.generators.LIF()
    assert net.n_neurons == 3 and np.allclose(net.tau_mem, model.tau_m) and np.allclose(net.i_bias, 3e-10)
    spec = tmp_path / "net.json"
    spec.write_text(json.dumps({"kind": "cuba_lif", "n_neurons": 2, "tau_mem": 0.02, "tau_syn": 0.005,
                                "weights": [[0.0, 0.5], [0.2, 0.0]]}))
    assert main(["export", "nir", str(spec), "-o", str(tmp_path / "net.nir"), "-q"]) == 0
    back = ss.bridge.from_nir(tmp_path / "net.nir")
    np.testing.assert_allclose(back.weights, [[0.0, 0.5], [0.2, 0.0]])
    # refusals: an existing file, a spike file without a LIF model, a broken JSON; none leaves a file behind
    assert main(["export", "nir", str(spec), "-o", str(tmp_path / "net.nir")]) == 1
    _one_line_error(capsys.readouterr().err)
    plain = tmp_path / "plain.nc"
    ss.io.write(ss.generators.PoissonProcess(rate=5.0).simulate(2, 1.0, rng=1), plain)
    assert main(["export", "nir", str(plain), "-o", str(tmp_path / "p.nir")]) == 1
    assert "LIF" in capsys.readouterr().err
    (tmp_path / "bad.json").write_text("{not json")
    assert main(["export", "nir", str(tmp_path / "bad.json"), "-o", str(tmp_path / "b.nir")]) == 1
    _one_line_error(capsys.readouterr().err)
    assert not (tmp_path / "p.nir").exists() and not (tmp_path / "b.nir").exists()
    assert not list(tmp_path.glob(".*.part"))


def test_fit_glm_then_export_nir(tmp_path, capsys):
    import csv
    import json

    out = tmp_path / "fits"
    argv = ["fit", "glm", "-o", str(out), "--unit", "glm_refractory", "--unit", "poisson_3", "--basis",
            "exponential", "--taus", "0.002,0.005,0.02", "--alpha", "1e-3", "--family", "bernoulli", "--seed", "1",
            "-q"]
    assert main(argv) == 0
    rows = {r["unit"]: r for r in csv.DictReader(open(out / "glm_summary.csv"))}
    # the refractory cell gains a lot over a constant rate; the Poisson cell gains about nothing
    assert float(rows["glm_refractory"]["delta_aic"]) > 100 and float(rows["glm_refractory"]["bits_per_spike"]) > 0.05
    assert float(rows["poisson_3"]["delta_aic"]) < 10 and float(rows["poisson_3"]["ks_pvalue"]) > 1e-3
    models = json.loads((out / "glm_models.json").read_text())["models"]
    example = ss.datasets.load_example().select(unit="glm_refractory")
    direct = ss.glm.HistoryGLM(history=ss.glm.ExponentialBasis(taus=(0.002, 0.005, 0.02)), bin_size=1e-3,
                               alpha=1e-3, family="bernoulli").fit(example)
    np.testing.assert_allclose(models[0]["coef"], direct.coef_, rtol=1e-10)
    assert main(argv) == 1  # the files exist: --force needed
    _one_line_error(capsys.readouterr().err)
    graph = tmp_path / "glm.nir"
    assert main(["export", "nir", str(out / "glm_models.json"), "-o", str(graph), "--unit", "glm_refractory",
                 "-q"]) == 0
    reference = ss.bridge.escape_from_nir(graph)
    assert "n_neurons=1," in repr(reference)
    # a raised-cosine fit has no NIR form: a clear refusal
    assert main(["fit", "glm", "-o", str(tmp_path / "rc"), "--unit", "poisson_3", "--alpha", "1e-3", "-q"]) == 0
    assert main(["export", "nir", str(tmp_path / "rc" / "glm_models.json"), "-o", str(tmp_path / "x.nir")]) == 1
    assert "exponential" in capsys.readouterr().err
