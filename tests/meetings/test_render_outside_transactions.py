"""Files follow the transaction: a kallelse is rendered before the meeting row is written
and a case's papers before they are stored, so no row lock (and no transaction) is held
while a PDF or Word file is made."""

from __future__ import annotations

import datetime as dt

import pytest

from styra.meetings import services
from styra.meetings.models import DocumentKind, ItemKind
from tests.actors import SYSTEM

from .conftest import aware


@pytest.mark.django_db(transaction=True)
def test_the_kallelse_is_rendered_outside_any_transaction(committee, members, renders):
    meeting = services.meeting_create(
        actor=SYSTEM, committee=committee, start=aware(2020, 9, 10), place="Kommunhuset"
    )
    services.agenda_item_add(
        actor=SYSTEM, meeting=meeting, kind=ItemKind.INFORMATION, title="Information"
    )
    services.notice_produce(actor=SYSTEM, meeting=meeting, sent_on=dt.date(2020, 9, 1))
    assert [(kind, fmt) for kind, fmt, _ in renders] == [("Kallelse", "pdf"), ("Kallelse", "docx")]
    assert [open_ for *_, open_ in renders] == [False, False]
    meeting.refresh_from_db()
    assert meeting.notice_sent_on == dt.date(2020, 9, 1)
    assert meeting.documents.filter(kind=DocumentKind.NOTICE).count() == 2


@pytest.mark.django_db(transaction=True)
def test_a_cases_papers_are_rendered_outside_any_transaction(committee, members, renders):
    case = services.case_create(
        actor=SYSTEM, committee=committee, title="Delår 2", proposal="Nämnden godkänner."
    )
    docs = services.case_papers_generate(actor=SYSTEM, case=case)
    assert (
        sorted(kind for kind, _, _ in renders)
        == ["Ordförandeförslag"] * 2 + ["Tjänsteskrivelse"] * 2
    )
    assert [open_ for *_, open_ in renders] == [False] * 4
    assert len(docs) == 4 and case.documents.count() == 4
