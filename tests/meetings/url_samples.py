"""Sample values for the permission walk (tests/web/test_permissions.py)."""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile
from django.utils import timezone

from tests.actors import SYSTEM


def samples(node) -> dict[str, tuple[str, object]]:
    from styra.meetings import services
    from styra.meetings.models import Document, ItemKind

    avun = node("AVUN")
    meeting = services.meeting_create(
        actor=SYSTEM,
        committee=avun,
        start=timezone.make_aware(dt.datetime(2020, 9, 10, 18, 0)),
        place="Kommunhuset",
    )
    case = services.case_create(actor=SYSTEM, committee=avun, title="Exempelärende", year=2020)
    item = services.agenda_item_add(
        actor=SYSTEM, meeting=meeting, kind=ItemKind.DECISION, title="Exempel", case=case
    )
    meeting.notice_sent_on = dt.date(2020, 9, 3)
    meeting.save()
    (paragraph,) = services.protocol_open(actor=SYSTEM, meeting=meeting)
    doc = Document(meeting=meeting, kind="notice", title="Kallelse", filename="kallelse.pdf")
    doc.mime_type, doc.size, doc.sha1, doc.sha512 = "application/pdf", 4, "0" * 40, "0" * 128
    doc.file.save("kallelse.pdf", ContentFile(b"%PDF"), save=False)
    doc.save()
    return {
        "meeting_id": ("AVUN", meeting.pk),
        "paragraph_id": ("AVUN", paragraph.pk),
        "item_id": ("AVUN", item.pk),
        "case_id": ("AVUN", case.pk),
        "document_id": ("AVUN", doc.pk),
        "filename": ("AVUN", doc.filename),
        "body_id": ("AVUN", avun.municipality_id),
        "list_name": ("AVUN", "meeting"),
        "object_type": ("AVUN", "meeting"),
        "object_id": ("AVUN", meeting.pk),
    }
