"""Reads for the follow-up grid, forecast forms, reports and the API.

Everything in report sign (revenue +, cost −), Decimal kronor. A unit's figure is the sum
over its subtree (styra.org.selectors: report units and detail units).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum

from styra.ledger.models import Balance, CoarseRow, ReportRow
from styra.ledger.rows import account_key, lookup_for, scheme_for
from styra.lib.money import from_ore
from styra.org.models import OrgNode
from styra.org.selectors import detail_units, report_units, rollup_map

from . import calc
from .models import BudgetChange, BudgetLine, Forecast, ForecastReady, ReportingEvent

ZERO = Decimal(0)
# The three-row view of DOMAIN §6 table 2: financial items count as other costs.
COARSE3 = {"revenue": "revenue", "staff": "staff", "other": "other", "financial": "other"}
COARSE3_LABELS = {"revenue": "Intäkter", "staff": "Personal", "other": "Övriga kostnader"}


def _rollup_map(committee: OrgNode, targets: list[OrgNode]) -> dict[int, int]:
    return rollup_map(committee.municipality, targets)


# ---------------------------------------------------------------- base data


@dataclass
class Figures:
    """One unit's (or the total's) figures for one row key."""

    previous_year: Decimal = ZERO  # Bokslut Y-1 (periods 1–13)
    previous_to_date: Decimal = ZERO  # Utfall Y-1 periods 1..cutoff
    outcome: Decimal = ZERO  # Utfall Y periods 1..cutoff
    budget_to_date: Decimal = ZERO  # Ack. budget Y through cutoff (current budget)
    budget: Decimal = ZERO  # current annual budget (original + changes)
    original_budget: Decimal = ZERO
    forecast: Decimal = ZERO
    previous_forecast: Decimal | None = None  # at the previous event
    forecast_missing: bool = False

    @property
    def deviation(self) -> Decimal:
        return calc.full_year_deviation(self.forecast, self.budget)

    @property
    def period_deviation(self) -> Decimal:
        return calc.period_deviation(self.outcome, self.budget_to_date)

    @property
    def forecast_change(self) -> Decimal | None:
        return calc.forecast_change(self.forecast, self.previous_forecast)

    def add(self, other: Figures) -> None:
        for name in (
            "previous_year",
            "previous_to_date",
            "outcome",
            "budget_to_date",
            "budget",
            "original_budget",
            "forecast",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        if other.previous_forecast is not None:
            self.previous_forecast = (self.previous_forecast or ZERO) + other.previous_forecast
        self.forecast_missing = self.forecast_missing or other.forecast_missing


def outcome_by_unit_row(
    committee: OrgNode, year: int, first: int, last: int
) -> dict[tuple[int, str], Decimal]:
    """Ledger outcome (report sign) per (node id, report row code), periods first..last."""
    lookup = lookup_for(committee.municipality, year)
    qs = (
        Balance.objects.filter(
            year=year,
            period__gte=first,
            period__lte=last,
            unit__municipality=committee.municipality,
        )
        .values("unit_id", "account")
        .annotate(total=Sum("amount_ore"))
    )
    out: dict[tuple[int, str], int] = defaultdict(int)
    for item in qs:
        key4 = account_key(item["account"])
        if key4 is None or not 3000 <= key4 <= 8999:
            continue
        row = lookup.row_for(item["account"]) if lookup else None
        out[(item["unit_id"], row.code if row else "?")] += item["total"]
    return {k: -from_ore(v) for k, v in out.items()}


def _weights_for(
    line: BudgetLine, last_year: dict[tuple[int, str], list[Decimal]]
) -> list[Decimal]:
    return calc.month_weights(
        line.profile,
        line.year,
        [Decimal(w) for w in line.weights] if line.weights else None,
        last_year.get((line.unit_id, line.row_code)),
    )


def budget_by_unit_row(
    committee: OrgNode, year: int, through_period: int, until: dt.date | None = None
) -> dict[tuple[int, str], tuple[Decimal, Decimal, Decimal]]:
    """(original, current, Ack. budget through period) per (node id, row code).

    Budget changes decided on or before `until` are included; a change is spread with its
    row's profile."""
    lines = list(BudgetLine.objects.filter(year=year, unit__municipality=committee.municipality))
    last_year: dict[tuple[int, str], list[Decimal]] = {}
    if any(line.profile == "last_year" for line in lines):
        last_year = monthly_outcome(committee, year - 1)
    out: dict[tuple[int, str], tuple[Decimal, Decimal, Decimal]] = {}
    weights_of: dict[tuple[int, str], list[Decimal]] = {}
    for line in lines:
        weights = _weights_for(line, last_year)
        weights_of[(line.unit_id, line.row_code)] = weights
        months = calc.periodise(line.amount, weights)
        out[(line.unit_id, line.row_code)] = (
            line.amount,
            line.amount,
            calc.budget_to_date(months, through_period),
        )
    changes = BudgetChange.objects.filter(year=year, unit__municipality=committee.municipality)
    if until:
        changes = changes.filter(date__lte=until)
    for change in changes:
        key = (change.unit_id, change.row_code)
        weights = weights_of.get(key, calc.month_weights("even", year))
        months = calc.periodise(change.amount, weights)
        original, current, to_date = out.get(key, (ZERO, ZERO, ZERO))
        out[key] = (
            original,
            current + change.amount,
            to_date + calc.budget_to_date(months, through_period),
        )
    return out


def monthly_outcome(committee: OrgNode, year: int) -> dict[tuple[int, str], list[Decimal]]:
    """Outcome per (node, row) and month 1–12 (period 13 folded into December)."""
    lookup = lookup_for(committee.municipality, year)
    qs = (
        Balance.objects.filter(year=year, unit__municipality=committee.municipality)
        .values("unit_id", "account", "period")
        .annotate(total=Sum("amount_ore"))
    )
    out: dict[tuple[int, str], list[Decimal]] = defaultdict(lambda: [ZERO] * 12)
    for item in qs:
        key4 = account_key(item["account"])
        if key4 is None or not 3000 <= key4 <= 8999 or lookup is None:
            continue
        row = lookup.row_for(item["account"])
        month = min(item["period"], 12) - 1
        out[(item["unit_id"], row.code if row else "?")][month] += -from_ore(item["total"])
    return out


def previous_event(event: ReportingEvent) -> ReportingEvent | None:
    return (
        ReportingEvent.objects.filter(
            committee=event.committee, year=event.year, cutoff_period__lt=event.cutoff_period
        )
        .order_by("-cutoff_period")
        .first()
    )


def forecasts_by_unit_row(event: ReportingEvent | None) -> dict[tuple[int, str], Decimal]:
    if event is None:
        return {}
    return {(f.unit_id, f.row_code): f.amount for f in Forecast.objects.filter(event=event)}


# ---------------------------------------------------------------- the grid


@dataclass
class UnitFigures:
    unit: OrgNode | None  # None = the committee total
    by_row: dict[str, Figures] = field(default_factory=dict)  # row key → figures
    net: Figures = field(default_factory=Figures)


@dataclass
class FollowUp:
    committee: OrgNode
    event: ReportingEvent
    year: int
    cutoff: int
    row_keys: list[tuple[str, str]]  # (key, Swedish label)
    units: list[UnitFigures]
    total: UnitFigures
    ready: set[int]
    forecast_units: list[OrgNode]  # units expected to give a forecast

    @property
    def missing(self) -> list[OrgNode]:
        return [u for u in self.forecast_units if u.pk not in self.ready]


def _row_key(row_code: str, rows: dict[str, ReportRow], grouping: str) -> str:
    if grouping == "row":
        return row_code
    row = rows.get(row_code)
    coarse = row.coarse if row else "other"
    return COARSE3[coarse] if grouping == "coarse3" else coarse


def follow_up(
    committee: OrgNode, event: ReportingEvent, *, level: str = "report", grouping: str = "coarse3"
) -> FollowUp:
    """The controller's grid: per unit × row the columns of DOMAIN §6 tables 2–4.

    level: "report" (table 3) or "detail" (table 4); grouping: "coarse3" (Intäkter /
    Personal / Övriga kostnader), "coarse", or "row" (kontoslag)."""
    year, cutoff = event.year, event.cutoff_period
    targets = report_units(committee, year) if level == "report" else detail_units(committee, year)
    rollup = _rollup_map(committee, targets)
    scheme = scheme_for(committee.municipality, year)
    rows = {r.code: r for r in ReportRow.objects.filter(scheme=scheme)} if scheme else {}
    cutoff_date = dt.date(year, min(cutoff, 12), 1)
    until = (cutoff_date.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(
        days=1
    )

    data: dict[tuple[int, str], Figures] = defaultdict(Figures)

    def put(source: dict, attr: str) -> None:
        for (node_id, code), value in source.items():
            target = rollup.get(node_id)
            if target is None:
                continue
            fig = data[(target, _row_key(code, rows, grouping))]
            setattr(fig, attr, getattr(fig, attr) + value)

    put(outcome_by_unit_row(committee, year - 1, 1, 13), "previous_year")
    put(outcome_by_unit_row(committee, year - 1, 1, cutoff), "previous_to_date")
    put(outcome_by_unit_row(committee, year, 1, cutoff), "outcome")
    budgets = budget_by_unit_row(committee, year, cutoff, until)
    put({k: v[0] for k, v in budgets.items()}, "original_budget")
    put({k: v[1] for k, v in budgets.items()}, "budget")
    put({k: v[2] for k, v in budgets.items()}, "budget_to_date")
    forecasts = forecasts_by_unit_row(event)
    # A budgeted row without a forecast counts as forecast = budget, and is marked missing.
    filled = dict(forecasts)
    for key, (_o, current, _a) in budgets.items():
        if key not in forecasts:
            filled[key] = current
            target = rollup.get(key[0])
            if target is not None:
                data[(target, _row_key(key[1], rows, grouping))].forecast_missing = True
    put(filled, "forecast")
    prev = previous_event(event)
    if prev is not None:
        for (node_id, code), value in forecasts_by_unit_row(prev).items():
            target = rollup.get(node_id)
            if target is None:
                continue
            fig = data[(target, _row_key(code, rows, grouping))]
            fig.previous_forecast = (fig.previous_forecast or ZERO) + value

    if grouping == "coarse3":
        row_keys = list(COARSE3_LABELS.items())
    elif grouping == "coarse":
        row_keys = [(c.value, c.label) for c in CoarseRow]
    else:
        row_keys = [(r.code, r.name) for r in sorted(rows.values(), key=lambda r: r.order)]
    used = {key for (_t, key) in data}
    row_keys = [rk for rk in row_keys if rk[0] in used or grouping == "coarse3"]

    units = []
    total = UnitFigures(None)
    for target in targets:
        uf = UnitFigures(target)
        for key, _label in row_keys:
            fig = data.get((target.pk, key), Figures())
            uf.by_row[key] = fig
            uf.net.add(fig)
            total.by_row.setdefault(key, Figures()).add(fig)
        total.net.add(uf.net)
        units.append(uf)
    # Who still owes a forecast: each detail unit with budget in its subtree, until it (or a
    # node above it) has marked the forecast ready (klarmarkering covers the subtree).
    details = detail_units(committee, year)
    detail_rollup = rollup_map(committee.municipality, details)
    holders = {detail_rollup.get(node_id) for node_id, _code in budgets}
    forecast_units = [u for u in details if u.pk in holders]
    marked = set(ForecastReady.objects.filter(event=event).values_list("unit_id", flat=True))
    ready = {
        u.pk for u in forecast_units if u.pk in marked or any(a.pk in marked for a in u.ancestors())
    }
    return FollowUp(committee, event, year, cutoff, row_keys, units, total, ready, forecast_units)


def events_for(committee: OrgNode, year: int | None = None):
    qs = ReportingEvent.objects.filter(committee=committee)
    return qs.filter(year=year) if year else qs


def monthly_series(committee: OrgNode, event: ReportingEvent, unit: OrgNode | None = None):
    """Accumulated outcome, accumulated budget and the forecast line over the months, for
    the chart: lists of 12 values (outcome only through the cutoff)."""
    year, cutoff = event.year, event.cutoff_period
    targets = [unit] if unit else report_units(committee, year)
    rollup = _rollup_map(committee, targets)
    outcome = [ZERO] * 12
    for (node_id, _code), months in monthly_outcome(committee, year).items():
        if node_id in rollup:
            for i, v in enumerate(months):
                outcome[i] += v
    lines = BudgetLine.objects.filter(year=year, unit_id__in=list(rollup))
    last_year = (
        monthly_outcome(committee, year - 1) if any(x.profile == "last_year" for x in lines) else {}
    )
    budget = [ZERO] * 12
    annual_budget = ZERO
    for line in lines:
        for i, v in enumerate(calc.periodise(line.amount, _weights_for(line, last_year))):
            budget[i] += v
        annual_budget += line.amount
    for change in BudgetChange.objects.filter(year=year, unit_id__in=list(rollup)):
        for i, v in enumerate(calc.periodise(change.amount, calc.month_weights("even", year))):
            budget[i] += v
        annual_budget += change.amount
    forecast_total = sum(
        (f.amount for f in Forecast.objects.filter(event=event, unit_id__in=list(rollup))), ZERO
    )

    def accumulate(values):
        out, running = [], ZERO
        for v in values:
            running += v
            out.append(running)
        return out

    acc_outcome = accumulate(outcome)[: min(cutoff, 12)]
    acc_budget = accumulate(budget)
    # The forecast path: from the outcome at the cutoff to the full-year forecast.
    start = acc_outcome[-1] if acc_outcome else ZERO
    steps = 12 - len(acc_outcome)
    acc_forecast = [None] * (len(acc_outcome) - 1) + [start] if acc_outcome else []
    for i in range(1, steps + 1):
        acc_forecast.append(start + (forecast_total - start) * i / steps)
    return {
        "outcome": acc_outcome,
        "budget": acc_budget,
        "forecast": acc_forecast,
        "annual_budget": annual_budget,
        "forecast_total": forecast_total,
    }


# ---------------------------------------------------------------- investments and volumes


def project_outcome(committee: OrgNode, year: int, first: int, last: int) -> dict[str, Decimal]:
    """Investment outcome per project number from the ledger's project dimension, report
    sign (expenditure negative)."""
    qs = (
        Balance.objects.filter(
            ledger_import__municipality=committee.municipality,
            year=year,
            period__gte=first,
            period__lte=last,
        )
        .exclude(project="")
        .values("project")
        .annotate(total=Sum("amount_ore"))
    )
    return {item["project"]: -from_ore(item["total"]) for item in qs}


def investment_follow_up(committee: OrgNode, event: ReportingEvent) -> dict:
    from .models import LIFE_YEARS, InterestRate, InvestmentProject

    year, cutoff = event.year, event.cutoff_period
    outcome = project_outcome(committee, year, 1, cutoff)
    previous_outcome = project_outcome(committee, year - 1, 1, 13)
    rates = {
        r.year: r.rate for r in InterestRate.objects.filter(municipality=committee.municipality)
    }
    groups: dict[str, list[dict]] = {"annual": [], "multi_year": []}
    for p in InvestmentProject.objects.filter(committee=committee).prefetch_related(
        "plan", "forecasts", "revisions"
    ):
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


def volume_follow_up(committee: OrgNode, event: ReportingEvent) -> dict:
    """Volumes and key ratios: the volume unit's net outcome (or its costs only, for a
    "gross" ratio) over the same period ÷ the volume; a zero volume gives no ratio."""
    from .models import VolumeType

    year, cutoff = event.year, event.cutoff_period
    scheme = scheme_for(committee.municipality, year)
    revenue_rows = set(
        ReportRow.objects.filter(scheme=scheme, coarse="revenue").values_list("code", flat=True)
    )
    outcome = {
        "prev_to_date": outcome_by_unit_row(committee, year - 1, 1, cutoff),
        "to_date": outcome_by_unit_row(committee, year, 1, cutoff),
        "prev_year": outcome_by_unit_row(committee, year - 1, 1, 13),
        "budget": {k: v[1] for k, v in budget_by_unit_row(committee, year, cutoff).items()},
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
    for v in (
        VolumeType.objects.filter(committee=committee)
        .select_related("unit")
        .prefetch_related("values")
    ):
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
