"""Planning pages: the committee's plans, the frames with their adjustments (build next
year's from this year's), ramjustering proposals with part-year effect, and the state
grants register. Thin: every write goes through styra.planning.services, which checks
the right again. Amounts are typed in tkr and shown exactly, so saving a form changes
only what the user changed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from styra.calendar import clock
from styra.calendar.locks import event_is_locked
from styra.calendar.models import LockedError
from styra.lib.numbers import (
    NumberFormatError,
    format_number,
    format_tkr_exact,
    parse_number,
    parse_tkr_exact,
)
from styra.lib.periods import MONTHS_LONG
from styra.org import access as org_access
from styra.org.models import NodeKind, OrgNode
from styra.web import access
from styra.web.submit import once

from . import selectors, services
from .models import (
    COST_TYPES,
    REVENUE_GROUPS,
    AdjustmentKind,
    CostType,
    Criterion,
    FramePlan,
    Grant,
    GrantMechanism,
    GrantStatus,
    InvestmentBasis,
    MarkKind,
    MeasureMark,
    PlanInvestment,
    Proposal,
)


def _committee(node: OrgNode) -> OrgNode:
    committee = node.committee()
    if committee is None:
        raise Http404("Noden hör inte till någon nämnd.")
    return committee


# Kronor as the exact tkr a form shows ("-6 843,5"): posting it back unchanged gives the
# same amount, never a rounded one (the same as the forecast and budget forms).
tkr_input = format_tkr_exact


def parse_tkr(text: str, what: str, errors: list[str]) -> Decimal | None:
    """A typed tkr amount as exact kronor (lib.numbers.parse_tkr_exact); None when empty.
    Errors are collected."""
    try:
        return parse_tkr_exact(text)
    except NumberFormatError as exc:
        errors.append(f"{what}: {exc}.")
        return None


def _messages(request, exc: Exception) -> None:
    for m in getattr(exc, "messages", [str(exc)]):
        messages.error(request, m)


# ------------------------------------------------------------------ overview


@access.login
def planning_home(request):
    committees = [
        n for n in org_access.nodes_for(request.user, org_access.FINANCE)
        if n.kind == NodeKind.COMMITTEE
    ]  # fmt: skip
    return render(request, "planning/home.html", {"committees": committees})


@access.committee(access.FINANCE)
def planning_committee(request, node: OrgNode):
    committee = _committee(node)
    errors: list[str] = []
    form = {"budget_year": "", "opening": ""}
    if request.method == "POST":
        form = {k: request.POST.get(k, "").strip() for k in form}
        try:
            year = int(form["budget_year"])
        except ValueError:
            year = 0
            errors.append("Ange budgetåret med fyra siffror, t.ex. 2021.")
        opening = parse_tkr(form["opening"], "Ingående budget", errors)
        if opening is None and not errors:
            errors.append("Ange ingående budget för året före budgetåret (tkr).")
        if not errors:

            def make():
                try:
                    plan = services.frame_plan_create(
                        actor=request.user, committee=committee, budget_year=year, opening=opening
                    )
                except (ValidationError, LockedError) as exc:
                    errors.extend(getattr(exc, "messages", [str(exc)]))
                    return _committee_page(request, committee, form, errors)
                messages.success(request, f"Budgetramarna för {plan.title} är upplagda.")
                return redirect("plan_detail", plan_id=plan.pk)

            return once(request, make)
    return _committee_page(request, committee, form, errors)


def _committee_page(request, committee, form, errors):
    plans = list(selectors.plans_of(committee))
    rows = []
    years = {p.budget_year for p in plans}
    for p in plans:
        t = selectors.frames_table(p)
        rows.append(
            {
                "plan": p,
                "frame": t.frame_of(p.budget_year),
                "last": t.frame_of(p.years[-1]),
                "proposals": len(t.proposals),
                "can_roll": p.budget_year + 1 not in years,
                "locked": event_is_locked(p.event),
            }
        )
    return render(
        request,
        "planning/committee.html",
        {"committee": committee, "rows": rows, "form": form, "errors": errors},
        status=400 if errors else 200,
    )


# ------------------------------------------------------------------ frames


def _plan_node(plan: FramePlan) -> OrgNode:
    return plan.committee


@access.obj(
    access.FINANCE,
    FramePlan.objects.select_related("committee", "event"),
    "plan_id",
    node=_plan_node,
)
def plan_detail(request, plan: FramePlan):
    errors: list[str] = []
    if request.method == "POST":
        return once(request, lambda: _plan_save(request, plan, errors))
    return _plan_page(request, plan, errors)


def _plan_save(request, plan: FramePlan, errors: list[str]):
    post = request.POST
    years = plan.years
    changes = []  # (adjustment, amounts) to save
    for adj in plan.adjustments.all():
        if post.get(f"del-{adj.pk}"):
            changes.append((adj, None))
            continue
        amounts = {}
        for y in years:
            value = parse_tkr(post.get(f"a-{adj.pk}-{y}", ""), f"{adj.label} {y}", errors)
            if value is not None:
                amounts[y] = value
        current = {int(k): Decimal(v) for k, v in adj.amounts.items()}
        if amounts != current:
            changes.append((adj, amounts))
    opening = parse_tkr(post.get("opening", ""), "Ingående budget", errors)
    new_kind = post.get("new-kind", "")
    new_amounts = {}
    for y in years:
        value = parse_tkr(post.get(f"new-{y}", ""), f"Ny justering {y}", errors)
        if value is not None:
            new_amounts[y] = value
    if new_amounts and new_kind not in AdjustmentKind.values:
        errors.append("Välj typ för den nya justeringen.")
    revenues = {}
    for i, group in enumerate(REVENUE_GROUPS):
        amounts = {}
        for y in plan.plan_years:
            value = parse_tkr(post.get(f"rev-{i}-{y}", ""), f"{group} {y}", errors)
            if value is not None:
                amounts[y] = value
        revenues[group] = amounts
    current_revenues = {
        g: {int(y): Decimal(v) for y, v in plan.revenues.get(g, {}).items()} for g in REVENUE_GROUPS
    }
    revenues_changed = revenues != current_revenues
    if errors:
        return _plan_page(request, plan, errors, status=400)
    try:
        if revenues_changed:
            plan = services.frame_plan_update(actor=request.user, plan=plan, revenues=revenues)
        if opening is not None and opening != plan.opening:
            services.frame_plan_update(actor=request.user, plan=plan, opening=opening)
        for adj, amounts in changes:
            if amounts is None:
                services.adjustment_delete(actor=request.user, adjustment=adj)
            else:
                services.adjustment_save(
                    actor=request.user,
                    plan=plan,
                    adjustment=adj,
                    kind=adj.kind,
                    text=adj.text,
                    decision=adj.decision,
                    amounts=amounts,
                )
        if new_amounts:
            services.adjustment_save(
                actor=request.user,
                plan=plan,
                kind=new_kind,
                text=post.get("new-text", ""),
                decision=post.get("new-decision", ""),
                amounts=new_amounts,
            )
    except (ValidationError, LockedError) as exc:
        errors.extend(getattr(exc, "messages", [str(exc)]))
        return _plan_page(request, plan, errors, status=400)
    n = len(changes) + (1 if new_amounts else 0) + (1 if opening not in (None, plan.opening) else 0)
    messages.success(request, f"Budgetramarna sparades ({n} ändrade rader).")
    return redirect("plan_detail", plan_id=plan.pk)


def _plan_page(request, plan: FramePlan, errors, status=200):
    plan.refresh_from_db()
    t = selectors.frames_table(plan)
    years = t.years
    adjustments = []
    for adj, row in zip(plan.adjustments.all(), t.adjustments, strict=True):
        adjustments.append(
            {
                "adj": adj,
                "label": row.label,
                "cells": [
                    (
                        y,
                        request.POST.get(f"a-{adj.pk}-{y}")
                        if errors
                        else tkr_input(row.amounts[y]),
                    )
                    for y in years
                ],
            }
        )
    proposals = [
        {"view": p, "effects": [p.effect(y) if y in plan.plan_years else None for y in years]}
        for p in t.proposals
    ]
    next_plan = FramePlan.objects.filter(
        committee=plan.committee, budget_year=plan.budget_year + 1
    ).first()
    efficiency = selectors.efficiency_plan(plan, t)
    spec = selectors.specification(plan, t)
    revenue_rows = [
        (
            i,
            group,
            [
                (
                    y,
                    request.POST.get(f"rev-{i}-{y}")
                    if errors
                    else tkr_input(values[y])
                    if values[y] is not None
                    else "",
                )
                for y in plan.plan_years
            ],
        )
        for i, (group, values) in enumerate(spec.groups)
    ]
    return render(
        request,
        "planning/plan.html",
        {
            "plan": plan,
            "committee": plan.committee,
            "t": t,
            "years": years,
            "adjustments": adjustments,
            "proposals": proposals,
            "kinds": AdjustmentKind.choices,
            "opening": request.POST.get("opening") if errors else tkr_input(plan.opening),
            "errors": errors,
            "locked": event_is_locked(plan.event),
            "next_plan": next_plan,
            "efficiency": efficiency,
            "criteria": Criterion.choices,
            "spec": spec,
            "revenue_rows": revenue_rows,
        },
        status=status,
    )


@access.obj(
    access.FINANCE, FramePlan.objects.select_related("committee"), "plan_id", node=_plan_node
)
def plan_roll(request, plan: FramePlan):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])

    def make():
        try:
            new = services.frame_plan_roll_forward(actor=request.user, plan=plan)
        except (ValidationError, LockedError) as exc:
            _messages(request, exc)
            return redirect("plan_detail", plan_id=plan.pk)
        messages.success(
            request,
            f"Ramarna för {new.title} är byggda från {plan.budget_year}: ingående budget "
            f"{tkr_input(new.opening)} tkr och justeringarna för de gemensamma åren.",
        )
        return redirect("plan_detail", plan_id=new.pk)

    return once(request, make)


# ------------------------------------------------------------------ proposals


@access.obj(
    access.FINANCE, FramePlan.objects.select_related("committee"), "plan_id", node=_plan_node
)
def proposal_new(request, plan: FramePlan):
    return _proposal_form(request, plan, None)


@access.obj(
    access.FINANCE,
    Proposal.objects.select_related("plan__committee"),
    "proposal_id",
    node=lambda p: p.plan.committee,
)
def proposal_edit(request, proposal: Proposal):
    return _proposal_form(request, proposal.plan, proposal)


def _proposal_initial(plan, proposal) -> dict:
    if proposal is None:
        return {
            "title": "",
            "criterion": "",
            "description": "",
            "start_year": str(plan.budget_year),
            "start_month": "1",
            "motivation": "",
            "consequence": "",
            "compute": "",
            **{f"{k}-{ct}": "" for ct in CostType.values for k in ("part", "full", "fte")},
        }
    lines = {line.cost_type: line for line in proposal.lines.all()}
    data = {
        "title": proposal.title,
        "criterion": str(proposal.criterion),
        "description": proposal.description,
        "start_year": str(proposal.start_year),
        "start_month": str(proposal.start_month),
        "motivation": proposal.motivation,
        "consequence": proposal.consequence,
        "compute": "",
    }
    for ct in CostType.values:
        line = lines.get(ct)
        data[f"part-{ct}"] = tkr_input(line.part_year) if line else ""
        data[f"full-{ct}"] = tkr_input(line.full_year) if line else ""
        data[f"fte-{ct}"] = format_number(line.fte, 2) if line and line.fte is not None else ""
    return data


def _proposal_form(request, plan: FramePlan, proposal: Proposal | None):
    errors: list[str] = []
    data = _proposal_initial(plan, proposal)
    if request.method == "POST":
        data = {k: request.POST.get(k, "").strip() for k in data}
        data["compute"] = "on" if request.POST.get("compute") else ""
        lines = {}
        for ct in CostType.values:
            label = CostType(ct).label
            part = parse_tkr(data[f"part-{ct}"], f"{label}, delårseffekt", errors)
            full = parse_tkr(data[f"full-{ct}"], f"{label}, helårseffekt", errors)
            try:
                fte = parse_number(data[f"fte-{ct}"])
            except NumberFormatError as exc:
                errors.append(f"{label}, årsarbetare: {exc}.")
                fte = None
            if part is not None or full is not None or fte is not None:
                lines[ct] = {"part_year": part, "full_year": full, "fte": fte}
        try:
            start_year, start_month = int(data["start_year"]), int(data["start_month"])
        except ValueError:
            errors.append("Ange start som år och månad (1–12).")
            start_year = start_month = 0
        try:
            criterion = int(data["criterion"])
        except ValueError:
            criterion = 0
        if not errors:

            def make():
                try:
                    saved = services.proposal_save(
                        actor=request.user,
                        plan=plan,
                        proposal=proposal,
                        title=data["title"],
                        criterion=criterion,
                        description=data["description"],
                        start_year=start_year,
                        start_month=start_month,
                        motivation=data["motivation"],
                        consequence=data["consequence"],
                        compute_part_year=bool(data["compute"]),
                        lines=lines,
                    )
                except (ValidationError, LockedError) as exc:
                    errors.extend(getattr(exc, "messages", [str(exc)]))
                    return _proposal_page(request, plan, proposal, data, errors)
                view = selectors.proposal_view(saved)
                messages.success(
                    request,
                    f"Förslag {view.attachment} {saved.title} sparades: delårseffekt "
                    f"{tkr_input(view.part_net)} tkr {saved.start_year}, helårseffekt "
                    f"{tkr_input(view.full_net)} tkr.",
                )
                return redirect(reverse("plan_detail", kwargs={"plan_id": plan.pk}) + "#forslag")

            return once(request, make)
    return _proposal_page(request, plan, proposal, data, errors)


def _proposal_page(request, plan, proposal, data, errors):
    cost_types = [
        (ct, CostType(ct).label, data[f"part-{ct}"], data[f"full-{ct}"], data[f"fte-{ct}"])
        for ct in [*COST_TYPES, CostType.REVENUE]
    ]
    return render(
        request,
        "planning/proposal.html",
        {
            "plan": plan,
            "proposal": proposal,
            "data": data,
            "errors": errors,
            "criteria": Criterion.choices,
            "cost_types": cost_types,
            "months": list(enumerate(MONTHS_LONG, start=1)),
            "start_years": plan.plan_years,
        },
        status=400 if errors else 200,
    )


# ------------------------------------------------------------------ grants


@access.committee(access.FINANCE)
def grants(request, node: OrgNode):
    committee = _committee(node)
    today = clock.today()
    views = [selectors.grant_view(g) for g in selectors.grants_of(committee)]
    years = sorted({y for v in views for y in v.amounts})
    rows = []
    for v in views:
        rows.append(
            {
                "view": v,
                "amounts": [v.amounts.get(y) for y in years],
                "deadlines": [
                    (label, date, selectors.calc.deadline_state(date, today))
                    for label, date in v.grant.deadlines()
                ],
            }
        )
    from .models import GrantReminder

    reminders = (
        GrantReminder.objects.filter(grant__committee=committee)
        .select_related("grant")
        .order_by("-created", "recipient")[:50]
    )
    return render(
        request,
        "planning/grants.html",
        {
            "committee": committee,
            "rows": rows,
            "years": years,
            "today": today,
            "reminders": reminders,
            "reminder_days": settings.STYRA_GRANT_REMINDER_DAYS,
        },
    )


@access.committee(access.FINANCE)
@require_POST
def grant_reminders(request, node: OrgNode):
    """Queue the committee's grant reminders (planning.tasks); the job page shows the
    progress and then who was written to."""
    from styra.tasks.services import task_start

    committee = _committee(node)
    run = task_start(
        actor=request.user,
        kind="planning.grant_reminders",
        node=committee,
        capability=org_access.FINANCE,
        title=f"Påminnelser om statsbidrag, {committee.name}",
        params={"committee_id": committee.pk},
        return_url=reverse("planning_grants", kwargs={"node_id": committee.pk}),
        return_label="Tillbaka till statsbidragen",
    )
    return redirect(run)


GRANT_TEXT = [
    "name",
    "grantor",
    "decision",
    "case_number",
    "mechanism",
    "status",
    "restrictions",
    "purpose",
]
GRANT_DATES = ["requisition_by", "use_from", "use_until", "report_by", "repay_by"]
GRANT_MONEY = ["substitute_cost", "wages", "overhead", "municipal_cost"]
GRANT_PCT = ["substitute_share_cap", "overhead_cap"]


def _grant_years(grant: Grant | None) -> list[int]:
    this = clock.today().year
    years = set(range(this - 1, this + 4))
    if grant is not None:
        years |= {int(y) for y in grant.amounts}
    return sorted(years)


def _grant_initial(grant: Grant | None) -> dict:
    data = {k: "" for k in GRANT_TEXT + GRANT_DATES + GRANT_MONEY + GRANT_PCT}
    data["mechanism"] = GrantMechanism.REQUISITION
    data["status"] = GrantStatus.PLANNED
    for y in _grant_years(grant):
        data[f"y-{y}"] = ""
    if grant is None:
        return data
    for k in GRANT_TEXT:
        data[k] = getattr(grant, k)
    for k in GRANT_DATES:
        d = getattr(grant, k)
        data[k] = d.isoformat() if d else ""
    for k in GRANT_MONEY:
        data[k] = tkr_input(getattr(grant, k))
    for k in GRANT_PCT:
        v = getattr(grant, k)
        data[k] = (
            format_number(v.normalize(), max(0, -v.normalize().as_tuple().exponent))
            if v is not None
            else ""
        )
    for y, v in grant.amounts.items():
        data[f"y-{y}"] = tkr_input(Decimal(v))
    return data


@access.committee(access.FINANCE)
def grant_new(request, node: OrgNode):
    return _grant_form(request, _committee(node), None)


@access.obj(
    access.FINANCE,
    Grant.objects.select_related("committee"),
    "grant_id",
    node=lambda g: g.committee,
)
def grant_edit(request, grant: Grant):
    return _grant_form(request, grant.committee, grant)


def _grant_form(request, committee: OrgNode, grant: Grant | None):
    errors: list[str] = []
    data = _grant_initial(grant)
    if request.method == "POST":
        data = {k: request.POST.get(k, "").strip() for k in data}
        fields: dict = {k: data[k] for k in GRANT_TEXT if k != "name"}
        for k in GRANT_DATES:
            if data[k]:
                try:
                    fields[k] = dt.date.fromisoformat(data[k])
                except ValueError:
                    errors.append(f"{data[k]!r} är inget datum (ÅÅÅÅ-MM-DD).")
            else:
                fields[k] = None
        for k in GRANT_MONEY:
            fields[k] = parse_tkr(data[k], Grant._meta.get_field(k).verbose_name, errors)
        for k in GRANT_PCT:
            try:
                fields[k] = parse_number(data[k])
            except NumberFormatError as exc:
                errors.append(f"{Grant._meta.get_field(k).verbose_name}: {exc}.")
        amounts = {}
        for key in data:
            if key.startswith("y-"):
                value = parse_tkr(data[key], f"Belopp {key[2:]}", errors)
                if value is not None:
                    amounts[int(key[2:])] = value
        if not errors:

            def make():
                try:
                    saved = services.grant_save(
                        actor=request.user,
                        committee=committee,
                        grant=grant,
                        name=data["name"],
                        amounts=amounts,
                        **fields,
                    )
                except ValidationError as exc:
                    errors.extend(exc.messages)
                    return _grant_page(request, committee, grant, data, errors)
                problems = selectors.grant_view(saved).problems
                messages.success(request, f"Statsbidraget {saved.name} sparades.")
                for p in problems:
                    messages.warning(
                        request,
                        f"{saved.name}: villkoret {p.rule} överskrids "
                        f"({tkr_input(p.actual)} tkr mot högst {tkr_input(p.limit)} tkr).",
                    )
                return redirect("planning_grants", node_id=committee.pk)

            return once(request, make)
    return _grant_page(request, committee, grant, data, errors)


def _grant_page(request, committee, grant, data, errors):
    years = sorted(int(k[2:]) for k in data if k.startswith("y-"))
    return render(
        request,
        "planning/grant_form.html",
        {
            "committee": committee,
            "grant": grant,
            "data": data,
            "errors": errors,
            "years": [(y, data[f"y-{y}"]) for y in years],
            "mechanisms": GrantMechanism.choices,
            "statuses": GrantStatus.choices,
        },
        status=400 if errors else 200,
    )


# ------------------------------------------------------------------ efficiency plan


@access.obj(
    access.FINANCE, FramePlan.objects.select_related("committee", "event"), "plan_id",
    node=_plan_node,
)  # fmt: skip
def efficiency(request, plan: FramePlan):
    errors: list[str] = []
    if request.method == "POST":
        return once(request, lambda: _efficiency_save(request, plan, errors))
    return _efficiency_page(request, plan, errors)


def _efficiency_save(request, plan: FramePlan, errors: list[str]):
    post = request.POST
    try:
        percent = parse_number(post.get("percent", ""))
    except NumberFormatError as exc:
        errors.append(f"Effektiviseringskrav: {exc}.")
        percent = None
    excluded = parse_tkr(post.get("excluded", ""), "Undantagen del", errors)
    measures = []
    for m in [*plan.efficiency.all(), None]:
        prefix = f"m{m.pk}" if m else "new"
        name = post.get(f"{prefix}-name", "").strip()
        if m is None and not name:
            continue
        if m is not None and post.get(f"{prefix}-del"):
            measures.append((m, None))
            continue
        amounts = {}
        for y in plan.plan_years:
            s = parse_tkr(post.get(f"{prefix}-s-{y}", ""), f"{name} besparing {y}", errors)
            c = parse_tkr(post.get(f"{prefix}-c-{y}", ""), f"{name} kostnadsökning {y}", errors)
            if s is not None or c is not None:
                amounts[y] = {"saving": s or 0, "cost": c or 0}
        fields = {
            k: post.get(f"{prefix}-{k}", "")
            for k in ("area", "content", "premise", "consequence", "feasibility")
        }
        measures.append((m, dict(name=name, amounts=amounts, **fields)))
    if errors:
        return _efficiency_page(request, plan, errors, status=400)
    try:
        if (percent is not None and percent != plan.efficiency_percent) or (
            excluded is not None and excluded != plan.efficiency_excluded
        ):
            plan = services.frame_plan_update(
                actor=request.user,
                plan=plan,
                efficiency_percent=percent,
                efficiency_excluded=excluded,
            )
        for m, values in measures:
            if values is None:
                services.efficiency_measure_delete(actor=request.user, measure=m)
            else:
                services.efficiency_measure_save(actor=request.user, plan=plan, measure=m, **values)
    except (ValidationError, LockedError) as exc:
        errors.extend(getattr(exc, "messages", [str(exc)]))
        return _efficiency_page(request, plan, errors, status=400)
    messages.success(request, "Effektiviseringsplanen sparades.")
    return redirect("planning_efficiency", plan_id=plan.pk)


def _efficiency_page(request, plan: FramePlan, errors, status=200):
    plan.refresh_from_db()
    e = selectors.efficiency_plan(plan)
    measures = []
    for m, per in e.measures:
        measures.append(
            {
                "m": m,
                "cells": [
                    (
                        y,
                        tkr_input(per[y][0]) if per[y][0] else "",
                        tkr_input(per[y][1]) if per[y][1] else "",
                    )
                    for y in plan.plan_years
                ],
            }
        )
    return render(
        request,
        "planning/efficiency.html",
        {
            "plan": plan,
            "committee": plan.committee,
            "e": e,
            "measures": measures,
            "years": plan.plan_years,
            "percent": format_number(plan.efficiency_percent.normalize(), 2)
            .rstrip("0")
            .rstrip(","),
            "excluded": tkr_input(plan.efficiency_excluded),
            "errors": errors,
            "locked": event_is_locked(plan.event),
        },
        status=status,
    )


# ------------------------------------------------------------------ investment plan


@access.obj(
    access.FINANCE, FramePlan.objects.select_related("committee", "event"), "plan_id",
    node=_plan_node,
)  # fmt: skip
def investments(request, plan: FramePlan):
    errors: list[str] = []
    years = selectors.investment_years(plan)
    data = {"number": "", "name": "", "group": "nya", "status": "P", "decided_year": ""}
    data.update({k: "" for k in ("decided_total", "outcome_to_date", "new_total")})
    data.update({f"y-{y}": "" for y in years})
    if request.method == "POST":
        data = {k: request.POST.get(k, "").strip() for k in data}
        fields = {}
        for k in ("decided_total", "outcome_to_date", "new_total"):
            fields[k] = parse_tkr(data[k], k, errors)
        try:
            fields["decided_year"] = int(data["decided_year"]) if data["decided_year"] else None
        except ValueError:
            errors.append("Beslutat år ska vara ett år, t.ex. 2019.")
        amounts = {}
        for y in years:
            v = parse_tkr(data[f"y-{y}"], f"Plan {y}", errors)
            if v is not None:
                amounts[y] = v
        if not errors:

            def make():
                try:
                    inv = services.investment_save(
                        actor=request.user,
                        plan=plan,
                        number=data["number"],
                        name=data["name"],
                        group=data["group"],
                        status=data["status"],
                        amounts=amounts,
                        **fields,
                    )
                except (ValidationError, LockedError) as exc:
                    errors.extend(getattr(exc, "messages", [str(exc)]))
                    return _investments_page(request, plan, data, errors)
                messages.success(request, f"Projektet {inv.number} {inv.name} lades till.")
                return redirect("planning_investment", investment_id=inv.pk)

            return once(request, make)
    return _investments_page(request, plan, data, errors)


def _investments_page(request, plan, data, errors):
    from .models import InvestmentGroup, InvestmentStatus

    years = selectors.investment_years(plan)
    return render(
        request,
        "planning/investments.html",
        {
            "plan": plan,
            "committee": plan.committee,
            "groups": selectors.investment_plan(plan),
            "years": years,
            "data": data,
            "year_inputs": [(y, data[f"y-{y}"]) for y in years],
            "group_choices": InvestmentGroup.choices,
            "status_choices": InvestmentStatus.choices,
            "errors": errors,
            "locked": event_is_locked(plan.event),
        },
        status=400 if errors else 200,
    )


def _components_text(components) -> str:
    return "\n".join(
        f"{c['name']}; {tkr_input(Decimal(c['amount']))}; {c['life']}" for c in components
    )


def _parse_components(text: str, errors: list[str]) -> list[dict]:
    out = []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split(";")]
        if len(parts) != 3:
            errors.append(f"Komponent rad {n}: skriv namn; belopp i tkr; livslängd i år.")
            continue
        amount = parse_tkr(parts[1], f"Komponent rad {n}", errors)
        try:
            life = int(parts[2])
        except ValueError:
            errors.append(f"Komponent rad {n}: livslängden {parts[2]!r} är inget antal år.")
            continue
        if amount is not None:
            out.append({"name": parts[0], "amount": abs(amount), "life": life})
    return out


BASIS_TEXT = ["officer", "description", "motivation", "consequence"]
BASIS_MONEY = ["property_amount", "other_amount", "property_grant", "other_grant",
               "property_costs", "running_costs", "rent"]  # fmt: skip


@access.obj(
    access.FINANCE,
    PlanInvestment.objects.select_related("plan__committee", "plan__event"),
    "investment_id",
    node=lambda i: i.plan.committee,
)
def investment_detail(request, investment: PlanInvestment):
    basis = getattr(investment, "basis", None)
    errors: list[str] = []
    data = {k: getattr(basis, k, "") if basis else "" for k in BASIS_TEXT}
    data.update({k: tkr_input(getattr(basis, k)) if basis else "" for k in BASIS_MONEY})
    data["go_live_year"] = str(basis.go_live_year) if basis else ""
    data["go_live_month"] = str(basis.go_live_month) if basis else ""
    data["other_life"] = str(basis.other_life or "") if basis else ""
    data["interest_rate"] = format_number(basis.interest_rate, 2) if basis else ""
    data["components"] = _components_text(basis.components) if basis else ""
    if request.method == "POST":
        data = {k: request.POST.get(k, "").strip() for k in data}
        fields: dict = {k: data[k] for k in BASIS_TEXT}
        for k in BASIS_MONEY:
            fields[k] = (
                parse_tkr(data[k], InvestmentBasis._meta.get_field(k).verbose_name, errors) or 0
            )
        try:
            fields["go_live_year"] = int(data["go_live_year"])
            fields["go_live_month"] = int(data["go_live_month"])
        except ValueError:
            errors.append("Ange prel. driftsättning som år och månad (1–12).")
        try:
            fields["other_life"] = int(data["other_life"]) if data["other_life"] else None
            fields["interest_rate"] = parse_number(data["interest_rate"]) or Decimal(0)
        except (ValueError, NumberFormatError) as exc:
            errors.append(f"Livslängd eller internränta: {exc}.")
        fields["components"] = _parse_components(data["components"], errors)
        if not errors:

            def make():
                try:
                    services.investment_basis_save(
                        actor=request.user, investment=investment, **fields
                    )
                except (ValidationError, LockedError) as exc:
                    errors.extend(getattr(exc, "messages", [str(exc)]))
                    return _investment_page(request, investment, data, errors)
                messages.success(request, f"Underlaget för {investment.name} sparades.")
                return redirect("planning_investment", investment_id=investment.pk)

            return once(request, make)
    return _investment_page(request, investment, data, errors)


def _investment_page(request, investment, data, errors):
    investment.refresh_from_db()
    view = selectors.basis_view(investment)
    return render(
        request,
        "planning/investment.html",
        {
            "inv": investment,
            "plan": investment.plan,
            "committee": investment.plan.committee,
            "view": view,
            "data": data,
            "months": list(enumerate(MONTHS_LONG, start=1)),
            "errors": errors,
            "locked": event_is_locked(investment.plan.event),
        },
        status=400 if errors else 200,
    )


# ------------------------------------------------------------------ plan-year targets


@access.obj(
    access.FINANCE, FramePlan.objects.select_related("committee", "event"), "plan_id",
    node=_plan_node,
)  # fmt: skip
def targets(request, plan: FramePlan):
    from styra.goals import services as goals
    from styra.goals.calc import TargetError, parse_target
    from styra.goals.models import Measure

    years = plan.plan_years
    last = plan.first_year - 1
    measures = list(
        Measure.objects.filter(goal__committee=plan.committee)
        .select_related("goal")
        .prefetch_related("targets", "outcomes")
        .order_by("goal__code", "sort_order", "code")
    )
    errors: list[str] = []
    marks = {mk.measure_id: mk for mk in MeasureMark.objects.filter(plan=plan)}
    rows = []
    for m in measures:
        current = {t.year: t.as_calc().label(m.unit) for t in m.targets.all() if t.gender == "T"}
        outcome = next(
            (o.value for o in m.outcomes.all() if o.year == last and o.gender == "T"), None
        )
        mark = marks.get(m.pk)
        rows.append(
            {
                "m": m,
                "current": current,
                "outcome": outcome,
                "cells": [(y, current.get(y, "")) for y in years],
                "mark": mark.kind if mark else "",
                "mark_text": mark.text if mark else "",
            }
        )
    if request.method == "POST":
        changes = []
        for r in rows:
            for y in years:
                text = request.POST.get(f"t-{r['m'].pk}-{y}", "").strip()
                if text == r["current"].get(y, ""):
                    continue
                try:
                    changes.append((r["m"], y, parse_target(text)))
                except TargetError as exc:
                    errors.append(f"{r['m'].name} {y}: {exc}")
        mark_changes = []
        for r in rows:
            kind = request.POST.get(f"mark-{r['m'].pk}", "")
            text = request.POST.get(f"marktext-{r['m'].pk}", "").strip()
            if (kind, text) != (r["mark"], r["mark_text"]):
                mark_changes.append((r["m"], kind, text))
        if not errors:
            try:
                for m, y, target in changes:
                    goals.target_set(actor=request.user, measure=m, year=y, target=target)
                for m, kind, text in mark_changes:
                    services.measure_mark_set(
                        actor=request.user, plan=plan, measure=m, kind=kind, text=text
                    )
            except ValidationError as exc:
                errors.extend(exc.messages)
            else:
                messages.success(
                    request, f"{len(changes)} mål och {len(mark_changes)} förslag ändrade."
                )
                return redirect("planning_targets", plan_id=plan.pk)
        for r in rows:
            r["cells"] = [(y, request.POST.get(f"t-{r['m'].pk}-{y}", "")) for y in years]
            r["mark"] = request.POST.get(f"mark-{r['m'].pk}", "")
            r["mark_text"] = request.POST.get(f"marktext-{r['m'].pk}", "")
    return render(
        request,
        "planning/targets.html",
        {
            "plan": plan,
            "committee": plan.committee,
            "rows": rows,
            "years": years,
            "last": last,
            "errors": errors,
            "mark_kinds": MarkKind.choices,
        },
        status=400 if errors else 200,
    )
