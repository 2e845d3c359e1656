"""The figures engine: every figure a page, report, chart, export or command shows.

One place gathers the facts of a committee's year: per node × report row (report sign,
revenue +, cost −, exact kronor) the ledger outcome of every period, the original budget
and its months, each budget change with its decision date and months, and the saved
forecasts of each event. From them `event_facts` makes the canonical facts of one
reporting event, per node × row:

    previous_year       Bokslut Y−1 (periods 1–13)
    previous_to_date    Utfall Y−1, periods 1..cutoff
    outcome             Utfall Y, periods 1..cutoff
    original_budget     the budget decided before the year
    budget              original + the budget changes decided on or before the cutoff
    budget_to_date      Ack. budget: the months 1..cutoff of that budget
    forecast            the saved forecast; none yet → the budget, marked missing (the
                        one place this rule lives)
    previous_forecast   the previous event's saved forecast, as that event showed it

and the months behind the chart. Everything else is a sum of these facts over a unit's
subtree: the follow-up grid at every level and grouping (`follow_up`), the chart
(`monthly_series`), the kommunöversikt (`committee_overview`), the unit's forecast form
(`forecast_rows`), the start cards, the event list, the report blocks, `styra finance
grid` and the volumes' key ratios. The pure rules (periodisation, deviations, proposals)
are in calc.py; this module only gathers and adds up.

An approved (locked) event reads the facts stored when it was approved (`freeze_event`),
so that every later page, report and export shows what the committee approved. Every
other event reads `_year_inputs`, the one read of raw inputs: the stored aggregates
(styra.ledger.aggregates: outcome per unit × row × period; styra.finance.aggregates: each
budget line's and change's months), kept on every write and checked by `styra figures
verify`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.models import Sum, TextField
from django.db.models.functions import Cast

from styra.calendar.locks import event_is_locked
from styra.calendar.models import EventStatus, ReportingEvent
from styra.ledger.models import Balance, CoarseRow, ReportRow, RowBalance
from styra.ledger.rows import scheme_for
from styra.lib.money import from_ore
from styra.org.models import OrgNode
from styra.org.selectors import Children, detail_units, report_units, rollup_map, tree

from . import calc
from .aggregates import LINE_FIELDS, budget_months_expected, periodise_ore  # noqa: F401
from .models import BudgetChange, BudgetLine, BudgetMonths, Forecast, ForecastReady

ZERO = Decimal(0)
MONTHS = 12
# The three-row view of DOMAIN §6 table 2: financial items count as other costs.
COARSE3 = {"revenue": "revenue", "staff": "staff", "other": "other", "financial": "other"}
COARSE3_LABELS = {"revenue": "Intäkter", "staff": "Personal", "other": "Övriga kostnader"}
Key = tuple[int, str]  # (node id, report row code)


# ---------------------------------------------------------------- small helpers


def cutoff_date(year: int, cutoff: int) -> dt.date:
    """The last day of the cut-off month (period 13 = the year's last day): a budget change
    decided on or before it counts in the event's figures."""
    month = min(cutoff, 12)
    first_next = dt.date(year + (month == 12), month % 12 + 1, 1)
    return first_next - dt.timedelta(days=1)


def _memo(memo: dict | None, key: tuple, make):
    """make(), shared through `memo` by the reads of one request. None: no sharing."""
    if memo is None:
        return make()
    if key not in memo:
        memo[key] = make()
    return memo[key]


def _tree_of(committee: OrgNode, memo: dict | None = None):
    return _memo(memo, ("tree", committee.municipality_id), lambda: tree(committee.municipality))


def _subtree_ids(children: Children, root_id: int) -> list[int]:
    """The root and every node below it, of any validity."""
    out, stack = [], [root_id]
    while stack:
        pk = stack.pop()
        out.append(pk)
        stack.extend(n.pk for n in children.get(pk, []))
    return out


def _units_in(children: Children, committee: OrgNode, year: int, level: str) -> list[OrgNode]:
    if level == "detail":
        return detail_units(committee, year, children)
    return report_units(committee, year, children)


def _fetch(qs) -> list[tuple]:
    """The rows of a .values(...).annotate(...) query as plain tuples."""
    try:
        sql, params = qs.query.sql_with_params()
    except EmptyResultSet:
        return []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


# ---------------------------------------------------------------- the facts


@dataclass(slots=True)
class Figures:
    """One node's (or a sum's) figures for one row key at one event (report sign, kr)."""

    previous_year: Decimal = ZERO
    previous_to_date: Decimal = ZERO
    outcome: Decimal = ZERO
    budget_to_date: Decimal = ZERO
    budget: Decimal = ZERO
    original_budget: Decimal = ZERO
    forecast: Decimal = ZERO
    previous_forecast: Decimal | None = None
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
        # The fields of SUMMED, written out: this runs once per fact on every page.
        self.previous_year += other.previous_year
        self.previous_to_date += other.previous_to_date
        self.outcome += other.outcome
        self.budget_to_date += other.budget_to_date
        self.budget += other.budget
        self.original_budget += other.original_budget
        self.forecast += other.forecast
        if other.previous_forecast is not None:
            self.previous_forecast = (self.previous_forecast or ZERO) + other.previous_forecast
        if other.forecast_missing:
            self.forecast_missing = True


SUMMED = (
    "previous_year",
    "previous_to_date",
    "outcome",
    "budget_to_date",
    "budget",
    "original_budget",
    "forecast",
)


@dataclass
class YearInputs:
    """The raw inputs of one committee's year, in öre (report sign), per node × row.
    Read from the stored aggregates by `_year_inputs`."""

    outcome: dict[Key, list[int]]  # periods 1..13 at index 0..12
    previous: dict[Key, list[int]]  # last year's periods 1..13
    original: dict[Key, Decimal]  # original budget (kr)
    original_months: dict[Key, list[int]]  # its 12 months
    # (pk, key, decision date, amount, its 12 months), oldest first
    changes: list[tuple[int, Key, dt.date, Decimal, list[int]]]


@dataclass
class EventFacts:
    """The canonical facts of one event: per (node id, row code) Figures and the months
    (outcome through the cut-off, current budget), in öre."""

    event: ReportingEvent
    facts: dict[Key, Figures]
    outcome_months: dict[Key, list[int]]
    budget_months: dict[Key, list[int]]
    budgeted: set[Key]  # keys with a budget (they owe a forecast)
    saved: dict[Key, Decimal]  # the forecasts saved for this event
    change_ids: list[int]  # the budget changes counted (decided on or before the cut-off)
    frozen: bool = False


def _as_text(field: str):
    """A JSON list of integers read as its text: parsed by `_ints` in a fraction of the
    time JSONField's json.loads takes (tens of thousands of lists on a large page)."""
    return Cast(field, TextField())


def _ints(text: str | None) -> list[int]:
    """'[1, -2, 3]' → [1, -2, 3]."""
    inner = (text or "").strip()[1:-1]
    return list(map(int, inner.split(","))) if inner.strip() else []


def _outcome(year: int, unit_ids) -> dict[Key, list[int]]:
    """Ledger outcome per (node, row) and period 1..13, report-sign öre, from the stored
    balances per row (styra.ledger.aggregates: only result accounts 3000–8999; one outside
    every row counts as row "?")."""
    return {
        (unit_id, code): [-v for v in _ints(periods)]
        for unit_id, code, periods in RowBalance.objects.filter(
            year=year, unit_id__in=list(unit_ids)
        )
        .annotate(text=_as_text("periods"))
        .values_list("unit_id", "row_code", "text")
    }


def _year_inputs(committee: OrgNode, year: int, memo: dict | None = None) -> YearInputs:
    """The one read of the figures' raw inputs: the stored aggregates (outcome per row and
    period, each budget line's and change's months) and the budget lines and changes."""

    def make() -> YearInputs:
        _, children = _tree_of(committee, memo)
        return _read_year_inputs({committee.pk: _subtree_ids(children, committee.pk)}, year)[
            committee.pk
        ]

    return _memo(memo, ("year", committee.pk, year), make)


def _prefetch_year_inputs(committees: list[OrgNode], year: int, memo: dict) -> None:
    """Read the year's inputs of several committees (of one municipality's trees) with the
    queries of one, into `memo` for `_year_inputs`."""
    wanted = [c for c in committees if ("year", c.pk, year) not in memo]
    if not wanted:
        return
    subtrees = {}
    for c in wanted:
        _, children = _tree_of(c, memo)
        subtrees[c.pk] = _subtree_ids(children, c.pk)
    for pk, inputs in _read_year_inputs(subtrees, year).items():
        memo[("year", pk, year)] = inputs


def _read_year_inputs(subtrees: dict[int, list[int]], year: int) -> dict[int, YearInputs]:
    """Per committee id (→ the ids of its subtree): its YearInputs, in five queries."""
    owner = {node_id: pk for pk, ids in subtrees.items() for node_id in ids}
    ids = list(owner)
    out = {pk: YearInputs({}, {}, {}, {}, []) for pk in subtrees}  # filled below, per committee
    for (unit_id, code), periods in _outcome(year, ids).items():
        out[owner[unit_id]].outcome[(unit_id, code)] = periods
    for (unit_id, code), periods in _outcome(year - 1, ids).items():
        out[owner[unit_id]].previous[(unit_id, code)] = periods
    stored: dict[tuple[str, int], list[int]] = {}
    for line_id, change_id, months in (
        BudgetMonths.objects.filter(year=year, unit_id__in=ids)
        .annotate(text=_as_text("months"))
        .values_list("line_id", "change_id", "text")
    ):
        key = ("line", line_id) if line_id is not None else ("change", change_id)
        stored[key] = _ints(months)
    lines = list(BudgetLine.objects.filter(year=year, unit_id__in=ids).values_list(*LINE_FIELDS))
    changes = list(
        BudgetChange.objects.filter(year=year, unit_id__in=ids)
        .order_by("date", "pk")
        .values_list("pk", "unit_id", "row_code", "date", "amount")
    )
    if any(("line", r[0]) not in stored for r in lines) or any(
        ("change", c[0]) not in stored for c in changes
    ):
        # Not stored (a write that bypassed the services): spread them here, exactly as
        # stored ones would be; `styra figures verify` names what is missing.
        live = budget_months_expected(years=[year], unit_ids=ids)
        stored = {k: live[k][3] for k in live} | stored
    for pk, unit_id, _y, row_code, amount, _profile, _weights in lines:
        inputs = out[owner[unit_id]]
        inputs.original[(unit_id, row_code)] = amount
        inputs.original_months[(unit_id, row_code)] = stored[("line", pk)]
    for pk, unit_id, row_code, date, amount in changes:  # oldest first, as read
        out[owner[unit_id]].changes.append(
            (pk, (unit_id, row_code), date, amount, stored[("change", pk)])
        )
    return out


def _saved_forecasts(event: ReportingEvent, memo: dict | None = None) -> dict[Key, Decimal]:
    return _memo(
        memo,
        ("forecasts", event.pk),
        lambda: {
            (u, c): a
            for u, c, a in Forecast.objects.filter(event=event).values_list(
                "unit_id", "row_code", "amount"
            )
        },
    )


def _prefetch_saved_forecasts(events: list[ReportingEvent], memo: dict) -> None:
    """The saved forecasts of several events in one query, into `memo`."""
    wanted = {e.pk for e in events if ("forecasts", e.pk) not in memo}
    if not wanted:
        return
    found: dict[int, dict[Key, Decimal]] = {pk: {} for pk in wanted}
    for event_id, u, c, a in Forecast.objects.filter(event_id__in=wanted).values_list(
        "event_id", "unit_id", "row_code", "amount"
    ):
        found[event_id][(u, c)] = a
    for pk, saved in found.items():
        memo[("forecasts", pk)] = saved


def previous_event(event: ReportingEvent) -> ReportingEvent | None:
    """The committee's event of the same year with the latest earlier cut-off."""
    return (
        ReportingEvent.objects.filter(
            committee_id=event.committee_id, year=event.year, cutoff_period__lt=event.cutoff_period
        )
        .order_by("-cutoff_period", "code")
        .first()
    )


_FAST = 10**26  # as styra.lib.money.from_ore: below this, scaleb(-2) is exact


def _kr(ore: int) -> Decimal:
    """from_ore for the engine's own integer sums (the check of the type left out: this
    runs several times per fact)."""
    if -_FAST < ore < _FAST:
        return Decimal(ore).scaleb(-2)
    return from_ore(ore)


def _compute(committee: OrgNode, event: ReportingEvent, memo: dict | None) -> EventFacts:
    year, cutoff = event.year, event.cutoff_period
    inputs = _year_inputs(committee, year, memo)
    until = cutoff_date(year, cutoff)
    through = min(cutoff, MONTHS)
    budget_months = {k: list(v) for k, v in inputs.original_months.items()}
    current = dict(inputs.original)
    counted = []
    for pk, key, date, amount, months in inputs.changes:
        if date > until:
            continue
        counted.append(pk)
        into = budget_months.setdefault(key, [0] * MONTHS)
        for i, v in enumerate(months):
            into[i] += v
        current[key] = current.get(key, ZERO) + amount
    saved = _saved_forecasts(event, memo)
    prev = previous_event(event)
    # The previous event's forecasts as that event showed them (stored if approved); a row
    # it had no forecast for has no previous forecast.
    prev_forecasts = _previous_forecasts(committee, prev, memo) if prev is not None else {}
    facts: dict[Key, Figures] = {}
    outcome_months: dict[Key, list[int]] = {}
    keys = set(inputs.outcome) | set(inputs.previous) | set(budget_months) | set(saved)
    for key in keys:
        periods = inputs.outcome.get(key)
        last = inputs.previous.get(key)
        months = budget_months.get(key)
        f = Figures()
        if periods:
            f.outcome = _kr(sum(periods[:cutoff]))
            out = periods[:MONTHS]
            if cutoff >= 13:
                out = [*out[:11], out[11] + periods[12]]
            outcome_months[key] = out[:through]
        if last:
            f.previous_year = _kr(sum(last))
            f.previous_to_date = _kr(sum(last[:cutoff]))
        if months is not None:
            f.original_budget = inputs.original.get(key, ZERO)
            f.budget = current.get(key, ZERO)
            f.budget_to_date = _kr(sum(months[:through]))
        if key in saved:
            f.forecast = saved[key]
        elif months is not None:
            # No forecast yet: the budget stands in, and the row is marked missing.
            f.forecast = f.budget
            f.forecast_missing = True
        before = prev_forecasts.get(key)
        if before is not None:
            f.previous_forecast = before
        facts[key] = f
    return EventFacts(
        event, facts, outcome_months, budget_months, set(budget_months), dict(saved), counted
    )


def event_facts(
    committee: OrgNode, event: ReportingEvent, *, memo: dict | None = None
) -> EventFacts:
    """The canonical facts of the event: stored ones for an approved event, else computed
    from the year's inputs."""
    return _memo(memo, ("facts", event.pk), lambda: _facts(committee, event, memo))


def _previous_forecasts(
    committee: OrgNode, prev: ReportingEvent, memo: dict | None
) -> dict[Key, Decimal]:
    """Per key, the forecast the (previous) event showed where it had one saved: the saved
    forecasts of a live event, the stored facts' of an approved one. The same values as
    its `event_facts` (saved and not missing), without computing or loading all its facts."""
    from .models import FigureFreeze, FrozenFact

    if memo is not None and ("facts", prev.pk) in memo:
        ef = memo[("facts", prev.pk)]
        return {
            key: f.forecast
            for key, f in ef.facts.items()
            if key in ef.saved and not f.forecast_missing
        }
    freeze = FigureFreeze.objects.filter(event=prev).first()
    if freeze is None and event_is_locked(prev):
        # Approved before figures were stored (an older database): store them now, once.
        freeze_event(prev)
        freeze = FigureFreeze.objects.filter(event=prev).first()
    if freeze is not None:
        return {
            (u, c): a
            for u, c, a in FrozenFact.objects.filter(
                freeze=freeze, saved=True, forecast_missing=False
            ).values_list("unit_id", "row_code", "forecast")
        }
    # Live: a saved forecast is what the event shows (never marked missing).
    return dict(_saved_forecasts(prev, memo))


def _facts(committee: OrgNode, event: ReportingEvent, memo: dict | None) -> EventFacts:
    # Stored facts exist exactly while the event is approved (reopening drops them), so
    # they are read even through an event instance loaded before the approval.
    stored = _load_frozen(event)
    if stored is not None:
        return stored
    if event_is_locked(event):
        # Approved before figures were stored (an older database): store them now, once.
        freeze_event(event)
        stored = _load_frozen(event)
        if stored is not None:
            return stored
    return _compute(committee, event, memo)


# ---------------------------------------------------------------- frozen facts


def freeze_event(event: ReportingEvent) -> None:
    """Store the facts the event shows (called when the committee approves it); a stored
    event is left as it is."""
    from .models import FigureFreeze, FrozenFact

    with transaction.atomic():
        if FigureFreeze.objects.filter(event=event).exists():
            return
        committee = event.committee
        ef = _compute(committee, event, {})
        freeze = FigureFreeze.objects.create(
            event=event,
            change_ids=ef.change_ids,
            projects=_project_outcome_for(committee, event),
        )
        FrozenFact.objects.bulk_create(
            [
                FrozenFact(
                    freeze=freeze,
                    unit_id=key[0],
                    row_code=key[1],
                    previous_year=f.previous_year,
                    previous_to_date=f.previous_to_date,
                    outcome=f.outcome,
                    original_budget=f.original_budget,
                    budget=f.budget,
                    budget_to_date=f.budget_to_date,
                    forecast=f.forecast,
                    forecast_missing=f.forecast_missing,
                    previous_forecast=f.previous_forecast,
                    saved=key in ef.saved,
                    budgeted=key in ef.budgeted,
                    outcome_months=ef.outcome_months.get(key, []),
                    budget_months=ef.budget_months.get(key, []),
                )
                for key, f in ef.facts.items()
            ],
            batch_size=2000,
        )


def unfreeze_event(event: ReportingEvent) -> None:
    """Forget the stored facts (the event was reopened): it is computed live again."""
    from .models import FigureFreeze

    FigureFreeze.objects.filter(event=event).delete()


def _load_frozen(event: ReportingEvent) -> EventFacts | None:
    from .models import FigureFreeze

    freeze = FigureFreeze.objects.filter(event=event).first()
    if freeze is None:
        return None
    facts, outcome_months, budget_months, budgeted, saved = {}, {}, {}, set(), {}
    # Plain rows, not model instances: a large committee has tens of thousands of facts.
    for (
        unit_id,
        row_code,
        previous_year,
        previous_to_date,
        outcome,
        budget_to_date,
        budget,
        original_budget,
        forecast,
        previous_forecast,
        forecast_missing,
        was_saved,
        was_budgeted,
        months_out,
        months_budget,
    ) in freeze.facts.annotate(
        outcome_text=_as_text("outcome_months"), budget_text=_as_text("budget_months")
    ).values_list(
        "unit_id",
        "row_code",
        "previous_year",
        "previous_to_date",
        "outcome",
        "budget_to_date",
        "budget",
        "original_budget",
        "forecast",
        "previous_forecast",
        "forecast_missing",
        "saved",
        "budgeted",
        "outcome_text",
        "budget_text",
    ):
        key = (unit_id, row_code)
        facts[key] = Figures(
            previous_year=previous_year,
            previous_to_date=previous_to_date,
            outcome=outcome,
            budget_to_date=budget_to_date,
            budget=budget,
            original_budget=original_budget,
            forecast=forecast,
            previous_forecast=previous_forecast,
            forecast_missing=forecast_missing,
        )
        months_out = _ints(months_out)
        if months_out:
            outcome_months[key] = months_out
        if was_budgeted:
            budgeted.add(key)
            budget_months[key] = _ints(months_budget)
        if was_saved:
            saved[key] = forecast
    return EventFacts(
        event,
        facts,
        outcome_months,
        budget_months,
        budgeted,
        saved,
        list(freeze.change_ids),
        frozen=True,
    )


def frozen_projects(event: ReportingEvent) -> dict | None:
    """Investment outcome per project stored at approval ({"to_date": …, "previous": …}),
    or None for an event computed live."""
    from .models import FigureFreeze

    freeze = FigureFreeze.objects.filter(event=event).first()
    if freeze is None:
        return None
    return {
        part: {number: Decimal(v) for number, v in values.items()}
        for part, values in {"to_date": {}, "previous": {}, **freeze.projects}.items()
    }


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


def _project_outcome_for(committee: OrgNode, event: ReportingEvent) -> dict:
    to_date = project_outcome(committee, event.year, 1, event.cutoff_period)
    previous = project_outcome(committee, event.year - 1, 1, 13)
    return {
        "to_date": {k: str(v) for k, v in to_date.items()},
        "previous": {k: str(v) for k, v in previous.items()},
    }


def event_projects(committee: OrgNode, event: ReportingEvent) -> dict[str, dict[str, Decimal]]:
    """Project outcome to date and last year: stored for an approved event, else live."""
    stored = frozen_projects(event)
    if stored is not None:
        return stored
    return {
        "to_date": project_outcome(committee, event.year, 1, event.cutoff_period),
        "previous": project_outcome(committee, event.year - 1, 1, 13),
    }


def counted_changes(committee: OrgNode, event: ReportingEvent, *, memo: dict | None = None):
    """The budget changes in the event's figures (decided on or before its cut-off; for an
    approved event, those it showed), oldest first."""
    ids = event_facts(committee, event, memo=memo).change_ids
    return list(
        BudgetChange.objects.filter(pk__in=ids).select_related("unit").order_by("date", "pk")
    )


# ---------------------------------------------------------------- sums: the grid


@dataclass
class UnitFigures:
    unit: OrgNode | None  # None = the total
    by_row: dict[str, Figures] = field(default_factory=dict)
    net: Figures = field(default_factory=Figures)


@dataclass
class FollowUp:
    committee: OrgNode
    event: ReportingEvent
    year: int
    cutoff: int
    row_keys: list[tuple[str, str]]
    units: list[UnitFigures]
    total: UnitFigures
    ready: set[int]
    forecast_units: list[OrgNode]

    @property
    def missing(self) -> list[OrgNode]:
        return [u for u in self.forecast_units if u.pk not in self.ready]


def _rows_of(committee: OrgNode, year: int, memo: dict | None) -> dict[str, ReportRow]:
    def make():
        scheme = scheme_for(committee.municipality, year)
        return {r.code: r for r in ReportRow.objects.filter(scheme=scheme)} if scheme else {}

    return _memo(memo, ("rows", committee.municipality_id, year), make)


def row_key(row_code: str, rows: dict[str, ReportRow], grouping: str) -> str:
    if grouping == "row":
        return row_code
    row = rows.get(row_code)
    coarse = row.coarse if row else "other"
    return COARSE3[coarse] if grouping == "coarse3" else coarse


def _marked_here_or_above(unit: OrgNode, marked: set[int], nodes: dict[int, OrgNode]) -> bool:
    node: OrgNode | None = unit
    while node is not None:
        if node.pk in marked:
            return True
        node = nodes.get(node.parent_id) if node.parent_id else None
    return False


def _facts_by_node(ef: EventFacts) -> dict[int, list[tuple[str, Figures]]]:
    out: dict[int, list[tuple[str, Figures]]] = defaultdict(list)
    for (node_id, code), f in ef.facts.items():
        out[node_id].append((code, f))
    return out


def _with_rollup(units: list[OrgNode], children: Children):
    return units, rollup_map(None, units, children)


def follow_up(
    committee: OrgNode,
    event: ReportingEvent,
    *,
    level: str = "report",
    grouping: str = "coarse3",
    memo: dict | None = None,
    within: OrgNode | None = None,
    targets: list[OrgNode] | None = None,
) -> FollowUp:
    """The follow-up grid: the event's facts summed per unit (level "report" or "detail")
    × row key (grouping "coarse3", "coarse" or "row"). `within`: only this node's subtree
    (a unit role's scope), with a total that is the subtree's. `targets`: these nodes are
    the rows instead of the level's units (a unit opened in place: its children)."""
    year = event.year
    nodes, children = _tree_of(committee, memo)
    if targets is None:
        targets = _units_in(children, committee, year, "report" if level == "report" else "detail")
    inside: set[int] | None = None
    if within is not None and within.pk != committee.pk:
        inside = set(_subtree_ids(children, within.pk))
        targets = [t for t in targets if t.pk in inside] or [within]
    rollup = rollup_map(None, targets, children)
    rows = _rows_of(committee, year, memo)
    ef = event_facts(committee, event, memo=memo)
    data: dict[tuple[int, str], Figures] = defaultdict(Figures)
    # Only the facts of the targets' subtrees are visited (a page opening many units calls
    # this once per opened unit).
    by_node = _memo(memo, ("by_node", event.pk), lambda: _facts_by_node(ef))
    keys_of: dict[str, str] = {}
    for node_id, target in rollup.items():
        for code, f in by_node.get(node_id, ()):
            key = keys_of.get(code)
            if key is None:
                key = keys_of[code] = row_key(code, rows, grouping)
            data[(target, key)].add(f)
    if grouping == "coarse3":
        row_keys = list(COARSE3_LABELS.items())
    elif grouping == "coarse":
        row_keys = [(c.value, c.label) for c in CoarseRow]
    else:
        row_keys = [(r.code, r.name) for r in sorted(rows.values(), key=lambda r: r.order)]
        if any(code == "?" for _t, code in data):
            row_keys.append(("?", "Konton utan rapportrad"))
    used = {key for (_t, key) in data}
    row_keys = [rk for rk in row_keys if rk[0] in used or grouping == "coarse3"]
    units, total = [], UnitFigures(None)
    for target in targets:
        uf = UnitFigures(target)
        for key, _label in row_keys:
            fig = data.get((target.pk, key), Figures())
            uf.by_row[key] = fig
            uf.net.add(fig)
            total.by_row.setdefault(key, Figures()).add(fig)
        total.net.add(uf.net)
        units.append(uf)
    # Who owes a forecast: each detail unit with budget in its subtree, until it (or a
    # node above it) has marked the forecast ready.
    if level != "detail" and inside is None:
        details, detail_rollup = _memo(
            memo,
            ("details", committee.pk, year),
            lambda: _with_rollup(_units_in(children, committee, year, "detail"), children),
        )
    else:
        details = targets if level == "detail" else _units_in(children, committee, year, "detail")
        if inside is not None:
            details = [d for d in details if d.pk in inside] or targets
        detail_rollup = rollup_map(None, details, children)
    budgeted_nodes = _memo(
        memo, ("budgeted_nodes", event.pk), lambda: {node_id for node_id, _c in ef.budgeted}
    )
    holders = {detail_rollup[n] for n in budgeted_nodes if n in detail_rollup}
    forecast_units = [u for u in details if u.pk in holders]
    marked = _memo(
        memo,
        ("ready", event.pk),
        lambda: set(ForecastReady.objects.filter(event=event).values_list("unit_id", flat=True)),
    )
    ready = {u.pk for u in forecast_units if _marked_here_or_above(u, marked, nodes)}
    return FollowUp(
        committee, event, year, event.cutoff_period, row_keys, units, total, ready, forecast_units
    )


# ---------------------------------------------------------------- sums: the chart


def monthly_series(
    committee: OrgNode,
    event: ReportingEvent,
    unit: OrgNode | None = None,
    *,
    memo: dict | None = None,
) -> dict:
    """Accumulated outcome (through the cut-off), accumulated budget and the forecast's
    path from the outcome at the cut-off to the full-year forecast, over 12 months; the
    end points are the grid's total (or the unit's) outcome, budget and forecast."""
    _, children = _tree_of(committee, memo)
    targets = [unit] if unit else _units_in(children, committee, event.year, "report")
    rollup = rollup_map(None, targets, children)
    ef = event_facts(committee, event, memo=memo)
    through = min(event.cutoff_period, MONTHS)
    outcome_ore, budget_ore = [0] * through, [0] * MONTHS
    annual_budget = forecast_total = outcome_total = ZERO
    for key, f in ef.facts.items():
        if key[0] not in rollup:
            continue
        for i, v in enumerate(ef.outcome_months.get(key, ())):
            outcome_ore[i] += v
        for i, v in enumerate(ef.budget_months.get(key, ())):
            budget_ore[i] += v
        annual_budget += f.budget
        forecast_total += f.forecast
        outcome_total += f.outcome

    def accumulate(values):
        out, running = [], 0
        for v in values:
            running += v
            out.append(from_ore(running))
        return out

    acc_outcome = accumulate(outcome_ore)
    acc_budget = accumulate(budget_ore)
    start = acc_outcome[-1] if acc_outcome else ZERO
    steps = MONTHS - len(acc_outcome)
    acc_forecast: list = [None] * (len(acc_outcome) - 1) + [start] if acc_outcome else []
    for i in range(1, steps + 1):
        acc_forecast.append(start + (forecast_total - start) * i / steps)
    if acc_forecast and steps == 0:
        acc_forecast[-1] = forecast_total
    return {
        "outcome": acc_outcome,
        "budget": acc_budget,
        "forecast": acc_forecast,
        "annual_budget": annual_budget,
        "forecast_total": forecast_total,
        "outcome_total": outcome_total,
    }


# ---------------------------------------------------------------- sums: kommunöversikt


@dataclass
class CommitteeSummary:
    """One committee's line of the municipality overview: its follow-up's total at its
    current reporting event."""

    committee: OrgNode
    event: ReportingEvent | None
    net: Figures
    forecast_units: int = 0
    missing: int = 0


def current_event(events: list[ReportingEvent]) -> ReportingEvent | None:
    """The first open event (by year and cut-off), else the latest."""
    open_events = [e for e in events if e.status == EventStatus.OPEN]
    if open_events:
        return min(open_events, key=lambda e: (e.year, e.cutoff_period))
    return max(events, key=lambda e: (e.year, e.cutoff_period, e.code), default=None)


def committee_overview(committees: list[OrgNode]) -> list[CommitteeSummary]:
    """Every committee's net at its current event: the total of its follow-up grid."""
    events: dict[int, list[ReportingEvent]] = defaultdict(list)
    for e in ReportingEvent.objects.filter(committee__in=committees):
        events[e.committee_id].append(e)
    memo: dict = {}
    current = {c.pk: current_event(events[c.pk]) for c in committees}
    # The inputs and saved forecasts of every committee at once (a few queries per
    # municipality and year instead of per committee).
    from .models import FigureFreeze

    frozen = set(
        FigureFreeze.objects.filter(
            event__in=[e for e in current.values() if e is not None]
        ).values_list("event_id", flat=True)
    )  # an approved event reads its stored facts, not the inputs
    by_year: dict[tuple[int, int], list[OrgNode]] = defaultdict(list)
    for c in committees:
        if current[c.pk] is not None and current[c.pk].pk not in frozen:
            by_year[(c.municipality_id, current[c.pk].year)].append(c)
    for (_m, year), group in by_year.items():
        _prefetch_year_inputs(group, year, memo)
    _prefetch_saved_forecasts([e for e in current.values() if e is not None], memo)
    out = []
    for c in committees:
        event = current[c.pk]
        if event is None:
            out.append(CommitteeSummary(c, None, Figures()))
            continue
        fu = follow_up(c, event, memo=memo)
        out.append(
            CommitteeSummary(c, event, fu.total.net, len(fu.forecast_units), len(fu.missing))
        )
    return out


# ---------------------------------------------------------------- the forecast form


@dataclass(frozen=True)
class ForecastRow:
    """One row of a unit's forecast form: a node of its subtree × report row."""

    node: OrgNode
    row_code: str
    name: str  # the row's name, with the node's name for a node below the unit
    field: str  # the form's key: "<node id>-<row code>"
    outcome: Decimal
    budget_to_date: Decimal
    budget: Decimal
    proposal_budget: Decimal
    proposal_rate: Decimal
    forecast: Decimal | None  # saved for this event; None: none yet
    previous: Decimal | None  # the previous event's forecast
    comment: str
    character: str


def forecast_rows(unit: OrgNode, event: ReportingEvent, *, memo: dict | None = None):
    """Every node of the unit's subtree that has budget, outcome or a forecast, × report
    row, with the event's facts and the two proposals (calc.py)."""
    committee = unit.committee()
    nodes_all, children = _tree_of(committee, memo)
    subtree = set(_subtree_ids(children, unit.pk))
    rows = _rows_of(committee, event.year, memo)
    ef = event_facts(committee, event, memo=memo)
    saved = {
        (f.unit_id, f.row_code): f
        for f in Forecast.objects.filter(event=event, unit_id__in=subtree)
    }
    keys = [
        k
        for k, f in ef.facts.items()
        if k[0] in subtree and (f.outcome or k in ef.budgeted or k in ef.saved or k in saved)
    ]
    keys.sort(
        key=lambda k: (
            nodes_all[k[0]].sort_order,
            nodes_all[k[0]].name,
            rows[k[1]].order if k[1] in rows else 999,
        )
    )
    out = []
    for key in keys:
        node_id, code = key
        f = ef.facts[key]
        months = [from_ore(v) for v in ef.budget_months.get(key, [0] * MONTHS)]
        record = saved.get(key)
        row_name = rows[code].name if code in rows else code
        node = nodes_all[node_id]
        out.append(
            ForecastRow(
                node=node,
                row_code=code,
                name=row_name if node_id == unit.pk else f"{node.name}: {row_name}",
                field=f"{node_id}-{code}",
                outcome=f.outcome,
                budget_to_date=f.budget_to_date,
                budget=f.budget,
                proposal_budget=calc.proposal_remaining_budget(
                    f.outcome, months, event.cutoff_period
                ),
                proposal_rate=calc.proposal_run_rate(f.outcome, event.cutoff_period),
                forecast=ef.saved.get(key),
                previous=f.previous_forecast,
                comment=record.comment if record else "",
                character=record.character if record else "",
            )
        )
    return out


def year_outcome_and_budget(
    committee: OrgNode, year: int, memo: dict | None = None
) -> tuple[dict[Key, Decimal], dict[Key, Decimal]]:
    """Per (node id, row code), report sign, kr: the ledger outcome of the whole year
    (periods 1–13) and the year's current budget (original + every change of the year).
    Used by the yttrande's specification (styra.planning), which has no event to cut at."""
    inputs = _year_inputs(committee, year, memo)
    outcome = {key: from_ore(sum(months)) for key, months in inputs.outcome.items()}
    budget = dict(inputs.original)
    for _pk, key, _date, amount, _months in inputs.changes:
        budget[key] = budget.get(key, ZERO) + amount
    return outcome, budget
