"""The example dataset shipped inside the package."""

from __future__ import annotations

from pathlib import Path

from spikestats.core.spiketrains import SpikeTrains

#: File name of the example dataset; its recipe is ``make_example.py`` beside it.
EXAMPLE_FILE = "example.nc"
#: Folder of the shipped data: in a wheel a real folder, in the source tree a
#: symbolic link to the top-level ``datasets/`` folder (see ``datasets/README.md``).
DATA_DIR = Path(__file__).resolve().parent / "_data"


def example_path() -> Path:
    """Path of the embedded example file (netCDF4, readable with :func:`spikestats.io.read`).

    Raises
    ------
    FileNotFoundError
        The installation lacks the file (e.g. a Windows checkout without
        symbolic links, where ``_data`` is not a folder).
    """
    path = DATA_DIR / EXAMPLE_FILE
    if not path.is_file():
        raise FileNotFoundError(f"the example dataset is missing from this installation: '{path}' does not "
                                f"exist. Reinstall spikestats; in a source checkout, `spikestats/datasets/_data` "
                                f"must be a symbolic link to the top-level `datasets/` folder.")
    return path


def load_example() -> SpikeTrains:
    """Load the embedded example dataset.

    Returns
    -------
    SpikeTrains
        160 trains: 8 units (str labels ``"poisson_1"`` .. ``"poisson_8"``,
        rates 2-40 Hz, dead times 0-5 ms) x 20 trials (int labels 0-19), each
        on the window [0, 10] s, unit-major. ``metadata["ground_truth"]``
        holds the recipe, its seed, the spikestats version that wrote the
        file and each unit's model and parameters (see
        :func:`unit_ground_truth`).

    Notes
    -----
    The file is rebuilt bit for bit by ``datasets/make_example.py`` in the
    source tree. Reading it uses :mod:`spikestats.io` (and so xarray).
    """
    from spikestats.io import read

    return read(example_path())
