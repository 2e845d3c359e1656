"""Planning writes: every change to frames, proposals, the efficiency plan, the investment
plan and the grants register. Each takes a required actor, checked on the committee
(FINANCE), runs in one transaction and refuses a change to a plan whose year the committee
has approved (the calendar's lock)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction

from styra.calendar.locks import event_ensure_open
from styra.calendar.services import event_ensure
from styra.org import access
from styra.org.models import NodeKind, OrgNode

from . import calc
from .models import (
    COST_TYPES,
    REVENUE_GROUPS,
    AdjustmentKind,
    CostType,
    Criterion,
    EfficiencyMeasure,
    FrameAdjustment,
    FramePlan,
    Grant,
    GrantMechanism,
    GrantReminder,
    GrantStatus,
    InvestmentBasis,
    InvestmentGroup,
    InvestmentStatus,
    PlanInvestment,
    Proposal,
    ProposalLine,
)
from .selectors import frame_years, grant_reminder_recipients

MAX_AMOUNT = Decimal("1e15")


# ------------------------------------------------------------------ helpers


def _amount(value, what: str) -> Decimal:
    """An exact amount in kronor with at most two decimals."""
    if isinstance(value, float):
        raise TypeError(f"{what}: belopp ska vara Decimal, inte float")
    try:
        d = Decimal(value)
    except (InvalidOperation, TypeError, ValueError) as exc:
        raise ValidationError(f"{what}: {value!r} är inget belopp.") from exc
    if not d.is_finite() or abs(d) >= MAX_AMOUNT:
        raise ValidationError(f"{what}: {value!r} är inget rimligt belopp.")
    if d != d.quantize(Decimal("0.01")):
        raise ValidationError(f"{what}: högst två decimaler (hela ören).")
    return d.quantize(Decimal("0.01"))


def _year_amounts(amounts: Mapping, years: list[int], what: str) -> dict[str, str]:
    out = {}
    for year, value in amounts.items():
        y = int(year)
        if y not in years:
            raise ValidationError(f"{what}: {y} ligger utanför planens år {years[0]}–{years[-1]}.")
        if value is None or value == "":
            continue
        out[str(y)] = str(_amount(value, f"{what} {y}"))
    return out


def _require_plan(actor, plan: FramePlan, what: str) -> None:
    access.require(actor, access.FINANCE, plan.committee)
    event_ensure_open(plan.event, what=what)


def _committee(committee: OrgNode) -> None:
    if committee.kind != NodeKind.COMMITTEE:
        raise ValidationError(f"{committee.name} är ingen nämnd.")


# ------------------------------------------------------------------ frames


@transaction.atomic
def frame_plan_create(
    *,
    actor,
    committee: OrgNode,
    budget_year: int,
    opening: Decimal,
    planning_decision: str = "",
) -> FramePlan:
    """A new plan for Mål och budget `budget_year` with the ingående budget of the year
    before. Refused when the committee already has one for that year."""
    _committee(committee)
    access.require(actor, access.FINANCE, committee)
    if not 2000 <= int(budget_year) <= 2100:
        raise ValidationError(f"{budget_year} är inget rimligt budgetår.")
    if FramePlan.objects.filter(committee=committee, budget_year=budget_year).exists():
        raise ValidationError(f"{committee.name} har redan budgetramar för {budget_year}.")
    event = event_ensure(actor=actor, committee=committee, code=str(budget_year))
    event_ensure_open(event, what="budgetramarna")
    return FramePlan.objects.create(
        committee=committee,
        budget_year=budget_year,
        event=event,
        opening=_amount(opening, "Ingående budget"),
        planning_decision=planning_decision.strip()[:60],
    )


@transaction.atomic
def frame_plan_update(
    *,
    actor,
    plan: FramePlan,
    opening: Decimal | None = None,
    planning_decision: str | None = None,
    efficiency_percent: Decimal | None = None,
    efficiency_excluded: Decimal | None = None,
    revenues: Mapping | None = None,
) -> FramePlan:
    """Change the fields given (None = leave as is). `revenues` maps revenue group to
    {plan year: amount} (kronor, positive); an empty amount removes the year."""
    plan = FramePlan.objects.select_for_update().get(pk=plan.pk)
    _require_plan(actor, plan, "budgetramarna")
    if opening is not None:
        plan.opening = _amount(opening, "Ingående budget")
    if planning_decision is not None:
        plan.planning_decision = planning_decision.strip()[:60]
    if efficiency_percent is not None:
        pct = Decimal(efficiency_percent)
        if not 0 <= pct <= 100:
            raise ValidationError("Effektiviseringskravet ska vara 0–100 %.")
        plan.efficiency_percent = pct
    if efficiency_excluded is not None:
        plan.efficiency_excluded = abs(_amount(efficiency_excluded, "Undantagen del"))
    if revenues is not None:
        clean = {}
        for group, amounts in revenues.items():
            if group not in REVENUE_GROUPS:
                raise ValidationError(f"Okänd intäktsgrupp {group!r}.")
            values = _year_amounts(amounts, plan.plan_years, group)
            if any(Decimal(v) < 0 for v in values.values()):
                raise ValidationError(f"{group}: intäkter anges som positiva belopp.")
            if values:
                clean[group] = values
        plan.revenues = clean
    plan.save()
    return plan


@transaction.atomic
def frame_plan_roll_forward(*, actor, plan: FramePlan) -> FramePlan:
    """Next year's plan from this one: its ingående budget is this plan's frame for the
    year before the new budget year, and the adjustments of the years both plans share
    are carried over (the new last year starts empty). Proposals are not carried: they
    are this year's request to KF. Refused when next year's plan exists."""
    access.require(actor, access.FINANCE, plan.committee)
    new_year = plan.budget_year + 1
    if FramePlan.objects.filter(committee=plan.committee, budget_year=new_year).exists():
        raise ValidationError(
            f"{plan.committee.name} har redan budgetramar för {new_year}; "
            "ändra dem i stället för att bygga nya."
        )
    years = frame_years(plan)
    by_year = {fy.year: fy for fy in years}
    opening = by_year[new_year - 2].frame
    new = frame_plan_create(
        actor=actor,
        committee=plan.committee,
        budget_year=new_year,
        opening=opening,
        planning_decision="",
    )
    new.rolled_from = plan
    new.efficiency_percent = plan.efficiency_percent
    new.efficiency_excluded = plan.efficiency_excluded
    new.save()
    kept = {str(y) for y in new.years}
    for adj in plan.adjustments.all():
        amounts = {y: v for y, v in adj.amounts.items() if y in kept}
        if amounts:
            FrameAdjustment.objects.create(
                plan=new,
                kind=adj.kind,
                text=adj.text,
                decision=adj.decision,
                order=adj.order,
                amounts=amounts,
            )
    return new


@transaction.atomic
def adjustment_save(
    *,
    actor,
    plan: FramePlan,
    kind: str,
    amounts: Mapping,
    text: str = "",
    decision: str = "",
    adjustment: FrameAdjustment | None = None,
) -> FrameAdjustment:
    """Add an adjustment row (or change `adjustment`): kind, text, decision and the
    amount per year (kronor, cost negative; years of the plan only)."""
    _require_plan(actor, plan, "budgetramarna")
    if kind not in AdjustmentKind.values:
        raise ValidationError(f"Okänd justeringstyp {kind!r}.")
    if kind == AdjustmentKind.TRANSFER and not decision.strip():
        raise ValidationError(
            "En omfördelning mellan nämnder behöver beslutet (t.ex. KS/2018:633)."
        )
    values = _year_amounts(amounts, plan.years, "Justeringen")
    if adjustment is None:
        order = plan.adjustments.count() + 1
        adjustment = FrameAdjustment(plan=plan, order=order)
    elif adjustment.plan_id != plan.pk:
        raise ValidationError("Justeringen hör till en annan plan.")
    adjustment.kind = kind
    adjustment.text = text.strip()[:200]
    adjustment.decision = decision.strip()[:60]
    adjustment.amounts = values
    adjustment.save()
    return adjustment


@transaction.atomic
def adjustment_delete(*, actor, adjustment: FrameAdjustment) -> None:
    _require_plan(actor, adjustment.plan, "budgetramarna")
    adjustment.delete()


# ------------------------------------------------------------------ proposals


@transaction.atomic
def proposal_save(
    *,
    actor,
    plan: FramePlan,
    title: str,
    criterion: int,
    description: str,
    start_year: int,
    start_month: int,
    lines: Mapping[str, Mapping],
    motivation: str = "",
    consequence: str = "",
    compute_part_year: bool = False,
    proposal: Proposal | None = None,
) -> Proposal:
    """Add (or change) a ramjustering proposal. `lines` maps cost type to
    {"part_year", "full_year", "fte"}; costs negative, revenues positive. With
    `compute_part_year` the part-year effects are computed from the start month."""
    _require_plan(actor, plan, "förslagen till ramjustering")
    problems = []
    if not title.strip():
        problems.append("Rubriken saknas.")
    if int(criterion) not in Criterion.values:
        problems.append("Välj ett av bedömningskriterierna BK 1–4.")
    if not description.strip():
        problems.append("Beskrivningen av justeringen saknas.")
    if int(start_year) not in plan.plan_years:
        problems.append(
            f"Starten ska ligga i planens år {plan.plan_years[0]}–{plan.plan_years[-1]}."
        )
    if not 1 <= int(start_month) <= 12:
        problems.append("Startmånaden ska vara 1–12.")
    parsed = {}
    for cost_type, values in lines.items():
        if cost_type not in CostType.values:
            problems.append(f"Okänd kostnadstyp {cost_type!r}.")
            continue
        label = CostType(cost_type).label
        full = values.get("full_year")
        part = values.get("part_year")
        fte = values.get("fte")
        if full in (None, "") and part in (None, "") and fte in (None, ""):
            continue
        if full in (None, ""):
            problems.append(f"{label}: helårseffekten saknas.")
            continue
        try:
            full_d = _amount(full, f"{label} helårseffekt")
            part_d = None if part in (None, "") else _amount(part, f"{label} delårseffekt")
            fte_d = None if fte in (None, "") else Decimal(fte)
        except (ValidationError, InvalidOperation) as exc:
            problems.extend(getattr(exc, "messages", [str(exc)]))
            continue
        if cost_type != CostType.REVENUE and full_d > 0:
            problems.append(f"{label}: kostnader anges med minustecken.")
        if cost_type == CostType.REVENUE and full_d < 0:
            problems.append("Intäkter anges som positiva belopp.")
        parsed[cost_type] = (part_d, full_d, fte_d)
    if not parsed and not problems:
        problems.append("Ange den ekonomiska effekten för minst en kostnadstyp.")
    if problems:
        raise ValidationError(problems)
    if compute_part_year:
        parsed = {
            ct: (calc.part_year_effect(full, int(start_month)), full, fte)
            for ct, (_, full, fte) in parsed.items()
        }
    if proposal is None:
        last = plan.proposals.order_by("-number").values_list("number", flat=True).first()
        proposal = Proposal(plan=plan, number=(last or 0) + 1)
    elif proposal.plan_id != plan.pk:
        raise ValidationError("Förslaget hör till en annan plan.")
    proposal.title = title.strip()[:200]
    proposal.criterion = int(criterion)
    proposal.description = description.strip()
    proposal.start_year = int(start_year)
    proposal.start_month = int(start_month)
    proposal.motivation = motivation.strip()
    proposal.consequence = consequence.strip()
    proposal.save()
    proposal.lines.exclude(cost_type__in=list(parsed)).delete()
    for ct, (part, full, fte) in parsed.items():
        ProposalLine.objects.update_or_create(
            proposal=proposal,
            cost_type=ct,
            defaults={"part_year": part, "full_year": full, "fte": fte},
        )
    return proposal


@transaction.atomic
def proposal_delete(*, actor, proposal: Proposal) -> None:
    _require_plan(actor, proposal.plan, "förslagen till ramjustering")
    proposal.delete()


# ------------------------------------------------------------------ efficiency plan


@transaction.atomic
def efficiency_measure_save(
    *,
    actor,
    plan: FramePlan,
    name: str,
    amounts: Mapping,
    area: str = "",
    content: str = "",
    premise: str = "",
    consequence: str = "",
    feasibility: str = "",
    measure: EfficiencyMeasure | None = None,
) -> EfficiencyMeasure:
    """Add (or change) a measure of the efficiency plan. `amounts` maps plan year to
    {"saving", "cost"}, both positive amounts (kronor)."""
    _require_plan(actor, plan, "effektiviseringsplanen")
    if not name.strip():
        raise ValidationError("Åtgärden behöver ett namn.")
    values = {}
    for year, pair in amounts.items():
        y = int(year)
        if y not in plan.plan_years:
            raise ValidationError(f"{y} ligger utanför planåren.")
        saving = _amount(pair.get("saving") or 0, f"Besparing {y}")
        cost = _amount(pair.get("cost") or 0, f"Kostnadsökning {y}")
        if saving < 0 or cost < 0:
            raise ValidationError("Besparing och kostnadsökning anges som positiva belopp.")
        if saving or cost:
            values[str(y)] = {"saving": str(saving), "cost": str(cost)}
    if measure is None:
        measure = EfficiencyMeasure(plan=plan, order=plan.efficiency.count() + 1)
    elif measure.plan_id != plan.pk:
        raise ValidationError("Åtgärden hör till en annan plan.")
    measure.name = name.strip()[:200]
    measure.area = area.strip()[:200]
    measure.content = content.strip()
    measure.premise = premise.strip()
    measure.consequence = consequence.strip()
    measure.feasibility = feasibility.strip()
    measure.amounts = values
    measure.save()
    return measure


@transaction.atomic
def efficiency_measure_delete(*, actor, measure: EfficiencyMeasure) -> None:
    _require_plan(actor, measure.plan, "effektiviseringsplanen")
    measure.delete()


# ------------------------------------------------------------------ investment plan


INVESTMENT_FIELDS = {
    "owner", "attachment", "administration", "priority", "phase", "decided_year",
    "decided_total", "outcome_to_date", "new_total",
}  # fmt: skip
BASIS_FIELDS = {
    "officer", "description", "motivation", "consequence", "go_live_year", "go_live_month",
    "property_amount", "other_amount", "property_grant", "other_grant", "components",
    "other_life", "property_costs", "running_costs", "rent", "interest_rate",
}  # fmt: skip
MONEY_FIELDS = {
    "decided_total", "outcome_to_date", "new_total", "property_amount", "other_amount",
    "property_grant", "other_grant", "property_costs", "running_costs", "rent",
}  # fmt: skip


@transaction.atomic
def investment_save(
    *,
    actor,
    plan: FramePlan,
    number: str,
    name: str,
    group: str,
    status: str,
    amounts: Mapping,
    investment: PlanInvestment | None = None,
    **fields,
) -> PlanInvestment:
    """Add (or change) a row of the ten-year investment plan; `amounts` maps year (the
    plan's first year and the nine after) to the yearly plan (expenditure negative)."""
    _require_plan(actor, plan, "investeringsplanen")
    unknown = set(fields) - INVESTMENT_FIELDS
    if unknown:
        raise TypeError(f"okända fält: {sorted(unknown)}")
    if group not in InvestmentGroup.values:
        raise ValidationError(f"Okänd grupp {group!r}.")
    if status not in InvestmentStatus.values:
        raise ValidationError("Status ska vara Å, P eller B.")
    if not number.strip() or not name.strip():
        raise ValidationError("Projektnummer och benämning behövs.")
    years = list(range(plan.budget_year - 1, plan.budget_year + 11))
    values = _year_amounts(amounts, years, "Investeringsplanen")
    if investment is None:
        investment = PlanInvestment(plan=plan, order=plan.investments.count() + 1)
    elif investment.plan_id != plan.pk:
        raise ValidationError("Projektet hör till en annan plan.")
    investment.number = number.strip()[:20]
    investment.name = name.strip()[:200]
    investment.group = group
    investment.status = status
    investment.amounts = values
    for key, value in fields.items():
        if key in MONEY_FIELDS:
            value = None if value in (None, "") else _amount(value, key)
        setattr(investment, key, value)
    investment.save()
    return investment


@transaction.atomic
def investment_basis_save(*, actor, investment: PlanInvestment, **fields) -> InvestmentBasis:
    """The underlag of a project: texts, go-live, split between property and other,
    grants, the components of the property with their lives, the running costs and the
    rent consequence."""
    _require_plan(actor, investment.plan, "investeringsunderlaget")
    unknown = set(fields) - BASIS_FIELDS
    if unknown:
        raise TypeError(f"okända fält: {sorted(unknown)}")
    basis = InvestmentBasis.objects.filter(investment=investment).first()
    if basis is None:
        if "go_live_year" not in fields or "go_live_month" not in fields:
            raise ValidationError("Underlaget behöver prel. driftsättning (år och månad).")
        basis = InvestmentBasis(investment=investment)
    for key, value in fields.items():
        if key in MONEY_FIELDS:
            value = _amount(value or 0, key)
        setattr(basis, key, value)
    if not 1 <= int(basis.go_live_month) <= 12:
        raise ValidationError("Driftsättningsmånaden ska vara 1–12.")
    comps = []
    for c in basis.components or []:
        life = int(c.get("life", 0))
        if life < 0:
            raise ValidationError(f"{c.get('name')}: livslängden kan inte vara negativ.")
        comps.append(
            {
                "name": str(c.get("name", "")).strip()[:100],
                "amount": str(_amount(c["amount"], "Komponent")),
                "life": life,
            }
        )
    basis.components = comps
    total = sum((Decimal(c["amount"]) for c in comps), Decimal(0))
    if comps and total != abs(Decimal(basis.property_amount)):
        raise ValidationError(
            f"Komponenterna summerar till {total} kr men fastighetsdelen är "
            f"{abs(Decimal(basis.property_amount))} kr."
        )
    basis.save()
    return basis


# ------------------------------------------------------------------ grants


GRANT_FIELDS = {
    "grantor", "decision", "case_number", "mechanism", "status", "requisition_by", "use_from",
    "use_until", "report_by", "repay_by", "restrictions", "substitute_share_cap",
    "overhead_cap", "substitute_cost", "wages", "overhead", "municipal_cost", "purpose",
}  # fmt: skip
GRANT_MONEY = {"substitute_cost", "wages", "overhead", "municipal_cost"}
GRANT_PERCENT = {"substitute_share_cap", "overhead_cap"}
GRANT_DATES = {"requisition_by", "use_from", "use_until", "report_by", "repay_by"}


@transaction.atomic
def grant_save(
    *,
    actor,
    committee: OrgNode,
    name: str,
    amounts: Mapping,
    grant: Grant | None = None,
    **fields,
) -> Grant:
    """Register (or change) a state grant of the committee: grantor, decision and case,
    mechanism, deadlines, restrictions (numeric caps are checked), amount per year."""
    _committee(committee)
    access.require(actor, access.FINANCE, committee)
    if grant is not None:
        grant = Grant.objects.select_for_update().get(pk=grant.pk)
        if grant.committee_id != committee.pk:
            raise ValidationError("Statsbidraget hör till en annan nämnd.")
    unknown = set(fields) - GRANT_FIELDS
    if unknown:
        raise TypeError(f"okända fält: {sorted(unknown)}")
    problems = []
    if not name.strip():
        problems.append("Statsbidraget behöver ett namn.")
    if grant is None and not str(fields.get("grantor", "")).strip():
        problems.append("Ange bidragsgivaren.")
    if "mechanism" in fields and fields["mechanism"] not in GrantMechanism.values:
        problems.append("Hanteringen ska vara rekvirera, ansöka eller fakturera.")
    if grant is None and "mechanism" not in fields:
        problems.append("Ange hanteringen (rekvirera, ansöka eller fakturera).")
    if "status" in fields and fields["status"] not in GrantStatus.values:
        problems.append("Okänd status.")
    clean = {}
    for key, value in fields.items():
        if key in GRANT_MONEY:
            value = None if value in (None, "") else _amount(value, key)
        elif key in GRANT_PERCENT:
            value = None if value in (None, "") else Decimal(value)
            if value is not None and not 0 <= value <= 100:
                problems.append("En andel anges i procent 0–100.")
        elif key in GRANT_DATES:
            if value in (None, ""):
                value = None
            elif not isinstance(value, dt.date):
                problems.append(f"{key}: ange ett datum ÅÅÅÅ-MM-DD.")
        elif isinstance(value, str):
            value = value.strip()
        clean[key] = value
    values = {}
    for year, value in amounts.items():
        y = int(year)
        if not 2000 <= y <= 2100:
            problems.append(f"{y} är inget rimligt år.")
            continue
        if value in (None, ""):
            continue
        d = _amount(value, f"Belopp {y}")
        if d < 0:
            problems.append("Bidragets belopp anges som positiva belopp.")
        values[str(y)] = str(d)
    use_from, use_until = clean.get("use_from"), clean.get("use_until")
    if isinstance(use_from, dt.date) and isinstance(use_until, dt.date) and use_until < use_from:
        problems.append("Bidraget kan inte användas till ett datum före startdatumet.")
    if problems:
        raise ValidationError(problems)
    if grant is None:
        grant = Grant(committee=committee, created_by=access.user_of(actor))
    grant.name = name.strip()[:200]
    for key, value in clean.items():
        setattr(grant, key, value)
    grant.amounts = values
    grant.save()
    return grant


@transaction.atomic
def grant_delete(*, actor, grant: Grant) -> None:
    access.require(actor, access.FINANCE, grant.committee)
    grant.delete()


@dataclass
class ReminderRun:
    """What one run of the grant reminders did: the reminders sent and failed now, how
    many were already sent before, and the grants with a due deadline but nobody to tell."""

    sent: list = field(default_factory=list)
    failed: list = field(default_factory=list)
    already: int = 0
    no_recipient: list = field(default_factory=list)


def grant_reminders_send(
    *,
    actor,
    today: dt.date,
    lead_days: int | None = None,
    committee: OrgNode | None = None,
) -> ReminderRun:
    """E-mail the controllers of each committee the state-grant deadlines that fall within
    `lead_days` (STYRA_GRANT_REMINDER_DAYS) from `today`, one mail per person listing them.
    Each (grant, deadline, date, recipient) is recorded before the mail goes and sent once:
    a later run skips what was sent and retries what the mail server refused. Grants
    already reported or closed are left out. Every committee is run by the system (`styra
    planning remind`); one `committee` by a controller of it (the button on the grants
    page, as a background job: planning.tasks)."""
    from django.conf import settings
    from django.core import mail
    from django.urls import reverse

    from styra.calendar import clock

    if committee is None:
        access.require_system(actor)
    else:
        access.require(actor, access.FINANCE, committee)
    days = settings.STYRA_GRANT_REMINDER_DAYS if lead_days is None else lead_days
    run = ReminderRun()
    due: dict[int, list] = {}  # committee id -> [(grant, field, label, date)]
    committees = {}
    grants = Grant.objects.exclude(status__in=(GrantStatus.REPORTED, GrantStatus.CLOSED))
    if committee is not None:
        grants = grants.filter(committee=committee)
    for grant in grants.select_related("committee").order_by("committee_id", "name", "pk"):
        for key, label, date in grant.deadline_fields():
            if calc.reminder_due(date, today, days):
                committees[grant.committee_id] = grant.committee
                due.setdefault(grant.committee_id, []).append((grant, key, label, date))
    base = settings.STYRA_PUBLIC_URL.rstrip("/")
    connection = mail.get_connection(fail_silently=False)
    for committee_id, items in due.items():
        committee = committees[committee_id]
        recipients = grant_reminder_recipients(committee)
        if not recipients:
            run.no_recipient += sorted({g.name for g, *_ in items})
            continue
        url = base + reverse("planning_grants", kwargs={"node_id": committee.pk})
        for user in recipients:
            with transaction.atomic():
                rows = []
                for grant, key, label, date in items:
                    row, _ = GrantReminder.objects.get_or_create(
                        grant=grant,
                        deadline=key,
                        due_on=date,
                        recipient=user.email,
                        defaults={"user": user},
                    )
                    rows.append((row.pk, grant, label, date))
                # Locked while the mail goes: a run at the same time waits, then skips.
                unsent = set(
                    GrantReminder.objects.select_for_update()
                    .filter(pk__in=[r[0] for r in rows], sent_at__isnull=True)
                    .values_list("pk", flat=True)
                )
                run.already += len(rows) - len(unsent)
                todo = [r for r in rows if r[0] in unsent]
                if not todo:
                    continue
                lines = [
                    "Hej!",
                    "",
                    f"De här tidsgränserna för statsbidrag i {committee.name} infaller snart:",
                    "",
                ]
                for _pk, grant, label, date in todo:
                    lines.append(
                        f"- {grant.name} ({grant.grantor}): {label} {date:%Y-%m-%d} "
                        f"({_days_left(date, today)})."
                    )
                lines += ["", f"Statsbidragen: {url}", "", "(skickat från Styra)"]
                subject = f"Statsbidrag: {len(todo)} tidsgräns{'er' if len(todo) > 1 else ''} "
                subject += f"snart – {committee.name}"
                message = mail.EmailMessage(
                    subject, "\n".join(lines), to=[user.email], connection=connection
                )
                try:
                    message.send()
                except (OSError, mail.BadHeaderError) as exc:
                    error = str(exc)[:500] or exc.__class__.__name__
                    GrantReminder.objects.filter(pk__in=unsent).update(error=error)
                    run.failed += list(GrantReminder.objects.filter(pk__in=unsent))
                else:
                    GrantReminder.objects.filter(pk__in=unsent).update(
                        sent_at=clock.now(), error=""
                    )
                    run.sent += list(GrantReminder.objects.filter(pk__in=unsent))
    return run


def _days_left(date: dt.date, today: dt.date) -> str:
    days = (date - today).days
    if days == 0:
        return "i dag"
    return f"om {days} {'dag' if days == 1 else 'dagar'}"


__all__ = [
    "COST_TYPES",
    "adjustment_delete",
    "adjustment_save",
    "efficiency_measure_delete",
    "efficiency_measure_save",
    "frame_plan_create",
    "frame_plan_roll_forward",
    "frame_plan_update",
    "grant_delete",
    "grant_reminders_send",
    "grant_save",
    "investment_basis_save",
    "investment_save",
    "measure_mark_set",
    "proposal_delete",
    "proposal_save",
]


@transaction.atomic
def measure_mark_set(*, actor, plan: FramePlan, measure, kind: str, text: str = ""):
    """Mark a measure in the plan as proposed to move or drop ("" removes the mark)."""
    from .models import MarkKind, MeasureMark

    _require_plan(actor, plan, "målen för planåren")
    if measure.goal.committee_id != plan.committee_id:
        raise ValidationError("Måttet hör till en annan nämnd.")
    if not kind:
        MeasureMark.objects.filter(plan=plan, measure=measure).delete()
        return None
    if kind not in MarkKind.values:
        raise ValidationError(f"Okänt förslag {kind!r}.")
    mark, _ = MeasureMark.objects.update_or_create(
        plan=plan, measure=measure, defaults={"kind": kind, "text": text.strip()[:300]}
    )
    return mark
