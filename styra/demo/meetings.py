"""Demo part: the committee's members, its 2021 calendar, delegation and the meeting of
2020-09-10 with its five items, a justerat protocol and its anslag dates.

The Delår 2 case gets the finalised Delårsrapport 2 2020 (a report snapshot made by the
reports part) as its attachment; its summary feeds the tjänsteskrivelse and the chair's
proposal.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model

from styra.meetings.models import Case, Document, Meeting
from styra.meetings.services import case_attach_report, case_papers_generate, meetings_load
from styra.org.access import system_actor
from styra.reports.selectors import report_summary_text, snapshot_pdf_bytes

from .builder import DATA_DIR, DEMO_PASSWORD

TITLE = "Sammanträden och ärenden"
DELAR2_DNR = ("AVUX", 2020, 37)
MEETING_USERS = ["ordforande"]  # the chair approves protocols as justerare


def attach_delarsrapport(
    meeting: Meeting,
    *,
    file_bytes: bytes | None = None,
    filename: str = "delarsrapport-2-2020.pdf",
    summary_text: str | None = None,
) -> Document:
    """Attach the delårsrapport to the meeting's Delår 2 case (bilaga 1); its summary feeds
    the tjänsteskrivelse and the ordförandeförslag, which are produced again.

    The lead wires the generated report here: attach_delarsrapport(meeting,
    file_bytes=<PDF of the finalised report>, summary_text=<its summary>). Without
    file_bytes a placeholder PDF is attached and the case's own summary is kept.
    """
    prefix, year, number = DELAR2_DNR
    case = Case.objects.get(prefix=prefix, year=year, number=number)
    if not meeting.items.filter(case=case).exists():
        raise ValueError(f"Ärendet {case.dnr} står inte på sammanträdet {meeting}.")
    summary = summary_text if summary_text is not None else case.summary
    if file_bytes is None:
        if case.documents.filter(filename=filename).exists():
            return case.documents.get(filename=filename)
        from styra.meetings import render
        from styra.meetings.paper import Paper, paragraphs

        file_bytes = render.to_pdf(
            Paper(
                doc_type="Bilaga (platshållare)",
                title="Delårsrapport 2 2020",
                municipality=case.committee.municipality.name,
                committee=case.committee.name,
                filename="delarsrapport-2-2020",
                blocks=tuple(
                    paragraphs(
                        "Platshållare: här bifogas den delårsrapport som Styra genererar.\n\n"
                        + summary
                    )
                ),
            )
        )
    doc = case_attach_report(
        actor=system_actor("demo"),
        case=case,
        title="Delårsrapport 2 2020",
        file_bytes=file_bytes,
        filename=filename,
        summary_text=summary,
    )
    case_papers_generate(actor=system_actor("demo"), case=case)
    return doc


def _delarsrapport_snapshot(committee):
    """The finalised Delårsrapport 2 2020 (made once; a snapshot never changes)."""
    from styra.calendar.models import ReportingEvent
    from styra.reports.models import ReportSnapshot, ReportType
    from styra.reports.services import report_finalise

    event = ReportingEvent.objects.filter(committee=committee, code="2020-D2").first()
    if event is None:
        return None
    snapshot = (
        ReportSnapshot.objects.filter(event=event, report_type=ReportType.INTERIM)
        .order_by("version")
        .first()
    )
    if snapshot is None:
        snapshot = report_finalise(
            actor=system_actor("demo"),
            committee=committee,
            event=event,
            report_type=ReportType.INTERIM,
        )
    return snapshot


def build() -> str:
    result = meetings_load(actor=system_actor("demo"), path=DATA_DIR / "meetings" / "avun.yaml")
    for user in get_user_model().objects.filter(username__in=MEETING_USERS):
        if not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
    meeting = Meeting.objects.filter(committee=result.committee, start__date="2020-09-10").first()
    if meeting is not None:
        snapshot = _delarsrapport_snapshot(result.committee)
        if snapshot is None:
            attach_delarsrapport(meeting)
        else:
            attach_delarsrapport(
                meeting,
                file_bytes=snapshot_pdf_bytes(snapshot),
                summary_text=report_summary_text(snapshot),
            )
    for case in Case.objects.filter(committee=result.committee):
        if not case.documents.filter(kind="report").exists():
            case_papers_generate(actor=system_actor("demo"), case=case)
    return (
        f"{result.committee.short_name}: {result.members} uppdrag, {result.cases} ärenden, "
        f"{result.meetings} sammanträden, {result.delegation_decisions} delegationsbeslut"
    )
