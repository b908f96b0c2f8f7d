"""numpy ``.npz`` codec: the ``spiketrains`` schema as an archive of plain arrays.

The archive holds one ``.npy`` array per variable of the schema
(:mod:`spikestats.xarray.schema`) except the derivable ``train_index``:
``spike_time``, ``t_start``, ``t_stop``, ``n_spikes``, ``unit``, ``trial``,
plus ``attrs``, a 0-d str array with the dataset attributes as JSON (schema
name and version, time units, metadata JSON). No pickles: it loads with
``numpy.load(path, allow_pickle=False)`` anywhere. Use
:func:`spikestats.io.read` / :func:`spikestats.io.write`; this module is the
codec behind them.
"""

from __future__ import annotations

import json
import zipfile
import zlib
from pathlib import Path

import numpy as np

from spikestats.core.spiketrains import SpikeTrains
from spikestats.exceptions import FileFormatError
from spikestats.io._layout import DERIVED, REQUIRED, VARIABLES, Source, decode, encode

#: Key of the 0-d str array holding the attributes as JSON.
ATTRS_KEY = "attrs"
#: Keys every spikestats archive holds.
EXPECTED_KEYS = (*REQUIRED, ATTRS_KEY)
#: Errors numpy and zipfile raise for unreadable archives.
_READ_ERRORS = (OSError, ValueError, EOFError, KeyError, zipfile.BadZipFile, zlib.error)


def save(st: SpikeTrains, path: Path) -> None:
    """Write ``st`` to ``path`` as an uncompressed ``.npz`` archive (overwriting it)."""
    arrays, attrs = encode(st)
    payload = {name: arr for name, arr in arrays.items() if name not in DERIVED}
    payload[ATTRS_KEY] = np.array(json.dumps(attrs))
    with open(path, "wb") as fh:
        np.savez(fh, **payload)


def load(path: Path) -> SpikeTrains:
    """Read the SpikeTrains stored in the ``.npz`` archive ``path``.

    Raises
    ------
    FileFormatError
        Not an ``.npz`` archive (text, a single ``.npy``, a pickle), truncated
        or corrupt, missing the expected arrays, or not a valid record.
    """
    source = Source("path", f" ('{path}')", FileFormatError)
    try:
        loaded = np.load(path, allow_pickle=False)
    except _READ_ERRORS as exc:
        source.fail("be a .npz archive", f"a file numpy cannot load without pickles ({type(exc).__name__}: {exc})",
                    "Is it truncated, corrupt or in another format?")
    if not isinstance(loaded, np.lib.npyio.NpzFile):
        source.fail("be a .npz archive", f"a single .npy array of shape {loaded.shape}")
    with loaded:
        missing = [key for key in EXPECTED_KEYS if key not in loaded.files]
        if missing:
            source.fail(f"be a spikestats .npz archive holding the arrays {list(EXPECTED_KEYS)}",
                        f"an archive without {missing} (it holds {sorted(loaded.files)})")
        try:
            arrays = {key: loaded[key] for key in (*VARIABLES, ATTRS_KEY) if key in loaded.files}
        except _READ_ERRORS as exc:
            source.fail("be a readable .npz archive", f"a truncated or corrupt archive ({type(exc).__name__}: {exc})")
    return decode(arrays, _attrs(arrays.pop(ATTRS_KEY), source), source)


def _attrs(arr: np.ndarray, source: Source) -> dict:
    """The attributes stored as a 0-d JSON string array."""
    if arr.ndim != 0 or arr.dtype.kind != "U":
        source.fail(f"hold `{ATTRS_KEY}` as a 0-d str array of JSON", f"dtype {arr.dtype} and shape {arr.shape}")
    try:
        attrs = json.loads(arr.item())
    except ValueError as exc:
        source.fail(f"hold `{ATTRS_KEY}` as a JSON object", f"invalid JSON ({exc})")
    if not isinstance(attrs, dict):
        source.fail(f"hold `{ATTRS_KEY}` as a JSON object", f"a JSON {type(attrs).__name__}")
    return attrs
