"""In Chromium: the secretary marks a case as a remiss with a svarsdatum; the start page
then lists it as overdue, and no longer once it is answered. axe-core at 1366 and 390 px."""

from __future__ import annotations

import pytest

from tests.actors import SYSTEM
from tests.meetings.browser import axe_clean, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_secretary_sets_a_svarsdatum_and_sees_it_on_the_start_page(
    page, live_server, node, settings
):
    from styra.meetings import services

    settings.STYRA_TODAY = "2020-09-03"
    case = services.case_create(
        actor=SYSTEM, committee=node("AVUN"), title="Remiss om regional utvecklingsstrategi"
    )
    login(page, live_server, "sekreterare")
    page.goto(f"{live_server.url}/arenden/{case.pk}/")
    page.get_by_label("Ska besvaras").select_option(label="Remiss")
    page.get_by_label("Svarsdatum").fill("2020-09-01")
    axe_clean(page)
    page.get_by_role("button", name="Spara ärendet").click()
    assert "Ärendet är sparat" in page.get_by_role("status").first.inner_text()

    page.goto(live_server.url + "/")
    card = page.locator(".card-secretary")
    item = card.get_by_role("listitem").filter(has_text=case.title)
    assert "försenad" in item.inner_text()
    assert "svarsdatum 2020-09-01 (2 dagar sen)" in item.inner_text()
    axe_clean(page)

    item.get_by_role("link", name=case.title, exact=False).click()
    page.get_by_label("Besvarad").fill("2020-09-03")
    page.get_by_role("button", name="Spara ärendet").click()
    page.goto(live_server.url + "/")
    assert case.title not in page.locator(".card-secretary").inner_text()
