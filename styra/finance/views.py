"""Finance pages: the controller's follow-up grid, events, budget grid; the unit
manager's forecast form; investments and volumes. Thin: authorise, call, render."""

from __future__ import annotations

from dataclasses import fields as dataclass_fields
from decimal import Decimal
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from styra.calendar.locks import approval_problems, locked_events
from styra.calendar.models import EventStatus, ReportingEvent
from styra.calendar.selectors import events_of
from styra.calendar.services import event_approve, event_reopen, event_send, event_submit
from styra.ledger.models import ReportRow
from styra.ledger.rows import scheme_for
from styra.lib.errors import UsageError
from styra.lib.numbers import NumberFormatError, format_tkr_exact, parse_number, parse_tkr_exact
from styra.lib.periods import MONTHS_SHORT
from styra.lib.svgchart import Series, line_chart
from styra.org import access as org_access
from styra.org.models import NodeKind, OrgNode
from styra.org.selectors import detail_units
from styra.web import access

from . import calc, figures, selectors, services
from .gridhtml import grid_rows_html
from .models import BudgetLine, Character, ForecastReopening

# The grid's "Övriga kostnader" includes the financial items (figures.COARSE3): its drill-down
# lists both coarse rows.
DRILL_ROWS = {"other": "other,financial"}


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


def _open_ids(raw: str) -> set[int]:
    """The node ids the follow-up shows opened (the `oppna` parameter: ids with commas)."""
    return {int(part) for part in raw.split(",") if part.strip().isdigit()}


def _toggle_query(request, opened: set[int], node_id: int | None = None, every=None) -> str:
    """The query string of the same page with node_id opened or closed (or `every` open)."""
    query = request.GET.copy()
    query.pop("niva", None)
    if every is not None:
        new = set(every)
    else:
        new = set(opened) ^ {node_id}
    if new:
        query["oppna"] = ",".join(str(i) for i in sorted(new))
    else:
        query.pop("oppna", None)
    return "?" + query.urlencode()


def _grid_rows(request, fu, committee, event, opened, memo, within, depth=0, seen=None):
    """Rows for the template: each unit's net row and its cost rows; an opened unit is
    followed by its children's rows (any depth), figures from the same engine call."""
    seen = set() if seen is None else seen
    rows = []
    for uf in fu.units:
        unit = uf.unit
        kids = selectors.children_in_year(committee, unit.pk, event.year, memo)
        is_open = unit.pk in opened and bool(kids) and unit.pk not in seen
        rows.append(
            {
                "unit": unit,
                "label": unit.name,
                "fig": uf.net,
                "level": 0,
                "depth": depth,
                "has_children": bool(kids),
                "open": is_open,
                "toggle": _toggle_query(request, opened, unit.pk) if kids else "",
            }
        )
        for key, label in fu.row_keys:
            rows.append(
                {
                    "unit": unit,
                    "label": label,
                    "fig": uf.by_row[key],
                    "level": 1,
                    "depth": depth,
                    "key": key,
                }
            )
        if is_open:
            sub = figures.follow_up(committee, event, memo=memo, within=within, targets=kids)
            rows.extend(
                _grid_rows(
                    request,
                    sub,
                    committee,
                    event,
                    opened,
                    memo,
                    within,
                    depth + 1,
                    seen | {unit.pk},
                )
            )
    return rows


def _all_parents(committee, event, units, memo, limit=4) -> set[int]:
    """The ids of every node with children below `units`, down to `limit` levels."""
    out: set[int] = set()
    level = list(units)
    for _ in range(limit):
        following = []
        for unit in level:
            kids = selectors.children_in_year(committee, unit.pk, event.year, memo)
            if kids:
                out.add(unit.pk)
                following.extend(kids)
        level = following
    return out


@access.node(access.VIEW)
def finance_grid(request, node: OrgNode):
    """The follow-up grid: the whole committee for committee roles; for a unit role only
    the node's subtree, with its own total (never the committee's)."""
    scope = org_access.read_scope(request.user, node)
    committee = scope.committee
    within = None if scope.whole else scope.root
    event = _event(committee, request.GET.get("handelse"))
    level = "report"
    memo: dict = {}  # the reads below share the tree, ledger and budget figures
    fu = figures.follow_up(committee, event, level=level, memo=memo, within=within)
    by_cost = fu
    every = _all_parents(committee, event, [uf.unit for uf in fu.units], memo)
    if request.GET.get("niva") == "detalj":
        opened = set(every)
    else:
        opened = _open_ids(request.GET.get("oppna", "")) & every
    chart_units = [uf.unit for uf in fu.units]
    chart_unit = next((u for u in chart_units if str(u.pk) == request.GET.get("diagram")), None)
    series = figures.monthly_series(committee, event, chart_unit or within, memo=memo)
    labels = list(MONTHS_SHORT)
    subject = (chart_unit or within).name if (chart_unit or within) else f"{committee.name}, totalt"
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
    can_finance = org_access.can(request.user, org_access.FINANCE, committee)
    drill = "&" + urlencode(
        {"handelse": event.code, "oppna": ",".join(str(i) for i in sorted(opened))}
        if opened
        else {"handelse": event.code}
    )
    # the committee's (or the scope's) rows and total drill down to the whole subtree
    base = (
        reverse("ledger_transactions", kwargs={"node_id": scope.root.pk})
        + f"?ar={event.year}&tom={event.cutoff_period}"
    )
    total_drill = base + drill if can_finance else ""
    cost_rows = [
        (
            label,
            by_cost.total.by_row[key],
            f"{base}&rad={DRILL_ROWS.get(key, key)}{drill}" if can_finance else "",
        )
        for key, label in by_cost.row_keys
    ]
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
            "scope": scope,
            "event": event,
            "fu": fu,
            "rows_html": grid_rows_html(
                _grid_rows(request, fu, committee, event, opened, memo, within),
                event=event,
                drill=drill,
                can_finance=can_finance,
            ),
            "open_all": _toggle_query(request, opened, every=every),
            "close_all": _toggle_query(request, opened, every=set()),
            "opened": ",".join(str(i) for i in sorted(opened)),
            # a drill-down knows where it came from: its back link returns here
            "drill": drill,
            "total_drill": total_drill,
            "cost_rows": cost_rows,
            "cost_total": by_cost.total.net,
            "level": level,
            "events": events_of(committee),
            "chart": chart,
            "chart_rows": chart_rows,
            "can_finance": can_finance,
            "chart_units": chart_units,
            "chart_unit": chart_unit,
        },
    )


@access.node(access.EDIT)
def forecast_form(request, node: OrgNode, event_code: str):
    """The unit's forecast form. Amounts are shown and read exactly (tkr with decimals);
    only the cells the user changed are written; a form with any error stores nothing and
    comes back with what was typed and each error beside its cell. Only the rows the page
    offered (the unit's subtree) and the offered characters are accepted. Every button
    saves what was typed first: a proposal then fills only rows still empty, and
    klarmarkera takes the comments just written (required above the event's threshold)."""
    committee = _committee(node)
    event = _event(committee, event_code)
    typed: dict[str, dict] = {}
    errors: dict[str, str] = {}
    general: list[str] = []
    if request.method == "POST":
        action = request.POST.get("action", "spara")
        try:
            if action == "oppna":
                services.forecast_reopen(
                    actor=request.user, event=event, unit=node, reason=request.POST.get("skal", "")
                )
                messages.success(request, f"Prognosen för {node.name} är öppen för ändringar igen.")
                return redirect("forecast_form", node_id=node.pk, event_code=event.code)
            if any(k.startswith("prognos-") for k in request.POST):
                typed, errors, general = _save_forecast_cells(request, node, event)
            if not errors and not general:
                if action != "spara":
                    _forecast_action(request, node, event, action)
                return redirect("forecast_form", node_id=node.pk, event_code=event.code)
        except (ValidationError, PermissionError) as exc:
            general.append(" ".join(exc.messages) if hasattr(exc, "messages") else str(exc))
    rows = figures.forecast_rows(node, event)
    threshold = event.comment_threshold
    totals = {
        k: sum((getattr(r, k) for r in rows), Decimal(0))
        for k in ("outcome", "budget_to_date", "budget", "proposal_budget", "proposal_rate")
    }
    # A row without a forecast counts as its budget (the engine's rule), marked missing.
    totals["forecast"] = sum(
        (r.forecast if r.forecast is not None else r.budget for r in rows), Decimal(0)
    )
    totals["deviation"] = totals["forecast"] - totals["budget"]
    ready = event.ready.filter(unit=node).first()
    can_finance = org_access.can(request.user, org_access.FINANCE, node)
    editable = not event.is_locked and (ready is None or can_finance)
    shown = []
    for r in rows:
        cell = {f.name: getattr(r, f.name) for f in dataclass_fields(r)}
        mine = typed.get(r.field)
        cell["was"] = format_tkr_exact(r.forecast)
        cell["text"] = mine["text"] if mine else cell["was"]
        if mine:
            cell["comment"], cell["character"] = mine["comment"], mine["character"]
        cell["error"] = errors.get(r.field, "")
        cell["deviation"] = None if r.forecast is None else r.forecast - r.budget
        cell["needs_comment"] = calc.needs_comment(r.forecast, r.budget, r.comment, threshold)
        shown.append(cell)
    return render(
        request,
        "finance/forecast_form.html",
        {
            "unit": node,
            "event": event,
            "rows": shown,
            "totals": totals,
            "ready": ready,
            "locked": event.is_locked,
            "editable": editable,
            "errors": general,
            "characters": Character.choices,
            "threshold": threshold,
            "missing_comments": sum(1 for c in shown if c["needs_comment"]),
            "can_reopen": ready is not None and not event.is_locked and can_finance,
            "reopenings": ForecastReopening.objects.filter(event=event, unit=node).select_related(
                "reopened_by"
            ),
        },
        status=400 if (errors or general) else 200,
    )


def _forecast_action(request, unit, event, action):
    if action == "klar":
        services.forecast_mark_ready(actor=request.user, event=event, unit=unit)
        messages.success(request, f"Prognosen för {unit.name} är klarmarkerad.")
        return
    proposal = {"forslag-budget": "proposal_budget", "forslag-takt": "proposal_rate"}.get(action)
    if proposal is None:
        raise ValidationError(f"Okänd åtgärd {action!r}.")
    # Take the chosen proposal for every row that has no forecast yet (what was typed was
    # saved just before, so it is never overwritten); the user adjusts.
    taken = 0
    with transaction.atomic():
        for row in figures.forecast_rows(unit, event):
            if row.forecast is None:
                services.forecast_save(
                    actor=request.user,
                    event=event,
                    unit=row.node,
                    row_code=row.row_code,
                    amount=getattr(row, proposal),
                )
                taken += 1
    messages.success(request, f"Förslaget är infört på {taken} tomma rader; justera och spara.")


FORECAST_PREFIXES = ("prognos-", "kommentar-", "karaktar-", "was-")


def _save_forecast_cells(request, unit, event):
    """Write the changed cells of the form, all or nothing. Returns (typed, errors by
    field, general errors); nothing is stored when either has an entry."""
    rows = {r.field: r for r in figures.forecast_rows(unit, event)}
    characters = set(Character.values)
    typed: dict[str, dict] = {}
    errors: dict[str, str] = {}
    general: list[str] = []
    for key in request.POST:
        prefix = next((p for p in FORECAST_PREFIXES if key.startswith(p)), None)
        if prefix is not None and key.removeprefix(prefix) not in rows:
            general.append(
                f"Formuläret innehöll en rad som inte finns i {unit.name}s prognos "
                f"({key.removeprefix(prefix)}); ingenting sparades."
            )
    writes = []
    for field, row in rows.items():
        text = request.POST.get(f"prognos-{field}")
        if text is None:
            continue  # the cell was not on the page that was sent
        was = request.POST.get(f"was-{field}", format_tkr_exact(row.forecast))
        comment = request.POST.get(f"kommentar-{field}", row.comment).strip()
        character = request.POST.get(f"karaktar-{field}", row.character)
        typed[field] = {"text": text, "comment": comment, "character": character}
        if character not in characters:
            errors[field] = "Välj avvikelsens karaktär i listan."
            continue
        amount_changed = text.strip() != was.strip()
        if not amount_changed and comment == row.comment and character == row.character:
            continue  # untouched: not written, never rounded
        try:
            amount = parse_tkr_exact(text) if amount_changed else row.forecast
        except NumberFormatError as exc:
            errors[field] = f"{text!r} är inget belopp i tkr ({exc})."
            continue
        if amount is None:
            errors[field] = (
                "Ange helårsprognosen i tkr."
                if not amount_changed or not was
                else "En sparad prognos kan inte tömmas; ange ett belopp."
            )
            continue
        writes.append((row, amount, comment, character))
    if errors or general:
        return typed, errors, general
    with transaction.atomic():
        for row, amount, comment, character in writes:
            services.forecast_save(
                actor=request.user,
                event=event,
                unit=row.node,
                row_code=row.row_code,
                amount=amount,
                comment=comment,
                character=character,
            )
    if writes:
        messages.success(request, f"{len(writes)} prognosrader sparade för {unit.name}.")
    elif request.POST.get("action", "spara") == "spara":
        messages.info(request, "Inget var ändrat; ingenting sparades.")
    return typed, errors, general


@access.committee(access.FINANCE)
def event_list(request, node: OrgNode):
    from styra.web import clock

    committee = _committee(node)
    today = clock.today()
    rows = []
    for event in events_of(committee):
        fu = figures.follow_up(committee, event)
        rows.append(
            {
                "event": event,
                # An approved event no longer waits for anyone: its figures are decided.
                "missing": [] if event.is_locked else fu.missing,
                "late": not event.is_locked
                and event.deadline is not None
                and today > event.deadline
                and bool(fu.missing),
                "forecast": fu.total.net.forecast,
                "deviation": fu.total.net.deviation,
                "reopenings": list(event.reopenings.select_related("reopened_by")),
            }
        )
    return render(request, "finance/events.html", {"committee": committee, "rows": rows})


@access.committee(access.FINANCE)
def event_approve_view(request, node: OrgNode, event_code: str):
    """Approval in two steps: the page shows the figures and the report's own check; the
    confirmation is refused (by the service) while the check finds errors."""
    committee = _committee(node)
    event = _event(committee, event_code)
    if request.method == "POST" and request.POST.get("bekrafta") == "ja":
        try:
            event_approve(actor=request.user, event=event)
            messages.success(request, f"{event.name} är godkänd och låst.")
            return redirect("event_list", node_id=committee.pk)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    problems = [] if event.is_locked else approval_problems(event)
    fu = figures.follow_up(committee, event)
    return render(
        request,
        "finance/event_approve.html",
        {"committee": committee, "event": event, "fu": fu, "problems": problems},
    )


@access.committee(access.FINANCE)
@require_POST
def event_reopen_view(request, node: OrgNode, event_code: str):
    committee = _committee(node)
    event = _event(committee, event_code)
    try:
        event_reopen(actor=request.user, event=event, reason=request.POST.get("skal", ""))
        messages.success(request, f"{event.name} är öppnad igen.")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("event_list", node_id=committee.pk)


@access.node(access.EDIT)
@require_POST
def forecast_reopen_view(request, node: OrgNode, event_code: str):
    committee = _committee(node)
    event = _event(committee, event_code)
    try:
        services.forecast_reopen(
            actor=request.user, event=event, unit=node, reason=request.POST.get("skal", "")
        )
        messages.success(request, f"Prognosen för {node.name} är öppnad igen.")
    except (ValidationError, PermissionError) as exc:
        messages.error(request, " ".join(exc.messages) if hasattr(exc, "messages") else str(exc))
    return redirect("forecast_form", node_id=node.pk, event_code=event.code)


@access.committee(access.FINANCE)
@require_POST
def event_submit_view(request, node: OrgNode, event_code: str):
    """Mark the event ready (every contribution is in; handed to the committee): refused,
    like the approval, while the readiness checks find problems."""
    committee = _committee(node)
    event = _event(committee, event_code)
    try:
        event_submit(actor=request.user, event=event)
        messages.success(request, f"{event.name} är markerad klar och lämnad till nämnden.")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("event_list", node_id=committee.pk)


@access.committee(access.FINANCE)
@require_POST
def event_send_view(request, node: OrgNode, event_code: str):
    committee = _committee(node)
    event = _event(committee, event_code)
    try:
        event_send(actor=request.user, event=event)
        messages.success(request, f"{event.name} är markerad som skickad till KS.")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("event_list", node_id=committee.pk)


@access.committee(access.FINANCE)
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
    units = detail_units(committee, year)
    scheme = scheme_for(committee.municipality, year)
    rows = list(ReportRow.objects.filter(scheme=scheme).order_by("order")) if scheme else []
    lines = {
        (b.unit_id, b.row_code): b.amount
        for b in BudgetLine.objects.filter(year=year, unit__in=units)
    }
    typed: dict[tuple[int, str], str] = {}
    errors: dict[tuple[int, str], str] = {}
    general: list[str] = []
    if request.method == "POST":
        typed, errors, general = _save_budget_cells(request, year, units, rows, lines)
        if not errors and not general:
            return redirect(f"{request.path}?ar={year}")
    grid = [
        {
            "unit": u,
            "cells": [
                {
                    "row": r,
                    "was": format_tkr_exact(lines.get((u.pk, r.code))),
                    "text": typed.get((u.pk, r.code), format_tkr_exact(lines.get((u.pk, r.code)))),
                    "error": errors.get((u.pk, r.code), ""),
                }
                for r in rows
            ],
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
            "errors": general,
            "locked_by": [e.name for e in locked_events(committee, year)],
        },
        status=400 if (errors or general) else 200,
    )


def _save_budget_cells(request, year, units, rows, lines):
    """Write the budget cells the user changed, all or nothing: (typed, errors by cell,
    general errors). Only the cells the page offered (the committee's units × rows) are
    accepted; an amount is read exactly (tkr with up to five decimals)."""
    offered = {(u.pk, r.code): u for u in units for r in rows}
    names = {r.code: r.name for r in rows}
    typed: dict[tuple[int, str], str] = {}
    errors: dict[tuple[int, str], str] = {}
    general: list[str] = []
    writes = []
    for key in request.POST:
        if not key.startswith(("b-", "was-b-")):
            continue
        _b, _dash, rest = key.removeprefix("was-").partition("-")
        unit_id, _dash, code = rest.partition("-")
        cell = (int(unit_id), code) if unit_id.isdigit() else None
        if cell not in offered:
            general.append(
                f"Formuläret innehöll en budgetcell som inte finns på sidan ({rest}); "
                "ingenting sparades."
            )
            continue
        if key.startswith("was-"):
            continue
        text = request.POST[key]
        typed[cell] = text
        was = request.POST.get(f"was-{key}", format_tkr_exact(lines.get(cell)))
        if text.strip() == was.strip():
            continue  # untouched: not written, never rounded
        try:
            amount = parse_tkr_exact(text)
        except NumberFormatError as exc:
            errors[cell] = f"{text!r} är inget belopp i tkr ({exc})."
            continue
        if amount is None:
            errors[cell] = "Ange ett belopp (0 för ingen budget)."
            continue
        writes.append((offered[cell], cell[1], amount))
    if errors or general:
        return typed, errors, general
    try:
        with transaction.atomic():
            for unit, code, amount in writes:
                services.budget_set(
                    actor=request.user, unit=unit, year=year, row_code=code, amount=amount
                )
    except ValidationError as exc:
        return typed, errors, [" ".join(exc.messages)]
    changed = ", ".join(f"{u.name} {names[c]}" for u, c, _a in writes)
    messages.success(
        request,
        f"{len(writes)} budgetceller ändrade" + (f": {changed}." if writes else "."),
    )
    return typed, errors, general


@access.node(access.VIEW)
def investments(request, node: OrgNode):
    """The investment follow-up of an event; the controller enters each project's forecast
    for the year here (only the cells changed are written; an approved event is frozen)."""
    scope = org_access.read_scope(request.user, node)
    committee = scope.committee
    event = _event(committee, request.GET.get("handelse"))
    data = selectors.investment_follow_up(committee, event, unit_ids=scope.unit_ids)
    rows = [*data["multi_year"], *data["annual"]]
    exporting = request.GET.get("format") == "xlsx"
    may = org_access.can(request.user, org_access.FINANCE, committee)
    inputs = (
        {}
        if exporting or not may or event.is_locked
        else {
            f"inv-{r['project'].pk}": {"row": r, "text": format_tkr_exact(r["forecast"])}
            for r in rows
        }
    )
    errors: dict[str, str] = {}
    if request.method == "POST":
        if not may:
            raise PermissionDenied("Bara nämndens controller skriver investeringsprognoser.")
        errors, done = _investment_forecasts_save(request, event, inputs)
        if done is not None:
            return done
    for name, cell in inputs.items():
        cell["name"] = name
        cell["error"] = errors.get(name, "")
        cell["typed"] = cell["was"] = None
        if errors and name in request.POST:  # what was typed stays in the form
            cell["typed"] = request.POST[name]
            cell["was"] = request.POST.get(f"was-{name}", cell["text"])
    events = ReportingEvent.objects.filter(committee=committee).order_by("year", "cutoff_period")
    return render(
        request,
        "finance/investments.html",
        {"committee": committee, "scope": scope, "event": event, "events": events,
         "inputs": list(inputs.values()), "errors": errors, "may_enter": may, **data},
        status=400 if errors else 200,
    )  # fmt: skip


def _investment_forecasts_save(request, event, inputs):
    """The cells the user changed (typed text differs from what the page showed), exact
    kronor from tkr, all or nothing through investment_forecasts_set. Returns (errors by
    input name, the redirect when saved)."""
    errors: dict[str, str] = {}
    amounts = {}
    for name, cell in inputs.items():
        if name not in request.POST:
            continue
        typed, was = request.POST[name], request.POST.get(f"was-{name}", cell["text"])
        project = cell["row"]["project"]
        try:
            value, before = parse_tkr_exact(typed), parse_tkr_exact(was)
        except NumberFormatError as exc:
            errors[name] = f"{project}: {exc}"
            continue
        if value != before:
            amounts[project] = value
    if errors:
        return errors, None
    try:
        written = services.investment_forecasts_set(
            actor=request.user, event=event, amounts=amounts
        )
    except (ValidationError, UsageError) as exc:
        text = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        return {"__all__": text}, None
    messages.success(
        request,
        "Inga prognoser ändrades."
        if not written
        else f"Prognosen sparad för {len(written)} projekt: "
        + ", ".join(str(p) for p in written)
        + ".",
    )
    back = f"{request.path}?{urlencode({'handelse': event.code})}"
    return {}, redirect(back)


# The volume cells a person may enter on the volumes page: the year's outcome through the
# event's cut-off and the event's forecast (the unit's own figures, EDIT on its unit), and
# the year's budget (the target, the controller's: FINANCE on the committee).
VOLUME_CELLS = (("to_date", "outcome"), ("budget", "budget"), ("forecast", "forecast"))


def _volume_text(value: Decimal | None) -> str:
    """The exact value as typed in Swedish ("12,25"; no rounding, no trailing zeros)."""
    if value is None:
        return ""
    return f"{value.normalize():f}".replace(".", ",")


def _volume_inputs(request, committee, event, rows) -> dict[str, dict]:
    """name -> the cell's input (volume, column, kind, shown text) for each cell the user
    may change; none when the event is approved (its figures are frozen)."""
    if event.is_locked:
        return {}
    finance = org_access.can(request.user, org_access.FINANCE, committee)
    out = {}
    for r in rows:
        volume = r["volume"]
        edit = org_access.can(request.user, org_access.EDIT, volume.unit)
        current = {"to_date": r["values"]["to_date"], "budget": r["values"]["budget"],
                   "forecast": r["forecast"]}  # fmt: skip
        for col, kind in VOLUME_CELLS:
            if finance if kind == "budget" else edit:
                out[f"vol-{volume.pk}-{col}"] = {
                    "volume": volume, "col": col, "kind": kind, "text": _volume_text(current[col]),
                    "typed": None, "was": None,
                }  # fmt: skip
    return out


def _volume_save(request, event, inputs) -> tuple[dict[str, str], int]:
    """Write the cells the user changed (typed text differs from the text the page showed),
    exactly as typed, all or nothing. Returns (errors by input name, cells written)."""
    errors: dict[str, str] = {}
    writes = []
    for name, cell in inputs.items():
        if name not in request.POST:
            continue
        typed, was = request.POST[name], request.POST.get(f"was-{name}", cell["text"])
        label = f"{cell['volume'].name}: {VOLUME_LABELS[cell['col']]}"
        try:
            value, before = parse_number(typed), parse_number(was)
        except NumberFormatError as exc:
            errors[name] = f"{label}: {exc}"
            continue
        if value == before:
            continue  # not changed by the user: left as it is (also if changed meanwhile)
        if value is not None and value.as_tuple().exponent < -2:
            errors[name] = f"{label}: högst två decimaler"
            continue
        writes.append((name, cell, value))
    if errors:
        return errors, 0
    try:
        with transaction.atomic():
            for name, cell, value in writes:
                try:
                    services.volume_value_set(
                        actor=request.user, volume=cell["volume"], kind=cell["kind"],
                        year=event.year, value=value,
                        period=event.cutoff_period if cell["kind"] == "outcome" else None,
                        event=event if cell["kind"] == "forecast" else None,
                    )  # fmt: skip
                except (ValidationError, UsageError) as exc:
                    label = f"{cell['volume'].name}: {VOLUME_LABELS[cell['col']]}"
                    errors[name] = f"{label}: {' '.join(_messages(exc))}"
                    raise
    except (ValidationError, UsageError):
        return errors, 0
    return {}, len(writes)


def _messages(exc) -> list[str]:
    return list(getattr(exc, "messages", None) or [str(exc)])


VOLUME_LABELS = {"to_date": "utfall hittills", "budget": "budget", "forecast": "prognos"}


@access.node(access.VIEW)
def volumes(request, node: OrgNode):
    """Volumes and key ratios; the unit manager enters the unit's volumes here (outcome so
    far and forecast) and the controller the budget, cell by cell, exactly as typed."""
    scope = org_access.read_scope(request.user, node)
    committee = scope.committee
    event = _event(committee, request.GET.get("handelse"))
    data = selectors.volume_follow_up(committee, event, unit_ids=scope.unit_ids)
    # The Excel file shows the figures (an input's value is no cell text).
    exporting = request.GET.get("format") == "xlsx"
    inputs = {} if exporting else _volume_inputs(request, committee, event, data["volumes"])
    errors: dict[str, str] = {}
    if request.method == "POST":
        if not inputs:
            raise PermissionDenied("Du kan inte ändra några volymer här.")
        errors, count = _volume_save(request, event, inputs)
        if not errors:
            messages.success(
                request,
                "Inga värden ändrades." if count == 0 else f"{count} volymvärden sparade.",
            )
            return redirect(f"{request.path}?{urlencode({'handelse': event.code})}")
        for name in inputs:  # what was typed stays in the form
            if name in request.POST:
                inputs[name]["typed"] = request.POST[name]
                inputs[name]["was"] = request.POST.get(f"was-{name}", inputs[name]["text"])
    for name, cell in inputs.items():
        cell["name"] = name
        cell["error"] = errors.get(name, "")
    for r in data["volumes"]:
        r["inputs"] = {
            cell["col"]: cell for cell in inputs.values() if cell["volume"].pk == r["volume"].pk
        }
    return render(
        request,
        "finance/volumes.html",
        {"committee": committee, "scope": scope, "event": event, "errors": errors,
         "editable": bool(inputs), **data},
    )  # fmt: skip


@access.login
def overview(request):
    """Kommunöversikt: every committee the user may see, with the net of its follow-up at
    its current reporting event (one page for the whole municipality)."""
    committees = [
        n
        for n in org_access.nodes_for(request.user, org_access.VIEW)
        if n.kind == NodeKind.COMMITTEE
    ]
    lines = figures.committee_overview(committees)
    total = figures.Figures()
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
