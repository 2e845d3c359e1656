"""Reads for views, reports and the CLI: the goal report data, counts and the sentence.

Public API for the reports engineer (shapes documented in docs/goals.md):

    goal_report_data(committee, event) -> GoalReport
    assessment_counts(committee, event) -> AssessmentCounts
    assessment_sentence(committee, event) -> str
    assignments_data(committee, event) -> tuple[AssignmentData, ...]
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from styra.calendar.selectors import events_of
from styra.lib.eventcodes import EventCode, EventKind
from styra.lib.numbers import format_number
from styra.lib.periods import month_long

from . import calc
from .models import (
    Assignment,
    AssignmentStatus,
    Goal,
    GoalArea,
    GoalAssessment,
    Measure,
    MeasureComment,
    Unit,
)

YEARS_SHOWN = 4  # Utfall Y-3 .. Utfall Y


@dataclass(frozen=True)
class MeasureRow:
    """One gender row of a measure table: outcomes for each year of MeasureData.years."""

    gender: str  # "T", "M", "K"
    label: str  # "Totalt", "Män", "Kvinnor"
    outcomes: tuple[Decimal | None, ...]
    texts: tuple[str, ...]  # formatted: "41 %", "4,3", "Ja", "" (missing)


@dataclass(frozen=True)
class MeasureData:
    id: int
    code: str
    name: str
    unit: str
    polarity: str  # "higher" / "lower"
    gender_meaning: str  # "none" / "rate" / "composition"
    owner_unit: str
    owner_unit_id: int
    source: str
    kolada_kpi: str
    footnote: str
    years: tuple[int, ...]  # Y-3 .. Y
    target: calc.Target | None  # target of year Y (Totalt)
    target_text: str  # "Ökar", "85 %", "5–15 %", "Ja", ""
    targets_by_year: tuple[tuple[int, str], ...]  # every stored year's target text
    rows: tuple[MeasureRow, ...]  # Totalt, then Män and Kvinnor when split by gender
    missing_reason: str  # why the outcome of year Y is missing ("mäts i oktober")
    comment: str  # the per-measure comment at this event
    judgement: calc.Judgement
    warnings: tuple[str, ...]
    is_new: bool  # first year of the measure ("Nytt 2020")
    valid_to_year: int | None  # last year ("utgår" the year after)


@dataclass(frozen=True)
class GoalData:
    id: int
    code: str
    name: str
    responsible_unit: str
    responsible_unit_id: int
    analysis: str
    suggested: calc.Level
    suggestion_reason: str
    decided: calc.Level | None
    motivation: str
    decided_by: str
    decided_at: dt.datetime | None
    measures: tuple[MeasureData, ...]
    warnings: tuple[str, ...]
    missing: tuple[str, ...]  # what is still missing, in Swedish

    @property
    def level(self) -> calc.Level:
        """The assessment that counts: the decision, else the suggestion."""
        return self.decided or self.suggested


@dataclass(frozen=True)
class CouncilGoalData:
    code: str  # "" when the nämndmål hangs directly under the målområde
    name: str
    goals: tuple[GoalData, ...]


@dataclass(frozen=True)
class AreaData:
    number: int
    name: str
    council_goals: tuple[CouncilGoalData, ...]
    counts: calc.LevelCounts

    @property
    def goals(self) -> tuple[GoalData, ...]:
        return tuple(g for cg in self.council_goals for g in cg.goals)


@dataclass(frozen=True)
class GoalReport:
    committee: str
    event_code: str
    event_name: str
    year: int
    years: tuple[int, ...]
    areas: tuple[AreaData, ...]
    counts: calc.LevelCounts
    undecided: int
    sentence: str

    @property
    def goals(self) -> tuple[GoalData, ...]:
        return tuple(g for a in self.areas for g in a.goals)


@dataclass(frozen=True)
class AreaCounts:
    number: int
    name: str
    counts: calc.LevelCounts


@dataclass(frozen=True)
class AssessmentCounts:
    total: calc.LevelCounts
    by_area: tuple[AreaCounts, ...]
    undecided: int  # goals counted by their suggestion because nobody has decided yet


@dataclass(frozen=True)
class AssignmentData:
    id: int
    code: str
    title: str
    description: str
    origin: str  # "Kommunfullmäktige" / "Nämnden"
    origin_reference: str
    deadline: dt.date | None
    responsible_unit: str
    responsible_unit_id: int | None
    comment: str  # status comment at this event
    done: bool


# --- formatting -------------------------------------------------------------------------


def format_value(value: Decimal | None, unit: str) -> str:
    if value is None:
        return ""
    if unit == Unit.YES_NO:
        return "Ja" if value == 1 else "Nej"
    normal = value.normalize()
    decimals = max(0, -normal.as_tuple().exponent)
    text = format_number(value, decimals)
    return f"{text}\u00a0%" if unit == Unit.PERCENT else text


def target_text(target: calc.Target | None, unit: str) -> str:
    if target is None:
        return ""
    if target.kind is calc.TargetKind.NUMBER:
        return format_value(target.value, unit)
    return target.label("%" if unit == Unit.PERCENT else "")


def occasion(event) -> tuple[str, bool]:
    """("Vid delår 2", True): the sentence's opening and whether it is a forecast."""
    try:
        code = EventCode.parse(event.code)
    except ValueError:
        return (f"Vid {event.name}", True)
    kind = code.kind
    if kind is EventKind.VB:
        return (f"För {code.year}", False)
    if kind is EventKind.DELAR:
        return (f"Vid delår {code.number}", True)
    if kind is EventKind.TERTIAL:
        return (f"Vid tertial {code.number}", True)
    if kind is EventKind.MONTH:
        return (f"Vid månadsrapporten för {month_long(code.number)}", True)
    return (f"Vid prognos {code.number}", True)


# --- evaluation -------------------------------------------------------------------------


def _measure_data(measure: Measure, year: int, comment: str) -> MeasureData:
    years = tuple(range(year - YEARS_SHOWN + 1, year + 1))
    outcomes = {(o.year, o.gender): o for o in measure.outcomes.all()}
    targets = {t.year: t for t in measure.targets.all() if t.gender == "T"}
    genders = calc.GENDERS if measure.is_split else ("T",)
    rows = []
    for g in genders:
        values = tuple(outcomes[(y, g)].value if (y, g) in outcomes else None for y in years)
        rows.append(
            MeasureRow(
                g,
                calc.GENDER_LABELS[g],
                values,
                tuple(format_value(v, measure.unit) for v in values),
            )
        )
    current = outcomes.get((year, "T"))
    previous = outcomes.get((year - 1, "T"))
    target = targets[year].as_calc() if year in targets else None
    polarity = measure.calc_polarity
    judgement = calc.judge_measure(
        target=target,
        outcome=current.value if current else None,
        previous=previous.value if previous else None,
        polarity=polarity,
        best_possible=calc.best_possible_value(measure.unit, polarity),
        missing_reason=current.missing_reason if current else "",
    )
    year_values = [
        calc.YearValues(
            y,
            {
                g: outcomes[(y, g)].value
                for g in "TKM"
                if outcomes.get((y, g)) and outcomes[(y, g)].value is not None
            },
        )
        for y in years
    ]
    warnings = [
        w.message
        for w in calc.measure_warnings(
            meaning=calc.GenderMeaning(measure.gender_meaning),
            unit=measure.unit,
            years=year_values,
        )
    ]
    if calc.direction_conflict(target, polarity):
        warnings.append(
            f"Målet ”{target.label()}” pekar mot måttets riktning "
            f"({measure.get_polarity_display()}); det bedöms efter riktningen"
        )
    return MeasureData(
        id=measure.pk,
        code=measure.code,
        name=measure.name,
        unit=measure.unit,
        polarity=measure.polarity,
        gender_meaning=measure.gender_meaning,
        owner_unit=measure.owner_unit.name,
        owner_unit_id=measure.owner_unit_id,
        source=measure.source,
        kolada_kpi=measure.kolada_kpi,
        footnote=measure.footnote,
        years=years,
        target=target,
        target_text=target_text(target, measure.unit),
        targets_by_year=tuple(
            (y, target_text(t.as_calc(), measure.unit)) for y, t in sorted(targets.items())
        ),
        rows=tuple(rows),
        missing_reason=current.missing_reason if current else "",
        comment=comment,
        judgement=judgement,
        warnings=tuple(warnings),
        is_new=measure.valid_from_year == year,
        valid_to_year=measure.valid_to_year,
    )


def _goals_qs(committee, year: int):
    return (
        Goal.objects.valid_in_year(year)
        .filter(committee=committee)
        .select_related("area", "council_goal", "responsible_unit")
        .prefetch_related("measures__outcomes", "measures__targets", "measures__owner_unit")
        .order_by("area__number", "sort_order", "code")
    )


def goal_data(goal: Goal, event, assessment: GoalAssessment | None = None) -> GoalData:
    year = event.year
    comments = dict(
        MeasureComment.objects.filter(measure__goal=goal, event=event).values_list(
            "measure_id", "text"
        )
    )
    return _goal_data(goal, year, assessment, comments)


def _goal_data(goal, year, assessment, comments) -> GoalData:
    measures = tuple(
        _measure_data(m, year, comments.get(m.pk, ""))
        for m in sorted(goal.measures.all(), key=lambda m: (m.sort_order, m.code))
        if m.valid_in(year)
    )
    judgements = [m.judgement for m in measures]
    suggestion = calc.suggest_assessment(judgements)
    analysis = assessment.analysis if assessment else ""
    decided = (
        calc.Level(assessment.decided_level) if assessment and assessment.decided_level else None
    )
    warnings = [f"{m.name}: {w}" for m in measures for w in m.warnings]
    warnings += [w.message for w in calc.claim_warnings(analysis, judgements)]
    missing = []
    for m in measures:
        if m.judgement.achievement is calc.Achievement.NOT_JUDGEABLE:
            missing.append(f"{m.name}: {m.judgement.reason}")
    if not analysis.strip():
        missing.append("Analys saknas")
    if decided is None:
        missing.append("Bedömning saknas")
    decided_by = ""
    if assessment and assessment.decided_by:
        user = assessment.decided_by
        decided_by = user.get_full_name() or user.username
    return GoalData(
        id=goal.pk,
        code=goal.code,
        name=goal.name,
        responsible_unit=goal.responsible_unit.name,
        responsible_unit_id=goal.responsible_unit_id,
        analysis=analysis,
        suggested=suggestion.level,
        suggestion_reason=suggestion.reason,
        decided=decided,
        motivation=assessment.motivation if assessment else "",
        decided_by=decided_by,
        decided_at=assessment.decided_at if assessment else None,
        measures=measures,
        warnings=tuple(warnings),
        missing=tuple(missing),
    )


def goal_report_data(committee, event) -> GoalReport:
    """Everything the goal section of a report needs, for one committee and event."""
    year = event.year
    goals = list(_goals_qs(committee, year))
    assessments = {
        a.goal_id: a
        for a in GoalAssessment.objects.filter(event=event, goal__in=goals).select_related(
            "decided_by"
        )
    }
    comments = dict(
        MeasureComment.objects.filter(event=event, measure__goal__in=goals).values_list(
            "measure_id", "text"
        )
    )
    areas_by_id: dict[int, GoalArea] = {}
    grouped: dict[int, dict[str, tuple[str, list[GoalData]]]] = {}
    for goal in goals:
        data = _goal_data(goal, year, assessments.get(goal.pk), comments)
        areas_by_id[goal.area_id] = goal.area
        cg = goal.council_goal
        key = cg.code if cg else ""
        grouped.setdefault(goal.area_id, {}).setdefault(key, (cg.name if cg else "", []))[1].append(
            data
        )
    areas = []
    for area_id, by_cg in grouped.items():
        area = areas_by_id[area_id]
        council_goals = tuple(
            CouncilGoalData(code, name, tuple(gs)) for code, (name, gs) in by_cg.items()
        )
        levels = [g.level for cg in council_goals for g in cg.goals]
        areas.append(AreaData(area.number, area.name, council_goals, calc.count_levels(levels)))
    areas.sort(key=lambda a: a.number)
    all_goals = [g for a in areas for g in a.goals]
    counts = calc.count_levels(g.level for g in all_goals)
    opening, forecast = occasion(event)
    return GoalReport(
        committee=committee.name,
        event_code=event.code,
        event_name=event.name,
        year=year,
        years=tuple(range(year - YEARS_SHOWN + 1, year + 1)),
        areas=tuple(areas),
        counts=counts,
        undecided=sum(1 for g in all_goals if g.decided is None),
        sentence=calc.assessment_sentence(counts, occasion=opening, forecast=forecast),
    )


def assessment_counts(committee, event) -> AssessmentCounts:
    report = goal_report_data(committee, event)
    return AssessmentCounts(
        total=report.counts,
        by_area=tuple(AreaCounts(a.number, a.name, a.counts) for a in report.areas),
        undecided=report.undecided,
    )


def assessment_sentence(committee, event) -> str:
    """ "Vid delår 2 prognostiserar vi god måluppfyllnad för sju nämndmål, …" """
    counts = assessment_counts(committee, event).total
    opening, forecast = occasion(event)
    return calc.assessment_sentence(counts, occasion=opening, forecast=forecast)


def assignments_data(committee, event) -> tuple[AssignmentData, ...]:
    statuses = {
        s.assignment_id: s
        for s in AssignmentStatus.objects.filter(event=event, assignment__committee=committee)
    }
    out = []
    for a in (
        Assignment.objects.filter(committee=committee, year__lte=event.year)
        .select_related("responsible_unit")
        .order_by("deadline", "code")
    ):
        status = statuses.get(a.pk)
        if a.done and status is None:
            continue  # finished before this event
        out.append(
            AssignmentData(
                id=a.pk,
                code=a.code,
                title=a.title,
                description=a.description,
                origin=a.get_origin_display(),
                origin_reference=a.origin_reference,
                deadline=a.deadline,
                responsible_unit=a.responsible_unit.name if a.responsible_unit else "",
                responsible_unit_id=a.responsible_unit_id,
                comment=status.comment if status else "",
                done=status.done if status else a.done,
            )
        )
    return tuple(out)


def measures_for_unit(node, year: int):
    """Measures valid in the year that the node (or a unit below it) owns."""
    ids = _subtree_ids(node)
    return (
        Measure.objects.valid_in_year(year)
        .filter(owner_unit_id__in=ids, goal__in=Goal.objects.valid_in_year(year))
        .select_related("goal", "goal__area", "owner_unit", "goal__responsible_unit")
        .prefetch_related("outcomes", "targets")
        .order_by("goal__area__number", "goal__sort_order", "goal__code", "sort_order", "code")
    )


def goals_for_node(node, year: int):
    """Goals the node answers for: all of a committee, else those with a measure it owns
    or that it writes the analysis for."""
    committee = node.committee()
    qs = _goals_qs(committee, year)
    if node.pk == committee.pk:
        return list(qs)
    ids = _subtree_ids(node)
    return [
        g
        for g in qs
        if g.responsible_unit_id in ids or any(m.owner_unit_id in ids for m in g.measures.all())
    ]


def _subtree_ids(node) -> set[int]:
    from styra.org.models import OrgNode

    ids = {node.pk}
    frontier = [node.pk]
    while frontier:
        children = list(OrgNode.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        frontier = [c for c in children if c not in ids]
        ids.update(frontier)
    return ids


def pick_event(committee, code: str | None):
    """The event named by code, else the latest one of the committee (None if none)."""
    events = events_of(committee, latest_first=True)
    if code:
        return events.filter(code=code).first()
    return events.first()
