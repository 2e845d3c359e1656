"""Approved means frozen: the one lock check every app's services call.

    from styra.calendar.locks import LockedError, event_ensure_open, event_is_locked

    event_ensure_open(event)        # before any write to what the event shows

LockedError is a ValidationError: forms show its message, the CLI exits 1.
"""

from __future__ import annotations

from .models import LOCKED_STATUSES, LockedError, ReportingEvent

__all__ = [
    "LockedError",
    "approval_problems",
    "event_ensure_open",
    "event_is_locked",
    "event_next_open",
    "locked_events",
    "on_lock",
    "register_approval_check",
    "year_ensure_open",
]

# Called with the event inside the transaction that locks it (approval) or reopens it.
# The figures engine (styra.finance, above the calendar) registers here at start-up to
# store the facts an approved event shows, and to forget them when it is reopened.
_ON_LOCK: list = []
_ON_REOPEN: list = []


def on_lock(*, locked, reopened) -> None:
    """Register callables event -> None for the moment an event is locked / reopened."""
    if locked not in _ON_LOCK:
        _ON_LOCK.append(locked)
    if reopened not in _ON_REOPEN:
        _ON_REOPEN.append(reopened)


# Checks an event must pass before the committee's approval can be recorded: callables
# event -> list of Swedish problems. The reports app registers the report's own figures
# check (the numbers in the texts against the tables) at start-up.
_APPROVAL_CHECKS: list = []


def register_approval_check(check) -> None:
    if check not in _APPROVAL_CHECKS:
        _APPROVAL_CHECKS.append(check)


def approval_problems(event: ReportingEvent) -> list[str]:
    """Every problem the registered checks find in what the event would approve."""
    return [problem for check in _APPROVAL_CHECKS for problem in check(event)]


def run_lock_hooks(event: ReportingEvent, *, locked: bool) -> None:
    for hook in _ON_LOCK if locked else _ON_REOPEN:
        hook(event)


def event_is_locked(event: ReportingEvent) -> bool:
    """True once the committee has approved the event (and after it is sent to KS)."""
    return event.status in LOCKED_STATUSES


def event_next_open(event: ReportingEvent) -> ReportingEvent | None:
    """The committee's next open event after this one, in calendar order: where
    corrections to a locked event go."""
    here = event.parsed_code.sort_key
    later = [
        e
        for e in ReportingEvent.objects.filter(
            committee_id=event.committee_id, year__gte=event.year
        )
        if e.pk != event.pk and not event_is_locked(e) and e.parsed_code.sort_key > here
    ]
    return min(later, key=lambda e: e.parsed_code.sort_key, default=None)


def event_ensure_open(event: ReportingEvent, *, what: str = "") -> None:
    """Raise LockedError, saying why and where the correction goes, if what the event
    shows may no longer change. `what` names the change ("prognosen för Jobbcenter").

    The status is read from the database, not from the (possibly stale) instance: an
    event approved by someone else a moment ago is locked here too."""
    if event.pk is not None:
        event.refresh_from_db(fields=["status", "approved_at"])
    if not event_is_locked(event):
        return
    when = event.approved_at.date().isoformat() if event.approved_at else "tidigare"
    subject = f"{what} i {event.name}" if what else event.name
    following = event_next_open(event)
    where = (
        f"{following.name} ({following.code})"
        if following is not None
        else "nästa rapporttillfälle (lägg upp det i årets kalender)"
    )
    raise LockedError(
        f"{subject} kan inte ändras: {event.name} är godkänd av nämnden ({when}) och låst. "
        f"Rättelser förs in i {where}."
    )


def locked_events(committee, year: int | None) -> list[ReportingEvent]:
    """The committee's approved (locked) events of the year (None: of every year), latest
    cut-off first."""
    qs = ReportingEvent.objects.filter(committee=committee)
    if year is not None:
        qs = qs.filter(year=year)
    return [e for e in qs.order_by("-year", "-cutoff_period", "code") if event_is_locked(e)]


def year_ensure_open(
    committee, year: int, *, what: str, periods: tuple[int, int] | None = None
) -> None:
    """Raise LockedError when a change of `what` (e.g. "budgeten för Jobbcenter 2020")
    would change figures an approved event of the committee's year shows: any locked event
    of the year, or with `periods` (first, last) one whose cut-off reaches `first`. The
    message names the approved event and the next open event where the correction goes.

    The one check every write service calls (budget, budget changes, investments,
    volumes, staff, ledger imports and their undo) before it writes figures of a year."""
    for event in locked_events(committee, year):
        if periods is not None and event.cutoff_period < periods[0]:
            continue
        event_ensure_open(event, what=what)
