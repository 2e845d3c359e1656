"""Finance pages: the controller's follow-up grid, events, budget grid; the unit
manager's forecast form; investments and volumes. Thin: authorise, call, render."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from styra.ledger.models import ReportRow
from styra.ledger.rows import scheme_for
from styra.lib.numbers import NumberFormatError, parse_number
from styra.lib.periods import MONTHS_SHORT
from styra.lib.svgchart import Series, line_chart
from styra.org import access as org_access
from styra.org.models import NodeKind, OrgNode
from styra.org.selectors import rollup_map
from styra.web import access

from . import calc, selectors, services
from .models import BudgetLine, EventStatus, Forecast, ReportingEvent


def _committee(node: OrgNode) -> OrgNode:
    committee = node.committee()
    if committee is None:
        raise Http404("Enheten hör inte till någon nämnd.")
    return committee


def _event(committee: OrgNode, code: str | None) -> ReportingEvent:
    qs = ReportingEvent.objects.filter(committee=committee)
    if code:
        return get_object_or_404(qs, code=code)
    event = (
        qs.filter(status=EventStatus.OPEN).order_by("year", "cutoff_period").first() or qs.last()
    )
    if event is None:
        raise Http404("Nämnden har inga rapporttillfällen ännu.")
    return event


@access.login
def finance_home(request):
    """Every committee and unit the user works with, and their reporting events."""
    nodes = org_access.nodes_for(request.user, org_access.VIEW)
    committees = [n for n in nodes if n.kind == NodeKind.COMMITTEE]
    editable = [
        n
        for n in org_access.nodes_for(request.user, org_access.EDIT)
        if n.kind != NodeKind.COMMITTEE and n.budget_lines.exists()
    ]
    events = ReportingEvent.objects.filter(
        Q(committee__in=committees) | Q(committee__in={_committee(n) for n in editable})
    ).select_related("committee")
    return render(
        request,
        "finance/home.html",
        {
            "committees": committees,
            "units": editable,
            "events": events,
        },
    )


def _grid_rows(fu: selectors.FollowUp):
    """Rows for the template: unit rows with their sub-rows, then the total."""
    rows = []
    for uf in fu.units:
        rows.append({"unit": uf.unit, "label": uf.unit.name, "fig": uf.net, "level": 0})
        for key, label in fu.row_keys:
            rows.append(
                {"unit": uf.unit, "label": label, "fig": uf.by_row[key], "level": 1, "key": key}
            )
    return rows


@access.node(access.VIEW)
def finance_grid(request, node: OrgNode):
    committee = _committee(node)
    event = _event(committee, request.GET.get("handelse"))
    level = "detail" if request.GET.get("niva") == "detalj" else "report"
    memo: dict = {}  # the three reads below share the tree, ledger and budget figures
    fu = selectors.follow_up(committee, event, level=level, memo=memo)
    by_cost = (
        fu
        if level == "report"
        else selectors.follow_up(committee, event, level="report", memo=memo)
    )
    chart_units = [uf.unit for uf in fu.units]
    chart_unit = next((u for u in chart_units if str(u.pk) == request.GET.get("diagram")), None)
    series = selectors.monthly_series(committee, event, chart_unit, memo=memo)
    labels = list(MONTHS_SHORT)
    subject = chart_unit.name if chart_unit else f"{committee.name}, totalt"
    chart = line_chart(
        f"Ackumulerat utfall, budget och prognos {event.year}: {subject}",
        "Linjediagram: ackumulerat utfall t.o.m. "
        f"{MONTHS_SHORT[min(event.cutoff_period, 12) - 1]}, ackumulerad budget och prognosens väg "
        "till helårsprognosen, i tkr. Samma siffror finns i tabellen under diagrammet.",
        labels,
        [
            Series("Utfall", series["outcome"] + [None] * (12 - len(series["outcome"]))),
            Series("Budget", series["budget"]),
            Series("Prognos", series["forecast"]),
        ],
    )
    chart_rows = [
        (
            labels[i],
            series["outcome"][i] if i < len(series["outcome"]) else None,
            series["budget"][i],
            series["forecast"][i] if i < len(series["forecast"]) else None,
        )
        for i in range(12)
    ]
    return render(
        request,
        "finance/grid.html",
        {
            "committee": committee,
            "event": event,
            "fu": fu,
            "rows": _grid_rows(fu),
            "cost_rows": [(label, by_cost.total.by_row[key]) for key, label in by_cost.row_keys],
            "cost_total": by_cost.total.net,
            "level": level,
            "events": selectors.events_for(committee),
            "chart": chart,
            "chart_rows": chart_rows,
            "can_finance": org_access.can(request.user, org_access.FINANCE, committee),
            "chart_units": chart_units,
            "chart_unit": chart_unit,
        },
    )


def _unit_rows(unit: OrgNode, event: ReportingEvent):
    """Rows of the unit's forecast form: every node of its subtree that has budget, outcome
    or a forecast, × report row, with outcome, budget, proposals and the saved forecast."""
    committee = _committee(unit)
    year, cutoff = event.year, event.cutoff_period
    scheme = scheme_for(committee.municipality, year)
    rows = {r.code: r for r in ReportRow.objects.filter(scheme=scheme)} if scheme else {}
    subtree = rollup_map(unit.municipality, [unit])
    nodes = {n.pk: n for n in OrgNode.objects.filter(pk__in=subtree)}
    # Only the unit's subtree is shown: read no other unit's figures (the same figures, at
    # scale a fraction of the work).
    outcome = selectors.outcome_by_unit_row(committee, year, 1, cutoff, unit_ids=subtree)
    budgets = selectors.budget_by_unit_row(committee, year, cutoff, unit_ids=subtree)
    lines = {
        (b.unit_id, b.row_code): b
        for b in BudgetLine.objects.filter(unit_id__in=subtree, year=year)
    }
    saved = {
        (f.unit_id, f.row_code): f
        for f in Forecast.objects.filter(event=event, unit_id__in=subtree)
    }
    previous = selectors.forecasts_by_unit_row(selectors.previous_event(event))
    keys = {k for k in [*outcome, *budgets, *saved] if k[0] in subtree}
    keys = sorted(
        keys, key=lambda k: (nodes[k[0]].sort_order, rows[k[1]].order if k[1] in rows else 999)
    )
    last_year = selectors.monthly_outcome(committee, year - 1, unit_ids=subtree)
    out = []
    for node_id, code in keys:
        key = (node_id, code)
        to_date = outcome.get(key, Decimal(0))
        _orig, current, budget_to_date = budgets.get(key, (0, Decimal(0), Decimal(0)))
        line = lines.get(key)
        months = (
            calc.periodise(current, selectors._weights_for(line, last_year))
            if line
            else [Decimal(0)] * 12
        )
        f = saved.get(key)
        row_name = rows[code].name if code in rows else code
        out.append(
            {
                "field": f"{node_id}-{code}",
                "name": row_name if node_id == unit.pk else f"{nodes[node_id].name}: {row_name}",
                "outcome": to_date,
                "budget_to_date": budget_to_date,
                "budget": current,
                "proposal_budget": calc.proposal_remaining_budget(to_date, months, cutoff),
                "proposal_rate": calc.proposal_run_rate(to_date, cutoff),
                "forecast": f.amount if f else None,
                "comment": f.comment if f else "",
                "character": f.character if f else "",
                "previous": previous.get(key),
            }
        )
    return out


@access.node(access.EDIT)
def forecast_form(request, node: OrgNode, event_code: str):
    committee = _committee(node)
    event = _event(committee, event_code)
    if request.method == "POST":
        try:
            _save_forecast(request, node, event)
        except (ValidationError, PermissionError) as exc:
            messages.error(
                request, " ".join(exc.messages) if hasattr(exc, "messages") else str(exc)
            )
        return redirect("forecast_form", node_id=node.pk, event_code=event.code)
    rows = _unit_rows(node, event)
    totals = {
        k: sum((r[k] or 0 for r in rows), Decimal(0))
        for k in ("outcome", "budget_to_date", "budget", "proposal_budget", "proposal_rate")
    }
    totals["forecast"] = sum((r["forecast"] for r in rows if r["forecast"] is not None), Decimal(0))
    ready = event.ready.filter(unit=node).first()
    return render(
        request,
        "finance/forecast_form.html",
        {
            "unit": node,
            "event": event,
            "rows": rows,
            "totals": totals,
            "ready": ready,
            "locked": event.is_locked,
        },
    )


def _save_forecast(request, unit, event):
    if request.POST.get("action") == "klar":
        services.forecast_mark_ready(user=request.user, event=event, unit=unit)
        messages.success(request, f"Prognosen för {unit.name} är klarmarkerad.")
        return
    proposal = {"forslag-budget": "proposal_budget", "forslag-takt": "proposal_rate"}.get(
        request.POST.get("action", "")
    )
    if proposal:
        # Take the chosen proposal for every row that has no forecast yet; the user adjusts.
        taken = 0
        nodes = {
            n.pk: n for n in OrgNode.objects.filter(pk__in=rollup_map(unit.municipality, [unit]))
        }
        for row in _unit_rows(unit, event):
            if row["forecast"] is None:
                node_id, _dash, code = row["field"].partition("-")
                services.forecast_save(
                    user=request.user,
                    event=event,
                    unit=nodes[int(node_id)],
                    row_code=code,
                    amount=row[proposal],
                )
                taken += 1
        messages.success(request, f"Förslaget är infört på {taken} rader; justera och spara.")
        return
    errors = []
    saved = 0
    subtree = rollup_map(unit.municipality, [unit])
    nodes = {n.pk: n for n in OrgNode.objects.filter(pk__in=subtree)}
    for key, value in request.POST.items():
        if not key.startswith("prognos-"):
            continue
        field = key.removeprefix("prognos-")
        node_id, _dash, code = field.partition("-")
        node = nodes.get(int(node_id)) if node_id.isdigit() else None
        if node is None:
            errors.append(f"{field}: raden hör inte till {unit.name}")
            continue
        try:
            amount = parse_number(value)
        except NumberFormatError:
            errors.append(f"{node.name}, {code}: {value!r} är inget belopp")
            continue
        if amount is None:
            continue
        services.forecast_save(
            user=request.user,
            event=event,
            unit=node,
            row_code=code,
            amount=amount * 1000,
            comment=request.POST.get(f"kommentar-{field}", ""),
            character=request.POST.get(f"karaktar-{field}", ""),
        )
        saved += 1
    for e in errors:
        messages.error(request, e)
    if saved:
        messages.success(request, f"{saved} prognosrader sparade för {unit.name}.")


@access.node(access.FINANCE)
def event_list(request, node: OrgNode):
    committee = _committee(node)
    rows = []
    for event in selectors.events_for(committee):
        fu = selectors.follow_up(committee, event)
        rows.append(
            {
                "event": event,
                "missing": fu.missing,
                "forecast": fu.total.net.forecast,
                "deviation": fu.total.net.deviation,
            }
        )
    return render(request, "finance/events.html", {"committee": committee, "rows": rows})


@access.node(access.FINANCE)
@require_POST
def event_approve(request, node: OrgNode, event_code: str):
    committee = _committee(node)
    event = _event(committee, event_code)
    try:
        services.event_approve(event=event, user=request.user)
        messages.success(request, f"{event.name} är godkänd och låst.")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("event_list", node_id=committee.pk)


@access.node(access.FINANCE)
@require_POST
def event_send(request, node: OrgNode, event_code: str):
    committee = _committee(node)
    event = _event(committee, event_code)
    try:
        services.event_send(event=event, user=request.user)
        messages.success(request, f"{event.name} är markerad som skickad till KS.")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("event_list", node_id=committee.pk)


@access.node(access.FINANCE)
def budget_grid(request, node: OrgNode):
    committee = _committee(node)
    try:
        year = int(request.GET.get("ar") or request.POST.get("ar") or 0)
    except ValueError:
        year = 0
    year = year or (
        BudgetLine.objects.filter(unit__municipality=committee.municipality)
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
        or 2020
    )
    units = selectors.detail_units(committee, year)
    scheme = scheme_for(committee.municipality, year)
    rows = list(ReportRow.objects.filter(scheme=scheme).order_by("order")) if scheme else []
    if request.method == "POST":
        changed = 0
        for key, value in request.POST.items():
            if not key.startswith("b-"):
                continue
            _b, unit_id, code = key.split("-", 2)
            unit = next((u for u in units if str(u.pk) == unit_id), None)
            if unit is None:
                continue
            try:
                amount = parse_number(value)
            except NumberFormatError:
                messages.error(request, f"{unit.name}, {code}: {value!r} är inget belopp")
                continue
            current = BudgetLine.objects.filter(unit=unit, year=year, row_code=code).first()
            if amount is None or (current and current.amount == amount * 1000):
                continue
            services.budget_set(
                user=request.user, unit=unit, year=year, row_code=code, amount=amount * 1000
            )
            changed += 1
        messages.success(request, f"{changed} budgetceller ändrade.")
        return redirect(f"{request.path}?ar={year}")
    lines = {
        (b.unit_id, b.row_code): b.amount
        for b in BudgetLine.objects.filter(year=year, unit__in=units)
    }
    grid = [
        {
            "unit": u,
            "cells": [(r, lines.get((u.pk, r.code))) for r in rows],
            "total": sum((lines.get((u.pk, r.code)) or 0 for r in rows), Decimal(0)),
        }
        for u in units
    ]
    return render(
        request,
        "finance/budget.html",
        {
            "committee": committee,
            "year": year,
            "rows": rows,
            "grid": grid,
            "column_totals": [
                sum((lines.get((u.pk, r.code)) or 0 for u in units), Decimal(0)) for r in rows
            ],
        },
    )


@access.node(access.VIEW)
def investments(request, node: OrgNode):
    committee = _committee(node)
    event = _event(committee, request.GET.get("handelse"))
    data = selectors.investment_follow_up(committee, event)
    return render(
        request, "finance/investments.html", {"committee": committee, "event": event, **data}
    )


@access.node(access.VIEW)
def volumes(request, node: OrgNode):
    committee = _committee(node)
    event = _event(committee, request.GET.get("handelse"))
    data = selectors.volume_follow_up(committee, event)
    return render(request, "finance/volumes.html", {"committee": committee, "event": event, **data})


@access.login
def overview(request):
    """Kommunöversikt: every committee the user may see, with the net of its follow-up at
    its current reporting event (one page for the whole municipality)."""
    committees = [
        n
        for n in org_access.nodes_for(request.user, org_access.VIEW)
        if n.kind == NodeKind.COMMITTEE
    ]
    lines = selectors.committee_overview(committees)
    total = selectors.Figures()
    for line in lines:
        total.add(line.net)
    return render(
        request,
        "finance/overview.html",
        {
            "lines": lines,
            "total": total,
            "several_municipalities": len({c.municipality_id for c in committees}) > 1,
        },
    )
