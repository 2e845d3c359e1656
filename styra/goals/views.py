"""Goal pages: overview per committee or unit, a unit's entry form, the assessment form,
a measure's chart, assignments. Thin: authorise, parse, call a service or selector."""

from __future__ import annotations

from dataclasses import replace

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from styra.calendar.selectors import events_of
from styra.lib import svgchart
from styra.lib.numbers import NumberFormatError, parse_quantity
from styra.org import access as org_access
from styra.org.models import NodeKind
from styra.web import access
from styra.web.params import id_or_none

from . import calc, selectors, services
from .checks import analysis_warnings
from .models import Goal, GoalAssessment, Level, Measure, Unit


def _event_or_404(committee, request):
    event = selectors.pick_event(
        committee, request.GET.get("rapport") or request.POST.get("rapport")
    )
    if event is None:
        raise Http404("Nämnden har inget rapporttillfälle ännu.")
    return event


@access.login
def home(request):
    committees = [
        n
        for n in org_access.nodes_for(request.user, org_access.VIEW)
        if n.kind == NodeKind.COMMITTEE
    ]
    editable = [
        n
        for n in org_access.nodes_for(request.user, org_access.EDIT)
        if n.kind == NodeKind.UNIT and n.measures.exists()
    ]
    return render(request, "goals/home.html", {"committees": committees, "units": editable})


@access.node(access.VIEW)
def overview(request, node):
    scope = org_access.read_scope(request.user, node)
    committee = scope.committee
    event = _event_or_404(committee, request)
    report = selectors.goal_report_data(committee, event)
    wanted = {g.pk for g in selectors.goals_for_node(node, event.year)}
    goals_of = (
        (lambda a: [g for g in a.goals if g.id in wanted])
        if scope.whole
        # a unit role: its goals, with only its own units' measures
        else (
            lambda a: [
                replace(g, measures=tuple(m for m in g.measures if scope.contains(m.owner_unit_id)))
                for g in a.goals
                if g.id in wanted
            ]
        )
    )
    areas = [{"area": a, "goals": goals_of(a)} for a in report.areas]
    areas = [a for a in areas if a["goals"]]
    return render(
        request,
        "goals/overview.html",
        {
            "node": node,
            "committee": committee,
            "event": event,
            "events": events_of(committee, latest_first=True),
            "report": report,
            "areas": areas,
            "is_committee": node.pk == committee.pk,
            "can_assess": org_access.can(request.user, org_access.EDIT, committee),
            "can_edit": org_access.can(request.user, org_access.EDIT, node),
            "levels": calc.LEVEL_ORDER,
        },
    )


def _parse_cell(text: str, unit: str):
    text = (text or "").strip()
    if not text:
        return None
    if unit == Unit.YES_NO:
        low = text.lower()
        if low in ("ja", "1"):
            return 1
        if low in ("nej", "0"):
            return 0
        raise NumberFormatError(f"{text!r}: skriv Ja eller Nej")
    return parse_quantity(text).value


@access.node(access.EDIT)
def entry(request, node):
    committee = node.committee()
    event = _event_or_404(committee, request)
    year = event.year
    measures = list(selectors.measures_for_unit(node, year))
    years = list(range(year - selectors.YEARS_SHOWN + 1, year + 1))
    goals = selectors.goals_for_node(node, year)
    analysable = [
        g for g in goals if org_access.can(request.user, org_access.EDIT, g.responsible_unit)
    ]
    errors: dict[str, str] = {}
    here = reverse("goals_entry", kwargs={"node_id": node.pk}) + f"?rapport={event.code}"
    typed: dict[int, str] = {}  # an analysis that could not be saved, shown as typed
    if request.method == "POST" and "analys" in request.POST:
        goal = next((g for g in analysable if str(g.pk) == request.POST["analys"]), None)
        if goal is None:
            raise PermissionDenied("Du skriver inte analysen för det nämndmålet.")
        text = request.POST.get("text", "").strip()
        try:
            services.goal_analysis_set(
                goal=goal, event=event, text=text, ready=request.POST.get("ready") == "on",
                actor=request.user,
            )  # fmt: skip
        except ValidationError as exc:
            errors[f"a-{goal.pk}"] = f"{goal.name}: {' '.join(exc.messages)}"
            typed[goal.pk] = text
        else:
            messages.success(request, f"Analysen av ”{goal.name}” är sparad.")
            return redirect(f"{here}#analys-{goal.pk}")
    elif request.method == "POST":
        errors = _save_entry(request, event, measures, analysable, years)
        if not errors:
            messages.success(request, "Värdena och texterna är sparade.")
            return redirect(here)
    assessments = {
        a.goal_id: a
        for a in GoalAssessment.objects.filter(event=event, goal__in=analysable).select_related(
            "analysis_ready_by"
        )
    }
    shown = {
        g.pk: typed.get(g.pk, assessments[g.pk].analysis if g.pk in assessments else "")
        for g in analysable
    }
    warnings = analysis_warnings(node.committee(), event, {g: shown[g.pk] for g in analysable})
    comments = {c.measure_id: c.text for c in event.measure_comments.filter(measure__in=measures)}
    rows = []
    for m in measures:
        data = selectors._measure_data(m, year, comments.get(m.pk, ""))
        table = [
            (
                r.label,
                [
                    (f"v-{m.pk}-{y}-{r.gender}", y, text)
                    for y, text in zip(data.years, r.texts, strict=True)
                ],
            )
            for r in data.rows
        ]
        rows.append({"measure": m, "data": data, "table": table})
    return render(
        request,
        "goals/entry.html",
        {
            "node": node,
            "event": event,
            "years": years,
            "rows": rows,
            "goals": [
                {
                    "goal": g,
                    "assessment": assessments.get(g.pk),
                    "text": shown[g.pk],
                    "findings": warnings.get(g.pk, []),
                    "error": errors.get(f"a-{g.pk}", ""),
                    "check_url": reverse("goals_analysis_check", kwargs={"analysed_goal_id": g.pk}),
                }
                for g in analysable
            ],
            "errors": errors,
            "post": request.POST if request.method == "POST" else None,
            "locked": event.is_locked,
        },
    )


def _save_entry(request, event, measures, goals, years) -> dict[str, str]:
    errors: dict[str, str] = {}
    parsed = []
    for m in measures:
        genders = calc.GENDERS if m.is_split else ("T",)
        for y in years:
            for g in genders:
                key = f"v-{m.pk}-{y}-{g}"
                if key not in request.POST:
                    continue
                try:
                    value = _parse_cell(request.POST[key], m.unit)
                except NumberFormatError as exc:
                    errors[key] = f"{m.name} {y} {calc.GENDER_LABELS[g]}: {exc}"
                    continue
                reason = request.POST.get(f"r-{m.pk}-{y}", "").strip() if g == "T" else ""
                parsed.append((m, y, g, value, reason))
    if errors:
        return errors
    try:
        for m, y, g, value, reason in parsed:
            current = m.outcomes.filter(year=y, gender=g).first()
            if current and current.value == value and current.missing_reason == reason:
                continue
            if current is None and value is None and not reason:
                continue
            services.outcome_set(
                measure=m, year=y, gender=g, value=value, missing_reason=reason,
                event=event, actor=request.user,
            )  # fmt: skip
        for m in measures:
            key = f"c-{m.pk}"
            if key in request.POST:
                services.measure_comment_set(
                    measure=m, event=event, text=request.POST[key].strip(), actor=request.user
                )
        for goal in goals:
            key = f"a-{goal.pk}"
            if key in request.POST:
                services.goal_analysis_set(
                    goal=goal, event=event, text=request.POST[key].strip(), actor=request.user
                )
    except PermissionDenied:
        raise
    except ValidationError as exc:
        errors["form"] = " ".join(exc.messages)
    return errors


@access.obj(
    access.EDIT, Goal.objects.select_related("committee"), "goal_id", node=lambda g: g.committee
)
def assess(request, goal):
    event = _event_or_404(goal.committee, request)
    data = selectors.goal_data(
        goal, event, GoalAssessment.objects.filter(goal=goal, event=event).first()
    )
    error = ""
    if request.method == "POST":
        level = request.POST.get("level", "")
        if level not in Level.values:
            error = "Välj en bedömning."
        else:
            try:
                services.goal_assess(
                    goal=goal, event=event, level=level,
                    motivation=request.POST.get("motivation", "").strip(), actor=request.user,
                )  # fmt: skip
            except ValidationError as exc:
                error = " ".join(exc.messages)
            else:
                messages.success(request, f"Bedömningen av ”{goal.name}” är sparad.")
                url = reverse("goals_overview", kwargs={"node_id": goal.committee_id})
                return redirect(f"{url}?rapport={event.code}#mal-{goal.pk}")
    return render(
        request,
        "goals/assess.html",
        {
            "goal": goal,
            "event": event,
            "data": data,
            "levels": [(lv.value, lv.label) for lv in calc.LEVEL_ORDER],
            "chosen": request.POST.get("level") or (data.decided or data.suggested).value,
            "motivation": request.POST.get("motivation", data.motivation),
            "error": error,
            "locked": event.is_locked,
        },
    )


@access.obj(
    access.VIEW, Measure.objects.select_related("goal__committee", "owner_unit"), "measure_id",
    node=lambda m: m.owner_unit,
)  # fmt: skip
def measure_detail(request, measure):
    committee = measure.goal.committee
    event = selectors.pick_event(committee, request.GET.get("rapport"))
    year = event.year if event else max([o.year for o in measure.outcomes.all()] or [2020])
    data = selectors._measure_data(measure, year, "")
    numeric = {y: t for y, t in _numeric_targets(measure).items()}
    chart = svgchart.MeasureChart(
        title=f"{measure.name}: utfall {data.years[0]}–{data.years[-1]}",
        unit="%" if measure.unit == Unit.PERCENT else measure.unit,
        years=data.years,
        series={r.gender: r.outcomes for r in data.rows},
        targets=tuple(numeric.get(y) for y in data.years),
        target_note=(f"Mål {year}: {data.target_text}" if data.target_text else ""),
        chart_id=f"matt-{measure.pk}",
    )
    return render(
        request,
        "goals/measure.html",
        {"measure": measure, "data": data, "svg": mark_safe(svgchart.measure_chart_svg(chart)),
         "event": event, "year": year},
    )  # fmt: skip


def _numeric_targets(measure):
    return {
        t.year: t.value
        for t in measure.targets.all()
        if t.gender == "T" and t.kind == "number" and measure.unit != Unit.YES_NO
    }


@access.node(access.VIEW)
def assignments(request, node):
    scope = org_access.read_scope(request.user, node)
    committee = scope.committee
    event = _event_or_404(committee, request)
    items = [
        a
        for a in selectors.assignments_data(committee, event)
        if scope.contains(a.responsible_unit_id)
    ]
    if request.method == "POST":
        from .models import Assignment

        assignment = Assignment.objects.filter(
            pk=id_or_none(request.POST.get("assignment")), committee=committee
        ).first()
        if assignment is None:
            raise Http404("Uppdraget finns inte.")
        try:
            services.assignment_status_set(
                assignment=assignment, event=event,
                comment=request.POST.get("comment", "").strip(),
                done=request.POST.get("done") == "on", actor=request.user,
            )  # fmt: skip
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"Status för ”{assignment.title}” är sparad.")
        url = reverse("goals_assignments", kwargs={"node_id": node.pk})
        return redirect(f"{url}?rapport={event.code}")
    editable = {
        a.id
        for a in items
        if org_access.can(
            request.user, org_access.EDIT, committee.assignments.get(pk=a.id).responsible_unit
        )
    }
    return render(
        request,
        "goals/assignments.html",
        {"node": node, "committee": committee, "event": event, "items": items,
         "editable": editable, "locked": event.is_locked},
    )  # fmt: skip


@access.obj(
    access.EDIT, Goal.objects.select_related("committee", "responsible_unit"), "analysed_goal_id",
    node=lambda g: g.responsible_unit or g.committee,
)  # fmt: skip
@require_POST
def analysis_check(request, goal):
    """The live check while a goal's analysis is written (htmx, on typing): the analysis as
    typed against the measures and the report's tables. Reads only."""
    event = _event_or_404(goal.committee, request)
    text = request.POST.get("text", "")
    found = analysis_warnings(goal.committee, event, {goal: text}).get(goal.pk, [])
    return render(
        request, "goals/_analysis_check.html", {"findings": found, "has_text": bool(text.strip())}
    )
