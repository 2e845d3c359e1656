"""The rounding rule.

Every figure in a report is the rounding of an exact amount. A figure shown with d decimals
differs from its exact amount by at most half a unit of its last digit, 0.5 x 10^-d. So when
shown parts are added and compared with a shown total, rounding alone can explain a
difference of at most the sum of those half units over every figure involved (the parts and
the total): with whole tkr and five parts that is 3 tkr. A difference within that bound is
"avrundning" and not an error; a larger one cannot come from rounding and is reported.
"""

from __future__ import annotations

from decimal import Decimal

from .model import Cell

HALF = Decimal("0.5")


def half_unit(decimals: int) -> Decimal:
    return HALF * Decimal(1).scaleb(-decimals)


def bound(cells: list[Cell], scale: dict[int, Decimal] | None = None) -> Decimal:
    """Largest difference rounding can explain when these shown figures are combined."""
    return sum((half_unit(c.decimals) for c in cells), Decimal(0))


class Tally:
    """Counts the differences that rounding explains (reported only as a number)."""

    def __init__(self) -> None:
        self.count = 0

    def check(self, diff: Decimal, limit: Decimal) -> str:
        """'ok' (equal), 'rounding' (within the bound) or 'error'."""
        if diff == 0:
            return "ok"
        if abs(diff) <= limit:
            self.count += 1
            return "rounding"
        return "error"
