"""The agenda and its papers (issue 15, point 2): items edited, reordered and removed,
standard opening items, föredragande, the case's title taken over; uploads with a size
limit, publicity and checksums; a finalised report attached with one action; files never
left behind by a failed write (issue 21, point 7)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from styra.demo.builder import DEMO_PASSWORD
from styra.meetings import calc, services
from styra.meetings.models import AgendaItem, Document, DocumentKind, ItemKind, Publicity
from tests.actors import SYSTEM

from .conftest import aware


@pytest.fixture
def meeting(committee):
    return services.meeting_create(
        actor=SYSTEM, committee=committee, start=aware(2020, 9, 10), place="Kommunhuset"
    )


def _titles(meeting):
    return [i.title for i in meeting.items.order_by("confidential", "order")]


@pytest.mark.django_db
def test_items_take_the_cases_title_and_move_and_go(meeting, committee):
    case = services.case_create(
        actor=SYSTEM, committee=committee, title="Delårsrapport 2", year=2020
    )
    a = services.agenda_item_add(
        actor=SYSTEM,
        meeting=meeting,
        kind=ItemKind.DECISION,
        case=case,
        presenter="Controller Carl",
    )
    assert a.title == "Delårsrapport 2" and a.presenter == "Controller Carl"
    b = services.agenda_item_add(
        actor=SYSTEM, meeting=meeting, kind=ItemKind.INFORMATION, title="Information"
    )
    secret = services.agenda_item_add(
        actor=SYSTEM, meeting=meeting, kind=ItemKind.REPORTED, title="Lex Sarah", confidential=True
    )
    services.agenda_item_move(actor=SYSTEM, item=b, up=True)
    assert _titles(meeting) == ["Information", "Delårsrapport 2", "Lex Sarah"]
    # the sekretessdel stays last: moving down from the open part stops at its end
    services.agenda_item_move(actor=SYSTEM, item=a, up=False)
    assert _titles(meeting) == ["Information", "Delårsrapport 2", "Lex Sarah"]
    services.agenda_standard_items(actor=SYSTEM, meeting=meeting)
    services.agenda_standard_items(actor=SYSTEM, meeting=meeting)  # once only
    assert _titles(meeting) == [
        "Upprop",
        "Val av justerare",
        "Godkännande av dagordningen",
        "Information",
        "Delårsrapport 2",
        "Lex Sarah",
    ]
    assert [i.order for i in meeting.items.order_by("confidential", "order")] == [1, 2, 3, 4, 5, 6]
    services.agenda_item_remove(actor=SYSTEM, item=b)
    assert _titles(meeting)[3:] == ["Delårsrapport 2", "Lex Sarah"]
    assert AgendaItem.objects.get(pk=secret.pk).order == 5
    services.agenda_item_update(
        actor=SYSTEM,
        item=a,
        kind=ItemKind.DECISION,
        title="Delår 2",
        case=case,
        presenter="Ekonomichefen",
    )
    a.refresh_from_db()
    assert (a.title, a.presenter) == ("Delår 2", "Ekonomichefen")


@pytest.mark.django_db
def test_an_item_with_a_paragraph_is_not_removed_and_its_heading_follows(meeting):
    item = services.agenda_item_add(
        actor=SYSTEM, meeting=meeting, kind=ItemKind.INFORMATION, title="Info"
    )
    (paragraph,) = services.protocol_open(actor=SYSTEM, meeting=meeting)
    with pytest.raises(calc.RuleViolation, match="redan §"):
        services.agenda_item_remove(actor=SYSTEM, item=item)
    services.agenda_item_update(
        actor=SYSTEM, item=item, kind=ItemKind.INFORMATION, title="Information om budget"
    )
    paragraph.refresh_from_db()
    assert paragraph.title == "Information om budget"


@pytest.mark.django_db
def test_item_needs_a_title_or_a_case_of_the_same_committee(meeting, node):
    with pytest.raises(ValueError, match="rubrik"):
        services.agenda_item_add(actor=SYSTEM, meeting=meeting, kind=ItemKind.DECISION)
    other = services.case_create(actor=SYSTEM, committee=node("SN"), title="SN:s ärende", year=2020)
    with pytest.raises(ValueError, match="annan nämnd"):
        services.agenda_item_add(actor=SYSTEM, meeting=meeting, kind=ItemKind.DECISION, case=other)


@pytest.mark.django_db
def test_upload_numbers_attachments_and_keeps_checksums(committee):
    case = services.case_create(actor=SYSTEM, committee=committee, title="Motion", year=2020)
    data = b"%PDF-1.7\n" + bytes(range(256)) * 4000
    first = services.document_upload(
        actor=SYSTEM,
        upload=SimpleUploadedFile("yttrande.pdf", data),
        title="Yttrande",
        publicity=Publicity.PUBLIC,
        case=case,
    )
    second = services.document_upload(
        actor=SYSTEM,
        upload=SimpleUploadedFile("utredning.docx", b"PK\x03\x04 docx"),
        title="",
        publicity=Publicity.PERSONAL_DATA,
        case=case,
    )
    assert (first.attachment_number, second.attachment_number) == (1, 2)
    assert second.title == "utredning"
    assert first.size == len(data)
    assert first.sha1 == hashlib.sha1(data).hexdigest()
    assert first.sha512 == hashlib.sha512(data).hexdigest()
    with first.file.open("rb") as fh:
        assert fh.read() == data


@pytest.mark.django_db
def test_upload_refuses_too_big_empty_and_foreign_types(committee, settings):
    settings.STYRA_UPLOAD_MAX_DOCUMENT_MB = 1
    case = services.case_create(actor=SYSTEM, committee=committee, title="Motion", year=2020)
    big = SimpleUploadedFile("stor.pdf", b"x" * (1024 * 1024 + 1))
    with pytest.raises(ValueError, match="för stor"):
        services.document_upload(actor=SYSTEM, upload=big, title="", publicity="public", case=case)
    with pytest.raises(ValueError, match="filtypen"):
        services.document_upload(
            actor=SYSTEM,
            upload=SimpleUploadedFile("x.exe", b"MZ"),
            title="",
            publicity="public",
            case=case,
        )
    with pytest.raises(ValueError, match="tom"):
        services.document_upload(
            actor=SYSTEM,
            upload=SimpleUploadedFile("x.pdf", b""),
            title="",
            publicity="public",
            case=case,
        )
    assert not Document.objects.exists()


@pytest.mark.django_db
def test_a_failed_write_leaves_no_file_behind(committee, settings, monkeypatch):
    """The row cannot be saved (here: a title longer than the column allows): the file
    written before the row is removed again."""
    case = services.case_create(actor=SYSTEM, committee=committee, title="Motion", year=2020)
    media = Path(settings.MEDIA_ROOT)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.document_upload(
            actor=SYSTEM,
            upload=SimpleUploadedFile("a.pdf", b"%PDF-1"),
            title="x" * 400,
            publicity="public",
            case=case,
        )
    assert [p for p in media.rglob("*") if p.is_file()] == []
    # the outer service fails after storing: its files go too
    original = services.case_update

    def failing(**kwargs):
        raise RuntimeError("stopp")

    monkeypatch.setattr(services, "case_update", failing)
    with pytest.raises(RuntimeError):
        services.case_attach_report(
            actor=SYSTEM,
            case=case,
            title="Rapport",
            file_bytes=b"%PDF-1.7 r",
            filename="r.pdf",
            summary_text="Ny sammanfattning",
        )
    monkeypatch.setattr(services, "case_update", original)
    assert not Document.objects.exists()
    assert [p for p in media.rglob("*") if p.is_file()] == []


@pytest.mark.django_db
def test_a_replaced_paper_removes_its_old_file_after_commit(
    committee, django_capture_on_commit_callbacks
):
    case = services.case_create(actor=SYSTEM, committee=committee, title="Motion", year=2020)
    with django_capture_on_commit_callbacks(execute=True):
        one = services.document_store(
            content=b"one", filename="a.pdf", kind=DocumentKind.OTHER, title="A", case=case
        )
    old_path = Path(one.file.path)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        two = services.document_store(
            content=b"two", filename="a.pdf", kind=DocumentKind.OTHER, title="A", case=case
        )
    assert two.pk == one.pk and old_path.exists()  # not before the commit
    for callback in callbacks:
        callback()
    assert not old_path.exists() and Path(two.file.path).read_bytes() == b"two"


@pytest.mark.django_db
def test_case_page_uploads_and_attaches_a_finalised_report(client, cast, committee):
    from styra.calendar.services import event_ensure
    from styra.reports.models import ReportFile, ReportSnapshot

    case = services.case_create(actor=SYSTEM, committee=committee, title="Delår 2", year=2020)
    assert client.login(username="sekreterare", password=DEMO_PASSWORD)
    url = reverse("meetings_case", args=[case.pk])
    response = client.post(
        url,
        {
            "action": "upload",
            "upload-publicity": "public",
            "upload-file": SimpleUploadedFile("bilaga.pdf", b"%PDF-1.7 b"),
        },
        follow=True,
    )
    assert "Bilaga 1: bilaga" in response.content.decode()
    event = event_ensure(actor=SYSTEM, committee=committee, code="2020-D2")
    snapshot = ReportSnapshot.objects.create(
        committee=committee,
        event=event,
        report_type="interim",
        version=1,
        title="Delårsrapport 2 2020",
        data="{}",
        summary_text="Prognosen visar överskott.",
        content_hash="0" * 64,
    )
    pdf = ReportFile(snapshot=snapshot, fmt="pdf", sha256="0" * 64, size=16)
    pdf.file.save("delar.pdf", ContentFile(b"%PDF-1.7 rapport"), save=False)
    pdf.save()
    response = client.post(url, {"action": "snapshot", "snapshot": snapshot.pk}, follow=True)
    assert "Bilaga 2: Delårsrapport 2 2020" in response.content.decode()
    case.refresh_from_db()
    assert case.summary == "Prognosen visar överskott."
    doc = case.documents.get(attachment_number=2)
    with doc.file.open("rb") as fh:
        assert fh.read() == b"%PDF-1.7 rapport"
