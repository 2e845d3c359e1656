"""Cases, protocol rules, justering, anslag and delegation through the services."""

from __future__ import annotations

import datetime as dt
import os
import threading

import pytest
from django.db import connection

from styra.meetings import calc, selectors, services
from styra.meetings.models import Case, DelegationDecision, ItemKind, Paragraph
from tests.actors import SYSTEM

from .conftest import aware


@pytest.fixture
def held_meeting(committee, members):
    meeting = services.meeting_create(
        actor=SYSTEM, committee=committee, start=aware(2020, 9, 10), place="Kommunhuset"
    )
    case = services.case_create(
        actor=SYSTEM,
        committee=committee,
        title="Delår 2",
        dnr="AVUX/2020:37",
        proposal="Nämnden godkänner delårsrapport 2.",
    )
    services.agenda_item_add(
        actor=SYSTEM, meeting=meeting, kind=ItemKind.INFORMATION, title="Information"
    )
    services.agenda_item_add(
        actor=SYSTEM, meeting=meeting, kind=ItemKind.DECISION, title="Delår 2", case=case
    )
    services.protocol_open(actor=SYSTEM, meeting=meeting)
    services.adjusters_set(
        actor=SYSTEM,
        meeting=meeting,
        persons=[members["Ing-Marie Viklund"], members["Lena Ledamot"]],
    )
    return meeting


@pytest.mark.django_db
def test_diary_numbers_run_per_prefix_and_year_and_are_never_reused(committee):
    a = services.case_create(actor=SYSTEM, committee=committee, title="A", year=2023)
    b = services.case_create(actor=SYSTEM, committee=committee, title="B", year=2023)
    assert (a.dnr, b.dnr) == ("AVUX/2023:1", "AVUX/2023:2")
    b.delete()
    c = services.case_create(actor=SYSTEM, committee=committee, title="C", year=2023)
    assert c.dnr == "AVUX/2023:3"
    assert (
        services.case_create(actor=SYSTEM, committee=committee, title="D", year=2024).dnr
        == "AVUX/2024:1"
    )
    services.case_create(actor=SYSTEM, committee=committee, title="Import", dnr="AVUX/2023:00183")
    assert (
        services.case_create(actor=SYSTEM, committee=committee, title="E", year=2023).dnr
        == "AVUX/2023:184"
    )


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="samtidighet prövas på PostgreSQL (DATABASE_URL=postgres://…); SQLite låser hela filen",
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_get_distinct_numbers(committee):
    numbers, errors = [], []

    def register(i):
        try:
            numbers.append(
                services.case_create(
                    actor=SYSTEM, committee=committee, title=f"T{i}", year=2030
                ).number
            )
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(numbers) == list(range(1, 9))


@pytest.mark.django_db
def test_paragraphs_are_numbered_through_the_year(committee, held_meeting):
    second = services.meeting_create(
        actor=SYSTEM, committee=committee, start=aware(2020, 10, 8), place="Kommunhuset"
    )
    services.agenda_item_add(actor=SYSTEM, meeting=second, kind=ItemKind.INFORMATION, title="Info")
    (p,) = services.protocol_open(actor=SYSTEM, meeting=second)
    assert [x.number for x in held_meeting.paragraphs.order_by("number")] == [1, 2]
    assert p.number == 3
    assert services.protocol_open(actor=SYSTEM, meeting=second)[0].number == 3  # idempotent


@pytest.mark.django_db
def test_decision_text_starts_from_the_case_proposal(held_meeting):
    p = held_meeting.paragraphs.get(item__title="Delår 2")
    assert p.decision == "Nämnden godkänner delårsrapport 2."
    assert p.title == "Delår 2 (AVUX/2020:37)"


@pytest.mark.django_db
def test_protocol_cannot_be_justerat_before_the_meeting(held_meeting, members):
    with pytest.raises(calc.RuleViolation) as exc:
        services.protocol_approve(
            meeting=held_meeting, actor=members["Lena Ledamot"].user, now=aware(2020, 9, 9, 12)
        )
    assert "före sammanträdet" in str(exc.value)


@pytest.mark.django_db
def test_only_an_appointed_justerare_can_approve(held_meeting, cast):
    with pytest.raises(calc.RuleViolation, match="inte utsedd"):
        services.protocol_approve(
            meeting=held_meeting, actor=cast["sekreterare"], now=aware(2020, 9, 11)
        )


@pytest.mark.django_db
def test_digital_justering_records_who_and_when_and_locks_paragraphs(held_meeting, members):
    services.protocol_approve(
        meeting=held_meeting, actor=members["Lena Ledamot"].user, now=aware(2020, 9, 15, 9)
    )
    held_meeting.refresh_from_db()
    assert not held_meeting.is_justerat
    services.protocol_approve(
        meeting=held_meeting, actor=members["Ing-Marie Viklund"].user, now=aware(2020, 9, 17, 10)
    )
    held_meeting.refresh_from_db()
    assert held_meeting.justerat_on == dt.date(2020, 9, 17)
    approvals = {a.person.name: a.approved_at for a in held_meeting.adjusters.all()}
    assert approvals["Lena Ledamot"] == aware(2020, 9, 15, 9)
    p = held_meeting.paragraphs.first()
    with pytest.raises(calc.RuleViolation) as exc:
        services.paragraph_update(actor=SYSTEM, paragraph=p, decision="Ändrat i efterhand")
    assert exc.value.rule == calc.RULE_JUSTERAD_LOCKED
    assert Paragraph.objects.get(pk=p.pk).decision != "Ändrat i efterhand"
    # full + public twin, each as PDF and Word
    assert held_meeting.documents.filter(kind="protocol").count() == 4


@pytest.mark.django_db
def test_late_justering_is_warned(held_meeting, members):
    services.protocol_approve(
        meeting=held_meeting, actor=members["Lena Ledamot"].user, now=aware(2020, 9, 25, 9)
    )
    findings = services.protocol_approve(
        meeting=held_meeting, actor=members["Ing-Marie Viklund"].user, now=aware(2020, 9, 25, 10)
    )
    assert [f.rule for f in findings] == [calc.RULE_JUSTERING]


@pytest.mark.django_db
def test_paragraph_justerad_omedelbart_is_locked_at_once(held_meeting):
    p = held_meeting.paragraphs.get(item__title="Delår 2")
    services.paragraph_update(actor=SYSTEM, paragraph=p, immediate=True)
    with pytest.raises(calc.RuleViolation):
        services.paragraph_update(actor=SYSTEM, paragraph=p, decision="Nytt")


@pytest.mark.django_db
def test_anslag_dates_are_checked_against_the_law(held_meeting, members):
    with pytest.raises(calc.RuleViolation):
        services.anslag_post(
            actor=SYSTEM, meeting=held_meeting, posted_on=dt.date(2020, 9, 18)
        )  # not justerat
    for name in ("Lena Ledamot", "Ing-Marie Viklund"):
        services.protocol_approve(
            meeting=held_meeting, actor=members[name].user, now=aware(2020, 9, 17, 10)
        )
    held_meeting.refresh_from_db()
    with pytest.raises(calc.RuleViolation) as exc:
        services.anslag_post(actor=SYSTEM, meeting=held_meeting, posted_on=dt.date(2020, 9, 21))
    assert "KL 8 kap. 12 §" in str(exc.value)
    services.anslag_post(actor=SYSTEM, meeting=held_meeting, posted_on=dt.date(2020, 9, 18))
    held_meeting.refresh_from_db()
    assert held_meeting.dates().take_down == dt.date(2020, 10, 9)
    with pytest.raises(calc.RuleViolation):
        services.anslag_take_down(actor=SYSTEM, meeting=held_meeting, on=dt.date(2020, 10, 1))
    services.anslag_take_down(actor=SYSTEM, meeting=held_meeting, on=dt.date(2020, 10, 9))


@pytest.mark.django_db
def test_expediering_sends_an_extract_of_a_justerad_paragraph(held_meeting, members, cast):
    p = held_meeting.paragraphs.get(item__title="Delår 2")
    services.paragraph_update(actor=SYSTEM, paragraph=p, distribution="Kommunledningsförvaltningen")
    (row,) = services.dispatch_prepare(actor=SYSTEM, meeting=held_meeting)
    with pytest.raises(calc.RuleViolation):
        services.dispatch_mark_sent(dispatch=row, actor=cast["sekreterare"])
    for name in ("Lena Ledamot", "Ing-Marie Viklund"):
        services.protocol_approve(
            meeting=held_meeting, actor=members[name].user, now=aware(2020, 9, 17, 10)
        )
    row.paragraph.refresh_from_db()
    services.dispatch_mark_sent(dispatch=row, actor=cast["sekreterare"])
    assert p.documents.filter(kind="extract").exists()


@pytest.mark.django_db
def test_delegation_decision_by_a_role_the_scheme_does_not_allow_is_refused(committee, node):
    code = services.delegation_code_upsert(
        actor=SYSTEM, committee=committee, code="G1", decision_type="Antagning", delegates="Rektor"
    )
    with pytest.raises(calc.RuleViolation) as exc:
        services.delegation_decision_register(
            actor=SYSTEM,
            unit=node("UFV"),
            code=code,
            date_from=dt.date(2020, 8, 3),
            decision="Antagning",
            delegate_role="Enhetschef",
        )
    assert "delegat är Rektor" in str(exc.value)
    assert not DelegationDecision.objects.exists()


@pytest.mark.django_db
def test_delegation_decisions_after_the_deadline_are_marked_late_and_listed_by_unit(
    committee, node
):
    code = services.delegation_code_upsert(
        actor=SYSTEM,
        committee=committee,
        code="C1",
        decision_type="Anställning",
        delegates="Verksamhetschef, Enhetschef",
    )
    on_time = services.delegation_decision_register(
        actor=SYSTEM,
        unit=node("JC"),
        code=code,
        date_from=dt.date(2020, 8, 3),
        decision="Anställning A",
        delegate_role="Enhetschef",
        now=aware(2020, 9, 2, 11, 59),
    )
    late = services.delegation_decision_register(
        actor=SYSTEM,
        unit=node("UFV"),
        code=code,
        date_from=dt.date(2020, 8, 4),
        decision="Anställning B",
        delegate_role="Verksamhetschef",
        now=aware(2020, 9, 2, 12, 1),
    )
    assert (on_time.late, late.late) == (False, True)
    meeting = services.meeting_create(
        actor=SYSTEM, committee=committee, start=aware(2020, 9, 10), place="Kommunhuset"
    )
    services.agenda_item_add(
        actor=SYSTEM, meeting=meeting, kind=ItemKind.DELEGATION, title="Delegationsbeslut"
    )
    services.protocol_open(actor=SYSTEM, meeting=meeting)
    meeting.protocol_published = True
    groups = selectors.public_delegation_decisions(meeting)
    assert [unit for unit, _ in groups] == ["Jobbcenter", "Utbildning för vuxna"]


@pytest.mark.django_db
def test_case_attach_report_numbers_the_attachment_and_feeds_the_summary(committee):
    case = services.case_create(actor=SYSTEM, committee=committee, title="Delår 2", year=2020)
    doc = services.case_attach_report(
        actor=SYSTEM,
        case=case,
        title="Delårsrapport 2 2020",
        file_bytes=b"%PDF-1.7 rapport",
        filename="delar2.pdf",
        summary_text="Överskott 13,5 mkr.",
    )
    assert doc.attachment_number == 1
    assert doc.size == len(b"%PDF-1.7 rapport") and len(doc.sha1) == 40
    assert Case.objects.get(pk=case.pk).summary == "Överskott 13,5 mkr."
    assert doc.file.read() == b"%PDF-1.7 rapport"
    again = services.case_attach_report(
        actor=SYSTEM,
        case=case,
        title="Delårsrapport 2 2020",
        file_bytes=b"%PDF-1.7 ny",
        filename="delar2.pdf",
        summary_text="Överskott 13,6 mkr.",
    )
    assert again.pk == doc.pk and again.attachment_number == 1 and again.size == len(b"%PDF-1.7 ny")
