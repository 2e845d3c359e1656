"""The unit manager enters volumes in the volumes table in a real Chromium; the status view
shows the volume state; axe-core clean at 1366 and 390 px."""

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


def test_unit_manager_enters_volumes_and_the_status_shows_them(
    page, live_server, client, cast, node, d2
):
    from styra.finance.models import VolumeValue

    VolumeValue.objects.filter(kind="forecast").delete()
    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in(page, client, live_server, cast["enhetschef"])
    page.goto(f"{live_server.url}/ekonomi/{node('JC').pk}/volymer/?handelse=2020-D2")
    page.get_by_label("Arbetsmarknadsprogram, prognos").fill("395,5")
    page.get_by_label("Sommarjobb/feriepraktik, prognos").fill("1 300")
    page.get_by_label("Arbetsmarknadsprogram, utfall hittills").fill("tre")
    page.get_by_role("button", name="Spara volymer").click()
    assert "Inget sparades" in page.locator("main").inner_text()
    assert page.get_by_label("Arbetsmarknadsprogram, prognos").input_value() == "395,5"
    assert not VolumeValue.objects.filter(kind="forecast").exists()
    assert_accessible(page, "volymer med fel")
    page.get_by_label("Arbetsmarknadsprogram, utfall hittills").fill("392")
    page.get_by_role("button", name="Spara volymer").click()
    assert "2 volymvärden sparade" in page.locator(".messages").inner_text()
    forecasts = dict(
        VolumeValue.objects.filter(kind="forecast", event=d2).values_list("volume__code", "value")
    )
    assert forecasts == {"amp_platser": Decimal("395.5"), "ferie_personer": Decimal(1300)}
    assert_accessible(page, "volymer")
    page.set_viewport_size({"width": 390, "height": 800})
    page.reload()
    assert no_horizontal_scroll(page)
    assert_accessible(page, "volymer 390 px")

    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in(page, client, live_server, cast["controller"])
    page.goto(f"{live_server.url}/lage/{node('AVUN').pk}/?handelse=2020-D2")
    row = page.locator(f"#enhet-{node('JC').pk}")
    assert "Klar" in row.locator('td[data-label="Volymer"]').inner_text()
    assert_accessible(page, "läget med volymer")
