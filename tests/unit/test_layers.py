"""The layer rules of docs/ARCHITECTURE.md, checked by reading every module's imports."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import spikestats

PACKAGE = Path(spikestats.__file__).resolve().parent

#: layer of each top-level part of the package (docs/ARCHITECTURE.md)
LAYERS = {
    "_config": 0, "exceptions": 0, "typing": 0, "units": 0, "_kernels": 0,
    "_validation": 1,
    "core": 2,
    "generators": 3, "stats": 3, "glm": 3, "changepoint": 3,
    "datasets": 4, "xarray": 4, "io": 4, "bridge": 4, "plotting": 4, "parallel": 4, "testing": 4,
    "report": 5, "cli": 5, "__init__": 5,
}
#: L3 siblings may not import each other (what they share lives lower down)
SIBLINGS = {"generators", "stats", "glm", "changepoint"}
#: deliberate upward imports, each inside one function (docs/ARCHITECTURE.md, "Exceptions")
UPWARD = {("core/spiketrains.py", "spikestats.xarray.schema"),
          ("generators/_neuron.py", "spikestats.xarray.traces"),
          ("generators/lif.py", "spikestats.xarray.traces"),  # traces of the conductance-based LIF
          ("changepoint/results.py", "spikestats.plotting.changepoint"),
          *{(f"glm/{m}.py", "spikestats.plotting.glm") for m in ("bases", "goodness_of_fit", "history")}}  # .plot()
#: third-party modules allowed only in the named parts
RESTRICTED = {"numba": {"_kernels"}, "xarray": {"xarray", "io", "parallel"}, "matplotlib": {"plotting"}}


def _part(path: Path) -> str:
    rel = path.relative_to(PACKAGE)
    return rel.parts[0].removesuffix(".py")


def _imports(path: Path) -> list[tuple[str, int]]:
    tree = ast.parse(path.read_text(), filename=str(path))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.append((node.module, node.lineno))
            out += [(f"{node.module}.{alias.name}", node.lineno) for alias in node.names
                    if node.module == "spikestats"]
    return out


MODULES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_follow_the_layers(path):
    part = _part(path)
    assert part in LAYERS, f"{part} has no layer: add it to LAYERS and docs/ARCHITECTURE.md"
    for name, line in _imports(path):
        top = name.split(".")[0]
        if top in RESTRICTED:
            assert part in RESTRICTED[top], f"{path.name}:{line} imports {top}, allowed only in {RESTRICTED[top]}"
        if top != "spikestats" or name == "spikestats":
            continue
        target = name.split(".")[1]
        if target not in LAYERS or target == part:
            continue
        if (str(path.relative_to(PACKAGE)), name) in UPWARD:
            continue
        assert LAYERS[target] <= LAYERS[part], f"{path.name}:{line} imports {name} from a higher layer"
        if part in SIBLINGS:
            assert target not in SIBLINGS, f"{path.name}:{line}: L3 siblings do not import each other ({name})"


def test_import_is_cheap_and_loads_no_heavy_modules():
    code = ("import sys, time; t = time.perf_counter(); import spikestats; dt = time.perf_counter() - t; "
            "heavy = [m for m in ('numba', 'xarray', 'matplotlib', 'scipy', 'statsmodels') if m in sys.modules]; "
            "print(dt, ','.join(heavy))")
    # the best of 5 fresh interpreters: a busy machine slows single runs, not the best one
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
            for _ in range(5)]
    assert all(len(r) == 1 for r in runs), f"heavy modules loaded at import: {runs}"
    assert min(float(r[0]) for r in runs) < 0.5


def test_lazy_namespace():
    import spikestats as ss

    assert ss.stats.fano_factor is not None and ss.generators.PoissonProcess is not None
    assert "stats" in dir(ss)
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        ss.nope  # noqa: B018
