"""Builders: from cases and meetings to Paper structures (rendered by render.py)."""

from __future__ import annotations

from dataclasses import replace

from django.utils import timezone
from django.utils.text import slugify

from styra.calendar import clock

from . import calc
from .models import (
    AttendanceKind,
    Case,
    DecisionKind,
    DocumentKind,
    ItemKind,
    Meeting,
    Membership,
    OrganizationKind,
    Paragraph,
    Post,
)
from .paper import Block, Paper, heading, paragraphs, section

CONFIDENTIAL_TITLE = "Ärende i sekretessdelen"


def _officer(committee, post: str, day) -> Membership | None:
    return (
        Membership.objects.filter(
            organization__node=committee,
            organization__kind=OrganizationKind.COMMITTEE,
            post=post,
            start_date__lte=day,
        )
        .exclude(end_date__lt=day)
        .select_related("person", "party")
        .first()
    )


def _attachments(case: Case) -> list[str]:
    return [
        f"Bilaga {d.attachment_number}: {d.title}" if d.attachment_number else d.title
        for d in case.documents.filter(kind=DocumentKind.ATTACHMENT).order_by("attachment_number")
    ]


def _case_meta(case: Case) -> tuple[tuple[str, str], ...]:
    meta = [("Datum", clock.today().isoformat()), ("Diarienummer", case.dnr)]
    if case.classification:
        meta.append(("Klassificering", f"Kod: {case.classification}"))
    if case.handler:
        meta.append(("Handläggare", case.handler.name))
    meta.append(("Mottagare", case.committee.name))
    return tuple(meta)


def _proposal(case: Case) -> list[Block]:
    points = case.proposal_points()
    return [heading("Förslag till beslut"), Block("numbered", items=tuple(points))]


def officials_report(case: Case) -> Paper:
    """Tjänsteskrivelse: every part of the case, in the order readers expect."""
    blocks = [
        *_proposal(case),
        *section("Sammanfattning", case.summary),
        *section("Ärendet", case.background),
        *section("Ekonomiska konsekvenser", case.economy),
        *section("Barnkonsekvensanalys", case.child_analysis),
        *section("Jämlikhetsanalys", case.equality_analysis),
    ]
    basis = case.lines("basis")
    if basis:
        blocks += [heading("Underlag för beslut"), Block("bullets", items=tuple(basis))]
    attachments = _attachments(case)
    if attachments:
        blocks += [heading("Bilagor"), Block("bullets", items=tuple(attachments))]
    signatures = case.signatory_pairs()
    if signatures:
        blocks.append(Block("signatures", rows=tuple(signatures)))
    distribution = case.lines("distribution")
    if distribution:
        blocks += [heading("Expedieras till"), Block("bullets", items=tuple(distribution))]
    return Paper(
        doc_type="Tjänsteskrivelse",
        title=case.title,
        municipality=case.committee.municipality.name,
        committee=case.committee.name,
        filename=f"tjansteskrivelse-{case.prefix}-{case.year}-{case.number:05d}".lower(),
        meta=_case_meta(case),
        blocks=tuple(blocks),
    )


def chair_proposal(case: Case) -> Paper:
    """Ordförandeförslag: the same decision text and summary, signed by the chair."""
    blocks = [*_proposal(case), *section("Sammanfattning", case.summary)]
    attachments = _attachments(case)
    if attachments:
        blocks += [heading("Bilagor"), Block("bullets", items=tuple(attachments))]
    chair = _officer(case.committee, Post.CHAIR, clock.today())
    if chair:
        blocks.append(Block("signatures", rows=((chair.label, "Ordförande"),)))
    return Paper(
        doc_type="Ordförandeförslag",
        title=case.title,
        municipality=case.committee.municipality.name,
        committee=case.committee.name,
        filename=f"ordforandeforslag-{case.prefix}-{case.year}-{case.number:05d}".lower(),
        meta=(("Diarienummer", case.dnr), ("Till", case.committee.name)),
        blocks=tuple(blocks),
    )


def _when(meeting: Meeting) -> str:
    start = timezone.localtime(meeting.start)
    text = f"{start.date().isoformat()} kl. {start:%H:%M}"
    if meeting.end:
        text += f"\u2013{timezone.localtime(meeting.end):%H:%M}"
    return text


def _filename(kind: str, meeting: Meeting) -> str:
    code = slugify(meeting.committee.short_name or meeting.committee.code)
    return f"{kind}-{code}-{meeting.date.isoformat()}"


def notice(meeting: Meeting) -> Paper:
    """Kallelse with ärendelista; items of the confidential part are not named."""
    rows = []
    secret = 0
    for item in meeting.items.order_by("confidential", "order"):
        if item.confidential:
            secret += 1
            continue
        rows.append((str(item.order), item.heading, item.get_kind_display()))
    blocks = [*paragraphs(meeting.notice_text), heading("Ärenden")]
    blocks.append(Block("table", header=("Nr", "Ärende", "Typ"), rows=tuple(rows)))
    if secret:
        blocks += [
            heading("Sekretessdelen"),
            Block("text", text=f"{secret} ärende(n) behandlas i sekretessdelen."),
        ]
    signers = []
    for post, label in ((Post.CHAIR, "Ordförande"), (Post.SECRETARY, "Nämndsekreterare")):
        officer = _officer(meeting.committee, post, meeting.date)
        if officer:
            signers.append((officer.person.name, label))
    if signers:
        blocks.append(Block("signatures", rows=tuple(signers)))
    meta = [("Datum och tid", _when(meeting))]
    if meeting.location:
        meta.append(("Plats", meeting.location.description))
    return Paper(
        doc_type="Kallelse",
        title=f"Kallelse till sammanträde med {meeting.committee.name}",
        municipality=meeting.committee.municipality.name,
        committee=meeting.committee.name,
        filename=_filename("kallelse", meeting),
        meta=tuple(meta),
        blocks=tuple(blocks),
    )


def protocol_has_non_public(meeting: Meeting) -> bool:
    if any(not p.is_public for p in meeting.paragraphs.select_related("item__case")):
        return True
    return meeting.delegation_decisions.exclude(personal_details="", delegate_name="").exists()


def _attendance_rows(meeting: Meeting, kind: str) -> tuple[tuple[str, ...], ...]:
    rows = []
    memberships = {
        m.person_id: m
        for m in Membership.objects.filter(organization__node=meeting.committee).select_related(
            "party"
        )
        if m.active_on(meeting.date)
    }
    for a in meeting.attendance.filter(kind=kind).select_related("person", "replaces"):
        m = memberships.get(a.person_id)
        name = m.label if m else a.person.name
        role = m.get_post_display() if m else (a.note or a.person.title)
        extra = []
        if a.replaces:
            extra.append(f"ersätter {a.replaces.name}")
        if a.paragraphs_label:
            extra.append(a.paragraphs_label)
        if a.note and m:
            extra.append(a.note)
        rows.append((name, role, ", ".join(extra)))
    return tuple(rows)


def delegation_rows(meeting: Meeting, *, public: bool) -> list[tuple[str, list[tuple]]]:
    """The anmälan list grouped by unit; the public one leaves out names of individuals."""
    groups: dict[str, list[tuple]] = {}
    for d in meeting.delegation_decisions.select_related("unit", "code").order_by(
        "unit__sort_order", "unit__name", "date_from"
    ):
        delegat = (
            d.delegate_role
            if public or not d.delegate_name
            else (f"{d.delegate_role} ({d.delegate_name})")
        )
        row = (d.period_label, d.code.code, d.decision, d.dnr, delegat)
        if not public and d.personal_details:
            row = (*row[:2], f"{d.decision} – {d.personal_details}", *row[3:])
        groups.setdefault(d.unit.name, []).append(row)
    return list(groups.items())


def _paragraph_blocks(p: Paragraph, *, public: bool) -> list[Block]:
    if public and not p.is_public:
        return [
            heading(f"§ {p.number} {CONFIDENTIAL_TITLE}"),
            Block("note", text="Paragrafen omfattas av sekretess och publiceras inte."),
        ]
    blocks = [heading(f"§ {p.number} {p.title}")]
    label = "Beslut"
    if p.decision_kind == DecisionKind.RETURNED:
        label = "Beslut (återremiss)"
    elif p.decision_kind == DecisionKind.AMENDED:
        label = "Beslut (med ändring)"
    blocks += [Block("text", text=f"{label}")]
    points = calc.proposal_points(p.decision)
    if len(points) > 1:
        blocks.append(Block("numbered", items=tuple(points)))
    else:
        blocks += paragraphs(p.decision)
    if p.item and p.item.kind == ItemKind.DELEGATION:
        for unit, rows in delegation_rows(p.meeting, public=public):
            blocks.append(
                Block(
                    "table",
                    text=unit,
                    header=("Datum", "Punkt", "Beslut", "Dnr", "Delegat"),
                    rows=tuple(rows),
                )
            )
    for vote in p.votes.prefetch_related("ballots__person"):
        blocks += _vote_blocks(vote)
    if p.reservations.strip():
        blocks += [Block("text", text="Reservation"), *paragraphs(p.reservations)]
    if p.immediate:
        blocks.append(Block("note", text="Paragrafen justeras omedelbart."))
    recipients = [r.strip() for r in p.distribution.splitlines() if r.strip()]
    if recipients:
        blocks += [Block("text", text="Expedieras till"), Block("bullets", items=tuple(recipients))]
    return blocks


VOTE_WORDS = {calc.YES: "Ja", calc.NO: "Nej", calc.ABSTAIN: "Avstår"}


def _vote_blocks(vote) -> list[Block]:
    """Votering: the propositions, each member's vote and the totals counted from them.
    How each member voted is public, like the rest of an open paragraph."""
    t = vote.totals()
    won = "ja" if vote.outcome == calc.YES else "nej"
    return [
        Block("text", text="Omröstning"),
        Block(
            "bullets",
            items=(f"Ja-proposition: {vote.yes_proposal}", f"Nej-proposition: {vote.no_proposal}"),
        ),
        Block(
            "table",
            header=("Ledamot", "Röst"),
            rows=tuple((b.person.name, VOTE_WORDS[b.choice]) for b in vote.ballots.all()),
        ),
        Block(
            "text",
            text=f"Med {t.yes} ja, {t.no} nej och {t.abstain} som avstår har nämnden beslutat "
            f"enligt {won}-propositionen.",
        ),
    ]


def protocol_draft(meeting: Meeting) -> Paper:
    """The draft for the justerare: the full protocol, marked as not yet justerat."""
    paper = protocol(meeting, public=False)
    return replace(
        paper,
        doc_type="Protokollsutkast (ej justerat)",
        title=f"Utkast: {paper.title}",
        filename=_filename("protokollsutkast", meeting),
    )


def protocol(meeting: Meeting, *, public: bool) -> Paper:
    """The protocol; public=True is the twin for publication (no confidential part, no
    names of individuals from delegation decisions)."""
    paragraphs_ = list(meeting.paragraphs.select_related("item__case").order_by("number"))
    numbers = [p.number for p in paragraphs_]
    dates = meeting.dates()
    meta = [("Sammanträdesdatum", meeting.date.isoformat()), ("Tid", _when(meeting))]
    if meeting.location:
        meta.append(("Plats", meeting.location.description))
    meta.append(("Paragrafer", calc.paragraph_range(numbers)))
    blocks: list[Block] = []
    for kind in AttendanceKind:
        rows = _attendance_rows(meeting, kind)
        if rows:
            blocks += [heading(kind.label), Block("table", header=("Namn", "Roll", ""), rows=rows)]
    adjusters = list(meeting.adjusters.select_related("person"))
    if adjusters:
        rows = []
        for a in adjusters:
            when = (
                f"justerat digitalt {timezone.localtime(a.approved_at):%Y-%m-%d %H:%M}"
                if a.approved_at
                else "ej justerat"
            )
            rows.append((a.person.name, when))
        blocks += [
            heading("Justerare"),
            Block("table", header=("Namn", "Justering"), rows=tuple(rows)),
        ]
    justering = []
    if meeting.justering_place:
        justering.append(f"Plats: {meeting.justering_place}")
    justering.append(
        f"Justeras senast {dates.justering_deadline.isoformat()}"
        if not dates.justerat
        else f"Protokollet har justerats den {calc.long_date(dates.justerat)}."
    )
    if dates.anslag_posted:
        justering.append(f"Anslaget sattes upp den {calc.long_date(dates.anslag_posted)}.")
        justering.append(f"Anslaget tas ner den {calc.long_date(dates.take_down)}.")
        justering.append(
            f"Sista dag för överklagande (laglighetsprövning): {dates.appeal_last_day.isoformat()}."
        )
    elif dates.anslag_deadline:
        justering.append(f"Anslås senast {dates.anslag_deadline.isoformat()}.")
    blocks += [heading("Justering och anslag"), Block("bullets", items=tuple(justering))]
    blocks.append(heading("Paragrafer", level=1))
    for p in paragraphs_:
        blocks += _paragraph_blocks(p, public=public)
    suffix = "" if public else "-fullstandigt"
    return Paper(
        doc_type="Protokoll" if public else "Protokoll (fullständigt, ej för publicering)",
        title=f"Protokoll {meeting.committee.name} {meeting.date.isoformat()}",
        municipality=meeting.committee.municipality.name,
        committee=meeting.committee.name,
        filename=_filename("protokoll", meeting) + suffix,
        meta=tuple(meta),
        blocks=tuple(blocks),
    )


def extract(p: Paragraph) -> Paper:
    meeting = p.meeting
    blocks = _paragraph_blocks(p, public=False)
    blocks.append(
        Block(
            "note",
            text=f"Utdragsbestyrkande: protokollet justerat {meeting.justerat_on.isoformat()}"
            if meeting.justerat_on
            else "Utdragsbestyrkande: paragrafen justerades omedelbart.",
        )
    )
    return Paper(
        doc_type="Protokollsutdrag",
        title=f"Protokollsutdrag § {p.number} {meeting.date.isoformat()}",
        municipality=meeting.committee.municipality.name,
        committee=meeting.committee.name,
        filename=_filename(f"utdrag-{p.number}", meeting),
        meta=(("Sammanträdesdatum", meeting.date.isoformat()), ("Paragraf", f"§ {p.number}")),
        blocks=tuple(blocks),
    )
