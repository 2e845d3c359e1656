"""Internal control and the registers a committee keeps (DOMAIN §11, §13).

- Internkontrollplan: a plan per committee and year (revised during the year, each
  revision kept as a numbered version), risks by area with sannolikhet and konsekvens
  (riskvärde computed), controls per risk with their sample rule and months, results per
  performance and actions with a responsible person and a due date.
- Ej verkställda beslut: social-services decisions not carried out within three months,
  with a status per quarter. The person's name and identity number are identifiable data:
  only the CONFIDENTIAL capability reads them (the IVO report); the public report counts.
- Audit answers: a revisionsrapport on a case, its revisionsfrågor with the auditors'
  assessment, recommendations with the committee's answer and actions; the yttrande is
  generated from them.
- Handlingsplaner: SAM, work environment and crime prevention plans with a status per
  reporting event; the yearly SAM checklist per verksamhet.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from styra.calendar.models import ReportingEvent
from styra.meetings.models import Case
from styra.org.models import OrgNode, Person

from . import calc

GRADE = [MinValueValidator(1), MaxValueValidator(4)]


class ControlPlan(models.Model):
    committee = models.ForeignKey(
        OrgNode, on_delete=models.PROTECT, related_name="control_plans", verbose_name="nämnd"
    )
    year = models.PositiveIntegerField("år")
    version = models.PositiveIntegerField("version", default=1)
    adopted_on = models.DateField("antagen", null=True, blank=True)
    revised_on = models.DateField("senast reviderad", null=True, blank=True)
    introduction = models.TextField("inledning", blank=True)
    case = models.ForeignKey(
        Case, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "internkontrollplan"
        verbose_name_plural = "internkontrollplaner"
        constraints = [
            models.UniqueConstraint(fields=["committee", "year"], name="controlplan_unique")
        ]

    def __str__(self) -> str:
        return f"Internkontrollplan {self.year} – {self.committee.name}"


class PlanVersion(models.Model):
    """A revision of the plan as it was adopted: the risks and controls frozen as JSON."""

    plan = models.ForeignKey(ControlPlan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField("version")
    decided_on = models.DateField("beslutad")
    note = models.TextField("vad som ändrades", blank=True)
    content = models.JSONField("innehåll")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="planversion_unique")
        ]

    def __str__(self) -> str:
        return f"{self.plan} version {self.number}"


class Risk(models.Model):
    plan = models.ForeignKey(ControlPlan, on_delete=models.CASCADE, related_name="risks")
    area = models.CharField("område", max_length=200)
    name = models.TextField("risk")
    owner_tag = models.CharField("ägare", max_length=100, blank=True)
    likelihood = models.PositiveSmallIntegerField("sannolikhet", validators=GRADE)
    consequence = models.PositiveSmallIntegerField("konsekvens", validators=GRADE)
    motivation = models.TextField("motivering", blank=True)
    order = models.PositiveIntegerField("ordning", default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(likelihood__gte=1, likelihood__lte=4)
                & models.Q(consequence__gte=1, consequence__lte=4),
                name="risk_grades_1_4",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def value(self) -> int:
        return calc.risk_value(self.likelihood, self.consequence)

    @property
    def level(self) -> str:
        return calc.risk_level(self.value)

    @property
    def likelihood_label(self) -> str:
        return calc.LIKELIHOOD_LABELS[self.likelihood]

    @property
    def consequence_label(self) -> str:
        return calc.CONSEQUENCE_LABELS[self.consequence]


class Control(models.Model):
    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="controls")
    name = models.CharField("kontroll", max_length=300)
    description = models.TextField("beskrivning", blank=True)
    method = models.CharField("metod", max_length=100, blank=True, help_text="t.ex. stickprov")
    sample_rule = models.TextField("urval", blank=True)
    sample_percent = models.DecimalField(
        "urval, procent", max_digits=5, decimal_places=2, null=True, blank=True
    )
    sample_minimum = models.PositiveIntegerField("urval, minst antal", null=True, blank=True)
    sample_per = models.CharField("urval per", max_length=20, blank=True)
    months = models.JSONField("månader", default=list)
    responsible_role = models.CharField("ansvarig funktion", max_length=200, blank=True)
    responsible = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="controls",
        verbose_name="ansvarig",
    )
    order = models.PositiveIntegerField("ordning", default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["risk__order", "order", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def months_label(self) -> str:
        return calc.months_label(tuple(self.months)) if self.months else "–"

    @property
    def rule(self) -> calc.SampleRule:
        return calc.SampleRule(self.sample_percent, self.sample_minimum, self.sample_per)


class Assessment(models.TextChoices):
    OK = "ok", "Utan anmärkning"
    DEFICIENT = "deficient", "Med brister"


class ControlResult(models.Model):
    control = models.ForeignKey(Control, on_delete=models.CASCADE, related_name="results")
    performed_on = models.DateField("utförd")
    checked = models.TextField("vad som kontrollerades")
    population = models.PositiveIntegerField("antal i populationen", null=True, blank=True)
    sample_size = models.PositiveIntegerField("antal i stickprovet", null=True, blank=True)
    findings = models.TextField("iakttagelser", blank=True)
    assessment = models.CharField("bedömning", max_length=20, choices=Assessment.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField("registrerad", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["control", "performed_on", "pk"]

    def __str__(self) -> str:
        return f"{self.control.name} {self.performed_on:%Y-%m-%d}"


class AuditAnswer(models.TextChoices):
    YES = "ja", "Ja"
    PARTLY = "delvis", "Delvis"
    NO = "nej", "Nej"


class AuditReport(models.Model):
    """A revisionsrapport the committee must answer by a date (with an extension)."""

    committee = models.ForeignKey(
        OrgNode, on_delete=models.PROTECT, related_name="audit_reports", verbose_name="nämnd"
    )
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="audit_reports")
    title = models.CharField("granskning", max_length=400)
    auditor = models.CharField("revisorer", max_length=200, blank=True)
    letter_date = models.DateField("revisionsskrivelsens datum")
    deadline = models.DateField("sista dag för yttrandet")
    extended_to = models.DateField("anstånd till", null=True, blank=True)
    conclusion = models.TextField("revisorernas samlade bedömning", blank=True)
    introduction = models.TextField("yttrandets inledning", blank=True)
    answered_on = models.DateField("yttrandet beslutat", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "revisionsrapport"
        verbose_name_plural = "revisionsrapporter"
        ordering = ["-letter_date", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def effective_deadline(self):
        return calc.effective_deadline(self.deadline, self.extended_to)


class AuditQuestion(models.Model):
    report = models.ForeignKey(AuditReport, on_delete=models.CASCADE, related_name="questions")
    text = models.TextField("revisionsfråga")
    assessment = models.CharField("bedömning", max_length=10, choices=AuditAnswer.choices)
    order = models.PositiveIntegerField("ordning", default=0)

    class Meta:
        ordering = ["report", "order", "pk"]

    def __str__(self) -> str:
        return self.text


class Recommendation(models.Model):
    report = models.ForeignKey(
        AuditReport, on_delete=models.CASCADE, related_name="recommendations"
    )
    text = models.TextField("rekommendation")
    answer = models.TextField("nämndens svar", blank=True)
    order = models.PositiveIntegerField("ordning", default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["report", "order", "pk"]

    def __str__(self) -> str:
        return self.text


class Action(models.Model):
    """Something to do by a date, after a control result with brister or an audit
    recommendation; shown on the responsible person's start page until done."""

    committee = models.ForeignKey(OrgNode, on_delete=models.PROTECT, related_name="+")
    result = models.ForeignKey(
        ControlResult, on_delete=models.CASCADE, null=True, blank=True, related_name="actions"
    )
    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, null=True, blank=True, related_name="actions"
    )
    description = models.TextField("åtgärd")
    responsible = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="control_actions",
        verbose_name="ansvarig",
    )
    responsible_role = models.CharField("ansvarig funktion", max_length=200, blank=True)
    due_on = models.DateField("klart senast")
    done_on = models.DateField("klar", null=True, blank=True)
    follow_up = models.TextField("uppföljning", blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(result__isnull=False) | models.Q(recommendation__isnull=False),
                name="action_has_origin",
            )
        ]

    def __str__(self) -> str:
        return self.description

    @property
    def responsible_text(self) -> str:
        return self.responsible.name if self.responsible else self.responsible_role


# ------------------------------------------------------------------ ej verkställda beslut


class Law(models.TextChoices):
    SOL = "sol", "SoL 4 kap. 1 §"
    LSS = "lss", "LSS 9 §"


class DecisionType(models.TextChoices):
    BOENDESTOD = "boendestod", "Boendestöd"
    KONTAKTPERSON = "kontaktperson", "Kontaktperson"
    KONTAKTFAMILJ = "kontaktfamilj", "Kontaktfamilj"
    OPPENVARD = "oppenvard", "Öppenvårdsverksamhet"
    BOSTAD = "bostad", "Bostad (stöd-, ungdoms-, övergångsboende, bostadsanskaffning)"
    TRANINGSLAGENHET = "traningslagenhet", "Träningslägenhet"
    SYSSELSATTNING = "sysselsattning", "Sysselsättning"
    ANNAT = "annat", "Annat bistånd"


class Gender(models.TextChoices):
    WOMAN = "k", "Kvinna"
    MAN = "m", "Man"
    OTHER = "x", "Annat eller okänt"


class AgeGroup(models.TextChoices):
    CHILD = "0-17", "0–17 år"
    YOUNG = "18-20", "18–20 år"
    ADULT = "21-64", "21–64 år"
    OLDER = "65-", "65 år eller äldre"


class DelayReason(models.TextChoices):
    RESOURCE = "resurs", "Brist på resurser (plats, lägenhet, uppdragstagare)"
    CLIENT_NEEDS = "sarskilda_behov", "Den enskildes särskilda önskemål eller behov"
    UNREACHABLE = "ej_anträffbar", "Den enskilde har inte gått att nå"
    DECLINED = "tackat_nej", "Den enskilde har tackat nej eller återtagit ansökan"
    OTHER = "annat", "Annat skäl"


class UnexecutedDecision(models.Model):
    """A gynnande beslut not carried out within three months. person_name and
    person_number are identifiable (IVO only); everything else is reported in counts."""

    committee = models.ForeignKey(OrgNode, on_delete=models.PROTECT, related_name="+")
    reference = models.CharField("ärendereferens", max_length=40)
    person_name = models.CharField("namn", max_length=200)
    person_number = models.CharField("personnummer", max_length=13)
    law = models.CharField("lagrum", max_length=10, choices=Law.choices, default=Law.SOL)
    decision_type = models.CharField("beslutstyp", max_length=30, choices=DecisionType.choices)
    decision_date = models.DateField("beslutsdatum")
    gender = models.CharField("kön", max_length=1, choices=Gender.choices)
    age_group = models.CharField("åldersgrupp", max_length=10, choices=AgeGroup.choices)
    reason = models.CharField("skäl till dröjsmålet", max_length=30, choices=DelayReason.choices)
    reason_text = models.TextField("skälet i ord (till IVO)", blank=True)
    executed_on = models.DateField("verkställt", null=True, blank=True)
    closed_on = models.DateField("avslutat", null=True, blank=True)
    closed_reason = models.TextField("skäl till avslut", blank=True)
    # History would copy the identifiable fields into a second table; the quarterly
    # statuses are the register's history.

    class Meta:
        verbose_name = "ej verkställt beslut"
        verbose_name_plural = "ej verkställda beslut"
        ordering = ["decision_date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "reference"], name="unexecuted_reference_unique"
            )
        ]

    def __str__(self) -> str:
        # Never the person: str() ends up in logs and error pages.
        return f"{self.get_decision_type_display()} {self.decision_date:%Y-%m-%d}"

    @property
    def three_months_date(self):
        return calc.three_months_after(self.decision_date)


class QuarterReport(models.Model):
    """A decision's line in one quarter's report (2023-K2): its status then."""

    decision = models.ForeignKey(
        UnexecutedDecision, on_delete=models.CASCADE, related_name="quarters"
    )
    year = models.PositiveIntegerField("år")
    quarter = models.PositiveSmallIntegerField("kvartal")
    status = models.CharField("status", max_length=20, choices=list(calc.STATUS_LABELS.items()))

    class Meta:
        ordering = ["year", "quarter", "decision__decision_date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "year", "quarter"], name="quarterreport_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.decision} {self.year}-K{self.quarter}"


# ------------------------------------------------------------------ handlingsplaner


class PlanKind(models.TextChoices):
    SAM = "sam", "Systematiskt arbetsmiljöarbete (SAM)"
    WORK_ENVIRONMENT = "arbetsmiljo", "Arbetsmiljö"
    CRIME_PREVENTION = "brottsforebyggande", "Brottsförebyggande arbete"


class ActionPlan(models.Model):
    node = models.ForeignKey(OrgNode, on_delete=models.PROTECT, related_name="action_plans")
    kind = models.CharField("slag", max_length=30, choices=PlanKind.choices)
    year = models.PositiveIntegerField("år")
    title = models.CharField("rubrik", max_length=300)

    class Meta:
        ordering = ["year", "kind", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["node", "kind", "year"], name="actionplan_unique")
        ]

    def __str__(self) -> str:
        return self.title


class ActionPlanItem(models.Model):
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="items")
    area = models.CharField("område", max_length=200, blank=True)
    goal = models.TextField("mål", blank=True)
    action = models.TextField("åtgärd")
    responsible_role = models.CharField("ansvarig", max_length=200)
    due_on = models.DateField("klart när")
    follow_up_on = models.CharField("följs upp", max_length=40, blank=True)
    order = models.PositiveIntegerField("ordning", default=0)

    class Meta:
        ordering = ["plan", "order", "pk"]

    def __str__(self) -> str:
        return self.action


class ItemStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Ej påbörjad"
    ONGOING = "ongoing", "Pågår"
    DONE = "done", "Genomförd"


class ActionPlanStatus(models.Model):
    item = models.ForeignKey(ActionPlanItem, on_delete=models.CASCADE, related_name="statuses")
    event = models.ForeignKey(ReportingEvent, on_delete=models.PROTECT, related_name="+")
    status = models.CharField("status", max_length=20, choices=ItemStatus.choices)
    comment = models.TextField("kommentar", blank=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item", "event"], name="actionplanstatus_unique")
        ]

    def __str__(self) -> str:
        return f"{self.item} {self.event.code}"


class SamCheck(models.Model):
    """One step of the yearly SAM follow-up of a verksamhet: done (Ja/Nej) and why not."""

    node = models.ForeignKey(OrgNode, on_delete=models.PROTECT, related_name="sam_checks")
    year = models.PositiveIntegerField("år")
    step = models.CharField("steg", max_length=300)
    done = models.BooleanField("genomfört")
    reason = models.TextField("orsak om nej", blank=True)
    order = models.PositiveIntegerField("ordning", default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["node", "year", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["node", "year", "step"], name="samcheck_unique")
        ]

    def __str__(self) -> str:
        return self.step
