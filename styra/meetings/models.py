"""Committee administration (DOMAIN §10, §13): members, meetings, cases, documents,
protocol, justering, anslag and delegation. Modelled after Open Civic Data / OParl:
organisations, posts and memberships with real dates; events (meetings) with agenda items.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from styra.org.models import Municipality, OrgNode, Person

from . import calc


class Publicity(models.TextChoices):
    PUBLIC = "public", "Offentlig"
    PERSONAL_DATA = "personal", "Innehåller personuppgifter"
    SECRET = "secret", "Sekretess"


class LegislativeTerm(models.Model):
    """Mandatperiod: members are elected for a term."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE)
    name = models.CharField("namn", max_length=100)
    start_date = models.DateField("från")
    end_date = models.DateField("till")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "mandatperiod"
        verbose_name_plural = "mandatperioder"
        ordering = ["start_date"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="term_name_unique"),
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")), name="term_range"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class OrganizationKind(models.TextChoices):
    COMMITTEE = "committee", "Nämnd"
    PARTY = "party", "Parti"


class Organization(models.Model):
    """A body people are members of: the nämnd (linked to its OrgNode) or a party."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE)
    kind = models.CharField("typ", max_length=20, choices=OrganizationKind.choices)
    # PROTECT: a committee with members and meetings is closed, never deleted.
    node = models.ForeignKey(
        OrgNode, on_delete=models.PROTECT, null=True, blank=True, related_name="organizations"
    )
    name = models.CharField("namn", max_length=200)
    short_name = models.CharField("förkortning", max_length=40, blank=True)
    start_date = models.DateField("från", null=True, blank=True)
    end_date = models.DateField("till", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "organisation"
        verbose_name_plural = "organisationer"
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "kind", "short_name"], name="organization_short_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Post(models.TextChoices):
    CHAIR = "chair", "Ordförande"
    VICE_CHAIR_1 = "vice1", "1:e vice ordförande"
    VICE_CHAIR_2 = "vice2", "2:e vice ordförande"
    MEMBER = "member", "Ledamot"
    SUBSTITUTE = "substitute", "Ersättare"
    SECRETARY = "secretary", "Nämndsekreterare"


VOTING_POSTS = {Post.CHAIR, Post.VICE_CHAIR_1, Post.VICE_CHAIR_2, Post.MEMBER}


class Membership(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    post = models.CharField("uppdrag", max_length=20, choices=Post.choices)
    party = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="party_memberships",
        verbose_name="parti",
    )
    term = models.ForeignKey(
        LegislativeTerm, on_delete=models.PROTECT, null=True, blank=True, verbose_name="period"
    )
    start_date = models.DateField("från")
    end_date = models.DateField("till", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "uppdrag"
        verbose_name_plural = "uppdrag"
        ordering = ["organization", "post", "person__name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="membership_range",
            ),
            models.UniqueConstraint(
                fields=["person", "organization", "post", "start_date"],
                name="membership_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.get_post_display()}"

    @property
    def voting(self) -> bool:
        return self.post in VOTING_POSTS

    @property
    def label(self) -> str:
        party = f" ({self.party.short_name})" if self.party else ""
        return f"{self.person.name}{party}"

    def active_on(self, day: dt.date) -> bool:
        return self.start_date <= day and (self.end_date is None or self.end_date >= day)


class Location(models.Model):
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE)
    description = models.CharField("plats", max_length=200)
    street_address = models.CharField("adress", max_length=200, blank=True)
    locality = models.CharField("ort", max_length=100, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "plats"
        verbose_name_plural = "platser"
        constraints = [
            models.UniqueConstraint(fields=["municipality", "description"], name="location_unique")
        ]

    def __str__(self) -> str:
        return self.description


class DiaryCounter(models.Model):
    """The last number used in a diarium series; locked with select_for_update."""

    prefix = models.CharField("prefix", max_length=20)
    year = models.PositiveIntegerField("år")
    last_number = models.PositiveIntegerField("senaste nummer", default=0)

    class Meta:
        verbose_name = "diarieserie"
        verbose_name_plural = "diarieserier"
        constraints = [
            models.UniqueConstraint(fields=["prefix", "year"], name="diarycounter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.prefix}/{self.year}: {self.last_number}"


class CaseStatus(models.TextChoices):
    OPEN = "open", "Pågående"
    READY = "ready", "Klar för nämnd"
    DECIDED = "decided", "Beslutad"
    CLOSED = "closed", "Avslutad"


class ReplyKind(models.TextChoices):
    """What a case answers by a date: a remiss (referral for comment) or an audit
    question from the auditors (revisionsfråga)."""

    REFERRAL = "referral", "Remiss"
    AUDIT_QUESTION = "audit_question", "Revisionsfråga"


class Case(models.Model):
    """An ärende; its fields are the one source of the tjänsteskrivelse and the
    ordförandeförslag."""

    committee = models.ForeignKey(OrgNode, on_delete=models.PROTECT, related_name="cases")
    prefix = models.CharField("diarieprefix", max_length=20)
    year = models.PositiveIntegerField("år")
    number = models.PositiveIntegerField("löpnummer")
    classification = models.CharField("klassificering", max_length=40, blank=True)
    title = models.CharField("rubrik", max_length=300)
    handler = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="handled_cases",
        verbose_name="handläggare",
    )
    status = models.CharField(
        "status", max_length=20, choices=CaseStatus.choices, default=CaseStatus.OPEN
    )
    publicity = models.CharField(
        "offentlighet", max_length=20, choices=Publicity.choices, default=Publicity.PUBLIC
    )
    recurring = models.BooleanField("årligt samlingsärende", default=False)
    reply_kind = models.CharField(
        "ska besvaras",
        max_length=20,
        choices=ReplyKind.choices,
        blank=True,
    )
    reply_due = models.DateField("svarsdatum", null=True, blank=True)
    replied_on = models.DateField("besvarad", null=True, blank=True)
    proposal = models.TextField("förslag till beslut", blank=True, help_text="en punkt per rad")
    summary = models.TextField("sammanfattning", blank=True)
    background = models.TextField("ärendet", blank=True)
    economy = models.TextField("ekonomiska konsekvenser", blank=True)
    child_analysis = models.TextField("barnkonsekvensanalys", blank=True)
    equality_analysis = models.TextField("jämlikhetsanalys", blank=True)
    basis = models.TextField("underlag för beslut", blank=True, help_text="en handling per rad")
    distribution = models.TextField("expedieras till", blank=True, help_text="en mottagare per rad")
    signatories = models.TextField(
        "underskrifter", blank=True, help_text="en per rad: Namn | Titel"
    )
    created = models.DateTimeField("registrerad", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "ärende"
        verbose_name_plural = "ärenden"
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["prefix", "year", "number"], name="case_dnr_unique")
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.dnr})"

    @property
    def dnr(self) -> str:
        return calc.DiaryNumber(self.prefix, self.year, self.number).text(
            settings.STYRA_DIARIENUMMER_DIGITS
        )

    @property
    def is_public(self) -> bool:
        return self.publicity == Publicity.PUBLIC

    def clean(self) -> None:
        problems = calc.check_reply(bool(self.reply_kind), self.reply_due, self.replied_on)
        if problems:
            raise ValidationError(problems)  # {field: message}

    def proposal_points(self) -> list[str]:
        return calc.proposal_points(self.proposal)

    def lines(self, field: str) -> list[str]:
        return [line.strip() for line in getattr(self, field).splitlines() if line.strip()]

    def signatory_pairs(self) -> list[tuple[str, str]]:
        out = []
        for line in self.lines("signatories"):
            name, _, title = line.partition("|")
            out.append((name.strip(), title.strip()))
        return out


class DocumentKind(models.TextChoices):
    REPORT = "report", "Tjänsteskrivelse"
    CHAIR_PROPOSAL = "chair", "Ordförandeförslag"
    ATTACHMENT = "attachment", "Bilaga"
    NOTICE = "notice", "Kallelse"
    PROTOCOL = "protocol", "Protokoll"
    DRAFT = "draft", "Protokollsutkast"
    EXTRACT = "extract", "Protokollsutdrag"
    OTHER = "other", "Handling"


def document_path(instance: Document, filename: str) -> str:
    return f"meetings/{instance.sha1[:2]}/{instance.sha1}/{filename}"


class Document(models.Model):
    """A stored file of a case or a meeting, with checksum, size and publicity."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, null=True, blank=True, related_name="documents"
    )
    meeting = models.ForeignKey(
        "Meeting", on_delete=models.CASCADE, null=True, blank=True, related_name="documents"
    )
    paragraph = models.ForeignKey(
        "Paragraph", on_delete=models.CASCADE, null=True, blank=True, related_name="documents"
    )
    kind = models.CharField("typ", max_length=20, choices=DocumentKind.choices)
    title = models.CharField("titel", max_length=300)
    attachment_number = models.PositiveIntegerField("bilaga nr", null=True, blank=True)
    file = models.FileField("fil", upload_to=document_path, max_length=300)
    filename = models.CharField("filnamn", max_length=200)
    mime_type = models.CharField("filtyp", max_length=100)
    size = models.PositiveBigIntegerField("storlek (byte)")
    sha1 = models.CharField(max_length=40)
    sha512 = models.CharField(max_length=128)
    publicity = models.CharField(
        "offentlighet", max_length=20, choices=Publicity.choices, default=Publicity.PUBLIC
    )
    summary = models.TextField("sammanfattning", blank=True)
    created = models.DateTimeField("skapad", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "handling"
        verbose_name_plural = "handlingar"
        ordering = ["kind", "attachment_number", "created"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        if self.publicity != Publicity.PUBLIC:
            return False
        return self.case is None or self.case.is_public


class Calendar(models.Model):
    """Sammanträdesordning: the meeting dates of a year, decided at a meeting."""

    committee = models.ForeignKey(OrgNode, on_delete=models.PROTECT, related_name="calendars")
    year = models.PositiveIntegerField("år")
    decided_at = models.ForeignKey(
        "Meeting",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="calendars_decided",
        verbose_name="beslutad vid",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "sammanträdesordning"
        verbose_name_plural = "sammanträdesordningar"
        constraints = [
            models.UniqueConstraint(fields=["committee", "year"], name="calendar_unique")
        ]

    def __str__(self) -> str:
        return f"Sammanträdesordning {self.year}"


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", "Planerat"
    NOTICE_SENT = "notice", "Kallelse skickad"
    HELD = "held", "Genomfört"
    JUSTERAT = "justerat", "Protokollet justerat"
    CANCELLED = "cancelled", "Inställt"


class Meeting(models.Model):
    committee = models.ForeignKey(OrgNode, on_delete=models.PROTECT, related_name="meetings")
    calendar = models.ForeignKey(
        Calendar, on_delete=models.SET_NULL, null=True, blank=True, related_name="meetings"
    )
    start = models.DateTimeField("börjar")
    end = models.DateTimeField("slutar", null=True, blank=True)
    location = models.ForeignKey(
        Location, on_delete=models.PROTECT, null=True, blank=True, verbose_name="plats"
    )
    is_public = models.BooleanField("offentligt sammanträde", default=False)
    status = models.CharField(
        "status", max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    notice_days = models.PositiveSmallIntegerField("kallelse dagar före", default=7)
    notice_sent_on = models.DateField("kallelse skickad", null=True, blank=True)
    notice_text = models.TextField("meddelande i kallelsen", blank=True)
    reporting_events = models.ManyToManyField(
        "calendar.ReportingEvent", blank=True, related_name="meetings"
    )
    justering_place = models.CharField("justeringens plats", max_length=200, blank=True)
    justering_planned = models.DateField("planerad justering", null=True, blank=True)
    justerat_on = models.DateField("justerat", null=True, blank=True)
    anslag_posted = models.DateField("anslaget uppsatt", null=True, blank=True)
    anslag_taken_down = models.DateField("anslaget nedtaget", null=True, blank=True)
    anslag_late_accepted = models.BooleanField("sent anslag bekräftat", default=False)
    protocol_published = models.BooleanField("protokollet publicerat", default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "sammanträde"
        verbose_name_plural = "sammanträden"
        ordering = ["start"]

    def __str__(self) -> str:
        return f"{self.committee.short_name or self.committee.name} {self.date.isoformat()}"

    @property
    def date(self) -> dt.date:
        from django.utils import timezone

        return timezone.localtime(self.start).date()

    @property
    def is_justerat(self) -> bool:
        return self.justerat_on is not None

    def dates(self) -> calc.ProtocolDates:
        return calc.protocol_dates(
            self.date,
            justerat=self.justerat_on,
            anslag_posted=self.anslag_posted,
            taken_down=self.anslag_taken_down,
        )


class ItemKind(models.TextChoices):
    FORMAL = "formal", "Formalia (upprop, justerare, dagordning)"
    DECISION = "decision", "Beslutsärende"
    INFORMATION = "information", "Informationsärende"
    REPORTED = "reported", "Anmälningsärende"
    DELEGATION = "delegation", "Anmälan av delegationsbeslut"


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveIntegerField("nummer")
    kind = models.CharField("typ", max_length=20, choices=ItemKind.choices)
    title = models.CharField("rubrik", max_length=300)
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, null=True, blank=True, related_name="agenda_items"
    )
    confidential = models.BooleanField("sekretessdelen", default=False)
    presenter = models.CharField("föredragande", max_length=200, blank=True)
    description = models.TextField("beskrivning", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "punkt på ärendelistan"
        verbose_name_plural = "ärendelista"
        ordering = ["meeting", "confidential", "order"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "order"], name="agendaitem_order_unique")
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"

    @property
    def is_public(self) -> bool:
        return not self.confidential and (self.case is None or self.case.is_public)

    @property
    def heading(self) -> str:
        return f"{self.title} ({self.case.dnr})" if self.case else self.title


class DecisionKind(models.TextChoices):
    ADOPTED = "adopted", "Förslaget bifalls"
    AMENDED = "amended", "Bifall med ändring"
    RETURNED = "returned", "Återremiss"
    NOTED = "noted", "Informationen noteras"
    REJECTED = "rejected", "Förslaget avslås"


class Paragraph(models.Model):
    """A § of the protocol; numbers run through the year per committee."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="paragraphs")
    committee = models.ForeignKey(OrgNode, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField("år")
    number = models.PositiveIntegerField("paragraf")
    item = models.OneToOneField(
        AgendaItem, on_delete=models.PROTECT, null=True, blank=True, related_name="paragraph"
    )
    title = models.CharField("rubrik", max_length=300)
    decision_kind = models.CharField(
        "beslut", max_length=20, choices=DecisionKind.choices, default=DecisionKind.ADOPTED
    )
    decision = models.TextField("beslutstext", blank=True)
    reservations = models.TextField("reservationer", blank=True)
    immediate = models.BooleanField("justeras omedelbart", default=False)
    justerad_at = models.DateTimeField("justerad", null=True, blank=True)
    distribution = models.TextField("expedieras till", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "paragraf"
        verbose_name_plural = "paragrafer"
        ordering = ["year", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "year", "number"], name="paragraph_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"§ {self.number} {self.title}"

    @property
    def is_public(self) -> bool:
        return self.item is None or self.item.is_public


class AttendanceKind(models.TextChoices):
    DECIDING = "deciding", "Beslutande"
    SERVING_SUBSTITUTE = "serving", "Tjänstgörande ersättare"
    PRESENT_SUBSTITUTE = "present", "Närvarande ej tjänstgörande ersättare"
    OTHER = "other", "Övriga närvarande"
    ABSENT = "absent", "Frånvarande"


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey(Person, on_delete=models.PROTECT)
    kind = models.CharField("närvaro", max_length=20, choices=AttendanceKind.choices)
    replaces = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    from_paragraph = models.PositiveIntegerField("från §", null=True, blank=True)
    to_paragraph = models.PositiveIntegerField("till §", null=True, blank=True)
    note = models.CharField("anmärkning", max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "närvaro"
        verbose_name_plural = "närvaro"
        ordering = ["kind", "person__name"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person", "kind"], name="attendance_unique")
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_kind_display()})"

    @property
    def paragraphs_label(self) -> str:
        if self.from_paragraph and self.to_paragraph:
            return calc.paragraph_range(list(range(self.from_paragraph, self.to_paragraph + 1)))
        if self.from_paragraph:
            return f"fr.o.m. § {self.from_paragraph}"
        return ""


class Adjuster(models.Model):
    """A justerare; approves the protocol in the web app (who and when recorded)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="adjusters")
    person = models.ForeignKey(Person, on_delete=models.PROTECT)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField("justerat", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "justerare"
        verbose_name_plural = "justerare"
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="adjuster_unique")
        ]

    def __str__(self) -> str:
        return str(self.person)


class Dispatch(models.Model):
    """Expediering: the paragraph sent to one recipient."""

    paragraph = models.ForeignKey(Paragraph, on_delete=models.CASCADE, related_name="dispatches")
    recipient = models.CharField("mottagare", max_length=200)
    email = models.EmailField("e-post", blank=True)
    sent_at = models.DateTimeField("skickad", null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "expediering"
        verbose_name_plural = "expedieringar"
        constraints = [
            models.UniqueConstraint(fields=["paragraph", "recipient"], name="dispatch_unique")
        ]

    def __str__(self) -> str:
        return f"§ {self.paragraph.number} → {self.recipient}"


class DelegationCode(models.Model):
    """A point of the delegationsordning: code, decision type, the delegat roles allowed."""

    committee = models.ForeignKey(
        OrgNode, on_delete=models.PROTECT, related_name="delegation_codes"
    )
    code = models.CharField("punkt", max_length=20)
    decision_type = models.CharField("ärendetyp", max_length=300)
    delegates = models.CharField("delegat", max_length=300, help_text="roller, kommaseparerade")
    valid_from = models.DateField("gäller från", default=dt.date(2000, 1, 1))
    valid_to = models.DateField("gäller till", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "delegationspunkt"
        verbose_name_plural = "delegationsordning"
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "code", "valid_from"], name="delegationcode_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.decision_type}"

    def delegate_roles(self) -> tuple[str, ...]:
        return tuple(r.strip() for r in self.delegates.split(",") if r.strip())


class DelegationDecision(models.Model):
    committee = models.ForeignKey(OrgNode, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(OrgNode, on_delete=models.PROTECT, related_name="delegation_decisions")
    code = models.ForeignKey(DelegationCode, on_delete=models.PROTECT, related_name="decisions")
    date_from = models.DateField("beslutsdatum")
    date_to = models.DateField("t.o.m. (månadslista)", null=True, blank=True)
    decision = models.CharField("beslut", max_length=500)
    dnr = models.CharField("diarienummer", max_length=40, blank=True)
    delegate_role = models.CharField("delegat (roll)", max_length=100)
    delegate_name = models.CharField("delegat (namn)", max_length=200, blank=True)
    personal_details = models.TextField(
        "uppgifter om enskild",
        blank=True,
        help_text="namn o.d. på den beslutet gäller; publiceras aldrig",
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    registered_at = models.DateTimeField("registrerad", auto_now_add=True)
    late = models.BooleanField("registrerad efter sista dag", default=False)
    reported_at = models.ForeignKey(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="delegation_decisions",
        verbose_name="anmäld vid",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "delegationsbeslut"
        verbose_name_plural = "delegationsbeslut"
        ordering = ["unit__sort_order", "unit__name", "date_from"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(date_to__isnull=True)
                | models.Q(date_to__gte=models.F("date_from")),
                name="delegation_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code.code} {self.decision}"

    @property
    def period_label(self) -> str:
        if self.date_to and self.date_to != self.date_from:
            return f"{self.date_from.isoformat()}\u2013{self.date_to.isoformat()}"
        return self.date_from.isoformat()


class VoteChoice(models.TextChoices):
    YES = calc.YES, "Ja"
    NO = calc.NO, "Nej"
    ABSTAIN = calc.ABSTAIN, "Avstår"


class Vote(models.Model):
    """A votering on a paragraph: the two propositions and each member's vote. The
    totals and the outcome are computed from the ballots (calc.vote_totals)."""

    paragraph = models.ForeignKey(Paragraph, on_delete=models.CASCADE, related_name="votes")
    yes_proposal = models.TextField("ja-proposition")
    no_proposal = models.TextField("nej-proposition")
    outcome = models.CharField("utfall", max_length=10, choices=VoteChoice.choices)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "omröstning"
        verbose_name_plural = "omröstningar"
        ordering = ["paragraph", "pk"]

    def __str__(self) -> str:
        return f"Omröstning § {self.paragraph.number}"

    def totals(self) -> calc.VoteTotals:
        return calc.vote_totals([b.choice for b in self.ballots.all()])

    @property
    def winning_proposal(self) -> str:
        return self.yes_proposal if self.outcome == calc.YES else self.no_proposal


class Ballot(models.Model):
    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="ballots")
    person = models.ForeignKey(Person, on_delete=models.PROTECT)
    choice = models.CharField("röst", max_length=10, choices=VoteChoice.choices)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "röst"
        verbose_name_plural = "röster"
        ordering = ["vote", "person__name"]
        constraints = [models.UniqueConstraint(fields=["vote", "person"], name="ballot_unique")]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_choice_display()}"


class DeliveryKind(models.TextChoices):
    NOTICE = "notice", "Kallelse"
    DRAFT = "draft", "Protokollsutkast till justerare"
    EXTRACT = "extract", "Protokollsutdrag"


class Delivery(models.Model):
    """One e-mail sent to one recipient (kallelse, draft protocol, extract): to whom, to
    which address, when, and the error if the mail server refused it."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="deliveries")
    kind = models.CharField("utskick", max_length=20, choices=DeliveryKind.choices)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True)
    recipient = models.CharField("mottagare", max_length=200)
    email = models.EmailField("e-post", blank=True)
    sent_at = models.DateTimeField("skickat", null=True, blank=True)
    error = models.CharField("fel", max_length=500, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField("registrerat", auto_now_add=True)

    class Meta:
        verbose_name = "utskick"
        verbose_name_plural = "utskick"
        ordering = ["meeting", "kind", "recipient"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} till {self.recipient}"


class ChangeRequest(models.Model):
    """A justerare asks the secretary to change the protocol before justering."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="change_requests")
    person = models.ForeignKey(Person, on_delete=models.PROTECT)
    text = models.TextField("begärd ändring")
    created = models.DateTimeField("skickad")
    answered = models.BooleanField("besvarad", default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "begäran om ändring"
        verbose_name_plural = "begäran om ändringar"
        ordering = ["meeting", "created"]

    def __str__(self) -> str:
        return f"{self.person}: {self.text[:40]}"
