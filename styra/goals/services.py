"""Writes: goal files, measure values, comments, analyses, assessments, assignments, Kolada.

Every function is keyword-only, takes a required `actor` (a user, or system_actor(...) for
the CLI and the demo), checks its right on the object and runs in one transaction.
A locked reporting event (approved by the committee) refuses every change.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from styra.calendar.locks import event_ensure_open, event_is_locked
from styra.calendar.models import ReportingEvent
from styra.calendar.services import event_ensure
from styra.lib.errors import InputError, Issue, IssueCollector, UsageError
from styra.org import access
from styra.org.models import OrgNode
from styra.org.selectors import committee_find

from . import calc, selectors
from .kolada import KoladaValue
from .models import (
    Assignment,
    AssignmentStatus,
    CouncilGoal,
    Gender,
    Goal,
    GoalArea,
    GoalAssessment,
    Measure,
    MeasureComment,
    Outcome,
    Source,
    Target,
)
from .readers import Ref, read_goals_file

# --- values, comments, analyses, assessments -------------------------------------------


def outcome_set(
    *,
    measure: Measure,
    year: int,
    gender: str = "T",
    value: Decimal | None,
    missing_reason: str = "",
    event: ReportingEvent | None = None,
    actor,
    source: str = Source.MANUAL,
) -> Outcome | None:
    """Store one outcome (None = missing, with an optional reason). Only an editor of the
    measure's owner unit (or above it) may do this."""
    access.require(actor, access.EDIT, measure.owner_unit)
    if event is not None:
        event_ensure_open(event)
    if gender not in Gender.values:
        raise ValidationError(f"okänt kön {gender!r}: använd T, K eller M")
    if gender != "T" and not measure.is_split:
        raise ValidationError(f"{measure.name} är inte uppdelat på kön")
    with transaction.atomic():
        existing = Outcome.objects.filter(measure=measure, year=year, gender=gender).first()
        if value is None and not missing_reason:
            if existing:
                existing.delete()
            return None
        outcome = existing or Outcome(measure=measure, year=year, gender=gender)
        if (outcome.value, outcome.missing_reason, outcome.source) == (
            value,
            missing_reason,
            source,
        ) and outcome.pk:
            return outcome
        outcome.value = value
        outcome.missing_reason = "" if value is not None else missing_reason
        outcome.source = source
        outcome.full_clean()
        outcome.save()
    if event is not None:
        _suggestions_refresh(committee=measure.goal.committee, event=event)
    return outcome


def target_set(
    *, actor, measure: Measure, year: int, target: calc.Target | None, gender="T"
) -> None:
    """The measure's target for a year (None removes it); the goal's committee decides
    targets, so the right is EDIT on the committee."""
    access.require(actor, access.EDIT, measure.goal.committee)
    with transaction.atomic():
        if target is None:
            Target.objects.filter(measure=measure, year=year, gender=gender).delete()
            return
        row = Target.objects.filter(measure=measure, year=year, gender=gender).first() or Target(
            measure=measure, year=year, gender=gender
        )
        new = (target.kind.value, target.value, target.low, target.high)
        if row.pk and (row.kind, row.value, row.low, row.high) == new:
            return
        row.kind, row.value, row.low, row.high = new
        row.full_clean()
        row.save()


def measure_comment_set(*, actor, measure: Measure, event: ReportingEvent, text: str):
    access.require(actor, access.EDIT, measure.owner_unit)
    event_ensure_open(event)
    with transaction.atomic():
        row = MeasureComment.objects.filter(measure=measure, event=event).first()
        if row is None:
            if not text.strip():
                return None
            row = MeasureComment(measure=measure, event=event)
        if row.pk and row.text == text:
            return row
        row.text = text
        row.full_clean()
        row.save()
        return row


def _assessment(goal: Goal, event: ReportingEvent) -> GoalAssessment:
    row, _ = GoalAssessment.objects.get_or_create(goal=goal, event=event)
    return row


def goal_analysis_set(
    *, actor, goal: Goal, event: ReportingEvent, text: str, ready: bool | None = None
):
    """The goal's analysis text; written by an editor of the goal's responsible unit.
    `ready` klarmarks the analysis (True) or takes the mark away (False); None keeps it.
    An empty analysis cannot be klar."""
    access.require(actor, access.EDIT, goal.responsible_unit or goal.committee)
    event_ensure_open(event)
    if ready and not text.strip():
        raise ValidationError("Skriv analysen innan du klarmarkerar den.")
    with transaction.atomic():
        row = _assessment(goal, event)
        changed = row.analysis != text
        row.analysis = text
        if ready and not row.analysis_ready:
            user = access.user_of(actor)
            row.analysis_ready, row.analysis_ready_at = True, timezone.now()
            row.analysis_ready_by = user
            changed = True
        elif (ready is False or not text.strip()) and row.analysis_ready:
            row.analysis_ready, row.analysis_ready_at, row.analysis_ready_by = False, None, None
            changed = True
        if changed:
            row.full_clean()
            row.save()
    _suggestions_refresh(committee=goal.committee, event=event)
    return row


def _suggestions_refresh(*, committee: OrgNode, event: ReportingEvent) -> int:
    """Recompute and store the suggested assessment of every goal; returns how many
    changed. A locked event keeps the suggestions it was approved with."""
    if event_is_locked(event):
        return 0
    changed = 0
    with transaction.atomic():
        for goal in selectors._goals_qs(committee, event.year):
            data = selectors._goal_data(goal, event.year, None, {})
            row = _assessment(goal, event)
            if (row.suggested_level, row.suggestion_reason) != (
                data.suggested.value,
                data.suggestion_reason[:300],
            ):
                row.suggested_level = data.suggested.value
                row.suggestion_reason = data.suggestion_reason[:300]
                row.save(update_fields=["suggested_level", "suggestion_reason"])
                changed += 1
    return changed


def goal_assess(
    *,
    goal: Goal,
    event: ReportingEvent,
    level: str,
    motivation: str = "",
    actor,
    at: dt.datetime | None = None,
) -> GoalAssessment:
    """Confirm or override the suggestion; an override needs a motivation. Decided by
    someone who may edit for the committee (the controller, the administration)."""
    access.require(actor, access.EDIT, goal.committee)
    event_ensure_open(event)
    level = calc.Level(level).value
    _suggestions_refresh(committee=goal.committee, event=event)
    with transaction.atomic():
        row = _assessment(goal, event)
        if row.decided_level == level and row.motivation == motivation:
            return row
        row.decided_level = level
        row.motivation = motivation
        row.decided_by = access.user_of(actor) or row.decided_by
        row.decided_at = at or timezone.now()
        row.full_clean()
        row.save()
        return row


def assignment_status_set(
    *, actor, assignment: Assignment, event: ReportingEvent, comment: str, done: bool
) -> AssignmentStatus:
    access.require(actor, access.EDIT, assignment.responsible_unit or assignment.committee)
    event_ensure_open(event)
    with transaction.atomic():
        row = AssignmentStatus.objects.filter(assignment=assignment, event=event).first()
        row = row or AssignmentStatus(assignment=assignment, event=event)
        if row.pk and (row.comment, row.done) == (comment, done):
            return row
        row.comment, row.done = comment, done
        row.full_clean()
        row.save()
        if assignment.done != done:
            assignment.done = done
            assignment.save(update_fields=["done"])
        return row


# --- the goals file -----------------------------------------------------------------


@dataclass
class LoadResult:
    committee: OrgNode
    event: ReportingEvent | None
    goals: int = 0
    measures: int = 0
    values: int = 0
    assignments: int = 0
    counts: calc.LevelCounts | None = None


def _resolver(issues: IssueCollector, committee: OrgNode):
    """Unit codes of the file → nodes of the committee (an issue on the code's line)."""
    nodes = {n.code: n for n in OrgNode.objects.filter(municipality=committee.municipality)}

    def resolve(ref: Ref | None) -> OrgNode | None:
        if ref is None or not ref.code:
            return None
        node = nodes.get(ref.code)
        if node is None:
            issues.add(ref.line, f"enheten {ref.code!r} finns inte i organisationen")
        elif node.committee() != committee:
            issues.add(ref.line, f"enheten {ref.code!r} hör inte till {committee.name}")
            return None
        return node

    return resolve


def goals_load(*, actor, path: str | Path) -> LoadResult:
    """Load a goals file (docs/goals.md): the goal tree, measures, targets and outcomes,
    and for the file's reporting event the analyses, comments, decided assessments and
    assignment statuses. Idempotent; a file with any error stores nothing (InputError with
    every issue of the file)."""
    from django.contrib.auth import get_user_model

    path_text = str(path)
    read = read_goals_file(path)
    if read.value is None:
        raise InputError(read.issues)
    doc = read.value
    issues = IssueCollector(path_text)
    issues.extend(read.issues)
    committee = None
    if doc.committee.code:
        try:
            committee = committee_find(doc.committee.code)
        except UsageError as exc:
            issues.add(doc.committee.line, str(exc))
    if committee is not None:
        resolve = _resolver(issues, committee)
        for g in doc.goals:
            g["responsible"] = resolve(g["responsible"])
            for m in g["measures"]:
                m["owner"] = resolve(m["owner"])
            if g["decision"] and g["decision"][3] is not None:
                level, motivation, at, who = g["decision"]
                user = get_user_model().objects.filter(username=who.code).first()
                if user is None:
                    issues.add(who.line, f"användaren {who.code!r} finns inte")
                g["decision"] = (level, motivation, at, user)
        for a in doc.assignments:
            a["responsible"] = resolve(a["responsible"])
    issues.raise_if_errors()
    access.require(actor, access.EDIT, committee)
    plan, assignments = doc.goals, doc.assignments
    with transaction.atomic():
        event = (
            event_ensure(actor=actor, committee=committee, code=doc.event.code)
            if doc.event
            else None
        )
        if event is not None and event_is_locked(event):
            raise InputError([Issue(path_text, doc.event.line, f"{event.name} är låst")])
        result = LoadResult(committee=committee, event=event)
        _store_plan(actor, plan, committee, event, result)
        _store_assignments(actor, assignments, committee, event, result)
        if event is not None:
            _suggestions_refresh(committee=committee, event=event)
            for goal_plan in plan:
                if goal_plan.get("decision"):
                    level, motivation, at, user = goal_plan["decision"]
                    goal = Goal.objects.get(committee=committee, code=goal_plan["code"])
                    row = _assessment(goal, event)
                    if (row.decided_level, row.motivation) != (level, motivation):
                        row.decided_level, row.motivation = level, motivation
                        row.decided_at = at or timezone.now()
                        row.decided_by = user
                        try:
                            row.full_clean()
                        except ValidationError as exc:
                            raise InputError(
                                [
                                    Issue(path_text, goal_plan["line"], f"{goal.code}: {m}")
                                    for m in exc.messages
                                ]
                            ) from exc
                        row.save()
            result.counts = selectors.assessment_counts(committee, event).total
    return result


def _save_if_changed(obj, values: dict) -> None:
    changed = obj.pk is None
    for key, value in values.items():
        field = obj._meta.get_field(key)
        current = getattr(obj, field.attname)
        wanted = value.pk if field.is_relation and value is not None else value
        if current != wanted:
            setattr(obj, key, value)
            changed = True
    if changed:
        obj.full_clean()
        obj.save()


def _store_plan(actor, plan: list[dict], committee, event, result: LoadResult) -> None:
    for g in plan:
        number, area_name, council = g["area"]
        area = GoalArea.objects.filter(committee=committee, number=number).first() or GoalArea(
            committee=committee, number=number
        )
        _save_if_changed(area, {"name": area_name})
        cgs = {}
        for code, name in council.items():
            cg = CouncilGoal.objects.filter(area=area, code=code).first() or CouncilGoal(
                area=area, code=code
            )
            _save_if_changed(cg, {"name": name})
            cgs[code] = cg
        goal = Goal.objects.filter(committee=committee, code=g["code"]).first() or Goal(
            committee=committee, code=g["code"]
        )
        predecessor = None
        if g["predecessor"]:
            predecessor = Goal.objects.filter(committee=committee, code=g["predecessor"]).first()
        _save_if_changed(
            goal,
            {
                "area": area,
                "council_goal": cgs.get(g["council_goal"]),
                "name": g["name"],
                "responsible_unit": g["responsible"],
                "sort_order": g["order"],
                "valid_from_year": g["valid_from"],
                "valid_to_year": g["valid_to"],
                "predecessor": predecessor,
            },
        )
        result.goals += 1
        for m in g["measures"]:
            measure = Measure.objects.filter(goal=goal, code=m["code"]).first() or Measure(
                goal=goal, code=m["code"]
            )
            pred = None
            if m["predecessor"]:
                pred = Measure.objects.filter(
                    goal__committee=committee, code=m["predecessor"]
                ).first()
            _save_if_changed(
                measure,
                {
                    "name": m["name"],
                    "unit": m["unit"],
                    "polarity": m["polarity"],
                    "gender_meaning": m["gender"],
                    "source": m["source"],
                    "kolada_kpi": m["kpi"],
                    "owner_unit": m["owner"],
                    "footnote": m["footnote"],
                    "sort_order": m["order"],
                    "valid_from_year": m["valid_from"],
                    "valid_to_year": m["valid_to"],
                    "predecessor": pred,
                },
            )
            result.measures += 1
            for year, target in m["targets"].items():
                target_set(actor=actor, measure=measure, year=year, target=target)
            for (year, gender), (value, reason) in m["outcomes"].items():
                outcome_set(
                    actor=actor,
                    measure=measure,
                    year=year,
                    gender=gender,
                    value=value,
                    missing_reason=reason,
                )
                result.values += 1
            if event is not None and m["comment"]:
                measure_comment_set(actor=actor, measure=measure, event=event, text=m["comment"])
        if event is not None and g["analysis"]:
            row = _assessment(goal, event)
            if row.analysis != g["analysis"]:
                row.analysis = g["analysis"]
                row.save()


def _store_assignments(actor, items: list, committee, event, result: LoadResult) -> None:
    for a in items:
        row = Assignment.objects.filter(committee=committee, code=a["code"]).first() or Assignment(
            committee=committee, code=a["code"]
        )
        _save_if_changed(
            row,
            {
                "title": a["title"],
                "description": a["description"],
                "origin": a["origin"],
                "origin_reference": a["origin_reference"],
                "year": a["year"],
                "deadline": a["deadline"],
                "responsible_unit": a["responsible"],
            },
        )
        result.assignments += 1
        if event is not None and a["status"]:
            assignment_status_set(
                actor=actor,
                assignment=row,
                event=event,
                comment=str(a["status"].get("comment") or "").strip(),
                done=bool(a["status"].get("done", False)),
            )


# --- Kolada -------------------------------------------------------------------------


@dataclass
class KoladaResult:
    stored: int = 0
    unchanged: int = 0
    missing: int = 0  # null values: not stored (missing is not zero)
    unmapped: set[str] = field(default_factory=set)  # KPIs with no measure
    other_municipality: set[str] = field(default_factory=set)


def kolada_store(
    *,
    values: list[KoladaValue],
    actor,
    committee: OrgNode | None = None,
    years: set[int] | None = None,
) -> KoladaResult:
    """Store Kolada values as outcomes of the measures whose source is that KPI, in the
    committee(s) of the municipality the values are for (its code, e.g. 0127). Each
    outcome is checked like a hand-entered one (EDIT on the measure's owner unit)."""
    access.check_actor(actor)
    result = KoladaResult()
    measures = Measure.objects.exclude(kolada_kpi="").select_related(
        "goal__committee__municipality", "owner_unit"
    )
    if committee is not None:
        measures = measures.filter(goal__committee=committee)
    by_kpi: dict[str, list[Measure]] = {}
    for m in measures:
        by_kpi.setdefault(m.kolada_kpi.upper(), []).append(m)
    with transaction.atomic():
        for v in values:
            if years and v.period not in years:
                continue
            targets = by_kpi.get(v.kpi.upper(), [])
            if not targets:
                result.unmapped.add(v.kpi)
                continue
            matching = [
                m for m in targets if (m.goal.committee.municipality.code or "") == v.municipality
            ]
            if not matching:
                result.other_municipality.add(v.municipality)
                continue
            for m in matching:
                gender = v.gender
                if gender != "T" and not m.is_split:
                    continue
                if v.value is None:
                    result.missing += 1
                    continue
                before = Outcome.objects.filter(measure=m, year=v.period, gender=gender).first()
                if before and before.value == v.value and before.source == Source.KOLADA:
                    result.unchanged += 1
                    continue
                outcome_set(
                    measure=m, year=v.period, gender=gender, value=v.value, actor=actor,
                    source=Source.KOLADA,
                )  # fmt: skip
                result.stored += 1
    return result
