"""The stored aggregates (issue 13): after every kind of write `styra figures verify` finds
them equal to what the raw rows give, the figures engine shows what the raw rows give, and
a corrupted aggregate is found (exit 1)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from styra.calendar.services import event_ensure
from styra.finance import figures, services
from styra.finance.aggregates import budget_months_expected
from styra.finance.models import BudgetLine, BudgetMonths
from styra.ledger.aggregates import row_balances_expected
from styra.ledger.models import RowBalance
from styra.ledger.services import dimension_map, ledger_import, ledger_import_undo
from styra.ledger.sie_write import SieVoucher, write_sie4
from tests.actors import SYSTEM

ACCOUNTS = {
    "1930": "Bank",
    "3510": "Statsbidrag",
    "5010": "Löner",
    "4610": "Material",
    "4010": "Köp av verksamhet",
}


def _sie(tmp_path, name, year, lines, objects=(("1", "4000", "Jobbcenter"),)):
    """lines: (month, ansvar, account, amount öre) — one voucher each, against the bank."""
    vouchers = [
        SieVoucher(
            "A",
            str(n),
            dt.date(year, month, 10),
            f"Verifikation {n}",
            [(account, (("1", ansvar),), amount, "rad"), ("1930", (), -amount, "motkonto")],
        )
        for n, (month, ansvar, account, amount) in enumerate(lines, start=1)
    ]
    path = tmp_path / name
    write_sie4(
        path,
        company="Botkyrka (demo)",
        org_number="212000-2882",
        year=year,
        accounts=ACCOUNTS,
        dimensions={"1": "Ansvar"},
        objects=list(objects),
        vouchers=vouchers,
    )
    return path


def _verify(*args) -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("figures", "verify", *args, stdout=out)
    except CommandError as exc:
        return exc.returncode, out.getvalue() + str(exc)
    return 0, out.getvalue()


def _live_inputs(committee, year):
    """The figures' inputs computed from the raw rows (what the engine read before the
    aggregates): outcome per (unit, row) and period, and every budget line's months."""
    outcome = {
        (u, c): [-v for v in p]
        for (y, u, c), p in row_balances_expected(municipality=committee.municipality).items()
        if y == year
    }
    expected = budget_months_expected(municipality=committee.municipality, years=[year])
    lines = {(u, c): m for (kind, _pk), (u, _y, c, m) in expected.items() if kind == "line"}
    changes = {pk: m for (kind, pk), (_u, _y, _c, m) in expected.items() if kind == "change"}
    return outcome, lines, changes


@pytest.fixture
def world(demo_org, node, tmp_path):
    """Two years of ledger, a budget with every profile, a change and an open event."""
    p2019 = _sie(
        tmp_path,
        "hb2019.se",
        2019,
        [(m, "4000", "5010", 10_000_00 * m) for m in range(1, 13)]
        + [(3, "5000", "4610", 2_500_00), (7, "4000", "3510", -40_000_00)],
    )
    p2020 = _sie(
        tmp_path,
        "hb2020.se",
        2020,
        [(1, "4000", "5010", 90_000_00), (2, "5000", "4610", 1_234_56)],
    )
    ledger_import(actor=SYSTEM, path=p2019, municipality=demo_org)
    ledger_import(actor=SYSTEM, path=p2020, municipality=demo_org)
    budget = tmp_path / "budget.csv"
    budget.write_text(
        "år;enhet;rad;belopp;profil;jan;feb;mar;apr;maj;jun;jul;aug;sep;okt;nov;dec\n"
        "2020;JC;personal;-1200000;fjol;;;;;;;;;;;;\n"
        "2020;JC;bidrag_in;400000;dagar;;;;;;;;;;;;\n"
        "2020;DV;varor;-30000;egen;1;1;2;2;1;1;0;1;1;1;1;3\n"
        "2020;DV;personal;-500000;jämn;;;;;;;;;;;;\n",
        encoding="utf-8",
    )
    services.budget_import(actor=SYSTEM, path=budget, municipality=demo_org)
    services.budget_change_add(
        actor=SYSTEM,
        unit=node("JC"),
        row_code="personal",
        amount=Decimal("-12345.67"),
        date=dt.date(2020, 3, 20),
        kind="ramjustering",
        decision="KS/2020:1",
    )
    avun = node("AVUN")
    event = event_ensure(actor=SYSTEM, committee=avun, code="2020-D2", cutoff_period=8)
    return {"tmp": tmp_path, "avun": avun, "event": event, "p2019": p2019, "p2020": p2020}


def _write_import(world, demo_org, node):
    path = _sie(world["tmp"], "hb2020-03.se", 2020, [(3, "4000", "4010", 5_000_00)])
    ledger_import(actor=SYSTEM, path=path, municipality=demo_org)


def _write_reimport(world, demo_org, node):
    # The same periods again with other amounts: the earlier import is replaced.
    path = _sie(
        world["tmp"],
        "hb2020b.se",
        2020,
        [(1, "4000", "5010", 80_000_00), (2, "4000", "4610", 1_00)],
    )
    ledger_import(actor=SYSTEM, path=path, municipality=demo_org)


def _write_undo(world, demo_org, node):
    path = _sie(
        world["tmp"],
        "hb2020b.se",
        2020,
        [(1, "4000", "5010", 5_00), (2, "5000", "5010", 70_000_00)],
    )
    before = sorted(RowBalance.objects.values_list("year", "unit_id", "row_code", "periods"))
    result = ledger_import(actor=SYSTEM, path=path, municipality=demo_org)
    assert _verify()[0] == 0
    imported = sorted(RowBalance.objects.values_list("year", "unit_id", "row_code", "periods"))
    assert imported != before
    ledger_import_undo(actor=SYSTEM, import_id=result.import_id, municipality=demo_org)


def _write_last_year(world, demo_org, node):
    # Last year's outcome changes: the budget that follows its pattern follows.
    path = _sie(
        world["tmp"],
        "hb2019b.se",
        2019,
        [(m, "4000", "5010", 10_000_00 * (13 - m)) for m in range(1, 13)],
    )
    ledger_import(actor=SYSTEM, path=path, municipality=demo_org)


def _write_budget_import(world, demo_org, node):
    budget = world["tmp"] / "budget2.csv"
    budget.write_text(
        "år;enhet;rad;belopp;profil;jan;feb;mar;apr;maj;jun;jul;aug;sep;okt;nov;dec\n"
        "2020;JC;personal;-1300000;jämn;;;;;;;;;;;;\n"
        "2020;DV;taxor;10000;fjol;;;;;;;;;;;;\n",
        encoding="utf-8",
    )
    services.budget_import(actor=SYSTEM, path=budget, municipality=demo_org)


def _write_budget_set(world, demo_org, node):
    services.budget_set(
        actor=SYSTEM, unit=node("JC"), year=2020, row_code="personal", amount=Decimal("-999.99")
    )


def _write_change_add(world, demo_org, node):
    services.budget_change_add(
        actor=SYSTEM,
        unit=node("DV"),
        row_code="varor",
        amount=Decimal("777.77"),
        date=dt.date(2020, 5, 1),
        kind="tillaggsbudget",
        decision="KF/2020:9",
    )


def _write_changes_import(world, demo_org, node):
    path = world["tmp"] / "changes.yaml"
    path.write_text(
        "changes:\n"
        "  - {date: 2020-04-02, unit: JC, row: personal, amount: '-1000', kind: ramjustering,"
        " decision: 'KS/2020:5'}\n"
        "  - {date: 2020-06-02, unit: DV, row: lokalhyror, amount: '-3333.33', kind: "
        "tillaggsbudget, decision: 'KF/2020:7'}\n",
        encoding="utf-8",
    )
    services.budget_changes_import(actor=SYSTEM, path=path, municipality=demo_org)


def _write_forecast(world, demo_org, node):
    services.forecast_save(
        actor=SYSTEM,
        event=world["event"],
        unit=node("JC"),
        row_code="personal",
        amount=Decimal("-1250000"),
    )


def _write_dimension_map(world, demo_org, node):
    # A code without a unit is imported, then mapped: its outcome now counts for the unit.
    path = _sie(
        world["tmp"],
        "hb2020-unmapped.se",
        2020,
        [(4, "9999", "4610", 8_000_00), (4, "4000", "4610", 90_000_00)],
        objects=(("1", "4000", "Jobbcenter"), ("1", "9999", "Okänd")),
    )
    ledger_import(actor=SYSTEM, path=path, municipality=demo_org)
    dimension_map(actor=SYSTEM, node=node("DV"), year=2020, dimension="ansvar", code="9999")


def _write_rowscheme(world, demo_org, node):
    from styra.ledger.rows import rowscheme_load

    scheme = world["tmp"] / "rows.yaml"
    scheme.write_text(
        "name: Egen indelning\nvalid_from_year: 2020\nrows:\n"
        "  - {code: personal, name: Personal, section: cost, coarse: staff,"
        " accounts: [5000-5999]}\n"
        "  - {code: allt_annat, name: Allt annat, section: cost, coarse: other,"
        " accounts: [3000-4999, 6000-8999]}\n",
        encoding="utf-8",
    )
    rowscheme_load(municipality=demo_org, path=scheme)


WRITES = {
    "ledger_import": _write_import,
    "ledger_reimport": _write_reimport,
    "ledger_undo": _write_undo,
    "ledger_last_year": _write_last_year,
    "budget_import": _write_budget_import,
    "budget_set": _write_budget_set,
    "budget_change": _write_change_add,
    "budget_changes_import": _write_changes_import,
    "forecast_save": _write_forecast,
    "dimension_map": _write_dimension_map,
    "row_scheme": _write_rowscheme,
}


@pytest.mark.django_db
@pytest.mark.parametrize("write", list(WRITES))
def test_verify_finds_no_difference_after_every_kind_of_write(write, world, demo_org, node):
    assert _verify() == (0, _verify()[1])
    before = _live_inputs(world["avun"], 2020)
    WRITES[write](world, demo_org, node)
    code, out = _verify()
    assert code == 0, out
    assert "inga skillnader" in out
    # The engine reads the aggregates; they give what the raw rows give.
    after = _live_inputs(world["avun"], 2020)
    outcome, lines, changes = after
    inputs = figures._year_inputs(world["avun"], 2020)
    assert inputs.outcome == outcome
    assert inputs.original_months == lines
    assert {pk: m for pk, _key, _d, _a, m in inputs.changes} == changes
    if write == "ledger_undo":
        assert after == before  # the undone import's rows are gone, the replaced one's back
    elif write != "forecast_save":
        assert after != before, "the write changed nothing the aggregates hold"
    assert RowBalance.objects.exists() and BudgetMonths.objects.exists()


@pytest.mark.django_db
def test_verify_finds_a_corrupted_outcome_and_budget_month(world, demo_org):
    assert _verify()[0] == 0
    row = RowBalance.objects.filter(year=2020).order_by("pk").first()
    row.periods = [int(v) + (100 if i == 0 else 0) for i, v in enumerate(row.periods)]
    row.save()
    code, out = _verify("--year", "2020")
    assert code == 1
    assert "Utfall 2020" in out and "period 1: lagrat" in out and "1 skillnader" in out
    months = BudgetMonths.objects.filter(line__isnull=False).order_by("pk").first()
    months.delete()
    code, out = _verify("--committee", "AVUN")
    assert code == 1 and "saknas" in out and "2 skillnader" in out
    # The page still shows the right budget: the missing months are spread live.
    line = BudgetLine.objects.get(pk=months.line_id)
    inputs = figures._year_inputs(world["avun"], 2020)
    assert inputs.original_months[(line.unit_id, line.row_code)] == months.months
    call_command("figures", "rebuild", stdout=io.StringIO())
    assert _verify() == (0, _verify()[1])
