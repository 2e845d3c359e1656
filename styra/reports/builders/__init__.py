"""Stage one: the report as data (styra.reports.blocks) from the definition and the data.

    build_report(committee, event, report_type=None) -> Report

The block functions live in topic modules named for what they build (texts,
financial_tables, charts, investments, volumes_and_staff, goals_and_assignments); each
registers itself with `@block("name")` (context.py). This module assembles a report from a
definition's sections.
"""

from __future__ import annotations

from dataclasses import replace

from styra.calendar.models import ReportingEvent
from styra.lib.eventcodes import parse_event_code
from styra.org.models import OrgNode

from .. import calc
from .. import definitions as defs
from ..blocks import Report, Section, split_blocks
from . import (  # noqa: F401  (importing registers the blocks)
    charts,
    financial_tables,
    goals_and_assignments,
    investments,
    texts,
    volumes_and_staff,
)
from .context import BLOCKS, Ctx, block
from .data import ReportData

__all__ = [
    "BLOCKS",
    "OWN_SUMMARY",
    "Ctx",
    "block",
    "build_report",
    "definition_for",
    "load_narratives",
]

# Report types that are not a follow-up of the year (the yttrande, registered by
# styra.planning) give their own title and first summary sentence: report type →
# callable(committee, event) -> (title, lead). They carry no forecast warnings.
OWN_SUMMARY: dict = {}


def _summary_text(data: ReportData, definition: defs.ReportDefinition, lead: str = "") -> str:
    parts = [
        lead or calc.committee_result_sentence(data.by_unit.total.net.deviation, final=data.final)
    ]
    summary = data.narrative("sammanfattning")
    if summary.strip():
        parts.extend(p for kind, items in split_blocks(summary) if kind == "p" for p in items)
    if any("goal_sentence" in s.blocks for s in definition.enabled_sections):
        goals = data.goals
        if goals.areas:
            parts.append(goals.sentence)
    return "\n\n".join(parts)


def load_narratives(event: ReportingEvent, report_type: str) -> dict:
    from ..models import NarrativeText

    return {
        (n.part, n.unit_id): (n.text, n.ready)
        for n in NarrativeText.objects.filter(event=event, report_type=report_type)
    }


def definition_for(committee: OrgNode, report_type: str) -> defs.ReportDefinition:
    from ..models import ReportTemplate

    definition = defs.load(report_type)
    template = ReportTemplate.objects.filter(committee=committee, report_type=report_type).first()
    return defs.apply_overrides(definition, template.overrides if template else None)


def build_report(
    committee: OrgNode,
    event: ReportingEvent,
    report_type: str | None = None,
    *,
    definition: defs.ReportDefinition | None = None,
    narratives: dict | None = None,
    identifiable: bool = False,
    actor=None,
    analyses: dict | None = None,
) -> Report:
    """The report as data. `identifiable=True` builds a report type's version with
    identifiable personal data (its definition says `identifiable: true`); only an actor
    with the CONFIDENTIAL right on the committee gets it, and its report_type and files get
    the suffix "-identifierbar" so they are never mistaken for the public one."""
    report_type = report_type or defs.for_event(event.code)
    definition = definition or definition_for(committee, report_type)
    if identifiable:
        from django.core.exceptions import PermissionDenied

        from styra.lib.errors import UsageError
        from styra.org import access

        access.check_actor(actor)
        if not definition.identifiable:
            raise UsageError(f"Rapporttypen {definition.key} har ingen identifierbar version.")
        if not access.can(actor, access.CONFIDENTIAL, committee):
            raise PermissionDenied(
                f"Du saknar behörighet att läsa identifierbara uppgifter för {committee.name}."
            )
    if narratives is None:
        narratives = load_narratives(event, report_type)
    data = ReportData(committee, event, narratives, identifiable=identifiable, analyses=analyses)
    own = OWN_SUMMARY.get(definition.key)
    own_title, lead = own(committee, event) if own else ("", "")
    sections: list[Section] = []
    for sdef in definition.enabled_sections:
        ctx = Ctx(data, definition, sdef)
        current: list = []
        head = Section(sdef.key, sdef.heading, sdef.level)
        pending = [head]
        for name in sdef.blocks:
            func = BLOCKS.get(name)
            if func is None:
                raise KeyError(f"okänt block {name!r} i rapporttypen {definition.key}")
            for item in func(ctx):
                if isinstance(item, Section):
                    pending[-1] = _with_blocks(pending[-1], current)
                    current = []
                    pending.append(item)
                else:
                    current.append(item)
        pending[-1] = _with_blocks(pending[-1], current)
        if sdef.optional and not any(p.blocks for p in pending):
            continue  # e.g. internal control's follow-up for a committee without a plan
        sections.extend(pending)
    warnings = []
    missing_units = [] if own else data.by_unit.missing
    if missing_units:
        warnings.append(
            "Prognosen är inte klarmarkerad (budget används där prognos saknas): "
            + ", ".join(u.name for u in missing_units)
        )
    name = definition.title or own_title or _event_name(event)
    return Report(
        report_type=definition.key + ("-identifierbar" if identifiable else ""),
        title=name,
        committee=committee.name,
        committee_code=committee.code,
        municipality=committee.municipality.name,
        event_code=event.code,
        year=event.year,
        cutoff_period=event.cutoff_period,
        sign_convention=definition.sign_convention,
        summary_unit=definition.summary_unit,
        table_unit=definition.table_unit,
        footer=f"{committee.municipality.name} · {committee.name} · {name}",
        summary_text=_summary_text(data, definition, lead),
        sections=tuple(sections),
        warnings=tuple(warnings),
    )


def _event_name(event: ReportingEvent) -> str:
    try:
        return parse_event_code(event.code).name_sv
    except ValueError:
        return event.name


def _with_blocks(section: Section, blocks: list) -> Section:
    return replace(section, blocks=section.blocks + tuple(blocks))
