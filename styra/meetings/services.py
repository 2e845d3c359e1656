"""Writes for meetings and cases (<thing>_<verb>, keyword-only, one transaction each).

Rules that Kommunallagen or the delegationsordning set are checked in calc.py and raised
as calc.RuleViolation, whose message names the rule.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import mimetypes

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from styra.org.models import OrgNode, Person, Role, RoleGrant

from . import calc
from .models import (
    Adjuster,
    AgendaItem,
    Attendance,
    Calendar,
    Case,
    DecisionKind,
    DelegationCode,
    DelegationDecision,
    DiaryCounter,
    Dispatch,
    Document,
    DocumentKind,
    ItemKind,
    Location,
    Meeting,
    MeetingStatus,
    Membership,
    Organization,
    OrganizationKind,
    Paragraph,
    Publicity,
)

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
CASE_TEXT_FIELDS = ("classification", *CASE_PAPER_TEXTS, "status", "publicity", "recurring")


@transaction.atomic
def case_create(
    *,
    committee: OrgNode,
    title: str,
    year: int | None = None,
    dnr: str | None = None,
    handler: Person | None = None,
    **fields,
) -> Case:
    """Register a case with the next number of the committee's series, or with a given
    diarienummer (then the series continues after it)."""
    unknown = set(fields) - set(CASE_TEXT_FIELDS)
    if unknown:
        raise TypeError(f"okända fält: {sorted(unknown)}")
    if dnr:
        number = calc.DiaryNumber.parse(dnr)
        _claim_number(number.prefix, number.year, number.number)
    else:
        prefix = committee.diarium_prefix or committee.code
        year = year or timezone.localdate().year
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
def case_update(*, case: Case, **fields) -> Case:
    for key, value in fields.items():
        if key not in (*CASE_TEXT_FIELDS, "title", "handler"):
            raise TypeError(f"okänt fält: {key}")
        setattr(case, key, value)
    case.full_clean()
    case.save()
    return case


# --- documents -------------------------------------------------------------------------


@transaction.atomic
def document_store(
    *,
    file_bytes: bytes,
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
    owner, kind and file name is replaced (so regenerating a paper does not duplicate)."""
    sha1 = hashlib.sha1(file_bytes).hexdigest()
    existing = Document.objects.filter(
        case=case, meeting=meeting, paragraph=paragraph, kind=kind, filename=filename
    ).first()
    if existing and existing.sha1 == sha1 and existing.title == title:
        if existing.summary != summary or existing.publicity != publicity:
            existing.summary, existing.publicity = summary, publicity
            existing.save(update_fields=["summary", "publicity"])
        return existing
    doc = existing or Document(case=case, meeting=meeting, paragraph=paragraph, kind=kind)
    if existing and existing.file:
        existing.file.delete(save=False)
    doc.title = title
    doc.filename = filename
    doc.mime_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    doc.size = len(file_bytes)
    doc.sha1 = sha1
    doc.sha512 = hashlib.sha512(file_bytes).hexdigest()
    doc.publicity = publicity
    doc.summary = summary
    doc.attachment_number = attachment_number
    doc.file.save(filename, ContentFile(file_bytes), save=False)
    doc.full_clean()
    doc.save()
    return doc


@transaction.atomic
def case_attach_report(
    *, case: Case, title: str, file_bytes: bytes, filename: str, summary_text: str
) -> Document:
    """Attach a finalised report to a case as a numbered bilaga; its summary becomes the
    case's Sammanfattning, which feeds the tjänsteskrivelse and the ordförandeförslag."""
    existing = case.documents.filter(kind=DocumentKind.ATTACHMENT, filename=filename).first()
    if existing and existing.attachment_number:
        number = existing.attachment_number
    else:
        last = case.documents.filter(kind=DocumentKind.ATTACHMENT).aggregate(
            n=Max("attachment_number")
        )["n"]
        number = (last or 0) + 1
    doc = document_store(
        file_bytes=file_bytes,
        filename=filename,
        kind=DocumentKind.ATTACHMENT,
        title=title,
        case=case,
        summary=summary_text,
        attachment_number=number,
        publicity=case.publicity,
    )
    if case.summary != summary_text:
        case_update(case=case, summary=summary_text)
    return doc


@transaction.atomic
def case_papers_generate(*, case: Case) -> list[Document]:
    """Tjänsteskrivelse and ordförandeförslag as DOCX and PDF, from the case's fields."""
    from . import papers, render

    docs = []
    for kind, builder in (
        (DocumentKind.REPORT, papers.officials_report),
        (DocumentKind.CHAIR_PROPOSAL, papers.chair_proposal),
    ):
        paper = builder(case)
        for ext, data in (("docx", render.to_docx(paper)), ("pdf", render.to_pdf(paper))):
            docs.append(
                document_store(
                    file_bytes=data,
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
    *, committee: OrgNode | None, kind: str, name: str, short_name: str = ""
) -> Organization:
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
    *, committee: OrgNode, name: str, email: str = "", title: str = "", username: str = ""
) -> Person:
    """A person of the municipality; with a username, a login that may read the committee
    (members approve protocols as justerare)."""
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
        RoleGrant.objects.get_or_create(user=user, node=committee, role=Role.READER)
        person.user = user
        person.save(update_fields=["user"])
    return person


@transaction.atomic
def membership_add(
    *,
    organization: Organization,
    person: Person,
    post: str,
    start_date: dt.date,
    end_date: dt.date | None = None,
    party: Organization | None = None,
    term=None,
) -> Membership:
    membership, _ = Membership.objects.update_or_create(
        organization=organization,
        person=person,
        post=post,
        start_date=start_date,
        defaults={"end_date": end_date, "party": party, "term": term},
    )
    membership.full_clean()
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
    committee: OrgNode,
    start: dt.datetime,
    place: str,
    is_public: bool = False,
    notice_days: int | None = None,
    calendar: Calendar | None = None,
    end: dt.datetime | None = None,
) -> Meeting:
    """A meeting; the same committee and start time is the same meeting (idempotent)."""
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
    committee: OrgNode,
    year: int,
    starts: list[dt.datetime],
    place: str,
    decided_at: Meeting | None = None,
) -> Calendar:
    """The sammanträdesordning of a year: one planned meeting per start time."""
    calendar, _ = Calendar.objects.update_or_create(
        committee=committee, year=year, defaults={"decided_at": decided_at}
    )
    for start in starts:
        if start.year != year:
            raise ValueError(f"{start.date().isoformat()} ligger inte i {year}.")
        meeting_create(committee=committee, start=start, place=place, calendar=calendar)
    return calendar


@transaction.atomic
def agenda_item_add(
    *,
    meeting: Meeting,
    kind: str,
    title: str,
    case: Case | None = None,
    confidential: bool = False,
    description: str = "",
) -> AgendaItem:
    """Append an item; the same title on the same meeting is the same item (idempotent)."""
    if meeting.is_justerat:
        raise calc.RuleViolation(
            calc.RULE_JUSTERAD_LOCKED, "Ärendelistan kan inte ändras efter justeringen."
        )
    existing = meeting.items.filter(title=title).first()
    if existing:
        existing.kind, existing.case = kind, case
        existing.confidential, existing.description = confidential, description
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
    )
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def notice_produce(
    *, meeting: Meeting, sent_on: dt.date | None = None, text: str | None = None
) -> list[calc.Finding]:
    """Kallelse with ärendelista as PDF and DOCX; warns when it goes out late."""
    from . import papers, render

    sent_on = sent_on or timezone.localdate()
    if text is not None:
        meeting.notice_text = text
    meeting.notice_sent_on = sent_on
    if meeting.status == MeetingStatus.PLANNED:
        meeting.status = MeetingStatus.NOTICE_SENT
    meeting.save()
    paper = papers.notice(meeting)
    for ext, data in (("pdf", render.to_pdf(paper)), ("docx", render.to_docx(paper))):
        document_store(
            file_bytes=data,
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
    if item.kind == ItemKind.DECISION:
        return ""
    return f"{committee} har tagit del av informationen."


@transaction.atomic
def protocol_open(*, meeting: Meeting) -> list[Paragraph]:
    """One paragraph per agenda item, numbered on from the committee's last § that year;
    decision texts start from the case's proposal. Running it again adds only new items."""
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
        delegation_report_collect(meeting=meeting)
    if meeting.status in (MeetingStatus.PLANNED, MeetingStatus.NOTICE_SENT):
        meeting.status = MeetingStatus.HELD
        meeting.save(update_fields=["status"])
    return out


@transaction.atomic
def paragraph_update(
    *,
    paragraph: Paragraph,
    decision_kind: str | None = None,
    decision: str | None = None,
    reservations: str | None = None,
    immediate: bool | None = None,
    distribution: str | None = None,
) -> Paragraph:
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
    meeting: Meeting,
    person: Person,
    kind: str,
    replaces: Person | None = None,
    from_paragraph: int | None = None,
    to_paragraph: int | None = None,
    note: str = "",
) -> Attendance:
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


@transaction.atomic
def adjusters_set(
    *,
    meeting: Meeting,
    persons: list[Person],
    place: str = "",
    planned: dt.date | None = None,
) -> list[Adjuster]:
    if meeting.is_justerat:
        raise calc.RuleViolation(
            calc.RULE_JUSTERAD_LOCKED, "Justerarna kan inte bytas efter justeringen."
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


@transaction.atomic
def protocol_approve(*, meeting: Meeting, user, now: dt.datetime | None = None) -> list:
    """A justerare approves the protocol (digital justering; who and when recorded).
    When the last one has approved, the protocol is justerat that day and locked."""
    now = now or timezone.now()
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
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
    findings: list = []
    if not meeting.adjusters.filter(approved_at__isnull=True).exists():
        findings = calc.check_justering(meeting.date, today)
        meeting.justerat_on = today
        meeting.status = MeetingStatus.JUSTERAT
        meeting.save(update_fields=["justerat_on", "status"])
        meeting.paragraphs.filter(justerad_at__isnull=True).update(justerad_at=now)
        protocol_render(meeting=meeting)
    return findings


@transaction.atomic
def protocol_render(*, meeting: Meeting) -> list[Document]:
    """The full protocol and its public twin (without the confidential part and personal
    data), both PDF, from the same data."""
    from . import papers, render

    docs = []
    for public in (False, True):
        paper = papers.protocol(meeting, public=public)
        has_hidden = papers.protocol_has_non_public(meeting)
        docs.append(
            document_store(
                file_bytes=render.to_pdf(paper),
                filename=f"{paper.filename}.pdf",
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


@transaction.atomic
def anslag_post(
    *, meeting: Meeting, posted_on: dt.date, accept_late: bool = False
) -> list[calc.Finding]:
    if not meeting.is_justerat:
        raise calc.RuleViolation(calc.RULE_ANSLAG, "Protokollet är inte justerat ännu.")
    findings = calc.check_anslag(meeting.justerat_on, posted_on, accept_late=accept_late)
    meeting.anslag_posted = posted_on
    meeting.anslag_late_accepted = bool(findings)
    meeting.save(update_fields=["anslag_posted", "anslag_late_accepted"])
    return findings


@transaction.atomic
def anslag_take_down(*, meeting: Meeting, on: dt.date) -> None:
    if meeting.anslag_posted is None:
        raise calc.RuleViolation(calc.RULE_TAKE_DOWN, "Anslaget har inte satts upp.")
    calc.check_take_down(meeting.anslag_posted, on)
    meeting.anslag_taken_down = on
    meeting.save(update_fields=["anslag_taken_down"])


@transaction.atomic
def protocol_publish(*, meeting: Meeting) -> Meeting:
    """Publish the justerat protocol in the public part (its public twin only)."""
    if not meeting.is_justerat:
        raise calc.RuleViolation(calc.RULE_JUSTERING, "Bara ett justerat protokoll kan publiceras.")
    meeting.protocol_published = True
    meeting.save(update_fields=["protocol_published"])
    return meeting


@transaction.atomic
def extract_produce(*, paragraph: Paragraph) -> Document:
    """Protokollsutdrag of one paragraph (only from a justerad paragraph)."""
    from . import papers, render

    if paragraph.justerad_at is None:
        raise calc.RuleViolation(
            calc.RULE_JUSTERING, f"§ {paragraph.number} är inte justerad; inget utdrag."
        )
    paper = papers.extract(paragraph)
    return document_store(
        file_bytes=render.to_pdf(paper),
        filename=f"{paper.filename}.pdf",
        kind=DocumentKind.EXTRACT,
        title=paper.title,
        meeting=paragraph.meeting,
        paragraph=paragraph,
        publicity=Publicity.PUBLIC if paragraph.is_public else Publicity.SECRET,
    )


@transaction.atomic
def dispatch_prepare(*, meeting: Meeting) -> list[Dispatch]:
    """The expediering list: one row per paragraph and recipient in 'Expedieras till'."""
    rows = []
    for paragraph in meeting.paragraphs.all():
        for recipient in (r.strip() for r in paragraph.distribution.splitlines()):
            if recipient:
                rows.append(
                    Dispatch.objects.get_or_create(paragraph=paragraph, recipient=recipient)[0]
                )
    return rows


@transaction.atomic
def dispatch_mark_sent(*, dispatch: Dispatch, user, now: dt.datetime | None = None) -> Dispatch:
    if dispatch.paragraph.justerad_at is None:
        raise calc.RuleViolation(
            calc.RULE_JUSTERING, "Beslutet kan expedieras först när paragrafen är justerad."
        )
    extract_produce(paragraph=dispatch.paragraph)
    dispatch.sent_at = now or timezone.now()
    dispatch.sent_by = user
    dispatch.save(update_fields=["sent_at", "sent_by"])
    return dispatch


# --- delegation ------------------------------------------------------------------------


@transaction.atomic
def delegation_code_upsert(
    *, committee: OrgNode, code: str, decision_type: str, delegates: str
) -> DelegationCode:
    row, _ = DelegationCode.objects.update_or_create(
        committee=committee,
        code=code,
        valid_from=dt.date(2000, 1, 1),
        defaults={"decision_type": decision_type, "delegates": delegates},
    )
    row.full_clean()
    return row


def delegation_deadline(decided: dt.date) -> dt.datetime:
    return calc.delegation_report_deadline(
        decided,
        day=int(getattr(settings, "STYRA_DELEGATION_DEADLINE_DAY", 2)),
        hour=int(getattr(settings, "STYRA_DELEGATION_DEADLINE_HOUR", 12)),
    )


@transaction.atomic
def delegation_decision_register(
    *,
    unit: OrgNode,
    code: DelegationCode,
    date_from: dt.date,
    decision: str,
    delegate_role: str,
    date_to: dt.date | None = None,
    dnr: str = "",
    delegate_name: str = "",
    personal_details: str = "",
    user=None,
    now: dt.datetime | None = None,
) -> DelegationDecision:
    """Register a delegationsbeslut. Refused when the delegat's role is not the one the
    delegationsordning gives the code; marked late after the reporting deadline."""
    committee = unit.committee()
    if committee is None or committee.pk != code.committee_id:
        raise calc.RuleViolation(
            calc.RULE_DELEGATION_ROLE,
            f"{unit.name} hör inte till nämnden vars delegationsordning har punkt {code.code}.",
        )
    calc.check_delegat(code.code, code.delegate_roles(), delegate_role)
    if dnr:
        calc.DiaryNumber.parse(dnr)
    now = now or timezone.now()
    deadline = timezone.make_aware(delegation_deadline(date_to or date_from))
    existing = DelegationDecision.objects.filter(
        unit=unit, code=code, date_from=date_from, decision=decision
    ).first()
    row = existing or DelegationDecision(unit=unit, code=code, committee=committee)
    row.date_from, row.date_to, row.decision, row.dnr = date_from, date_to, decision, dnr
    row.delegate_role, row.delegate_name = delegate_role, delegate_name
    row.personal_details = personal_details
    row.registered_by = user
    if existing is None:
        row.late = now > deadline
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def delegation_report_collect(*, meeting: Meeting) -> int:
    """Put every unreported decision made before the meeting on its anmälan list."""
    return DelegationDecision.objects.filter(
        committee=meeting.committee, reported_at__isnull=True, date_from__lt=meeting.date
    ).update(reported_at=meeting)
