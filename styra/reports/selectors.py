"""Reads: the state of every part of a report (the controller's status page), finalised
reports, and what the meetings app takes from a finalised report.

For the meetings engineer (styra.meetings.services.case_attach_report):

    report_summary_text(snapshot) -> str     the summary, paragraphs separated by a blank line
    snapshot_pdf_bytes(snapshot) -> bytes    the finalised PDF
    snapshot_file_bytes(snapshot, fmt) -> bytes
"""

from __future__ import annotations

from dataclasses import dataclass

from styra.calendar.models import ReportingEvent
from styra.org.models import OrgNode

from .models import NarrativeText, ReportSnapshot


@dataclass(frozen=True)
class PartState:
    part: str
    heading: str
    unit: OrgNode | None
    text: str
    ready: bool
    ready_by: str
    updated_at: object

    @property
    def label(self) -> str:
        return f"{self.heading}: {self.unit.name}" if self.unit else self.heading

    @property
    def state(self) -> str:
        if self.ready:
            return "Klar"
        return "Påbörjad" if self.text.strip() else "Ej påbörjad"


def report_parts(committee: OrgNode, event: ReportingEvent, report_type: str) -> list[PartState]:
    """Every text part of the report, in report order, with its klarmarkering."""
    from styra.org.selectors import report_units

    from .builders import definition_for

    definition = definition_for(committee, report_type)
    rows = {
        (n.part, n.unit_id): n
        for n in NarrativeText.objects.filter(event=event, report_type=report_type).select_related(
            "ready_by"
        )
    }
    units = [u for u in report_units(committee, event.year) if u.valid_in_year(event.year)]
    out = []
    for key, heading, per_unit in definition.narrative_parts():
        for unit in units if per_unit else [None]:
            n = rows.get((key, unit.pk if unit else None))
            by = ""
            if n and n.ready_by:
                by = n.ready_by.get_full_name() or n.ready_by.username
            out.append(
                PartState(
                    key,
                    heading,
                    unit,
                    n.text if n else "",
                    bool(n and n.ready),
                    by,
                    n.updated_at if n else None,
                )
            )
    return out


def snapshots_for(committee: OrgNode):
    return (
        ReportSnapshot.objects.filter(committee=committee)
        .select_related("event", "created_by")
        .prefetch_related("files")
    )


def report_summary_text(snapshot: ReportSnapshot) -> str:
    """The summary the report, the tjänsteskrivelse and the chair's proposal share."""
    return snapshot.summary_text


def snapshot_file_bytes(snapshot: ReportSnapshot, fmt: str) -> bytes:
    f = snapshot.files.filter(fmt=fmt).first()
    if f is None:
        raise FileNotFoundError(f"{snapshot}: ingen fil i formatet {fmt}")
    with f.file.open("rb") as fh:
        return fh.read()


def snapshot_pdf_bytes(snapshot: ReportSnapshot) -> bytes:
    return snapshot_file_bytes(snapshot, "pdf")


def text_findings(
    committee: OrgNode,
    event: ReportingEvent,
    report_type: str,
    *,
    text: str,
    part: str,
    unit: OrgNode | None = None,
) -> list:
    """The report check's findings for a text as typed, before it is saved: the report is
    built with this text in its place (a part of the report, per unit or not) and checked
    by the same rules as before finalising (checks.check_report); only the findings on the
    text's own lines are returned."""
    from .builders import build_report, load_narratives
    from .checks import check_report, findings_in_text

    narratives = load_narratives(event, report_type)
    key = (part, unit.pk if unit else None)
    narratives[key] = (text, narratives.get(key, ("", False))[1])
    report = build_report(committee, event, report_type, narratives=narratives)
    section = f"{part}-{unit.code.lower()}" if unit else part
    return findings_in_text(check_report(report), section, text)


def analysis_findings(
    committee: OrgNode, event: ReportingEvent, report_type: str, texts: dict
) -> dict[int, list]:
    """The same for goal analyses as typed ({goal: text}, one report built for them all):
    by goal id, the findings on each analysis's own lines in its målområde's section."""
    from .blocks import GoalBlock
    from .builders import build_report
    from .checks import check_report, findings_in_text

    report = build_report(
        committee, event, report_type, analyses={g.pk: t for g, t in texts.items()}
    )
    sections = {
        b.code: s.key for s in report.sections for b in s.blocks if isinstance(b, GoalBlock)
    }
    findings = check_report(report)
    return {
        g.pk: findings_in_text(findings, sections[g.code], t) if g.code in sections else []
        for g, t in texts.items()
    }
