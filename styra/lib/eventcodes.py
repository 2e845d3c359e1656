"""Codes of the year's reporting events (DOMAIN §3). Pure Python, no Django.

Every event of a committee's year has a short code, used on the command line, in files,
in URLs and in the database (styra.calendar):

    2019-06     månadsrapport juni 2019                 (month, cut-off period 6)
    2023-K2     kvartalsrapport 2 2023                  (quarter, cut-off 6)
    2020-D1/D2  delårsrapport 1 / 2 (Botkyrka)          (cut-off 4 / 8)
    2021-T1/T2  tertialrapport 1 / 2 (Stockholm)        (cut-off 4 / 8)
    2020-VB     verksamhetsberättelse                   (cut-off 13: the closed year)
    2020-P3     the third prognos of the year           (cut-off set by the event)
    2023        the year itself, for yearly documents   (internkontrollplan, yttrande)

`parse_event_code(text)` reads what people type (lower case letters, "2019-6", spaces);
`format_event_code(code)` (= str(code)) writes the canonical form.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from .periods import (
    CLOSING_PERIOD,
    Period,
    PeriodRange,
    _check_int,
    _check_month,
    _check_year,
    month_long,
)


class EventKind(StrEnum):
    MONTH = "month"  # månadsrapport, code YYYY-MM
    QUARTER = "quarter"  # kvartalsrapport, YYYY-K1..K4
    TERTIAL = "tertial"  # tertialrapport, YYYY-T1 / YYYY-T2 (Stockholm)
    DELAR = "delår"  # delårsrapport, YYYY-D1 / YYYY-D2 (Botkyrka)
    VB = "vb"  # verksamhetsberättelse (annual report), YYYY-VB
    PROGNOS = "prognos"  # the nth forecast of the year, YYYY-Pn
    YEAR = "year"  # the year itself (yearly documents), YYYY


# The cut-off period of the first and second interim report: jan–apr and jan–aug.
_INTERIM_CUTOFF = {1: 4, 2: 8}
_LETTER = {
    EventKind.QUARTER: "K",
    EventKind.TERTIAL: "T",
    EventKind.DELAR: "D",
    EventKind.PROGNOS: "P",
}
_KIND_BY_LETTER = {letter: kind for kind, letter in _LETTER.items()}
_TITLE = {
    EventKind.QUARTER: "Kvartalsrapport",
    EventKind.TERTIAL: "Tertialrapport",
    EventKind.DELAR: "Delårsrapport",
    EventKind.PROGNOS: "Prognos",
}
# Within a year and cut-off: the report of a period comes after its forecast and month.
_RANK = {
    EventKind.PROGNOS: 0,
    EventKind.MONTH: 1,
    EventKind.QUARTER: 2,
    EventKind.TERTIAL: 3,
    EventKind.DELAR: 3,
    EventKind.VB: 4,
    EventKind.YEAR: 5,
}
ACCEPTED_FORMS = (
    "Använd ÅÅÅÅ-D1 eller ÅÅÅÅ-D2 (delårsrapport), ÅÅÅÅ-T1 eller ÅÅÅÅ-T2 (tertialrapport), "
    "ÅÅÅÅ-K1 till ÅÅÅÅ-K4 (kvartal), ÅÅÅÅ-MM (månadsrapport, månad 01–12), "
    "ÅÅÅÅ-VB (verksamhetsberättelse), ÅÅÅÅ-Pn (prognos nummer n) eller ÅÅÅÅ (året), "
    "t.ex. 2020-D2"
)
_CODE = re.compile(r"(\d{4})(?:-(?:(\d{1,2})|([DTPK])(\d{1,2})|(VB)))?", re.ASCII | re.IGNORECASE)


@dataclass(frozen=True)
class EventCode:
    """A reporting event of a year: kind plus number (month 1..12, quarter 1..4, interim
    report 1..2, forecast 1..99; None for the annual report VB and for the year)."""

    year: int
    kind: EventKind
    number: int | None = None

    def __post_init__(self) -> None:
        _check_year(self.year)
        try:
            kind = EventKind(self.kind)
        except ValueError:
            raise ValueError(f"okänd sorts rapporteringshändelse {self.kind!r}") from None
        object.__setattr__(self, "kind", kind)
        if kind in (EventKind.VB, EventKind.YEAR):
            if self.number is not None:
                what = "verksamhetsberättelsen" if kind is EventKind.VB else "året"
                raise ValueError(f"{what} har inget nummer")
            return
        number = _check_int(self.number, "numret")
        if kind is EventKind.MONTH:
            _check_month(number)
        elif kind is EventKind.QUARTER:
            if not 1 <= number <= 4:
                raise ValueError(f"kvartal {number} finns inte (1–4)")
        elif kind is EventKind.PROGNOS:
            if not 1 <= number <= 99:
                raise ValueError(f"prognos {number} finns inte (1–99)")
        elif number not in _INTERIM_CUTOFF:
            raise ValueError(f"rapport {number} finns inte (1 eller 2)")

    @classmethod
    def parse(cls, text: str) -> EventCode:
        return parse_event_code(text)

    @property
    def cutoff_period(self) -> int | None:
        """The last period the event covers: D1/T1 4, D2/T2 8, K1..K4 3/6/9/12, a month
        its number, VB and the year 13 (the full year including the closing entries);
        None for a prognos, whose cut-off is set by the event."""
        kind = self.kind
        if kind is EventKind.MONTH:
            return self.number
        if kind is EventKind.QUARTER:
            return 3 * self.number
        if kind in (EventKind.VB, EventKind.YEAR):
            return CLOSING_PERIOD
        if kind is EventKind.PROGNOS:
            return None
        return _INTERIM_CUTOFF[self.number]

    @property
    def cutoff_range(self) -> PeriodRange | None:
        """The year-to-date periods the event covers (1..cut-off); None for a prognos."""
        cutoff = self.cutoff_period
        return None if cutoff is None else PeriodRange.year_to_date(self.year, cutoff)

    @property
    def cutoff_date(self) -> date | None:
        """The date the figures are "per": 2020-D1 -> 2020-04-30; VB -> 31 December."""
        cutoff = self.cutoff_period
        return None if cutoff is None else Period(self.year, cutoff).end_date

    @property
    def name_sv(self) -> str:
        """Swedish name: "Delårsrapport 2 2020", "Tertialrapport 1 2021", "Kvartalsrapport
        2 2023", "Månadsrapport juni 2019", "Verksamhetsberättelse 2020", "Prognos 3 2020",
        "Verksamhetsåret 2023"."""
        kind = self.kind
        if kind is EventKind.MONTH:
            return f"Månadsrapport {month_long(self.number)} {self.year}"
        if kind is EventKind.VB:
            return f"Verksamhetsberättelse {self.year}"
        if kind is EventKind.YEAR:
            return f"Verksamhetsåret {self.year}"
        return f"{_TITLE[kind]} {self.number} {self.year}"

    @property
    def sort_key(self) -> tuple[int, int, int, int]:
        """Order of the events of a committee: year, cut-off, kind, number."""
        return (self.year, self.cutoff_period or 0, _RANK[self.kind], self.number or 0)

    def __str__(self) -> str:
        return format_event_code(self)


def parse_event_code(text: str) -> EventCode:
    """Parse a code such as "2020-D2", "2021-T1", "2023-K2", "2019-06", "2020-VB",
    "2020-P3" or "2023".

    Letters may be lower case; surrounding spaces are ignored. Raises ValueError with a
    Swedish message listing the accepted forms.
    """
    if not isinstance(text, str):
        raise ValueError(f"{text!r} är ingen rapporteringshändelse. {ACCEPTED_FORMS}")
    match = _CODE.fullmatch(text.strip())
    if not match:
        raise ValueError(f"{text!r} är ingen rapporteringshändelse. {ACCEPTED_FORMS}")
    year_text, month, letter, number, vb = match.groups()
    year = int(year_text)
    try:
        if vb:
            return EventCode(year, EventKind.VB)
        if month:
            return EventCode(year, EventKind.MONTH, int(month))
        if letter:
            return EventCode(year, _KIND_BY_LETTER[letter.upper()], int(number))
        return EventCode(year, EventKind.YEAR)
    except ValueError as exc:
        raise ValueError(
            f"{text!r} är ingen rapporteringshändelse: {exc}. {ACCEPTED_FORMS}"
        ) from exc


def format_event_code(code: EventCode) -> str:
    """The canonical code: "2020-D2", "2019-06", "2023-K2", "2020-VB", "2023"."""
    if code.kind is EventKind.VB:
        return f"{code.year}-VB"
    if code.kind is EventKind.YEAR:
        return f"{code.year}"
    if code.kind is EventKind.MONTH:
        return f"{code.year}-{code.number:02d}"
    return f"{code.year}-{_LETTER[code.kind]}{code.number}"
