"""Sphinx configuration: API reference from numpydoc docstrings, Markdown pages and jupytext tutorials (myst-nb)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("MPLBACKEND", "Agg")

import spikestats  # noqa: E402

project = "spikestats"
author = "spikestats developers"
copyright = "2026, spikestats developers"
release = version = spikestats.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.intersphinx",
    "sphinx.ext.mathjax",
    "sphinx.ext.viewcode",
    "numpydoc",
    "myst_nb",
]
source_suffix = {".rst": "restructuredtext", ".md": "myst-nb", ".py": "myst-nb"}
# the tutorials are jupytext percent files; they are executed by tests/tutorials, so the docs show their text
nb_custom_formats = {".py": ["jupytext.reads", {"fmt": "py:percent"}]}
nb_execution_mode = "off"
myst_heading_anchors = 3
myst_enable_extensions = ["dollarmath", "colon_fence"]

autosummary_generate = True
autodoc_default_options = {"members": True, "inherited-members": False, "show-inheritance": False}
autodoc_typehints = "none"  # numpydoc sections carry the types
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False

templates_path = ["_templates"]
exclude_patterns = ["conf.py", "_build", "api/generated/*.examples", "**.ipynb_checkpoints"]
html_theme = "pydata_sphinx_theme"
html_title = f"spikestats {release}"
html_static_path: list[str] = []
html_theme_options = {"navigation_with_keys": False}

intersphinx_mapping = {
    "python": ("https://docs.python.org/3", None),
    "numpy": ("https://numpy.org/doc/stable", None),
}
intersphinx_disabled_reftypes = ["*"]
# no network during the build: intersphinx inventories are not fetched, references stay plain text
intersphinx_mapping = {}

# Markdown docs outside docs/ (tutorials) are included through tutorials.md's toctree
suppress_warnings = ["myst.header", "mystnb.unknown_mime_type"]
nitpicky = False

#: public subpackages documented in the API reference, in order, with a one-line title
API_PACKAGES = {
    "spikestats": "Data model",
    "spikestats.generators": "Generators",
    "spikestats.stats": "Statistics",
    "spikestats.glm": "GLMs and goodness of fit",
    "spikestats.changepoint": "Change points",
    "spikestats.io": "Files",
    "spikestats.datasets": "Datasets",
    "spikestats.xarray": "xarray datasets",
    "spikestats.parallel": "Scale-out",
    "spikestats.bridge": "Neuromorphic bridge",
    "spikestats.plotting": "Plotting",
    "spikestats.report": "Report",
    "spikestats.testing": "Testing helpers",
}
HERE = Path(__file__).resolve().parent


def _write_if_changed(path: Path, text: str) -> None:
    if not path.exists() or path.read_text() != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def _api_pages() -> None:
    """One autosummary page per public package, listing its ``__all__`` (so the reference follows the code)."""
    import importlib
    import inspect

    entries = []
    for name, title in API_PACKAGES.items():
        try:
            module = importlib.import_module(name)
        except ImportError:  # an optional part not installed
            continue
        public = [n for n in getattr(module, "__all__", []) if not n.startswith("_")]
        if name == "spikestats":
            public = [n for n in public if not inspect.ismodule(getattr(module, n, None)) and n != "__version__"]
        public = [n for n in public if not inspect.ismodule(getattr(module, n, None))]
        if not public:
            continue
        slug = name.replace(".", "_")
        lines = [title, "=" * len(title), "", f".. automodule:: {name}", "   :no-members:", "",
                 f".. currentmodule:: {name}", "", ".. autosummary::", "   :toctree: generated", ""]
        lines += [f"   {n}" for n in sorted(public)]
        _write_if_changed(HERE / "api" / f"{slug}.rst", "\n".join(lines) + "\n")
        entries.append(slug)
    index = ["API reference", "=============", "", "Every public name, with its docstring.", "",
             ".. toctree::", "   :maxdepth: 1", ""] + [f"   {e}" for e in entries]
    _write_if_changed(HERE / "api" / "index.rst", "\n".join(index) + "\n")


def _tutorial_pages() -> None:
    """Copy the jupytext tutorials into docs/tutorials (built by myst-nb) with an index."""
    names = []
    for src in sorted((ROOT / "tutorials").glob("[0-9][0-9]_*.py")):
        _write_if_changed(HERE / "tutorials" / src.name, src.read_text())
        names.append(src.stem)
    index = ["# Tutorials", "", "Each tutorial is a jupytext notebook in `tutorials/`, executed by the test "
             "suite; open it in Jupyter with jupytext, or run it as a script.", "", "```{toctree}",
             ":maxdepth: 1", "", *names, "```"]
    _write_if_changed(HERE / "tutorials" / "index.md", "\n".join(index) + "\n")


_api_pages()
_tutorial_pages()
