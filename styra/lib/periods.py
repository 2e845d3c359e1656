"""Fiscal periods (DOMAIN §3). Pure Python, no Django.

The fiscal year is the calendar year, with monthly periods 1..12 and period 13
("Mån 13"), which holds the year-end closing entries. A full year's outcome includes
period 13. The codes of reporting events (2020-D2, 2019-06, …) are in eventcodes.py.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

MONTHS_SHORT = ("jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec")
MONTHS_LONG = (
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
)
CLOSING_PERIOD = 13
CLOSING_LABEL = "Mån 13"
EN_DASH = "\u2013"
MIN_YEAR, MAX_YEAR = 1000, 9999  # four-digit years, as the codes are written


def _check_int(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what} ska vara ett heltal, inte {type(value).__name__}")
    return value


def _check_year(year: object) -> int:
    year = _check_int(year, "året")
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(f"året {year} ska ha fyra siffror")
    return year


def _check_month(month: object) -> int:
    month = _check_int(month, "månaden")
    if not 1 <= month <= 12:
        raise ValueError(f"månad {month} finns inte (1–12)")
    return month


def month_short(month: int) -> str:
    """Short Swedish month name: 1 -> "jan", 3 -> "mar", 5 -> "maj"."""
    return MONTHS_SHORT[_check_month(month) - 1]


def month_long(month: int) -> str:
    """Long Swedish month name: 6 -> "juni"."""
    return MONTHS_LONG[_check_month(month) - 1]


def days_in_month(year: int, month: int) -> int:
    """Number of days in the month (leap years counted): days_in_month(2020, 2) == 29."""
    return calendar.monthrange(_check_year(year), _check_month(month))[1]


def days_in_year(year: int) -> int:
    """365 or 366."""
    return 366 if calendar.isleap(_check_year(year)) else 365


def month_end(year: int, month: int) -> date:
    """The last day of the month: month_end(2020, 4) == date(2020, 4, 30)."""
    return date(year, month, days_in_month(year, month))


def _period_name(number: int) -> str:
    return CLOSING_LABEL if number == CLOSING_PERIOD else MONTHS_SHORT[number - 1]


# ------------------------------------------------------------------------------ periods


@dataclass(frozen=True, order=True)
class Period:
    """One accounting period: a month 1..12, or 13 for the year-end closing."""

    year: int
    number: int

    def __post_init__(self) -> None:
        _check_year(self.year)
        number = _check_int(self.number, "perioden")
        if not 1 <= number <= CLOSING_PERIOD:
            raise ValueError(f"period {number} finns inte (1–12, eller 13 för bokslutet)")

    @classmethod
    def parse(cls, text: str) -> Period:
        """Parse "2020-08" or "2019-13" (the form `str()` gives)."""
        match = re.fullmatch(r"(\d{4})-(\d{1,2})", text.strip(), re.ASCII)
        if not match:
            raise ValueError(
                f"{text!r} är ingen period; skriv ÅÅÅÅ-MM, t.ex. 2020-08 eller 2019-13"
            )
        return cls(int(match.group(1)), int(match.group(2)))

    @property
    def is_closing(self) -> bool:
        """True for period 13, the year-end closing entries."""
        return self.number == CLOSING_PERIOD

    @property
    def month(self) -> int:
        """The calendar month the period belongs to (period 13 is booked in December)."""
        return min(self.number, 12)

    @property
    def label(self) -> str:
        """Swedish label: "jan 2020", "Mån 13 2019"."""
        return f"{_period_name(self.number)} {self.year}"

    @property
    def end_date(self) -> date:
        """The last day of the period (31 December for period 13)."""
        return month_end(self.year, self.month)

    def next(self) -> Period:
        """The following period: 12 -> 13, 13 -> 1 of next year."""
        if self.is_closing:
            return Period(self.year + 1, 1)
        return Period(self.year, self.number + 1)

    def previous(self) -> Period:
        """The preceding period: 1 -> 13 of last year."""
        if self.number == 1:
            return Period(self.year - 1, CLOSING_PERIOD)
        return Period(self.year, self.number - 1)

    def __str__(self) -> str:
        return f"{self.year}-{self.number:02d}"


@dataclass(frozen=True)
class PeriodRange:
    """Periods first..last of one year, e.g. the year to date jan–aug (1..8)."""

    year: int
    first: int
    last: int

    def __post_init__(self) -> None:
        _check_year(self.year)
        first = _check_int(self.first, "första perioden")
        last = _check_int(self.last, "sista perioden")
        if not 1 <= first <= last <= CLOSING_PERIOD:
            raise ValueError(
                f"periodintervallet {first}–{last} är ogiltigt (1 ≤ första ≤ sista ≤ 13)"
            )

    @classmethod
    def year_to_date(cls, year: int, cutoff: int) -> PeriodRange:
        """Periods 1..cutoff: year_to_date(2020, 8) is jan–aug 2020."""
        return cls(year, 1, cutoff)

    @classmethod
    def full_year(cls, year: int) -> PeriodRange:
        """Periods 1..13: the whole year including the closing entries."""
        return cls(year, 1, CLOSING_PERIOD)

    @property
    def includes_closing(self) -> bool:
        """True if period 13 (year-end closing) is in the range."""
        return self.last == CLOSING_PERIOD

    @property
    def months_label(self) -> str:
        """Months with an en dash: "jan–aug"; 1..12 and 1..13 are both "jan–dec";
        a single month is "aug"; period 13 alone is "Mån 13"."""
        if self.first == self.last:
            return _period_name(self.first)
        last = min(self.last, 12)
        if self.first == last:  # 12..13
            return MONTHS_SHORT[last - 1]
        return f"{MONTHS_SHORT[self.first - 1]}{EN_DASH}{MONTHS_SHORT[last - 1]}"

    @property
    def months_label_with_closing(self) -> str:
        """Like `months_label` but naming period 13 when included: "jan–Mån 13"."""
        if not self.includes_closing or self.first == self.last:
            return self.months_label
        return f"{_period_name(self.first)}{EN_DASH}{CLOSING_LABEL}"

    @property
    def label(self) -> str:
        """Months and year: "jan–aug 2020"."""
        return f"{self.months_label} {self.year}"

    def contains(self, period: Period) -> bool:
        """True if `period` is one of this range's periods (same year, within first..last)."""
        return period.year == self.year and self.first <= period.number <= self.last

    def __contains__(self, period: object) -> bool:
        return isinstance(period, Period) and self.contains(period)

    def periods(self) -> list[Period]:
        """The periods in order."""
        return [Period(self.year, n) for n in range(self.first, self.last + 1)]

    def __len__(self) -> int:
        return self.last - self.first + 1
