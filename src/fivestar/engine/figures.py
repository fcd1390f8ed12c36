"""How a stored figure is written: to 4 decimals, or finer where 4 would read as a whole
number or as the threshold it is not (shared by the checks and the reasons' wording)."""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

# Rates are fractions; rules write them in percent. The tolerance absorbs floating noise only.
TOLERANCE = 1e-9
# Figures show 4 decimals (of a percent, for a rate). Where 4 would read as a whole number or
# the threshold that the value is not, beyond TOLERANCE (99.99999 % as "100.0% < 100%"), they
# show 1e-10 of the stored value: finer than TOLERANCE, so the figure agrees with the verdict.
DECIMALS = 4
_FINEST = 1e-10

Mask = npt.NDArray[np.bool_]


def scale_of(unit: str) -> float:
    """What a stored figure is multiplied by to be shown: rates are shown in percent."""
    return 100.0 if unit == "rate" else 1.0


def fine_decimals(scale: float) -> int:
    """Decimals of a shown figure that resolve `_FINEST` of the stored one: 8 for a percent."""
    return round(-math.log10(_FINEST * scale))


def needs_fine(values: npt.ArrayLike, scale: float, against: float | None = None) -> Mask:
    """Where `DECIMALS` decimals would show a whole number, or `against` (a threshold), that
    the value is not, beyond TOLERANCE. Elementwise; NaN never does."""
    v = np.asarray(values, dtype=np.float64)
    shown = np.round(v * scale, DECIMALS)
    landed = shown == np.round(shown)
    if against is not None:
        landed |= shown == np.round(against * scale, DECIMALS)
    with np.errstate(invalid="ignore"):
        return np.asarray(landed & (np.abs(v - shown / scale) > TOLERANCE), dtype=np.bool_)


def figure_decimal(number: float, unit: str, against: float | None = None) -> str:
    """One stored figure as shown, without its unit: to `DECIMALS` decimals, or to as many as
    show it is not the whole number (or threshold `against`) those would round it onto."""
    scale = scale_of(unit)
    places = fine_decimals(scale) if needs_fine(number, scale, against) else DECIMALS
    return f"{number * scale:.{places}f}".rstrip("0").rstrip(".")
