"""Reads for the follow-up grid, forecast forms, reports and the API.

Everything in report sign (revenue +, cost −), Decimal kronor. A unit's figure is the sum
over its subtree (styra.org.selectors: report units and detail units).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Q, Sum
from django.db.models.functions import Substr
from django.db.models.lookups import In

from styra.ledger.models import AccountRange, Balance, CoarseRow, ReportRow
from styra.ledger.rows import account_key, lookup_for, scheme_for
from styra.lib.money import from_ore, to_ore
from styra.org.models import OrgNode
from styra.org.selectors import (
    Children,
    detail_units,
    report_units,
    rollup_map,
    tree,
)

from . import calc
from .models import (
    BudgetChange,
    BudgetLine,
    EventStatus,
    Forecast,
    ForecastReady,
    ReportingEvent,
)

ZERO = Decimal(0)
# The three-row view of DOMAIN §6 table 2: financial items count as other costs.
COARSE3 = {"revenue": "revenue", "staff": "staff", "other": "other", "financial": "other"}
COARSE3_LABELS = {"revenue": "Intäkter", "staff": "Personal", "other": "Övriga kostnader"}


def _rollup_map(committee: OrgNode, targets: list[OrgNode]) -> dict[int, int]:
    return rollup_map(committee.municipality, targets)


# One tree per request instead of one per helper call: at 3 000 units each load of the tree
# costs tens of milliseconds, so the org selectors get the tree loaded once.


def _units_in(children: Children, committee: OrgNode, year: int, level: str) -> list[OrgNode]:
    """report_units (level "report") or detail_units ("detail") on a loaded tree."""
    if level == "detail":
        return detail_units(committee, year, children)
    return report_units(committee, year, children)


def _rollup_in(children: Children, targets: list[OrgNode]) -> dict[int, int]:
    return rollup_map(None, targets, children)


def _subtree_ids(children: Children, root_id: int) -> list[int]:
    """The root and every node below it, of any validity: the nodes whose rows a
    committee's figures can come from. Queries filter on them, so that their cost follows
    the committee's size and not the municipality's."""
    out, stack = [], [root_id]
    while stack:
        pk = stack.pop()
        out.append(pk)
        stack.extend(n.pk for n in children.get(pk, []))
    return out


def _memo(memo: dict | None, key: tuple, make):
    """make(), shared through `memo` by the selectors of one request (the grid page calls
    follow_up twice and monthly_series once on the same committee). None: no sharing."""
    if memo is None:
        return make()
    if key not in memo:
        memo[key] = make()
    return memo[key]


def _tree_of(committee: OrgNode, memo: dict | None = None):
    return _memo(memo, ("tree", committee.municipality_id), lambda: tree(committee.municipality))


def _committee_ids(committee: OrgNode, memo: dict | None = None) -> list[int]:
    _, children = _tree_of(committee, memo)
    return _subtree_ids(children, committee.pk)


def _kr(ore: int) -> Decimal:
    """from_ore(ore) without its general-purpose context: the same value and exponent for
    any amount below 10**26 öre."""
    return Decimal(ore).scaleb(-2)


def _integer_weights(weights) -> list[int] | None:
    """The weights as integers over a common power of ten (exact), or None."""
    scaled = []
    for w in weights:
        d = w if isinstance(w, Decimal) else Decimal(w)
        exponent = d.as_tuple().exponent
        if not isinstance(exponent, int):
            return None
        scaled.append((d, exponent))
    if not scaled:
        return None
    shift = max(0, *(-e for _d, e in scaled))
    ints = [int(d.scaleb(shift)) for d, _e in scaled]
    if any(i < 0 for i in ints):
        return None
    return ints if any(ints) else [1] * len(ints)


def _periodise_ore(amount: Decimal, weights, cache: dict | None = None) -> list[int] | None:
    """calc.periodise in integer öre: the same largest-remainder split (styra.lib.money.
    allocate), 50-100x faster than over Fractions; None where only calc.periodise applies
    (negative or non-finite weights). The grid periodises every budget line of a committee.
    `cache` keeps the integer weights of weight lists that are reused (the same object)."""
    if cache is None:
        ints = _integer_weights(weights)
    else:
        hit = cache.get(id(weights))
        if hit is None or hit[0] is not weights:
            hit = cache[id(weights)] = (weights, _integer_weights(weights))
        ints = hit[1]
    if ints is None:
        return None
    weight_sum = sum(ints)
    exponent = amount.as_tuple().exponent if isinstance(amount, Decimal) else None
    if isinstance(exponent, int) and exponent >= -2:
        total = int(amount.scaleb(2))  # whole öre already: no rounding to do
    else:
        total = to_ore(amount, rounding=True)
    sign = -1 if total < 0 else 1
    total = abs(total)
    n = len(ints)
    if ints.count(ints[0]) == n:
        # Equal weights: equal remainders, so the öre left over go to the first months.
        q, r = divmod(total, n)
        return [sign * q + sign] * r + [sign * q] * (n - r)
    parts, remainders = [], []
    for i in ints:
        q, r = divmod(total * i, weight_sum)
        parts.append(q)
        remainders.append(r)
    left_over = total - sum(parts)
    for i in sorted(range(len(ints)), key=lambda i: -remainders[i])[:left_over]:
        parts[i] += 1
    return [sign * p for p in parts]


def _periodise(amount: Decimal, weights) -> list[Decimal]:
    parts = _periodise_ore(amount, weights)
    if parts is None:
        return calc.periodise(amount, weights)
    return [from_ore(p) for p in parts]


def _budget_to_date(
    amount: Decimal, weights, through_period: int, cache: dict | None = None
) -> Decimal:
    """calc.budget_to_date(calc.periodise(amount, weights), through_period), exactly."""
    parts = _periodise_ore(amount, weights, cache)
    if parts is None:
        return calc.budget_to_date(calc.periodise(amount, weights), through_period)
    return _kr(sum(parts[: min(through_period, 12)]))


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


def _fetch(qs) -> list[tuple]:
    """The rows of a .values(...).annotate(...) query as plain tuples (fields, then
    annotations), without the ORM's per-row conversions: 100 000s of balance groups."""
    try:
        sql, params = qs.query.sql_with_params()
    except EmptyResultSet:  # e.g. unit_id__in=[]: no rows, no query
        return []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _outcome_ranges(
    committee: OrgNode, year: int, ranges: list[tuple[int, int]], unit_ids
) -> list[dict[tuple[int, str], Decimal]]:
    """outcome_by_unit_row for several period ranges of one year, in one query."""
    lookup = lookup_for(committee.municipality, year)
    sums = {
        f"t{i}": Sum("amount_ore", filter=Q(period__gte=first, period__lte=last))
        for i, (first, last) in enumerate(ranges)
    }
    qs = (
        Balance.objects.filter(
            year=year,
            period__gte=min(first for first, _ in ranges),
            period__lte=max(last for _, last in ranges),
            unit_id__in=list(unit_ids),
        )
        .values("unit_id", "account")
        .annotate(**sums)
    )
    outs: list[dict[tuple[int, str], int]] = [defaultdict(int) for _ in ranges]
    codes: dict[str, str | None] = {}  # account → row code; None: not a result account
    for unit_id, account, *totals in _fetch(qs):
        if account not in codes:
            key4 = account_key(account)
            if key4 is None or not 3000 <= key4 <= 8999:
                codes[account] = None
            else:
                row = lookup.row_for(account) if lookup else None
                codes[account] = row.code if row else "?"
        code = codes[account]
        if code is None:
            continue
        key = (unit_id, code)
        for out, total in zip(outs, totals, strict=True):
            if total is not None:
                out[key] += int(total)
    return [{k: _kr(-v) for k, v in out.items()} for out in outs]


RESULT_PREFIXES = [f"{k:04d}" for k in range(3000, 9000)]  # account_key 3000–8999


def _net_by_unit(year: int, ranges: list[tuple[int, int]], unit_ids) -> list[dict[int, int]]:
    """Ledger-sign öre of the result accounts per node, for each period range: the sum over
    the rows of outcome_by_unit_row, added up in the database (one row per node)."""
    sums = {
        f"t{i}": Sum("amount_ore", filter=Q(period__gte=first, period__lte=last))
        for i, (first, last) in enumerate(ranges)
    }
    qs = (
        Balance.objects.filter(
            In(Substr("account", 1, 4), RESULT_PREFIXES),
            year=year,
            period__gte=min(first for first, _ in ranges),
            period__lte=max(last for _, last in ranges),
            unit_id__in=list(unit_ids),
        )
        .values("unit_id")
        .annotate(**sums)
    )
    outs: list[dict[int, int]] = [defaultdict(int) for _ in ranges]
    for unit_id, *totals in _fetch(qs):
        for out, total in zip(outs, totals, strict=True):
            if total is not None:
                out[unit_id] += int(total)
    return outs


def outcome_by_unit_row(
    committee: OrgNode, year: int, first: int, last: int, *, unit_ids=None
) -> dict[tuple[int, str], Decimal]:
    """Ledger outcome (report sign) per (node id, report row code), periods first..last, of
    the committee's nodes (or of the nodes `unit_ids`)."""
    if unit_ids is None:
        unit_ids = _committee_ids(committee)
    return _outcome_ranges(committee, year, [(first, last)], unit_ids)[0]


def _weights_for(
    line: BudgetLine, last_year: dict[tuple[int, str], list[Decimal]], cache: dict | None = None
) -> list[Decimal]:
    if cache is not None and line.profile != "last_year":
        key = (line.profile, line.year, tuple(line.weights or ()))
        if key not in cache:
            cache[key] = _weights_for(line, last_year)
        return cache[key]
    return calc.month_weights(
        line.profile,
        line.year,
        [Decimal(w) for w in line.weights] if line.weights else None,
        # No outcome last year (a new unit or row): the pattern is empty, so even twelfths.
        last_year.get((line.unit_id, line.row_code), [ZERO] * 12),
    )


def budget_by_unit_row(
    committee: OrgNode,
    year: int,
    through_period: int,
    until: dt.date | None = None,
    *,
    unit_ids=None,
    memo: dict | None = None,
) -> dict[tuple[int, str], tuple[Decimal, Decimal, Decimal]]:
    """(original, current, Ack. budget through period) per (node id, row code) of the
    committee's nodes (or of the nodes `unit_ids`).

    Budget changes decided on or before `until` are included; a change is spread with its
    row's profile."""
    if unit_ids is None:
        ids = _committee_ids(committee, memo)
        lines, last_year, periodised = _committee_budget(committee, year, memo)
    else:
        ids = list(unit_ids)
        lines = _budget_lines(year, ids)
        last_year = _last_year_months(committee, year, lines)
        periodised = {}
    out: dict[tuple[int, str], tuple[Decimal, Decimal, Decimal]] = {}
    weights_of: dict[tuple[int, str], list[Decimal]] = {}
    cache: dict = {}
    ints: dict = {}
    for line in lines:
        key = (line.unit_id, line.row_code)
        weights = _weights_for(line, last_year, cache)
        weights_of[key] = weights
        if key not in periodised:
            periodised[key] = _periodise_ore(line.amount, weights, ints)
        parts = periodised[key]
        out[key] = (
            line.amount,
            line.amount,
            _kr(sum(parts[: min(through_period, 12)]))
            if parts is not None
            else _budget_to_date(line.amount, weights, through_period),
        )
    changes = BudgetChange.objects.filter(year=year, unit_id__in=ids)
    if until:
        changes = changes.filter(date__lte=until)
    for change in changes:
        key = (change.unit_id, change.row_code)
        weights = weights_of.get(key, calc.month_weights("even", year))
        original, current, to_date = out.get(key, (ZERO, ZERO, ZERO))
        out[key] = (
            original,
            current + change.amount,
            to_date + _budget_to_date(change.amount, weights, through_period, ints),
        )
    return out


class _Line(NamedTuple):
    """The fields of a BudgetLine the figures need (no model instances: 10 000s of lines)."""

    unit_id: int
    year: int
    row_code: str
    amount: Decimal
    profile: str
    weights: list


def _committee_budget(committee: OrgNode, year: int, memo: dict | None):
    """The committee's budget lines, last year's months of its last_year-profiled lines and
    a (shared) store of periodised lines: (unit, row) → öre per month."""
    return _memo(
        memo,
        ("budget", committee.pk, year),
        lambda: _with_last_year(
            committee, year, _budget_lines(year, _committee_ids(committee, memo))
        ),
    )


def _with_last_year(committee, year, lines):
    return lines, _last_year_months(committee, year, lines), {}


def _budget_lines(year: int, ids) -> list[_Line]:
    return [
        _Line(*values)
        for values in BudgetLine.objects.filter(year=year, unit_id__in=list(ids)).values_list(
            "unit_id", "year", "row_code", "amount", "profile", "weights"
        )
    ]


def _last_year_months(committee: OrgNode, year: int, lines) -> dict[tuple[int, str], list]:
    """monthly_outcome(year - 1) of just the (unit, row) keys with the last_year profile."""
    needed = {(x.unit_id, x.row_code) for x in lines if x.profile == "last_year"}
    if not needed:
        return {}
    ore = _monthly_outcome_ore(
        committee,
        year - 1,
        {unit_id for unit_id, _c in needed},
        rows={code for _u, code in needed},
    )
    return {key: [_kr(-v) for v in ore[key]] for key in needed if key in ore}


def _monthly_outcome_ore(
    committee: OrgNode, year: int, unit_ids, *, by_unit: bool = True, rows=None
) -> dict[tuple[int, str], list[int]]:
    """Ledger-sign öre per (node, row) — or per (None, row) with by_unit=False, summed in
    the database — and month 1–12, period 13 folded into December. With `rows` (report
    row codes), accounts of other rows may be left out."""
    lookup = lookup_for(committee.municipality, year)
    out: dict[tuple[int, str], list[int]] = defaultdict(lambda: [0] * 12)
    if lookup is None:
        return out
    qs = Balance.objects.filter(year=year, unit_id__in=list(unit_ids))
    if rows is not None:
        # Accounts are matched on their first four digits: keep those of the rows' ranges.
        prefixes = sorted(
            f"{k:04d}"
            for r in AccountRange.objects.filter(scheme=lookup.scheme, row__code__in=rows)
            for k in range(r.first, r.last + 1)
        )
        qs = qs.filter(In(Substr("account", 1, 4), prefixes))
    fields = ("unit_id", "account", "period") if by_unit else ("account", "period")
    qs = qs.values(*fields).annotate(total=Sum("amount_ore"))
    codes: dict[str, str | None] = {}
    for item in _fetch(qs):
        unit_id, account, period, total = item if by_unit else (None, *item)
        if account not in codes:
            key4 = account_key(account)
            if key4 is None or not 3000 <= key4 <= 8999:
                codes[account] = None
            else:
                row = lookup.row_for(account)
                codes[account] = row.code if row else "?"
        code = codes[account]
        if code is None:
            continue
        out[(unit_id, code)][min(period, 12) - 1] += int(total)
    return out


def monthly_outcome(
    committee: OrgNode, year: int, *, unit_ids=None
) -> dict[tuple[int, str], list[Decimal]]:
    """Outcome per (node, row) and month 1–12 (period 13 folded into December), of the
    committee's nodes (or of the nodes `unit_ids`)."""
    ids = _committee_ids(committee) if unit_ids is None else unit_ids
    out: dict[tuple[int, str], list[Decimal]] = defaultdict(lambda: [ZERO] * 12)
    for key, months in _monthly_outcome_ore(committee, year, ids).items():
        out[key] = [_kr(-v) for v in months]
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
    return {
        (unit_id, code): amount
        for unit_id, code, amount in Forecast.objects.filter(event=event).values_list(
            "unit_id", "row_code", "amount"
        )
    }


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
    committee: OrgNode,
    event: ReportingEvent,
    *,
    level: str = "report",
    grouping: str = "coarse3",
    memo: dict | None = None,
) -> FollowUp:
    """The controller's grid: per unit × row the columns of DOMAIN §6 tables 2–4.

    level: "report" (table 3) or "detail" (table 4); grouping: "coarse3" (Intäkter /
    Personal / Övriga kostnader), "coarse", or "row" (kontoslag). `memo`: a dict shared
    with the other selector calls of the same request (the same figures, read once)."""
    year, cutoff = event.year, event.cutoff_period
    nodes, children = _tree_of(committee, memo)
    targets = _units_in(children, committee, year, "report" if level == "report" else "detail")
    rollup = _rollup_in(children, targets)
    ids = _subtree_ids(children, committee.pk)
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

    previous_year, previous_to_date = _memo(
        memo,
        ("outcome", committee.pk, year - 1, cutoff),
        lambda: _outcome_ranges(committee, year - 1, [(1, 13), (1, cutoff)], ids),
    )
    put(previous_year, "previous_year")
    put(previous_to_date, "previous_to_date")
    (outcome,) = _memo(
        memo,
        ("outcome", committee.pk, year, cutoff),
        lambda: _outcome_ranges(committee, year, [(1, cutoff)], ids),
    )
    put(outcome, "outcome")
    budgets = _memo(
        memo,
        ("budgets", committee.pk, year, cutoff, until),
        lambda: budget_by_unit_row(committee, year, cutoff, until, memo=memo),
    )
    put({k: v[0] for k, v in budgets.items()}, "original_budget")
    put({k: v[1] for k, v in budgets.items()}, "budget")
    put({k: v[2] for k, v in budgets.items()}, "budget_to_date")
    forecasts = _memo(memo, ("forecasts", event.pk), lambda: forecasts_by_unit_row(event))
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
    details = targets if level == "detail" else _units_in(children, committee, year, "detail")
    detail_rollup = _rollup_in(children, details)
    holders = {detail_rollup.get(node_id) for node_id, _code in budgets}
    forecast_units = [u for u in details if u.pk in holders]
    marked = set(ForecastReady.objects.filter(event=event).values_list("unit_id", flat=True))
    ready = {u.pk for u in forecast_units if _marked_here_or_above(u, marked, nodes)}
    return FollowUp(committee, event, year, cutoff, row_keys, units, total, ready, forecast_units)


def _marked_here_or_above(unit: OrgNode, marked: set[int], nodes: dict[int, OrgNode]) -> bool:
    """unit.pk or an ancestor's pk is in `marked` (ancestors from the loaded tree)."""
    node: OrgNode | None = unit
    while node is not None:
        if node.pk in marked:
            return True
        node = nodes.get(node.parent_id) if node.parent_id else None
    return False


def events_for(committee: OrgNode, year: int | None = None):
    qs = ReportingEvent.objects.filter(committee=committee)
    return qs.filter(year=year) if year else qs


def monthly_series(
    committee: OrgNode,
    event: ReportingEvent,
    unit: OrgNode | None = None,
    *,
    memo: dict | None = None,
):
    """Accumulated outcome, accumulated budget and the forecast line over the months, for
    the chart: lists of 12 values (outcome only through the cutoff)."""
    year, cutoff = event.year, event.cutoff_period
    _, children = _tree_of(committee, memo)
    targets = [unit] if unit else _units_in(children, committee, year, "report")
    rollup = _rollup_in(children, targets)
    # Summed over the units in the database: 12 months × accounts, not units × accounts.
    outcome_ore = [0] * 12
    for months in _monthly_outcome_ore(committee, year, rollup, by_unit=False).values():
        for i, v in enumerate(months):
            outcome_ore[i] += v
    outcome = [-from_ore(v) for v in outcome_ore]
    all_lines, last_year, periodised = _committee_budget(committee, year, memo)
    lines = [x for x in all_lines if x.unit_id in rollup]
    budget_ore = [0] * 12
    annual_budget = ZERO
    cache: dict = {}
    even = calc.month_weights("even", year)
    ints: dict = {}
    for key, amount, weights in [
        *(((x.unit_id, x.row_code), x.amount, _weights_for(x, last_year, cache)) for x in lines),
        *(
            (None, amount, even)
            for amount in BudgetChange.objects.filter(
                year=year, unit_id__in=list(rollup)
            ).values_list("amount", flat=True)
        ),
    ]:
        if key is not None and key in periodised:
            parts = periodised[key]
        else:
            parts = _periodise_ore(amount, weights, ints)
        if parts is None:
            parts = [to_ore(v) for v in calc.periodise(amount, weights)]
        for i, v in enumerate(parts):
            budget_ore[i] += v
        annual_budget += amount
    budget = [from_ore(v) for v in budget_ore]
    forecast_total = sum(
        (
            amount
            for (unit_id, _code), amount in _memo(
                memo, ("forecasts", event.pk), lambda: forecasts_by_unit_row(event)
            ).items()
            if unit_id in rollup
        ),
        ZERO,
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
    volume_types = list(
        VolumeType.objects.filter(committee=committee)
        .select_related("unit")
        .prefetch_related("values")
    )
    # Only the volume units' subtrees are read (none at all without volumes).
    ids = list(rollup_map(committee.municipality, [v.unit for v in volume_types]))
    outcome = {
        "prev_to_date": outcome_by_unit_row(committee, year - 1, 1, cutoff, unit_ids=ids),
        "to_date": outcome_by_unit_row(committee, year, 1, cutoff, unit_ids=ids),
        "prev_year": outcome_by_unit_row(committee, year - 1, 1, 13, unit_ids=ids),
        "budget": {
            k: v[1] for k, v in budget_by_unit_row(committee, year, cutoff, unit_ids=ids).items()
        },
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


# ---------------------------------------------------------------- the committee overview


@dataclass
class CommitteeSummary:
    """One committee's line of the municipality overview: the net of its follow-up grid
    (follow_up(committee, event).total.net) at its current reporting event."""

    committee: OrgNode
    event: ReportingEvent | None
    net: Figures
    forecast_units: int = 0
    missing: int = 0


def current_event(events: list[ReportingEvent]) -> ReportingEvent | None:
    """The first open event (by year and cut-off), else the latest: as the grid picks it."""
    open_events = [e for e in events if e.status == EventStatus.OPEN]
    if open_events:
        return min(open_events, key=lambda e: (e.year, e.cutoff_period))
    return max(events, key=lambda e: (e.year, e.cutoff_period, e.code), default=None)


def committee_overview(committees: list[OrgNode]) -> list[CommitteeSummary]:
    """Net figures of every committee at its current event, in a few queries for the whole
    municipality (not one follow-up per committee)."""
    if not committees:
        return []
    events: dict[int, list[ReportingEvent]] = defaultdict(list)
    for e in ReportingEvent.objects.filter(committee__in=committees):
        events[e.committee_id].append(e)
    out = {c.pk: CommitteeSummary(c, current_event(events[c.pk]), Figures()) for c in committees}
    groups: dict[tuple, list[OrgNode]] = defaultdict(list)
    for c in committees:
        event = out[c.pk].event
        if event is not None:
            groups[(c.municipality_id, event.year, event.cutoff_period)].append(c)
    trees: dict[int, tuple] = {}
    for (municipality_id, year, cutoff), members in groups.items():
        first = members[0]
        if municipality_id not in trees:
            trees[municipality_id] = tree(first.municipality)
        nodes, children = trees[municipality_id]
        owner: dict[int, int] = {}  # node in a report unit's subtree → committee
        subtree_owner: dict[int, int] = {}  # any node under the committee → committee
        details: dict[int, dict[int, int]] = {}
        detail_units_of: dict[int, list[OrgNode]] = {}
        for c in members:
            for node_id in _rollup_in(children, _units_in(children, c, year, "report")):
                owner[node_id] = c.pk
            for node_id in _subtree_ids(children, c.pk):
                subtree_owner[node_id] = c.pk
            detail_units_of[c.pk] = _units_in(children, c, year, "detail")
            details[c.pk] = _rollup_in(children, detail_units_of[c.pk])
        cutoff_date = dt.date(year, min(cutoff, 12), 1)
        until = (cutoff_date.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(
            days=1
        )
        previous_year, previous_to_date = _net_by_unit(year - 1, [(1, 13), (1, cutoff)], owner)
        (outcome,) = _net_by_unit(year, [(1, cutoff)], owner)
        for source, attr in (
            (previous_year, "previous_year"),
            (previous_to_date, "previous_to_date"),
            (outcome, "outcome"),
        ):
            by_committee: dict[int, int] = defaultdict(int)
            for node_id, ore in source.items():
                by_committee[owner[node_id]] += ore
            for committee_id, ore in by_committee.items():
                net = out[committee_id].net
                setattr(net, attr, getattr(net, attr) + _kr(-ore))
        budgets = budget_by_unit_row(first, year, cutoff, until, unit_ids=subtree_owner)
        event_ids = {out[c.pk].event.pk: c.pk for c in members}
        forecasts: dict[int, dict[tuple[int, str], Decimal]] = defaultdict(dict)
        for event_id, unit_id, code, amount in Forecast.objects.filter(
            event_id__in=event_ids
        ).values_list("event_id", "unit_id", "row_code", "amount"):
            forecasts[event_ids[event_id]][(unit_id, code)] = amount
        for key, (original, current, to_date) in budgets.items():
            committee_id = owner.get(key[0])
            if committee_id is None:
                continue
            net = out[committee_id].net
            net.original_budget += original
            net.budget += current
            net.budget_to_date += to_date
            if key not in forecasts[committee_id]:
                net.forecast += current
                net.forecast_missing = True
        for committee_id, by_key in forecasts.items():
            net = out[committee_id].net
            for (node_id, _code), amount in by_key.items():
                if owner.get(node_id) == committee_id:
                    net.forecast += amount
        previous = {}
        for c in members:
            event = out[c.pk].event
            earlier = [
                e
                for e in events[c.pk]
                if e.year == event.year and e.cutoff_period < event.cutoff_period
            ]
            if earlier:
                previous[max(earlier, key=lambda e: e.cutoff_period).pk] = c.pk
        for event_id, unit_id, amount in Forecast.objects.filter(event_id__in=previous).values_list(
            "event_id", "unit_id", "amount"
        ):
            committee_id = previous[event_id]
            if owner.get(unit_id) == committee_id:
                net = out[committee_id].net
                net.previous_forecast = (net.previous_forecast or ZERO) + amount
        marked: dict[int, set[int]] = defaultdict(set)
        for event_id, unit_id in ForecastReady.objects.filter(event_id__in=event_ids).values_list(
            "event_id", "unit_id"
        ):
            marked[event_ids[event_id]].add(unit_id)
        holders: dict[int, set] = defaultdict(set)
        for node_id, _code in budgets:
            committee_id = subtree_owner.get(node_id)
            if committee_id is not None:
                holders[committee_id].add(details[committee_id].get(node_id))
        for c in members:
            units = [u for u in detail_units_of[c.pk] if u.pk in holders[c.pk]]
            out[c.pk].forecast_units = len(units)
            out[c.pk].missing = sum(
                1 for u in units if not _marked_here_or_above(u, marked[c.pk], nodes)
            )
    return [out[c.pk] for c in committees]
