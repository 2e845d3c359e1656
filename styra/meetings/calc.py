"""Pure rules of committee administration (DOMAIN §10). No Django.

Kommunallagen (2017:725) dates:
- the protocol is justerat no later than 14 days after the meeting (5 kap. 69 §);
- the justering is announced on the anslagstavla no later than the second day after
  the justering (8 kap. 12 §), and the notice stays up until the appeal time has run out;
- laglighetsprövning: the appeal must arrive within three weeks from the day the
  justering was announced (13 kap. 5 §). A period whose last day is a Saturday, Sunday,
  public holiday, midsommarafton, julafton or nyårsafton ends on the next weekday
  (lag (1930:173) om beräkning av lagstadgad tid).

Also here: diarienummer (`PREFIX/YYYY:NNNNN`), the notice deadline, the delegation
reporting deadline and the delegat role check.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from styra.lib.periods import MONTHS_LONG

JUSTERING_DAYS = 14
ANSLAG_DAYS = 2
APPEAL_DAYS = 21

RULE_JUSTERING = "KL 5 kap. 69 § (justering senast 14 dagar efter sammanträdet)"
RULE_JUSTERING_AFTER_MEETING = "Protokollet kan inte justeras före sammanträdet"
RULE_ANSLAG = "KL 8 kap. 12 § (anslag senast andra dagen efter justeringen)"
RULE_TAKE_DOWN = "KL 8 kap. 12 § (anslaget sitter uppe tills överklagandetiden gått ut)"
RULE_APPEAL = "KL 13 kap. 5 § (överklagande inom tre veckor från anslaget)"
RULE_JUSTERAD_LOCKED = "En justerad paragraf kan inte ändras"
RULE_NOTICE = "Kallelsen ska skickas senast {days} dagar före sammanträdet"
RULE_DELEGATION_ROLE = "Delegationsordningen"


class RuleViolation(Exception):
    """A rule of law or of the delegation scheme is broken; the message names the rule."""

    def __init__(self, rule: str, message: str):
        super().__init__(f"{message} ({rule})")
        self.rule = rule
        self.message = message


@dataclass(frozen=True)
class Finding:
    """A warning about a deadline (level "warning") or a broken rule (level "error")."""

    level: str
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.message} ({self.rule})"


# --- dates -----------------------------------------------------------------------------


def long_date(day: date) -> str:
    """'10 september 2020'."""
    return f"{day.day} {MONTHS_LONG[day.month - 1]} {day.year}"


def easter_sunday(year: int) -> date:
    """Gregorian Easter Sunday (anonymous Gregorian algorithm)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _first_saturday_between(start: date, end: date) -> date:
    day = start
    while day.weekday() != 5:
        day += timedelta(days=1)
    assert day <= end
    return day


def swedish_non_working_days(year: int) -> frozenset[date]:
    """Public holidays plus the eves the law on computing time treats like holidays."""
    easter = easter_sunday(year)
    midsummer_day = _first_saturday_between(date(year, 6, 20), date(year, 6, 26))
    all_saints = _first_saturday_between(date(year, 10, 31), date(year, 11, 6))
    return frozenset(
        {
            date(year, 1, 1),
            date(year, 1, 6),
            easter - timedelta(days=2),  # långfredagen
            easter,
            easter + timedelta(days=1),  # annandag påsk
            date(year, 5, 1),
            easter + timedelta(days=39),  # Kristi himmelsfärdsdag
            easter + timedelta(days=49),  # pingstdagen
            date(year, 6, 6),
            midsummer_day - timedelta(days=1),  # midsommarafton
            midsummer_day,
            all_saints,
            date(year, 12, 24),
            date(year, 12, 25),
            date(year, 12, 26),
            date(year, 12, 31),
        }
    )


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in swedish_non_working_days(day.year)


def roll_to_working_day(day: date) -> date:
    """A legal period ending on a non-working day ends on the next working day."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


@dataclass(frozen=True)
class ProtocolDates:
    """The dates Kommunallagen sets for one meeting's protocol (None: not yet known)."""

    meeting: date
    justering_deadline: date
    justerat: date | None = None
    anslag_deadline: date | None = None
    anslag_posted: date | None = None
    appeal_last_day: date | None = None
    take_down: date | None = None
    taken_down: date | None = None


def protocol_dates(
    meeting: date,
    *,
    justerat: date | None = None,
    anslag_posted: date | None = None,
    taken_down: date | None = None,
) -> ProtocolDates:
    """Compute the deadlines; the reference: justerat 3 juni, anslag 4 juni, ner 25 juni."""
    anslag_deadline = justerat + timedelta(days=ANSLAG_DAYS) if justerat else None
    appeal_last = (
        roll_to_working_day(anslag_posted + timedelta(days=APPEAL_DAYS)) if anslag_posted else None
    )
    return ProtocolDates(
        meeting=meeting,
        justering_deadline=meeting + timedelta(days=JUSTERING_DAYS),
        justerat=justerat,
        anslag_deadline=anslag_deadline,
        anslag_posted=anslag_posted,
        appeal_last_day=appeal_last,
        take_down=appeal_last,
        taken_down=taken_down,
    )


def check_justering(meeting: date, justerat: date) -> list[Finding]:
    """Raise when the date is before the meeting; warn when it is after the 14 days."""
    if justerat < meeting:
        raise RuleViolation(
            RULE_JUSTERING_AFTER_MEETING,
            f"Justeringsdagen {justerat.isoformat()} är före sammanträdet {meeting.isoformat()}.",
        )
    deadline = meeting + timedelta(days=JUSTERING_DAYS)
    if justerat > deadline:
        return [
            Finding(
                "warning",
                RULE_JUSTERING,
                f"Protokollet justerades {justerat.isoformat()}, efter sista dagen "
                f"{deadline.isoformat()}.",
            )
        ]
    return []


def check_anslag(justerat: date, posted: date, *, accept_late: bool = False) -> list[Finding]:
    """An anslag before the justering is refused; one after the limit is refused unless
    the secretary accepts it as late (then it is recorded with a warning)."""
    if posted < justerat:
        raise RuleViolation(
            RULE_ANSLAG,
            f"Anslaget {posted.isoformat()} kan inte sättas upp före justeringen "
            f"{justerat.isoformat()}.",
        )
    deadline = justerat + timedelta(days=ANSLAG_DAYS)
    if posted > deadline:
        message = f"Anslaget {posted.isoformat()} är senare än sista dagen {deadline.isoformat()}."
        if not accept_late:
            raise RuleViolation(RULE_ANSLAG, message + " Bekräfta att anslaget är försenat.")
        return [Finding("warning", RULE_ANSLAG, message)]
    return []


def check_take_down(posted: date, taken_down: date) -> None:
    appeal_last = roll_to_working_day(posted + timedelta(days=APPEAL_DAYS))
    if taken_down < appeal_last:
        raise RuleViolation(
            RULE_TAKE_DOWN,
            f"Anslaget får inte tas ner {taken_down.isoformat()}: överklagandetiden går ut "
            f"{appeal_last.isoformat()}.",
        )


def deadline_warnings(dates: ProtocolDates, today: date) -> list[Finding]:
    """What the secretary should be told today about this protocol."""
    out: list[Finding] = []
    if dates.justerat is None and today > dates.justering_deadline:
        out.append(
            Finding(
                "warning",
                RULE_JUSTERING,
                f"Protokollet är inte justerat och sista dagen var "
                f"{dates.justering_deadline.isoformat()}.",
            )
        )
    if dates.justerat and dates.justerat > dates.justering_deadline:
        out.append(
            Finding(
                "warning",
                RULE_JUSTERING,
                f"Protokollet justerades {dates.justerat.isoformat()}, efter sista dagen "
                f"{dates.justering_deadline.isoformat()}.",
            )
        )
    if dates.justerat and dates.anslag_deadline:
        if dates.anslag_posted is None and today > dates.anslag_deadline:
            out.append(
                Finding(
                    "warning",
                    RULE_ANSLAG,
                    f"Justeringen är inte anslagen och sista dagen var "
                    f"{dates.anslag_deadline.isoformat()}.",
                )
            )
        if dates.anslag_posted and dates.anslag_posted > dates.anslag_deadline:
            out.append(
                Finding(
                    "warning",
                    RULE_ANSLAG,
                    f"Anslaget sattes upp {dates.anslag_posted.isoformat()}, efter sista "
                    f"dagen {dates.anslag_deadline.isoformat()}.",
                )
            )
    return out


# --- notice ----------------------------------------------------------------------------


def notice_deadline(meeting: date, days_before: int) -> date:
    return meeting - timedelta(days=days_before)


def notice_findings(meeting: date, sent: date, days_before: int) -> list[Finding]:
    deadline = notice_deadline(meeting, days_before)
    if sent > deadline:
        return [
            Finding(
                "warning",
                RULE_NOTICE.format(days=days_before),
                f"Kallelsen skickas {sent.isoformat()}, efter {deadline.isoformat()}.",
            )
        ]
    return []


# --- diarienummer ----------------------------------------------------------------------

DIARY_RE = re.compile(r"^\s*([A-ZÅÄÖ]{1,12})\s*[/ ]\s*(\d{4})\s*:\s*(\d{1,6})\s*$")


@dataclass(frozen=True, order=True)
class DiaryNumber:
    prefix: str
    year: int
    number: int

    def __str__(self) -> str:
        return f"{self.prefix}/{self.year}:{self.number:05d}"

    @classmethod
    def parse(cls, text: str) -> DiaryNumber:
        """Accept 'SN/2023:00183', 'AVUX/2020:37' and the older 'SN 2019:197'."""
        match = DIARY_RE.match(text or "")
        if not match:
            raise ValueError(
                f"'{text}' är inget diarienummer; skriv t.ex. SN/2023:00183 (prefix/år:nummer)."
            )
        return cls(match.group(1), int(match.group(2)), int(match.group(3)))


# --- delegation ------------------------------------------------------------------------


def delegation_report_deadline(decided: date, *, day: int = 2, hour: int = 12) -> datetime:
    """Units report a decision by `hour`:00 on the `day`th of the month after it was made."""
    year, month = (
        (decided.year + 1, 1) if decided.month == 12 else (decided.year, decided.month + 1)
    )
    return datetime.combine(date(year, month, day), time(hour, 0))


def normalise_role(role: str) -> str:
    return " ".join(role.casefold().split())


def check_delegat(code: str, allowed_roles: tuple[str, ...], role: str) -> None:
    """Refuse a decision whose delegat role the delegationsordning does not give the code."""
    allowed = {normalise_role(r) for r in allowed_roles}
    if normalise_role(role) not in allowed:
        names = ", ".join(allowed_roles) or "ingen"
        raise RuleViolation(
            RULE_DELEGATION_ROLE,
            f"{role} får inte fatta beslut enligt punkt {code}; delegat är {names}.",
        )


# --- paragraphs ------------------------------------------------------------------------


def paragraph_range(numbers: list[int]) -> str:
    """'§ 45–49' for consecutive numbers, '§ 45, 47' otherwise, '' for none."""
    if not numbers:
        return ""
    nums = sorted(numbers)
    if nums == list(range(nums[0], nums[-1] + 1)) and len(nums) > 1:
        return f"§ {nums[0]}\u2013{nums[-1]}"
    return "§ " + ", ".join(str(n) for n in nums)


def proposal_points(text: str) -> list[str]:
    """The decision proposal as numbered points: one non-empty line each, any leading
    '1.', '1)' or '-' removed."""
    points = []
    for line in (text or "").splitlines():
        line = re.sub(r"^\s*(\d+[.)]|[-–•])\s*", "", line).strip()
        if line:
            points.append(line)
    return points
