"""Reads for the investment and volume pages and report blocks. Every figure of the
ledger, budget and forecasts comes from the figures engine (styra.finance.figures)."""

from __future__ import annotations

from decimal import Decimal

from styra.calendar.models import ReportingEvent
from styra.ledger.models import ReportRow
from styra.ledger.rows import scheme_for
from styra.org.models import OrgNode
from styra.org.selectors import rollup_map

from . import calc, figures

ZERO = Decimal(0)


# ---------------------------------------------------------------- investments and volumes


def investment_follow_up(
    committee: OrgNode, event: ReportingEvent, *, unit_ids: frozenset[int] | None = None
) -> dict:
    """Investment projects with outcome, budget, forecast and capital costs; `unit_ids`
    limits them to the projects of those units (a unit role's read scope)."""
    from .models import LIFE_YEARS, InterestRate, InvestmentProject

    year = event.year
    projects_outcome = figures.event_projects(committee, event)
    outcome = projects_outcome["to_date"]
    previous_outcome = projects_outcome["previous"]
    rates = {
        r.year: r.rate for r in InterestRate.objects.filter(municipality=committee.municipality)
    }
    groups: dict[str, list[dict]] = {"annual": [], "multi_year": []}
    projects = InvestmentProject.objects.filter(committee=committee)
    if unit_ids is not None:
        projects = projects.filter(unit_id__in=unit_ids)
    for p in projects.prefetch_related("plan", "forecasts", "revisions"):
        plan = {x.year: x.amount for x in p.plan.all()}
        forecast = next((f.amount for f in p.forecasts.all() if f.event_id == event.pk), None)
        costs = []
        if p.go_live and (p.new_total is not None or p.decided_total):
            total = abs(p.new_total if p.new_total is not None else p.decided_total)
            costs = calc.capital_costs(
                total, p.go_live.year, p.go_live.month, LIFE_YEARS.get(p.category, 10), rates
            )
        groups[p.kind].append(
            {
                "project": p,
                "outcome": outcome.get(p.number, ZERO),
                "outcome_previous_year": previous_outcome.get(p.number, ZERO),
                "budget": plan.get(year, ZERO),
                "forecast": forecast,
                "deviation": plan.get(year, ZERO) - outcome.get(p.number, ZERO),
                "plan": sorted(plan.items()),
                "extra_budget": calc.extra_budget_request(p.new_total, p.decided_total),
                "capital_costs": costs,
                "revisions": list(p.revisions.all()),
            }
        )

    def total(rows, key):
        return sum((r[key] or ZERO for r in rows), ZERO)

    summary = {
        kind: {
            "outcome": total(rows, "outcome"),
            "budget": total(rows, "budget"),
            "forecast": total(rows, "forecast"),
            "previous_year": total(rows, "outcome_previous_year"),
        }
        for kind, rows in groups.items()
    }
    summary["all"] = {k: summary["annual"][k] + summary["multi_year"][k] for k in summary["annual"]}
    return {"annual": groups["annual"], "multi_year": groups["multi_year"], "summary": summary}


def volume_follow_up(
    committee: OrgNode,
    event: ReportingEvent,
    *,
    unit_ids: frozenset[int] | None = None,
    memo: dict | None = None,
) -> dict:
    """Volumes and key ratios: the volume unit's net outcome (or its costs only, for a
    "gross" ratio) over the same period ÷ the volume; a zero volume gives no ratio.
    `unit_ids` limits them to the volumes of those units (a unit role's read scope)."""
    from .models import VolumeType

    year, cutoff = event.year, event.cutoff_period
    scheme = scheme_for(committee.municipality, year)
    revenue_rows = set(
        ReportRow.objects.filter(scheme=scheme, coarse="revenue").values_list("code", flat=True)
    )
    volume_types = [
        v
        for v in VolumeType.objects.filter(committee=committee)
        .select_related("unit")
        .prefetch_related("values")
        if unit_ids is None or v.unit_id in unit_ids
    ]
    facts = figures.event_facts(committee, event, memo=memo).facts
    outcome = {
        "prev_to_date": {k: f.previous_to_date for k, f in facts.items()},
        "to_date": {k: f.outcome for k, f in facts.items()},
        "prev_year": {k: f.previous_year for k, f in facts.items()},
        "budget": {k: f.budget for k, f in facts.items()},
    }

    def amount(source, rollup, basis):
        return sum(
            (
                v
                for (node_id, code), v in source.items()
                if node_id in rollup and (basis == "net" or code not in revenue_rows)
            ),
            ZERO,
        )

    rows = []
    for v in volume_types:
        values = list(v.values.all())

        def pick(kind, y, period=None, ev=None, values=values):
            for x in values:
                if (
                    x.kind == kind
                    and x.year == y
                    and (period is None or x.period == period)
                    and (ev is None or x.event_id == ev.pk)
                ):
                    return x.value
            return None

        volumes = {
            "prev_to_date": pick("outcome", year - 1, cutoff),
            "to_date": pick("outcome", year, cutoff),
            "prev_year": pick("outcome", year - 1, 13),
            "budget": pick("budget", year),
        }
        rollup = rollup_map(committee.municipality, [v.unit])
        ratios = []
        for ratio in v.ratios or [{"label": "Kostnad / årsplats", "basis": "net"}]:
            ratios.append(
                {
                    "label": ratio["label"],
                    "basis": ratio["basis"],
                    "values": {
                        col: calc.cost_per_volume(amount(outcome[col], rollup, ratio["basis"]), vol)
                        for col, vol in volumes.items()
                    },
                }
            )
        rows.append(
            {
                "volume": v,
                "values": volumes,
                "forecast": pick("forecast", year, ev=event),
                "ratios": ratios,
            }
        )
    return {"volumes": rows}


def children_in_year(
    committee: OrgNode, node_id: int, year: int, memo: dict | None = None
) -> list[OrgNode]:
    """The children of a node of the committee valid this year or last (last year's
    Bokslut column still shows them), in display order, from the request's loaded tree."""
    _, children = figures._tree_of(committee, memo)
    return [
        n for n in children.get(node_id, []) if n.valid_in_year(year) or n.valid_in_year(year - 1)
    ]
