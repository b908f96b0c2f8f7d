"""Parameters of a report."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace

from spikestats._validation import check_scalar

#: Default window of the windowed Fano factor (s), used when every train is at least ten windows long.
DEFAULT_FANO_WINDOW = 1.0
#: Fewest windows per train the automatic Fano window allows.
MIN_FANO_WINDOWS = 10


@dataclass(frozen=True)
class ReportParams:
    """Settings of ``spikestats report``.

    Parameters
    ----------
    fano_window : float, optional
        Window (s) of the per-train windowed Fano factor. Default: 1 s, or
        a tenth of the shortest train when that is shorter than 10 s.
    isi_bins : int, default 50
        Number of bins of the ISI histogram (on 0 to the 99th percentile).
    dpi : int, default 100
        Resolution of the PNG figures (dots per inch).
    """

    fano_window: float | None = None
    isi_bins: int = 50
    dpi: int = 100

    def __post_init__(self) -> None:
        if self.fano_window is not None:
            object.__setattr__(self, "fano_window", check_scalar("fano_window", self.fano_window, positive=True))
        object.__setattr__(self, "isi_bins", check_scalar("isi_bins", self.isi_bins, integer=True, positive=True))
        object.__setattr__(self, "dpi", check_scalar("dpi", self.dpi, integer=True, minimum=10, maximum=1200))

    def fano_window_for(self, shortest: float) -> float:
        """The Fano window (s) to use for trains whose shortest window is ``shortest`` seconds."""
        if self.fano_window is not None:
            return self.fano_window
        return min(DEFAULT_FANO_WINDOW, shortest / MIN_FANO_WINDOWS)

    def resolved(self, shortest: float) -> ReportParams:
        """A copy with the automatic choices made for trains whose shortest window is ``shortest`` s."""
        return replace(self, fano_window=self.fano_window_for(shortest))

    def as_dict(self) -> dict:
        """The parameters as a plain dict (for the results file)."""
        return asdict(self)

    def describe(self, shortest: float) -> list[tuple[str, str]]:
        """The parameters as ``(name (unit), value)`` text pairs for the page."""
        window = f"{self.fano_window_for(shortest):g}" + (" (automatic)" if self.fano_window is None else "")
        return [("fano_window (s)", window), ("isi_bins", str(self.isi_bins)), ("dpi", str(self.dpi))]
