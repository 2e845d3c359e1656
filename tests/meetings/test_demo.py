"""The demo committee: members, the 2021 calendar and the justerat 2020-09-10 meeting."""

from __future__ import annotations

import datetime as dt

import pytest

from styra.meetings.models import Calendar, Case, Document, Meeting, Membership, Post


@pytest.mark.django_db
def test_demo_builds_the_meeting_of_2020_09_10_and_is_idempotent(demo_org):
    from styra.demo import meetings as demo_meetings

    demo_meetings.build()
    counts = [
        Meeting.objects.count(),
        Case.objects.count(),
        Document.objects.count(),
        Membership.objects.count(),
    ]
    demo_meetings.build()
    assert [
        Meeting.objects.count(),
        Case.objects.count(),
        Document.objects.count(),
        Membership.objects.count(),
    ] == counts
    meeting = Meeting.objects.get(start__date=dt.date(2020, 9, 10))
    assert meeting.location.description == "Kommunhuset och via Microsoft Teams"
    assert [i.title for i in meeting.items.order_by("order")][1] == "Delår 2"
    assert meeting.items.get(title="Delår 2").kind == "decision"
    assert meeting.items.get(title="Delår 2").case.dnr == "AVUX/2020:37"
    d = meeting.dates()
    assert (d.justerat, d.anslag_posted, d.take_down) == (
        dt.date(2020, 9, 17),
        dt.date(2020, 9, 18),
        dt.date(2020, 10, 9),
    )
    assert meeting.protocol_published
    assert [p.number for p in meeting.paragraphs.order_by("number")] == [41, 42, 43, 44, 45]
    chair = Membership.objects.get(post=Post.CHAIR)
    assert chair.person.name == "Ing-Marie Viklund" and chair.party.short_name == "S"
    assert Membership.objects.get(post=Post.SECRETARY).person.name == "Annette Westerberg"
    calendar = Calendar.objects.get(year=2021)
    assert calendar.decided_at == meeting
    assert all(m.date.weekday() == 3 for m in calendar.meetings.all())
    assert meeting.delegation_decisions.count() == 5
    delar = Case.objects.get(number=37)
    assert delar.documents.filter(kind="attachment", attachment_number=1).exists()
    assert delar.documents.filter(kind="report").count() == 2  # DOCX and PDF
