"""Finance: budget, periodisation, forecasts, investments, volumes (events: styra.calendar)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from styra.calendar.models import ReportingEvent
from styra.org.models import OrgNode


class Profile(models.TextChoices):
    EVEN = "even", "Jämn (tolftedelar)"
    DAYS = "days", "Kalenderdagar"
    CUSTOM = "custom", "Egen månadsprofil"
    LAST_YEAR = "last_year", "Fjolårets utfallsmönster"


def money_field(verbose: str, **kw) -> models.DecimalField:
    """An exact amount in kronor with öre: every money column of finance, planning and the
    city's forms is this field."""
    return models.DecimalField(verbose, max_digits=18, decimal_places=2, **kw)


class BudgetLine(models.Model):
    """The original annual budget (ingående budget) of a unit and report row, report sign
    (revenue +, cost −), with the profile that spreads it over the months."""

    unit = models.ForeignKey(OrgNode, on_delete=models.PROTECT, related_name="budget_lines")
    year = models.PositiveIntegerField("år")
    row_code = models.CharField("rapportrad", max_length=20)
    amount = money_field("årsbudget (kr)")
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
    amount = money_field("belopp (kr)")
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
    amount = money_field("helårsprognos (kr)")
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
    amount = money_field("belopp (kr)", null=True, blank=True)
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
    decided_total = money_field("beslutad totalbudget (kr)", default=0)
    new_total = money_field("ny totalbudget (kr)", null=True, blank=True)
    outcome_before = money_field("ackumulerat utfall före året (kr)", default=0)
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
    amount = money_field("budget (kr)")
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
    amount = money_field("prognos (kr)")
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


class FigureFreeze(models.Model):
    """The figures an approved reporting event showed, stored when the committee approved
    it (styra.finance.figures.freeze_event): every later page, report and export of the
    event reads them, whatever is imported or edited afterwards."""

    event = models.OneToOneField(
        ReportingEvent, on_delete=models.CASCADE, related_name="figure_freeze"
    )
    frozen_at = models.DateTimeField("lagrad", auto_now_add=True)
    change_ids = models.JSONField("budgetförändringar som räknades", default=list)
    projects = models.JSONField("investeringsutfall per projekt", default=dict)

    class Meta:
        verbose_name = "låsta siffror"
        verbose_name_plural = "låsta siffror"

    def __str__(self) -> str:
        return f"{self.event.code}: lagrade siffror"


class FrozenFact(models.Model):
    """One node × report row of a FigureFreeze (report sign, kronor; months in öre)."""

    freeze = models.ForeignKey(FigureFreeze, on_delete=models.CASCADE, related_name="facts")
    unit = models.ForeignKey(OrgNode, on_delete=models.PROTECT, related_name="+")
    row_code = models.CharField("rapportrad", max_length=20)
    previous_year = money_field("bokslut föregående år")
    previous_to_date = money_field("utfall föregående år t.o.m. perioden")
    outcome = money_field("utfall t.o.m. perioden")
    original_budget = money_field("ingående budget")
    budget = money_field("budget")
    budget_to_date = money_field("ack. budget")
    forecast = money_field("helårsprognos")
    forecast_missing = models.BooleanField("prognos saknas", default=False)
    previous_forecast = money_field("föregående prognos", null=True, blank=True)
    saved = models.BooleanField("sparad prognos", default=False)
    budgeted = models.BooleanField("har budget", default=False)
    outcome_months = models.JSONField("utfall per månad (öre)", default=list)
    budget_months = models.JSONField("budget per månad (öre)", default=list)

    class Meta:
        verbose_name = "låst siffra"
        verbose_name_plural = "låsta siffror"
        constraints = [
            models.UniqueConstraint(
                fields=["freeze", "unit", "row_code"], name="frozen_fact_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.freeze.event.code} {self.unit_id} {self.row_code}"


class ForecastReopening(models.Model):
    """The controller opened a klarmarkerad forecast again: why, who and when."""

    event = models.ForeignKey(ReportingEvent, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(OrgNode, on_delete=models.CASCADE, related_name="+")
    reason = models.TextField("skäl")
    reopened_at = models.DateTimeField("öppnad", auto_now_add=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "återöppnad prognos"
        verbose_name_plural = "återöppnade prognoser"
        ordering = ["reopened_at", "pk"]

    def __str__(self) -> str:
        return f"{self.unit} {self.event.code}: {self.reason[:40]}"


class BudgetMonths(models.Model):
    """A stored aggregate: a budget line's (original budget) or a budget change's amount
    spread over the twelve months, report sign, öre (calc.month_weights and the
    largest-remainder split; a change follows its line's profile, else even twelfths).
    Kept by styra.finance.aggregates in the transaction of every budget write and when last
    year's outcome changes (the last-year profile); the figures engine reads it."""

    unit = models.ForeignKey(OrgNode, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveIntegerField()
    row_code = models.CharField(max_length=20)
    line = models.OneToOneField(
        BudgetLine, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    change = models.OneToOneField(
        BudgetChange, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    months = models.JSONField(default=list)  # 12 integers (öre), January at index 0

    class Meta:
        indexes = [models.Index(fields=["year", "unit"], name="budget_months_unit")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(line__isnull=True) ^ models.Q(change__isnull=True),
                name="budget_months_line_or_change",
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.unit_id} {self.row_code}: {sum(self.months)} öre"
