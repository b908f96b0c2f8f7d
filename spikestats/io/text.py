"""CSV (``.csv``) codec: one row per spike, ``unit,trial,time``, with a header row.

Files written by spikestats start with one comment line,
``# spikestats {...}``, holding a JSON object with the schema tag and version,
the per-train windows, spike counts and labels (with their kind) and the
metadata, followed by the header ``unit,trial,time`` and one row per spike,
train after train. Times are written with Python's shortest round-trip
``repr``, so they come back bit for bit, and empty trains survive through the
comment line. Tools that skip ``#`` comments (``pandas.read_csv(path,
comment="#")``, R's ``read.csv(comment.char="#")``) see a plain table.

Foreign files need a header naming a time column (``time``, ``spike_time``,
``spike_times``, ``times``, ``t``, ``timestamp``) and, optionally, a unit
column (``unit``, ``unit_id``, ``neuron``, ``cluster``, ``cell``, ``channel``,
``sender``, ``id``) and a ``trial`` column; other columns are ignored. Each
(unit, trial) pair becomes one train, in sorted label order; the window is
``[t_start, t_stop]`` (by default ``[min(0, first spike), last spike]``).
Labels that all parse as integers become int labels, otherwise str.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np

from spikestats._config import INDEX_DTYPE, TIME_DTYPE
from spikestats._validation import check_scalar
from spikestats.core.spiketrains import SpikeTrains
from spikestats.exceptions import FileFormatError
from spikestats.io._layout import ATTR_METADATA, Source, check_attrs, decode, encode

#: Start of the comment line that holds the train table as JSON.
MARKER = "# spikestats "
TIME_COLUMNS = ("time", "spike_time", "spike_times", "times", "t", "timestamp")
UNIT_COLUMNS = ("unit", "unit_id", "neuron", "cluster", "cell", "channel", "sender", "id")
TRIAL_COLUMNS = ("trial", "trial_id")
#: Keys of the JSON train table (arrays of the layout stored there rather than per row).
TABLE_KEYS = ("t_start", "t_stop", "n_spikes", "unit", "trial")


def save(st: SpikeTrains, path: Path, *, delimiter: str = ",") -> None:
    """Write ``st`` as delimited text (the comment line, a header, one row per spike)."""
    arrays, attrs = encode(st)
    table = {key: arrays[key].tolist() for key in TABLE_KEYS}
    kinds = {key: "str" if arrays[key].dtype.kind == "U" else "int" for key in ("unit", "trial")}
    header = {**attrs, "trains": table, "label_kinds": kinds}
    with open(path, "w", newline="", encoding="utf-8") as fh:
        fh.write(MARKER + json.dumps(header, ensure_ascii=True) + "\n")
        fh.write(delimiter.join(("unit", "trial", "time")) + "\n")
        # str labels always quoted: a label starting with "#" must not read as a comment line
        writer = csv.writer(fh, delimiter=delimiter, lineterminator="\n", quoting=csv.QUOTE_NONNUMERIC)
        counts = arrays["n_spikes"]
        units = np.repeat(arrays["unit"].astype(object), counts).tolist()
        trials = np.repeat(arrays["trial"].astype(object), counts).tolist()
        writer.writerows(zip(units, trials, arrays["spike_time"].tolist()))


def load(path: Path, *, time_scale: float = 1.0, t_start: float | None = None, t_stop: float | None = None,
         delimiter: str = ",") -> SpikeTrains:
    """Read spike rows from delimited text.

    Parameters
    ----------
    path : pathlib.Path
    time_scale : float, default 1.0
        Seconds per time unit of a foreign file (``1e-3`` for milliseconds,
        ``1e-6`` for microseconds). Files written by spikestats are in seconds
        and refuse another scale.
    t_start, t_stop : float, optional
        Window of every train of a foreign file, seconds.
    delimiter : str
        Field separator.

    Raises
    ------
    FileFormatError
        No header or no time column, values that are not numbers, or a
        spikestats comment line that disagrees with the rows.
    """
    source = Source("path", f" ('{path}')", FileFormatError)
    time_scale = check_scalar("time_scale", time_scale, positive=True)
    try:
        with open(path, newline="", encoding="utf-8") as fh:
            header_json, rows = _rows(fh, delimiter)
    except (UnicodeDecodeError, csv.Error) as exc:
        source.fail("be a UTF-8 text table", f"unreadable text ({type(exc).__name__}: {exc})",
                    "Is it a binary file or in another format?")
    if not rows:
        source.fail("start with a header row naming its columns (e.g. unit,trial,time)", "an empty table")
    columns = [name.strip().lower() for name in rows[0]]
    body = rows[1:]
    if any(len(row) != len(columns) for row in body):
        k = next(k for k, row in enumerate(body) if len(row) != len(columns))
        source.fail(f"have {len(columns)} fields in every row (as its header {rows[0]})",
                    f"{len(body[k])} fields in data row {k + 1}")
    time_col = _column(columns, TIME_COLUMNS)
    if time_col is None:
        source.fail(f"have a time column named one of {list(TIME_COLUMNS)}", f"the header {rows[0]}",
                    "Rename the column.")
    cols = list(zip(*body)) if body else [()] * len(columns)
    try:
        times = np.array(cols[time_col], dtype=TIME_DTYPE)
    except ValueError as exc:
        source.fail(f"hold numbers in its time column `{rows[0][time_col]}`", f"a value numpy cannot parse ({exc})")
    unit_col, trial_col = _column(columns, UNIT_COLUMNS), _column(columns, TRIAL_COLUMNS)
    unit = list(cols[unit_col]) if unit_col is not None else ["0"] * times.shape[0]
    trial = list(cols[trial_col]) if trial_col is not None else ["0"] * times.shape[0]
    if header_json is not None:
        if time_scale != 1.0:
            source.fail("be read with time_scale=1.0 (spikestats writes seconds)", f"time_scale={time_scale}")
        return _decode_written(header_json, times, unit, trial, source)
    return _decode_foreign(times * time_scale if time_scale != 1.0 else times, unit, trial, t_start, t_stop,
                           source)


def _rows(fh, delimiter: str) -> tuple[str | None, list[list[str]]]:
    """The spikestats comment (JSON text, or None) and the non-comment, non-blank rows."""
    header = None
    lines = []
    for line in fh:
        if line.startswith("#"):
            if line.startswith(MARKER) and header is None:
                header = line[len(MARKER):]
            continue
        if line.strip():
            lines.append(line)
    return header, list(csv.reader(lines, delimiter=delimiter))


def _column(columns: list[str], names: tuple[str, ...]) -> int | None:
    return next((columns.index(name) for name in names if name in columns), None)


def _decode_written(text: str, times: np.ndarray, unit: list[str], trial: list[str], source: Source) -> SpikeTrains:
    """Rebuild a file written by :func:`save`, checking the rows against the comment line."""
    try:
        header = json.loads(text)
    except ValueError as exc:
        source.fail("hold a JSON object after '# spikestats'", f"invalid JSON ({exc})")
    table = header.get("trains") if isinstance(header, dict) else None
    if not isinstance(table, dict) or any(not isinstance(table.get(k), list) for k in TABLE_KEYS):
        source.fail(f"hold a train table with the lists {list(TABLE_KEYS)} after '# spikestats'",
                    f"{text[:60]!r}")
    kinds = header.get("label_kinds", {})
    attrs = {k: v for k, v in header.items() if k not in ("trains", "label_kinds")}
    check_attrs(attrs, source)
    arrays = {key: np.array(table[key]) for key in TABLE_KEYS}
    for key in ("t_start", "t_stop"):
        arrays[key] = arrays[key].astype(TIME_DTYPE) if arrays[key].size else np.empty(0, TIME_DTYPE)
    arrays["n_spikes"] = arrays["n_spikes"].astype(INDEX_DTYPE)
    for key in ("unit", "trial"):
        if not arrays[key].size:
            arrays[key] = np.empty(0, dtype=str if kinds.get(key) == "str" else INDEX_DTYPE)
    arrays["spike_time"] = times
    if int(arrays["n_spikes"].sum()) == times.shape[0]:
        for key, rows in (("unit", unit), ("trial", trial)):
            expected = np.repeat(arrays[key].astype(str), arrays["n_spikes"])
            bad = np.flatnonzero(expected != np.array(rows, dtype=str)) if rows else np.empty(0, int)
            if bad.size:
                k = int(bad[0])
                source.fail(f"list spikes train after train as its '# spikestats' line says (column `{key}`)",
                            f"{key} {rows[k]!r} in data row {k + 1} where {str(expected[k])!r} was expected")
    attrs.setdefault(ATTR_METADATA, "{}")
    return decode(arrays, attrs, source)


def _decode_foreign(times: np.ndarray, unit: list[str], trial: list[str], t_start: float | None,
                    t_stop: float | None, source: Source) -> SpikeTrains:
    """One train per (unit, trial) pair of a table not written by spikestats."""
    if not np.all(np.isfinite(times)):
        source.fail("hold finite spike times", "NaN or infinite values")
    unit_labels, unit_idx = np.unique(_labels(unit), return_inverse=True)
    trial_labels, trial_idx = np.unique(_labels(trial), return_inverse=True)
    pair = unit_idx * max(trial_labels.size, 1) + trial_idx
    keys, train_idx = np.unique(pair, return_inverse=True)
    lo = check_scalar("t_start", t_start) if t_start is not None else min(0.0, float(times.min(initial=0.0)))
    if t_stop is None:
        if not times.size:
            source.fail("hold at least one spike when `t_stop` is not given", "an empty table",
                        "Pass `t_stop=`.")
        t_stop = float(times.max())
    hi = check_scalar("t_stop", t_stop)
    n_trials = max(trial_labels.size, 1)
    return SpikeTrains.from_flat(times, train_idx, lo, hi, n_trains=keys.size,
                                 unit=unit_labels[keys // n_trials] if keys.size else unit_labels[:0],
                                 trial=trial_labels[keys % n_trials] if keys.size else trial_labels[:0])


def _labels(values: list[str]) -> np.ndarray:
    """Text labels as int64 when all are integers, else str."""
    arr = np.array([v.strip() for v in values], dtype=str)
    try:
        return arr.astype(INDEX_DTYPE) if arr.size else np.empty(0, dtype=INDEX_DTYPE)
    except ValueError:
        return arr
