"""Confidential items and personal data never reach the public part or OParl."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse

from styra.meetings import oparl, services
from styra.meetings.models import Document, ItemKind, Meeting, Publicity
from tests.actors import SYSTEM

from .conftest import aware, make_members, write_decisions

SECRET_TITLE = "Lex Sarah-rapport 4711 om brukare"
SECRET_CASE = "Individärende Hemlig Hemligsson"
PERSON = "Kalle Personsson 800101-1234"
DELEGATE = "Berit Beslutsfattare"


@pytest.fixture(scope="module")
def published_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """A published meeting with a confidential item, a secret case and a delegation decision
    with personal data, built once for the module: its tests only read. Built inside a
    transaction that stays open while they run (each test's own transaction is a savepoint
    within it) and is rolled back after the last one. Yields the meeting's id and the folder
    of its stored files."""
    from django.db import transaction
    from django.test import override_settings

    from styra.demo.builder import DATA_DIR
    from styra.org.access import system_actor
    from styra.org.models import OrgNode
    from styra.org.services import org_load

    media = tmp_path_factory.mktemp("published-media")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=str(media)),
        transaction.atomic(),
    ):
        municipality = org_load(actor=system_actor("test"), path=DATA_DIR / "org.yaml").municipality

        def node(code):
            return OrgNode.objects.get(municipality=municipality, code=code)

        meeting = _publish(node("AVUN"), make_members(node("AVUN")), node)
        try:
            yield meeting.pk, str(media)
        finally:
            transaction.set_rollback(True)


@pytest.fixture
def published(settings, published_world):
    pk, media = published_world
    settings.MEDIA_ROOT = media
    return Meeting.objects.get(pk=pk)


def _publish(committee, members, node):
    meeting = services.meeting_create(
        actor=SYSTEM, committee=committee, start=aware(2020, 9, 10), place="Kommunhuset"
    )
    secret_case = services.case_create(
        actor=SYSTEM,
        committee=committee,
        title=SECRET_CASE,
        year=2020,
        publicity=Publicity.SECRET,
        summary="Uppgifter om enskild.",
    )
    public_case = services.case_create(
        actor=SYSTEM, committee=committee, title="Delår 2", year=2020, proposal="Godkänns."
    )
    services.case_papers_generate(actor=SYSTEM, case=public_case)
    services.case_papers_generate(actor=SYSTEM, case=secret_case)
    services.agenda_item_add(
        actor=SYSTEM, meeting=meeting, kind=ItemKind.DECISION, title="Delår 2", case=public_case
    )
    services.agenda_item_add(
        actor=SYSTEM, meeting=meeting, kind=ItemKind.DELEGATION, title="Delegationsbeslut"
    )
    services.agenda_item_add(
        actor=SYSTEM, meeting=meeting, kind=ItemKind.REPORTED, title=SECRET_TITLE, confidential=True
    )
    services.agenda_item_add(
        actor=SYSTEM, meeting=meeting, kind=ItemKind.DECISION, title="Ärende 9", case=secret_case
    )
    code = services.delegation_code_upsert(
        actor=SYSTEM, committee=committee, code="G1", decision_type="Antagning", delegates="Rektor"
    )
    services.delegation_decision_register(
        actor=SYSTEM,
        unit=node("UFV"),
        code=code,
        date_from=dt.date(2020, 8, 12),
        decision="Avslag på ansökan om antagning",
        delegate_role="Rektor",
        delegate_name=DELEGATE,
        personal_details=PERSON,
    )
    services.notice_produce(actor=SYSTEM, meeting=meeting, sent_on=dt.date(2020, 9, 3))
    services.protocol_open(actor=SYSTEM, meeting=meeting)
    write_decisions(meeting)
    services.adjusters_set(
        actor=SYSTEM,
        meeting=meeting,
        persons=[members["Lena Ledamot"], members["Ing-Marie Viklund"]],
    )
    for name in ("Lena Ledamot", "Ing-Marie Viklund"):
        services.protocol_approve(
            meeting=meeting, actor=members[name].user, now=aware(2020, 9, 17, 10)
        )
    meeting.refresh_from_db()
    services.anslag_post(actor=SYSTEM, meeting=meeting, posted_on=dt.date(2020, 9, 18))
    services.protocol_render(actor=SYSTEM, meeting=meeting)
    services.protocol_publish(actor=SYSTEM, meeting=meeting)
    return meeting


FORBIDDEN = [SECRET_TITLE, SECRET_CASE, PERSON, "800101-1234", DELEGATE, "4711"]


def assert_clean(text: str, where: str) -> None:
    for secret in FORBIDDEN:
        assert secret not in text, f"{secret!r} syns i {where}"


@pytest.mark.django_db
def test_public_pages_show_the_protocol_but_no_secrets(client, published):
    index = client.get(reverse("public_index"))
    assert index.status_code == 200
    page = client.get(reverse("public_meeting", args=[published.pk]))
    html = page.content.decode()
    assert "Protokoll (justerat)" in html and "Delår 2" in html
    assert "Avslag på ansökan om antagning" in html  # the decision itself is public
    assert_clean(index.content.decode(), "startsidan")
    assert_clean(html, "sammanträdessidan")
    public_docs = 0
    for doc in Document.objects.all():
        response = client.get(reverse("public_document", args=[doc.pk, doc.filename]))
        if response.status_code == 200:
            public_docs += 1
            body = b"".join(response.streaming_content)
            if doc.filename.endswith(".pdf"):
                from .test_papers import pdf_text

                assert_clean(pdf_text(body), doc.filename)
            assert doc.is_public
        else:
            assert response.status_code == 404
    assert public_docs >= 4  # kallelse pdf+docx, public protocol, the public case's papers
    full = Document.objects.get(filename__endswith="-fullstandigt.pdf")
    from .test_papers import pdf_text

    full_text = pdf_text(full.file.read())
    # the identifiable twin, produced from the same data, has them
    assert "4711" in full_text and "800101-1234" in full_text


@pytest.mark.django_db
def test_oparl_api_and_export_leave_out_secrets(client, published, tmp_path):
    seen = []
    for url in [reverse("oparl_system"), reverse("oparl_bodies")]:
        seen.append(client.get(url).content.decode())
    body_id = published.committee.municipality_id
    for name in oparl.LIST_NAMES:
        response = client.get(reverse("oparl_list", args=[body_id, name]))
        assert response.status_code == 200
        seen.append(response.content.decode())
    for text in seen:
        assert_clean(json.loads(json.dumps(text)), "OParl-API")
    oparl.export(tmp_path / "ut", "https://styra.example.se")
    files = list((tmp_path / "ut").rglob("*.json"))
    assert files
    for f in files:
        assert_clean(f.read_text(encoding="utf-8"), str(f))
    assert "Delegationsbeslut" in (tmp_path / "ut" / "meeting" / f"{published.pk}.json").read_text()


@pytest.mark.django_db
def test_secret_objects_are_not_found_through_oparl(client, published):
    secret_item = published.items.get(confidential=True)
    response = client.get(reverse("oparl_object", args=["agendaitem", secret_item.pk]))
    assert response.status_code == 404
    secret_case = published.items.get(title="Ärende 9").case
    assert client.get(reverse("oparl_object", args=["paper", secret_case.pk])).status_code == 404
