"""Writes: goal files, measure values, comments, analyses, assessments, assignments, Kolada.

Every function is keyword-only, runs in one transaction and checks the user's rights via
styra.org.access (a user of None is the system itself: the CLI and the demo builder).
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

from styra.finance.models import ReportingEvent
from styra.lib.numbers import NumberFormatError, parse_quantity
from styra.lib.periods import ReportingEventCode
from styra.lib.yamlfile import FileError, LineDict, YamlReadError, load_yaml
from styra.org import access
from styra.org.models import OrgNode

from . import calc, selectors
from .kolada import KoladaValue
from .models import (
    Assignment,
    AssignmentOrigin,
    AssignmentStatus,
    CouncilGoal,
    Gender,
    GenderMeaning,
    Goal,
    GoalArea,
    GoalAssessment,
    Measure,
    MeasureComment,
    Outcome,
    Polarity,
    Source,
    Target,
    Unit,
)

# --- reporting events -------------------------------------------------------------------


def reporting_event_ensure(*, committee: OrgNode, code: str) -> ReportingEvent:
    """The committee's event with this code, created when missing (finance may create it
    first the same way: get_or_create on committee and code)."""
    parsed = ReportingEventCode.parse(code)
    event, _ = ReportingEvent.objects.get_or_create(
        committee=committee,
        code=str(parsed),
        defaults={
            "year": parsed.year,
            "name": parsed.name_sv,
            "cutoff_period": parsed.cutoff_period or 12,
        },
    )
    return event


def _require(user, capability: str, node: OrgNode) -> None:
    if user is not None:
        access.require(user, capability, node)


# --- values, comments, analyses, assessments -------------------------------------------


def outcome_set(
    *,
    measure: Measure,
    year: int,
    gender: str = "T",
    value: Decimal | None,
    missing_reason: str = "",
    event: ReportingEvent | None = None,
    user=None,
    source: str = Source.MANUAL,
) -> Outcome | None:
    """Store one outcome (None = missing, with an optional reason). Only an editor of the
    measure's owner unit (or above it) may do this."""
    _require(user, access.EDIT, measure.owner_unit)
    if event is not None:
        event.ensure_open()
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
        suggestions_refresh(committee=measure.goal.committee, event=event)
    return outcome


def target_set(*, measure: Measure, year: int, target: calc.Target | None, gender="T") -> None:
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


def measure_comment_set(*, measure: Measure, event: ReportingEvent, text: str, user=None):
    _require(user, access.EDIT, measure.owner_unit)
    event.ensure_open()
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


def goal_analysis_set(*, goal: Goal, event: ReportingEvent, text: str, user=None):
    """The goal's analysis text; written by an editor of the goal's responsible unit."""
    _require(user, access.EDIT, goal.responsible_unit)
    event.ensure_open()
    with transaction.atomic():
        row = _assessment(goal, event)
        if row.analysis != text:
            row.analysis = text
            row.full_clean()
            row.save()
    suggestions_refresh(committee=goal.committee, event=event)
    return row


def suggestions_refresh(*, committee: OrgNode, event: ReportingEvent) -> int:
    """Recompute and store the suggested assessment of every goal; returns how many
    changed. A locked event keeps the suggestions it was approved with."""
    if event.is_locked:
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
    user=None,
    at: dt.datetime | None = None,
) -> GoalAssessment:
    """Confirm or override the suggestion; an override needs a motivation. Decided by
    someone who may edit for the committee (the controller, the administration)."""
    _require(user, access.EDIT, goal.committee)
    event.ensure_open()
    level = calc.Level(level).value
    suggestions_refresh(committee=goal.committee, event=event)
    with transaction.atomic():
        row = _assessment(goal, event)
        if row.decided_level == level and row.motivation == motivation:
            return row
        row.decided_level = level
        row.motivation = motivation
        row.decided_by = user if user is not None else row.decided_by
        row.decided_at = at or timezone.now()
        row.full_clean()
        row.save()
        return row


def assignment_status_set(
    *, assignment: Assignment, event: ReportingEvent, comment: str, done: bool, user=None
) -> AssignmentStatus:
    _require(user, access.EDIT, assignment.responsible_unit)
    event.ensure_open()
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


class GoalsFileError(Exception):
    def __init__(self, errors: list[FileError]):
        super().__init__("\n".join(str(e) for e in errors))
        self.errors = errors


@dataclass
class LoadResult:
    committee: OrgNode
    event: ReportingEvent | None
    goals: int = 0
    measures: int = 0
    values: int = 0
    assignments: int = 0
    counts: calc.LevelCounts | None = None


UNIT_ALIASES = {
    "%": Unit.PERCENT,
    "procent": Unit.PERCENT,
    "antal": Unit.COUNT,
    "st": Unit.COUNT,
    "kronor": Unit.KRONOR,
    "kr": Unit.KRONOR,
    "veckor": Unit.WEEKS,
    "dagar": Unit.DAYS,
    "index": Unit.INDEX,
    "kg": Unit.KG,
    "ja/nej": Unit.YES_NO,
}
POLARITY_ALIASES = {"higher": Polarity.HIGHER, "högre": Polarity.HIGHER,
                    "lower": Polarity.LOWER, "lägre": Polarity.LOWER}  # fmt: skip
GENDER_ALIASES = {"none": GenderMeaning.NONE, "nej": GenderMeaning.NONE,
                  "rate": GenderMeaning.RATE, "andel": GenderMeaning.RATE,
                  "composition": GenderMeaning.COMPOSITION,
                  "fördelning": GenderMeaning.COMPOSITION}  # fmt: skip
SOURCE_ALIASES = {"manual": Source.MANUAL, "survey": Source.SURVEY, "enkät": Source.SURVEY,
                  "ledger": Source.LEDGER, "huvudbok": Source.LEDGER}  # fmt: skip
LEVEL_ALIASES = {"god": "god", "godtagbar": "godtagbar", "ej godtagbar": "ej_godtagbar",
                 "ej_godtagbar": "ej_godtagbar", "kan inte bedömas": "kan_inte_bedomas",
                 "kan_inte_bedomas": "kan_inte_bedomas"}  # fmt: skip


class _Reader:
    """Validates the whole file first, collecting every error with its line."""

    def __init__(self, path: str):
        self.path = path
        self.errors: list[FileError] = []

    def error(self, line: int, message: str) -> None:
        self.errors.append(FileError(self.path, line, message))

    def mapping(self, value, line: int, what: str) -> LineDict | None:
        if not isinstance(value, dict):
            self.error(line, f"{what} ska vara en mappning (nyckel: värde)")
            return None
        return value

    def items(self, parent: LineDict, key: str, what: str) -> list:
        value = parent.get(key) or []
        if not isinstance(value, list):
            self.error(parent.line_of(key), f"{key} ska vara en lista av {what}")
            return []
        out = []
        for i, item in enumerate(value):
            line = getattr(item, "line", getattr(value, "line", parent.line_of(key)))
            item = self.mapping(item, line, f"{what} nummer {i + 1}")
            if item is not None:
                out.append(item)
        return out

    def text(self, d: LineDict, key: str, *, required: bool = True, what: str = "") -> str:
        value = d.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.error(d.line, f"{what or 'posten'} saknar {key}")
            return ""
        return str(value).strip()

    def choice(self, d: LineDict, key: str, aliases: dict, default):
        value = d.get(key)
        if value is None:
            return default
        found = aliases.get(str(value).strip().lower())
        if found is None:
            self.error(
                d.line_of(key),
                f"{key}: {value!r} är inget giltigt värde (välj bland {', '.join(aliases)})",
            )
            return default
        return found

    def year(self, d: LineDict, key: str) -> int | None:
        value = d.get(key)
        if value is None:
            return None
        if not isinstance(value, int) or not 1900 <= value <= 2100:
            self.error(d.line_of(key), f"{key}: {value!r} är inget årtal")
            return None
        return value

    def number(self, value, line: int, what: str) -> tuple[bool, Decimal | None]:
        if isinstance(value, bool) or (
            isinstance(value, str) and value.strip().lower() in ("ja", "nej")
        ):
            yes = value is True or (isinstance(value, str) and value.strip().lower() == "ja")
            return True, Decimal(1 if yes else 0)
        if isinstance(value, float):
            value = str(value).replace(".", ",")
        try:
            return True, parse_quantity(value).value
        except NumberFormatError as exc:
            self.error(line, f"{what}: {exc}")
            return False, None


def _node(reader: _Reader, committee: OrgNode | None, code: str, line: int) -> OrgNode | None:
    if not code or committee is None:
        return None
    node = OrgNode.objects.filter(municipality=committee.municipality, code=code).first()
    if node is None:
        reader.error(line, f"enheten {code!r} finns inte i organisationen")
    elif node.committee() != committee:
        reader.error(line, f"enheten {code!r} hör inte till {committee.name}")
        return None
    return node


def goals_load(*, path: str | Path) -> LoadResult:
    """Load a goals file (docs/goals.md): the goal tree, measures, targets and outcomes,
    and for the file's reporting event the analyses, comments, decided assessments and
    assignment statuses. Idempotent; a file with any error stores nothing."""
    path_text = str(path)
    try:
        doc = load_yaml(path)
    except YamlReadError as exc:
        raise GoalsFileError([exc.error]) from exc
    reader = _Reader(path_text)
    if not isinstance(doc, dict):
        raise GoalsFileError([FileError(path_text, 1, "filen ska börja med committee: och year:")])
    committee_code = reader.text(doc, "committee", what="filen")
    committee = None
    if committee_code:
        committee = OrgNode.objects.filter(code=committee_code, kind="committee").first()
        if committee is None:
            reader.error(doc.line_of("committee"), f"nämnden {committee_code!r} finns inte")
    year = reader.year(doc, "year")
    if year is None and "year" not in doc:
        reader.error(doc.line, "filen saknar year (planens år)")
    event_code = doc.get("event")
    if event_code is not None:
        try:
            ReportingEventCode.parse(str(event_code))
        except ValueError as exc:
            reader.error(doc.line_of("event"), str(exc))
            event_code = None
    plan = _read_plan(reader, doc, committee, event_code is not None)
    assignments = _read_assignments(reader, doc, committee, event_code is not None)
    if reader.errors:
        raise GoalsFileError(reader.errors)
    with transaction.atomic():
        event = (
            reporting_event_ensure(committee=committee, code=str(event_code))
            if (event_code)
            else None
        )
        if event is not None and event.is_locked:
            raise GoalsFileError(
                [FileError(path_text, doc.line_of("event"), f"{event.name} är låst")]
            )
        result = LoadResult(committee=committee, event=event)
        _store_plan(plan, committee, event, result)
        _store_assignments(assignments, committee, event, result)
        if event is not None:
            suggestions_refresh(committee=committee, event=event)
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
                            raise GoalsFileError(
                                [
                                    FileError(path_text, goal_plan["line"], f"{goal.code}: {m}")
                                    for m in exc.messages
                                ]
                            ) from exc
                        row.save()
            result.counts = selectors.assessment_counts(committee, event).total
    return result


def _read_plan(reader: _Reader, doc: LineDict, committee, with_event: bool) -> list[dict]:
    from django.contrib.auth import get_user_model

    goals: list[dict] = []
    seen_goals: set[str] = set()
    for area in reader.items(doc, "areas", "målområden"):
        number = area.get("number")
        if not isinstance(number, int):
            reader.error(area.line_of("number"), "målområdet saknar nummer (heltal)")
            continue
        area_name = reader.text(area, "name", what=f"målområde {number}")
        council = {}
        for cg in reader.items(area, "council_goals", "utvecklingsmål"):
            code = reader.text(cg, "code", what="utvecklingsmålet")
            council[code] = reader.text(cg, "name", what=f"utvecklingsmål {code}")
        for order, g in enumerate(reader.items(area, "goals", "nämndmål"), start=1):
            code = reader.text(g, "code", what="nämndmålet")
            if code in seen_goals:
                reader.error(g.line_of("code"), f"nämndmålet {code!r} finns redan i filen")
            seen_goals.add(code)
            cg_code = str(g["council_goal"]) if g.get("council_goal") is not None else ""
            if cg_code and cg_code not in council:
                reader.error(
                    g.line_of("council_goal"),
                    f"utvecklingsmålet {cg_code!r} står inte under målområde {number}",
                )
            unit = _node(reader, committee, reader.text(g, "responsible", what=f"nämndmål {code}"),
                         g.line_of("responsible"))  # fmt: skip
            plan = {
                "area": (number, area_name, {k: v for k, v in council.items()}),
                "council_goal": cg_code,
                "code": code,
                "name": reader.text(g, "name", what=f"nämndmål {code}"),
                "responsible": unit,
                "order": order,
                "valid_from": reader.year(g, "new"),
                "valid_to": reader.year(g, "last_year"),
                "predecessor": str(g.get("predecessor") or ""),
                "analysis": str(g.get("analysis") or "").strip(),
                "measures": [],
                "decision": None,
            }
            if g.get("assessment") is not None:
                level = reader.choice(g, "assessment", LEVEL_ALIASES, None)
                if not with_event:
                    reader.error(g.line_of("assessment"), "en bedömning kräver event: i filen")
                decided_by = None
                if g.get("decided_by"):
                    decided_by = (
                        get_user_model().objects.filter(username=str(g["decided_by"])).first()
                    )
                    if decided_by is None:
                        reader.error(
                            g.line_of("decided_by"), f"användaren {g['decided_by']!r} finns inte"
                        )
                at = g.get("decided_at")
                if at is not None and not isinstance(at, dt.date):
                    reader.error(
                        g.line_of("decided_at"), "decided_at ska vara ett datum ÅÅÅÅ-MM-DD"
                    )
                    at = None
                if isinstance(at, dt.date) and not isinstance(at, dt.datetime):
                    at = timezone.make_aware(dt.datetime.combine(at, dt.time(12)))
                plan["decision"] = (level, str(g.get("motivation") or "").strip(), at, decided_by)
                plan["line"] = g.line_of("assessment")
            if plan["analysis"] and not with_event:
                reader.error(g.line_of("analysis"), "en analys kräver event: i filen")
            seen_measures: set[str] = set()
            for m_order, m in enumerate(reader.items(g, "measures", "mått"), start=1):
                plan["measures"].append(_read_measure(reader, m, committee, m_order, seen_measures))
            goals.append(plan)
    return goals


def _read_measure(reader: _Reader, m: LineDict, committee, order: int, seen: set) -> dict:
    code = reader.text(m, "code", what="måttet")
    if code in seen:
        reader.error(m.line_of("code"), f"måttet {code!r} finns redan under nämndmålet")
    seen.add(code)
    what = f"mått {code}"
    unit = reader.choice(m, "unit", UNIT_ALIASES, Unit.PERCENT)
    gender = reader.choice(m, "gender", GENDER_ALIASES, GenderMeaning.NONE)
    source_text = str(m.get("source") or "manual").strip()
    kpi = ""
    if source_text.lower().startswith("kolada"):
        source = Source.KOLADA
        kpi = source_text.partition(":")[2].strip().upper()
        if not kpi:
            reader.error(m.line_of("source"), "ange Kolada-nyckeltalet, t.ex. kolada:N00005")
    else:
        source = SOURCE_ALIASES.get(source_text.lower())
        if source is None:
            reader.error(m.line_of("source"), f"okänd källa {source_text!r}")
            source = Source.MANUAL
    targets = {}
    raw_targets = m.get("targets") or {}
    if not isinstance(raw_targets, dict):
        reader.error(m.line_of("targets"), "targets ska vara år: mål")
        raw_targets = {}
    for year, text in raw_targets.items():
        line = raw_targets.line_of(year) if isinstance(raw_targets, LineDict) else m.line
        if not isinstance(year, int):
            reader.error(line, f"{what}: {year!r} är inget årtal")
            continue
        try:
            targets[year] = calc.parse_target(
                str(text).replace(".", ",") if isinstance(text, float) else text
            )
        except calc.TargetError as exc:
            reader.error(line, f"{what}: {exc}")
    outcomes: dict[tuple[int, str], tuple[Decimal | None, str]] = {}
    raw = m.get("outcomes") or {}
    if not isinstance(raw, dict):
        reader.error(m.line_of("outcomes"), "outcomes ska vara år: värde")
        raw = {}
    for year, value in raw.items():
        line = raw.line_of(year) if isinstance(raw, LineDict) else m.line
        if not isinstance(year, int):
            reader.error(line, f"{what}: {year!r} är inget årtal")
            continue
        cells = value if isinstance(value, dict) else {"T": value}
        for key, cell in cells.items():
            key = str(key)
            if key == "missing":
                outcomes[(year, "T")] = (None, str(cell))
                continue
            if key not in ("T", "K", "M"):
                reader.error(line, f"{what} {year}: {key!r} ska vara T, K, M eller missing")
                continue
            if key != "T" and gender == GenderMeaning.NONE:
                reader.error(line, f"{what} {year}: måttet är inte uppdelat på kön (gender:)")
                continue
            ok, number = reader.number(cell, line, f"{what} {year} {key}")
            if ok and number is not None:
                outcomes[(year, key)] = (number, "")
    return {
        "code": code,
        "name": reader.text(m, "name", what=what),
        "unit": unit,
        "polarity": reader.choice(m, "polarity", POLARITY_ALIASES, Polarity.HIGHER),
        "gender": gender,
        "source": source,
        "kpi": kpi,
        "owner": _node(reader, committee, reader.text(m, "owner", what=what), m.line_of("owner")),
        "footnote": str(m.get("footnote") or "").strip(),
        "order": order,
        "valid_from": reader.year(m, "new"),
        "valid_to": reader.year(m, "last_year"),
        "predecessor": str(m.get("predecessor") or ""),
        "targets": targets,
        "outcomes": outcomes,
        "comment": str(m.get("comment") or "").strip(),
    }


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


def _store_plan(plan: list[dict], committee, event, result: LoadResult) -> None:
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
                target_set(measure=measure, year=year, target=target)
            for (year, gender), (value, reason) in m["outcomes"].items():
                outcome_set(
                    measure=measure, year=year, gender=gender, value=value, missing_reason=reason
                )
                result.values += 1
            if event is not None and m["comment"]:
                measure_comment_set(measure=measure, event=event, text=m["comment"])
        if event is not None and g["analysis"]:
            row = _assessment(goal, event)
            if row.analysis != g["analysis"]:
                row.analysis = g["analysis"]
                row.save()


def _read_assignments(reader: _Reader, doc: LineDict, committee, with_event: bool) -> list:
    out = []
    origins = {"kf": AssignmentOrigin.COUNCIL, "kommunfullmäktige": AssignmentOrigin.COUNCIL,
               "nämnd": AssignmentOrigin.COMMITTEE, "namnd": AssignmentOrigin.COMMITTEE,
               "nämnden": AssignmentOrigin.COMMITTEE}  # fmt: skip
    for a in reader.items(doc, "assignments", "uppdrag"):
        code = reader.text(a, "code", what="uppdraget")
        deadline = a.get("deadline")
        if deadline is not None and not isinstance(deadline, dt.date):
            reader.error(a.line_of("deadline"), "deadline ska vara ett datum ÅÅÅÅ-MM-DD")
            deadline = None
        status = a.get("status")
        if status is not None:
            if not with_event:
                reader.error(a.line_of("status"), "en statuskommentar kräver event: i filen")
            status = reader.mapping(status, a.line_of("status"), "status")
        out.append(
            {
                "code": code,
                "title": reader.text(a, "title", what=f"uppdrag {code}"),
                "description": str(a.get("description") or "").strip(),
                "origin": reader.choice(a, "origin", origins, AssignmentOrigin.COMMITTEE),
                "origin_reference": str(a.get("reference") or "").strip(),
                "year": reader.year(a, "year") or doc.get("year"),
                "deadline": deadline,
                "responsible": _node(
                    reader,
                    committee,
                    reader.text(a, "responsible", what=f"uppdrag {code}"),
                    a.line_of("responsible"),
                ),
                "status": status,
            }
        )
    return out


def _store_assignments(items: list, committee, event, result: LoadResult) -> None:
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
    committee: OrgNode | None = None,
    years: set[int] | None = None,
    user=None,
) -> KoladaResult:
    """Store Kolada values as outcomes of the measures whose source is that KPI, in the
    committee(s) of the municipality the values are for (its code, e.g. 0127)."""
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
                    measure=m, year=v.period, gender=gender, value=v.value, user=user,
                    source=Source.KOLADA,
                )  # fmt: skip
                result.stored += 1
    return result
