"""Loaders for the real recordings of ``../shared/data`` (see its ``README.md``).

Each loader takes the data folder (default: the ``SPIKESTATS_DATA``
environment variable, else ``../shared/data`` relative to the working
directory) and returns a :class:`Recording`: the spike trains in seconds
plus, where the data has them, sampled signals (stimulus, position) and
per-trial information. A missing folder or file raises
:class:`~spikestats.exceptions.MissingFileError` naming what was looked for.

=====================  ========================================================  =======  =========
name                   content                                                   units    spikes
=====================  ========================================================  =======  =========
``grasshopper``        auditory receptor, 2 x 10 s (Rokem 2006, nitime), stim.   1        929 + 868
``08_spikes-1``        one neuron, low / high ambient light, 30 s each           1        750 + 969
``08_spikes-2``, ``3``  one neuron, 30 s, near-Poisson                            1        700, 230
``spikes-1``, ``2``    hippocampal place cell on a linear track, with position   1        220, 268
``10_spikes-1``        subthalamic unit, 50 trials of 2 s on 1 ms bins           1        (0/1 matrix)
``linear-track``       rat hippocampus tetrodes, MatClust (nelpy), ~1968 s       31       28,829
``w-maze``             rat hippocampus tetrodes, MatClust (nelpy), ~4307 s       25       518,352
=====================  ========================================================  =======  =========

Examples
--------
>>> from spikestats.datasets import load_recording
>>> rec = load_recording("w-maze")                       # doctest: +SKIP
>>> rec.spikes.n_trains, rec.spikes.n_spikes             # doctest: +SKIP
(25, 518352)
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path


import numpy as np

from spikestats._config import TIME_DTYPE
from spikestats._validation import check_option, fail
from spikestats.core.spiketrains import SpikeTrains
from spikestats.exceptions import FileFormatError, MissingFileError, ValidationTypeError

__all__ = ["Recording", "Signal", "RECORDINGS", "data_folder", "load_recording", "load_grasshopper",
           "load_kramer_eden", "load_nelpy"]

#: Environment variable naming the data folder.
ENV_VAR = "SPIKESTATS_DATA"
KRAMER_EDEN = ("08_spikes-1", "08_spikes-2", "08_spikes-3", "spikes-1", "spikes-2", "10_spikes-1")
NELPY = ("linear-track", "w-maze")
#: Every recording :func:`load_recording` knows.
RECORDINGS = ("grasshopper", *KRAMER_EDEN, *NELPY)
#: Length of each Kramer-Eden chapter 8 recording (s), from the book and the data README.
KE_DURATION = 30.0


@dataclass(frozen=True, eq=False)
class Signal:
    """A sampled signal recorded with the spikes (a stimulus, a position).

    Attributes
    ----------
    time : numpy.ndarray of float, shape (n_samples,)
        Sample times in seconds.
    values : numpy.ndarray, shape (n_samples,) or (n_trials, n_samples)
        Samples; one row per trial when the signal differs between trials.
    units : str
        Unit of the values (``"V"``, ``"cm"``).
    trial : numpy.ndarray, optional
        Trial label of each row of a 2-d ``values``.
    """

    time: np.ndarray
    values: np.ndarray
    units: str
    trial: np.ndarray | None = None


@dataclass(frozen=True, eq=False)
class Recording:
    """A real recording: spike trains plus what was sampled with them.

    Attributes
    ----------
    name : str
        Name among :data:`RECORDINGS`.
    spikes : SpikeTrains
        Spike times in seconds with their windows and labels; the metadata
        names the source files and licence, and holds per-trial or per-unit
        information (``direction``, ``tetrode``/``cluster``).
    signals : dict of str to Signal
        Sampled signals (``"stimulus"``, ``"position"``), possibly empty.
    folder : pathlib.Path
        Folder the files were read from.
    """

    name: str
    spikes: SpikeTrains
    signals: Mapping[str, Signal] = field(default_factory=dict)
    folder: Path | None = None

    def __repr__(self) -> str:
        signals = f", signals={sorted(self.signals)}" if self.signals else ""
        return f"Recording({self.name!r}, {self.spikes!r}{signals})"

    def to_xarray(self):
        """The spikes as a ``spiketrains`` Dataset with each signal on a ``time`` dimension.

        A signal with one row per trial lies along ``(<name>_trial, time)``.
        """
        from spikestats.xarray.schema import to_dataset

        ds = to_dataset(self.spikes)
        grids = {tuple(s.time.shape) for s in self.signals.values()}
        times = [s.time for s in self.signals.values()]
        if any(not np.array_equal(t, times[0]) for t in times[1:]) or len(grids) > 1:
            fail("signals", "sampled on one time grid to share the `time` dimension", self.signals,
                 got="different grids")
        for name, sig in self.signals.items():
            attrs = {"units": sig.units, "long_name": name}
            if sig.values.ndim == 2:
                dim = f"{name}_trial"
                ds = ds.assign({name: ((dim, "time"), sig.values, attrs)})
                ds = ds.assign_coords({dim: (dim, sig.trial)})
            else:
                ds = ds.assign({name: (("time",), sig.values, attrs)})
            ds = ds.assign_coords(time=("time", sig.time, {"units": "s", "long_name": "sample time"}))
        return ds


def data_folder(path: str | os.PathLike | None = None) -> Path:
    """The folder holding the recordings.

    Parameters
    ----------
    path : str or os.PathLike, optional
        Explicit folder. Default: ``$SPIKESTATS_DATA`` if set, else
        ``../shared/data`` relative to the working directory.

    Raises
    ------
    MissingFileError
        The folder does not exist.
    """
    if path is None:
        env = os.environ.get(ENV_VAR)
        folder = Path(env) if env else Path.cwd() / ".." / "shared" / "data"
    elif isinstance(path, (str, os.PathLike)):
        folder = Path(path)
    else:
        fail("path", "a str or os.PathLike folder", path, kind=ValidationTypeError)
    folder = folder.expanduser()
    if not folder.is_dir():
        raise MissingFileError(f"`path` must be an existing data folder; got '{folder}', which does not exist. "
                               f"Pass the folder, or set {ENV_VAR} to it (the recordings are described in "
                               f"../shared/data/README.md).", folder)
    return folder


def _file(folder: Path, *parts: str) -> Path:
    path = folder.joinpath(*parts)
    if not path.is_file():
        raise MissingFileError(f"`path` must hold {'/'.join(parts)}; got '{folder}', where '{path}' does not exist. "
                               f"Is this the shared data folder?", path)
    return path


def load_recording(name: str, path: str | os.PathLike | None = None) -> Recording:
    """Load a recording by name (one of :data:`RECORDINGS`)."""
    check_option("name", name, RECORDINGS)
    if name == "grasshopper":
        return load_grasshopper(path)
    if name in NELPY:
        return load_nelpy(name, path)
    return load_kramer_eden(name, path)


def load_grasshopper(path: str | os.PathLike | None = None) -> Recording:
    """The grasshopper auditory receptor neuron of Rokem et al. (2006), as shipped with nitime.

    Two 10 s recordings of one neuron under two Gaussian-noise stimuli:
    one unit (label 0), trials 1 and 2 (the file numbers), windows
    ``[0, 10]`` s. Spike times are stored in microseconds and divided by 1e6.
    The stimulus (V, 20 kHz) is :attr:`Recording.signals` ``["stimulus"]``,
    one row per trial.

    Returns
    -------
    Recording
    """
    folder = data_folder(path)
    sub = "nitime_grasshopper_Rokem2006"
    trains, stim = [], []
    for k in (1, 2):
        us = np.loadtxt(_file(folder, sub, f"grasshopper_spike_times{k}.txt"), comments="#", ndmin=1)
        trains.append(np.asarray(us, dtype=TIME_DTYPE) / 1e6)
        stim.append(np.loadtxt(_file(folder, sub, f"grasshopper_stimulus{k}.txt"), ndmin=2))
    if not np.array_equal(stim[0][:, 0], stim[1][:, 0]):
        raise FileFormatError(f"`path` ('{folder / sub}') must hold both stimuli on one time grid; got different "
                              f"sample times.")
    time = stim[0][:, 0] / 1e6
    duration = 10.0
    spikes = SpikeTrains.from_list(trains, 0.0, duration, unit=0, trial=[1, 2],
                                   metadata={"source": f"{sub}/grasshopper_spike_times{{1,2}}.txt",
                                             "licence": "BSD-3-Clause (nitime)", "reference":
                                             "Rokem et al. (2006) J Neurophysiol 95:2541"})
    signal = Signal(time, np.stack([s[:, 1] for s in stim]), "V", np.array([1, 2]))
    return Recording("grasshopper", spikes, {"stimulus": signal}, folder)


def load_kramer_eden(name: str, path: str | os.PathLike | None = None) -> Recording:
    """One file of Kramer and Eden, *Case Studies in Neural Data Analysis* (MIT licence).

    Parameters
    ----------
    name : {"08_spikes-1", "08_spikes-2", "08_spikes-3", "spikes-1", "spikes-2", "10_spikes-1"}
        ``08_spikes-1``: one neuron under low and high ambient light (trials
        ``"low"``, ``"high"``), 30 s each. ``08_spikes-2``/``-3``: one 30 s
        train. ``spikes-1``/``-2``: a place cell, window ``[0, t[-1]]`` of the
        1 ms position grid, with ``signals["position"]`` (cm).
        ``10_spikes-1``: a subthalamic unit, 50 trials of 2 s from the 0/1
        matrix ``train`` on 1 ms bins; each spike at its bin's trial-relative
        time ``t / 1000`` (``[-1, 1)`` s, window ``[-1, 1]``), trial
        directions in the metadata (``"direction"``).
    path : str or os.PathLike, optional
        Data folder (see :func:`data_folder`).
    """
    from scipy.io import loadmat

    check_option("name", name, KRAMER_EDEN)
    folder = data_folder(path)
    sub = "kramer_eden_case_studies"
    file = _file(folder, sub, f"{name}.mat")
    mat = loadmat(file, squeeze_me=True)
    meta = {"source": f"{sub}/{name}.mat", "licence": "MIT (Mark Kramer)",
            "reference": "Kramer & Eden (2016) Case Studies in Neural Data Analysis, MIT Press"}
    signals: dict[str, Signal] = {}
    if name == "08_spikes-1":
        spikes = SpikeTrains.from_list([np.atleast_1d(mat["SpikesLow"]), np.atleast_1d(mat["SpikesHigh"])], 0.0,
                                       KE_DURATION, unit=0, trial=["low", "high"], metadata=meta)
    elif name.startswith("08_"):
        spikes = SpikeTrains.from_list([np.atleast_1d(mat["Spikes"])], 0.0, KE_DURATION, unit=0, metadata=meta)
    elif name.startswith("spikes-"):
        t = np.asarray(mat["t"], dtype=TIME_DTYPE)
        spikes = SpikeTrains.from_list([np.atleast_1d(mat["spiketimes"])], 0.0, float(t[-1]), unit=0,
                                       metadata=meta)
        signals["position"] = Signal(t, np.asarray(mat["X"], dtype=TIME_DTYPE), "cm")
    else:
        raster = np.asarray(mat["train"])
        t_ms = np.asarray(mat["t"], dtype=TIME_DTYPE)
        if raster.ndim != 2 or raster.shape[1] != t_ms.shape[0] or raster.max(initial=0) > 1:
            raise FileFormatError(f"`path` ('{file}') must hold a 0/1 matrix `train` (trials x bins) matching `t`; "
                                  f"got shapes {raster.shape} and {t_ms.shape}.")
        trial, k = np.nonzero(raster)
        bin_size = 1e-3
        spikes = SpikeTrains.from_flat(t_ms[k] / 1000.0, trial, t_ms[0] / 1000.0, t_ms[-1] / 1000.0 + bin_size,
                                       n_trains=raster.shape[0], unit=0, trial=np.arange(raster.shape[0]),
                                       metadata={**meta, "bin_size": bin_size,
                                                 "direction": np.asarray(mat["direction"]).astype(int).tolist()})
    return Recording(name, spikes, signals, folder)


def load_nelpy(name: str = "w-maze", path: str | os.PathLike | None = None) -> Recording:
    """A nelpy example session: rat hippocampal tetrodes sorted with MatClust (MIT licence).

    Parameters
    ----------
    name : {"w-maze", "linear-track"}
    path : str or os.PathLike, optional
        Data folder (see :func:`data_folder`).

    Returns
    -------
    Recording
        One train per unit with spikes (empty tetrodes and spikeless
        clusters skipped; a tetrode holding a single unit, a 0-d struct, is
        read like the others), unit labels ``0 ..``, tetrode and cluster
        numbers (1-based) in the metadata, window the sorter's ``timerange``.
    """
    from spikestats.io.matlab import load as load_mat

    check_option("name", name, NELPY)
    folder = data_folder(path)
    file = _file(folder, f"nelpy_{name}", "spikes.mat")
    st = load_mat(file, variable="spikes")
    meta = {**st.metadata, "source": f"nelpy_{name}/spikes.mat", "licence": "MIT (nelpy)"}
    return Recording(name, st.with_metadata(**meta), {}, folder)
