"""Safe imports: a file of another organisation is refused (unless the user says so),
imports are listed and undone exactly, locked periods stay, absurd amounts and oversized
Excel files are refused with their line."""

from __future__ import annotations

import datetime as dt
import json
import zipfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from styra.ledger.models import Balance, LedgerImport, Transaction
from styra.ledger.readers import tabular
from styra.ledger.services import ImportRefused, ledger_import, ledger_import_undo
from styra.ledger.sie_write import SieVoucher, write_sie4
from tests.actors import SYSTEM

ACCOUNTS = {"1930": "Bank", "5010": "Löner", "3510": "Statsbidrag"}
JAN, FEB = dt.date(2020, 1, 15), dt.date(2020, 2, 14)


def voucher(n, date, ansvar, account, amount_ore):
    return SieVoucher(
        "A",
        str(n),
        date,
        f"Verifikation {n}",
        [(account, (("1", ansvar),), amount_ore, "rad"), ("1930", (), -amount_ore, "motkonto")],
    )


def sie(tmp_path, vouchers, *, name="hb.se", company="Botkyrka (demo)", org="212000-2882"):
    path = tmp_path / name
    write_sie4(
        path,
        company=company,
        org_number=org,
        year=2020,
        accounts=ACCOUNTS,
        dimensions={"1": "Ansvar"},
        objects=[],
        vouchers=vouchers,
    )
    return path


def balances_json(capsys) -> dict:
    capsys.readouterr()
    call_command("ledger", "balances", "--committee", "AVUN", "--year", "2020", "--format", "json")
    return json.loads(capsys.readouterr().out)


@pytest.mark.django_db
def test_another_organisations_file_exits_1_and_changes_nothing(demo_org, tmp_path, capsys):
    ours = sie(tmp_path, [voucher(1, JAN, "4000", "5010", 1000_00)], name="vår.se")
    call_command("ledger", "import", str(ours))
    before = balances_json(capsys)
    foreign = sie(
        tmp_path,
        [voucher(1, JAN, "4000", "5010", 99_00)],
        name="deras.se",
        company="Övningsbolaget AB",
        org="556000-0167",
    )
    with pytest.raises(CommandError) as exc:
        call_command("ledger", "import", str(foreign))
    assert exc.value.returncode == 1
    err = capsys.readouterr().err
    assert "556000-0167" in err and "212000-2882" in err and "--accept-orgnr" in err
    assert balances_json(capsys) == before
    assert LedgerImport.objects.count() == 1

    # The explicit override imports it, with a warning naming both.
    call_command("ledger", "import", str(foreign), "--accept-orgnr")
    assert "556000-0167" in capsys.readouterr().err
    assert balances_json(capsys) != before


@pytest.mark.django_db
def test_without_orgnr_the_company_name_decides(demo_org, tmp_path):
    other = sie(
        tmp_path, [voucher(1, JAN, "4000", "5010", 1_00)], company="Järfälla kommun", org=""
    )
    with pytest.raises(ImportRefused) as exc:
        ledger_import(actor=SYSTEM, path=other, municipality=demo_org)
    assert [e.code for e in exc.value.result.errors] == ["orgnr"]
    assert "Järfälla" in exc.value.result.errors[0].message
    same = sie(
        tmp_path,
        [voucher(1, JAN, "4000", "5010", 1_00)],
        name="b.se",
        company="Botkyrka kommun",
        org="",
    )
    assert ledger_import(actor=SYSTEM, path=same, municipality=demo_org).import_id
    # An org number written without hyphen or with the century is still ours.
    plain = sie(tmp_path, [voucher(1, JAN, "4000", "5010", 1_00)], name="c.se", org="2120002882")
    assert ledger_import(actor=SYSTEM, path=plain, municipality=demo_org).import_id


@pytest.mark.django_db
def test_imports_are_listed_and_undo_restores_the_previous_balances(demo_org, tmp_path, capsys):
    first = sie(tmp_path, [voucher(1, JAN, "4000", "5010", 1000_00)], name="jan.se")
    call_command("ledger", "import", str(first))
    before = balances_json(capsys)
    second = sie(
        tmp_path,
        [voucher(1, JAN, "4000", "5010", 1234_56), voucher(2, FEB, "4000", "3510", -50_00)],
        name="jan-feb.se",
    )
    call_command("ledger", "import", str(second))
    after = balances_json(capsys)
    assert after != before
    call_command("ledger", "imports", "--format", "json")
    listed = json.loads(capsys.readouterr().out)
    assert [(i["file"], i["state"], i["first_period"], i["last_period"]) for i in listed] == [
        ("jan-feb.se", "gällande", 1, 2),
        ("jan.se", "ersatt", 1, 1),
    ]
    assert {"id", "source", "year", "file", "imported_by"} <= set(listed[0])
    assert listed[1]["replaced_by"] == listed[0]["id"]

    # The replaced import cannot be undone before the one that replaced it.
    with pytest.raises(CommandError) as exc:
        call_command("ledger", "undo", str(listed[1]["id"]))
    assert exc.value.returncode == 2

    call_command("ledger", "undo", str(listed[0]["id"]))
    assert "ångrad" in capsys.readouterr().out
    assert balances_json(capsys) == before
    assert Transaction.objects.count() == 2  # jan.se's two rows, the undone import's gone
    assert not Transaction.all_objects.filter(ledger_import_id=listed[0]["id"]).exists()
    call_command("ledger", "imports", "--format", "json")
    states = {i["file"]: i["state"] for i in json.loads(capsys.readouterr().out)}
    assert states == {"jan-feb.se": "ångrad", "jan.se": "gällande"}

    # Undoing twice is refused; undoing the first leaves nothing.
    with pytest.raises(CommandError):
        call_command("ledger", "undo", str(listed[0]["id"]))
    call_command("ledger", "undo", str(listed[1]["id"]))
    assert balances_json(capsys)["lines"] == [] and not Balance.objects.exists()


@pytest.mark.django_db
def test_undo_is_refused_when_an_approved_event_shows_the_periods(demo_org, node, tmp_path):
    from django.core.exceptions import ValidationError

    from styra.calendar.models import EventStatus, ReportingEvent

    path = sie(tmp_path, [voucher(1, JAN, "4000", "5010", 1000_00)])
    result = ledger_import(actor=SYSTEM, path=path, municipality=demo_org)
    event = ReportingEvent.objects.create(
        committee=node("AVUN"), year=2020, code="2020-01", name="Prognos januari", cutoff_period=1
    )
    event.status = EventStatus.APPROVED
    event.save()
    rows = Transaction.objects.count()
    with pytest.raises(ValidationError) as exc:
        ledger_import_undo(actor=SYSTEM, import_id=result.import_id, municipality=demo_org)
    assert "Prognos januari" in " ".join(exc.value.messages)
    assert Transaction.objects.count() == rows
    assert LedgerImport.objects.get().undone_at is None


@pytest.mark.django_db
def test_a_huge_amount_is_refused_at_the_check_with_its_line(demo_org, tmp_path):
    path = sie(tmp_path, [voucher(1, JAN, "4000", "5010", 1_00)])
    text = path.read_text(encoding="cp437").replace("1.00", "1" + "0" * 26 + ".00", 1)
    path.write_text(text, encoding="cp437")
    line = next(k for k, t in enumerate(text.splitlines(), 1) if "0" * 26 in t)
    with pytest.raises(ImportRefused) as exc:
        ledger_import(actor=SYSTEM, path=path, municipality=demo_org, dry_run=True)
    errors = exc.value.result.errors
    assert any(e.line == line and "för stort" in e.message for e in errors), errors


@pytest.mark.django_db
def test_the_unmapped_amount_has_the_report_sign_everywhere(demo_org, tmp_path, capsys):
    """A cost of 250 kr on an unknown code is −250 in the check, the saved view and the CLI."""
    path = sie(tmp_path, [voucher(1, JAN, "9999", "5010", 250_00)])
    checked = ledger_import(actor=SYSTEM, path=path, municipality=demo_org, dry_run=True)
    assert checked.unmapped_report == {"ansvar 9999": -250_00}
    assert checked.unmapped_result_ore == -250_00 and checked.mostly_unmapped
    ledger_import(actor=SYSTEM, path=path, municipality=demo_org)
    assert balances_json(capsys)["unmapped"] == {"ansvar 9999": "-250.00"}


@pytest.mark.django_db
def test_a_mostly_unmapped_file_needs_a_confirmation_when_asked(demo_org, tmp_path):
    path = sie(
        tmp_path,
        [voucher(1, JAN, "9999", "5010", 900_00), voucher(2, JAN, "4000", "5010", 100_00)],
    )
    with pytest.raises(ImportRefused) as exc:
        ledger_import(actor=SYSTEM, path=path, municipality=demo_org, accept_mostly_unmapped=False)
    assert [e.code for e in exc.value.result.errors] == ["mostly_unmapped"]
    assert ledger_import(actor=SYSTEM, path=path, municipality=demo_org).import_id


MAPPING = {
    "decimal": "comma",
    "columns": {"account": "Konto", "amount": "Belopp", "period": "Period"},
}


def _xlsx(path, rows):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Konto", "Belopp", "Period"])
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def test_an_excel_file_with_too_many_rows_is_refused_with_a_line(tmp_path):
    path = _xlsx(tmp_path / "u.xlsx", [["5010", "1,00", "202001"]] * 5)
    issues = [
        r
        for r in tabular.iter_rows(path, MAPPING, max_rows=3)
        if isinstance(r, tabular.Issue) and r.is_error
    ]
    assert [i.code for i in issues] == ["too_large"]
    assert "3" in issues[0].message


def test_an_excel_file_that_unpacks_too_large_is_refused_before_reading(tmp_path):
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/worksheets/sheet1.xml", b" " * 3_000_000)
    issues = [r for r in tabular.iter_rows(path, MAPPING, max_unpacked=1_000_000)]
    assert [i.code for i in issues] == ["too_large"]


@pytest.mark.django_db
def test_undo_counts_from_the_next_open_event_when_one_is_left(demo_org, node, tmp_path):
    """An approved event keeps the figures it showed (stored at approval); with an open event
    after it in the year, the undo goes through, as a corrected import would."""
    from styra.calendar.models import EventStatus, ReportingEvent

    path = sie(tmp_path, [voucher(1, JAN, "4000", "5010", 1000_00)])
    result = ledger_import(actor=SYSTEM, path=path, municipality=demo_org)
    avun = node("AVUN")
    ReportingEvent.objects.create(
        committee=avun, year=2020, code="2020-01", name="Prognos januari", cutoff_period=1,
        status=EventStatus.APPROVED,
    )  # fmt: skip
    ReportingEvent.objects.create(
        committee=avun, year=2020, code="2020-D2", name="Delårsrapport 2 2020", cutoff_period=8
    )
    undone = ledger_import_undo(actor=SYSTEM, import_id=result.import_id, municipality=demo_org)
    assert undone.undone_at is not None and Transaction.objects.count() == 0
