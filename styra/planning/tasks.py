"""Background jobs of the planning: the state grants' e-mail reminders of one committee,
started by a controller from the grants page (the same work as `styra planning remind`
does for every committee). Run by `styra worker`."""

from __future__ import annotations

from django.urls import reverse

from styra.org.models import NodeKind, OrgNode
from styra.tasks.registry import background
from styra.tasks.runner import TaskFailed


@background("planning.grant_reminders", label="Påminnelser om statsbidrag", priority=10)
def grant_reminders(job, *, committee_id: int) -> dict:
    from styra.calendar import clock

    from .services import grant_reminders_send

    committee = OrgNode.objects.filter(pk=committee_id, kind=NodeKind.COMMITTEE).first()
    if committee is None:
        raise TaskFailed("Nämnden finns inte längre.")
    job.progress(0.1, "Letar tidsgränser som infaller snart och skickar e-post")
    run = grant_reminders_send(actor=job.actor, today=clock.today(), committee=committee)
    parts = [
        f"{len(run.sent)} påminnelse{'r' if len(run.sent) != 1 else ''} skickad"
        f"{'e' if len(run.sent) != 1 else ''}",
        f"{run.already} redan skickade tidigare",
        f"{len(run.failed)} misslyckade",
    ]
    summary = f"Statsbidrag i {committee.name}: " + ", ".join(parts) + "."
    if run.sent:
        sent = sorted(
            {f"{r.recipient} ({r.grant.name}, {r.get_deadline_display()})" for r in run.sent}
        )
        summary += " Till: " + ", ".join(sent) + "."
    if run.failed:
        summary += (
            " Misslyckades: "
            + "; ".join(f"{r.recipient}: {r.error}" for r in run.failed)
            + ". De försöks igen nästa gång."
        )
    if run.no_recipient:
        summary += (
            " Ingen controller med e-postadress att påminna om " + ", ".join(run.no_recipient) + "."
        )
    if not (run.sent or run.failed or run.already or run.no_recipient):
        summary += " Inga tidsgränser infaller inom påminnelsetiden."
    return {
        "summary": summary,
        "link": {
            "url": reverse("planning_grants", kwargs={"node_id": committee.pk}),
            "label": "Tillbaka till statsbidragen",
        },
    }
