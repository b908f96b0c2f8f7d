"""Every tutorial in tutorials/ executes as a notebook, top to bottom, within its time limit.

The tutorials are jupytext percent files; each is read with jupytext, run by
nbclient in a fresh kernel (working directory: a temporary folder), and the
executed notebook is kept in ``$SPIKESTATS_ARTIFACTS/tutorials`` (default
``test-artifacts/``) so its outputs can be looked at.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TUTORIALS = sorted((ROOT / "tutorials").glob("[0-9][0-9]_*.py"))
ARTIFACTS = Path(os.environ.get("SPIKESTATS_ARTIFACTS", ROOT / "test-artifacts")) / "tutorials"
TIME_LIMIT = 300  # seconds per notebook
CELL_LIMIT = 180  # seconds per cell


def test_tutorials_exist_and_are_numbered():
    assert len(TUTORIALS) >= 3, "tutorials/ should hold the numbered tutorials"
    numbers = [int(p.name[:2]) for p in TUTORIALS]
    assert numbers == list(range(1, len(numbers) + 1)), numbers


@pytest.mark.parametrize("path", TUTORIALS, ids=lambda p: p.stem)
def test_tutorial_executes(path, tmp_path, monkeypatch):
    jupytext = pytest.importorskip("jupytext")
    nbclient = pytest.importorskip("nbclient")
    import nbformat

    notebook = jupytext.read(path)
    assert notebook.cells[0].cell_type == "markdown", "a tutorial starts with its title"
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    # "python3" is ipykernel's native kernel: this interpreter, so the test environment runs the notebook
    client = nbclient.NotebookClient(notebook, timeout=CELL_LIMIT, kernel_name="python3",
                                     resources={"metadata": {"path": str(tmp_path)}})
    # tutorials find ../shared/data through SPIKESTATS_DATA, since they run in a temporary folder
    if "SPIKESTATS_DATA" not in os.environ:
        monkeypatch.setenv("SPIKESTATS_DATA", str(ROOT.parent / "shared" / "data"))
    start = time.perf_counter()
    try:
        client.execute()
    finally:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        nbformat.write(notebook, ARTIFACTS / f"{path.stem}.ipynb")
    elapsed = time.perf_counter() - start
    assert elapsed < TIME_LIMIT, f"{path.name} took {elapsed:.0f} s (limit {TIME_LIMIT} s)"
