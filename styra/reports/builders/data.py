"""The data a report is built from, read once through the finance and goals selectors.

Everything here is a read; the builder (styra.reports.builders) turns it into blocks.
"""

from __future__ import annotations

from functools import cached_property

from styra.finance import selectors as fin
from styra.finance.models import BudgetChange, ReportingEvent, StaffFigure
from styra.ledger.models import ReportRow
from styra.ledger.rows import scheme_for
from styra.lib.periods import ReportingEventCode, ReportingEventKind
from styra.org.models import OrgNode


class ReportData:
    def __init__(self, committee: OrgNode, event: ReportingEvent, narratives: dict):
        self.committee = committee
        self.event = event
        self.year = event.year
        self.cutoff = event.cutoff_period
        # (part, unit id or None) -> (text, ready)
        self.narratives = narratives

    @cached_property
    def code(self) -> ReportingEventCode | None:
        try:
            return ReportingEventCode.parse(self.event.code)
        except ValueError:
            return None

    @property
    def final(self) -> bool:
        """The annual report tells the outcome, not a forecast."""
        return self.code is not None and self.code.kind is ReportingEventKind.VB

    @cached_property
    def by_unit(self) -> fin.FollowUp:
        return fin.follow_up(self.committee, self.event, level="report", grouping="coarse3")

    @cached_property
    def by_detail(self) -> fin.FollowUp:
        return fin.follow_up(self.committee, self.event, level="detail", grouping="coarse")

    @cached_property
    def by_row(self) -> fin.FollowUp:
        return fin.follow_up(self.committee, self.event, level="report", grouping="row")

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
        return fin.volume_follow_up(self.committee, self.event)

    @cached_property
    def monthly(self) -> dict:
        return fin.monthly_series(self.committee, self.event)

    @cached_property
    def previous_event(self) -> ReportingEvent | None:
        return fin.previous_event(self.event)

    @cached_property
    def assumptions(self) -> list:
        return list(self.event.assumptions.all())

    @cached_property
    def budget_changes(self) -> list[BudgetChange]:
        units = [u.unit.pk for u in self.by_unit.units]
        ids = set()
        for uid in units:
            ids |= _subtree(uid)
        return list(
            BudgetChange.objects.filter(year=self.year, unit_id__in=ids)
            .select_related("unit")
            .order_by("date", "pk")
        )

    @cached_property
    def staff(self) -> list[StaffFigure]:
        units = [u.unit for u in self.by_unit.units]
        return list(
            StaffFigure.objects.filter(year=self.year, unit__in=units).select_related("unit")
        )

    @cached_property
    def goals(self):
        from styra.goals.selectors import goal_report_data

        return goal_report_data(self.committee, self.event)

    @cached_property
    def assignments(self):
        from styra.goals.selectors import assignments_data

        return assignments_data(self.committee, self.event)

    def narrative(self, part: str, unit: OrgNode | None = None) -> str:
        return self.narratives.get((part, unit.pk if unit else None), ("", False))[0]


def _subtree(node_id: int) -> set[int]:
    ids = {node_id}
    frontier = [node_id]
    while frontier:
        children = list(OrgNode.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        frontier = [c for c in children if c not in ids]
        ids.update(frontier)
    return ids
