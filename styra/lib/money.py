"""Exact money helpers (DOMAIN §4, §5, §6). Pure Python, no Django.

Amounts are kronor as Decimal (two decimals, öre) or integer öre, never float. Values are
computed exactly in kronor and rounded only for display: a displayed total is the rounding
of the exact total, never the sum of the rounded parts, so a reader may see parts that
differ from their total by rounding (see `rounding_tolerance`), and never by more.

Display units: "kr" (whole kronor), "tkr" (whole thousands) and "mnkr" (millions with one
decimal), all rounded half up (away from zero) by `numbers.round_half_up`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Context, Decimal
from fractions import Fraction
from typing import Literal

from styra.lib.numbers import _shift, _to_decimal, format_number, round_half_up

Unit = Literal["kr", "tkr", "mnkr"]

ORE_PER_KRONA = 100
# Power of ten of kronor in one unit, and decimals shown for the unit.
UNIT_EXPONENT: dict[str, int] = {"kr": 0, "tkr": 3, "mnkr": 6}
UNIT_DECIMALS: dict[str, int] = {"kr": 0, "tkr": 0, "mnkr": 1}


def _check_unit(unit: str) -> None:
    if unit not in UNIT_EXPONENT:
        raise ValueError(f"okänd enhet {unit!r}; använd kr, tkr eller mnkr")


def _check_int(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what} ska vara ett heltal, inte {type(value).__name__}")
    return value


# ------------------------------------------------------------------------ kronor and öre


def to_ore(kronor: Decimal | int, *, rounding: bool = False) -> int:
    """Kronor to integer öre: Decimal("-1234.50") -> -123450.

    A value with fractions of an öre raises ValueError, unless `rounding=True`, which
    rounds half up to whole öre first.
    """
    value = _to_decimal(kronor)
    if rounding:
        value = round_half_up(value, 2)
    ore = _shift(value, 2)
    if ore != ore.to_integral_value():
        raise ValueError(f"{kronor} kr är inte ett helt antal öre")
    return int(ore)


_FAST = 10**26  # below this, Decimal(ore).scaleb(-2) is exact in the default context


def from_ore(ore: int) -> Decimal:
    """Integer öre to kronor with two decimals: -123450 -> Decimal("-1234.50"). The one way
    öre become kronor (ledger, finance, templates)."""
    ore = _check_int(ore, "öre")
    if -_FAST < ore < _FAST:
        return Decimal(ore).scaleb(-2)
    return _shift(Decimal(ore), -2)


def report_kr(ore: int) -> Decimal:
    """Ledger öre (debit +) as report-sign kronor (revenue +, cost −)."""
    return from_ore(-ore)


def sie_amount(ore: int) -> str:
    """Öre as an SIE amount (point as decimal sign, no separators): -123450 -> "-1234.50"."""
    ore = _check_int(ore, "öre")
    sign = "-" if ore < 0 else ""
    ore = abs(ore)
    return f"{sign}{ore // 100}.{ore % 100:02d}"


def format_ore(ore: int) -> str:
    """Öre as Swedish kronor with two decimals: -1289900 -> "-12 899,00"."""
    return format_number(from_ore(ore), 2)


def kr_to_tkr(kronor: Decimal | int) -> Decimal:
    """Kronor to tkr, exactly (no rounding): Decimal("1234.5") -> Decimal("1.2345")."""
    return _shift(_to_decimal(kronor), -3)


def kr_to_mnkr(kronor: Decimal | int) -> Decimal:
    """Kronor to mnkr, exactly (no rounding): 13490000 -> Decimal("13.49")."""
    return _shift(_to_decimal(kronor), -6)


def in_unit(kronor: Decimal | int, unit: Unit) -> Decimal:
    """Kronor expressed exactly in `unit` ("kr", "tkr" or "mnkr"), not rounded."""
    _check_unit(unit)
    return _shift(_to_decimal(kronor), -UNIT_EXPONENT[unit])


def exact_sum(values: Iterable[Decimal | int]) -> Decimal:
    """The sum of `values`, exactly, however many digits they have (plain sum() rounds
    to 28 significant digits)."""
    decimals = [_to_decimal(v) for v in values]
    if not decimals:
        return Decimal(0)
    high = max(d.adjusted() for d in decimals)
    low = min(d.as_tuple().exponent for d in decimals)
    ctx = Context(prec=max(28, high - low + len(str(len(decimals))) + 2))
    total = Decimal(0)
    for d in decimals:
        total = ctx.add(total, d)
    return total


# ------------------------------------------------------------------ rounding for display


def display_rounded(kronor: Decimal | int | None, unit: Unit) -> Decimal | None:
    """The figure shown for `kronor` in `unit`, rounded half up; None stays None (missing).

    kr and tkr are whole numbers, mnkr has one decimal:
    display_rounded(Decimal("-20476123.40"), "tkr") == Decimal("-20476"),
    display_rounded(13490000, "mnkr") == Decimal("13.5").
    """
    if kronor is None:
        return None
    return round_half_up(in_unit(kronor, unit), UNIT_DECIMALS[unit])


def display_column(
    parts: Sequence[Decimal | int | None], unit: Unit
) -> tuple[list[Decimal | None], Decimal]:
    """Round a column of exact kronor for display, with its total.

    Returns the rounded parts (None = missing, kept in place) and the rounded EXACT total
    of the parts that are present: the total shown is round(sum(exact)), never
    sum(round(part)). With no part present the total is zero.
    """
    _check_unit(unit)
    total = exact_sum(p for p in parts if p is not None)
    rounded_parts = [display_rounded(p, unit) for p in parts]
    return rounded_parts, display_rounded(total, unit)


def rounding_tolerance(n_terms: int, unit: Unit) -> Decimal:
    """The largest difference that rounding alone can make between the sum of `n_terms`
    displayed (rounded) figures and the displayed rounding of their exact sum.

    It is n_terms × half a unit of the last shown digit: 0,5 × n tkr, 0,05 × n mnkr,
    0,5 × n kr. Why: each rounded part is within half a unit of its exact value, and so is
    the rounded total, so the difference is at most (n + 1) / 2 units. It is a whole
    number of units, and (n + 1) / 2 would need every part rounded up by exactly a half
    and the total rounded down by exactly a half (or the mirror image). Rounding half away
    from zero cannot do that: parts rounded up by a half are positive halves, so their
    total is positive and, if it is a half, it is rounded up too. So the difference is at
    most n / 2 units; anything larger is an error, not rounding. Two terms
    (forecast − budget = deviation) may thus differ by 1 in the last digit (DOMAIN §6).

    For a checker: a figure sum that differs from the shown total by more than this is
    not rounding. The subtraction of a term counts as a term.
    """
    _check_unit(unit)
    n = _check_int(n_terms, "antal termer")
    if n < 0:
        raise ValueError("antal termer kan inte vara negativt")
    half_unit = Decimal(5).scaleb(-UNIT_DECIMALS[unit] - 1)
    return n * half_unit


# -------------------------------------------------------------------------- allocation


def allocate(total: int, weights: Sequence[int | Decimal]) -> list[int]:
    """Split the integer `total` (öre) over `weights`, so the parts sum EXACTLY to total.

    Largest-remainder method: each part gets the whole part (floor) of its exact share
    total × w / sum(w), and the öre left over go one each to the parts with the largest
    remainders (the earlier part first on a tie). Every part is within one öre of its
    exact share. Used by budget periodisation: the months sum to the year in öre.

    A negative total is split as the negation of the positive one, so
    allocate(-t, w) == [-p for p in allocate(t, w)]. Zero weights get zero; all-zero
    weights mean an even split. Weights may be negative as long as they do not sum to
    zero. No weights at all, or weights summing to zero with some non-zero, raise
    ValueError; floats raise TypeError.
    """
    total = _check_int(total, "totalen")
    fractions = []
    for w in weights:
        fractions.append(Fraction(_to_decimal(w)))
    if not fractions:
        raise ValueError("kan inte fördela ett belopp på inga delar")
    if all(f == 0 for f in fractions):
        fractions = [Fraction(1)] * len(fractions)
    weight_sum = sum(fractions, Fraction(0))
    if weight_sum == 0:
        raise ValueError("vikterna summerar till noll; beloppet kan inte fördelas")
    if total < 0:
        return [-part for part in allocate(-total, weights)]

    shares = [total * f / weight_sum for f in fractions]
    parts = [share.numerator // share.denominator for share in shares]
    left_over = total - sum(parts)  # 0 <= left_over < len(parts)
    by_remainder = sorted(range(len(shares)), key=lambda i: -(shares[i] - parts[i]))
    for i in by_remainder[:left_over]:
        parts[i] += 1
    return parts
