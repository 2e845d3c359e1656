"""Issue 20's findings for meetings, each reproduced as the probe did it:

(a) a justerat protocol is immutable: justera again changes nothing and never re-renders
    the stored (published) PDFs;
(d) /sammantraden/<id>/justera/ shows the sekretessdel only to those entitled to it;
(e) a double submit of the new-case form registers one case.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from styra.demo.builder import DEMO_PASSWORD
from styra.meetings import services
from styra.meetings.models import Case, DocumentKind, ItemKind
from tests.actors import SYSTEM

from .conftest import aware

SECRET = "Ärende om enskild 19850101-1234"


@pytest.fixture
def meeting_with_secret(committee, members):
    meeting = services.meeting_create(
        actor=SYSTEM, committee=committee, start=aware(2020, 9, 10), place="Kommunhuset"
    )
    services.agenda_item_add(
        actor=SYSTEM, meeting=meeting, kind=ItemKind.INFORMATION, title="Information"
    )
    services.agenda_item_add(
        actor=SYSTEM, meeting=meeting, kind=ItemKind.REPORTED, title=SECRET, confidential=True
    )
    services.protocol_open(actor=SYSTEM, meeting=meeting)
    services.adjusters_set(actor=SYSTEM, meeting=meeting, persons=[members["Ing-Marie Viklund"]])
    return meeting


def _login(client, username):
    assert client.login(username=username, password=DEMO_PASSWORD)


@pytest.mark.django_db
def test_justera_again_changes_nothing_and_keeps_the_pdfs(meeting_with_secret, members, client):
    chair = members["Ing-Marie Viklund"].user
    services.protocol_approve(actor=chair, meeting=meeting_with_secret, now=aware(2020, 9, 14))
    services.protocol_publish(actor=SYSTEM, meeting=meeting_with_secret)
    meeting_with_secret.refresh_from_db()
    assert meeting_with_secret.justerat_on.isoformat() == "2020-09-14"
    docs = {
        d.pk: (d.sha512, d.file.name)
        for d in meeting_with_secret.documents.filter(kind=DocumentKind.PROTOCOL)
    }
    assert len(docs) == 4  # the full protocol and its public twin, PDF and Word
    # The probe: POST justera again on the justerat protocol (a later day).
    _login(client, "ordforande")
    response = client.post(reverse("meetings_approve", args=[meeting_with_secret.pk]))
    assert response.status_code == 302
    services.protocol_approve(actor=chair, meeting=meeting_with_secret, now=aware(2020, 9, 20))
    services.protocol_render(actor=SYSTEM, meeting=meeting_with_secret)
    meeting_with_secret.refresh_from_db()
    assert meeting_with_secret.justerat_on.isoformat() == "2020-09-14"
    after = {
        d.pk: (d.sha512, d.file.name)
        for d in meeting_with_secret.documents.filter(kind=DocumentKind.PROTOCOL)
    }
    assert after == docs


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("username", "sees_secret"),
    [("ledamot", False), ("controller", False), ("sekreterare", True), ("ordforande", True)],
)
def test_justera_page_shows_the_sekretessdel_only_to_those_entitled(
    meeting_with_secret, client, cast, username, sees_secret
):
    """ledamot and controller may read the committee but not its confidential items;
    the secretary may, and so may the meeting's justerare (the chair here)."""
    _login(client, username)
    page = client.get(reverse("meetings_approve", args=[meeting_with_secret.pk]))
    assert page.status_code == 200
    assert "Information" in page.content.decode()
    assert (SECRET in page.content.decode()) is sees_secret
    assert ("19850101-1234" in page.content.decode()) is sees_secret


@pytest.mark.django_db
def test_secret_protocol_pdf_is_refused_to_a_reader(meeting_with_secret, members, client):
    chair = members["Ing-Marie Viklund"].user
    services.protocol_approve(actor=chair, meeting=meeting_with_secret, now=aware(2020, 9, 14))
    full = meeting_with_secret.documents.get(
        kind=DocumentKind.PROTOCOL, publicity="secret", filename__endswith=".pdf"
    )
    _login(client, "ledamot")
    assert client.get(reverse("meetings_document", args=[full.pk])).status_code == 403
    client.logout()
    _login(client, "sekreterare")
    assert client.get(reverse("meetings_document", args=[full.pk])).status_code == 200


@pytest.mark.django_db
def test_double_submit_of_a_new_case_registers_one_case(committee, cast, client):
    _login(client, "sekreterare")
    page = client.get(reverse("meetings_cases"))
    token = page.content.decode().split('name="submit_token" value="')[1].split('"')[0]
    data = {
        "committee": committee.pk,
        "title": "Yttrande över motion",
        "classification": "",
        "submit_token": token,
    }
    first = client.post(reverse("meetings_cases"), data)
    second = client.post(reverse("meetings_cases"), data)
    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"]
    assert Case.objects.filter(title="Yttrande över motion").count() == 1
    # A new form (a new token) registers a new case.
    again = client.get(reverse("meetings_cases")).content.decode()
    data["submit_token"] = again.split('name="submit_token" value="')[1].split('"')[0]
    client.post(reverse("meetings_cases"), data)
    assert Case.objects.filter(title="Yttrande över motion").count() == 2
