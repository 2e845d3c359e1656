"""Writes to the calendar: the one `event_ensure`, and the event's status steps.

Every app that needs an event (finance, goals, reports, meetings, the demo, the scale
generator, the new registers) calls event_ensure; nobody creates ReportingEvent rows
directly, so the defaults (name, cut-off) are the same everywhere.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from styra.lib.errors import UsageError
from styra.lib.eventcodes import parse_event_code
from styra.org import access
from styra.org.models import NodeKind, OrgNode

from .locks import approval_problems, event_ensure_open, event_is_locked, run_lock_hooks
from .models import EventReopening, EventStatus, LockedError, ReportingEvent


@transaction.atomic
def event_ensure(
    *,
    actor,
    committee: OrgNode,
    code: str,
    cutoff_period: int | None = None,
    deadline: dt.date | None = None,
    meeting_date: dt.date | None = None,
    comment_threshold=None,
) -> ReportingEvent:
    """The committee's event with this code, created when missing.

    The name and cut-off come from the code (2020-D2: "Delårsrapport 2 2020", period 8);
    a prognos (2020-P3) has no natural cut-off and needs `cutoff_period`. Values given
    for an existing event update it while it is open; a locked event refuses a change
    (LockedError) and is returned unchanged when nothing would change. Creating needs
    the FINANCE right on the committee; reading an existing event needs VIEW."""
    if committee.kind != NodeKind.COMMITTEE:
        raise UsageError(f"{committee.name} är ingen nämnd; rapporttillfällen hör till en nämnd.")
    try:
        parsed = parse_event_code(code)
    except ValueError as exc:
        raise UsageError(str(exc)) from exc
    cutoff = cutoff_period if cutoff_period is not None else parsed.cutoff_period
    if cutoff is not None and not 1 <= cutoff <= 13:
        raise UsageError(f"t.o.m. period {cutoff} finns inte (1–13, 13 = bokslutet).")
    event = (
        ReportingEvent.objects.select_for_update()
        .filter(committee=committee, code=str(parsed))
        .first()
    )
    if event is None:
        access.require(actor, access.FINANCE, committee)
        if cutoff is None:
            raise UsageError(
                f"{parsed.name_sv}: ange till och med vilken period prognosen gäller (1–13)."
            )
        return ReportingEvent.objects.create(
            committee=committee,
            code=str(parsed),
            year=parsed.year,
            name=parsed.name_sv,
            cutoff_period=cutoff,
            deadline=deadline,
            meeting_date=meeting_date,
            comment_threshold=comment_threshold,
        )
    access.require(actor, access.VIEW, committee)
    wanted = {
        "cutoff_period": cutoff_period,
        "deadline": deadline,
        "meeting_date": meeting_date,
        "comment_threshold": comment_threshold,
    }
    changed = {k: v for k, v in wanted.items() if v is not None and getattr(event, k) != v}
    if changed:
        access.require(actor, access.FINANCE, committee)
        event_ensure_open(event)
        for key, value in changed.items():
            setattr(event, key, value)
        event.full_clean()
        event.save(update_fields=list(changed))
    return event


@transaction.atomic
def event_submit(*, actor, event: ReportingEvent) -> ReportingEvent:
    """Every contribution is in: the controller marks the event ready and hands it to the
    committee. Refused, like the approval, while the readiness checks find problems."""
    access.require(actor, access.FINANCE, event.committee)
    event = ReportingEvent.objects.select_for_update().get(pk=event.pk)
    event_ensure_open(event)
    problems = approval_problems(event)
    if problems:
        raise ValidationError(
            f"{event.name} kan inte markeras klar: kontrollen hittar {len(problems)} "
            "fel. Rätta dem först: " + " ".join(problems)
        )
    if event.status != EventStatus.SUBMITTED:
        event.status = EventStatus.SUBMITTED
        event.save(update_fields=["status"])
    return event


@transaction.atomic
def event_approve(
    *, actor, event: ReportingEvent, when: dt.datetime | None = None
) -> ReportingEvent:
    """The committee approved the event: its figures are stored and locked from now on.
    Refused while the readiness checks find problems (approval_problems: the report's own
    figures check, strategic projects with unexplained deviations)."""
    access.require(actor, access.FINANCE, event.committee)
    event = ReportingEvent.objects.select_for_update().get(pk=event.pk)
    event_ensure_open(event)
    problems = approval_problems(event)
    if problems:
        raise ValidationError(
            f"{event.name} kan inte godkännas: kontrollen hittar {len(problems)} "
            "fel. Rätta dem först: " + " ".join(problems)
        )
    event.status = EventStatus.APPROVED
    event.approved_at = when or timezone.now()
    event.approved_by = access.user_of(actor)
    event.save(update_fields=["status", "approved_at", "approved_by"])
    run_lock_hooks(event, locked=True)
    return event


@transaction.atomic
def event_reopen(*, actor, event: ReportingEvent, reason: str) -> ReportingEvent:
    """Open an approved event again (the controller corrects it; the committee approves it
    anew). The reason is required and kept with who and when; the stored figures are
    dropped, so the event shows live figures until it is approved again."""
    access.require(actor, access.FINANCE, event.committee)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("Ange varför rapporttillfället öppnas igen.")
    event = ReportingEvent.objects.select_for_update().get(pk=event.pk)
    if not event_is_locked(event):
        raise ValidationError(f"{event.name} är inte godkänd; det finns inget att öppna.")
    EventReopening.objects.create(
        event=event, reason=reason, from_status=event.status, reopened_by=access.user_of(actor)
    )
    event.status = EventStatus.OPEN
    event.approved_at = None
    event.approved_by = None
    event.save(update_fields=["status", "approved_at", "approved_by"])
    run_lock_hooks(event, locked=False)
    return event


@transaction.atomic
def event_send(*, actor, event: ReportingEvent) -> ReportingEvent:
    """The approved report has been sent on to the executive board (KS)."""
    access.require(actor, access.FINANCE, event.committee)
    event = ReportingEvent.objects.select_for_update().get(pk=event.pk)
    if event.status == EventStatus.SENT:
        return event
    if not event_is_locked(event):
        raise LockedError(f"{event.name} måste vara godkänd av nämnden innan den skickas vidare.")
    event.status = EventStatus.SENT
    event.save(update_fields=["status"])
    return event


@transaction.atomic
def event_status_set(
    *, actor, event: ReportingEvent, status: str, approved_at: dt.datetime | None = None
) -> ReportingEvent:
    """Set the status a file or a data load records (open, submitted, approved, sent).

    There is one way to approve: approved (or sent, for an event not yet approved) goes
    through event_approve, with the readiness checks and the freeze of the figures the
    web's "Godkänn och lås" runs; submitted goes through event_submit. `approved_at` is
    the date the committee decided (a file records a decision taken earlier). The same
    status again changes nothing; a locked event only moves on (approved → sent)."""
    access.require(actor, access.FINANCE, event.committee)
    event = ReportingEvent.objects.select_for_update().get(pk=event.pk)
    if status == event.status:
        return event
    if status not in EventStatus.values:
        raise UsageError(f"okänd status {status!r} ({', '.join(EventStatus.values)})")
    if event_is_locked(event):
        if event.status == EventStatus.APPROVED and status == EventStatus.SENT:
            return event_send(actor=actor, event=event)
        event_ensure_open(event)
    if status == EventStatus.SUBMITTED:
        return event_submit(actor=actor, event=event)
    if status in (EventStatus.APPROVED, EventStatus.SENT):
        event = event_approve(actor=actor, event=event, when=approved_at)
        if status == EventStatus.SENT:
            event = event_send(actor=actor, event=event)
        return event
    event.status = status
    event.save(update_fields=["status"])
    return event
