"""Writes for meetings and cases (<thing>_<verb>, keyword-only, one transaction each).

Rules that Kommunallagen or the delegationsordning set are checked in calc.py and raised
as calc.RuleViolation, whose message names the rule.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import functools
import hashlib
import mimetypes
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile, File
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.text import slugify

from styra.calendar import clock
from styra.calendar.models import ReportingEvent
from styra.lib.errors import InputError, Issue, UsageError
from styra.lib.yamlfile import LineDict
from styra.org import access
from styra.org.models import NodeKind, OrgNode, Person, Role, RoleGrant

from . import calc
from .models import (
    Adjuster,
    AgendaItem,
    Attendance,
    AttendanceKind,
    Ballot,
    Calendar,
    Case,
    ChangeRequest,
    DecisionKind,
    DelegationCode,
    DelegationDecision,
    Delivery,
    DeliveryKind,
    DiaryCounter,
    Dispatch,
    Document,
    DocumentKind,
    ItemKind,
    LegislativeTerm,
    Location,
    Meeting,
    MeetingStatus,
    Membership,
    Organization,
    OrganizationKind,
    Paragraph,
    Post,
    Publicity,
    Vote,
)
from .readers import read_meetings_file

# --- diarium ---------------------------------------------------------------------------


def _counter_next(prefix: str, year: int) -> int:
    """The next number of a series; the counter row is locked until the transaction ends,
    so two concurrent callers never get the same number and no number is reused."""
    DiaryCounter.objects.get_or_create(prefix=prefix, year=year)
    counter = DiaryCounter.objects.select_for_update().get(prefix=prefix, year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


@transaction.atomic
def diary_next(*, prefix: str, year: int) -> calc.DiaryNumber:
    return calc.DiaryNumber(prefix, year, _counter_next(prefix, year))


def _claim_number(prefix: str, year: int, number: int) -> None:
    """A case registered with a known number (import): the series continues after it."""
    DiaryCounter.objects.get_or_create(prefix=prefix, year=year)
    counter = DiaryCounter.objects.select_for_update().get(prefix=prefix, year=year)
    if counter.last_number < number:
        counter.last_number = number
        counter.save(update_fields=["last_number"])


# The texts of a case that its papers (tjänsteskrivelse, ordförandeförslag) are made from.
CASE_PAPER_TEXTS = (
    "proposal",
    "summary",
    "background",
    "economy",
    "child_analysis",
    "equality_analysis",
    "basis",
    "distribution",
    "signatories",
)
CASE_REPLY_FIELDS = ("reply_kind", "reply_due", "replied_on")
CASE_TEXT_FIELDS = (
    "classification",
    *CASE_PAPER_TEXTS,
    "status",
    "publicity",
    "recurring",
    *CASE_REPLY_FIELDS,
)


@transaction.atomic
def case_create(
    *,
    actor,
    committee: OrgNode,
    title: str,
    year: int | None = None,
    dnr: str | None = None,
    handler: Person | None = None,
    **fields,
) -> Case:
    """Register a case with the next number of the committee's series, or with a given
    diarienummer (then the series continues after it)."""
    access.require(actor, access.MEETINGS, committee)
    unknown = set(fields) - set(CASE_TEXT_FIELDS)
    if unknown:
        raise TypeError(f"okända fält: {sorted(unknown)}")
    if dnr:
        number = calc.DiaryNumber.parse(dnr)
        _claim_number(number.prefix, number.year, number.number)
    else:
        prefix = committee.diarium_prefix or committee.code
        year = year or clock.today().year
        number = calc.DiaryNumber(prefix, year, _counter_next(prefix, year))
    case = Case(
        committee=committee,
        prefix=number.prefix,
        year=number.year,
        number=number.number,
        title=title,
        handler=handler,
        **fields,
    )
    case.full_clean()
    case.save()
    return case


@transaction.atomic
def case_update(*, actor, case: Case, **fields) -> Case:
    access.require(actor, access.MEETINGS, case.committee)
    for key, value in fields.items():
        if key not in (*CASE_TEXT_FIELDS, "title", "handler"):
            raise TypeError(f"okänt fält: {key}")
        setattr(case, key, value)
    case.full_clean()
    case.save()
    return case


# --- documents -------------------------------------------------------------------------


def _checksums(content: File) -> tuple[int, str, str]:
    sha1, sha512, size = hashlib.sha1(), hashlib.sha512(), 0
    content.seek(0)
    for chunk in content.chunks():
        sha1.update(chunk)
        sha512.update(chunk)
        size += len(chunk)
    content.seek(0)
    return size, sha1.hexdigest(), sha512.hexdigest()


def document_store(
    *,
    content: bytes | File,
    filename: str,
    kind: str,
    title: str,
    case: Case | None = None,
    meeting: Meeting | None = None,
    paragraph: Paragraph | None = None,
    publicity: str = Publicity.PUBLIC,
    summary: str = "",
    attachment_number: int | None = None,
) -> Document:
    """Store a file under MEDIA_ROOT with checksums and size. A document of the same
    owner, kind and file name is replaced (so regenerating a paper does not duplicate).

    Not a service (no actor): the services that call it have authorised the write. The
    file is written before the database row, read in chunks (an upload is never held in
    memory), and removed again if the row cannot be saved; a replaced file is deleted only
    after the transaction has committed, so a rollback never leaves a row without its file.
    """
    if isinstance(content, bytes):
        content = ContentFile(content)
    size, sha1, sha512 = _checksums(content)
    existing = Document.objects.filter(
        case=case, meeting=meeting, paragraph=paragraph, kind=kind, filename=filename
    ).first()
    if existing and existing.sha1 == sha1 and existing.title == title:
        changed = {
            "summary": summary,
            "publicity": publicity,
            "attachment_number": attachment_number,
        }
        changed = {k: v for k, v in changed.items() if getattr(existing, k) != v}
        if changed:
            for key, value in changed.items():
                setattr(existing, key, value)
            existing.save(update_fields=list(changed))
        return existing
    doc = existing or Document(case=case, meeting=meeting, paragraph=paragraph, kind=kind)
    old_name = existing.file.name if existing and existing.file else ""
    doc.title = title
    doc.filename = filename
    doc.mime_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    doc.size, doc.sha1, doc.sha512 = size, sha1, sha512
    doc.publicity = publicity
    doc.summary = summary
    doc.attachment_number = attachment_number
    doc.file.save(filename, content, save=False)
    storage, new_name = doc.file.storage, doc.file.name
    try:
        with transaction.atomic():
            doc.full_clean()
            doc.save()
    except BaseException:
        storage.delete(new_name)
        raise
    if old_name and old_name != new_name:
        transaction.on_commit(lambda: storage.delete(old_name))
    created = _NEW_FILES.get()
    if created is not None:
        created.append((storage, new_name))
    return doc


# Files written by document_store during the current service call (see files_guarded).
_NEW_FILES: contextvars.ContextVar[list | None] = contextvars.ContextVar(
    "meetings_new_files", default=None
)


def files_guarded(service):
    """Wrap a service (outside its transaction) that stores documents: when it fails, the
    transaction has rolled back and the files it wrote are removed too."""

    @functools.wraps(service)
    def wrapper(*args, **kwargs):
        if _NEW_FILES.get() is not None:  # an outer service guards already
            return service(*args, **kwargs)
        created: list = []
        token = _NEW_FILES.set(created)
        try:
            return service(*args, **kwargs)
        except BaseException:
            for storage, name in created:
                storage.delete(name)
            raise
        finally:
            _NEW_FILES.reset(token)

    return wrapper


@files_guarded
@transaction.atomic
def case_attach_report(
    *, actor, case: Case, title: str, file_bytes: bytes, filename: str, summary_text: str
) -> Document:
    """Attach a finalised report to a case as a numbered bilaga; its summary becomes the
    case's Sammanfattning, which feeds the tjänsteskrivelse and the ordförandeförslag."""
    access.require(actor, access.MEETINGS, case.committee)
    Case.objects.select_for_update().get(pk=case.pk)  # the numbers are taken under this lock
    existing = case.documents.filter(kind=DocumentKind.ATTACHMENT, filename=filename).first()
    if existing and existing.attachment_number:
        number = existing.attachment_number
    else:
        number = _next_attachment_number(case)
    doc = document_store(
        content=file_bytes,
        filename=filename,
        kind=DocumentKind.ATTACHMENT,
        title=title,
        case=case,
        summary=summary_text,
        attachment_number=number,
        publicity=case.publicity,
    )
    if case.summary != summary_text:
        case_update(actor=actor, case=case, summary=summary_text)
    return doc


# What may be uploaded as a document or an attachment (by file name; the content is
# stored as it is and only ever downloaded, never opened by Styra).
UPLOAD_TYPES = {
    ".pdf",
    ".docx",
    ".doc",
    ".odt",
    ".xlsx",
    ".xls",
    ".ods",
    ".pptx",
    ".txt",
    ".csv",
    ".png",
    ".jpg",
    ".jpeg",
}


def upload_limit() -> int:
    """The largest document or attachment one may upload, in bytes (settings, in MB)."""
    return int(settings.STYRA_UPLOAD_MAX_DOCUMENT_MB) * 1024 * 1024


def _next_attachment_number(case: Case) -> int:
    last = case.documents.filter(kind=DocumentKind.ATTACHMENT).aggregate(
        n=Max("attachment_number")
    )["n"]
    return (last or 0) + 1


@files_guarded
@transaction.atomic
def document_upload(
    *,
    actor,
    upload: File,
    title: str,
    publicity: str,
    case: Case | None = None,
    meeting: Meeting | None = None,
    kind: str = DocumentKind.ATTACHMENT,
) -> Document:
    """An uploaded document of a case (a numbered bilaga) or of a meeting, with its
    publicity status. Refused above the size limit or with a file type not allowed."""
    if (case is None) == (meeting is None):
        raise ValueError("En handling hör till ett ärende eller ett sammanträde.")
    owner = case or meeting
    access.require(actor, access.MEETINGS, owner.committee)
    if meeting is not None and meeting.is_justerat:
        raise calc.RuleViolation(
            calc.RULE_JUSTERAD_LOCKED, "Handlingar kan inte läggas till efter justeringen."
        )
    name = Path(upload.name or "").name.strip()
    if Path(name).suffix.lower() not in UPLOAD_TYPES:
        raise ValueError(
            f"{name or 'Filen'}: den filtypen tas inte emot; tillåtna är "
            + ", ".join(sorted(UPLOAD_TYPES))
            + "."
        )
    if upload.size is None or upload.size > upload_limit():
        raise ValueError(
            f"{name} är för stor ({(upload.size or 0) / 1048576:.1f} MB); största "
            f"tillåtna är {settings.STYRA_UPLOAD_MAX_DOCUMENT_MB} MB."
        )
    if upload.size == 0:
        raise ValueError(f"{name} är tom.")
    if publicity not in Publicity.values:
        raise ValueError(f"Okänd offentlighet: {publicity}.")
    if kind not in (DocumentKind.ATTACHMENT, DocumentKind.OTHER):
        raise ValueError("Bara bilagor och övriga handlingar laddas upp.")
    number = None
    if case is not None:
        Case.objects.select_for_update().get(pk=case.pk)  # the numbers are taken under this lock
        if kind == DocumentKind.ATTACHMENT:
            number = _next_attachment_number(case)
    title = title.strip() or Path(name).stem
    return document_store(
        content=upload,
        filename=name,
        kind=kind,
        title=title,
        case=case,
        meeting=meeting,
        publicity=publicity,
        attachment_number=number,
    )


@files_guarded
@transaction.atomic
def document_remove(*, actor, document: Document) -> None:
    """Remove an uploaded document (not a paper Styra made, not after the justering)."""
    owner = document.case or document.meeting
    access.require(actor, access.MEETINGS, owner.committee)
    if document.kind not in (DocumentKind.ATTACHMENT, DocumentKind.OTHER):
        raise ValueError("Styras egna handlingar tas inte bort här; skapa dem på nytt.")
    if document.meeting is not None and document.meeting.is_justerat:
        raise calc.RuleViolation(
            calc.RULE_JUSTERAD_LOCKED, "Handlingar kan inte tas bort efter justeringen."
        )
    storage, name = document.file.storage, document.file.name
    document.delete()
    transaction.on_commit(lambda: storage.delete(name))


@files_guarded
@transaction.atomic
def case_attach_snapshot(*, actor, case: Case, snapshot) -> Document:
    """Attach a finalised Styra report (its immutable snapshot's PDF) to a case with one
    action: a numbered bilaga whose summary becomes the case's Sammanfattning."""
    from styra.reports.selectors import report_summary_text, snapshot_pdf_bytes

    access.require(actor, access.MEETINGS, case.committee)
    if snapshot.committee_id != case.committee_id:
        raise ValueError("Rapporten hör till en annan nämnd än ärendet.")
    return case_attach_report(
        actor=actor,
        case=case,
        title=snapshot.title,
        file_bytes=snapshot_pdf_bytes(snapshot),
        filename=f"{slugify(snapshot.title) or 'rapport'}-v{snapshot.version}.pdf",
        summary_text=report_summary_text(snapshot),
    )


@files_guarded
def case_papers_generate(*, actor, case: Case) -> list[Document]:
    """Tjänsteskrivelse and ordförandeförslag as DOCX and PDF, from the case's fields. The
    files are rendered first and stored in one transaction afterwards."""
    access.require(actor, access.MEETINGS, case.committee)
    from . import papers, render

    rendered = []
    for kind, builder in (
        (DocumentKind.REPORT, papers.officials_report),
        (DocumentKind.CHAIR_PROPOSAL, papers.chair_proposal),
    ):
        paper = builder(case)
        files = (("docx", render.to_docx(paper)), ("pdf", render.to_pdf(paper)))
        rendered.append((kind, paper, files))
    docs = []
    with transaction.atomic():
        for kind, paper, files in rendered:
            for ext, data in files:
                docs.append(
                    document_store(
                        content=data,
                        filename=f"{paper.filename}.{ext}",
                        kind=kind,
                        title=paper.title,
                        case=case,
                        publicity=case.publicity,
                    )
                )
    return docs


# --- members ---------------------------------------------------------------------------


@transaction.atomic
def organization_upsert(
    *, actor, committee: OrgNode | None, kind: str, name: str, short_name: str = ""
) -> Organization:
    if committee is not None:
        access.require(actor, access.MEETINGS, committee)
    else:
        access.require_system(actor)
    municipality = committee.municipality if committee else None
    if kind == OrganizationKind.COMMITTEE:
        org, _ = Organization.objects.update_or_create(
            node=committee,
            kind=kind,
            defaults={
                "municipality": municipality,
                "name": name,
                "short_name": short_name,
                "start_date": committee.valid_from,
                "end_date": committee.valid_to,
            },
        )
        return org
    org, _ = Organization.objects.update_or_create(
        municipality=municipality, kind=kind, short_name=short_name, defaults={"name": name}
    )
    return org


@transaction.atomic
def person_ensure(
    *, actor, committee: OrgNode, name: str, email: str = "", title: str = "", username: str = ""
) -> Person:
    """A person of the municipality; with a username, a login that may read the committee
    (members approve protocols as justerare)."""
    access.require(actor, access.MEETINGS, committee)
    person, _ = Person.objects.get_or_create(
        municipality=committee.municipality, name=name, defaults={"email": email, "title": title}
    )
    if username and person.user is None:
        user_model = get_user_model()
        user, made = user_model.objects.get_or_create(
            username=username, defaults={"email": email, "first_name": name}
        )
        if made:
            user.set_unusable_password()
            user.save()
        elif not access.can(actor, access.ADMIN, committee):
            # Linking someone's existing login to a member would let the secretary give
            # that account the member's part (justering) and a role: an administrator's call.
            raise ValueError(
                f"Användarnamnet {username} finns redan. Välj ett annat, eller be "
                "administratören koppla det befintliga kontot."
            )
        holder = Person.objects.filter(user=user).exclude(pk=person.pk).first()
        if holder is not None:
            raise ValueError(f"Kontot {username} hör redan till {holder.name}.")
        RoleGrant.objects.get_or_create(user=user, node=committee, role=Role.READER)
        person.user = user
        person.save(update_fields=["user"])
    return person


@transaction.atomic
def membership_add(
    *,
    actor,
    organization: Organization,
    person: Person,
    post: str,
    start_date: dt.date,
    end_date: dt.date | None = None,
    party: Organization | None = None,
    term=None,
) -> Membership:
    if organization.node_id is not None:
        access.require(actor, access.MEETINGS, organization.node)
    else:  # a party: any committee of its municipality
        access.require_any(
            actor,
            access.MEETINGS,
            OrgNode.objects.filter(
                municipality_id=organization.municipality_id, kind=NodeKind.COMMITTEE
            ),
        )
    membership, _ = Membership.objects.update_or_create(
        organization=organization,
        person=person,
        post=post,
        start_date=start_date,
        defaults={"end_date": end_date, "party": party, "term": term},
    )
    membership.full_clean()
    return membership


@transaction.atomic
def term_upsert(
    *, actor, committee: OrgNode, name: str, start_date: dt.date, end_date: dt.date
) -> LegislativeTerm:
    """A mandatperiod of the municipality (the same name is the same term)."""
    access.require(actor, access.MEETINGS, committee)
    if end_date < start_date:
        raise ValueError("Mandatperioden slutar före den börjar.")
    term, _ = LegislativeTerm.objects.update_or_create(
        municipality=committee.municipality,
        name=name.strip(),
        defaults={"start_date": start_date, "end_date": end_date},
    )
    return term


@transaction.atomic
def roster_member_add(
    *,
    actor,
    committee: OrgNode,
    name: str,
    post: str,
    start_date: dt.date | None = None,
    end_date: dt.date | None = None,
    party: Organization | None = None,
    term: LegislativeTerm | None = None,
    email: str = "",
    username: str = "",
) -> Membership:
    """A member, ersättare or officer of the nämnd: the person (with a login when a
    username is given, so that the member reads the papers and can justera) and the
    assignment with party and term. Dates default to the term's."""
    access.require(actor, access.MEETINGS, committee)
    if post not in Post.values:
        raise ValueError(f"Okänt uppdrag: {post}.")
    if party is not None and (
        party.kind != OrganizationKind.PARTY or party.municipality_id != committee.municipality_id
    ):
        raise ValueError("Partiet hör inte till kommunen.")
    if term is not None and term.municipality_id != committee.municipality_id:
        raise ValueError("Mandatperioden hör inte till kommunen.")
    start = start_date or (term.start_date if term else None)
    if start is None:
        raise ValueError("Ange från vilket datum uppdraget gäller (eller en mandatperiod).")
    end = end_date or (term.end_date if term and not start_date else None)
    person = person_ensure(
        actor=actor, committee=committee, name=name.strip(), email=email, username=username
    )
    if email and person.email != email:
        person.email = email
        person.save(update_fields=["email"])
    committee_org = organization_upsert(
        actor=actor,
        committee=committee,
        kind=OrganizationKind.COMMITTEE,
        name=committee.name,
        short_name=committee.short_name,
    )
    return membership_add(
        actor=actor,
        organization=committee_org,
        person=person,
        post=post,
        start_date=start,
        end_date=end,
        party=party,
        term=term,
    )


@transaction.atomic
def membership_end(*, actor, membership: Membership, end_date: dt.date) -> Membership:
    """The assignment ends (a member leaves, an ersättare moves up): kept with its dates."""
    committee = membership.organization.node
    if committee is None:
        raise ValueError("Bara uppdrag i en nämnd avslutas här.")
    access.require(actor, access.MEETINGS, committee)
    if end_date < membership.start_date:
        raise ValueError(f"Uppdraget började {membership.start_date.isoformat()}.")
    membership.end_date = end_date
    membership.full_clean()
    membership.save(update_fields=["end_date"])
    return membership


# --- calendar and meetings -------------------------------------------------------------


def location_get(*, committee: OrgNode, description: str) -> Location:
    location, _ = Location.objects.get_or_create(
        municipality=committee.municipality, description=description.strip()
    )
    return location


@transaction.atomic
def meeting_create(
    *,
    actor,
    committee: OrgNode,
    start: dt.datetime,
    place: str,
    is_public: bool = False,
    notice_days: int | None = None,
    calendar: Calendar | None = None,
    end: dt.datetime | None = None,
) -> Meeting:
    """A meeting; the same committee and start time is the same meeting (idempotent)."""
    access.require(actor, access.MEETINGS, committee)
    if timezone.is_naive(start):
        start = timezone.make_aware(start)
    days = notice_days if notice_days is not None else default_notice_days()
    meeting, _ = Meeting.objects.update_or_create(
        committee=committee,
        start=start,
        defaults={
            "location": location_get(committee=committee, description=place),
            "is_public": is_public,
            "notice_days": days,
            "calendar": calendar,
            "end": end,
        },
    )
    meeting.full_clean()
    return meeting


def default_notice_days() -> int:
    return int(getattr(settings, "STYRA_NOTICE_DAYS", 7))


@transaction.atomic
def calendar_set(
    *,
    actor,
    committee: OrgNode,
    year: int,
    starts: list[dt.datetime],
    place: str,
    decided_at: Meeting | None = None,
) -> Calendar:
    """The sammanträdesordning of a year: one planned meeting per start time."""
    access.require(actor, access.MEETINGS, committee)
    calendar, _ = Calendar.objects.update_or_create(
        committee=committee, year=year, defaults={"decided_at": decided_at}
    )
    for start in starts:
        if start.year != year:
            raise ValueError(f"{start.date().isoformat()} ligger inte i {year}.")
        meeting_create(
            actor=actor, committee=committee, start=start, place=place, calendar=calendar
        )
    return calendar


@transaction.atomic
def reporting_event_place(
    *, actor, event: ReportingEvent, meeting: Meeting | None
) -> ReportingEvent:
    """Place a reporting event (delårsrapport, bokslut …) on the meeting that decides it;
    None takes it off. An event is decided at one meeting of its committee."""
    access.require(actor, access.MEETINGS, event.committee)
    if meeting is not None and meeting.committee_id != event.committee_id:
        raise ValueError("Sammanträdet hör till en annan nämnd än rapporttillfället.")
    for other in event.meetings.exclude(pk=getattr(meeting, "pk", None)):
        other.reporting_events.remove(event)
    if meeting is not None:
        meeting.reporting_events.add(event)
    return event


def _ensure_agenda_open(meeting: Meeting) -> None:
    if meeting.is_justerat:
        raise calc.RuleViolation(
            calc.RULE_JUSTERAD_LOCKED, "Ärendelistan kan inte ändras efter justeringen."
        )


def _item_fields(meeting: Meeting, kind: str, title: str, case: Case | None) -> str:
    if kind not in ItemKind.values:
        raise ValueError(f"Okänd typ av punkt: {kind}.")
    if case is not None and case.committee_id != meeting.committee_id:
        raise ValueError("Ärendet hör till en annan nämnd.")
    title = (title or "").strip() or (case.title if case else "")
    if not title:
        raise ValueError("Skriv en rubrik eller välj ett ärende.")
    return title


@transaction.atomic
def agenda_item_add(
    *,
    actor,
    meeting: Meeting,
    kind: str,
    title: str = "",
    case: Case | None = None,
    confidential: bool = False,
    description: str = "",
    presenter: str = "",
) -> AgendaItem:
    """Append an item; the same title on the same meeting is the same item (idempotent).
    Without a title the case's title is used."""
    access.require(actor, access.MEETINGS, meeting.committee)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _ensure_agenda_open(meeting)
    title = _item_fields(meeting, kind, title, case)
    existing = meeting.items.filter(title=title).first()
    if existing:
        existing.kind, existing.case = kind, case
        existing.confidential, existing.description = confidential, description
        existing.presenter = presenter
        existing.full_clean()
        existing.save()
        return existing
    last = meeting.items.aggregate(n=Max("order"))["n"] or 0
    item = AgendaItem(
        meeting=meeting,
        order=last + 1,
        kind=kind,
        title=title,
        case=case,
        confidential=confidential,
        description=description,
        presenter=presenter,
    )
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def agenda_item_update(
    *,
    actor,
    item: AgendaItem,
    kind: str,
    title: str = "",
    case: Case | None = None,
    confidential: bool = False,
    presenter: str = "",
    description: str = "",
) -> AgendaItem:
    """Change an item. Once the protocol has its §, the paragraph's heading follows the
    item's until the paragraph is justerad."""
    access.require(actor, access.MEETINGS, item.meeting.committee)
    meeting = Meeting.objects.select_for_update().get(pk=item.meeting_id)
    _ensure_agenda_open(meeting)
    item = AgendaItem.objects.get(pk=item.pk)
    item.title = _item_fields(meeting, kind, title, case)
    item.kind, item.case, item.confidential = kind, case, confidential
    item.presenter, item.description = presenter.strip(), description
    item.full_clean()
    item.save()
    paragraph = Paragraph.objects.filter(item=item).first()
    if paragraph is not None and paragraph.justerad_at is None:
        paragraph.title = item.heading
        paragraph.save(update_fields=["title"])
    return item


@transaction.atomic
def agenda_item_remove(*, actor, item: AgendaItem) -> None:
    """Take an item off the agenda; the items after it move up. An item that already has
    its § in the protocol stays (paragraph numbers are never reused)."""
    access.require(actor, access.MEETINGS, item.meeting.committee)
    meeting = Meeting.objects.select_for_update().get(pk=item.meeting_id)
    _ensure_agenda_open(meeting)
    paragraph = Paragraph.objects.filter(item=item).first()
    if paragraph is not None:
        raise calc.RuleViolation(
            calc.RULE_JUSTERAD_LOCKED,
            f"Punkten har redan § {paragraph.number} i protokollet och kan inte tas bort; "
            "ändra den i stället.",
        )
    item.delete()
    _renumber(meeting)


def _renumber(meeting: Meeting, sequence: list[AgendaItem] | None = None) -> None:
    """Number the items 1, 2, 3 … in the given (or current) sequence: first moved out of
    the way, so the unique (meeting, order) holds at every step."""
    items = sequence or list(meeting.items.order_by("confidential", "order"))
    offset = (meeting.items.aggregate(n=Max("order"))["n"] or 0) + len(items) + 1
    for i, item in enumerate(items):
        AgendaItem.objects.filter(pk=item.pk).update(order=offset + i)
    for i, item in enumerate(items, start=1):
        AgendaItem.objects.filter(pk=item.pk).update(order=i)


@transaction.atomic
def agenda_item_move(*, actor, item: AgendaItem, up: bool) -> AgendaItem:
    """Move an item one step up or down the agenda (within the open or the confidential
    part: the sekretessdel always comes last)."""
    access.require(actor, access.MEETINGS, item.meeting.committee)
    meeting = Meeting.objects.select_for_update().get(pk=item.meeting_id)
    _ensure_agenda_open(meeting)
    items = list(meeting.items.order_by("confidential", "order"))
    index = next(i for i, it in enumerate(items) if it.pk == item.pk)
    other = index - 1 if up else index + 1
    if 0 <= other < len(items) and items[other].confidential == items[index].confidential:
        items[index], items[other] = items[other], items[index]
        _renumber(meeting, items)
    return AgendaItem.objects.get(pk=item.pk)


# The opening items of every meeting, in this order.
STANDARD_ITEMS = ("Upprop", "Val av justerare", "Godkännande av dagordningen")


@transaction.atomic
def agenda_standard_items(*, actor, meeting: Meeting) -> list[AgendaItem]:
    """Put the standard opening items first (those already on the agenda stay where the
    secretary put them)."""
    access.require(actor, access.MEETINGS, meeting.committee)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _ensure_agenda_open(meeting)
    present = set(meeting.items.values_list("title", flat=True))
    new = []
    last = meeting.items.aggregate(n=Max("order"))["n"] or 0
    for i, title in enumerate(t for t in STANDARD_ITEMS if t not in present):
        new.append(
            AgendaItem.objects.create(
                meeting=meeting, order=last + 1 + i, kind=ItemKind.FORMAL, title=title
            )
        )
    if new:
        rest = [it for it in meeting.items.order_by("confidential", "order") if it not in new]
        _renumber(meeting, new + rest)
    return new


@files_guarded
def notice_produce(
    *, actor, meeting: Meeting, sent_on: dt.date | None = None, text: str | None = None
) -> list[calc.Finding]:
    """Kallelse with ärendelista as PDF and DOCX; warns when it goes out late. The files
    are rendered before the meeting row is written (a row lock is never held while a PDF
    is made); the row and the documents are then stored in one transaction."""
    access.require(actor, access.MEETINGS, meeting.committee)
    from . import papers, render

    sent_on = sent_on or clock.today()
    if text is not None:
        meeting.notice_text = text
    meeting.notice_sent_on = sent_on
    if meeting.status == MeetingStatus.PLANNED:
        meeting.status = MeetingStatus.NOTICE_SENT
    paper = papers.notice(meeting)
    files = (("pdf", render.to_pdf(paper)), ("docx", render.to_docx(paper)))
    with transaction.atomic():
        meeting.save()
        for ext, data in files:
            document_store(
                content=data,
                filename=f"{paper.filename}.{ext}",
                kind=DocumentKind.NOTICE,
                title=paper.title,
                meeting=meeting,
            )
    return calc.notice_findings(meeting.date, sent_on, meeting.notice_days)


# --- protocol --------------------------------------------------------------------------


def _ensure_not_justerat(paragraph: Paragraph) -> None:
    if paragraph.justerad_at is not None:
        raise calc.RuleViolation(
            calc.RULE_JUSTERAD_LOCKED,
            f"§ {paragraph.number} är justerad {timezone.localtime(paragraph.justerad_at):%Y-%m-%d}"
            " och kan inte ändras.",
        )


DEFAULT_DECISION = {
    ItemKind.FORMAL: DecisionKind.ADOPTED,
    ItemKind.DECISION: DecisionKind.ADOPTED,
    ItemKind.INFORMATION: DecisionKind.NOTED,
    ItemKind.REPORTED: DecisionKind.NOTED,
    ItemKind.DELEGATION: DecisionKind.NOTED,
}


def _default_decision_text(item: AgendaItem) -> str:
    committee = item.meeting.committee.name
    if item.kind == ItemKind.DECISION and item.case:
        points = item.case.proposal_points()
        if points:
            return "\n".join(points)
    if item.kind in (ItemKind.DECISION, ItemKind.FORMAL):
        return ""
    return f"{committee} har tagit del av informationen."


@transaction.atomic
def protocol_open(*, actor, meeting: Meeting) -> list[Paragraph]:
    """One paragraph per agenda item, numbered on from the committee's last § that year;
    decision texts start from the case's proposal. Running it again adds only new items."""
    access.require(actor, access.MEETINGS, meeting.committee)
    year = meeting.date.year
    series = f"§{meeting.committee.code}"
    out = []
    for item in meeting.items.order_by("confidential", "order"):
        paragraph = Paragraph.objects.filter(item=item).first()
        if paragraph is None:
            number = _counter_next(series, year)
            paragraph = Paragraph.objects.create(
                meeting=meeting,
                committee=meeting.committee,
                year=year,
                number=number,
                item=item,
                title=item.heading,
                decision_kind=DEFAULT_DECISION[item.kind],
                decision=_default_decision_text(item),
                distribution=item.case.distribution if item.case else "",
            )
        out.append(paragraph)
    if meeting.items.filter(kind=ItemKind.DELEGATION).exists():
        delegation_report_collect(actor=actor, meeting=meeting)
    if meeting.status in (MeetingStatus.PLANNED, MeetingStatus.NOTICE_SENT):
        meeting.status = MeetingStatus.HELD
        meeting.save(update_fields=["status"])
    return out


@transaction.atomic
def paragraph_update(
    *,
    actor,
    paragraph: Paragraph,
    decision_kind: str | None = None,
    decision: str | None = None,
    reservations: str | None = None,
    immediate: bool | None = None,
    distribution: str | None = None,
) -> Paragraph:
    access.require(actor, access.MEETINGS, paragraph.meeting.committee)
    paragraph = Paragraph.objects.select_for_update().get(pk=paragraph.pk)
    _ensure_not_justerat(paragraph)
    for key, value in (
        ("decision_kind", decision_kind),
        ("decision", decision),
        ("reservations", reservations),
        ("distribution", distribution),
    ):
        if value is not None:
            setattr(paragraph, key, value)
    if immediate:
        # Justeras omedelbart: approved at the meeting itself and locked from now on.
        paragraph.immediate = True
        paragraph.justerad_at = paragraph.meeting.start
    paragraph.full_clean()
    paragraph.save()
    return paragraph


@transaction.atomic
def attendance_set(
    *,
    actor,
    meeting: Meeting,
    person: Person,
    kind: str,
    replaces: Person | None = None,
    from_paragraph: int | None = None,
    to_paragraph: int | None = None,
    note: str = "",
) -> Attendance:
    access.require(actor, access.MEETINGS, meeting.committee)
    if meeting.is_justerat:
        raise calc.RuleViolation(
            calc.RULE_JUSTERAD_LOCKED, "Närvaron kan inte ändras efter justeringen."
        )
    row, _ = Attendance.objects.update_or_create(
        meeting=meeting,
        person=person,
        kind=kind,
        defaults={
            "replaces": replaces,
            "from_paragraph": from_paragraph,
            "to_paragraph": to_paragraph,
            "note": note,
        },
    )
    row.full_clean()
    return row


@dataclass(frozen=True)
class RollCallRow:
    """One line of the roll-call form (see calc.Presence)."""

    person: Person
    kind: str
    replaces: Person | None = None
    first: int | None = None
    last: int | None = None
    note: str = ""


def _roster_on(meeting: Meeting) -> list[Membership]:
    day = meeting.date
    return list(
        Membership.objects.filter(
            organization__node=meeting.committee,
            organization__kind=OrganizationKind.COMMITTEE,
            start_date__lte=day,
        )
        .exclude(end_date__lt=day)
        .select_related("person")
    )


def _presences(meeting: Meeting) -> list[calc.Presence]:
    return [
        calc.Presence(a.person_id, a.kind, a.replaces_id, a.from_paragraph, a.to_paragraph)
        for a in meeting.attendance.all()
    ]


@transaction.atomic
def roll_call_set(*, actor, meeting: Meeting, rows: list[RollCallRow]) -> list[Attendance]:
    """The whole roll-call in one go, replacing the earlier one: who decides, which
    ersättare serves for whom from which paragraph, who is present without serving and
    who is absent. Every problem is refused together, with names."""
    access.require(actor, access.MEETINGS, meeting.committee)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.is_justerat:
        raise calc.RuleViolation(
            calc.RULE_JUSTERAD_LOCKED, "Närvaron kan inte ändras efter justeringen."
        )
    roster = _roster_on(meeting)
    in_roster = {m.person_id for m in roster}
    voting = {m.person_id for m in roster if m.voting}
    names = {m.person_id: m.person.name for m in roster}
    problems = []
    for r in rows:
        names.setdefault(r.person.pk, r.person.name)
        if r.person.municipality_id != meeting.committee.municipality_id:
            problems.append(f"{r.person.name} hör inte till kommunen.")
        if r.kind in (AttendanceKind.DECIDING, AttendanceKind.SERVING_SUBSTITUTE) and (
            r.person.pk not in in_roster
        ):
            problems.append(f"{r.person.name} är inte ledamot eller ersättare i nämnden.")
        if r.kind == AttendanceKind.DECIDING and r.person.pk not in voting:
            problems.append(f"{r.person.name} är ersättare; välj tjänstgörande ersättare.")
        if r.kind not in AttendanceKind.values:
            problems.append(f"{r.person.name}: okänd närvaro {r.kind}.")
    presences = [
        calc.Presence(r.person.pk, r.kind, r.replaces.pk if r.replaces else None, r.first, r.last)
        for r in rows
    ]
    problems += calc.check_roll_call(presences, voting, names)
    if problems:
        raise calc.RuleViolation(calc.RULE_ROLL_CALL, " ".join(dict.fromkeys(problems)))
    meeting.attendance.all().delete()
    out = []
    for r in rows:
        row = Attendance(
            meeting=meeting,
            person=r.person,
            kind=r.kind,
            replaces=r.replaces,
            from_paragraph=r.first,
            to_paragraph=r.last,
            note=r.note[:200],
        )
        row.full_clean()
        row.save()
        out.append(row)
    # justerare are chosen among those present: one who is now absent is no longer one
    present = {a.person_id for a in out if a.kind != AttendanceKind.ABSENT}
    meeting.adjusters.exclude(person_id__in=present).delete()
    return out


PRESIDING_ORDER = (Post.CHAIR, Post.VICE_CHAIR_1, Post.VICE_CHAIR_2)


@transaction.atomic
def vote_record(
    *,
    actor,
    paragraph: Paragraph,
    yes_proposal: str,
    no_proposal: str,
    ballots: dict[Person, str],
) -> Vote:
    """A votering on a paragraph: every member deciding that paragraph votes ja, nej or
    avstår; the totals and the outcome are computed from the votes (a tie is decided by
    the presiding chair's vote). Recording again replaces the paragraph's vote."""
    access.require(actor, access.MEETINGS, paragraph.meeting.committee)
    paragraph = Paragraph.objects.select_for_update().get(pk=paragraph.pk)
    _ensure_not_justerat(paragraph)
    meeting = paragraph.meeting
    if not (yes_proposal.strip() and no_proposal.strip()):
        raise ValueError("Skriv både ja-propositionen och nej-propositionen.")
    serving = calc.serving_on(_presences(meeting), paragraph.number)
    if not serving:
        raise calc.RuleViolation(
            calc.RULE_VOTE, "Fyll i närvaron först: ingen tjänstgör vid paragrafen."
        )
    by_pk = {p.pk: (p, choice) for p, choice in ballots.items()}
    outside = [p.name for pk, (p, _) in by_pk.items() if pk not in serving]
    names = dict(Person.objects.filter(pk__in=serving).values_list("pk", "name"))
    missing = sorted(names[pk] for pk in serving - set(by_pk))
    problems = []
    if outside:
        problems.append(f"{', '.join(sorted(outside))} tjänstgör inte vid § {paragraph.number}.")
    if missing:
        problems.append(f"Röst saknas för {', '.join(missing)}.")
    if problems:
        raise calc.RuleViolation(calc.RULE_VOTE, " ".join(problems))
    totals = calc.vote_totals([choice for _, choice in by_pk.values()])
    posts = {m.person_id: m.post for m in _roster_on(meeting) if m.person_id in serving}
    presiding = next((pk for post in PRESIDING_ORDER for pk, p in posts.items() if p == post), None)
    outcome = calc.vote_outcome(totals, by_pk[presiding][1] if presiding in by_pk else None)
    paragraph.votes.all().delete()
    vote = Vote.objects.create(
        paragraph=paragraph,
        yes_proposal=yes_proposal.strip(),
        no_proposal=no_proposal.strip(),
        outcome=outcome,
    )
    Ballot.objects.bulk_create(
        [Ballot(vote=vote, person=p, choice=choice) for p, choice in by_pk.values()]
    )
    return vote


@transaction.atomic
def vote_remove(*, actor, paragraph: Paragraph) -> None:
    access.require(actor, access.MEETINGS, paragraph.meeting.committee)
    paragraph = Paragraph.objects.select_for_update().get(pk=paragraph.pk)
    _ensure_not_justerat(paragraph)
    paragraph.votes.all().delete()


@transaction.atomic
def adjusters_set(
    *,
    actor,
    meeting: Meeting,
    persons: list[Person],
    place: str = "",
    planned: dt.date | None = None,
) -> list[Adjuster]:
    access.require(actor, access.MEETINGS, meeting.committee)
    if meeting.is_justerat:
        raise calc.RuleViolation(
            calc.RULE_JUSTERAD_LOCKED, "Justerarna kan inte bytas efter justeringen."
        )
    if meeting.attendance.exists():
        present = set(
            meeting.attendance.exclude(kind=AttendanceKind.ABSENT).values_list(
                "person_id", flat=True
            )
        )
        absent = [p.name for p in persons if p.pk not in present]
        if absent:
            raise calc.RuleViolation(
                calc.RULE_ROLL_CALL,
                f"Justerare väljs bland de närvarande; {', '.join(absent)} är inte närvarande.",
            )
    meeting.adjusters.exclude(person__in=persons).delete()
    rows = [
        Adjuster.objects.get_or_create(meeting=meeting, person=p, defaults={"user": p.user})[0]
        for p in persons
    ]
    meeting.justering_place = place or meeting.justering_place
    meeting.justering_planned = planned or meeting.justering_planned
    meeting.save(update_fields=["justering_place", "justering_planned"])
    return rows


def protocol_approve(*, actor, meeting: Meeting, now: dt.datetime | None = None) -> list:
    """A justerare approves the protocol (digital justering; who and when recorded).
    When the last one has approved, the protocol is justerat that day and locked.

    A justerat protocol is immutable: approving it again changes nothing (not the
    justering date, not the stored PDFs). The protocol PDFs are rendered after the row
    lock is released."""
    user = access.user_of(actor)
    if user is None:
        raise PermissionDenied("Bara en utsedd justerare kan justera protokollet.")
    now = now or clock.now()
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.is_justerat:
            return []
        today = timezone.localtime(now).date()
        if today < meeting.date:
            raise calc.RuleViolation(
                calc.RULE_JUSTERING_AFTER_MEETING,
                f"Sammanträdet är {meeting.date.isoformat()}; protokollet kan inte justeras "
                f"{today.isoformat()}.",
            )
        if not meeting.paragraphs.exists():
            raise calc.RuleViolation(
                calc.RULE_JUSTERING_AFTER_MEETING, "Protokollet har inga paragrafer ännu."
            )
        missing = _missing_decisions(meeting)
        if missing:
            raise calc.RuleViolation(
                calc.RULE_JUSTERING,
                f"{calc.paragraph_range(missing)} saknar beslutstext; protokollet kan inte "
                "justeras förrän sekreteraren har skrivit den.",
            )
        adjuster = (
            meeting.adjusters.filter(person__user=user).first()
            or meeting.adjusters.filter(user=user).first()
        )
        if adjuster is None:
            raise calc.RuleViolation(
                "Justerare", "Du är inte utsedd att justera protokollet från detta sammanträde."
            )
        if adjuster.approved_at is None:
            adjuster.approved_at = now
            adjuster.user = user
            adjuster.save(update_fields=["approved_at", "user"])
        if meeting.adjusters.filter(approved_at__isnull=True).exists():
            return []
        findings = calc.check_justering(meeting.date, today)
        meeting.justerat_on = today
        meeting.status = MeetingStatus.JUSTERAT
        meeting.save(update_fields=["justerat_on", "status"])
        meeting.paragraphs.filter(justerad_at__isnull=True).update(justerad_at=now)
    _render_protocol(meeting)
    return findings


@files_guarded
def protocol_render(*, actor, meeting: Meeting) -> list[Document]:
    """The full protocol and its public twin (without the confidential part and personal
    data), both PDF, from the same data. Once the protocol is published its PDFs are
    final: rendering again returns the stored ones and changes nothing."""
    access.require(actor, access.MEETINGS, meeting.committee)
    return _render_protocol(meeting)


def _render_protocol(meeting: Meeting) -> list[Document]:
    from . import papers, render

    if meeting.protocol_published:
        stored = list(meeting.documents.filter(kind=DocumentKind.PROTOCOL).order_by("pk"))
        if stored:
            return stored

    docs = []
    has_hidden = papers.protocol_has_non_public(meeting)
    for public in (False, True):
        paper = papers.protocol(meeting, public=public)
        for ext, data in (("pdf", render.to_pdf(paper)), ("docx", render.to_docx(paper))):
            docs.append(
                document_store(
                    content=data,
                    filename=f"{paper.filename}.{ext}",
                    kind=DocumentKind.PROTOCOL,
                    title=paper.title,
                    meeting=meeting,
                    # The full protocol is never published: its public twin is.
                    publicity=Publicity.PUBLIC
                    if public
                    else (Publicity.SECRET if has_hidden else Publicity.PERSONAL_DATA),
                )
            )
    return docs


@files_guarded
def protocol_draft(*, actor, meeting: Meeting) -> list[Document]:
    """The draft protocol for the justerare, PDF and Word, marked as a draft; made again
    from the current text each time (never after the justering)."""
    from . import papers, render

    access.require(actor, access.MEETINGS, meeting.committee)
    if meeting.is_justerat:
        raise calc.RuleViolation(
            calc.RULE_JUSTERAD_LOCKED, "Protokollet är justerat; utkastet behövs inte längre."
        )
    if not meeting.paragraphs.exists():
        raise calc.RuleViolation(calc.RULE_JUSTERING, "Protokollet har inga paragrafer ännu.")
    paper = papers.protocol_draft(meeting)
    publicity = (
        Publicity.SECRET if papers.protocol_has_non_public(meeting) else Publicity.PERSONAL_DATA
    )
    files = (("pdf", render.to_pdf(paper)), ("docx", render.to_docx(paper)))
    with transaction.atomic():
        return [
            document_store(
                content=data,
                filename=f"{paper.filename}.{ext}",
                kind=DocumentKind.DRAFT,
                title=paper.title,
                meeting=meeting,
                publicity=publicity,
            )
            for ext, data in files
        ]


def _missing_decisions(meeting: Meeting) -> list[int]:
    return sorted(p.number for p in meeting.paragraphs.all() if not (p.decision or "").strip())


@transaction.atomic
def protocol_save(
    *, actor, meeting: Meeting, changes: dict[int, dict], seen: str | None = None
) -> list[Paragraph]:
    """The whole protocol saved at once: `changes` maps a paragraph id to its fields
    (decision_kind, decision, reservations, distribution, immediate). Nothing is saved
    when someone else changed the protocol after `seen` (its state when the editor was
    opened; see protocol_state): the editor is shown again with the typed text."""
    access.require(actor, access.MEETINGS, meeting.committee)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.is_justerat:
        raise calc.RuleViolation(calc.RULE_JUSTERAD_LOCKED, "Protokollet är justerat.")
    if seen is not None and seen != protocol_state(meeting):
        raise calc.RuleViolation(
            "Samtidig ändring",
            "Protokollet har ändrats av någon annan sedan du öppnade det; inget sparades. "
            "Din text står kvar nedan – läs in sidan på nytt och för över den.",
        )
    paragraphs = {p.pk: p for p in meeting.paragraphs.select_for_update()}
    unknown = set(changes) - set(paragraphs)
    if unknown:
        raise PermissionDenied("Paragrafen hör inte till protokollet.")
    out = []
    for pk, fields in changes.items():
        p = paragraphs[pk]
        values = {k: fields.get(k) for k in PARAGRAPH_FIELDS}
        current = {k: getattr(p, k) for k in PARAGRAPH_FIELDS}
        changed = {k: v for k, v in values.items() if v is not None and v != current[k]}
        if not changed:
            continue
        _ensure_not_justerat(p)
        out.append(paragraph_update(actor=actor, paragraph=p, **changed))
    return out


PARAGRAPH_FIELDS = ("decision_kind", "decision", "reservations", "distribution", "immediate")


def protocol_state(meeting: Meeting) -> str:
    """A fingerprint of every paragraph's text: the editor carries it, so a save over
    someone else's newer edit is noticed instead of silently overwriting it."""
    digest = hashlib.sha256()
    for p in meeting.paragraphs.order_by("pk"):
        for key in PARAGRAPH_FIELDS:
            digest.update(f"{p.pk}:{key}:{getattr(p, key)}\x00".encode())
    return digest.hexdigest()


def _send(message_kind: str, meeting: Meeting, rows, subject, body, attachments, user):
    """Send one e-mail per recipient and record each (sent, or the mail server's error)."""
    from django.core import mail

    deliveries = []
    connection = mail.get_connection(fail_silently=False)
    for person, name, email in rows:
        delivery = Delivery.objects.create(
            meeting=meeting,
            kind=message_kind,
            person=person,
            recipient=name,
            email=email,
            sent_by=user,
        )
        if not email:
            delivery.error = "Ingen e-postadress."
        else:
            message = mail.EmailMessage(subject, body, to=[email], connection=connection)
            for doc in attachments:
                with doc.file.open("rb") as fh:
                    message.attach(doc.filename, fh.read(), doc.mime_type)
            try:
                message.send()
                delivery.sent_at = clock.now()
            except (OSError, mail.BadHeaderError) as exc:
                delivery.error = str(exc)[:500] or exc.__class__.__name__
        delivery.save(update_fields=["sent_at", "error"])
        deliveries.append(delivery)
    return deliveries


def notice_send(*, actor, meeting: Meeting) -> list[Delivery]:
    """E-mail the kallelse (PDF) to every member, ersättare and officer of the nämnd on
    the meeting's day; each recipient is recorded with the time or the error."""
    access.require(actor, access.MEETINGS, meeting.committee)
    docs = list(meeting.documents.filter(kind=DocumentKind.NOTICE, filename__endswith=".pdf"))
    if not docs:
        raise calc.RuleViolation(
            calc.RULE_NOTICE.format(days=meeting.notice_days), "Skapa kallelsen först."
        )
    rows = [
        (m.person, m.person.name, m.person.email)
        for m in sorted(_roster_on(meeting), key=lambda m: m.person.name)
    ]
    if not rows:
        raise ValueError("Nämnden har inga ledamöter att skicka kallelsen till.")
    start = timezone.localtime(meeting.start)
    body = (
        f"Kallelse till sammanträde med {meeting.committee.name} "
        f"{calc.long_date(meeting.date)} kl. {start:%H.%M}"
        + (f", {meeting.location.description}" if meeting.location else "")
        + ".\n\nKallelsen med ärendelista är bifogad. Handlingarna finns i Styra under "
        "Mina sammanträden.\n" + (f"\n{meeting.notice_text}\n" if meeting.notice_text else "")
    )
    return _send(
        DeliveryKind.NOTICE,
        meeting,
        rows,
        f"Kallelse {meeting.committee.name} {meeting.date.isoformat()}",
        body,
        docs,
        access.user_of(actor),
    )


def draft_send(*, actor, meeting: Meeting) -> list[Delivery]:
    """The draft protocol (PDF and Word, made now) to the justerare by e-mail."""
    access.require(actor, access.MEETINGS, meeting.committee)
    adjusters = list(meeting.adjusters.select_related("person"))
    if not adjusters:
        raise calc.RuleViolation(calc.RULE_JUSTERING, "Utse justerare först.")
    docs = protocol_draft(actor=actor, meeting=meeting)
    body = (
        f"Här är utkastet till protokoll från {meeting.committee.name} "
        f"{calc.long_date(meeting.date)}. Justera det i Styra under Justering, eller begär "
        "en ändring där. Sista dag för justering är "
        f"{meeting.dates().justering_deadline.isoformat()}.\n"
    )
    return _send(
        DeliveryKind.DRAFT,
        meeting,
        [(a.person, a.person.name, a.person.email) for a in adjusters],
        f"Protokollsutkast {meeting.committee.name} {meeting.date.isoformat()}",
        body,
        docs,
        access.user_of(actor),
    )


@transaction.atomic
def change_request(*, actor, meeting: Meeting, text: str) -> ChangeRequest:
    """A justerare asks the secretary for a change before justering (recorded on the
    meeting; the secretary sees it on the protocol page)."""
    user = access.user_of(actor)
    adjuster = (
        meeting.adjusters.filter(Q(person__user=user) | Q(user=user)).first() if user else None
    )
    if adjuster is None:
        raise PermissionDenied("Bara protokollets justerare kan begära ändringar.")
    if meeting.is_justerat:
        raise calc.RuleViolation(calc.RULE_JUSTERAD_LOCKED, "Protokollet är redan justerat.")
    if not text.strip():
        raise ValueError("Skriv vad som ska ändras.")
    return ChangeRequest.objects.create(
        meeting=meeting, person=adjuster.person, text=text.strip()[:5000], created=clock.now()
    )


@transaction.atomic
def anslag_post(
    *, actor, meeting: Meeting, posted_on: dt.date, accept_late: bool = False
) -> list[calc.Finding]:
    access.require(actor, access.MEETINGS, meeting.committee)
    if not meeting.is_justerat:
        raise calc.RuleViolation(calc.RULE_ANSLAG, "Protokollet är inte justerat ännu.")
    findings = calc.check_anslag(meeting.justerat_on, posted_on, accept_late=accept_late)
    meeting.anslag_posted = posted_on
    meeting.anslag_late_accepted = bool(findings)
    meeting.save(update_fields=["anslag_posted", "anslag_late_accepted"])
    return findings


@transaction.atomic
def anslag_take_down(*, actor, meeting: Meeting, on: dt.date) -> None:
    access.require(actor, access.MEETINGS, meeting.committee)
    if meeting.anslag_posted is None:
        raise calc.RuleViolation(calc.RULE_TAKE_DOWN, "Anslaget har inte satts upp.")
    calc.check_take_down(meeting.anslag_posted, on)
    meeting.anslag_taken_down = on
    meeting.save(update_fields=["anslag_taken_down"])


@transaction.atomic
def protocol_publish(*, actor, meeting: Meeting) -> Meeting:
    """Publish the justerat protocol in the public part (its public twin only)."""
    access.require(actor, access.MEETINGS, meeting.committee)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if not meeting.is_justerat:
        raise calc.RuleViolation(calc.RULE_JUSTERING, "Bara ett justerat protokoll kan publiceras.")
    meeting.protocol_published = True
    meeting.save(update_fields=["protocol_published"])
    return meeting


@files_guarded
def extract_produce(*, actor, paragraph: Paragraph) -> Document:
    """Protokollsutdrag of one paragraph (only from a justerad paragraph); rendered before
    it is stored."""
    access.require(actor, access.MEETINGS, paragraph.meeting.committee)
    from . import papers, render

    if paragraph.justerad_at is None:
        raise calc.RuleViolation(
            calc.RULE_JUSTERING, f"§ {paragraph.number} är inte justerad; inget utdrag."
        )
    paper = papers.extract(paragraph)
    content = render.to_pdf(paper)
    with transaction.atomic():
        return document_store(
            content=content,
            filename=f"{paper.filename}.pdf",
            kind=DocumentKind.EXTRACT,
            title=paper.title,
            meeting=paragraph.meeting,
            paragraph=paragraph,
            publicity=Publicity.PUBLIC if paragraph.is_public else Publicity.SECRET,
        )


@transaction.atomic
def dispatch_prepare(*, actor, meeting: Meeting) -> list[Dispatch]:
    """The expediering list: one row per paragraph and recipient in 'Expedieras till'."""
    access.require(actor, access.MEETINGS, meeting.committee)
    rows = []
    for paragraph in meeting.paragraphs.all():
        for recipient in (r.strip() for r in paragraph.distribution.splitlines()):
            if recipient:
                rows.append(
                    Dispatch.objects.get_or_create(paragraph=paragraph, recipient=recipient)[0]
                )
    return rows


@files_guarded
@transaction.atomic
def dispatch_mark_sent(
    *, actor, dispatch: Dispatch, now: dt.datetime | None = None, email: str = ""
) -> Dispatch:
    access.require(actor, access.MEETINGS, dispatch.paragraph.meeting.committee)
    if dispatch.paragraph.justerad_at is None:
        raise calc.RuleViolation(
            calc.RULE_JUSTERING, "Beslutet kan expedieras först när paragrafen är justerad."
        )
    extract = extract_produce(actor=actor, paragraph=dispatch.paragraph)
    if email:
        # the extract by e-mail; the delivery is recorded whether the server took it or not
        meeting = dispatch.paragraph.meeting
        (delivery,) = _send(
            DeliveryKind.EXTRACT,
            meeting,
            [(None, dispatch.recipient, email)],
            f"Protokollsutdrag § {dispatch.paragraph.number} {meeting.committee.name} "
            f"{meeting.date.isoformat()}",
            f"Protokollsutdrag § {dispatch.paragraph.number} {dispatch.paragraph.title} "
            "är bifogat.\n",
            [extract],
            access.user_of(actor),
        )
        if delivery.sent_at is None:
            raise ValueError(f"Utdraget kunde inte skickas till {email}: {delivery.error}")
        dispatch.email = email
    dispatch.sent_at = now or clock.now()
    dispatch.sent_by = access.user_of(actor)
    dispatch.save(update_fields=["sent_at", "sent_by", "email"])
    return dispatch


# --- delegation ------------------------------------------------------------------------


@transaction.atomic
def delegation_code_upsert(
    *,
    actor,
    committee: OrgNode,
    code: str,
    decision_type: str,
    delegates: str,
    valid_from: dt.date | None = None,
) -> DelegationCode:
    """A point of the delegationsordning. Without `valid_from` the point is written in
    place (the file's way); with it, a changed point becomes a new version from that day
    and the earlier one ends the day before, so decisions keep the version they followed."""
    access.require(actor, access.MEETINGS, committee)
    code = code.strip()
    if valid_from is None:
        row, _ = DelegationCode.objects.update_or_create(
            committee=committee,
            code=code,
            valid_from=dt.date(2000, 1, 1),
            defaults={"decision_type": decision_type, "delegates": delegates},
        )
        row.full_clean()
        return row
    current = (
        DelegationCode.objects.select_for_update()
        .filter(committee=committee, code=code, valid_to__isnull=True)
        .order_by("-valid_from")
        .first()
    )
    if current is not None:
        if (current.decision_type, current.delegates) == (decision_type, delegates):
            return current
        if valid_from <= current.valid_from:
            raise ValueError(
                f"Punkt {code} gäller redan från {current.valid_from.isoformat()}; en ny "
                "version måste gälla från en senare dag."
            )
        current.valid_to = valid_from - dt.timedelta(days=1)
        current.save(update_fields=["valid_to"])
    row = DelegationCode(
        committee=committee,
        code=code,
        decision_type=decision_type,
        delegates=delegates,
        valid_from=valid_from,
    )
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def delegation_code_end(*, actor, code: DelegationCode, valid_to: dt.date) -> DelegationCode:
    """A point that no longer applies: it ends on `valid_to` (its history stays)."""
    access.require(actor, access.MEETINGS, code.committee)
    if valid_to < code.valid_from:
        raise ValueError(f"Punkt {code.code} gäller från {code.valid_from.isoformat()}.")
    code.valid_to = valid_to
    code.full_clean()
    code.save(update_fields=["valid_to"])
    return code


def delegation_deadline(decided: dt.date) -> dt.datetime:
    return calc.delegation_report_deadline(
        decided,
        day=int(getattr(settings, "STYRA_DELEGATION_DEADLINE_DAY", 2)),
        hour=int(getattr(settings, "STYRA_DELEGATION_DEADLINE_HOUR", 12)),
    )


@transaction.atomic
def delegation_decision_register(
    *,
    actor,
    unit: OrgNode,
    code: DelegationCode,
    date_from: dt.date,
    decision: str,
    delegate_role: str,
    date_to: dt.date | None = None,
    dnr: str = "",
    delegate_name: str = "",
    personal_details: str = "",
    now: dt.datetime | None = None,
) -> DelegationDecision:
    """Register a delegationsbeslut. Refused when the delegat's role is not the one the
    delegationsordning gives the code; marked late after the reporting deadline."""
    committee = unit.committee()
    if not (
        access.can(actor, access.EDIT, unit)
        or (committee is not None and access.can(actor, access.MEETINGS, committee))
    ):
        raise PermissionDenied(
            f"Du saknar behörighet att registrera delegationsbeslut för {unit.name}."
        )
    if committee is None or committee.pk != code.committee_id:
        raise calc.RuleViolation(
            calc.RULE_DELEGATION_ROLE,
            f"{unit.name} hör inte till nämnden vars delegationsordning har punkt {code.code}.",
        )
    if code.valid_from > date_from or (code.valid_to and code.valid_to < date_from):
        raise calc.RuleViolation(
            calc.RULE_DELEGATION_ROLE,
            f"Punkt {code.code} i den versionen gällde inte {date_from.isoformat()}.",
        )
    calc.check_delegat(code.code, code.delegate_roles(), delegate_role)
    if dnr:
        calc.DiaryNumber.parse(dnr)
    now = now or clock.now()
    deadline = timezone.make_aware(delegation_deadline(date_to or date_from))
    existing = DelegationDecision.objects.filter(
        unit=unit, code=code, date_from=date_from, decision=decision
    ).first()
    row = existing or DelegationDecision(unit=unit, code=code, committee=committee)
    row.date_from, row.date_to, row.decision, row.dnr = date_from, date_to, decision, dnr
    row.delegate_role, row.delegate_name = delegate_role, delegate_name
    row.personal_details = personal_details
    row.registered_by = access.user_of(actor)
    if existing is None:
        row.late = now > deadline
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def delegation_report_collect(*, actor, meeting: Meeting) -> int:
    """Put every unreported decision made before the meeting on its anmälan list."""
    access.require(actor, access.MEETINGS, meeting.committee)
    return DelegationDecision.objects.filter(
        committee=meeting.committee, reported_at__isnull=True, date_from__lt=meeting.date
    ).update(reported_at=meeting)


# --- the meeting file (styra/meetings/readers.py) ---------------------------------------


@dataclass(frozen=True)
class LoadResult:
    committee: OrgNode
    members: int
    meetings: int
    cases: int
    delegation_decisions: int
    warnings: tuple[str, ...]


def _time(value, default: str = "18:00") -> dt.time:
    if isinstance(value, int):  # YAML 1.1 reads 18:00 as sexagesimal 1080
        return dt.time(value // 60, value % 60)
    return dt.time.fromisoformat(str(value or default))


def _aware(day: dt.date, at: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, at))


def meetings_load(*, actor, path: Path | str, municipality=None) -> LoadResult:
    """Load a committee's meeting file: members, delegation, calendar, cases, decisions and
    meetings. The whole file is checked first (InputError with every issue, nothing
    stored); loading again updates in place and repeats no step already taken."""
    from styra.org.selectors import committee_find

    path = Path(path)
    data = read_meetings_file(path).raise_if_errors()
    try:
        committee = committee_find(str(data["committee"]), municipality=municipality)
    except UsageError as exc:
        raise InputError([Issue(str(path), data.line_of("committee"), str(exc))]) from exc
    access.require(actor, access.MEETINGS, committee)
    try:
        return _apply(actor, path, data, committee)
    except calc.RuleViolation as exc:
        raise InputError([Issue(str(path), 1, str(exc))]) from exc


@transaction.atomic
def _apply(actor, path: Path, data: LineDict, committee: OrgNode) -> LoadResult:
    muni = committee.municipality
    warnings: list[str] = []
    committee_org = organization_upsert(
        actor=actor,
        committee=committee,
        kind=OrganizationKind.COMMITTEE,
        name=committee.name,
        short_name=committee.short_name,
    )
    terms = []
    for row in data.get("terms") or []:
        term, _ = LegislativeTerm.objects.update_or_create(
            municipality=muni,
            name=row["name"],
            defaults={"start_date": row["start"], "end_date": row["end"]},
        )
        terms.append(term)
    parties = {
        row["short"]: organization_upsert(
            actor=actor,
            committee=committee,
            kind=OrganizationKind.PARTY,
            name=row["name"],
            short_name=row["short"],
        )
        for row in data.get("parties") or []
    }
    members = 0
    for row in data.get("members") or []:
        person = person_ensure(
            actor=actor,
            committee=committee,
            name=row["name"],
            title=row.get("title", ""),
            username=row.get("username", ""),
        )
        term = terms[0] if terms else None
        membership_add(
            actor=actor,
            organization=committee_org,
            person=person,
            post=row["post"],
            party=parties.get(row.get("party")),
            term=term,
            start_date=row.get("start") or (term.start_date if term else committee.valid_from),
            end_date=row.get("end") or (term.end_date if term else None),
        )
        members += 1
    codes = {
        row["code"]: delegation_code_upsert(
            actor=actor,
            committee=committee,
            code=row["code"],
            decision_type=row["type"],
            delegates=row["delegates"],
        )
        for row in data.get("delegation") or []
    }
    cases: dict[str, Case] = {}
    for row in data.get("cases") or []:
        number = calc.DiaryNumber.parse(str(row["dnr"]))
        fields = {
            key: str(row.get(key, "") or "").strip()
            for key in ("classification", *CASE_PAPER_TEXTS)
        }
        fields["recurring"] = bool(row.get("recurring", False))
        if "reply_kind" in row:  # a file without it leaves what the web set
            fields["reply_kind"] = str(row.get("reply_kind") or "")
            fields["reply_due"] = row.get("reply_due")
            fields["replied_on"] = row.get("replied_on")
        existing = Case.objects.filter(
            prefix=number.prefix, year=number.year, number=number.number
        ).first()
        if existing:
            changed = {k: v for k, v in fields.items() if getattr(existing, k) != v}
            if existing.title != row["title"]:
                changed["title"] = row["title"]
            case = case_update(actor=actor, case=existing, **changed) if changed else existing
        else:
            case = case_create(
                actor=actor, committee=committee, title=row["title"], dnr=str(number), **fields
            )
        cases[str(number)] = case
    decisions = 0
    for row in data.get("delegation_decisions") or []:
        unit = OrgNode.objects.get(municipality=muni, code=row["unit"])
        code = codes.get(row["code"]) or DelegationCode.objects.get(
            committee=committee, code=row["code"]
        )
        try:
            delegation_decision_register(
                actor=actor,
                unit=unit,
                code=code,
                date_from=row["date"],
                date_to=row.get("date_to"),
                decision=row["decision"],
                dnr=row.get("dnr", ""),
                delegate_role=row["role"],
                delegate_name=row.get("name", ""),
                personal_details=row.get("personal", ""),
                # registered on time: the file records decisions already reported
                now=_aware(row["date"], dt.time(9, 0)),
            )
        except calc.RuleViolation as exc:
            raise InputError([Issue(str(path), row.line, str(exc))]) from exc
        decisions += 1
    meetings = 0
    for row in data.get("meetings") or []:
        _meeting(actor, path, row, committee, cases, warnings)
        meetings += 1
    for row in data.get("calendars") or []:
        decided = None
        if row.get("decided_at"):
            decided = Meeting.objects.filter(
                committee=committee, start__date=row["decided_at"]
            ).first()
        at = _time(row.get("time"))
        calendar_set(
            actor=actor,
            committee=committee,
            year=row["year"],
            starts=[_aware(d, at) for d in row["dates"]],
            place=row.get("place", ""),
            decided_at=decided,
        )
        meetings += len(row["dates"])
    return LoadResult(committee, members, meetings, len(cases), decisions, tuple(warnings))


def _person(committee: OrgNode, name: str) -> Person:
    return Person.objects.get(municipality=committee.municipality, name=name)


def _meeting(actor, path, row: LineDict, committee: OrgNode, cases, warnings: list[str]) -> Meeting:
    start = _aware(row["date"], _time(row.get("time")))
    end = _aware(row["date"], _time(row["end"])) if row.get("end") else None
    meeting = meeting_create(
        actor=actor,
        committee=committee,
        start=start,
        end=end,
        place=row.get("place", ""),
        is_public=bool(row.get("public", False)),
    )
    codes = row.get("reporting_events") or []
    events = ReportingEvent.objects.filter(committee=committee, code__in=codes)
    meeting.reporting_events.add(*events)
    if meeting.is_justerat:
        return meeting  # nothing of a justerat meeting changes
    for item in row.get("items") or []:
        agenda_item_add(
            actor=actor,
            meeting=meeting,
            kind=item["kind"],
            title=item["title"],
            case=cases[str(calc.DiaryNumber.parse(str(item["case"])))]
            if item.get("case")
            else None,
            confidential=bool(item.get("confidential", False)),
        )
    if row.get("notice_sent") and meeting.notice_sent_on is None:
        for f in notice_produce(
            actor=actor,
            meeting=meeting,
            sent_on=row["notice_sent"],
            text=str(row.get("notice_text", "")),
        ):
            warnings.append(str(f))
    if row.get("first_paragraph"):
        _claim_number(f"§{committee.code}", meeting.date.year, int(row["first_paragraph"]) - 1)
    if not row.get("items"):
        return meeting
    paragraphs = {p.item.order: p for p in protocol_open(actor=actor, meeting=meeting)}
    for order, decision in (row.get("decisions") or {}).items():
        p = paragraphs.get(int(order))
        if p is None:
            raise InputError(
                [Issue(str(path), row.line_of("decisions"), f"punkt {order} finns inte")]
            )
        if p.justerad_at is None:
            paragraph_update(
                actor=actor,
                paragraph=p,
                decision=decision.get("text"),
                reservations=decision.get("reservations"),
                immediate=bool(decision.get("immediate", False)),
            )
    for a in row.get("attendance") or []:
        attendance_set(
            actor=actor,
            meeting=meeting,
            person=_person(committee, a["name"]),
            kind=a["kind"],
            replaces=_person(committee, a["replaces"]) if a.get("replaces") else None,
            note=a.get("note", ""),
        )
    if row.get("adjusters"):
        adjusters_set(
            actor=actor,
            meeting=meeting,
            persons=[_person(committee, n) for n in row["adjusters"]],
            place=row.get("justering_place", ""),
        )
    if row.get("justerat"):
        when = row["justerat"]
        if isinstance(when, str):
            when = dt.datetime.fromisoformat(when)
        if isinstance(when, dt.datetime):
            when = timezone.make_aware(when) if timezone.is_naive(when) else when
        else:
            when = _aware(when, dt.time(10))
        user_model = get_user_model()
        for adjuster in meeting.adjusters.select_related("person__user"):
            user = adjuster.person.user or user_model.objects.filter(pk=adjuster.user_id).first()
            if user is None:
                raise InputError(
                    [
                        Issue(
                            str(path),
                            row.line_of("adjusters"),
                            f"{adjuster.person} saknar inloggning",
                        )
                    ]
                )
            warnings += [str(f) for f in protocol_approve(actor=user, meeting=meeting, now=when)]
        meeting.refresh_from_db()
    if row.get("anslag") and meeting.is_justerat:
        warnings += [
            str(f) for f in anslag_post(actor=actor, meeting=meeting, posted_on=row["anslag"])
        ]
        protocol_render(actor=actor, meeting=meeting)
        dispatch_prepare(actor=actor, meeting=meeting)
    if row.get("publish") and meeting.is_justerat:
        protocol_publish(actor=actor, meeting=meeting)
    return meeting
