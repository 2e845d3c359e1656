"""The protocol saved at once (never over someone's newer edit), the decision text
required before justering, the draft in PDF and Word, the kallelse and the draft sent by
e-mail through a real SMTP server with one record per recipient, and a justerare's
request for a change."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from styra.meetings import calc, services
from styra.meetings.models import Delivery, DocumentKind, ItemKind
from tests.actors import SYSTEM

from .conftest import aware


@pytest.fixture
def meeting(committee, members):
    meeting = services.meeting_create(
        actor=SYSTEM, committee=committee, start=aware(2020, 9, 10), place="Kommunhuset"
    )
    services.agenda_item_add(actor=SYSTEM, meeting=meeting, kind=ItemKind.DECISION, title="A")
    services.agenda_item_add(actor=SYSTEM, meeting=meeting, kind=ItemKind.INFORMATION, title="B")
    services.protocol_open(actor=SYSTEM, meeting=meeting)
    for name, email in [("Ing-Marie Viklund", "chair@k.example"), ("Lena Ledamot", "")]:
        members[name].email = email
        members[name].save()
    services.adjusters_set(
        actor=SYSTEM,
        meeting=meeting,
        persons=[members["Ing-Marie Viklund"], members["Lena Ledamot"]],
    )
    return meeting


@pytest.mark.django_db
def test_protocol_saves_at_once_and_refuses_a_stale_editor(meeting):
    a, b = meeting.paragraphs.order_by("number")
    seen = services.protocol_state(meeting)
    saved = services.protocol_save(
        actor=SYSTEM,
        meeting=meeting,
        changes={
            a.pk: {"decision": "Nämnden bifaller."},
            b.pk: {"reservations": "S reserverar sig."},
        },
        seen=seen,
    )
    assert len(saved) == 2
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.decision, b.reservations) == ("Nämnden bifaller.", "S reserverar sig.")
    # an editor opened before that save is refused, nothing is lost silently
    with pytest.raises(calc.RuleViolation, match="ändrats av någon annan"):
        services.protocol_save(
            actor=SYSTEM, meeting=meeting, changes={a.pk: {"decision": "Gammal text"}}, seen=seen
        )
    a.refresh_from_db()
    assert a.decision == "Nämnden bifaller."


@pytest.mark.django_db
def test_justering_needs_every_decision_text(meeting, members):
    a = meeting.paragraphs.get(title="A")
    assert a.decision == ""
    with pytest.raises(calc.RuleViolation, match=f"§ {a.number} saknar beslutstext"):
        services.protocol_approve(
            actor=members["Ing-Marie Viklund"].user, meeting=meeting, now=aware(2020, 9, 14)
        )


@pytest.mark.django_db
def test_draft_and_notice_are_mailed_with_a_record_per_recipient(meeting, smtp_server):
    services.notice_produce(actor=SYSTEM, meeting=meeting, sent_on=dt.date(2020, 9, 1))
    rows = services.notice_send(actor=SYSTEM, meeting=meeting)
    sent = {d.recipient: d for d in rows}
    assert sent["Ing-Marie Viklund"].sent_at is not None
    assert sent["Lena Ledamot"].sent_at is None and "e-postadress" in sent["Lena Ledamot"].error
    [mail] = smtp_server.to("chair@k.example")
    assert str(mail["Subject"]).strip().startswith("Kallelse")
    assert [p.get_filename()[-4:] for p in mail.iter_attachments()] == [".pdf"]
    drafts = services.draft_send(actor=SYSTEM, meeting=meeting)
    assert {d.kind for d in drafts} == {"draft"}
    assert {d.filename[-4:] for d in meeting.documents.filter(kind=DocumentKind.DRAFT)} == {
        ".pdf",
        "docx",
    }
    assert len(smtp_server.to("chair@k.example")) == 2
    assert Delivery.objects.filter(meeting=meeting).count() == len(rows) + 2


@pytest.mark.django_db
def test_a_refused_mail_is_recorded_not_lost(meeting, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    services.notice_produce(actor=SYSTEM, meeting=meeting, sent_on=dt.date(2020, 9, 1))
    rows = services.notice_send(actor=SYSTEM, meeting=meeting)
    chair = next(d for d in rows if d.recipient == "Ing-Marie Viklund")
    assert chair.sent_at is None and chair.error


@pytest.mark.django_db
def test_only_a_justerare_asks_for_a_change(meeting, members, cast):
    request = services.change_request(
        actor=members["Ing-Marie Viklund"].user, meeting=meeting, text="Rätta stavningen i § 1."
    )
    assert request.person == members["Ing-Marie Viklund"]
    with pytest.raises(PermissionDenied):
        services.change_request(actor=cast["controller"], meeting=meeting, text="x")
