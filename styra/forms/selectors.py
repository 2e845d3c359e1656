"""Reads of the city's forms for pages and reports."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q

from styra.calendar.models import ReportingEvent
from styra.finance import figures
from styra.org import access
from styra.org.models import OrgNode

from . import calc
from .models import ResultUnitYear, StrategicProject


@dataclass(frozen=True)
class ResultUnitLine:
    """A result unit's year: its record (the entered part) and the figures read from the
    budget and the follow-up at `event` (none: the year has no reporting event yet)."""

    unit: OrgNode
    record: ResultUnitYear | None
    event: ReportingEvent | None
    gross_budget: Decimal  # B, from the budget (cost rows, positive)
    year_result: Decimal  # the unit's result from the follow-up, surplus +

    @property
    def carry(self) -> calc.CarryOver | None:
        if self.record is None:
            return None
        return calc.carry_over(self.gross_budget, self.record.fund_in, self.record.own_result)


def year_event(committee: OrgNode, year: int) -> ReportingEvent | None:
    """The event whose figures a year's forms show: the first open event of the year, else
    the latest (as the start pages and the kommunöversikt choose)."""
    events = ReportingEvent.objects.filter(committee=committee, year=year)
    return figures.current_event(list(events))


def result_units_of(
    committee: OrgNode, year: int, event: ReportingEvent | None = None
) -> list[ResultUnitLine]:
    """Every result unit of the committee (from the organisation: resultatenhet or
    intraprenad, valid in the year) with its year, if entered, and its gross budget and
    result from the figures engine at `event` (default: year_event)."""
    records = {r.unit_id: r for r in ResultUnitYear.objects.filter(committee=committee, year=year)}
    units = list(
        OrgNode.objects.filter(pk__in=access.subtree_ids(committee))
        .filter(Q(is_result_unit=True) | Q(is_intraprenad=True))
        .valid_in_year(year)
        .order_by("name")
    )
    event = event or year_event(committee, year)
    found: dict[int, tuple[Decimal, Decimal]] = {}
    if event is not None and units:
        fu = figures.follow_up(committee, event, grouping="coarse", targets=units)
        for uf in fu.units:
            costs = [f.budget for key, f in uf.by_row.items() if key in ("staff", "other")]
            found[uf.unit.pk] = (
                calc.gross_budget(costs),
                calc.unit_result(
                    cutoff=event.cutoff_period,
                    outcome=uf.net.outcome,
                    forecast=uf.net.forecast,
                    budget=uf.net.budget,
                ),
            )
    zero = (Decimal(0), Decimal(0))
    return [ResultUnitLine(u, records.get(u.pk), event, *found.get(u.pk, zero)) for u in units]


def unexplained_project_deviations(event) -> list[str]:
    """Why the event (a tertial or delårsrapport) may not be marked ready or approved: each
    strategic project of its committee and year whose budget, total or dates deviate from
    the decision without both a cause and an action, named. The calendar asks this through
    the same readiness check as the report's figures (calendar.locks.approval_problems)."""
    problems = []
    for project in StrategicProject.objects.filter(
        committee_id=event.committee_id, year=event.year
    ).order_by("name"):
        for problem in calc.ready_problems(project.deviations(), project.cause, project.action):
            problems.append(f"Strategiskt projekt {project.name}: {problem}")
    return problems
