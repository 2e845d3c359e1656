"""The start page (the first page after logging in)."""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_POST

from styra.web import access

from .cards import start_cards


@access.login
def start(request):
    """What the signed-in person would do next, per role."""
    return render(request, "web/start.html", {"cards": start_cards(request.user)})


@access.committee(access.FINANCE)
def status_view(request, node):
    """Per unit at a reporting event: forecast, texts and goals with their state, the
    deviation, links to act, overdue flags, and a reminder by e-mail."""
    from django.http import Http404

    from styra.calendar.models import EventStatus, ReportingEvent
    from styra.web import clock

    from .status import event_status

    committee = node.committee()
    events = list(
        ReportingEvent.objects.filter(committee=committee).order_by("year", "cutoff_period")
    )
    code = request.GET.get("handelse")
    event = next((e for e in events if e.code == code), None) if code else None
    if event is None and code:
        raise Http404("Rapporttillfället finns inte.")
    if event is None:
        event = next((e for e in events if e.status == EventStatus.OPEN), None) or (
            events[-1] if events else None
        )
    if event is None:
        raise Http404("Nämnden har inga rapporttillfällen ännu.")
    today = clock.today()
    rows = event_status(committee, event, today)
    return render(
        request,
        "web/status.html",
        {
            "committee": committee,
            "event": event,
            "events": events,
            "rows": rows,
            "today": today,
            "late": event.deadline is not None and today > event.deadline,
            "open_count": sum(1 for r in rows if r.open_work),
        },
    )


@access.committee(access.FINANCE)
@require_POST
def reminder_view(request, node, event_code: str):
    from django.contrib import messages
    from django.core.exceptions import PermissionDenied
    from django.shortcuts import get_object_or_404, redirect
    from django.urls import reverse

    from styra.calendar.models import ReportingEvent
    from styra.lib.errors import UsageError
    from styra.org.models import OrgNode

    from .services import reminder_send

    committee = node.committee()
    event = get_object_or_404(ReportingEvent, committee=committee, code=event_code)
    back = reverse("status_view", kwargs={"node_id": committee.pk}) + f"?handelse={event.code}"
    unit = (
        OrgNode.objects.filter(pk=request.POST.get("enhet", "")).first()
        if request.POST.get("enhet", "").isdigit()
        else None
    )
    if unit is None or unit.committee() != committee:
        messages.error(request, "Välj en enhet i nämnden.")
        return redirect(back)

    def send():
        try:
            sent = reminder_send(
                actor=request.user,
                event=event,
                unit=unit,
                site_url=request.build_absolute_uri("/"),
            )
            messages.success(request, f"Påminnelse om {event.name} skickad till {', '.join(sent)}.")
        except (UsageError, PermissionDenied) as exc:
            messages.error(request, str(exc))
        except OSError as exc:  # the mail server did not answer
            messages.error(request, f"E-posten kunde inte skickas ({exc.__class__.__name__}).")
        return redirect(back + f"#enhet-{unit.pk}")

    from styra.web.submit import once

    return once(request, send)
