"""The ledger import service and CLI on the real database engine (SQLite or PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from styra.ledger.models import Balance, LedgerImport, Transaction
from styra.ledger.selectors import balances, transactions_for, unmapped_balances
from styra.ledger.services import ImportRefused, ledger_import
from styra.ledger.sie_write import SieVoucher, write_sie4
from tests.actors import SYSTEM

ACCOUNTS = {
    "1930": "Bank",
    "3510": "Statsbidrag",
    "5010": "Löner",
    "4610": "Material",
    "2440": "Leverantörsskulder",
}


def voucher(n, date, ansvar, account, amount_ore, counter="1930"):
    return SieVoucher(
        "A",
        str(n),
        date,
        f"Verifikation {n}",
        [(account, (("1", ansvar),), amount_ore, "rad"), (counter, (), -amount_ore, "motkonto")],
    )


def write(tmp_path, vouchers, name="hb.se", year=2020, accounts=ACCOUNTS):
    path = tmp_path / name
    write_sie4(
        path,
        company="Botkyrka (demo)",
        org_number="212000-2882",
        year=year,
        accounts=accounts,
        dimensions={"1": "Ansvar"},
        objects=[("1", "4000", "Jobbcenter")],
        vouchers=vouchers,
    )
    return path


JAN, FEB, MAR = dt.date(2020, 1, 15), dt.date(2020, 2, 14), dt.date(2020, 3, 13)


@pytest.fixture
def basic(tmp_path):
    return write(
        tmp_path,
        [
            voucher(1, JAN, "4000", "5010", 100_000_00),  # salary cost at Jobbcenter
            voucher(2, JAN, "4000", "3510", -30_000_00),  # state grant revenue
            voucher(3, FEB, "5000", "4610", 12_345_67),  # material at Daglig verksamhet
            voucher(4, FEB, "4000", "4610", 1_000_00),
        ],
    )


@pytest.mark.django_db
def test_import_stores_balances_in_report_sign(demo_org, node, basic):
    result = ledger_import(actor=SYSTEM, path=basic, municipality=demo_org)
    assert result.import_id and not result.errors
    assert (result.year, result.first_period, result.last_period) == (2020, 1, 2)
    assert (result.vouchers, result.rows) == (4, 8)
    lines = balances(committee=node("AVUN"), year=2020, through_period=2, by=("unit", "row"))
    got = {(line.unit.code, line.row.name): line.amount for line in lines}
    assert got == {
        ("JC", "Bidrag från staten med flera"): Decimal("30000.00"),
        ("JC", "Personalkostnader"): Decimal("-100000.00"),
        ("JC", "Varor"): Decimal("-1000.00"),
        ("DV", "Varor"): Decimal("-12345.67"),
    }
    only_jan = balances(committee=node("AVUN"), year=2020, through_period=1, by=("unit",))
    assert {line.unit.code: line.amount for line in only_jan} == {"JC": Decimal("-70000.00")}
    log = LedgerImport.objects.get()
    assert log.file_sha256 and len(log.file_sha256) == 64
    assert log.totals["1"]["rows"] == 4 and log.totals["2"]["rows"] == 4
    rows = list(transactions_for(unit=node("JC"), year=2020, account="5010"))
    assert len(rows) == 1 and rows[0].amount_ore == 100_000_00 and rows[0].voucher == "1"


@pytest.mark.django_db
def test_reimport_replaces_without_duplicates(demo_org, basic):
    ledger_import(actor=SYSTEM, path=basic, municipality=demo_org)
    again = ledger_import(actor=SYSTEM, path=basic, municipality=demo_org)
    assert again.replaced and LedgerImport.live().count() == 1
    assert Transaction.objects.count() == 8  # the replaced import's rows no longer count
    assert Balance.objects.filter(account="5010").count() == 1


@pytest.mark.django_db
def test_partly_overlapping_import_is_refused(demo_org, tmp_path, basic):
    ledger_import(actor=SYSTEM, path=basic, municipality=demo_org)  # periods 1-2
    later = write(
        tmp_path,
        [voucher(9, FEB, "4000", "5010", 5_00), voucher(10, MAR, "4000", "5010", 5_00)],
        name="feb-mar.se",
    )
    with pytest.raises(ImportRefused) as exc:
        ledger_import(actor=SYSTEM, path=later, municipality=demo_org)
    assert any(i.code == "overlap" for i in exc.value.result.errors)
    assert Transaction.objects.count() == 8


@pytest.mark.django_db
def test_unbalanced_voucher_stores_nothing_and_names_line(demo_org, tmp_path, basic):
    ledger_import(actor=SYSTEM, path=basic, municipality=demo_org)
    bad = SieVoucher(
        "A", "7", JAN, "Fel", [("5010", (("1", "4000"),), 100_00, "x"), ("1930", (), -90_00, "y")]
    )
    path = write(tmp_path, [voucher(1, JAN, "4000", "5010", 1_00), bad], name="bad.se")
    with pytest.raises(ImportRefused) as exc:
        ledger_import(actor=SYSTEM, path=path, municipality=demo_org)
    errors = exc.value.result.errors
    lines = path.read_text(encoding="cp437").splitlines()
    ver_line = next(i for i, text in enumerate(lines, 1) if text.startswith('#VER "A" "7"'))
    assert any(
        "balanserar inte" in e.message and e.line == ver_line and e.file == "bad.se" for e in errors
    ), errors
    assert Transaction.objects.count() == 8 and LedgerImport.live().count() == 1


@pytest.mark.django_db
def test_unknown_account_is_an_error(demo_org, tmp_path):
    accounts = {k: v for k, v in ACCOUNTS.items() if k != "4610"}
    path = write(tmp_path, [voucher(1, JAN, "4000", "4610", 1_00)], accounts=accounts)
    with pytest.raises(ImportRefused) as exc:
        ledger_import(actor=SYSTEM, path=path, municipality=demo_org)
    assert [e.code for e in exc.value.result.errors] == ["unknown_account"]
    assert "4610" in exc.value.result.errors[0].message


@pytest.mark.django_db
def test_unmapped_code_is_reported_with_its_amount(demo_org, tmp_path):
    path = write(
        tmp_path, [voucher(1, JAN, "9999", "5010", 250_00), voucher(2, JAN, "4000", "5010", 1_00)]
    )
    result = ledger_import(actor=SYSTEM, path=path, municipality=demo_org)
    warning = [w for w in result.warnings if w.code == "unmapped"]
    assert warning and "ansvar 9999" in warning[0].message and "250,00" in warning[0].message
    assert unmapped_balances(municipality=demo_org, year=2020) == {
        "ansvar 9999": Decimal("-250.00")
    }


@pytest.mark.django_db
def test_date_outside_year_is_refused(demo_org, tmp_path):
    path = write(tmp_path, [voucher(1, dt.date(2021, 1, 5), "4000", "5010", 1_00)])
    with pytest.raises(ImportRefused) as exc:
        ledger_import(actor=SYSTEM, path=path, municipality=demo_org)
    assert any(e.code == "date_outside_year" for e in exc.value.result.errors)


@pytest.mark.django_db
def test_closing_series_goes_to_period_13(demo_org, node, tmp_path):
    closing = SieVoucher(
        "Z",
        "1",
        dt.date(2019, 12, 31),
        "Bokslut",
        [("5010", (("1", "4000"),), 7_00, "x"), ("2440", (), -7_00, "y")],
    )
    path = write(
        tmp_path, [voucher(1, dt.date(2019, 12, 3), "4000", "5010", 3_00), closing], year=2019
    )
    result = ledger_import(
        actor=SYSTEM, path=path, municipality=demo_org, closing_series=frozenset({"Z"})
    )
    assert sorted(result.periods) == [12, 13]
    lines = balances(committee=node("AVUN"), year=2019, through_period=12, by=("unit",))
    assert lines[0].amount == Decimal("-3.00")
    lines = balances(committee=node("AVUN"), year=2019, through_period=13, by=("unit",))
    assert lines[0].amount == Decimal("-10.00")


@pytest.mark.django_db
def test_cli_import_and_balances(demo_org, basic, capsys):
    call_command("ledger", "import", str(basic))
    out = capsys.readouterr().out
    assert "4 verifikationer, 8 rader" in out
    call_command("ledger", "balances", "--committee", "AVUN", "--year", "2020", "--format", "json")
    data = json.loads(capsys.readouterr().out)
    assert data["total"] == "-83345.67"
    assert {line["enhet"] for line in data["lines"]} == {"Jobbcenter", "Daglig verksamhet"}


@pytest.mark.django_db
def test_cli_exit_codes(demo_org, tmp_path):
    with pytest.raises(CommandError) as exc:
        call_command("ledger", "import", str(tmp_path / "saknas.se"))
    assert exc.value.returncode == 2
    bad = tmp_path / "bad.se"
    bad.write_bytes(
        b'#FLAGGA 0\n#RAR 0 20200101 20201231\n#VER A 1 20200105 "x"\n{\n#TRANS 1930 {} 5\n'
    )
    with pytest.raises(CommandError) as exc:
        call_command("ledger", "import", str(bad))
    assert exc.value.returncode == 1
    assert Transaction.objects.count() == 0


@pytest.mark.django_db
def test_a_committees_controller_cannot_replace_another_committees_outcome(
    demo_org, tmp_path, node, cast
):
    """The municipality's ledger is one file: a controller of one committee whose file
    would replace it (same source, year and periods) would wipe every other committee's
    outcome. Replacing needs the right on every committee the replaced import counts."""
    from django.core.exceptions import PermissionDenied

    from styra.ledger.models import Balance

    def sn_voucher(n, date, amount_ore):
        return SieVoucher(
            "A", str(n), date, "Försörjningsstöd",
            [("4610", (("2", "76"),), amount_ore, "rad"), ("1930", (), -amount_ore, "motkonto")],
        )  # fmt: skip

    whole = tmp_path / "kommunen.se"
    write_sie4(
        whole, company="Botkyrka (demo)", org_number="212000-2882", year=2020,
        accounts=ACCOUNTS, dimensions={"1": "Ansvar", "2": "Verksamhet"},
        objects=[("1", "4000", "Jobbcenter"), ("2", "76", "Försörjningsstöd")],
        vouchers=[voucher(1, JAN, "4000", "5010", 100_00), sn_voucher(2, FEB, 555_00)],
    )  # fmt: skip
    ledger_import(actor=SYSTEM, path=whole, municipality=demo_org)
    sn_rows = Balance.objects.filter(unit__code="SN76", amount_ore=555_00)
    assert sn_rows.count() == 1
    avun_only = write(
        tmp_path,
        [voucher(1, JAN, "4000", "5010", 200_00), voucher(2, FEB, "4000", "5010", 1_00)],
        name="avun.se",
    )
    with pytest.raises(PermissionDenied):
        ledger_import(actor=cast["controller"], path=avun_only, municipality=demo_org)
    assert sn_rows.count() == 1 and LedgerImport.live().count() == 1
