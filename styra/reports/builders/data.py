"""The data a report is built from, read once through the finance and goals selectors.

Everything here is a read; the builder (styra.reports.builders) turns it into blocks.
"""

from __future__ import annotations

from dataclasses import replace
from functools import cached_property

from styra.calendar.models import ReportingEvent
from styra.finance import figures as fig
from styra.finance import selectors as fin
from styra.finance.models import BudgetChange, StaffFigure
from styra.ledger.models import ReportRow
from styra.ledger.rows import scheme_for
from styra.lib.eventcodes import EventCode, EventKind
from styra.org.models import OrgNode


class ReportData:
    def __init__(
        self,
        committee: OrgNode,
        event: ReportingEvent,
        narratives: dict,
        *,
        identifiable: bool = False,
        analyses: dict | None = None,
    ):
        self.committee = committee
        # The version with identifiable personal data (the IVO report of ej verkställda
        # beslut); build_report grants it only to an actor with the CONFIDENTIAL right.
        self.identifiable = identifiable
        self.event = event
        self.year = event.year
        self.cutoff = event.cutoff_period
        # (part, unit id or None) -> (text, ready)
        self.narratives = narratives
        # goal id -> analysis as typed (the live check of an analysis before it is saved)
        self.analyses = analyses or {}
        self.memo: dict = {}  # the figures engine's reads, shared by the blocks

    @cached_property
    def code(self) -> EventCode | None:
        try:
            return EventCode.parse(self.event.code)
        except ValueError:
            return None

    @property
    def final(self) -> bool:
        """The annual report tells the outcome, not a forecast."""
        return self.code is not None and self.code.kind is EventKind.VB

    @cached_property
    def by_unit(self) -> fig.FollowUp:
        return fig.follow_up(
            self.committee, self.event, level="report", grouping="coarse3", memo=self.memo
        )

    @cached_property
    def by_detail(self) -> fig.FollowUp:
        return fig.follow_up(
            self.committee, self.event, level="detail", grouping="coarse", memo=self.memo
        )

    @cached_property
    def by_row(self) -> fig.FollowUp:
        return fig.follow_up(
            self.committee, self.event, level="report", grouping="row", memo=self.memo
        )

    @cached_property
    def row_sections(self) -> dict[str, str]:
        scheme = scheme_for(self.committee.municipality, self.year)
        if scheme is None:
            return {}
        return dict(ReportRow.objects.filter(scheme=scheme).values_list("code", "section"))

    @cached_property
    def investments(self) -> dict:
        return fin.investment_follow_up(self.committee, self.event)

    @cached_property
    def volumes(self) -> dict:
        return fin.volume_follow_up(self.committee, self.event, memo=self.memo)

    @cached_property
    def monthly(self) -> dict:
        return fig.monthly_series(self.committee, self.event, memo=self.memo)

    @cached_property
    def previous_event(self) -> ReportingEvent | None:
        return fig.previous_event(self.event)

    @cached_property
    def assumptions(self) -> list:
        return list(self.event.assumptions.all())

    @cached_property
    def budget_changes(self) -> list[BudgetChange]:
        """The budget changes in the event's figures: decided on or before its cut-off (for
        an approved event, those it showed), of the report units' subtrees."""
        ids = set()
        for uf in self.by_unit.units:
            ids |= _subtree(uf.unit.pk)
        return [
            c
            for c in fig.counted_changes(self.committee, self.event, memo=self.memo)
            if c.unit_id in ids
        ]

    @cached_property
    def staff(self) -> list[StaffFigure]:
        units = [u.unit for u in self.by_unit.units]
        return list(
            StaffFigure.objects.filter(year=self.year, unit__in=units).select_related("unit")
        )

    @cached_property
    def goals(self):
        from styra.goals.selectors import goal_report_data

        report = goal_report_data(self.committee, self.event)
        return _with_analyses(report, self.analyses) if self.analyses else report

    @cached_property
    def assignments(self):
        from styra.goals.selectors import assignments_data

        return assignments_data(self.committee, self.event)

    def narrative(self, part: str, unit: OrgNode | None = None) -> str:
        return self.narratives.get((part, unit.pk if unit else None), ("", False))[0]


def _with_analyses(report, analyses: dict):
    """The goal report with some goals' analyses replaced (goal id -> text)."""

    def goal(g):
        return replace(g, analysis=analyses[g.id]) if g.id in analyses else g

    areas = tuple(
        replace(
            a,
            council_goals=tuple(
                replace(cg, goals=tuple(goal(g) for g in cg.goals)) for cg in a.council_goals
            ),
        )
        for a in report.areas
    )
    return replace(report, areas=areas)


def _subtree(node_id: int) -> set[int]:
    ids = {node_id}
    frontier = [node_id]
    while frontier:
        children = list(OrgNode.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        frontier = [c for c in children if c not in ids]
        ids.update(frontier)
    return ids
