"""The rules of internal control and the registers (DOMAIN §11). Pure Python, no Django.

- riskvärde = sannolikhet × konsekvens, each graded 1–4 (never typed by a person);
- the sample a control takes ("10 procent av alla externt nyanställda", "minst 15
  verifikationer per kvartal");
- the date a social-services decision becomes three months old, the quarter it is
  first reported in, and the status it has in each later quarter (SoL 16 kap 6 f §);
- deadlines: the yttrande to the auditors (with an extension) and the due date of an
  action.
"""

from __future__ import annotations

import calendar
import math
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from styra.lib.periods import MONTHS_LONG, MONTHS_SHORT

# ------------------------------------------------------------------ risks

LIKELIHOOD_LABELS = {1: "Osannolik", 2: "Mindre sannolik", 3: "Möjlig", 4: "Sannolik"}
CONSEQUENCE_LABELS = {1: "Försumbar", 2: "Lindrig", 3: "Kännbar", 4: "Allvarlig"}
GRADES = (1, 2, 3, 4)


def check_grade(value: object, what: str) -> int:
    """A grade 1–4 (sannolikhet or konsekvens); ValueError in Swedish otherwise."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{what} ska vara en siffra 1–4")
    if value not in GRADES:
        raise ValueError(f"{what} {value} finns inte; graderingen är 1–4")
    return value


def risk_value(likelihood: int, consequence: int) -> int:
    """Riskvärde = sannolikhet × konsekvens (1–16)."""
    return check_grade(likelihood, "sannolikhet") * check_grade(consequence, "konsekvens")


def risk_level(value: int) -> str:
    """The band a riskvärde falls in, for the matrix's colours and its text alternative:
    1–3 låg, 4–6 medel, 8–9 hög, 12–16 mycket hög."""
    if not 1 <= value <= 16:
        raise ValueError(f"riskvärdet {value} ligger utanför 1–16")
    if value <= 3:
        return "låg"
    if value <= 6:
        return "medel"
    if value <= 9:
        return "hög"
    return "mycket hög"


def matrix_counts(
    grades: list[tuple[int, int]],
) -> dict[tuple[int, int], int]:
    """How many risks sit in each cell (sannolikhet, konsekvens) of the 4×4 matrix; every
    cell is present, empty ones with 0."""
    counts = {(s, k): 0 for s in GRADES for k in GRADES}
    for s, k in grades:
        risk_value(s, k)  # validates
        counts[(s, k)] += 1
    return counts


# ------------------------------------------------------------------ controls


@dataclass(frozen=True)
class SampleRule:
    """A stickprov's rule in numbers: a share of the population and/or a minimum count,
    per a period ("kvartal", "år", "" when the text gives none)."""

    percent: Decimal | None = None
    minimum: int | None = None
    per: str = ""


_PERCENT = re.compile(r"(\d+(?:[,.]\d+)?)\s*(?:%|procent)", re.IGNORECASE)
_MINIMUM = re.compile(r"minst\s+(\d+)", re.IGNORECASE)
_PER = re.compile(r"per\s+(kvartal|år|månad|halvår|tertial)", re.IGNORECASE)


def sample_rule_from_text(text: str) -> SampleRule:
    """The numbers a written sample rule states: "10 procent av alla externt nyanställda"
    → 10 %; "minst 15 verifikationer per kvartal" → at least 15 per kvartal. A text
    without numbers gives an empty rule (the text alone then says what to do)."""
    percent = minimum = None
    if m := _PERCENT.search(text):
        percent = Decimal(m.group(1).replace(",", "."))
    if m := _MINIMUM.search(text):
        minimum = int(m.group(1))
    per = m.group(1).lower() if (m := _PER.search(text)) else ""
    return SampleRule(percent, minimum, per)


def sample_size(population: int, rule: SampleRule) -> int | None:
    """How many items the sample must hold for a population: the share rounded up, at
    least the minimum, never more than the population. None when the rule has no numbers."""
    if population < 0:
        raise ValueError("populationen kan inte vara negativ")
    if rule.percent is None and rule.minimum is None:
        return None
    need = 0
    if rule.percent is not None:
        need = math.ceil(Decimal(population) * rule.percent / 100)
    if rule.minimum is not None:
        need = max(need, rule.minimum)
    return min(need, population)


def parse_months(text: str) -> tuple[int, ...]:
    """Months a control is performed in, from what people write: "3, 9", "mars och
    september", "mar sep", "Q2" / "kvartal 2" (the quarter's last month), "kvartalsvis"
    (3, 6, 9, 12), "hela året" (1–12). ValueError names what could not be read."""
    words = [w for w in re.split(r"[\s,;/]+|\boch\b", text.strip().lower()) if w]
    months: set[int] = set()
    i = 0
    while i < len(words):
        w = words[i]
        if w.isdigit():
            n = int(w)
            if not 1 <= n <= 12:
                raise ValueError(f"månad {n} finns inte (1–12)")
            months.add(n)
        elif w in MONTHS_LONG:
            months.add(MONTHS_LONG.index(w) + 1)
        elif w.rstrip(".") in MONTHS_SHORT:
            months.add(MONTHS_SHORT.index(w.rstrip(".")) + 1)
        elif re.fullmatch(r"[qk][1-4]", w):
            months.add(3 * int(w[1]))
        elif w == "kvartal" and i + 1 < len(words) and words[i + 1] in ("1", "2", "3", "4"):
            months.add(3 * int(words[i + 1]))
            i += 1
        elif w == "kvartalsvis":
            months.update((3, 6, 9, 12))
        elif w in ("månadsvis", "hela", "året", "löpande"):
            months.update(range(1, 13))
        else:
            raise ValueError(f"{w!r} är ingen månad (skriv t.ex. 3, 9 eller mars och september)")
        i += 1
    if not months:
        raise ValueError("ange minst en månad")
    return tuple(sorted(months))


def months_label(months: tuple[int, ...]) -> str:
    """(3, 9) → "mars, september"; all twelve → "varje månad"."""
    if tuple(months) == tuple(range(1, 13)):
        return "varje månad"
    return ", ".join(MONTHS_LONG[m - 1] for m in months)


# ------------------------------------------------------------------ dates


def add_months(day: date, months: int) -> date:
    """The same day n months later; the month's last day when it is shorter (2022-11-30
    + 3 → 2023-02-28)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def three_months_after(decision_date: date) -> date:
    """The day a decision not yet carried out becomes reportable (three months after the
    decision date, SoL 16 kap 6 f §)."""
    return add_months(decision_date, 3)


def quarter_of(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def quarter_end(year: int, quarter: int) -> date:
    if not 1 <= quarter <= 4:
        raise ValueError(f"kvartal {quarter} finns inte (1–4)")
    return date(year, 3 * quarter, calendar.monthrange(year, 3 * quarter)[1])


def quarter_start(year: int, quarter: int) -> date:
    if not 1 <= quarter <= 4:
        raise ValueError(f"kvartal {quarter} finns inte (1–4)")
    return date(year, 3 * quarter - 2, 1)


def days_waited(decision_date: date, until: date) -> int:
    """Days from the decision to the day it was carried out, or to the report date."""
    if until < decision_date:
        raise ValueError("slutdatumet ligger före beslutsdatumet")
    return (until - decision_date).days


# ------------------------------------------------------------------ quarterly status

NEW = "new"  # first reported this quarter
AGAIN = "again"  # reported before, still not carried out
EXECUTED = "executed"  # reported before, carried out now
CLOSED = "closed"  # reported before, closed without being carried out
STATUSES = (NEW, AGAIN, EXECUTED, CLOSED)
FINAL = frozenset({EXECUTED, CLOSED})
STATUS_LABELS = {
    NEW: "Ny rapportering",
    AGAIN: "Rapporterat tidigare, ännu inte verkställt",
    EXECUTED: "Rapporterat tidigare, nu verkställt",
    CLOSED: "Rapporterat tidigare, avslutat utan verkställighet",
}


def first_reportable_quarter(decision_date: date) -> tuple[int, int]:
    """The quarter whose report first includes the decision, if it is still not carried
    out at its three-month date."""
    return quarter_of(three_months_after(decision_date))


def quarter_status(
    *,
    decision_date: date,
    year: int,
    quarter: int,
    executed_on: date | None = None,
    closed_on: date | None = None,
    reported_before: bool,
) -> str | None:
    """The decision's status in a quarter's report, or None when it is not in that report.

    A decision carried out (or closed) before its three-month date is never reported. It is
    new in the quarter it first turns three months old unreported; while it was reported
    before, it is reported again each quarter until the quarter it is carried out or closed,
    where it is reported one last time as executed or closed.
    """
    end = quarter_end(year, quarter)
    start = quarter_start(year, quarter)
    due = three_months_after(decision_date)
    if executed_on and closed_on:
        raise ValueError("ett beslut är antingen verkställt eller avslutat, inte båda")
    finished = executed_on or closed_on
    if finished is not None and finished < decision_date:
        raise ValueError("verkställighets- eller avslutsdatumet ligger före beslutet")
    if finished is not None and finished <= due and not reported_before:
        return None  # carried out in time
    if due > end:
        return None  # not three months old yet
    if finished is not None and finished < start:
        return None  # finished in an earlier quarter
    if not reported_before:
        if finished is not None and finished <= end:
            # Late but finished within the quarter it became reportable: reported once,
            # with its end state (IVO wants to know it was late).
            return EXECUTED if executed_on else CLOSED
        return NEW
    if finished is not None and finished <= end:
        return EXECUTED if executed_on else CLOSED
    return AGAIN


def check_transition(previous: str | None, new: str) -> None:
    """A decision's statuses follow each other quarter by quarter: nothing after executed
    or closed; "again", "executed" and "closed" only after an earlier report; "new" only
    the first time."""
    if new not in STATUSES:
        raise ValueError(f"okänd status {new!r}")
    if previous in FINAL:
        raise ValueError(
            f"beslutet är redan {STATUS_LABELS[previous].lower()}; det rapporteras inte igen"
        )
    if previous is None and new == AGAIN:
        raise ValueError("ett beslut som inte rapporterats tidigare kan inte rapporteras igen")
    if previous is not None and new == NEW:
        raise ValueError(
            "beslutet är redan rapporterat; välj rapporteras igen, verkställt eller avslutat"
        )


def previous_quarter(year: int, quarter: int) -> tuple[int, int]:
    return (year, quarter - 1) if quarter > 1 else (year - 1, 4)


# ------------------------------------------------------------------ deadlines


def effective_deadline(deadline: date, extended_to: date | None) -> date:
    """The yttrande's deadline: the extension (anstånd) when one was granted; an extension
    earlier than the original deadline is an error."""
    if extended_to is None:
        return deadline
    if extended_to < deadline:
        raise ValueError("anståndet kan inte sluta före den ursprungliga sista dagen")
    return extended_to


def deadline_text(deadline: date, today: date, *, done: bool = False) -> str:
    """ "klart", "i dag", "om 3 dagar", "1 dag sen" — the state of a due date in words."""
    if done:
        return "klart"
    days = (deadline - today).days
    if days == 0:
        return "sista dag i dag"
    if days > 0:
        return f"om {days} {'dag' if days == 1 else 'dagar'}"
    late = -days
    return f"{late} {'dag' if late == 1 else 'dagar'} sen"


def is_overdue(deadline: date | None, today: date, *, done: bool = False) -> bool:
    return deadline is not None and not done and deadline < today
