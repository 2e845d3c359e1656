"""Finance: reporting events, budget, periodisation, forecasts, investments, volumes."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from styra.lib.periods import ReportingEventCode
from styra.org.models import OrgNode


class EventStatus(models.TextChoices):
    OPEN = "open", "Öppen"
    SUBMITTED = "submitted", "Inlämnad"
    APPROVED = "approved", "Godkänd av nämnden"
    SENT = "sent", "Skickad till KS"


class LockedError(ValidationError):
    """A change to figures of an approved (locked) reporting event."""


class ReportingEvent(models.Model):
    """One reporting occasion of a committee: 2020-D2, 2021-T1, 2019-06, 2020-VB, 2020-P3."""

    committee = models.ForeignKey(
        OrgNode, on_delete=models.PROTECT, related_name="reporting_events", verbose_name="nämnd"
    )
    year = models.PositiveIntegerField("år")
    code = models.CharField("kod", max_length=10, help_text="t.ex. 2020-D2, 2019-06, 2020-VB")
    name = models.CharField("namn", max_length=100)
    cutoff_period = models.PositiveSmallIntegerField("t.o.m. period")
    deadline = models.DateField("sista dag för underlag", null=True, blank=True)
    status = models.CharField(
        "status", max_length=20, choices=EventStatus.choices, default=EventStatus.OPEN
    )
    approved_at = models.DateTimeField("godkänd", null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "rapporttillfälle"
        verbose_name_plural = "rapporttillfällen"
        ordering = ["year", "cutoff_period", "code"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "code"], name="event_code_unique"),
            models.CheckConstraint(
                condition=models.Q(cutoff_period__gte=1, cutoff_period__lte=13),
                name="event_cutoff_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.committee.short_name or self.committee.name})"

    @property
    def parsed_code(self) -> ReportingEventCode:
        return ReportingEventCode.parse(self.code)

    @property
    def is_locked(self) -> bool:
        return self.status in (EventStatus.APPROVED, EventStatus.SENT)

    def ensure_open(self) -> None:
        """Raise LockedError, saying why, if the event's figures may no longer change."""
        if self.is_locked:
            when = self.approved_at.date().isoformat() if self.approved_at else "tidigare"
            raise LockedError(
                f"{self.name} är godkänd av nämnden ({when}) och är låst. Rättelser förs in "
                "i nästa rapporttillfälle."
            )


class Profile(models.TextChoices):
    EVEN = "even", "Jämn (tolftedelar)"
    DAYS = "days", "Kalenderdagar"
    CUSTOM = "custom", "Egen månadsprofil"
    LAST_YEAR = "last_year", "Fjolårets utfallsmönster"


def _money(verbose: str, **kw) -> models.DecimalField:
    return models.DecimalField(verbose, max_digits=18, decimal_places=2, **kw)


class BudgetLine(models.Model):
    """The original annual budget (ingående budget) of a unit and report row, report sign
    (revenue +, cost −), with the profile that spreads it over the months."""

    unit = models.ForeignKey(OrgNode, on_delete=models.PROTECT, related_name="budget_lines")
    year = models.PositiveIntegerField("år")
    row_code = models.CharField("rapportrad", max_length=20)
    amount = _money("årsbudget (kr)")
    profile = models.CharField(
        "periodisering", max_length=20, choices=Profile.choices, default=Profile.EVEN
    )
    weights = models.JSONField("månadsvikter", default=list, blank=True)  # 12 numbers as strings
    history = HistoricalRecords()

    class Meta:
        verbose_name = "budgetrad"
        verbose_name_plural = "budgetrader"
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "row_code"], name="budget_line_unique")
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.year} {self.row_code}: {self.amount}"


class ChangeKind(models.TextChoices):
    SUPPLEMENTARY = "tillaggsbudget", "Tilläggsbudget"
    FRAME = "ramjustering", "Ramjustering"
    TRANSFER = "omfordelning", "Omfördelning mellan nämnder"


class BudgetChange(models.Model):
    """A decided change of the budget during the year; current budget = original + changes."""

    unit = models.ForeignKey(OrgNode, on_delete=models.PROTECT, related_name="budget_changes")
    year = models.PositiveIntegerField("år")
    row_code = models.CharField("rapportrad", max_length=20)
    amount = _money("belopp (kr)")
    date = models.DateField("beslutsdatum")
    kind = models.CharField("typ", max_length=20, choices=ChangeKind.choices)
    decision = models.CharField("beslut", max_length=60, help_text="t.ex. KS/2018:311")
    text = models.TextField("beskrivning", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "budgetförändring"
        verbose_name_plural = "budgetförändringar"
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.decision}: {self.amount}"


class Character(models.TextChoices):
    NONE = "", "Ej angiven"
    RECURRING = "recurring", "Återkommande"
    ONE_OFF = "one_off", "Engångs"


class Forecast(models.Model):
    """A unit's full-year forecast for a report row at a reporting event (report sign)."""

    event = models.ForeignKey(ReportingEvent, on_delete=models.PROTECT, related_name="forecasts")
    unit = models.ForeignKey(OrgNode, on_delete=models.PROTECT, related_name="forecasts")
    row_code = models.CharField("rapportrad", max_length=20)
    amount = _money("helårsprognos (kr)")
    comment = models.TextField("kommentar", blank=True)
    character = models.CharField(
        "avvikelsens karaktär", max_length=20, choices=Character.choices, default="", blank=True
    )
    changed_at = models.DateTimeField("ändrad", auto_now=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "prognos"
        verbose_name_plural = "prognoser"
        constraints = [
            models.UniqueConstraint(fields=["event", "unit", "row_code"], name="forecast_unique")
        ]

    def __str__(self) -> str:
        return f"{self.event.code} {self.unit} {self.row_code}: {self.amount}"


class ForecastReady(models.Model):
    """Klarmarkering: the unit says its forecast for the event is ready."""

    event = models.ForeignKey(ReportingEvent, on_delete=models.CASCADE, related_name="ready")
    unit = models.ForeignKey(OrgNode, on_delete=models.CASCADE, related_name="+")
    ready_at = models.DateTimeField("klarmarkerad", auto_now_add=True)
    ready_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "klarmarkering"
        verbose_name_plural = "klarmarkeringar"
        constraints = [models.UniqueConstraint(fields=["event", "unit"], name="ready_unique")]

    def __str__(self) -> str:
        return f"{self.unit} klar för {self.event.code}"


class AssumptionStatus(models.TextChoices):
    UNCERTAIN = "uncertain", "Osäker"
    EXPECTED = "expected", "Förväntad"
    DECIDED = "decided", "Beslutad"
    NOT_REALISED = "not_realised", "Blev inte av"


class Assumption(models.Model):
    """ "Prognosen förutsätter att …": what the forecast depends on."""

    event = models.ForeignKey(ReportingEvent, on_delete=models.CASCADE, related_name="assumptions")
    text = models.TextField("antagande")
    amount = _money("belopp (kr)", null=True, blank=True)
    status = models.CharField(
        "status",
        max_length=20,
        choices=AssumptionStatus.choices,
        default=AssumptionStatus.UNCERTAIN,
    )
    order = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "antagande"
        verbose_name_plural = "antaganden"
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class ProjectKind(models.TextChoices):
    ANNUAL = "annual", "Årligt projekt"
    MULTI_YEAR = "multi_year", "Flerårigt projekt"


class ProjectCategory(models.TextChoices):
    EQUIPMENT = "inventarier", "Inventarier"
    REINVESTMENT = "reinvestering", "Reinvestering"
    PROPERTY = "fastighet", "Fastighet"


class InvestmentProject(models.Model):
    committee = models.ForeignKey(OrgNode, on_delete=models.PROTECT, related_name="investments")
    number = models.CharField("projektnummer", max_length=20)
    name = models.CharField("namn", max_length=200)
    kind = models.CharField("slag", max_length=20, choices=ProjectKind.choices)
    category = models.CharField("kategori", max_length=20, choices=ProjectCategory.choices)
    unit = models.ForeignKey(
        OrgNode, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    run_by = models.CharField("genomförs av", max_length=100, blank=True)
    status = models.TextField("status", blank=True)
    comment = models.TextField("kommentar", blank=True)
    decided_year = models.PositiveIntegerField("beslutsår", null=True, blank=True)
    decided_total = _money("beslutad totalbudget (kr)", default=0)
    new_total = _money("ny totalbudget (kr)", null=True, blank=True)
    outcome_before = _money("ackumulerat utfall före året (kr)", default=0)
    go_live = models.DateField("driftsättning (månad)", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "investeringsprojekt"
        verbose_name_plural = "investeringsprojekt"
        ordering = ["kind", "number"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "number"], name="project_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"


class InvestmentPlan(models.Model):
    project = models.ForeignKey(InvestmentProject, on_delete=models.CASCADE, related_name="plan")
    year = models.PositiveIntegerField("år")
    amount = _money("budget (kr)")
    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project", "year"], name="plan_year_unique")]

    def __str__(self) -> str:
        return f"{self.project.number} {self.year}: {self.amount}"


class InvestmentForecast(models.Model):
    project = models.ForeignKey(
        InvestmentProject, on_delete=models.CASCADE, related_name="forecasts"
    )
    event = models.ForeignKey(ReportingEvent, on_delete=models.PROTECT, related_name="+")
    amount = _money("prognos (kr)")
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "event"], name="inv_forecast_unique")
        ]

    def __str__(self) -> str:
        return f"{self.project.number} {self.event.code}: {self.amount}"


class GoLiveRevision(models.Model):
    """A dated change of a project's go-live month (driftsättning)."""

    project = models.ForeignKey(
        InvestmentProject, on_delete=models.CASCADE, related_name="revisions"
    )
    changed_on = models.DateField("ändrad")
    go_live = models.DateField("ny driftsättning")
    reason = models.TextField("skäl", blank=True)

    class Meta:
        ordering = ["changed_on"]

    def __str__(self) -> str:
        return f"{self.project.number}: {self.go_live:%Y-%m} ({self.changed_on})"


class VolumeType(models.Model):
    committee = models.ForeignKey(OrgNode, on_delete=models.PROTECT, related_name="volume_types")
    unit = models.ForeignKey(OrgNode, on_delete=models.PROTECT, related_name="volume_types_of_unit")
    code = models.CharField("kod", max_length=40)
    name = models.CharField("verksamhet", max_length=200)
    measure = models.CharField("enhet", max_length=100, help_text="t.ex. Antal årsplatser")
    # Key ratios shown for the volume: [{"label": "Kostnad / årsplats", "basis": "net"}];
    # basis "net" = net outcome ÷ volume, "gross" = costs only ÷ volume.
    ratios = models.JSONField("nyckeltal", default=list, blank=True)
    order = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "code"], name="volume_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.measure})"


class VolumeValue(models.Model):
    """An outcome (period), a budget (event null, kind budget) or a forecast of a volume."""

    class Kind(models.TextChoices):
        OUTCOME = "outcome", "Utfall"
        BUDGET = "budget", "Budget"
        FORECAST = "forecast", "Prognos"

    volume = models.ForeignKey(VolumeType, on_delete=models.CASCADE, related_name="values")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    year = models.PositiveIntegerField()
    period = models.PositiveSmallIntegerField(null=True, blank=True)  # outcome: through period
    event = models.ForeignKey(ReportingEvent, on_delete=models.PROTECT, null=True, blank=True)
    value = models.DecimalField(max_digits=14, decimal_places=2)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["volume", "kind", "year", "period", "event"],
                name="volume_value_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.volume.code} {self.kind} {self.year}: {self.value}"


class StaffFigure(models.Model):
    """Årsarbetare and anställda of a unit: outcome at a period, or budget/forecast."""

    unit = models.ForeignKey(OrgNode, on_delete=models.PROTECT, related_name="staff_figures")
    kind = models.CharField(max_length=10, choices=VolumeValue.Kind.choices)
    year = models.PositiveIntegerField()
    period = models.PositiveSmallIntegerField(null=True, blank=True)
    event = models.ForeignKey(ReportingEvent, on_delete=models.PROTECT, null=True, blank=True)
    fte = models.DecimalField("årsarbetare", max_digits=10, decimal_places=2, null=True, blank=True)
    employees = models.PositiveIntegerField("anställda", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "kind", "year", "period", "event"],
                name="staff_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.kind} {self.year}"


class InterestRate(models.Model):
    """The municipality's internal interest rate (internränta) for a year, in percent."""

    municipality = models.ForeignKey("org.Municipality", on_delete=models.CASCADE)
    year = models.PositiveIntegerField("år")
    rate = models.DecimalField("ränta (%)", max_digits=5, decimal_places=2)
    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["municipality", "year"], name="rate_unique")]

    def __str__(self) -> str:
        return f"{self.year}: {self.rate} %"


# Economic life per category in years (reference papers: inventarier 10, reinvestering 3).
LIFE_YEARS = {"inventarier": 10, "reinvestering": 3, "fastighet": 33}
