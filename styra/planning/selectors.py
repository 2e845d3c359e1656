"""Planning reads for pages and the yttrande: every figure computed from the stored plan
by the rules in calc.py (frames, proposals' effects, efficiency, Ev. TB, kapitaltjänst)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from styra.finance.calc import extra_budget_request
from styra.org import access
from styra.org.models import OrgNode

from . import calc
from .models import (
    COST_TYPES,
    AdjustmentKind,
    CostType,
    FramePlan,
    Grant,
    InvestmentGroup,
    PlanInvestment,
    Proposal,
)

ZERO = Decimal(0)


def _d(value) -> Decimal:
    return Decimal(value) if value not in (None, "") else ZERO


def plans_of(committee: OrgNode):
    return FramePlan.objects.filter(committee=committee).order_by("-budget_year")


# ------------------------------------------------------------------ proposals


@dataclass(frozen=True)
class ProposalView:
    proposal: Proposal
    lines: list  # (label, part_year, full_year, fte) in the bilaga's order, costs first
    part_costs: Decimal
    full_costs: Decimal
    part_revenue: Decimal
    full_revenue: Decimal
    part_net: Decimal
    full_net: Decimal
    fte: Decimal | None

    def effect(self, year: int) -> Decimal:
        p = self.proposal
        return calc.proposal_effect(year, p.start_year, self.part_net, self.full_net)

    @property
    def attachment(self) -> str:
        return f"2:{self.proposal.number}"


def proposal_view(proposal: Proposal) -> ProposalView:
    by_type = {line.cost_type: line for line in proposal.lines.all()}
    lines = []
    part_costs = full_costs = part_rev = full_rev = ZERO
    fte_total: Decimal | None = None
    for ct in [*COST_TYPES, CostType.REVENUE]:
        line = by_type.get(ct)
        if line is None:
            lines.append((CostType(ct).label, None, None, None))
            continue
        part = line.part_year if line.part_year is not None else line.full_year
        lines.append((CostType(ct).label, part, line.full_year, line.fte))
        if ct == CostType.REVENUE:
            part_rev += part
            full_rev += line.full_year
        else:
            part_costs += part
            full_costs += line.full_year
        if line.fte is not None:
            fte_total = (fte_total or ZERO) + line.fte
    return ProposalView(
        proposal,
        lines,
        part_costs,
        full_costs,
        part_rev,
        full_rev,
        part_costs + part_rev,
        full_costs + full_rev,
        fte_total,
    )


def proposals_of(plan: FramePlan) -> list[ProposalView]:
    return [proposal_view(p) for p in plan.proposals.prefetch_related("lines").order_by("number")]


# ------------------------------------------------------------------ frames


def _adjustment_sums(plan: FramePlan) -> dict[int, Decimal]:
    sums: dict[int, Decimal] = {}
    for adj in plan.adjustments.all():
        for year, value in adj.amounts.items():
            sums[int(year)] = sums.get(int(year), ZERO) + _d(value)
    return sums


def proposed_sums(plan: FramePlan, proposals: list[ProposalView] | None = None) -> dict:
    """Summa föreslagna justeringar per plan year: the sum of the proposals' effects."""
    proposals = proposals_of(plan) if proposals is None else proposals
    return {y: sum((p.effect(y) for p in proposals), ZERO) for y in plan.plan_years}


def frame_years(plan: FramePlan, proposals: list[ProposalView] | None = None):
    return calc.roll_frames(
        plan.first_year,
        plan.opening,
        _adjustment_sums(plan),
        len(plan.years),
        proposed_sums(plan, proposals),
    )


@dataclass(frozen=True)
class FrameRow:
    label: str
    amounts: dict  # year -> Decimal | None
    kind: str = ""
    adjustment_id: int | None = None


@dataclass
class FramesTable:
    plan: FramePlan
    years: list[int]
    years_data: list
    adjustments: list[FrameRow]
    proposals: list[ProposalView]
    opening: FrameRow = field(init=False)
    total: FrameRow = field(init=False)
    frame: FrameRow = field(init=False)
    proposed: FrameRow = field(init=False)
    proposed_frame: FrameRow = field(init=False)

    def __post_init__(self):
        by = {fy.year: fy for fy in self.years_data}
        plan_years = set(self.plan.plan_years)
        self.opening = FrameRow("Ingående budget", {y: by[y].opening for y in self.years})
        self.total = FrameRow("Summa justeringar", {y: by[y].adjustments for y in self.years})
        self.frame = FrameRow(
            f"Preliminära budgetramar {self.years[1]}–{self.years[-1]}",
            {y: by[y].frame for y in self.years},
        )
        self.proposed = FrameRow(
            "Summa föreslagna justeringar",
            {y: (by[y].proposed if y in plan_years else None) for y in self.years},
        )
        self.proposed_frame = FrameRow(
            f"Nämndens förslag till budgetramar {self.years[1]}–{self.years[-1]}",
            {y: by[y].proposed_frame for y in self.years},
        )

    def frame_of(self, year: int) -> Decimal:
        return self.frame.amounts[year]


def frames_table(plan: FramePlan) -> FramesTable:
    proposals = proposals_of(plan)
    rows = []
    for adj in plan.adjustments.all():
        rows.append(
            FrameRow(
                adj.label,
                {
                    y: (_d(adj.amounts[str(y)]) if str(y) in adj.amounts else None)
                    for y in plan.years
                },
                adj.kind,
                adj.pk,
            )
        )
    return FramesTable(plan, plan.years, frame_years(plan, proposals), rows, proposals)


# ------------------------------------------------------------------ efficiency


@dataclass(frozen=True)
class EfficiencyPlan:
    measures: list  # (measure, {year: (saving, cost, net)})
    results: list  # calc.EfficiencyResult per plan year
    percent: Decimal


def efficiency_plan(plan: FramePlan, table: FramesTable | None = None) -> EfficiencyPlan:
    table = table or frames_table(plan)
    measures = []
    for m in plan.efficiency.all():
        per = {}
        for y in plan.plan_years:
            v = m.amounts.get(str(y)) or {}
            s, c = _d(v.get("saving")), _d(v.get("cost"))
            per[y] = (s, c, s - c)
        measures.append((m, per))
    results = []
    for y in plan.plan_years:
        base = abs(table.opening.amounts[y]) - plan.efficiency_excluded
        target = calc.efficiency_target(base, plan.efficiency_percent)
        results.append(
            calc.efficiency_result(
                y, [per[y][0] for _, per in measures], [per[y][1] for _, per in measures], target
            )
        )
    return EfficiencyPlan(measures, results, plan.efficiency_percent)


def efficiency_required_in_frames(plan: FramePlan) -> dict[int, Decimal]:
    """The efficiency rows of the frames table (KF's requirement as typed there)."""
    out: dict[int, Decimal] = {}
    for adj in plan.adjustments.filter(kind=AdjustmentKind.EFFICIENCY):
        for y, v in adj.amounts.items():
            out[int(y)] = out.get(int(y), ZERO) + _d(v)
    return out


# ------------------------------------------------------------------ investments


@dataclass(frozen=True)
class InvestmentRow:
    investment: PlanInvestment
    extra_budget: Decimal | None  # Ev. TB
    amounts: dict  # year -> Decimal | None


@dataclass(frozen=True)
class InvestmentGroupView:
    key: str
    label: str
    rows: list
    sums: dict  # "decided", "outcome", "new", "tb", and year -> Decimal


def investment_years(plan: FramePlan) -> list[int]:
    """The ten-year plan's columns: this year and the ten after (the last one "and on")."""
    return list(range(plan.budget_year - 1, plan.budget_year + 11))


def investment_plan(plan: FramePlan) -> list[InvestmentGroupView]:
    years = investment_years(plan)
    groups = []
    for key, label in InvestmentGroup.choices:
        rows = []
        sums = {"decided": ZERO, "outcome": ZERO, "new": ZERO, "tb": ZERO}
        sums.update({y: ZERO for y in years})
        for inv in plan.investments.filter(group=key).order_by("order", "pk"):
            decided = inv.decided_total or ZERO
            tb = extra_budget_request(inv.new_total, decided)
            amounts = {
                y: (_d(inv.amounts[str(y)]) if str(y) in inv.amounts else None) for y in years
            }
            rows.append(InvestmentRow(inv, tb, amounts))
            sums["decided"] += decided
            sums["outcome"] += inv.outcome_to_date or ZERO
            sums["new"] += inv.new_total or ZERO
            sums["tb"] += tb or ZERO
            for y in years:
                sums[y] += amounts[y] or ZERO
        groups.append(InvestmentGroupView(key, label, rows, sums))
    return groups


@dataclass(frozen=True)
class BasisView:
    investment: PlanInvestment
    years: list[int]
    property_rows: list  # (label, {year: Decimal})
    other_rows: list
    rent: dict


def basis_view(investment: PlanInvestment) -> BasisView | None:
    basis = getattr(investment, "basis", None)
    if basis is None:
        return None
    years = [basis.go_live_year, basis.go_live_year + 1]
    rates = {basis.go_live_year: basis.interest_rate}
    comps = [
        calc.Component(c["name"], Decimal(c["amount"]), int(c["life"])) for c in basis.components
    ]
    if not comps and basis.property_amount:
        comps = [calc.Component("Fastighet", abs(basis.property_amount - basis.property_grant), 0)]
    cap = calc.component_capital_costs(
        comps, basis.go_live_year, basis.go_live_month, rates, years=len(years)
    )
    prop_costs = {
        y: -calc.running_cost_year(
            abs(basis.property_costs), basis.go_live_year, basis.go_live_month, y
        )
        for y in years
    }
    property_rows = [
        ("Avskrivningar", {c.year: c.depreciation for c in cap}),
        ("Räntekostnader", {c.year: c.interest for c in cap}),
        ("Fastighetskostnader", prop_costs),
        ("SUMMA", {c.year: c.depreciation + c.interest + prop_costs[c.year] for c in cap}),
    ]
    other_amount = abs(basis.other_amount - basis.other_grant)
    if other_amount and basis.other_life:
        other_cap = calc.component_capital_costs(
            [calc.Component("Övrigt", other_amount, basis.other_life)],
            basis.go_live_year,
            basis.go_live_month,
            rates,
            years=len(years),
        )
    else:
        other_cap = [calc.CapitalYear(y, ZERO, ZERO) for y in years]
    running = {
        y: -calc.running_cost_year(
            abs(basis.running_costs), basis.go_live_year, basis.go_live_month, y
        )
        for y in years
    }
    other_rows = [
        ("Avskrivningar", {c.year: c.depreciation for c in other_cap}),
        ("Räntekostnader", {c.year: c.interest for c in other_cap}),
        ("Driftkostnader", running),
        ("SUMMA", {c.year: c.depreciation + c.interest + running[c.year] for c in other_cap}),
    ]
    rent = {
        y: -calc.running_cost_year(abs(basis.rent), basis.go_live_year, basis.go_live_month, y)
        for y in years
    }
    return BasisView(investment, years, property_rows, other_rows, rent)


# ------------------------------------------------------------------ grants


def grants_of(committee: OrgNode):
    return Grant.objects.filter(committee=committee).order_by("name")


@dataclass(frozen=True)
class GrantView:
    grant: Grant
    problems: list  # calc.CapProblem
    amounts: dict  # year -> Decimal


def grant_view(grant: Grant) -> GrantView:
    years = sorted(int(y) for y in grant.amounts)
    amounts = {y: _d(grant.amounts[str(y)]) for y in years}
    total = sum(amounts.values(), ZERO)
    problems = calc.grant_cap_problems(
        total,
        substitute_share_cap=grant.substitute_share_cap,
        substitute_cost=grant.substitute_cost,
        overhead_cap=grant.overhead_cap,
        overhead=grant.overhead,
        wages=grant.wages,
    )
    return GrantView(grant, problems, amounts)


@dataclass(frozen=True)
class GrantDeadline:
    grant: Grant
    label: str
    date: dt.date
    state: str  # calc.deadline_state


def grant_deadlines(user, today: dt.date, days: int = 60) -> list[GrantDeadline]:
    """Deadlines of the grants of the committees whose finances the user keeps, from
    `days` ago (a passed one still shows while it is fresh) to `days` ahead, soonest
    first. Grants already reported or closed have nothing left to do."""
    ids = {n.pk for n in access.nodes_for(user, access.FINANCE) if n.kind == "committee"}
    return _deadlines(Grant.objects.filter(committee_id__in=ids), today, days)


def committee_grant_deadlines(committee: OrgNode, today: dt.date, days: int = 60):
    """The same for one committee (the controller's card on the start page)."""
    return _deadlines(Grant.objects.filter(committee=committee), today, days)


def _deadlines(grants, today: dt.date, days: int) -> list[GrantDeadline]:
    out = []
    start, end = today - dt.timedelta(days=days), today + dt.timedelta(days=days)
    for grant in grants.select_related("committee"):
        if grant.status in ("aterrapporterat", "avslutat"):
            continue
        for label, date in grant.deadlines():
            if start <= date <= end:
                out.append(GrantDeadline(grant, label, date, calc.deadline_state(date, today)))
    return sorted(out, key=lambda d: (d.date, d.grant.name))


def grant_reminder_recipients(committee: OrgNode) -> list:
    """Who is reminded of the committee's grant deadlines: the active controllers of the
    committee (a role on it or above it) who have an e-mail address."""
    from django.contrib.auth import get_user_model

    from styra.org.models import Role

    chain = [committee.pk, *(n.pk for n in committee.ancestors())]
    return list(
        get_user_model()
        .objects.filter(
            role_grants__node_id__in=chain,
            role_grants__role=Role.CONTROLLER,
            is_active=True,
        )
        .exclude(email="")
        .distinct()
        .order_by("username")
    )


# ------------------------------------------------------------------ specification


@dataclass(frozen=True)
class Specification:
    years: list  # last year (outcome), this year (budget), the plan years
    kinds: dict  # year -> "utfall" | "budget" | "plan"
    costs: dict  # year -> Decimal | None
    revenues: dict
    net: dict
    groups: list  # (group, {plan year: Decimal | None})


def specification(plan: FramePlan, table: FramesTable | None = None) -> Specification:
    """Bilaga 1's specification: costs and revenues per year. The year before this year
    is the ledger's outcome (periods 1–13), this year the current budget, the plan years
    the frame with the typed revenues (costs = frame − revenues)."""
    from styra.finance.figures import year_outcome_and_budget
    from styra.ledger.models import ReportRow
    from styra.ledger.rows import scheme_for

    from .models import REVENUE_GROUPS

    table = table or frames_table(plan)
    outcome_year, budget_year = plan.first_year - 1, plan.first_year
    years = [outcome_year, budget_year, *plan.plan_years]
    kinds = {outcome_year: "utfall", budget_year: "budget", **{y: "plan" for y in plan.plan_years}}
    costs: dict = {}
    revenues: dict = {}
    committee = plan.committee
    for year, values in (
        (outcome_year, year_outcome_and_budget(committee, outcome_year)[0]),
        (budget_year, year_outcome_and_budget(committee, budget_year)[1]),
    ):
        scheme = scheme_for(committee.municipality, year)
        sections = (
            dict(ReportRow.objects.filter(scheme=scheme).values_list("code", "section"))
            if scheme
            else {}
        )
        # Node totals only at the committee's own level would double count: sum the leaves'
        # rows once (the selectors key by node; every amount is booked on one node).
        rev = sum((v for (_n, code), v in values.items() if sections.get(code) == "revenue"), ZERO)
        cost = sum((v for (_n, code), v in values.items() if sections.get(code) == "cost"), ZERO)
        has = bool(values)
        revenues[year] = rev if has else None
        costs[year] = cost if has else None
    groups = []
    for group in REVENUE_GROUPS:
        amounts = plan.revenues.get(group, {})
        groups.append(
            (
                group,
                {y: (_d(amounts[str(y)]) if str(y) in amounts else None) for y in plan.plan_years},
            )
        )
    for y in plan.plan_years:
        typed = [g[1][y] for g in groups if g[1][y] is not None]
        revenues[y] = sum(typed, ZERO) if typed else None
        frame = table.frame_of(y)
        costs[y] = frame - revenues[y] if revenues[y] is not None else None
    net = {
        y: (costs[y] + revenues[y]) if costs[y] is not None and revenues[y] is not None else None
        for y in years
    }
    return Specification(years, kinds, costs, revenues, net, groups)
