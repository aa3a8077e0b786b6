"""Order statistics shared by the overview, the scorecards and SPC. Pure: plain values in."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal


def quantile[Number: (float, Decimal)](
    values: Sequence[Number], q: float | Decimal
) -> Number | None:
    """The q-quantile by linear interpolation between closest ranks (numpy's default, Excel's
    PERCENTILE.INC): median of [1, 2, 3, 4] is 2.5, p90 of 1..10 is 9.1. None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * (Decimal(str(q)) if isinstance(ordered[0], Decimal) else q)
    lower = int(position)
    fraction = position - lower
    if lower + 1 >= len(ordered):
        return ordered[-1]
    return ordered[lower] + (ordered[lower + 1] - ordered[lower]) * fraction


def median[Number: (float, Decimal)](values: Sequence[Number]) -> Number | None:
    return quantile(values, Decimal("0.5") if values and isinstance(values[0], Decimal) else 0.5)


def rate(part: int, whole: int) -> Decimal | None:
    """part / whole as a Decimal fraction to 4 places (0.8333), None when whole is 0."""
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001"))
