"""Background jobs of reports: the draft's files (HTML, PDF, Word, JSON) and finalising,
which builds and stores all of them. Started from the report pages; run by `styra worker`."""

from __future__ import annotations

from django.urls import reverse

from styra.calendar.models import ReportingEvent
from styra.org.models import OrgNode
from styra.tasks.registry import background
from styra.tasks.runner import TaskFailed

from .renderers import RENDERERS, file_name, render

DRAFT_FORMATS = ("html", "pdf", "docx", "json")
BUILDING = "Hämtar siffror och texter och bygger rapporten"


def _load(committee_id: int, event_id: int) -> tuple[OrgNode, ReportingEvent]:
    event = ReportingEvent.objects.select_related("committee").filter(pk=event_id).first()
    if event is None or event.committee_id != committee_id:
        raise TaskFailed("Rapporttillfället finns inte längre.")
    return event.committee, event


@background("reports.build_files", label="Rapportfiler", priority=10)
def build_files(job, *, committee_id: int, event_id: int, report_type: str) -> dict:
    """The draft report in every format, as files to download."""
    from .builders import build_report

    committee, event = _load(committee_id, event_id)
    job.progress(0.02, BUILDING)
    report = build_report(committee, event, report_type)
    # Rough shares of the time (measured on the demo: data 6 %, PDF 72 %, Word 22 %).
    shares = {"html": 0.02, "pdf": 0.6, "docx": 0.2, "json": 0.01}
    total = 0.15 + sum(shares[f] for f in DRAFT_FORMATS)
    done = 0.15
    for fmt in DRAFT_FORMATS:
        renderer = RENDERERS[fmt]
        job.progress(done / total, f"Skapar {renderer.label}")
        job.add_file(
            file_name(report, fmt),
            render(report, fmt),
            renderer.content_type,
            label=f"{report.title} – {renderer.label}",
        )
        done += shares[fmt]
    return {
        "summary": f"{report.title}, {report.committee}: utkastet finns som "
        f"{_formats_text(DRAFT_FORMATS)}. Filerna visar siffror och texter som de var när "
        "de skapades; skapa dem igen efter ändringar.",
    }


@background("reports.finalise", label="Fastställ rapport", priority=10)
def finalise(job, *, committee_id: int, event_id: int, report_type: str) -> dict:
    """Finalise: build, check, render and store the report as an immutable snapshot."""
    from . import services

    committee, event = _load(committee_id, event_id)
    job.progress(0.05, "Bygger, kontrollerar och sparar rapporten (webbsida, PDF, Word, data)")
    snapshot = services.report_finalise(
        actor=job.actor, committee=committee, event=event, report_type=report_type
    )
    return {
        "summary": f"{snapshot.title} är fastställd som version {snapshot.version}.",
        "link": {
            "url": reverse("snapshot_detail", args=[snapshot.pk]),
            "label": "Visa den fastställda rapporten",
        },
    }


def _formats_text(formats) -> str:
    labels = [RENDERERS[f].label for f in formats]
    return ", ".join(labels[:-1]) + " och " + labels[-1] if len(labels) > 1 else labels[0]
