"""The rest of the controller's administration of a committee's year: forecast
assumptions, investments (plans per year, go-live revisions), volumes and key ratios
(definitions and targets) and staff figures. Thin views over the single-edit services in
styra.finance.services (the files go through the *_import services); each page shows its
history (who and when)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render

from styra.calendar import clock
from styra.calendar.locks import event_is_locked
from styra.calendar.models import ReportingEvent
from styra.lib.errors import UsageError
from styra.lib.numbers import NumberFormatError, format_number, parse_number
from styra.org.models import OrgNode
from styra.org.selectors import tree_rows
from styra.web import access
from styra.web.history import history_rows
from styra.web.params import id_or_none
from styra.web.submit import once

from . import services
from .models import (
    Assumption,
    AssumptionStatus,
    GoLiveRevision,
    InvestmentPlan,
    InvestmentProject,
    ProjectCategory,
    ProjectKind,
    StaffFigure,
    VolumeType,
    VolumeValue,
)
from .views_admin import _date, _error_text, _year, kr_exact

FAILURES = (UsageError, ValidationError, PermissionDenied)


def _number(text: str, label: str) -> Decimal | None:
    """A typed number (Swedish: spaces, decimal comma); empty is None."""
    try:
        return parse_number(text or "")
    except NumberFormatError:
        raise UsageError(f"{label}: {text!r} är inget tal.") from None


def _count(text: str, label: str) -> int | None:
    value = _number(text, label)
    if value is None:
        return None
    if value != value.to_integral_value():
        raise UsageError(f"{label}: {text!r} är inget heltal.")
    return int(value)


def _plain(value: Decimal | int | None) -> str:
    """A stored number as it is typed back into a field (decimals only when there are)."""
    return kr_exact(None if value is None else Decimal(value))


def _quantity(value: Decimal | int | None) -> str:
    """A count or volume (årsarbetare, årsplatser) without trailing zeros: 10,5 and 12."""
    if value is None:
        return ""
    value = Decimal(value)
    for decimals in (0, 1):
        if value == round(value, decimals):
            return format_number(value, decimals)
    return format_number(value, 2)


def _fail(request, exc: Exception) -> None:
    messages.error(request, _error_text(exc))


# ---------------------------------------------------------------- forecast assumptions


def _pick_event(committee: OrgNode, code: str | None) -> ReportingEvent | None:
    events = ReportingEvent.objects.filter(committee=committee)
    if code:
        return events.filter(code=code).first()
    return (
        events.filter(status="open").order_by("year", "cutoff_period").first()
        or events.order_by("-year", "-cutoff_period").first()
    )


@access.committee(access.FINANCE)
def admin_assumptions(request, node: OrgNode):
    """What each event's forecast depends on ("prognosen förutsätter att …"), with an
    amount and a status; an approved event's assumptions are shown, not edited."""
    committee = node.committee()
    event = _pick_event(committee, request.GET.get("handelse") or request.POST.get("handelse"))
    if event is None:
        messages.info(request, "Lägg först upp ett rapporttillfälle.")
        return redirect("admin_events", node_id=committee.pk)
    if request.method == "POST":
        return once(request, lambda: _assumption_post(request, committee, event))
    return _assumptions_page(request, committee, event, {}, 200)


def _assumption_post(request, committee: OrgNode, event: ReportingEvent):
    post = request.POST
    found = None
    if post.get("antagande"):
        found = Assumption.objects.filter(pk=id_or_none(post["antagande"]), event=event).first()
        if found is None:
            raise Http404("Antagandet finns inte.")
    try:
        if found is not None and post.get("ta_bort") == "1":
            services.assumption_remove(actor=request.user, assumption=found)
            messages.success(request, "Antagandet är borttaget.")
        else:
            services.assumption_save(
                actor=request.user,
                event=event,
                assumption=found,
                text=post.get("text", ""),
                amount=_number(post.get("belopp", ""), "Belopp"),
                status=post.get("status", AssumptionStatus.UNCERTAIN),
            )
            messages.success(request, "Antagandet är sparat.")
    except FAILURES as exc:
        _fail(request, exc)
        return _assumptions_page(request, committee, event, post, 400)
    return redirect(f"{request.path}?handelse={event.code}")


def _assumptions_page(request, committee, event, typed, status):
    events = ReportingEvent.objects.filter(committee=committee).order_by("-year", "cutoff_period")
    assumptions = list(event.assumptions.all())
    records = (
        Assumption.history.filter(event__committee=committee)
        .select_related("history_user")
        .order_by("-history_date")
    )
    names = {e.pk: e.name for e in events}
    labels = dict(AssumptionStatus.choices)
    editing = typed.get("antagande", "")
    return render(
        request,
        "finance/admin_assumptions.html",
        {
            "committee": committee,
            "event": event,
            "events": events,
            "locked": event_is_locked(event),
            "statuses": AssumptionStatus.choices,
            "rows": [
                {
                    "a": a,
                    "amount": kr_exact(a.amount),
                    "typed": typed if editing == str(a.pk) else {},
                }
                for a in assumptions
            ],
            "typed": {} if editing else typed,
            "history": history_rows(
                records,
                lambda r: (
                    f"antagandet ”{r.text[:60]}” ({names.get(r.event_id, '')}): "
                    f"{kr_exact(r.amount) or '–'} kr, {labels.get(r.status, r.status).lower()}"
                ),
            ),
        },
        status=status,
    )


# ---------------------------------------------------------------- investments


def _project_values(request, committee: OrgNode) -> dict:
    post = request.POST
    unit = None
    if post.get("enhet"):
        raw = post["enhet"]
        unit = OrgNode.objects.filter(
            pk=int(raw) if raw.isdigit() else 0, municipality=committee.municipality
        ).first()
        if unit is None:
            raise UsageError("Välj en enhet i nämnden.")
    decided = _number(post.get("beslutad_total", ""), "Beslutad totalbudget")
    before = _number(post.get("utfall_fore", ""), "Ackumulerat utfall före året")
    return {
        "number": post.get("nummer", ""),
        "name": post.get("namn", ""),
        "kind": post.get("slag", ""),
        "category": post.get("kategori", ""),
        "unit": unit,
        "run_by": post.get("genomfors_av", ""),
        "status": post.get("status", ""),
        "comment": post.get("kommentar", ""),
        "decided_year": _count(post.get("beslutsar", ""), "Beslutsår"),
        "decided_total": decided if decided is not None else Decimal(0),
        "new_total": _number(post.get("ny_total", ""), "Ny totalbudget"),
        "outcome_before": before if before is not None else Decimal(0),
    }


@access.committee(access.FINANCE)
def admin_investments(request, node: OrgNode):
    committee = node.committee()
    if request.method == "POST":
        return once(request, lambda: _project_add(request, committee))
    return _investments_page(request, committee, {}, 200)


def _project_add(request, committee):
    try:
        project = services.investment_project_save(
            actor=request.user, committee=committee, **_project_values(request, committee)
        )
    except FAILURES as exc:
        _fail(request, exc)
        return _investments_page(request, committee, request.POST, 400)
    messages.success(request, f"Projektet {project} är upplagt; lägg in dess plan per år.")
    return redirect("admin_investment", investment_project_id=project.pk)


def _plan_years(project: InvestmentProject) -> list[int]:
    """From the project's first planned year (or this year) to two years ahead."""
    this = clock.today().year
    years = {p.year for p in project.plan.all()} | {this, this + 2}
    return list(range(min(years), max(years) + 1))


def _investments_page(request, committee, typed, status):
    projects = list(
        InvestmentProject.objects.filter(committee=committee)
        .select_related("unit")
        .prefetch_related("plan")
    )
    years = sorted({p.year for project in projects for p in project.plan.all()})
    rows = []
    for project in projects:
        plan = {p.year: p.amount for p in project.plan.all()}
        rows.append(
            {
                "project": project,
                "decided_total": kr_exact(project.decided_total),
                "plan": [kr_exact(plan.get(y)) for y in years],
            }
        )
    records = (
        InvestmentProject.history.filter(committee=committee)
        .select_related("history_user")
        .order_by("-history_date")
    )
    return render(
        request,
        "finance/admin_investments.html",
        {
            "committee": committee,
            "rows": rows,
            "years": years,
            "nodes": tree_rows(committee, clock.today().year),
            "kinds": ProjectKind.choices,
            "categories": ProjectCategory.choices,
            "typed": typed,
            "history": history_rows(records, _describe_project),
        },
        status=status,
    )


def _describe_project(r) -> str:
    go_live = f", driftsättning {r.go_live:%Y-%m}" if r.go_live else ""
    return f"projektet {r.number} {r.name}: beslutad total {kr_exact(r.decided_total)} kr{go_live}"


def _committee_of_project(project: InvestmentProject) -> OrgNode:
    return project.committee


@access.obj(
    access.FINANCE,
    InvestmentProject.objects.select_related("committee", "unit"),
    "investment_project_id",
    node=_committee_of_project,
    scope="committee",
)
def admin_investment(request, project: InvestmentProject):
    """One project: its facts, its budget per year (only changed years are written), its
    go-live month with the dated revisions, and its history."""
    committee = project.committee
    if request.method == "POST":
        what = request.POST.get("del", "")
        if what == "projekt":
            return _project_change(request, committee, project)
        if what == "plan":
            return _plan_change(request, committee, project)
        if what == "driftsattning":
            return once(request, lambda: _go_live_change(request, committee, project))
        raise Http404("Okänt formulär.")
    return _project_page(request, committee, project, {}, 200)


def _project_change(request, committee, project):
    try:
        values = _project_values(request, committee)
        values["number"] = project.number
        services.investment_project_save(
            actor=request.user, committee=committee, project=project, **values
        )
    except FAILURES as exc:
        _fail(request, exc)
        return _project_page(request, committee, project, request.POST, 400)
    messages.success(request, f"Projektet {project.number} är sparat.")
    return redirect("admin_investment", investment_project_id=project.pk)


def _plan_change(request, committee, project):
    errors: dict[int, str] = {}
    changed = 0
    for key, raw in request.POST.items():
        if not key.startswith("plan-") or not key[5:].isdigit():
            continue
        year = int(key[5:])
        if raw.strip() == request.POST.get(f"was-{year}", "").strip():
            continue  # untouched: never rewritten
        try:
            amount = _number(raw, str(year))
            before = project.plan.filter(year=year).first()
            services.investment_plan_set(
                actor=request.user, project=project, year=year, amount=amount
            )
            changed += (before.amount if before else None) != amount
        except FAILURES as exc:
            errors[year] = _error_text(exc)
    if errors:
        messages.error(request, "Några år sparades inte; se raderna markerade med fel.")
        return _project_page(request, committee, project, request.POST, 400, errors)
    messages.success(request, f"{changed} år av planen ändrade.")
    return redirect("admin_investment", investment_project_id=project.pk)


def _month(text: str, label: str) -> dt.date | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text + "-01" if len(text) == 7 else text).replace(day=1)
    except ValueError:
        raise UsageError(f"{label}: {text!r} är ingen månad (ÅÅÅÅ-MM).") from None


def _go_live_change(request, committee, project):
    try:
        go_live = _month(request.POST.get("driftsattning", ""), "Driftsättning")
        if go_live is None:
            raise UsageError("Ange månaden för driftsättningen (ÅÅÅÅ-MM).")
        changed_on = _date(request.POST.get("andrad", ""), "Ändrad") or clock.today()
        services.investment_go_live_revise(
            actor=request.user,
            project=project,
            go_live=go_live,
            changed_on=changed_on,
            reason=request.POST.get("skal", ""),
        )
    except FAILURES as exc:
        _fail(request, exc)
        return _project_page(request, committee, project, request.POST, 400)
    messages.success(request, f"Driftsättningen för {project.number} är {go_live:%Y-%m}.")
    return redirect("admin_investment", investment_project_id=project.pk)


def _project_page(request, committee, project, typed, status, plan_errors=None):
    plan_errors = plan_errors or {}
    project.refresh_from_db()
    plan = {p.year: p.amount for p in project.plan.all()}
    plan_rows = [
        {
            "year": y,
            "value": typed.get(f"plan-{y}", _plain(plan.get(y)))
            if plan_errors
            else _plain(plan.get(y)),
            "was": _plain(plan.get(y)),
            "error": plan_errors.get(y, ""),
        }
        for y in _plan_years(project)
    ]
    facts = (
        typed
        if typed.get("del") == "projekt"
        else {
            "namn": project.name,
            "slag": project.kind,
            "kategori": project.category,
            "enhet": str(project.unit_id or ""),
            "genomfors_av": project.run_by,
            "status": project.status,
            "kommentar": project.comment,
            "beslutsar": str(project.decided_year or ""),
            "beslutad_total": _plain(project.decided_total),
            "ny_total": _plain(project.new_total),
            "utfall_fore": _plain(project.outcome_before),
        }
    )
    records = list(
        project.history.select_related("history_user").order_by("-history_date")[:30]
    ) + list(
        InvestmentPlan.history.filter(project_id=project.pk)
        .select_related("history_user")
        .order_by("-history_date")[:30]
    )
    records.sort(key=lambda r: r.history_date, reverse=True)

    def describe(r) -> str:
        if hasattr(r, "year"):
            return f"planen {r.year}: {kr_exact(r.amount)} kr"
        return _describe_project(r)

    return render(
        request,
        "finance/admin_investment.html",
        {
            "committee": committee,
            "project": project,
            "facts": facts,
            "plan_rows": plan_rows,
            "plan_total": kr_exact(sum(plan.values(), Decimal(0))),
            "revisions": GoLiveRevision.objects.filter(project=project),
            "nodes": tree_rows(committee, clock.today().year),
            "kinds": ProjectKind.choices,
            "categories": ProjectCategory.choices,
            "typed": typed if typed.get("del") == "driftsattning" else {},
            "history": history_rows(records, describe),
        },
        status=status,
    )


# ---------------------------------------------------------------- volumes and key ratios

BASES = [("net", "Nettokostnad / volym"), ("gross", "Bruttokostnad / volym")]


def _volume_values(request, committee: OrgNode, prefix: str) -> dict:
    post = request.POST
    raw = post.get(f"{prefix}enhet", "")
    unit = OrgNode.objects.filter(
        pk=int(raw) if raw.isdigit() else 0, municipality=committee.municipality
    ).first()
    if unit is None:
        raise UsageError("Välj vilken enhet volymen hör till.")
    ratios = [
        {"label": post.get(f"{prefix}nyckeltal-{i}", ""), "basis": post.get(f"{prefix}grund-{i}")}
        for i in (1, 2)
    ]
    return {
        "code": post.get(f"{prefix}kod", ""),
        "unit": unit,
        "name": post.get(f"{prefix}namn", ""),
        "measure": post.get(f"{prefix}matt", ""),
        "ratios": ratios,
    }


@access.committee(access.FINANCE)
def admin_volumes(request, node: OrgNode):
    """The committee's volumes (e.g. årsplatser) with their key ratios and the year's
    target (budget). The units enter their outcomes and forecasts themselves."""
    committee = node.committee()
    year = _year(request, clock.today().year)
    if request.method == "POST":
        return once(request, lambda: _volume_post(request, committee, year))
    return _volumes_page(request, committee, year, {}, 200)


def _volume_post(request, committee, year):
    post = request.POST
    volume = None
    if post.get("volym"):
        volume = VolumeType.objects.filter(
            pk=id_or_none(post["volym"]), committee=committee
        ).first()
        if volume is None:
            raise Http404("Volymen finns inte.")
    prefix = f"v{volume.pk}-" if volume else ""
    try:
        values = _volume_values(request, committee, prefix)
        if volume is not None:
            values["code"] = volume.code
        volume = services.volume_type_save(
            actor=request.user, committee=committee, volume=volume, **values
        )
        target = post.get(f"{prefix}mal", "")
        if target.strip() != post.get(f"{prefix}mal-var", "").strip():
            services.volume_value_set(
                actor=request.user,
                volume=volume,
                kind=VolumeValue.Kind.BUDGET,
                year=year,
                value=_number(target, f"Mål {year}"),
            )
    except FAILURES as exc:
        _fail(request, exc)
        return _volumes_page(request, committee, year, post, 400)
    messages.success(request, f"Volymen {volume.name} är sparad.")
    return redirect(f"{request.path}?ar={year}")


VOLUME_FIELDS = ("namn", "matt", "enhet", "mal", "nyckeltal_1", "grund_1", "nyckeltal_2", "grund_2")


def _typed_volume(typed, prefix: str, stored: dict) -> dict:
    """What was typed in a volume's form (field names use hyphens), else what is stored."""
    return {k: typed.get(prefix + k.replace("_", "-"), stored.get(k, "")) for k in VOLUME_FIELDS}


def _volumes_page(request, committee, year, typed, status):
    volumes = list(
        VolumeType.objects.filter(committee=committee)
        .select_related("unit")
        .prefetch_related("values")
    )
    editing = typed.get("volym", "")
    rows = []
    for v in volumes:
        target = next(
            (x.value for x in v.values.all() if x.kind == "budget" and x.year == year), None
        )
        ratios = list(v.ratios or []) + [{"label": "", "basis": "net"}] * 2
        prefix = f"v{v.pk}-"
        own = {
            "namn": v.name,
            "matt": v.measure,
            "enhet": str(v.unit_id),
            "mal": _quantity(target),
            "nyckeltal_1": ratios[0]["label"],
            "grund_1": ratios[0]["basis"],
            "nyckeltal_2": ratios[1]["label"],
            "grund_2": ratios[1]["basis"],
        }
        if editing == str(v.pk):
            own = _typed_volume(typed, prefix, own)
        rows.append(
            {
                "volume": v,
                "target": _quantity(target),
                "ratios": ", ".join(r["label"] for r in v.ratios or []),
                "facts": own,
                "prefix": prefix,
            }
        )
    ids = [v.pk for v in volumes]
    type_records = (
        VolumeType.history.filter(committee=committee)
        .select_related("history_user")
        .order_by("-history_date")[:30]
    )
    value_records = (
        VolumeValue.history.filter(volume_id__in=ids)
        .select_related("history_user")
        .order_by("-history_date")[:30]
    )
    names = {v.pk: v.name for v in volumes}
    kinds = dict(VolumeValue.Kind.choices)
    records = sorted([*type_records, *value_records], key=lambda r: r.history_date, reverse=True)

    def describe(r) -> str:
        if hasattr(r, "value"):
            when = f" t.o.m. period {r.period}" if r.period else ""
            return (
                f"{kinds.get(r.kind, r.kind).lower()} {r.year}{when} för "
                f"{names.get(r.volume_id, '')}: {_quantity(r.value)}"
            )
        return f"volymen {r.code} {r.name} ({r.measure})"

    return render(
        request,
        "finance/admin_volumes.html",
        {
            "committee": committee,
            "year": year,
            "rows": rows,
            "nodes": tree_rows(committee, year),
            "bases": BASES,
            "typed": {} if editing else typed,
            "typed_facts": {} if editing else _typed_volume(typed, "", {}),
            "history": history_rows(records, describe),
        },
        status=status,
    )


# ---------------------------------------------------------------- staff figures

STAFF_COLUMNS = [
    ("outcome", "fte", "Årsarbetare"),
    ("outcome", "employees", "Anställda"),
    ("budget", "fte", "Årsarbetare"),
    ("budget", "employees", "Anställda"),
    ("forecast", "fte", "Årsarbetare"),
    ("forecast", "employees", "Anställda"),
]


def _staff_period(request, committee, year) -> int:
    raw = request.GET.get("period") or request.POST.get("period") or ""
    if raw.isdigit() and 1 <= int(raw) <= 13:
        return int(raw)
    events = ReportingEvent.objects.filter(committee=committee, year=year)
    event = (
        events.filter(status="open").order_by("cutoff_period").first()
        or events.order_by("-cutoff_period").first()
    )
    return event.cutoff_period if event is not None else 12


@access.committee(access.FINANCE)
def admin_staff(request, node: OrgNode):
    """Staff figures per unit: årsarbetare and anställda through a period, and the year's
    budget and forecast; only the cells the user changed are written."""
    committee = node.committee()
    year = _year(request, clock.today().year)
    period = _staff_period(request, committee, year)
    nodes = tree_rows(committee, year)
    errors: dict[int, str] = {}
    if request.method == "POST":
        errors = _staff_post(request, nodes, year, period)
        if not errors:
            return redirect(f"{request.path}?ar={year}&period={period}")
        messages.error(request, "Några enheter sparades inte; se raderna markerade med fel.")
    figures = {
        (f.unit_id, f.kind): f
        for f in StaffFigure.objects.filter(unit__in=[n for n, _ in nodes], year=year, event=None)
        if f.kind != "outcome" or f.period == period
    }
    rows = []
    for n, depth in nodes:
        cells = []
        for kind, attr, _label in STAFF_COLUMNS:
            found = figures.get((n.pk, kind))
            was = _quantity(getattr(found, attr) if found else None)
            name = f"{kind}-{attr}-{n.pk}"
            cells.append(
                {
                    "name": name,
                    "column": f"kol-{kind}-{attr}",
                    "group": f"grp-{kind}",
                    "was": was,
                    "value": request.POST.get(name, was) if errors else was,
                }
            )
        rows.append({"node": n, "depth": depth, "cells": cells, "error": errors.get(n.pk, "")})
    ids = [n.pk for n, _ in nodes]
    records = (
        StaffFigure.history.filter(unit_id__in=ids, year=year)
        .select_related("history_user")
        .order_by("-history_date")
    )
    names = {n.pk: n.name for n, _ in nodes}
    kinds = dict(VolumeValue.Kind.choices)

    def describe(r) -> str:
        when = f" t.o.m. period {r.period}" if r.period else ""
        return (
            f"personal {kinds.get(r.kind, r.kind).lower()} {r.year}{when} för "
            f"{names.get(r.unit_id, '')}: {_quantity(r.fte) or '–'} årsarbetare, "
            f"{r.employees if r.employees is not None else '–'} anställda"
        )

    return render(
        request,
        "finance/admin_staff.html",
        {
            "committee": committee,
            "year": year,
            "period": period,
            "period_given": (request.GET.get("period") or request.POST.get("period") or "")
            .strip()
            .isdigit(),
            "periods": range(1, 14),
            "rows": rows,
            "columns": STAFF_COLUMNS,
            "history": history_rows(records, describe),
        },
        status=400 if errors else 200,
    )


def _staff_post(request, nodes, year, period) -> dict[int, str]:
    post = request.POST
    errors: dict[int, str] = {}
    changed = 0
    for n, _depth in nodes:
        for kind in ("outcome", "budget", "forecast"):
            names = [f"{kind}-fte-{n.pk}", f"{kind}-employees-{n.pk}"]
            if all(post.get(x, "").strip() == post.get(f"was-{x}", "").strip() for x in names):
                continue  # untouched: never rewritten
            try:
                services.staff_set(
                    actor=request.user,
                    unit=n,
                    kind=kind,
                    year=year,
                    period=period if kind == "outcome" else None,
                    fte=_number(post.get(names[0], ""), f"{n.name}: årsarbetare"),
                    employees=_count(post.get(names[1], ""), f"{n.name}: anställda"),
                )
                changed += 1
            except FAILURES as exc:
                errors[n.pk] = _error_text(exc)
    if not errors:
        messages.success(request, f"Personalsiffror sparade för {changed} rader.")
    return errors
