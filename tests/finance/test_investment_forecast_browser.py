"""The controller enters investment forecasts per project on the event's investment page
in a real Chromium: a wrong cell keeps what was typed, a saved cell shows in the
follow-up; the approved event shows no form. axe-core clean at 1366 and 390 px."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.web.browserkit import assert_accessible, no_horizontal_scroll, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def d2(cast, node, settings):
    from styra.calendar.models import ReportingEvent
    from styra.demo import finance as demo_finance
    from styra.demo import ledger as demo_ledger

    settings.STYRA_TODAY = "2020-08-28"
    demo_ledger.build()
    demo_finance.build()
    return ReportingEvent.objects.get(committee=node("AVUN"), code="2020-D2")


def _check(page, where):
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        assert_accessible(page, f"{where} {width} px")
        assert no_horizontal_scroll(page), f"{where} rullar i sidled vid {width} px"
    page.set_viewport_size({"width": 1366, "height": 900})


def test_controller_enters_investment_forecasts(page, live_server, client, cast, node, d2):
    from styra.finance.models import InvestmentForecast

    before = InvestmentForecast.history.count()
    sign_in(page, client, live_server, cast["controller"])
    page.goto(f"{live_server.url}/ekonomi/{node('AVUN').pk}/investeringar/?handelse=2020-D2")
    _check(page, "investeringar")
    cell = page.get_by_label("Prognos 2020 för 3083 NY RECEPTION JOBBCENTER, tkr")
    assert cell.input_value() == "0"
    cell.fill("-312,5")
    page.get_by_label("Prognos hela projektet för 6115 Resurscenter Alhagsvägen, tkr").fill("nio")
    page.get_by_role("button", name="Spara prognoserna").click()
    assert "Inget sparades" in page.get_by_role("alert").inner_text()
    assert cell.input_value() == "-312,5"  # what was typed stays
    _check(page, "investeringar med fel")
    assert InvestmentForecast.history.count() == before
    page.get_by_label("Prognos hela projektet för 6115 Resurscenter Alhagsvägen, tkr").fill(
        "-89 000"
    )
    page.get_by_role("button", name="Spara prognoserna").click()
    assert "Prognosen sparad för 1 projekt: 3083 NY RECEPTION JOBBCENTER" in (
        page.locator(".messages").inner_text()
    )
    assert InvestmentForecast.history.count() == before + 1  # one cell changed, one written
    assert InvestmentForecast.objects.get(project__number="3083", event=d2).amount == Decimal(
        -312500
    )
    annual = page.get_by_role("table", name="Ack utfall, budget och prognos 2020, tkr")
    row = annual.get_by_role("row", name="3083 NY RECEPTION JOBBCENTER")
    assert row.get_by_role("cell").last.inner_text().replace("\xa0", " ") == "-313"

    # the approved D1: the figures, no form
    page.get_by_label("Rapporttillfälle").select_option(label="Delårsrapport 1 2020 (godkänt)")
    page.get_by_role("button", name="Visa").click()
    assert "investeringsprognoserna är låsta" in page.locator("main").inner_text()
    assert page.get_by_role("button", name="Spara prognoserna").count() == 0
    _check(page, "investeringar D1")
