"""The unit manager's forecast form on deadline day, in a real Chromium: live deviations
and totals, a comment required above the controller's threshold, proposals that never
overwrite what was typed, klarmarkering, and a read-only form afterwards."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.web.browserkit import assert_accessible, no_horizontal_scroll, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def d2(cast, node, settings):
    from styra.calendar.services import event_ensure
    from styra.demo import finance as demo_finance
    from styra.demo import ledger as demo_ledger
    from tests.actors import SYSTEM

    settings.STYRA_TODAY = "2020-08-28"
    demo_ledger.build()
    demo_finance.build()
    return event_ensure(
        actor=SYSTEM, committee=node("AVUN"), code="2020-D2", comment_threshold=Decimal(100000)
    )


def _row(page, name):
    return page.locator("tbody tr", has=page.get_by_role("rowheader", name=name, exact=True))


def test_forecast_with_required_comment_then_klar(page, live_server, client, cast, node, d2):
    from styra.finance.models import Forecast

    jc = node("JC")
    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in(page, client, live_server, cast["enhetschef"])
    page.goto(f"{live_server.url}/ekonomi/{jc.pk}/prognos/2020-D2/")
    assert "större än 100 000 kr" in page.locator("main").inner_text().replace("\u00a0", " ")
    # Row labels stay in view while the table scrolls; the input column is on screen.
    box = page.get_by_role("textbox", name="Prognos helår Varor").bounding_box()
    assert box["x"] + box["width"] <= 1366

    rent = _row(page, "Externa lokalhyror")
    total_before = page.locator(".total-forecast").inner_text()
    rent.get_by_role("textbox", name="Prognos helår Externa lokalhyror").fill("-700")
    assert "700" in rent.locator("td.col-deviation").inner_text()
    assert "dev-neg" in rent.locator("td.col-deviation").get_attribute("class")
    assert rent.locator(".comment-required").is_visible()
    assert page.locator(".total-forecast").inner_text() != total_before

    # Filling empty rows never touches a typed one.
    page.get_by_role("button", name="Fyll tomma rader: utfall + återstående budget").click()
    assert (
        rent.get_by_role("textbox", name="Prognos helår Externa lokalhyror").input_value() == "-700"
    )
    housing = page.get_by_role("textbox", name="Prognos helår Externa bostads- och lokalhyror")
    assert housing.input_value() == "197"
    assert_accessible(page, "prognosformuläret")

    # Klar is refused while a large deviation has no comment; what was typed is saved.
    page.get_by_role("button", name="Spara och klarmarkera").click()
    error = page.locator("main p.error[role=alert]").first.inner_text()
    assert "Skriv en kommentar" in error and "Externa lokalhyror" in error
    saved = Forecast.objects.get(event=d2, unit=jc, row_code="lokalhyror")
    assert saved.amount == Decimal(-700000)
    assert not d2.ready.filter(unit=jc).exists()

    labels = [
        a.get_attribute("aria-label") for a in page.locator("textarea[aria-invalid='true']").all()
    ]
    assert "Kommentar Externa lokalhyror" in labels
    for label in labels:
        page.get_by_role("textbox", name=label, exact=True).fill("Förklaring av avvikelsen")
    page.get_by_role("button", name="Spara och klarmarkera").click()
    assert "är klarmarkerad" in page.locator(".messages").inner_text()
    assert d2.ready.filter(unit=jc).exists()
    # Read-only once klar: nothing to type in and no save buttons.
    assert page.get_by_role("textbox", name="Prognos helår Varor").count() == 0
    assert _row(page, "Varor").locator(".readonly-value").first.is_visible()
    assert page.get_by_role("button", name="Spara prognos").count() == 0
    assert "Klarmarkerad" in page.locator(".readonly-note").inner_text()
    assert_accessible(page, "prognosformuläret, klarmarkerat")

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    assert no_horizontal_scroll(page)
    assert_accessible(page, "prognosformuläret på 390 px")
