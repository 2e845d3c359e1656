"""Reads of the calendar: one committee's events, one event by its code."""

from __future__ import annotations

from styra.lib.errors import UsageError
from styra.lib.eventcodes import parse_event_code
from styra.org.models import OrgNode

from .models import ReportingEvent


def event_get(*, committee: OrgNode, code: str) -> ReportingEvent:
    """The committee's event with this code ("2020-d2" is read as 2020-D2). An unknown
    or malformed code raises UsageError with a Swedish message (the CLI exits 2)."""
    try:
        canonical = str(parse_event_code(code))
    except ValueError as exc:
        raise UsageError(str(exc)) from exc
    event = ReportingEvent.objects.filter(committee=committee, code=canonical).first()
    if event is None:
        known = ", ".join(events_of(committee).values_list("code", flat=True)) or "inga"
        raise UsageError(
            f"{committee.name} har inget rapporttillfälle {canonical} (finns: {known}). "
            "Lägg upp det i årets kalender (styra finance events) först."
        )
    return event


def events_of(committee: OrgNode, year: int | None = None, *, latest_first: bool = False):
    """The committee's events in calendar order, or the latest first (a queryset)."""
    qs = ReportingEvent.objects.filter(committee=committee)
    if year is not None:
        qs = qs.filter(year=year)
    order = (
        ("-year", "-cutoff_period", "-code") if latest_first else ("year", "cutoff_period", "code")
    )
    return qs.order_by(*order)
