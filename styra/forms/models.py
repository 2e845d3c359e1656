"""The city's forms and the small registers behind them (DOMAIN §11).

- Result units (resultatenheter, intraprenader marked on the org node): per unit and year the
  fund brought in and the part of the result caused by the unit's own actions (entered and
  explained). The gross budget comes from the budget and the year's result from the
  follow-up (the figures engine, forms.selectors.result_units_of); the transfer and the fund
  carried out are computed (calc.carry_over), never typed.
- Strategic projects (over a threshold, not investments): cost and revenue accumulated, for
  the year and the plan years, decided against forecast totals and dates; a deviation needs
  a cause and an action before the project is marked ready for the tertial.
- Premises: applications to leave or restructure premises and their rent consequence.
- Externally funded projects (ESF, Arvsfonden, …) where the committee is owner or partner.
- Grant applications with cost and financing lines (overhead cap, costs = financing).
- IOP agreements (idéburet offentligt partnerskap) with money per year and follow-up.

Money is exact kronor (Decimal, two decimals), as everywhere in Styra.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from simple_history.models import HistoricalRecords

from styra.finance.models import money_field
from styra.org.models import OrgNode

from . import calc


class ResultUnitYear(models.Model):
    committee = models.ForeignKey(OrgNode, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(
        OrgNode, on_delete=models.PROTECT, related_name="result_years", verbose_name="enhet"
    )
    year = models.PositiveIntegerField("år")
    fund_in = money_field("resultatfond från föregående år (överskott +)", default=Decimal(0))
    own_result = money_field("varav till följd av enhetens eget handlande", default=Decimal(0))
    explanation = models.TextField("förklaring av det egna resultatet", blank=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="one_result_year_per_unit")
        ]
        ordering = ["year", "unit__name"]

    def __str__(self) -> str:
        return f"{self.unit.name} {self.year}"


class StrategicProject(models.Model):
    committee = models.ForeignKey(
        OrgNode, on_delete=models.PROTECT, related_name="strategic_projects"
    )
    year = models.PositiveIntegerField("rapportår")
    name = models.CharField("projekt", max_length=200)
    accumulated_cost = money_field("ackumulerad kostnad t.o.m. föregående år", default=Decimal(0))
    accumulated_revenue = money_field("ackumulerad intäkt t.o.m. föregående år", default=Decimal(0))
    budget_cost = money_field("budget kostnad", default=Decimal(0))
    budget_revenue = money_field("budget intäkt", default=Decimal(0))
    forecast_cost = money_field("prognos kostnad", default=Decimal(0))
    forecast_revenue = money_field("prognos intäkt", default=Decimal(0))
    decided_cost = money_field("totalt beslutad kostnad", default=Decimal(0))
    decided_revenue = money_field("totalt beslutad intäkt", default=Decimal(0))
    forecast_total_cost = money_field("prognos total kostnad", default=Decimal(0))
    forecast_total_revenue = money_field("prognos total intäkt", default=Decimal(0))
    decided_start = models.DateField("beslutat startdatum", null=True, blank=True)
    decided_end = models.DateField("beslutat slutdatum", null=True, blank=True)
    forecast_start = models.DateField("prognos startdatum", null=True, blank=True)
    forecast_end = models.DateField("prognos slutdatum", null=True, blank=True)
    cause = models.TextField("orsak till avvikelse", blank=True)
    action = models.TextField("vidtagen åtgärd", blank=True)
    ready = models.BooleanField("klar", default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["year", "name"]

    def __str__(self) -> str:
        return self.name

    def deviations(self) -> list[calc.ProjectDeviation]:
        net = lambda cost, revenue: cost - revenue  # noqa: E731
        return calc.project_deviations(
            budget=net(self.budget_cost, self.budget_revenue),
            forecast=net(self.forecast_cost, self.forecast_revenue),
            decided_total=net(self.decided_cost, self.decided_revenue),
            forecast_total=net(self.forecast_total_cost, self.forecast_total_revenue),
            decided_start=self.decided_start,
            forecast_start=self.forecast_start,
            decided_end=self.decided_end,
            forecast_end=self.forecast_end,
        )


class ProjectPlanYear(models.Model):
    project = models.ForeignKey(StrategicProject, on_delete=models.CASCADE, related_name="plan")
    year = models.PositiveIntegerField("år")
    plan_cost = money_field("plan kostnad", default=Decimal(0))
    plan_revenue = money_field("plan intäkt", default=Decimal(0))
    forecast_cost = money_field("prognos kostnad", default=Decimal(0))
    forecast_revenue = money_field("prognos intäkt", default=Decimal(0))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "year"], name="one_plan_year_per_project")
        ]
        ordering = ["year"]

    def __str__(self) -> str:
        return f"{self.project} {self.year}"


class PremisesApplication(models.Model):
    committee = models.ForeignKey(OrgNode, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField("år")
    address = models.CharField("adress och fastighetsbeteckning", max_length=200)
    area = models.DecimalField("area (kvm)", max_digits=10, decimal_places=1)
    contract_end = models.DateField("kontraktet löper t.o.m.")
    returned_on = models.DateField("lokalen återlämnas")
    yearly_rent = money_field("årshyra (kr)")
    amount_applied = money_field("sökt belopp (kr)")
    covers = models.TextField("vad beloppet avser")
    in_premises_plan = models.BooleanField("förändringen är beskriven i lokalförsörjningsplanen")
    comment = models.TextField("övriga kommentarer", blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["year", "address"]

    def __str__(self) -> str:
        return self.address


class FundingRole(models.TextChoices):
    OWNER = "owner", "projektägare"
    PARTNER = "partner", "samarbetspartner"


class ExternalProject(models.Model):
    committee = models.ForeignKey(
        OrgNode, on_delete=models.PROTECT, related_name="external_projects"
    )
    name = models.CharField("projekt", max_length=200)
    funder = models.CharField("finansiär", max_length=120)  # ESF, Arvsfonden, länsstyrelsen …
    role = models.CharField("nämndens roll", max_length=10, choices=FundingRole.choices)
    starts = models.DateField("start")
    ends = models.DateField("slut")
    total_budget = money_field("projektets budget (kr)")
    total_budget_eur = money_field("projektets budget (euro)", null=True, blank=True)
    co_financing_cash = money_field("nämndens medfinansiering, kontant (kr)", default=Decimal(0))
    co_financing_in_kind = money_field("nämndens medfinansiering, i form av arbete (kr)", default=0)
    responsible = models.CharField("ansvarig avdelning", max_length=200, blank=True)
    reporting_dates = models.CharField("rapporteringsdatum", max_length=200, blank=True)
    description = models.TextField("syfte", blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["role", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def co_financing(self) -> Decimal:
        return self.co_financing_cash + self.co_financing_in_kind


class GrantApplication(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "utkast"
        READY = "ready", "klar"

    committee = models.ForeignKey(
        OrgNode, on_delete=models.PROTECT, related_name="grant_applications"
    )
    name = models.CharField("insats", max_length=200)
    grantor = models.CharField("bidragsgivare", max_length=200)
    regulation = models.CharField("regleras i", max_length=200, blank=True)
    starts = models.DateField("period från")
    ends = models.DateField("period till")
    amount_sought = money_field("sökt belopp (kr)")
    contact = models.CharField("kontaktperson", max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    history = HistoricalRecords()

    class Meta:
        ordering = ["starts", "name"]

    def __str__(self) -> str:
        return self.name

    def amounts_check(self) -> calc.GrantCheck:
        lines = list(self.lines.all())
        return calc.grant_check(
            costs=[(x.kind, x.amount) for x in lines if x.side == GrantLine.Side.COST],
            financing=[(x.kind, x.amount) for x in lines if x.side == GrantLine.Side.FINANCING],
            amount_sought=self.amount_sought,
        )


class GrantLine(models.Model):
    class Side(models.TextChoices):
        COST = "cost", "kostnad"
        FINANCING = "financing", "finansiering"

    COST_KINDS = [
        ("wage", "Lönekostnader"),
        ("fee", "Arvoden"),
        ("overhead", "Overheadkostnader"),
        ("external", "Externa tjänster"),
        ("meeting", "Möte och konferens"),
        ("information", "Informationsspridning och marknadsföring"),
        ("other", "Andra verksamhetskostnader"),
    ]
    FINANCING_KINDS = [
        ("grant", "Finansiering via statsbidraget (sökt belopp)"),
        ("own", "Egen finansiering (medfinansiering)"),
        ("other", "Annan finansiering"),
    ]

    application = models.ForeignKey(
        GrantApplication, on_delete=models.CASCADE, related_name="lines"
    )
    side = models.CharField(max_length=10, choices=Side.choices)
    kind = models.CharField("typ", max_length=20)
    text = models.CharField("beskrivning", max_length=300, blank=True)
    amount = money_field("belopp (kr)")
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["side", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.kind_label} {self.amount}"

    @property
    def kind_label(self) -> str:
        kinds = self.COST_KINDS if self.side == self.Side.COST else self.FINANCING_KINDS
        return dict(kinds).get(self.kind, self.kind)


class IopAgreement(models.Model):
    committee = models.ForeignKey(OrgNode, on_delete=models.PROTECT, related_name="iop_agreements")
    name = models.CharField("partnerskap", max_length=200)
    partner = models.CharField("idéburen part", max_length=200)
    purpose = models.TextField("syfte och mål")
    starts = models.DateField("avtalet gäller från")
    ends = models.DateField("avtalet gäller till")
    payment_schedule = models.CharField("utbetalning", max_length=200, blank=True)
    steering_group = models.TextField("styrgrupp", blank=True)
    evaluation = models.TextField("utvärdering inför förnyelse", blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["starts", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def period_warning(self) -> str:
        return calc.iop_period_warning(self.starts, self.ends)


class IopYear(models.Model):
    agreement = models.ForeignKey(IopAgreement, on_delete=models.CASCADE, related_name="years")
    year = models.PositiveIntegerField("år")
    amount = money_field("kommunens medel (kr)")
    partner_contribution = models.TextField("partens egen insats", blank=True)
    follow_up = models.TextField("uppföljning mot målen", blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agreement", "year"], name="one_iop_year")]
        ordering = ["year"]

    def __str__(self) -> str:
        return f"{self.agreement} {self.year}"
