"""Plain-float unit constants for readable SI code.

Every quantity in spikestats is a plain float in SI units (seconds, hertz,
volts, amperes, siemens, farads, ohms). Multiply by these constants to write
other units: ``20 * u.ms == 0.02``.
"""

from __future__ import annotations

# time
s = 1.0
ms = 1e-3
us = 1e-6
minute = 60.0
# frequency
Hz = 1.0
kHz = 1e3
# voltage
V = 1.0
mV = 1e-3
uV = 1e-6
# current
A = 1.0
mA = 1e-3
uA = 1e-6
nA = 1e-9
pA = 1e-12
# conductance
S = 1.0
mS = 1e-3
uS = 1e-6
nS = 1e-9
# capacitance
F = 1.0
uF = 1e-6
nF = 1e-9
pF = 1e-12
# resistance
Ohm = 1.0
kOhm = 1e3
MOhm = 1e6
GOhm = 1e9

__all__ = [
    "s", "ms", "us", "minute", "Hz", "kHz", "V", "mV", "uV", "A", "mA", "uA", "nA", "pA",
    "S", "mS", "uS", "nS", "F", "uF", "nF", "pF", "Ohm", "kOhm", "MOhm", "GOhm",
]
