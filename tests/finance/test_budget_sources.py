"""The budget can come from Excel and from an SIE file's #PBUDGET rows, with the same
validation (every error with its line, nothing stored)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from openpyxl import Workbook

from styra.calendar.services import event_ensure
from styra.finance import figures, services
from styra.finance.models import BudgetLine
from styra.ledger.rows import ensure_default_scheme
from styra.lib.errors import InputError
from tests.actors import SYSTEM

HEADER = [
    "år",
    "enhet",
    "rad",
    "belopp",
    "profil",
    "jan",
    "feb",
    "mar",
    "apr",
    "maj",
    "jun",
    "jul",
    "aug",
    "sep",
    "okt",
    "nov",
    "dec",
]


@pytest.fixture
def scheme(demo_org):
    ensure_default_scheme(demo_org)
    return demo_org


@pytest.mark.django_db
def test_budget_from_excel(scheme, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    sheet.append([2020, "JC", "personal", -24000000.5, "jämn"])
    sheet.append([2020, "DV", "bidrag_in", 1200000, "egen", 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1])
    path = tmp_path / "budget.xlsx"
    book.save(path)
    assert services.budget_import(actor=SYSTEM, path=path, municipality=scheme) == 2
    assert BudgetLine.objects.get(unit__code="JC").amount == Decimal("-24000000.50")
    sheet.append([2020, "XX", "personal", "tolv", "jämn"])
    book.save(path)
    with pytest.raises(InputError) as exc:
        services.budget_import(actor=SYSTEM, path=path, municipality=scheme)
    assert {(e.line, e.message.split(" ")[0]) for e in exc.value.errors} == {
        (4, "okänd"),
        (4, "belopp:"),
    }


SIE = """#FLAGGA 0
#FORMAT PC8
#SIETYP 3
#FNAMN "Botkyrka (demo)"
#RAR 0 20200101 20201231
#DIM 1 "Ansvar"
#KONTO 5010 "Löner"
#KONTO 3510 "Statsbidrag"
{rows}"""


def sie_file(tmp_path, rows: str):
    path = tmp_path / "budget.se"
    path.write_text(SIE.format(rows=rows), encoding="cp437")
    return path


@pytest.mark.django_db
def test_budget_from_sie_pbudget_keeps_the_months(scheme, node, tmp_path):
    rows = "".join(
        f'#PBUDGET 0 2020{m:02d} 5010 {{1 "4000"}} {1000 * m}.00\n' for m in range(1, 13)
    )
    rows += '#PBUDGET 0 202001 3510 {1 "4000"} -6000.00\n'
    assert (
        services.budget_import_sie(actor=SYSTEM, path=sie_file(tmp_path, rows), municipality=scheme)
        == 2
    )
    staff = BudgetLine.objects.get(unit=node("JC"), row_code="personal")
    assert staff.amount == Decimal("-78000")  # costs are debit in SIE, negative in reports
    event = event_ensure(actor=SYSTEM, committee=node("AVUN"), code="2020-D1")
    facts = figures.event_facts(node("AVUN"), event).facts
    assert facts[(node("JC").pk, "personal")].budget_to_date == Decimal("-10000.00")  # 1+2+3+4
    assert facts[(node("JC").pk, "bidrag_in")].budget_to_date == Decimal("6000.00")


@pytest.mark.django_db
def test_sie_budget_errors_name_the_line_and_store_nothing(scheme, tmp_path):
    rows = (
        '#PBUDGET 0 202001 5010 {1 "4000"} 100.00\n'
        '#PBUDGET 0 202002 5010 {1 "9999"} 100.00\n'
        '#PBUDGET 0 202003 5010 {1 "4000"} 1x0\n'
    )
    with pytest.raises(InputError) as exc:
        services.budget_import(actor=SYSTEM, path=sie_file(tmp_path, rows), municipality=scheme)
    lines = {e.line for e in exc.value.errors}
    assert {10, 11} <= lines
    assert any("ansvar 9999" in e.message for e in exc.value.errors)
    assert not BudgetLine.objects.exists()


@pytest.mark.django_db
def test_project_numbers_follow_the_series_of_their_kind(scheme, tmp_path, settings):
    from styra.finance.models import InvestmentProject

    path = tmp_path / "inv.yaml"
    path.write_text(
        "committee: AVUN\n"
        "projects:\n"
        "  - {number: '3083', name: Ny reception, kind: annual, category: inventarier}\n"
        "  - {number: '3090', name: Fel serie, kind: multi_year, category: fastighet}\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as exc:
        services.investments_import(actor=SYSTEM, path=path, municipality=scheme)
    assert [(e.line, e.message) for e in exc.value.errors] == [
        (4, "projektnummer 3090 hör inte till serien för fleråriga projekt (6…)")
    ]
    assert not InvestmentProject.objects.exists()
    settings.STYRA_PROJECT_SERIES = {}
    assert services.investments_import(actor=SYSTEM, path=path, municipality=scheme) == 2
