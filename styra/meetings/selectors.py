"""Reads for meetings: what the secretary works with, and what may be published.

Publication rules (DOMAIN §13) live here once, used by the public pages and by OParl:
- a meeting is public (not cancelled); its agenda once the kallelse has gone out;
- an agenda item is public unless it is in the confidential part or its case is not public;
- a document is public when it and its case are public, and the meeting's or case's
  publication allows it; the protocol only as its public twin once justerat and published;
- delegation decisions appear without names of individuals.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from styra.calendar import clock
from styra.org import access
from styra.org.models import OrgNode

from . import calc
from .models import (
    AgendaItem,
    Case,
    DelegationDecision,
    Document,
    DocumentKind,
    Meeting,
    MeetingStatus,
    Membership,
    OrganizationKind,
    Paragraph,
    Post,
    Publicity,
)

FULL_PROTOCOL_SUFFIX = "-fullstandigt.pdf"


def committees_for(user) -> list[OrgNode]:
    return [n for n in access.nodes_for(user, access.MEETINGS) if n.kind == "committee"]


def meetings_for(user) -> QuerySet[Meeting]:
    return Meeting.objects.filter(committee__in=committees_for(user)).select_related(
        "committee", "location"
    )


def meetings_to_approve(user) -> QuerySet[Meeting]:
    return (
        Meeting.objects.filter(adjusters__person__user=user, justerat_on__isnull=True)
        .distinct()
        .select_related("committee")
    )


def can_see_confidential(actor, meeting: Meeting) -> bool:
    """The sekretessdel of the meeting (confidential items, the full protocol): the roles
    entitled to confidential items on the committee, and the meeting's own justerare,
    who sign the whole protocol."""
    if access.can(actor, access.CONFIDENTIAL, meeting.committee):
        return True
    user = access.user_of(actor)
    return user is not None and (
        meeting.adjusters.filter(Q(person__user=user) | Q(user=user)).exists()
    )


def meeting_warnings(meeting: Meeting, today: dt.date | None = None) -> list[calc.Finding]:
    today = today or clock.today()
    out = []
    if meeting.notice_sent_on is None and meeting.status == MeetingStatus.PLANNED:
        deadline = calc.notice_deadline(meeting.date, meeting.notice_days)
        if today > deadline and today <= meeting.date:
            out.append(
                calc.Finding(
                    "warning",
                    calc.RULE_NOTICE.format(days=meeting.notice_days),
                    f"Kallelsen borde ha skickats senast {deadline.isoformat()}.",
                )
            )
    elif meeting.notice_sent_on:
        out += calc.notice_findings(meeting.date, meeting.notice_sent_on, meeting.notice_days)
    if meeting.paragraphs.exists() and today >= meeting.date:
        out += calc.deadline_warnings(meeting.dates(), today)
    return out


def members(committee: OrgNode, day: dt.date | None = None) -> list[Membership]:
    day = day or clock.today()
    rows = Membership.objects.filter(
        organization__node=committee,
        organization__kind=OrganizationKind.COMMITTEE,
        start_date__lte=day,
    ).exclude(end_date__lt=day)
    order = {p: i for i, p in enumerate(Post.values)}
    return sorted(
        rows.select_related("person", "party"), key=lambda m: (order[m.post], m.person.name)
    )


# --- publication -----------------------------------------------------------------------


def public_meetings() -> QuerySet[Meeting]:
    return (
        Meeting.objects.exclude(status=MeetingStatus.CANCELLED)
        .select_related("committee", "location", "committee__municipality")
        .order_by("start")
    )


def public_items(meeting: Meeting) -> list[AgendaItem]:
    if meeting.notice_sent_on is None:
        return []
    return [
        item for item in meeting.items.select_related("case").order_by("order") if item.is_public
    ]


def public_paragraphs(meeting: Meeting) -> list[Paragraph]:
    if not meeting.protocol_published:
        return []
    return [
        p for p in meeting.paragraphs.select_related("item__case").order_by("number") if p.is_public
    ]


def public_delegation_decisions(meeting: Meeting) -> list[tuple[str, list[DelegationDecision]]]:
    """Grouped by unit; templates show date, code, decision, dnr and delegat role only."""
    if not meeting.protocol_published:
        return []
    groups: dict[str, list[DelegationDecision]] = {}
    for d in meeting.delegation_decisions.select_related("unit", "code"):
        groups.setdefault(d.unit.name, []).append(d)
    return list(groups.items())


def public_cases() -> QuerySet[Case]:
    """Public cases that are on the published agenda of some meeting."""
    return (
        Case.objects.filter(
            publicity=Publicity.PUBLIC,
            agenda_items__confidential=False,
            agenda_items__meeting__notice_sent_on__isnull=False,
        )
        .exclude(agenda_items__meeting__status=MeetingStatus.CANCELLED)
        .distinct()
        .select_related("committee")
    )


def public_documents() -> QuerySet[Document]:
    meeting_docs = Q(
        case__isnull=True,
        meeting__notice_sent_on__isnull=False,
        kind=DocumentKind.NOTICE,
    ) | Q(
        case__isnull=True,
        meeting__protocol_published=True,
        kind__in=[DocumentKind.PROTOCOL, DocumentKind.EXTRACT],
    )
    case_docs = Q(case__in=public_cases())
    return (
        Document.objects.filter(publicity=Publicity.PUBLIC)
        .filter(meeting_docs | case_docs)
        .exclude(filename__endswith=FULL_PROTOCOL_SUFFIX)
        .exclude(paragraph__item__confidential=True)
        .select_related("case", "meeting")
    )


def public_document_or_none(pk: int) -> Document | None:
    return public_documents().filter(pk=pk).first()


def cases_awaiting_reply(committee: OrgNode, today: dt.date) -> list[tuple[Case, str]]:
    """The committee's remisser and revisionsfrågor whose svarsdatum has passed
    unanswered ("overdue") or comes within two weeks ("soon"), earliest first."""
    cases = (
        Case.objects.filter(committee=committee, replied_on__isnull=True)
        .exclude(reply_kind="")
        .filter(reply_due__lte=today + dt.timedelta(days=calc.REPLY_SOON_DAYS))
        .order_by("reply_due", "pk")
    )
    out = []
    for case in cases:
        state = calc.reply_state(case.reply_due, case.replied_on, today)
        if state is not None:
            out.append((case, state))
    return out
