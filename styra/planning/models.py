"""The planning half of the year (issue 18): budget frames with their adjustments, the
committee's ramjustering proposals, the efficiency plan, the investment plan with its
underlag, and the state grants register.

Amounts are kronor (Decimal, two decimals) in the frames' sign convention: a net cost is
negative (frame −628 240 tkr), a saving or a revenue positive. A plan belongs to one
committee and one budget year Y; its columns are Y−1 (this year) through Y+3.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from styra.calendar.models import ReportingEvent
from styra.finance.models import money_field
from styra.org.models import OrgNode

PLAN_YEARS = 4  # Y … Y+3


class FramePlan(models.Model):
    """Mål och budget Y med flerårsplan Y+1–Y+3 as the committee plans it."""

    committee = models.ForeignKey(OrgNode, on_delete=models.PROTECT, related_name="frame_plans")
    budget_year = models.PositiveIntegerField("budgetår")
    event = models.ForeignKey(
        ReportingEvent, on_delete=models.PROTECT, related_name="+", help_text="året (YYYY)"
    )
    opening = money_field("ingående budget året före budgetåret (kr)")
    planning_decision = models.CharField(
        "planeringsförutsättningar (beslut)", max_length=60, blank=True
    )
    efficiency_percent = models.DecimalField(
        "effektiviseringskrav (% per år)", max_digits=5, decimal_places=2, default=0
    )
    efficiency_excluded = money_field(
        "del av ramen utan effektiviseringskrav (kr)", default=0, help_text="positivt belopp"
    )
    rolled_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The revenues the frame is built on, per group and plan year (kronor, positive):
    # {"Taxor och avgifter": {"2020": "3500000.00"}}; costs = frame − revenues.
    revenues = models.JSONField("intäkter per grupp och år", default=dict, blank=True)
    changed_at = models.DateTimeField("ändrad", auto_now=True)

    class Meta:
        verbose_name = "budgetram"
        verbose_name_plural = "budgetramar"
        ordering = ["committee", "-budget_year"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "budget_year"], name="frame_plan_unique")
        ]

    def __str__(self) -> str:
        return f"{self.committee.code} Mål och budget {self.budget_year}"

    @property
    def first_year(self) -> int:
        return self.budget_year - 1

    @property
    def years(self) -> list[int]:
        """The columns: this year (Y−1) and the plan years Y … Y+3."""
        return list(range(self.budget_year - 1, self.budget_year + PLAN_YEARS))

    @property
    def plan_years(self) -> list[int]:
        return list(range(self.budget_year, self.budget_year + PLAN_YEARS))

    @property
    def title(self) -> str:
        y = self.budget_year
        return f"Mål och budget {y} med flerårsplan {y + 1}–{y + PLAN_YEARS - 1}"


REVENUE_GROUPS = ["Taxor och avgifter", "Bidrag", "Interna intäktsfördelningar", "Övriga intäkter"]


class AdjustmentKind(models.TextChoices):
    VOLUME = "volym", "Volymförändringar"
    WAGES_PRICES = "lon_pris", "Löne- och prisuppräkning"
    SPECIAL = "satsning", "Särskild satsning"
    TRANSFER = "omfordelning", "Omfördelning mellan nämnder"
    EFFICIENCY = "effektivisering", "Effektiviseringsåtgärder"
    OTHER = "ovrigt", "Övrig justering"


class FrameAdjustment(models.Model):
    """One row of the frames table: an adjustment with an amount per year."""

    plan = models.ForeignKey(FramePlan, on_delete=models.CASCADE, related_name="adjustments")
    kind = models.CharField("typ", max_length=20, choices=AdjustmentKind.choices)
    text = models.CharField("text", max_length=200, blank=True)
    decision = models.CharField("beslut", max_length=60, blank=True, help_text="t.ex. KS/2018:633")
    order = models.PositiveIntegerField(default=0)
    amounts = models.JSONField("belopp per år (kr)", default=dict)  # {"2020": "-12256000.00"}

    class Meta:
        ordering = ["plan", "order", "pk"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        kind = self.get_kind_display()
        text = f"{kind}: {self.text}" if self.text else kind
        return f"{text} ({self.decision})" if self.decision else text


class Criterion(models.IntegerChoices):
    """Bedömningskriterier (BK) a ramjustering proposal must meet (one of them)."""

    VOLUME = 1, "Volymökning som resursfördelningsmodellen inte fångar upp"
    EARLIER_DECISION = 2, "Effekter av tidigare beslut i kommunfullmäktige eller kommunstyrelsen"
    TEMPORARY = 3, "Tillfällig resursförstärkning för att kunna effektivisera verksamheten"
    ACCOUNTING = (
        4,
        (
            "Nya redovisningsprinciper enligt lag och rekommendationer från Rådet för kommunal "
            "redovisning (RKR)"
        ),
    )


class Proposal(models.Model):
    """Underlag till justering av driftbudget: one of the committee's ramjustering
    proposals (a bilaga 2:n of the yttrande)."""

    plan = models.ForeignKey(FramePlan, on_delete=models.CASCADE, related_name="proposals")
    number = models.PositiveIntegerField("nummer i bilagan")
    title = models.CharField("rubrik", max_length=200)
    criterion = models.PositiveSmallIntegerField("kriterium (BK)", choices=Criterion.choices)
    description = models.TextField("beskrivning av föreslagen justering")
    start_year = models.PositiveIntegerField("beräknad start (år)")
    start_month = models.PositiveSmallIntegerField("beräknad start (månad)")
    motivation = models.TextField("varför justeringen inte kan finansieras inom ramen", blank=True)
    consequence = models.TextField("konsekvenser om ramjusteringen inte ges", blank=True)

    class Meta:
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="proposal_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class CostType(models.TextChoices):
    STAFF = "personal", "Personalkostnader"
    RENT = "internhyra", "Internhyra lokaler"
    CAPITAL = "kapital", "Kapitalkostnader"
    OTHER = "ovriga", "Övriga driftkostnader"
    REVENUE = "intakter", "Intäkter"


COST_TYPES = [CostType.STAFF, CostType.RENT, CostType.CAPITAL, CostType.OTHER]


class ProposalLine(models.Model):
    """The economic effect of a proposal for one cost type (costs negative)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="lines")
    cost_type = models.CharField("kostnadstyp", max_length=20, choices=CostType.choices)
    part_year = money_field("delårseffekt (kr)", null=True, blank=True)
    full_year = money_field("helårseffekt (kr)")
    fte = models.DecimalField(
        "antal årsarbetare", max_digits=8, decimal_places=2, null=True, blank=True
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["proposal", "cost_type"], name="proposal_line_unique")
        ]

    def __str__(self) -> str:
        return f"{self.proposal}: {self.get_cost_type_display()}"


class EfficiencyMeasure(models.Model):
    """One measure of the efficiency plan, with its saving per plan year."""

    plan = models.ForeignKey(FramePlan, on_delete=models.CASCADE, related_name="efficiency")
    name = models.CharField("effektiviseringsåtgärd", max_length=200)
    area = models.CharField("område", max_length=200, blank=True)
    content = models.TextField("åtgärdens innebörd", blank=True)
    premise = models.TextField("förutsättningar för att kunna genomföras", blank=True)
    consequence = models.TextField("konsekvenser vid genomförande", blank=True)
    feasibility = models.TextField("bedömning av genomförbarhet", blank=True)
    order = models.PositiveIntegerField(default=0)
    # {"2020": {"saving": "2000000.00", "cost": "1000000.00"}}; saving and cost positive
    amounts = models.JSONField("belopp per år (kr)", default=dict)

    class Meta:
        ordering = ["plan", "order", "pk"]

    def __str__(self) -> str:
        return self.name


class GrantMechanism(models.TextChoices):
    REQUISITION = "rekvirera", "Rekvirera"
    APPLICATION = "ansoka", "Ansöka"
    INVOICE = "fakturera", "Fakturera"


class GrantStatus(models.TextChoices):
    PLANNED = "planerat", "Planerat"
    APPLIED = "sokt", "Sökt"
    GRANTED = "beviljat", "Beviljat"
    REQUISITIONED = "rekvirerat", "Rekvirerat"
    REPORTED = "aterrapporterat", "Återrapporterat"
    CLOSED = "avslutat", "Avslutat"


GRANT_DEADLINES = (
    ("requisition_by", "rekvireras senast"),
    ("use_until", "används senast"),
    ("report_by", "återrapporteras senast"),
    ("repay_by", "oförbrukat återbetalas senast"),
)


class Grant(models.Model):
    """A state grant (statsbidrag) the committee depends on."""

    committee = models.ForeignKey(OrgNode, on_delete=models.PROTECT, related_name="grants")
    name = models.CharField("statsbidrag", max_length=200)
    grantor = models.CharField("bidragsgivare", max_length=200)
    decision = models.CharField("beslut", max_length=100, blank=True)
    case_number = models.CharField("diarienummer", max_length=40, blank=True)
    mechanism = models.CharField("hantering", max_length=20, choices=GrantMechanism.choices)
    status = models.CharField(
        "status", max_length=20, choices=GrantStatus.choices, default=GrantStatus.PLANNED
    )
    requisition_by = models.DateField("rekvireras senast", null=True, blank=True)
    use_from = models.DateField("används från", null=True, blank=True)
    use_until = models.DateField("används senast", null=True, blank=True)
    report_by = models.DateField("återrapporteras senast", null=True, blank=True)
    repay_by = models.DateField("oförbrukat återbetalas senast", null=True, blank=True)
    restrictions = models.TextField("villkor", blank=True)
    substitute_share_cap = models.DecimalField(
        "högst andel till vikarier (%)", max_digits=5, decimal_places=2, null=True, blank=True
    )
    overhead_cap = models.DecimalField(
        "overhead högst (% av lönekostnad)", max_digits=5, decimal_places=2, null=True, blank=True
    )
    substitute_cost = money_field("planerad kostnad för vikarier (kr)", null=True, blank=True)
    wages = money_field("lönekostnad i bidraget (kr)", null=True, blank=True)
    overhead = money_field("overhead (kr)", null=True, blank=True)
    municipal_cost = money_field("kommunens egen kostnad (kr)", null=True, blank=True)
    purpose = models.TextField("vad bidraget möjliggör", blank=True)
    amounts = models.JSONField("belopp per år (kr)", default=dict)  # {"2020": "2300000.00"}
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField("ändrad", auto_now=True)

    class Meta:
        verbose_name = "statsbidrag"
        verbose_name_plural = "statsbidrag"
        ordering = ["committee", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "name", "case_number"], name="grant_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def deadlines(self) -> list[tuple[str, object]]:
        return [(label, d) for _field, label, d in self.deadline_fields()]

    def deadline_fields(self) -> list[tuple[str, str, object]]:
        """(field, label, date) of each deadline the grant has."""
        out = [(f, label, getattr(self, f)) for f, label in GRANT_DEADLINES]
        return [row for row in out if row[2] is not None]


class GrantReminder(models.Model):
    """One e-mail reminder about one deadline of a grant to one recipient: written before
    the mail is sent, `sent_at` set when the mail server took it (or `error` why not). A
    deadline is reminded once per recipient; a moved deadline (a new date) is a new one."""

    grant = models.ForeignKey(Grant, on_delete=models.CASCADE, related_name="reminders")
    deadline = models.CharField("tidsgräns", max_length=20, choices=GRANT_DEADLINES)
    due_on = models.DateField("datum")
    recipient = models.EmailField("mottagare")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sent_at = models.DateTimeField("skickad", null=True, blank=True)
    error = models.TextField("fel", blank=True)
    created = models.DateTimeField("registrerad", auto_now_add=True)

    class Meta:
        verbose_name = "påminnelse om statsbidrag"
        verbose_name_plural = "påminnelser om statsbidrag"
        ordering = ["grant", "due_on", "recipient"]
        constraints = [
            models.UniqueConstraint(
                fields=["grant", "deadline", "due_on", "recipient"], name="grant_reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.grant} {self.get_deadline_display()} {self.due_on} till {self.recipient}"


class InvestmentStatus(models.TextChoices):
    ANNUAL = "Å", "Å – årlig"
    PLANNED = "P", "P – planerad"
    DECIDED = "B", "B – beslutad"


class InvestmentGroup(models.TextChoices):
    ONGOING = "pagaende", "Pågående/planerade projekt"
    NEW = "nya", "Nya projekt"
    PROPERTY = "fastighet", "Fastighetsinvesteringar i tekniska nämnden"


class PlanInvestment(models.Model):
    """A row of the ten-year investment plan of a budget year."""

    plan = models.ForeignKey(FramePlan, on_delete=models.CASCADE, related_name="investments")
    group = models.CharField("grupp", max_length=20, choices=InvestmentGroup.choices)
    owner = models.CharField("nämnd", max_length=20, blank=True, help_text="t.ex. SN, TN")
    attachment = models.CharField("bilaga", max_length=20, blank=True)
    administration = models.CharField("förvaltning", max_length=20, blank=True)
    priority = models.PositiveIntegerField("prioritet", null=True, blank=True)
    phase = models.CharField("fas", max_length=60, blank=True)
    status = models.CharField("status", max_length=1, choices=InvestmentStatus.choices)
    number = models.CharField("projektnummer", max_length=20)
    name = models.CharField("investering", max_length=200)
    decided_year = models.PositiveIntegerField("beslutat år", null=True, blank=True)
    decided_total = money_field("beslutad totalbudget (kr)", null=True, blank=True)
    outcome_to_date = money_field("ackumulerat utfall (kr)", null=True, blank=True)
    new_total = money_field("ny totalbudget (kr)", null=True, blank=True)
    amounts = models.JSONField("plan per år (kr)", default=dict)  # {"2020": "-2000000.00"}
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["plan", "group", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_investment_unique")
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"


class InvestmentBasis(models.Model):
    """Underlag till investeringsprojekt for a project of the plan."""

    investment = models.OneToOneField(
        PlanInvestment, on_delete=models.CASCADE, related_name="basis"
    )
    officer = models.CharField("handläggare", max_length=200, blank=True)
    description = models.TextField("beskrivning", blank=True)
    motivation = models.TextField("motivering", blank=True)
    consequence = models.TextField("konsekvens om investeringen inte görs", blank=True)
    go_live_year = models.PositiveIntegerField("prel. driftsättning (år)")
    go_live_month = models.PositiveSmallIntegerField("prel. driftsättning (månad)")
    property_amount = money_field("projektutgift fastighet (kr)", default=0)
    other_amount = money_field("projektutgift övrigt (kr)", default=0)
    property_grant = money_field("investeringsbidrag fastighet (kr)", default=0)
    other_grant = money_field("investeringsbidrag övrigt (kr)", default=0)
    # [{"name": "Stomme", "amount": "40800000.00", "life": 50}] of the property part
    components = models.JSONField("komponenter", default=list)
    other_life = models.PositiveIntegerField("livslängd övrigt (år)", null=True, blank=True)
    property_costs = money_field("fastighetskostnader per helår (kr)", default=0)
    running_costs = money_field("driftkostnader övrigt per helår (kr)", default=0)
    rent = money_field("hyreskonsekvens per helår (kr)", default=0)
    interest_rate = models.DecimalField(
        "internränta (%)", max_digits=5, decimal_places=2, default=0
    )

    def __str__(self) -> str:
        return f"Underlag {self.investment}"


class MarkKind(models.TextChoices):
    MOVE = "flytta", "Föreslås flyttas"
    DROP = "utga", "Föreslås utgå"
    REVIEW = "se_over", "Ses över"


class MeasureMark(models.Model):
    """The committee's mark on a measure in its yttrande: proposed to move or to drop."""

    plan = models.ForeignKey(FramePlan, on_delete=models.CASCADE, related_name="marks")
    measure = models.ForeignKey("goals.Measure", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField("förslag", max_length=10, choices=MarkKind.choices)
    text = models.CharField("motivering", max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["plan", "measure"], name="measure_mark_unique")
        ]

    def __str__(self) -> str:
        return f"{self.measure}: {self.get_kind_display()}"

    @property
    def label(self) -> str:
        return f"{self.get_kind_display()}: {self.text}" if self.text else self.get_kind_display()
