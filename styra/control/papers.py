"""The yttrande to the auditors as report data (styra.reports.blocks), rendered by the
same renderers as every report: HTML, PDF/UA and Word from the kommun's template."""

from __future__ import annotations

from styra.reports.blocks import BulletList, Paragraph, Report, Row, Section, Table, text

from . import calc
from .models import AuditReport


def _assessment_sentence(report: AuditReport) -> str:
    counts = {a: 0 for a in ("ja", "delvis", "nej")}
    questions = list(report.questions.all())
    for q in questions:
        counts[q.assessment] += 1
    if not questions:
        return ""
    return (
        f"Revisorerna besvarade {len(questions)} revisionsfrågor: {counts['ja']} med ja, "
        f"{counts['delvis']} med delvis och {counts['nej']} med nej."
    )


def yttrande_report(report: AuditReport) -> Report:
    committee = report.committee
    case = report.case
    recs = list(report.recommendations.prefetch_related("actions__responsible"))
    n_actions = sum(len(r.actions.all()) for r in recs)
    title = f"Yttrande över revisionsrapport – {report.title}"
    summary = (
        f"{committee.name} svarar på revisorernas {len(recs)} rekommendation"
        f"{'er' if len(recs) != 1 else ''} i granskningen ”{report.title}” och redovisar "
        f"{n_actions} åtgärd{'er' if n_actions != 1 else ''} med ansvarig och tidpunkt."
    )
    intro = [Paragraph(summary, source="generated")]
    if report.introduction:
        intro.append(Paragraph(report.introduction))
    deadline = calc.effective_deadline(report.deadline, report.extended_to)
    intro.append(
        Paragraph(
            f"Revisionsskrivelsen är daterad {report.letter_date:%Y-%m-%d}. Yttrandet ska vara "
            f"revisorerna tillhanda senast {deadline:%Y-%m-%d}"
            + (" efter beviljat anstånd." if report.extended_to else ".")
            + f" Diarienummer {case.dnr}.",
            source="generated",
        )
    )
    sections = [Section("inledning", title, 1, tuple(intro))]
    questions = list(report.questions.all())
    if questions or report.conclusion:
        blocks: list = []
        if report.conclusion:
            blocks.append(Paragraph(report.conclusion))
        if questions:
            blocks.append(Paragraph(_assessment_sentence(report), source="generated"))
            blocks.append(
                Table(
                    "revisionsfragor",
                    "Revisionsfrågor och revisorernas bedömning",
                    (("Revisionsfråga", "Bedömning"),),
                    tuple(Row((text(q.text), text(q.get_assessment_display()))) for q in questions),
                )
            )
        sections.append(Section("bedomning", "Revisorernas bedömning", 1, tuple(blocks)))
    sections.append(Section("svar", "Nämndens svar på rekommendationerna", 1, ()))
    for n, r in enumerate(recs, start=1):
        blocks = [BulletList((r.text,), intro="Rekommendation:"), Paragraph(r.answer)]
        actions = list(r.actions.all())
        if actions:
            blocks.append(
                Table(
                    f"atgarder-{n}",
                    f"Åtgärder, rekommendation {n}",
                    (("Åtgärd", "Ansvarig", "Klart senast"),),
                    tuple(
                        Row(
                            (
                                text(a.description),
                                text(a.responsible_text or "–"),
                                text(f"{a.due_on:%Y-%m-%d}"),
                            )
                        )
                        for a in actions
                    ),
                )
            )
        sections.append(Section(f"rekommendation-{n}", f"Rekommendation {n}", 2, tuple(blocks)))
    year = (report.answered_on or deadline).year
    return Report(
        report_type="revisionsyttrande",
        title=title,
        committee=committee.name,
        committee_code=committee.code,
        municipality=committee.municipality.name,
        event_code=str(year),
        year=year,
        cutoff_period=13,
        sign_convention="revenue_positive",
        summary_unit="tkr",
        table_unit="tkr",
        footer=f"{committee.municipality.name} · {committee.name} · Yttrande {case.dnr}",
        summary_text=summary,
        sections=tuple(sections),
    )
