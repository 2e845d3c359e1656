"""OParl 1.1 (https://oparl.org): the public meeting data as JSON objects.

Body = the municipality; Organization = its committees and the parties; Person and
Membership = the elected members; Meeting, AgendaItem, Paper (a public case),
Consultation (a case on an agenda), File (a public document), LegislativeTerm, Location.
Only what selectors.py says is public is served. URLs are stable: they are built from
primary keys only, e.g. {base}/oparl/meeting/12/; lists are paged with ?page=N.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from styra.org.models import Municipality

from . import selectors
from .models import (
    AgendaItem,
    Case,
    Document,
    ItemKind,
    LegislativeTerm,
    Location,
    Meeting,
    MeetingStatus,
    Membership,
    Organization,
    OrganizationKind,
    Post,
)

SCHEMA = "https://schema.oparl.org/1.1/"
PUBLISHED_POSTS = [p for p in Post.values if p != Post.SECRETARY]

# list name in Body -> (object type, function body -> iterable of objects)
LIST_NAMES = (
    "organization",
    "person",
    "membership",
    "meeting",
    "agendaItem",
    "paper",
    "consultation",
    "file",
    "locationList",
    "legislativeTermList",
)
OBJECT_TYPES = (
    "body",
    "organization",
    "person",
    "membership",
    "meeting",
    "agendaitem",
    "paper",
    "consultation",
    "file",
    "legislativeterm",
    "location",
)


def page_size() -> int:
    return int(getattr(settings, "STYRA_OPARL_PAGE_SIZE", 20))


def _dt(value) -> str:
    return timezone.localtime(value).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Urls:
    base: str  # e.g. "https://styra.example.se" (no trailing slash)

    def system(self) -> str:
        return f"{self.base}/oparl/"

    def bodies(self) -> str:
        return f"{self.base}/oparl/body/"

    def obj(self, kind: str, pk: int) -> str:
        return f"{self.base}/oparl/{kind}/{pk}/"

    def list(self, body_pk: int, name: str, page: int | None = None) -> str:
        url = f"{self.base}/oparl/body/{body_pk}/{name}/"
        return f"{url}?page={page}" if page and page > 1 else url

    def file_access(self, doc: Document) -> str:
        return f"{self.base}/offentligt/handling/{doc.pk}/{doc.filename}"

    def web_meeting(self, meeting: Meeting) -> str:
        return f"{self.base}/offentligt/sammantrade/{meeting.pk}/"


# --- which objects exist publicly ------------------------------------------------------


def body_meetings(body: Municipality):
    return selectors.public_meetings().filter(committee__municipality=body)


def body_organizations(body: Municipality):
    return Organization.objects.filter(municipality=body).order_by("pk")


def body_memberships(body: Municipality):
    return (
        Membership.objects.filter(
            organization__municipality=body,
            organization__kind=OrganizationKind.COMMITTEE,
            post__in=PUBLISHED_POSTS,
        )
        .select_related("person", "organization", "party")
        .order_by("pk")
    )


def body_persons(body: Municipality):
    from styra.org.models import Person

    ids = body_memberships(body).values_list("person_id", flat=True)
    return Person.objects.filter(pk__in=ids).order_by("pk")


def body_items(body: Municipality) -> list[AgendaItem]:
    return [item for m in body_meetings(body) for item in selectors.public_items(m)]


def body_papers(body: Municipality):
    return selectors.public_cases().filter(committee__municipality=body).order_by("pk")


def body_consultations(body: Municipality) -> list[AgendaItem]:
    return [item for item in body_items(body) if item.case_id]


def body_files(body: Municipality):
    docs = selectors.public_documents()
    return docs.filter(pk__in=[d.pk for d in docs if _doc_body_id(d) == body.pk]).order_by("pk")


def _doc_body_id(doc: Document) -> int:
    owner = doc.case or doc.meeting
    return owner.committee.municipality_id


def body_locations(body: Municipality):
    return Location.objects.filter(municipality=body).order_by("pk")


def body_terms(body: Municipality):
    return LegislativeTerm.objects.filter(municipality=body).order_by("start_date")


LISTS: dict[str, Callable[[Municipality], Iterable]] = {
    "organization": body_organizations,
    "person": body_persons,
    "membership": body_memberships,
    "meeting": body_meetings,
    "agendaItem": body_items,
    "paper": body_papers,
    "consultation": body_consultations,
    "file": body_files,
    "locationList": body_locations,
    "legislativeTermList": body_terms,
}


# --- serialisers -----------------------------------------------------------------------


def system(urls: Urls) -> dict:
    return {
        "id": urls.system(),
        "type": SCHEMA + "System",
        "oparlVersion": SCHEMA,
        "body": urls.bodies(),
        "name": "Styra",
        "product": "https://github.com/styra/styra",
        "website": urls.base + "/offentligt/",
    }


def body(urls: Urls, muni: Municipality) -> dict:
    return {
        "id": urls.obj("body", muni.pk),
        "type": SCHEMA + "Body",
        "system": urls.system(),
        "name": muni.name,
        "shortName": muni.name,
        "rgs": muni.code,
        "website": urls.base + "/offentligt/",
        "organization": urls.list(muni.pk, "organization"),
        "person": urls.list(muni.pk, "person"),
        "meeting": urls.list(muni.pk, "meeting"),
        "paper": urls.list(muni.pk, "paper"),
        "agendaItem": urls.list(muni.pk, "agendaItem"),
        "consultation": urls.list(muni.pk, "consultation"),
        "file": urls.list(muni.pk, "file"),
        "membership": urls.list(muni.pk, "membership"),
        "locationList": urls.list(muni.pk, "locationList"),
        "legislativeTermList": urls.list(muni.pk, "legislativeTermList"),
        "legislativeTerm": [legislative_term(urls, t) for t in body_terms(muni)],
        "classification": "Kommun",
    }


def legislative_term(urls: Urls, term: LegislativeTerm) -> dict:
    return {
        "id": urls.obj("legislativeterm", term.pk),
        "type": SCHEMA + "LegislativeTerm",
        "body": urls.obj("body", term.municipality_id),
        "name": term.name,
        "startDate": term.start_date.isoformat(),
        "endDate": term.end_date.isoformat(),
    }


def organization(urls: Urls, org: Organization) -> dict:
    data = {
        "id": urls.obj("organization", org.pk),
        "type": SCHEMA + "Organization",
        "body": urls.obj("body", org.municipality_id),
        "name": org.name,
        "organizationType": "Gremium" if org.kind == OrganizationKind.COMMITTEE else "Fraktion",
        "classification": org.get_kind_display(),
        "membership": [
            urls.obj("membership", m.pk)
            for m in org.memberships.filter(post__in=PUBLISHED_POSTS).order_by("pk")
        ],
    }
    if org.short_name:
        data["shortName"] = org.short_name
    if org.kind == OrganizationKind.COMMITTEE:
        data["meeting"] = urls.list(org.municipality_id, "meeting")
        data["post"] = [Post(p).label for p in PUBLISHED_POSTS]
    if org.start_date:
        data["startDate"] = org.start_date.isoformat()
    if org.end_date:
        data["endDate"] = org.end_date.isoformat()
    return data


def membership(urls: Urls, m: Membership) -> dict:
    data = {
        "id": urls.obj("membership", m.pk),
        "type": SCHEMA + "Membership",
        "person": urls.obj("person", m.person_id),
        "organization": urls.obj("organization", m.organization_id),
        "role": m.get_post_display(),
        "votingRight": m.voting,
        "startDate": m.start_date.isoformat(),
    }
    if m.end_date:
        data["endDate"] = m.end_date.isoformat()
    if m.party_id:
        data["onBehalfOf"] = urls.obj("organization", m.party_id)
    return data


def person(urls: Urls, p) -> dict:
    given, _, family = p.name.rpartition(" ")
    rows = [m for m in p.memberships.order_by("pk") if m.post in PUBLISHED_POSTS]
    data = {
        "id": urls.obj("person", p.pk),
        "type": SCHEMA + "Person",
        "body": urls.obj("body", p.municipality_id),
        "name": p.name,
        "familyName": family or p.name,
        "membership": [membership(urls, m) for m in rows],
    }
    if given:
        data["givenName"] = given
    return data


def location(urls: Urls, loc: Location) -> dict:
    data = {
        "id": urls.obj("location", loc.pk),
        "type": SCHEMA + "Location",
        "description": loc.description,
        "meetings": [
            urls.obj("meeting", m.pk) for m in selectors.public_meetings().filter(location=loc)
        ],
    }
    if loc.street_address:
        data["streetAddress"] = loc.street_address
    if loc.locality:
        data["locality"] = loc.locality
    return data


def file(urls: Urls, doc: Document) -> dict:
    data = {
        "id": urls.obj("file", doc.pk),
        "type": SCHEMA + "File",
        "name": doc.title,
        "fileName": doc.filename,
        "mimeType": doc.mime_type,
        "date": timezone.localtime(doc.created).date().isoformat(),
        "size": doc.size,
        "sha1Checksum": doc.sha1,
        "sha512Checksum": doc.sha512,
        "accessUrl": urls.file_access(doc),
        "downloadUrl": urls.file_access(doc),
        "created": _dt(doc.created),
    }
    if doc.meeting_id:
        data["meeting"] = [urls.obj("meeting", doc.meeting_id)]
    if doc.case_id:
        data["paper"] = [urls.obj("paper", doc.case_id)]
    return data


def _public_files(qs) -> list[Document]:
    allowed = set(selectors.public_documents().values_list("pk", flat=True))
    return [d for d in qs if d.pk in allowed]


def agenda_item(urls: Urls, item: AgendaItem) -> dict:
    meeting = item.meeting
    data = {
        "id": urls.obj("agendaitem", item.pk),
        "type": SCHEMA + "AgendaItem",
        "meeting": urls.obj("meeting", meeting.pk),
        "number": str(item.order),
        "order": item.order,
        "name": item.heading,
        "public": bool(meeting.is_public),
    }
    if item.case_id:
        data["consultation"] = urls.obj("consultation", item.pk)
        files = _public_files(item.case.documents.order_by("pk"))
        if files:
            data["auxiliaryFile"] = [file(urls, d) for d in files]
    paragraph = getattr(item, "paragraph", None)
    if paragraph is not None and meeting.protocol_published:
        data["result"] = paragraph.get_decision_kind_display()
        if paragraph.decision:
            data["resolutionText"] = paragraph.decision
        votes = [vote_extension(urls, v) for v in paragraph.votes.all()]
        if votes:
            data[VOTE_EXTENSION] = votes
    return data


# Styra's extension (docs/formats/oparl.md, schema in styra/meetings/schemas/): the
# votering of a published paragraph, each member's vote and the totals counted from them.
VOTE_EXTENSION = "styra:vote"
VOTE_WORDS = {"ja": "yes", "nej": "no", "avstar": "abstain"}
VOTE_SCHEMA = Path(__file__).parent / "schemas" / "vote-extension.json"


def vote_extension(urls: Urls, vote) -> dict:
    totals = vote.totals()
    published = set(
        Membership.objects.filter(
            organization__node=vote.paragraph.meeting.committee, post__in=PUBLISHED_POSTS
        ).values_list("person_id", flat=True)
    )
    ballots = []
    for b in vote.ballots.select_related("person").order_by("person__name"):
        row = {"name": b.person.name, "vote": VOTE_WORDS[b.choice]}
        if b.person_id in published:
            row = {"person": urls.obj("person", b.person_id), **row}
        ballots.append(row)
    return {
        "yesProposal": vote.yes_proposal,
        "noProposal": vote.no_proposal,
        "yes": totals.yes,
        "no": totals.no,
        "abstain": totals.abstain,
        "result": VOTE_WORDS[vote.outcome],
        "votes": ballots,
    }


def meeting(urls: Urls, m: Meeting) -> dict:
    data = {
        "id": urls.obj("meeting", m.pk),
        "type": SCHEMA + "Meeting",
        "name": f"Sammanträde {m.committee.name} {m.date.isoformat()}",
        "meetingState": m.get_status_display(),
        "cancelled": m.status == MeetingStatus.CANCELLED,
        "start": _dt(m.start),
        "organization": [
            urls.obj("organization", o.pk) for o in Organization.objects.filter(node=m.committee)
        ],
        "agendaItem": [agenda_item(urls, i) for i in selectors.public_items(m)],
        "web": urls.web_meeting(m),
    }
    if m.end:
        data["end"] = _dt(m.end)
    if m.location:
        data["location"] = location(urls, m.location)
    files = _public_files(m.documents.filter(case__isnull=True).order_by("pk"))
    for doc in files:
        if doc.kind == "notice" and doc.filename.endswith(".pdf"):
            data["invitation"] = file(urls, doc)
        elif doc.kind == "protocol":
            data["resultsProtocol"] = file(urls, doc)
    aux = [
        file(urls, d)
        for d in files
        if not (d.kind == "notice" and d.filename.endswith(".pdf")) and d.kind != "protocol"
    ]
    if aux:
        data["auxiliaryFile"] = aux
    if m.protocol_published:
        data["participant"] = [
            urls.obj("person", pid)
            for pid in m.attendance.filter(
                person__memberships__organization__node=m.committee,
                person__memberships__post__in=PUBLISHED_POSTS,
            )
            .values_list("person_id", flat=True)
            .distinct()
        ]
    return data


def consultation(urls: Urls, item: AgendaItem) -> dict:
    return {
        "id": urls.obj("consultation", item.pk),
        "type": SCHEMA + "Consultation",
        "paper": urls.obj("paper", item.case_id),
        "agendaItem": urls.obj("agendaitem", item.pk),
        "meeting": urls.obj("meeting", item.meeting_id),
        "organization": [
            urls.obj("organization", o.pk)
            for o in Organization.objects.filter(node=item.meeting.committee)
        ],
        "authoritative": item.kind == ItemKind.DECISION,
        "role": item.get_kind_display(),
    }


def paper(urls: Urls, case: Case) -> dict:
    items = [
        i
        for i in case.agenda_items.select_related("meeting").order_by("pk")
        if i in selectors.public_items(i.meeting)
    ]
    files = _public_files(case.documents.order_by("pk"))
    main = next((d for d in files if d.kind == "report" and d.filename.endswith(".pdf")), None)
    data = {
        "id": urls.obj("paper", case.pk),
        "type": SCHEMA + "Paper",
        "body": urls.obj("body", case.committee.municipality_id),
        "name": case.title,
        "reference": case.dnr,
        "date": timezone.localtime(case.created).date().isoformat(),
        "paperType": "Ärende",
        "underDirectionOf": [
            urls.obj("organization", o.pk) for o in Organization.objects.filter(node=case.committee)
        ],
        "consultation": [consultation(urls, i) for i in items],
    }
    if main:
        data["mainFile"] = file(urls, main)
    aux = [file(urls, d) for d in files if d is not main]
    if aux:
        data["auxiliaryFile"] = aux
    return data


SERIALISERS: dict[str, Callable] = {
    "organization": organization,
    "person": person,
    "membership": membership,
    "meeting": meeting,
    "agendaItem": agenda_item,
    "paper": paper,
    "consultation": consultation,
    "file": file,
    "locationList": location,
    "legislativeTermList": legislative_term,
}


# --- single objects by type and id (only public ones) ----------------------------------


def find(kind: str, pk: int):
    """The public object of an OParl type, or None."""
    if kind == "body":
        return Municipality.objects.filter(pk=pk).first(), lambda u, o: body(u, o)
    for list_name, obj_kind in zip(LIST_NAMES, _LIST_KINDS, strict=True):
        if obj_kind != kind:
            continue
        found = None
        for muni in Municipality.objects.all():
            objects = LISTS[list_name](muni)
            if hasattr(objects, "filter"):
                found = objects.filter(pk=pk).first()
            else:
                found = next((o for o in objects if o.pk == pk), None)
            if found is not None:
                break
        return found, SERIALISERS[list_name]
    return None, None


_LIST_KINDS = (
    "organization",
    "person",
    "membership",
    "meeting",
    "agendaitem",
    "paper",
    "consultation",
    "file",
    "location",
    "legislativeterm",
)


def page(urls: Urls, muni: Municipality, list_name: str, number: int) -> dict:
    objects = list(LISTS[list_name](muni))
    size = page_size()
    total_pages = max(1, math.ceil(len(objects) / size))
    number = min(max(1, number), total_pages)
    chunk = objects[(number - 1) * size : number * size]
    links = {
        "first": urls.list(muni.pk, list_name),
        "last": urls.list(muni.pk, list_name, total_pages),
        "self": urls.list(muni.pk, list_name, number),
    }
    if number > 1:
        links["prev"] = urls.list(muni.pk, list_name, number - 1)
    if number < total_pages:
        links["next"] = urls.list(muni.pk, list_name, number + 1)
    return {
        "data": [SERIALISERS[list_name](urls, o) for o in chunk],
        "pagination": {
            "totalElements": len(objects),
            "elementsPerPage": size,
            "currentPage": number,
            "totalPages": total_pages,
        },
        "links": links,
    }


def body_list(urls: Urls) -> dict:
    bodies = list(Municipality.objects.order_by("pk"))
    return {
        "data": [body(urls, b) for b in bodies],
        "pagination": {
            "totalElements": len(bodies),
            "elementsPerPage": max(1, len(bodies)),
            "currentPage": 1,
            "totalPages": 1,
        },
        "links": {"first": urls.bodies(), "last": urls.bodies(), "self": urls.bodies()},
    }


# --- export ----------------------------------------------------------------------------


def export(out_dir: Path, base_url: str) -> dict[str, int]:
    """Write every public object and every list page as JSON files whose paths follow the
    URLs: oparl/meeting/12/ -> OUT/meeting/12.json, a list page -> OUT/body/1/meeting/
    page-1.json, the System -> OUT/system.json. Returns counts per object type."""
    urls = Urls(base_url.rstrip("/"))
    out_dir = Path(out_dir)

    def write(rel: str, data: dict) -> None:
        path = out_dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")

    counts: dict[str, int] = {"system": 1}
    write("system.json", system(urls))
    write("body/page-1.json", body_list(urls))
    for muni in Municipality.objects.order_by("pk"):
        write(f"body/{muni.pk}.json", body(urls, muni))
        counts["body"] = counts.get("body", 0) + 1
        for list_name, kind in zip(LIST_NAMES, _LIST_KINDS, strict=True):
            objects = list(LISTS[list_name](muni))
            total_pages = max(1, math.ceil(len(objects) / page_size()))
            for n in range(1, total_pages + 1):
                write(f"body/{muni.pk}/{list_name}/page-{n}.json", page(urls, muni, list_name, n))
            for obj in objects:
                write(f"{kind}/{obj.pk}.json", SERIALISERS[list_name](urls, obj))
            counts[kind] = counts.get(kind, 0) + len(objects)
    return counts
