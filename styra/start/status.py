"""The status of a committee's reporting event per unit (issue 14): forecasts, texts, goal
values and assessments with their state, deviations, links to act and overdue flags.

`work_state` is the rule (pure); `event_status` gathers the facts from finance, reports
and goals (this module sits at the top of the layers, like the start page)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum


class State(StrEnum):
    NOT_STARTED = "ej_paborjad"
    IN_PROGRESS = "pagar"
    DONE = "klar"


STATE_LABELS = {
    State.NOT_STARTED: "Ej påbörjad",
    State.IN_PROGRESS: "Pågår",
    State.DONE: "Klar",
}


@dataclass(frozen=True)
class Work:
    """One piece of work of a unit at an event: `done` of `total` parts klar, `started`
    parts with something saved. Late: not klar when the deadline has passed."""

    state: State
    done: int
    total: int
    late: bool

    @property
    def label(self) -> str:
        text = STATE_LABELS[self.state]
        if self.total > 1:
            text += f" ({self.done} av {self.total})"
        return text + (", försenad" if self.late else "")


def work_state(
    *, done: int, started: int, total: int, deadline: dt.date | None, today: dt.date
) -> Work | None:
    """The state of `total` parts of which `done` are klar and `started` have something
    saved (klar parts count as started). None when there is nothing to do."""
    if total <= 0:
        return None
    if not 0 <= done <= total or started < 0:
        raise ValueError("done must be within 0..total and started ≥ 0")
    if done == total:
        state = State.DONE
    elif max(started, done) > 0:
        state = State.IN_PROGRESS
    else:
        state = State.NOT_STARTED
    late = state != State.DONE and deadline is not None and today > deadline
    return Work(state, done, total, late)


# ---------------------------------------------------------------- gathering the facts


@dataclass
class UnitStatus:
    unit: object
    forecast: Work | None = None
    forecast_url: str = ""
    deviation: Decimal | None = None
    texts: Work | None = None
    text_links: list[tuple[str, str]] = field(default_factory=list)
    goals: Work | None = None  # measure values
    analyses: Work | None = None  # goal analyses, klar when klarmarked
    goals_url: str = ""
    volumes: Work | None = None  # klar: outcome so far and forecast entered
    volumes_url: str = ""
    responsible: list[str] = field(default_factory=list)  # e-mail addresses

    @property
    def late(self) -> bool:
        works = (self.forecast, self.texts, self.goals, self.analyses, self.volumes)
        return any(w is not None and w.late for w in works)

    @property
    def open_work(self) -> bool:
        return any(
            w is not None and w.state != State.DONE
            for w in (self.forecast, self.texts, self.goals, self.analyses, self.volumes)
        )


def responsible_users(unit, committee):
    """The people who report for the unit: editors on the unit or on a node between it and
    the committee (a role on the committee itself is the controller's, not the unit's)."""
    from django.contrib.auth import get_user_model

    from styra.org.models import Role

    chain = [unit, *[n for n in unit.ancestors() if n.pk != committee.pk]]
    chain = [n for n in chain if n.pk != committee.pk]
    return list(
        get_user_model()
        .objects.filter(role_grants__node__in=chain, role_grants__role=Role.EDITOR, is_active=True)
        .distinct()
        .order_by("username")
    )


def event_status(committee, event, today: dt.date) -> list[UnitStatus]:
    """Every report unit (verksamhet) of the committee at the event, with the units under
    it that owe a forecast: forecast, texts and goals with their state."""
    from django.urls import reverse

    from styra.finance.figures import follow_up
    from styra.finance.models import Forecast
    from styra.goals.models import GoalAssessment, Measure, MeasureComment, Outcome
    from styra.org.selectors import report_units, rollup_map, tree
    from styra.reports import definitions as defs
    from styra.reports.selectors import report_parts

    deadline = event.deadline
    fu = follow_up(committee, event, level="detail")
    ready = fu.ready
    devs = {uf.unit.pk: uf.net.deviation for uf in fu.units}
    saved_units = set(
        Forecast.objects.filter(event=event).values_list("unit_id", flat=True).distinct()
    )
    rows: list[UnitStatus] = []
    for unit in fu.forecast_units:
        subtree = set(rollup_map(unit.municipality, [unit]))
        row = UnitStatus(unit)
        row.forecast = work_state(
            done=1 if unit.pk in ready else 0,
            started=1 if subtree & saved_units else 0,
            total=1,
            deadline=deadline,
            today=today,
        )
        row.forecast_url = reverse(
            "forecast_form", kwargs={"node_id": unit.pk, "event_code": event.code}
        )
        row.deviation = devs.get(unit.pk)
        rows.append(row)
    by_unit = {r.unit.pk: r for r in rows}

    # Texts: the report's per-unit parts, written by the report units (verksamheter).
    try:
        report_type = defs.for_event(event.code)
        parts = report_parts(committee, event, report_type)
    except (KeyError, ValueError, FileNotFoundError):
        report_type, parts = None, []
    per_unit: dict[int, list] = {}
    for part in parts:
        if part.unit is not None:
            per_unit.setdefault(part.unit.pk, []).append(part)
    # Goals: measures owned and goals answered for by units in each report unit's subtree.
    year = event.year
    measures = list(Measure.objects.filter(goal__committee=committee).valid_in_year(year))
    with_value = set(
        Outcome.objects.filter(measure__in=measures, year=year, value__isnull=False)
        .values_list("measure_id", flat=True)
        .distinct()
    )
    commented = set(
        MeasureComment.objects.filter(measure__in=measures, event=event)
        .values_list("measure_id", flat=True)
        .distinct()
    )
    # A goal's analysis is done when the unit has klarmarked it; written = in progress.
    analyses = GoalAssessment.objects.filter(event=event, goal__committee=committee)
    analysed = set(analyses.filter(analysis_ready=True).values_list("goal_id", flat=True))
    written = set(analyses.exclude(analysis="").values_list("goal_id", flat=True))
    from styra.goals.models import Goal

    goals = list(
        Goal.objects.filter(committee=committee, responsible_unit__isnull=False).valid_in_year(year)
    )
    # Volumes: the unit's outcome through the cut-off and its forecast for the event.
    from styra.finance.models import VolumeType, VolumeValue

    volume_types = list(VolumeType.objects.filter(committee=committee))
    values = VolumeValue.objects.filter(volume__in=volume_types, year=year)
    with_outcome = set(
        values.filter(kind="outcome", period=event.cutoff_period).values_list(
            "volume_id", flat=True
        )
    )
    with_forecast = set(
        values.filter(kind="forecast", event=event).values_list("volume_id", flat=True)
    )
    for unit in report_units(committee, year):
        if not unit.valid_in_year(year):
            continue
        subtree = set(rollup_map(unit.municipality, [unit]))
        row = by_unit.get(unit.pk)
        mine_parts = per_unit.get(unit.pk, [])
        mine_measures = [m for m in measures if m.owner_unit_id in subtree]
        mine_goals = [g for g in goals if g.responsible_unit_id in subtree]
        mine_volumes = [v for v in volume_types if v.unit_id in subtree]
        if not (mine_parts or mine_measures or mine_goals or mine_volumes):
            continue
        if row is None:
            row = UnitStatus(unit)
            rows.append(row)
            by_unit[unit.pk] = row
        row.texts = work_state(
            done=sum(1 for p in mine_parts if p.ready),
            started=sum(1 for p in mine_parts if p.text.strip()),
            total=len(mine_parts),
            deadline=deadline,
            today=today,
        )
        row.text_links = [
            (reverse("narrative_edit", args=[unit.pk, event.code, report_type, p.part]), p.heading)
            for p in mine_parts
        ]
        row.goals = work_state(
            done=sum(1 for m in mine_measures if m.pk in with_value),
            started=sum(1 for m in mine_measures if m.pk in commented or m.pk in with_value),
            total=len(mine_measures),
            deadline=deadline,
            today=today,
        )
        row.analyses = work_state(
            done=sum(1 for g in mine_goals if g.pk in analysed),
            started=sum(1 for g in mine_goals if g.pk in written or g.pk in analysed),
            total=len(mine_goals),
            deadline=deadline,
            today=today,
        )
        row.goals_url = reverse("goals_entry", kwargs={"node_id": unit.pk})
        row.volumes = work_state(
            done=sum(1 for v in mine_volumes if v.pk in with_outcome and v.pk in with_forecast),
            started=sum(1 for v in mine_volumes if v.pk in with_outcome | with_forecast),
            total=len(mine_volumes),
            deadline=deadline,
            today=today,
        )
        row.volumes_url = (
            reverse("volumes", kwargs={"node_id": unit.pk}) + f"?handelse={event.code}"
        )
    for row in rows:
        row.responsible = [u.email for u in responsible_users(row.unit, committee) if u.email]
    # In the tree's order: a verksamhet before the units under it.
    _, children = tree(committee.municipality)
    order: dict[int, int] = {}
    stack = [committee]
    while stack:
        n = stack.pop()
        order[n.pk] = len(order)
        stack.extend(reversed(children.get(n.pk, [])))
    rows.sort(key=lambda r: order.get(r.unit.pk, len(order)))
    return rows
