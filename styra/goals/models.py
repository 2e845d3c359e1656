"""Goals and measures (DOMAIN §8) and assignments (§9 item 6, §11).

målområde (GoalArea) -> fullmäktiges utvecklingsmål (CouncilGoal, optional) -> nämndens mål
(Goal) -> målsatt mått (Measure) -> values per year and gender (Outcome, Target).
Analysis and assessment of a goal are kept per reporting event (GoalAssessment), as are
per-measure comments (MeasureComment) and assignment status comments (AssignmentStatus).
Years of validity: valid_from_year ("Nytt 2021"), valid_to_year (the last year; "utgår"
the year after), predecessor (a renamed goal or measure).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from styra.calendar.models import ReportingEvent
from styra.org.models import OrgNode

from . import calc


class Validity(models.Model):
    valid_from_year = models.PositiveIntegerField("gäller från år", null=True, blank=True)
    valid_to_year = models.PositiveIntegerField("gäller till och med år", null=True, blank=True)

    class Meta:
        abstract = True

    def valid_in(self, year: int) -> bool:
        return (self.valid_from_year is None or self.valid_from_year <= year) and (
            self.valid_to_year is None or self.valid_to_year >= year
        )

    def clean(self) -> None:
        if (
            self.valid_from_year
            and self.valid_to_year
            and self.valid_to_year < self.valid_from_year
        ):
            raise ValidationError("Sista giltighetsåret ligger före det första.")


def _valid_in_year_q(year: int) -> models.Q:
    return (models.Q(valid_from_year__isnull=True) | models.Q(valid_from_year__lte=year)) & (
        models.Q(valid_to_year__isnull=True) | models.Q(valid_to_year__gte=year)
    )


class ValidityQuerySet(models.QuerySet):
    def valid_in_year(self, year: int):
        return self.filter(_valid_in_year_q(year))


class Listed(Validity):
    """A goal or a measure: kept in an order of its own, valid for some years, and possibly
    the renamed successor of an earlier one (`predecessor`)."""

    sort_order = models.PositiveIntegerField("ordning", default=0)
    predecessor = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="successors",
        verbose_name="föregångare",
    )
    objects = ValidityQuerySet.as_manager()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name


class GoalArea(Validity):
    """Målområde: a numbered area of the municipal vision; KF's numbering is kept."""

    committee = models.ForeignKey(
        OrgNode, on_delete=models.PROTECT, related_name="goal_areas", verbose_name="nämnd"
    )
    number = models.PositiveSmallIntegerField("nummer")
    name = models.CharField("namn", max_length=300)
    history = HistoricalRecords()
    objects = ValidityQuerySet.as_manager()

    class Meta:
        verbose_name = "målområde"
        verbose_name_plural = "målområden"
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "number"], name="goalarea_unique")
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"


class CouncilGoal(Validity):
    """Fullmäktiges utvecklingsmål, code like "1:5"."""

    area = models.ForeignKey(
        GoalArea, on_delete=models.CASCADE, related_name="council_goals", verbose_name="målområde"
    )
    code = models.CharField("kod", max_length=20)
    name = models.CharField("namn", max_length=500)
    history = HistoricalRecords()
    objects = ValidityQuerySet.as_manager()

    class Meta:
        verbose_name = "fullmäktiges utvecklingsmål"
        verbose_name_plural = "fullmäktiges utvecklingsmål"
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["area", "code"], name="councilgoal_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Goal(Listed):
    """Nämndens mål."""

    committee = models.ForeignKey(
        OrgNode, on_delete=models.PROTECT, related_name="goals", verbose_name="nämnd"
    )
    area = models.ForeignKey(
        GoalArea, on_delete=models.PROTECT, related_name="goals", verbose_name="målområde"
    )
    council_goal = models.ForeignKey(
        CouncilGoal,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="goals",
        verbose_name="fullmäktiges utvecklingsmål",
    )
    code = models.CharField("kod", max_length=40)
    name = models.CharField("namn", max_length=500)
    # The unit that writes the analysis; the committee's controller decides the assessment.
    responsible_unit = models.ForeignKey(
        OrgNode,
        on_delete=models.PROTECT,
        related_name="responsible_goals",
        verbose_name="ansvarig enhet",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "nämndmål"
        verbose_name_plural = "nämndmål"
        ordering = ["area__number", "sort_order", "code"]
        constraints = [models.UniqueConstraint(fields=["committee", "code"], name="goal_unique")]


class Unit(models.TextChoices):
    PERCENT = "%", "%"
    COUNT = "antal", "antal"
    KRONOR = "kronor", "kronor"
    WEEKS = "veckor", "veckor"
    DAYS = "dagar", "dagar"
    INDEX = "index", "index"
    KG = "kg", "kg"
    YES_NO = "ja/nej", "Ja/Nej"


class Polarity(models.TextChoices):
    HIGHER = calc.Polarity.HIGHER_BETTER.value, "högre är bättre"
    LOWER = calc.Polarity.LOWER_BETTER.value, "lägre är bättre"


class Source(models.TextChoices):
    MANUAL = "manual", "egen registrering"
    KOLADA = "kolada", "Kolada"
    SURVEY = "survey", "egen enkät"
    LEDGER = "ledger", "huvudboken"


class GenderMeaning(models.TextChoices):
    NONE = calc.GenderMeaning.NONE.value, "ingen könsuppdelning"
    RATE = calc.GenderMeaning.RATE.value, "andel inom varje grupp"
    COMPOSITION = calc.GenderMeaning.COMPOSITION.value, "fördelning (kvinnor + män = 100 %)"


class Measure(Listed):
    """Målsatt mått."""

    goal = models.ForeignKey(
        Goal, on_delete=models.CASCADE, related_name="measures", verbose_name="nämndmål"
    )
    code = models.CharField("kod", max_length=40)
    name = models.CharField("namn", max_length=500)
    unit = models.CharField("enhet", max_length=10, choices=Unit.choices, default=Unit.PERCENT)
    polarity = models.CharField(
        "riktning", max_length=10, choices=Polarity.choices, default=Polarity.HIGHER
    )
    source = models.CharField("källa", max_length=10, choices=Source.choices, default="manual")
    kolada_kpi = models.CharField("Kolada-nyckeltal", max_length=20, blank=True)
    gender_meaning = models.CharField(
        "könsuppdelning", max_length=12, choices=GenderMeaning.choices, default="none"
    )
    owner_unit = models.ForeignKey(
        OrgNode, on_delete=models.PROTECT, related_name="measures", verbose_name="ansvarig enhet"
    )
    footnote = models.CharField("fotnot *)", max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "målsatt mått"
        verbose_name_plural = "målsatta mått"
        ordering = ["goal", "sort_order", "code"]
        constraints = [models.UniqueConstraint(fields=["goal", "code"], name="measure_unique")]

    @property
    def is_split(self) -> bool:
        return self.gender_meaning != GenderMeaning.NONE

    @property
    def calc_polarity(self) -> calc.Polarity:
        return calc.Polarity(self.polarity)


class Gender(models.TextChoices):
    TOTAL = "T", "Totalt"
    WOMEN = "K", "Kvinnor"
    MEN = "M", "Män"


class Outcome(models.Model):
    """Utfall per measure, year and gender. No row or value None = missing, never zero."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="outcomes")
    year = models.PositiveIntegerField("år")
    gender = models.CharField("kön", max_length=1, choices=Gender.choices, default="T")
    # Ja/Nej measures store 1 (Ja) or 0 (Nej).
    value = models.DecimalField("utfall", max_digits=14, decimal_places=4, null=True, blank=True)
    missing_reason = models.CharField("orsak till att värde saknas", max_length=200, blank=True)
    source = models.CharField("källa", max_length=10, choices=Source.choices, default="manual")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "utfall"
        verbose_name_plural = "utfall"
        ordering = ["measure", "year", "gender"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "year", "gender"], name="outcome_unique")
        ]

    def __str__(self) -> str:
        return f"{self.measure} {self.year} {self.gender}: {self.value}"


class TargetKind(models.TextChoices):
    NUMBER = calc.TargetKind.NUMBER.value, "tal"
    INCREASE = calc.TargetKind.INCREASE.value, "Ökar"
    DECREASE = calc.TargetKind.DECREASE.value, "Minskar"
    YES_NO = calc.TargetKind.YES_NO.value, "Ja/Nej"
    RANGE = calc.TargetKind.RANGE.value, "intervall"


class Target(models.Model):
    """Mål per measure, year and gender (usually Totalt); several years for the yttrande."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="targets")
    year = models.PositiveIntegerField("år")
    gender = models.CharField("kön", max_length=1, choices=Gender.choices, default="T")
    kind = models.CharField("måltyp", max_length=10, choices=TargetKind.choices)
    value = models.DecimalField("målvärde", max_digits=14, decimal_places=4, null=True, blank=True)
    low = models.DecimalField("från", max_digits=14, decimal_places=4, null=True, blank=True)
    high = models.DecimalField("till", max_digits=14, decimal_places=4, null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "mål"
        verbose_name_plural = "mål"
        ordering = ["measure", "year", "gender"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "year", "gender"], name="target_unique"),
            models.CheckConstraint(
                condition=~models.Q(kind__in=["number", "yes_no"]) | models.Q(value__isnull=False),
                name="target_value_needed",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="range")
                | models.Q(low__isnull=False, high__isnull=False, low__lte=models.F("high")),
                name="target_range_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.measure} {self.year}: {self.as_calc().label()}"

    def as_calc(self) -> calc.Target:
        return calc.Target(calc.TargetKind(self.kind), self.value, self.low, self.high)


class Level(models.TextChoices):
    GOOD = calc.Level.GOOD.value, calc.LEVEL_LABELS[calc.Level.GOOD]
    ACCEPTABLE = calc.Level.ACCEPTABLE.value, calc.LEVEL_LABELS[calc.Level.ACCEPTABLE]
    NOT_ACCEPTABLE = calc.Level.NOT_ACCEPTABLE.value, calc.LEVEL_LABELS[calc.Level.NOT_ACCEPTABLE]
    NOT_ASSESSABLE = calc.Level.NOT_ASSESSABLE.value, calc.LEVEL_LABELS[calc.Level.NOT_ASSESSABLE]


class GoalAssessment(models.Model):
    """A goal at one reporting event: analysis, the software's suggestion, the decision."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="assessments")
    event = models.ForeignKey(
        ReportingEvent, on_delete=models.PROTECT, related_name="goal_assessments"
    )
    analysis = models.TextField("analys", blank=True)
    # Klarmarkering of the analysis by the responsible unit (the status view counts it).
    analysis_ready = models.BooleanField("analysen klar", default=False)
    analysis_ready_at = models.DateTimeField("analysen klarmarkerad", null=True, blank=True)
    analysis_ready_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    suggested_level = models.CharField("förslag", max_length=20, choices=Level.choices, blank=True)
    suggestion_reason = models.CharField("grund för förslaget", max_length=300, blank=True)
    decided_level = models.CharField("bedömning", max_length=20, choices=Level.choices, blank=True)
    motivation = models.TextField("motivering", blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField("bedömd", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "målbedömning"
        verbose_name_plural = "målbedömningar"
        constraints = [
            models.UniqueConstraint(fields=["goal", "event"], name="goalassessment_unique")
        ]

    def __str__(self) -> str:
        return f"{self.goal} ({self.event.code})"

    def clean(self) -> None:
        if (
            self.decided_level
            and self.suggested_level
            and self.decided_level != self.suggested_level
            and not self.motivation.strip()
        ):
            raise ValidationError(
                {"motivation": "Motivera varför bedömningen avviker från förslaget."}
            )


class MeasureComment(models.Model):
    """A per-measure comment row of the measure table, at one reporting event."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="comments")
    event = models.ForeignKey(
        ReportingEvent, on_delete=models.PROTECT, related_name="measure_comments"
    )
    text = models.TextField("kommentar", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "kommentar till mått"
        verbose_name_plural = "kommentarer till mått"
        constraints = [
            models.UniqueConstraint(fields=["measure", "event"], name="measurecomment_unique")
        ]

    def __str__(self) -> str:
        return f"{self.measure} ({self.event.code})"


class AssignmentOrigin(models.TextChoices):
    COUNCIL = "kf", "Kommunfullmäktige"
    COMMITTEE = "namnd", "Nämnden"


class Assignment(models.Model):
    """Uppdrag from KF or the committee."""

    committee = models.ForeignKey(
        OrgNode, on_delete=models.PROTECT, related_name="assignments", verbose_name="nämnd"
    )
    code = models.CharField("kod", max_length=40)
    title = models.CharField("rubrik", max_length=300)
    description = models.TextField("beskrivning", blank=True)
    origin = models.CharField("givet av", max_length=10, choices=AssignmentOrigin.choices)
    origin_reference = models.CharField("beslut/källa", max_length=200, blank=True)
    year = models.PositiveIntegerField("år")
    deadline = models.DateField("klart senast", null=True, blank=True)
    responsible_unit = models.ForeignKey(
        OrgNode,
        on_delete=models.PROTECT,
        related_name="responsible_assignments",
        verbose_name="ansvarig enhet",
    )
    done = models.BooleanField("klart", default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "uppdrag"
        verbose_name_plural = "uppdrag"
        ordering = ["year", "deadline", "code"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "code"], name="assignment_unique")
        ]

    def __str__(self) -> str:
        return self.title


class AssignmentStatus(models.Model):
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="statuses")
    event = models.ForeignKey(
        ReportingEvent, on_delete=models.PROTECT, related_name="assignment_statuses"
    )
    comment = models.TextField("kommentar")
    done = models.BooleanField("klart", default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "uppdragsstatus"
        verbose_name_plural = "uppdragsstatus"
        constraints = [
            models.UniqueConstraint(fields=["assignment", "event"], name="assignmentstatus_unique")
        ]

    def __str__(self) -> str:
        return f"{self.assignment} ({self.event.code})"
