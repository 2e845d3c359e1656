"""Swedish number parsing and formatting (DOMAIN §14). Pure Python, no Django.

Formatting: thousands separated by a non-breaking space, decimal comma, a plain
hyphen-minus before negative numbers (as the municipalities' own papers print them, and so
that a figure copied into Excel stays a number), percent with a non-breaking space.
Rounding is always half up (away from zero), never Babel's half-even, and a value that
rounds to zero is printed without a sign ("0", never "-0").

Parsing accepts what people type and what PDFs produce: "- 306 578", "−306 578",
"-306578", "13.687" (decimal point by mistake), "1,3", "93,33 %", "+-0", "" (missing),
"-" alone (zero or missing, by context).

Every operation here is exact: values are only negated, shifted by powers of ten and
quantized, under a context wide enough for the value, so no digit is ever lost.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal

NBSP = "\u00a0"
MINUS = "-"

# Every character that people or PDF extraction use as a minus sign.
_MINUS_CHARS = "-\u2212\u2013\u2014\u2012\ufe63\uff0d"
# Every character used as a thousands separator or stray space.
_SPACE_CHARS = " \u00a0\u202f\u2009\u2007\u2002\u2003\t"

# Longest first where one ends with another ("mnkr"/"mkr"/"tkr" all end with "kr").
_UNITS = ("mnkr", "mkr", "tkr", "kronor", "kr", "%", "procent", "st")
_CANONICAL_UNIT = {"procent": "%", "mkr": "mnkr", "kronor": "kr"}
# How many kronor one of each money unit is.
_KRONOR_PER_UNIT = {"kr": 0, "tkr": 3, "mnkr": 6}

_SIGN_MESSAGE = "tecknet ± (eller +-) passar bara till noll"


class NumberFormatError(ValueError):
    """The text is not a number in any of the accepted Swedish forms."""


@dataclass(frozen=True)
class ParsedNumber:
    value: Decimal | None  # None = missing
    unit: str = ""  # "%", "tkr", "mnkr", "kr", "st" as written after the number, else ""

    def in_kronor(self) -> Decimal | None:
        """The value in kronor for a money unit ("13,5 mkr" -> 13500000); None if missing.

        A number without unit is taken as kronor; "%" and "st" are not money (ValueError).
        """
        if self.unit not in ("", *_KRONOR_PER_UNIT):
            raise ValueError(f"enheten {self.unit!r} är inget belopp")
        if self.value is None:
            return None
        return _shift(self.value, _KRONOR_PER_UNIT.get(self.unit, 0))


def _exact_context(value: Decimal, extra: int = 0) -> Context:
    """A context with enough precision that shifting/quantizing `value` loses nothing."""
    digits = len(value.as_tuple().digits)
    return Context(prec=max(28, digits + abs(value.as_tuple().exponent) + abs(extra) + 2))


def _shift(value: Decimal, places: int) -> Decimal:
    """value × 10**places, exactly, written without exponent (1.35E+7 -> 13500000)."""
    ctx = _exact_context(value, places)
    result = value.scaleb(places, context=ctx)
    if result.as_tuple().exponent > 0:
        result = result.quantize(Decimal(1), context=ctx)
    return result


def _check_finite(value: Decimal) -> None:
    if not value.is_finite():
        raise ValueError(f"{value} är inget ändligt tal")


def _to_decimal(value: Decimal | int) -> Decimal:
    # bool is an int, but True kronor is a bug, not an amount.
    if isinstance(value, float | bool) or not isinstance(value, Decimal | int):
        raise TypeError(
            f"{type(value).__name__} är inte tillåtet för belopp; använd Decimal eller int"
        )
    result = Decimal(value)
    _check_finite(result)
    return result


def _strip_unit(text: str) -> tuple[str, str]:
    lowered = text.lower()
    for unit in _UNITS:
        if lowered.endswith(unit):
            core = text[: len(text) - len(unit)]
            return core.rstrip(_SPACE_CHARS), _CANONICAL_UNIT.get(unit, unit)
    return text, ""


# re.ASCII: only 0-9 are digits (Python's \d would also accept Arabic-Indic digits etc.).
_DIGITS_GROUPED = re.compile(r"\d{1,3}(\.\d{3}){2,}", re.ASCII)  # 1.234.567: dots as thousands
_DOTS_THOUSANDS_COMMA_DECIMAL = re.compile(r"\d{1,3}(\.\d{3})+,\d+", re.ASCII)  # 1.234,5
_PLAIN = re.compile(r"\d+(\.\d+)?|\.\d+", re.ASCII)
_SPACES = re.compile(f"[{_SPACE_CHARS}]+")


def _read_sign(s: str, raw: str) -> tuple[str, str]:
    """Split leading sign characters off `s`: returns (sign, rest), sign in "", "+", "-", "±".

    Accepted: one "+", one minus (any of the dash characters), or "+-" / "-+" / "±" meaning
    plus-or-minus (deviation tables print zero as "+-0"). Anything else ("--5") is an error.
    """
    signs = []
    while s and (s[0] in _MINUS_CHARS or s[0] in "+±"):
        signs.append("-" if s[0] in _MINUS_CHARS else s[0])
        s = s[1:].lstrip(_SPACE_CHARS)
    combined = "".join(signs)
    if combined in ("", "+", "-"):
        return combined, s
    if combined in ("+-", "-+", "±"):
        return "±", s
    raise NumberFormatError(f"{raw!r}: för många tecken före talet")


def _parse_digits(s: str, raw: str) -> Decimal:
    """Parse an unsigned number with Swedish or accidental English separators."""
    # A space inside the number is only acceptable as a thousands separator.
    if any(ch in _SPACE_CHARS for ch in s):
        head, *rest = _SPACES.split(s)
        last_int = re.split("[,.]", rest[-1])[0]
        ok = (
            re.fullmatch(r"\d{1,3}", head, re.ASCII)
            and all(re.fullmatch(r"\d{3}", g, re.ASCII) for g in rest[:-1])
            and re.fullmatch(r"\d{3}", last_int, re.ASCII)
        )
        if not ok:
            raise NumberFormatError(f"{raw!r}: mellanslag på fel ställe i talet")
        s = head + "".join(rest)

    if _DIGITS_GROUPED.fullmatch(s):
        s = s.replace(".", "")
    elif "," in s and "." in s:
        # "1.234,5" (dots as thousands) is the only mixed form we accept.
        if not _DOTS_THOUSANDS_COMMA_DECIMAL.fullmatch(s):
            raise NumberFormatError(f"{raw!r}: både punkt och komma")
        s = s.replace(".", "").replace(",", ".")
    else:
        # A single comma or a single point is the decimal separator ("13.687" = 13,687).
        s = s.replace(",", ".")
    if not _PLAIN.fullmatch(s):
        raise NumberFormatError(f"{raw!r} är inget tal")
    return Decimal(s)  # exact: Decimal(str) never rounds


def parse_quantity(text: str | Decimal | int | None, *, dash: str = "missing") -> ParsedNumber:
    """Parse a number with an optional unit suffix (%, tkr, mnkr/mkr, kr, st).

    The value is returned as written ("13,5 mkr" -> 13.5 with unit "mnkr"); use
    `ParsedNumber.in_kronor()` for the amount in kronor. An empty text (or None) is
    missing, never zero. `dash` says what a lone "-" means: "missing" (None) or "zero".
    A Decimal or int (e.g. a spreadsheet cell) is passed through. Raises
    NumberFormatError (a ValueError) with a Swedish message for anything else.
    """
    if dash not in ("missing", "zero"):
        raise ValueError("dash must be 'missing' or 'zero'")
    if text is None:
        return ParsedNumber(None)
    if isinstance(text, Decimal | int) and not isinstance(text, bool):
        try:
            return ParsedNumber(_to_decimal(text))
        except ValueError as exc:
            raise NumberFormatError(f"{text!r} är inget tal") from exc
    if not isinstance(text, str):
        raise NumberFormatError(f"{text!r} är inget tal")
    raw = text
    s = text.strip(_SPACE_CHARS + "\r\n")
    if s == "":
        return ParsedNumber(None)
    s, unit = _strip_unit(s)
    if s == "" and unit:
        raise NumberFormatError(f"{raw!r} har en enhet men inget tal")
    if len(s) == 1 and s in _MINUS_CHARS:
        return ParsedNumber(Decimal(0) if dash == "zero" else None, unit)

    parenthesised = False
    # Accounting parentheses: (1 234) means -1 234.
    if s.startswith("(") and s.endswith(")"):
        parenthesised = True
        s = s[1:-1].strip(_SPACE_CHARS)
    sign, s = _read_sign(s, raw)
    if parenthesised and sign:
        raise NumberFormatError(f"{raw!r}: både parentes och tecken")
    if not s:
        raise NumberFormatError(f"{raw!r} är inget tal")
    value = _parse_digits(s, raw)
    if sign == "±" and value != 0:
        raise NumberFormatError(f"{raw!r}: {_SIGN_MESSAGE}")
    if (sign == "-" or parenthesised) and value != 0:
        value = value.copy_negate()  # exact, unlike unary minus
    return ParsedNumber(value, unit)


def parse_number(text: str | Decimal | int | None, *, dash: str = "missing") -> Decimal | None:
    """Parse a Swedish number (any unit suffix is dropped); None means missing."""
    return parse_quantity(text, dash=dash).value


def looks_like_number(text: str) -> bool:
    """True if `text` parses to a number (empty and a lone "-" do not count)."""
    try:
        return parse_quantity(text).value is not None
    except NumberFormatError:
        return False


# ---------------------------------------------------------------- rounding and formatting


def round_half_up(value: Decimal | int, decimals: int = 0) -> Decimal:
    """Round half away from zero to `decimals` places (negative: tens, hundreds, ...).

    2,5 -> 3 and -2,5 -> -3 (Python's round() and Babel would give 2 and -2). The result
    has exactly max(decimals, 0) decimals and is never negative zero.
    """
    value = _to_decimal(value)
    ctx = _exact_context(value, decimals)
    scaled = value.scaleb(decimals, context=ctx).quantize(
        Decimal(1), rounding=ROUND_HALF_UP, context=ctx
    )
    result = scaled.scaleb(-decimals, context=ctx)
    if decimals < 0:
        result = result.quantize(Decimal(1), context=ctx)
    if result.is_zero():
        result = result.copy_abs()
    return result


def format_number(
    value: Decimal | int | None,
    decimals: int = 0,
    *,
    plus: bool = False,
    missing: str = "",
) -> str:
    """Format with non-breaking thousands space and decimal comma, rounding half up.

    `plus` prints a "+" before positive numbers (deviations). Zero never has a sign.
    Negative `decimals` round to tens, hundreds, ... and print whole numbers.
    None is printed as `missing`. Floats are refused (TypeError): money is never float.
    """
    if value is None:
        return missing
    places = max(decimals, 0)
    d = round_half_up(_to_decimal(value), decimals)
    sign = ""
    if d < 0:
        sign = MINUS
    elif d > 0 and plus:
        sign = "+"
    text = f"{d.copy_abs():.{places}f}"
    whole, _, frac = text.partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    out = NBSP.join(groups)
    if frac:
        out += "," + frac
    return sign + out


def format_tkr_exact(kronor: Decimal | int | None) -> str:
    """Kronor as tkr with exactly the decimals needed (up to five: öre), for a form's input:
    -24 000 000 -> "-24 000", -1 200 000,50 -> "-1 200,0005". Read back with parse_tkr_exact
    it gives the same kronor, so an untouched cell is never rounded."""
    if kronor is None:
        return ""
    value = _to_decimal(kronor) / 1000
    exponent = value.normalize().as_tuple().exponent
    decimals = max(0, -exponent) if isinstance(exponent, int) else 0
    return format_number(value, decimals)


def parse_tkr_exact(text: str | None) -> Decimal | None:
    """A tkr amount typed in a form as exact kronor with öre ("-1 200,5" -> -1200500.00);
    None when empty. More decimals than öre is a NumberFormatError."""
    value = parse_number(text)
    if value is None:
        return None
    kronor = value * 1000
    exact = kronor.quantize(Decimal("0.01"))
    if exact != kronor:
        raise NumberFormatError(f"{text!r} har fler decimaler än öre (högst fem decimaler i tkr)")
    return exact


def format_tkr(kronor: Decimal | int | None, *, plus: bool = False) -> str:
    """Kronor shown as whole tkr: -20 476 123,40 kr -> "-20 476"."""
    if kronor is None:
        return ""
    fast = _tkr_fast(kronor, plus)
    if fast is not None:
        return fast
    return format_number(_shift(_to_decimal(kronor), -3), 0, plus=plus)


def _tkr_fast(kronor: object, plus: bool) -> str | None:
    """format_tkr in integer arithmetic for whole öre (every amount the figures show; a
    large grid formats thousands): the same text as the Decimal path, which is the
    reference (tests/lib/test_numbers.py compares them). None: not whole öre, use it."""
    if isinstance(kronor, Decimal):
        if not kronor.is_finite():
            return None
        exponent = kronor.as_tuple().exponent
        if not isinstance(exponent, int) or exponent < -2 or kronor.adjusted() > 20:
            return None  # öre fractions, or so large that scaleb would round
        ore = int(kronor.scaleb(2))
    elif isinstance(kronor, int) and not isinstance(kronor, bool):
        ore = kronor * 100
    else:
        return None
    # Whole tkr, rounded half away from zero: 1 tkr = 100 000 öre.
    whole, rest = divmod(abs(ore), 100_000)
    if rest * 2 >= 100_000:
        whole += 1
    if whole == 0:
        return "0"
    sign = MINUS if ore < 0 else ("+" if plus else "")
    return sign + f"{whole:,}".replace(",", NBSP)


def format_mnkr(kronor: Decimal | int | None, *, plus: bool = False, decimals: int = 1) -> str:
    """Kronor shown as mnkr with one decimal: 13 490 000 kr -> "13,5"."""
    if kronor is None:
        return ""
    return format_number(_shift(_to_decimal(kronor), -6), decimals, plus=plus)


def format_percent(value: Decimal | int | None, decimals: int = 0, *, plus: bool = False) -> str:
    """A percentage given in percent units: Decimal("41") -> "41 %" (non-breaking space)."""
    if value is None:
        return ""
    return format_number(value, decimals, plus=plus) + NBSP + "%"


def format_kronor(value: Decimal | int | None, *, plus: bool = False) -> str:
    """Whole kronor: Decimal("-152080.4") -> "-152 080"."""
    return format_number(value, 0, plus=plus)
