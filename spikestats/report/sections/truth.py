"""The ground truth that simulated data carries, listed in full."""

from __future__ import annotations

import json
from typing import Any

import numpy as np

from spikestats.report import _html
from spikestats.report._section import Context, Section, SectionResult

#: Keys of a unit's record shown in their own columns rather than among the parameters.
_OWN_COLUMNS = ("model", "expected")


#: Lists longer than this are summarised by their length (e.g. a sampled rate of 1000 values).
_MAX_LISTED = 8


def _value(v: Any) -> str:
    """A parameter value as text: scalars as they are, long lists by their size, the rest as JSON."""
    if isinstance(v, (int, float, str)):
        return str(v)
    if isinstance(v, list) and (len(v) > _MAX_LISTED or any(isinstance(x, list) and len(x) > _MAX_LISTED for x in v)):
        return f"[{np.asarray(v, dtype=object).size if not isinstance(v[0], list) else sum(map(len, v))} values]"
    return json.dumps(v)


def _pairs(record: dict) -> str:
    """``name=value`` pairs of a flat record (nested values as JSON, long lists summarised)."""
    return ", ".join(f"{k}={_value(v)}" for k, v in record.items())


class GroundTruth(Section):
    """What made the data: the recipe, its seed, and each unit's model and parameters."""

    name = "truth"
    title = "Ground truth"
    intro = ("These data were simulated; this is what made them, as recorded in metadata['ground_truth']. "
             "Parameters are in SI units (s, Hz, V, A, ...). Columns in green in the summary are the truth.")

    def applies(self, ctx: Context) -> bool:
        return ctx.truth is not None

    def compute(self, ctx: Context) -> SectionResult:
        return SectionResult()

    def html(self, ctx: Context, result: SectionResult) -> str:
        record: dict[str, Any] = ctx.st.metadata.get("ground_truth", {})
        dataset = [(k, v if isinstance(v, (int, float, str)) else json.dumps(v))
                   for k, v in record.items() if k != "units"]
        rows = []
        for unit in ctx.units:
            unit_record = ctx.truth.get(str(unit))
            if unit_record is None:
                rows.append((str(unit), _html.DASH, _html.DASH, _html.DASH))
                continue
            params = {k: v for k, v in unit_record.items() if k not in _OWN_COLUMNS}
            expected = unit_record.get("expected")
            rows.append((str(unit), str(unit_record.get("model", _html.DASH)), _pairs(params),
                         _pairs(expected) if isinstance(expected, dict) else _html.DASH))
        parts = [_html.table(["unit", "model", "parameters (SI)", "expected statistics"], rows,
                             text_columns=(0, 1, 2, 3))]
        if dataset and "units" in record:
            parts.insert(0, _html.key_values(dataset))
        return "\n".join(parts)
