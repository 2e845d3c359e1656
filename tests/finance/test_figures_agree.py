"""One figures engine: every path that shows a committee's figures shows the same ones.

Hypothesis generates budgets (with profiles), budget changes on any date of the year,
forecasts of two events, last year's and this year's ledger outcome and the events' cut-offs.
An oracle written here from the rules of DOMAIN §5–6 (not from the engine) gives each
report unit's figures; the follow-up grid (its data and its page), the chart series, the
controller's start card, the kommunöversikt, the forecast form, the report's JSON and
`styra finance grid --format json` must all show exactly those, cell by cell; `styra ledger
balances --format json` shows the engine's outcome per unit × report row (this year through
the cut-off, and last year)."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from collections import defaultdict
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.core.management import call_command
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from styra.calendar.services import event_ensure
from styra.finance import calc, figures
from styra.finance.models import BudgetChange, BudgetLine, Forecast
from styra.ledger.aggregates import row_balances_apply
from styra.ledger.models import AccountRange, Balance, LedgerImport
from styra.ledger.rows import ensure_default_scheme, scheme_for
from styra.lib.money import allocate, from_ore
from styra.lib.numbers import format_mnkr, format_tkr
from styra.org.models import OrgNode
from styra.org.selectors import detail_units, report_units, rollup_map
from styra.start.cards import _controller_card
from tests.actors import SYSTEM

COLUMNS = ("previous_year", "outcome", "budget_to_date", "budget", "forecast", "deviation")
ore = st.integers(min_value=-(10**10), max_value=10**10)


def _weights(profile: str, custom: list[int]) -> list[Decimal]:
    if profile == "custom":
        return [Decimal(w) for w in custom]
    return calc.month_weights(profile, 2020)


def _months(amount_ore: int, weights) -> list[int]:
    return allocate(amount_ore, list(weights))


@st.composite
def scenarios(draw, units: list[int], rows: list[str]):
    keys = st.tuples(st.sampled_from(units), st.sampled_from(rows))
    lines = draw(
        st.dictionaries(
            keys,
            st.tuples(
                ore,
                st.sampled_from(["even", "days", "custom"]),
                st.lists(st.integers(0, 5), min_size=12, max_size=12).filter(any),
            ),
            max_size=6,
        )
    )
    changes = draw(
        st.lists(
            st.tuples(keys, st.dates(dt.date(2020, 1, 1), dt.date(2020, 12, 31)), ore.filter(bool)),
            max_size=4,
        )
    )
    d1 = draw(st.integers(1, 7))
    d2 = draw(st.integers(d1 + 1, 12))
    forecasts = {
        code: draw(st.dictionaries(keys, ore, max_size=4)) for code in ("2020-D1", "2020-D2")
    }
    outcome = {
        year: draw(
            st.dictionaries(
                st.tuples(st.sampled_from(units), st.sampled_from(rows), st.integers(1, 13)),
                ore,
                max_size=8,
            )
        )
        for year in (2019, 2020)
    }
    return lines, changes, {"2020-D1": d1, "2020-D2": d2}, forecasts, outcome


def _oracle(scenario, rollup, event_code):
    """Each report unit's figures (and the total), computed from the scenario alone."""
    lines, changes, cutoffs, forecasts, outcome = scenario
    cutoff = cutoffs[event_code]
    through = min(cutoff, 12)
    last_day = (dt.date(2020, through % 12 + 1, 1) if through < 12 else dt.date(2021, 1, 1)) - (
        dt.timedelta(days=1)
    )
    out: dict = defaultdict(lambda: dict.fromkeys(COLUMNS, Decimal(0)))
    budget: dict = defaultdict(int)
    to_date: dict = defaultdict(int)
    budgeted = set()
    weights_of = {}
    for key, (amount, profile, custom) in lines.items():
        weights_of[key] = _weights(profile, custom)
        budget[key] += amount
        to_date[key] += sum(_months(amount, weights_of[key])[:through])
        budgeted.add(key)
    for key, date, amount in changes:
        if date <= last_day:
            w = weights_of.get(key, [Decimal(1)] * 12)
            budget[key] += amount
            to_date[key] += sum(_months(amount, w)[:through])
            budgeted.add(key)
    for key in budget:
        unit = rollup[key[0]]
        out[unit]["budget"] += from_ore(budget[key])
        out[unit]["budget_to_date"] += from_ore(to_date[key])
    saved = forecasts[event_code]
    for key in set(saved) | budgeted:
        value = from_ore(saved[key]) if key in saved else from_ore(budget[key])
        out[rollup[key[0]]]["forecast"] += value
    for (unit, _row, _period), amount in outcome[2019].items():
        out[rollup[unit]]["previous_year"] += from_ore(amount)
    for (unit, _row, period), amount in outcome[2020].items():
        if period <= cutoff:
            out[rollup[unit]]["outcome"] += from_ore(amount)
    total = dict.fromkeys(COLUMNS[:-1], Decimal(0))
    for values in out.values():
        values["deviation"] = values["forecast"] - values["budget"]
        for k in COLUMNS[:-1]:
            total[k] += values[k]
    total["deviation"] = total["forecast"] - total["budget"]
    return out, total


class _GridRows(HTMLParser):
    """Unit rows (class level-0) and footers of the follow-up page: name → cells as read
    (hidden words for screen readers and the "(saknas)" flag left out)."""

    def __init__(self):
        super().__init__()
        self.rows, self._row, self._cell, self._skip, self._foot = {}, None, None, 0, False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        if tag == "tfoot":
            self._foot = True
        if tag == "tr" and ("level-0" in classes or self._foot):
            self._row = []
        if tag in ("td", "th") and self._row is not None:
            self._cell = []
        if tag == "span" and (
            self._skip
            or attrs.get("aria-hidden") == "true"
            or {"flag", "visually-hidden"} & set(classes)
        ):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag == "span" and self._skip:
            self._skip -= 1
        if tag == "tfoot":
            self._foot = False
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        if tag == "tr" and self._row is not None:
            self.rows.setdefault(self._row[0], self._row[1:])
            self._row = None

    def handle_data(self, data):
        if self._cell is not None and not self._skip:
            self._cell.append(data)


def _load(scenario, avun, units, accounts):
    lines, changes, cutoffs, forecasts, outcome = scenario
    events = {
        code: event_ensure(actor=SYSTEM, committee=avun, code=code, cutoff_period=cutoff)
        for code, cutoff in cutoffs.items()
    }
    for (unit, row), (amount, profile, custom) in lines.items():
        BudgetLine.objects.create(
            unit_id=unit,
            year=2020,
            row_code=row,
            amount=from_ore(amount),
            profile=profile,
            weights=[str(w) for w in custom] if profile == "custom" else [],
        )
    for i, ((unit, row), date, amount) in enumerate(changes):
        BudgetChange.objects.create(
            unit_id=unit,
            year=2020,
            row_code=row,
            amount=from_ore(amount),
            date=date,
            kind="ramjustering",
            decision=f"KS/2020:{i}",
        )
    for code, saved in forecasts.items():
        for (unit, row), amount in saved.items():
            Forecast.objects.create(
                event=events[code], unit_id=unit, row_code=row, amount=from_ore(amount)
            )
    for year, amounts in outcome.items():
        imp = LedgerImport.objects.create(
            municipality=avun.municipality,
            source="test",
            year=year,
            first_period=1,
            last_period=13,
            file_format="sie",
            file_name=f"t{year}.se",
            file_sha256="0" * 64,
        )
        Balance.objects.bulk_create(
            Balance(
                ledger_import=imp,
                year=year,
                period=period,
                unit_id=unit,
                account=accounts[row],
                amount_ore=-amount,  # ledger sign: cost is debit
            )
            for (unit, row, period), amount in amounts.items()
        )
        row_balances_apply([imp.pk], +1)  # as the import does
    return events


def _ledger_balances(year: int, through: int) -> dict[tuple[str, str], Decimal]:
    out = io.StringIO()
    call_command(
        "ledger",
        "balances",
        "--committee",
        "AVUN",
        "--year",
        str(year),
        "--through-period",
        str(through),
        "--format",
        "json",
        stdout=out,
    )
    shown: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for line in json.loads(out.getvalue())["lines"]:
        shown[(line["enhet"], line["rad"])] += Decimal(line["belopp"])
    return {k: v for k, v in shown.items() if v}


def total_of(expected: dict, column: str) -> Decimal:
    return expected["Total"][COLUMNS.index(column)]


def _report_rows(avun, event) -> dict[str, list[Decimal]]:
    from styra.reports.builders import build_report

    data = json.loads(build_report(avun, event).to_json())
    found = {}

    def walk(x):
        if isinstance(x, dict):
            if x.get("key") == "verksamheter":
                for row in x["rows"]:
                    found[row["cells"][0]["text"]] = [Decimal(c["value"]) for c in row["cells"][1:]]
            for v in x.values():
                walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)

    walk(data)
    return found


@pytest.mark.django_db
@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_every_path_shows_the_engines_figures(demo_org, node, cast, client, data):
    ensure_default_scheme(demo_org)
    avun = node("AVUN")
    scheme = scheme_for(demo_org, 2020)
    accounts = {}
    for r in AccountRange.objects.filter(scheme=scheme).select_related("row").order_by("first"):
        if 3000 <= r.first <= 8999:
            accounts.setdefault(r.row.code, f"{r.first:04d}")
    rows = sorted(accounts)[:5]
    details = detail_units(avun, 2020)
    units = [u.pk for u in details]
    reports = report_units(avun, 2020)
    rollup = rollup_map(demo_org, reports)
    names = {u.pk: u.name for u in reports}
    scenario = data.draw(scenarios(units, rows))
    client.force_login(cast["controller"])
    with transaction.atomic():
        events = _load(scenario, avun, units, accounts)
        for code, event in events.items():
            by_unit, total = _oracle(scenario, rollup, code)
            expected = {names[u]: [by_unit[u][c] for c in COLUMNS] for u in names}
            expected["Total"] = [total[c] for c in COLUMNS]
            # the follow-up grid's data
            fu = figures.follow_up(avun, event)
            got = {uf.unit.name: [getattr(uf.net, c) for c in COLUMNS] for uf in fu.units}
            got["Total"] = [getattr(fu.total.net, c) for c in COLUMNS]
            assert got == expected, code
            # the follow-up page, as shown (whole tkr of the exact figures)
            page = client.get(f"/ekonomi/{avun.pk}/uppfoljning/?handelse={code}")
            parser = _GridRows()
            parser.feed(page.content.decode())
            for name, values in expected.items():
                shown = [
                    format_tkr(v, plus=(c == "deviation"))
                    for c, v in zip(COLUMNS, values, strict=True)
                ]
                assert parser.rows[name] == shown, (code, name)
            # the chart's series: its end points are the grid's figures
            for uf in fu.units:
                series = figures.monthly_series(avun, event, uf.unit)
                assert series["budget"][-1] == uf.net.budget
                assert series["budget"][min(event.cutoff_period, 12) - 1] == uf.net.budget_to_date
                assert (series["outcome"] or [Decimal(0)])[-1] == uf.net.outcome
                assert series["forecast_total"] == uf.net.forecast
                assert series["forecast"][-1] == uf.net.forecast
            # the forecast form of each report unit adds up to its grid line
            for uf in fu.units:
                form = figures.forecast_rows(uf.unit, event)
                assert sum((r.budget for r in form), Decimal(0)) == uf.net.budget
                assert sum((r.outcome for r in form), Decimal(0)) == uf.net.outcome
            # the report's table by unit
            assert _report_rows(avun, event) == expected, code
            # styra finance grid --format json
            out = io.StringIO()
            call_command(
                "finance",
                "grid",
                "--committee",
                "AVUN",
                "--event",
                code,
                "--format",
                "json",
                stdout=out,
            )
            cli = {
                line["enhet"]: [Decimal(v) for k, v in line.items() if k != "enhet"]
                for line in json.loads(out.getvalue())
            }
            assert cli == expected, code
            # styra ledger balances --format json: the outcome per unit and report row
            # through the cut-off, and last year's, are the engine's
            by_row = figures.follow_up(avun, event, grouping="row")
            labels = dict(by_row.row_keys)
            for year, through, column in (
                (2020, event.cutoff_period, "outcome"),
                (2019, 13, "previous_year"),
            ):
                shown = _ledger_balances(year, through)
                engine = {
                    (uf.unit.name, labels[key]): getattr(fig, column)
                    for uf in by_row.units
                    for key, fig in uf.by_row.items()
                    if getattr(fig, column)
                }
                assert shown == engine, (code, year)
                assert sum(shown.values(), Decimal(0)) == total_of(expected, column), code
        # kommunöversikt and the start card show the current (first open) event: D1
        _by_unit, total = _oracle(scenario, rollup, "2020-D1")
        (line,) = figures.committee_overview([avun])
        assert line.event == events["2020-D1"]
        assert [getattr(line.net, c) for c in COLUMNS] == [total[c] for c in COLUMNS]
        card = " ".join(_controller_card(avun)["lines"])
        assert f"prognos {format_mnkr(total['forecast'])} mot budget" in card
        assert f"budget {format_mnkr(total['budget'])} mkr" in card
        page = client.get("/ekonomi/oversikt/").content.decode()
        assert re.search(re.escape(format_tkr(total["forecast"])), page)
        transaction.set_rollback(True)
    OrgNode.objects.get(pk=avun.pk)  # the organisation outlives each example
