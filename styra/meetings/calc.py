"""Pure rules of committee administration (DOMAIN §10). No Django.

Kommunallagen (2017:725) dates:
- the protocol is justerat no later than 14 days after the meeting (5 kap. 69 §);
- the justering is announced on the anslagstavla no later than the second day after
  the justering (8 kap. 12 §), and the notice stays up until the appeal time has run out;
- laglighetsprövning: the appeal must arrive within three weeks from the day the
  justering was announced (13 kap. 5 §). A period whose last day is a Saturday, Sunday,
  public holiday, midsommarafton, julafton or nyårsafton ends on the next weekday
  (lag (1930:173) om beräkning av lagstadgad tid).

Also here: diarienummer (`PREFIX/YYYY:N`, zero-padded when the municipality wants), the
notice deadline, the delegation reporting deadline and the delegat role check.
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
        return self.text()

    def text(self, digits: int = 0) -> str:
        """'AVUX/2020:37', or with `digits` zero-padded: 'AVUX/2020:00037' (digits=5)."""
        return f"{self.prefix}/{self.year}:{self.number:0{max(digits, 1)}d}"

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


# --- roll-call and votes ---------------------------------------------------------------

RULE_ROLL_CALL = "Närvaron (upprop)"
RULE_VOTE = "Omröstning (KL 6 kap. 33 §: vid lika röstetal har ordföranden utslagsröst)"

DECIDING, SERVING, PRESENT, OTHER, ABSENT = "deciding", "serving", "present", "other", "absent"
YES, NO, ABSTAIN = "ja", "nej", "avstar"


@dataclass(frozen=True)
class Presence:
    """One person's line in the roll-call: kind, whom a serving ersättare replaces, and
    the paragraphs (first, last; None = from the start / to the end)."""

    person: int
    kind: str
    replaces: int | None = None
    first: int | None = None
    last: int | None = None

    def covers(self, number: int) -> bool:
        return (self.first is None or self.first <= number) and (
            self.last is None or number <= self.last
        )

    def overlaps(self, other: Presence) -> bool:
        lo = max(self.first or 0, other.first or 0)
        hi = min(
            self.last if self.last is not None else 10**9,
            other.last if other.last is not None else 10**9,
        )
        return lo <= hi


def serving_on(rows: list[Presence], number: int) -> set[int]:
    """Who decides § `number`: present members not replaced then, and the ersättare
    serving then."""
    subs = [r for r in rows if r.kind == SERVING and r.covers(number)]
    replaced = {r.replaces for r in subs}
    deciding = {r.person for r in rows if r.kind == DECIDING and r.covers(number)}
    return (deciding - replaced) | {r.person for r in subs}


def check_roll_call(rows: list[Presence], voting: set[int], names: dict[int, str]) -> list[str]:
    """Every problem of a roll-call, in words: a person twice, an ersättare serving for
    nobody or for someone not a member, two serving for the same member at once, a member
    replaced while he or she decides, a range that ends before it starts."""
    problems = []
    seen: set[int] = set()
    for r in rows:
        name = names.get(r.person, str(r.person))
        if r.person in seen:
            problems.append(f"{name} finns två gånger i närvaron.")
        seen.add(r.person)
        if r.first is not None and r.last is not None and r.last < r.first:
            problems.append(f"{name}: till § {r.last} ligger före från § {r.first}.")
        if r.kind == SERVING:
            if r.replaces is None:
                problems.append(f"{name} tjänstgör men ersätter ingen; välj vem.")
            elif r.replaces not in voting:
                problems.append(
                    f"{name} kan inte ersätta {names.get(r.replaces, '')}: bara en ledamot ersätts."
                )
            elif r.replaces == r.person:
                problems.append(f"{name} kan inte ersätta sig själv.")
        elif r.replaces is not None:
            problems.append(f"{name} ersätter någon men är inte tjänstgörande ersättare.")
    subs = [r for r in rows if r.kind == SERVING and r.replaces is not None]
    for i, a in enumerate(subs):
        for b in subs[i + 1 :]:
            if a.replaces == b.replaces and a.overlaps(b):
                problems.append(
                    f"{names.get(a.person)} och {names.get(b.person)} ersätter båda "
                    f"{names.get(a.replaces)} samtidigt."
                )
        for m in rows:
            if m.person == a.replaces and m.kind == DECIDING and m.overlaps(a):
                problems.append(
                    f"{names.get(a.person)} ersätter {names.get(m.person)}, som själv "
                    "tjänstgör samtidigt; ange från vilken paragraf."
                )
    return problems


@dataclass(frozen=True)
class VoteTotals:
    yes: int
    no: int
    abstain: int

    @property
    def voted(self) -> int:
        return self.yes + self.no + self.abstain


def vote_totals(choices: list[str]) -> VoteTotals:
    """The totals are counted from the individual votes, never typed in."""
    unknown = [c for c in choices if c not in (YES, NO, ABSTAIN)]
    if unknown:
        raise ValueError(f"Okänd röst: {unknown[0]}")
    return VoteTotals(choices.count(YES), choices.count(NO), choices.count(ABSTAIN))


def vote_outcome(totals: VoteTotals, chair_choice: str | None) -> str:
    """YES when the ja-proposition won, NO otherwise; a tie is decided by the chair's
    vote (utslagsröst). A tie where the chair abstained cannot be decided."""
    if totals.yes != totals.no:
        return YES if totals.yes > totals.no else NO
    if chair_choice in (YES, NO):
        return chair_choice
    raise RuleViolation(
        RULE_VOTE,
        f"Lika röstetal ({totals.yes}–{totals.no}) och ordföranden röstade inte ja eller nej.",
    )


# --- replies by a date (remisser, revisionsfrågor) ---------------------------------------

REPLY_SOON_DAYS = 14


def check_reply(has_kind: bool, due: date | None, replied_on: date | None) -> dict[str, str]:
    """A case that answers a remiss or an audit question needs its svarsdatum, and a
    svarsdatum belongs to such a case. {field: problem}; empty when consistent."""
    problems = {}
    if has_kind and due is None:
        problems["reply_due"] = "Ange svarsdatum för remissen eller revisionsfrågan."
    if not has_kind and due is not None:
        problems["reply_kind"] = "Ange om svarsdatumet gäller en remiss eller en revisionsfråga."
    if not has_kind and replied_on is not None:
        problems["reply_kind"] = "Bara en remiss eller revisionsfråga kan markeras som besvarad."
    return problems


def reply_state(
    due: date | None, replied_on: date | None, today: date, *, soon_days: int = REPLY_SOON_DAYS
) -> str | None:
    """The state of a svarsdatum: "overdue" (passed unanswered), "soon" (due within `soon_days`
    days, today included) or None (answered, no date, or later)."""
    if due is None or replied_on is not None:
        return None
    days = (due - today).days
    if days < 0:
        return "overdue"
    if days <= soon_days:
        return "soon"
    return None


def reply_when(due: date, today: date) -> str:
    """The svarsdatum in words relative to today: "i dag", "om 3 dagar", "2 dagar sen"."""
    days = (due - today).days
    if days == 0:
        return "i dag"
    if days > 0:
        return f"om {days} {'dag' if days == 1 else 'dagar'}"
    return f"{-days} {'dag' if days == -1 else 'dagar'} sen"
