"""Exact forms in Chromium: the controller changes one budget cell and the unit manager one
forecast cell; exactly those values change, in exact kronor, in the database and in the
follow-up grid, and every other cell keeps its value to the öre."""

from __future__ import annotations

from decimal import Decimal

import pytest

from styra.calendar.models import ReportingEvent
from styra.finance import figures, services
from styra.finance.models import BudgetLine, Forecast
from styra.ledger.rows import ensure_default_scheme
from tests.actors import SYSTEM
from tests.web.browserkit import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADER = "år;enhet;rad;belopp;profil;jan;feb;mar;apr;maj;jun;jul;aug;sep;okt;nov;dec\n"


@pytest.fixture
def budget(demo_org, tmp_path, node):
    ensure_default_scheme(demo_org)
    (tmp_path / "events.yaml").write_text(
        "committee: AVUN\nevents:\n  - {code: 2020-D2, cutoff_period: 8}\n", encoding="utf-8"
    )
    services.events_import(actor=SYSTEM, path=tmp_path / "events.yaml", municipality=demo_org)
    # Amounts with öre and odd kronor: rounding any of them to tkr would show.
    (tmp_path / "budget.csv").write_text(
        HEADER
        + "2020;JC;personal;-24 000 499,75;jämn;;;;;;;;;;;;\n"
        + "2020;JC;bidrag_in;12 000 501,25;jämn;;;;;;;;;;;;\n"
        + "2020;UFV;personal;-1 200 000,50;jämn;;;;;;;;;;;;\n",
        encoding="utf-8",
    )
    services.budget_import(actor=SYSTEM, path=tmp_path / "budget.csv", municipality=demo_org)
    d2 = ReportingEvent.objects.get(code="2020-D2")
    services.forecast_save(
        actor=SYSTEM, event=d2, unit=node("JC"), row_code="bidrag_in", amount=Decimal("11999.99")
    )
    return d2


def test_one_budget_cell_and_one_forecast_cell_change_exactly(
    page, live_server, client, cast, node, budget
):
    jc, ufv, avun = node("JC"), node("UFV"), node("AVUN")
    lines_before = {(b.unit_id, b.row_code): b.amount for b in BudgetLine.objects.all()}
    # The controller changes UFV's staff budget to -1 234 567,89 kr.
    sign_in(page, client, live_server, cast["controller"])
    page.goto(f"{live_server.url}/ekonomi/{avun.pk}/budget/?ar=2020")
    cell = page.locator(f"input[name='b-{ufv.pk}-personal']")
    assert cell.input_value() == "-1\u00a0200,0005"  # shown exactly, not rounded
    assert page.locator(f"input[name='b-{jc.pk}-personal']").input_value() == "-24\u00a0000,49975"
    cell.fill("-1 234,56789")
    page.get_by_role("button", name="Spara budget").click()
    page.get_by_text("1 budgetceller ändrade").wait_for()
    assert_accessible(page, "budgetsidan")
    lines = {(b.unit_id, b.row_code): b.amount for b in BudgetLine.objects.all()}
    assert lines.pop((ufv.pk, "personal")) == Decimal("-1234567.89")
    lines_before.pop((ufv.pk, "personal"))
    assert lines == lines_before  # the untouched cells kept every öre

    # The unit manager changes Jobbcenter's staff forecast to -23 456 789,01 kr.
    saved_before = {(f.unit_id, f.row_code): f.amount for f in Forecast.objects.all()}
    sign_in(page, client, live_server, cast["enhetschef"])
    page.goto(f"{live_server.url}/ekonomi/{jc.pk}/prognos/2020-D2/")
    assert page.locator(f"input[name='prognos-{jc.pk}-bidrag_in']").input_value() == "11,99999"
    page.locator(f"input[name='prognos-{jc.pk}-personal']").fill("-23 456,78901")
    page.get_by_role("button", name="Spara prognos").click()
    page.get_by_text("1 prognosrader sparade").wait_for()
    assert_accessible(page, "prognosformuläret")
    saved = {(f.unit_id, f.row_code): f.amount for f in Forecast.objects.all()}
    assert saved.pop((jc.pk, "personal")) == Decimal("-23456789.01")
    assert saved == saved_before

    # The follow-up shows the new figures (whole tkr of the exact ones).
    sign_in(page, client, live_server, cast["controller"])
    page.goto(f"{live_server.url}/ekonomi/{avun.pk}/uppfoljning/?handelse=2020-D2&niva=detalj")
    fu = figures.follow_up(avun, budget, level="detail")
    by_unit = {uf.unit.code: uf.net for uf in fu.units}
    assert by_unit["UFV"].budget == Decimal("-1234567.89")
    assert by_unit["JC"].forecast == Decimal("-23456789.01") + Decimal("11999.99")
    row = page.locator(f"#rad-{ufv.pk}")
    assert "-1\u00a0235" in row.inner_text()
