"""A controller enters a control result with a finding and an action in Chromium; the
action then waits with its due date on the responsible person's start page. Every page
on the way passes axe-core."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth import get_user_model

from tests.reports.test_browser import AXE, _axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, client, live_server, username):
    client.force_login(get_user_model().objects.get(username=username))
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def _no_axe_violations(page):
    if not AXE.exists():
        pytest.skip("node_modules/axe-core saknas: kör `npm ci` i repots rot")
    violations = _axe(page)
    assert violations == [], f"{page.url}: {json.dumps(violations, ensure_ascii=False)}"


def test_controller_enters_result_and_the_action_reaches_the_responsibles_start_page(
    page, live_server, client, sn_plan, settings
):
    settings.STYRA_TODAY = "2023-09-05"
    _login(page, client, live_server, "sn-controller")
    page.goto(live_server.url + "/")
    card = page.locator(".card-control")
    # the controller's own: the open action from June and the controls due in September
    assert "2023-10-31" in card.inner_text()
    assert "Kontroll av fakturor avseende direktupphandlingar" in card.inner_text()
    _no_axe_violations(page)

    page.get_by_role("navigation", name="Huvudmeny").get_by_role(
        "link", name="Intern kontroll"
    ).click()
    page.get_by_role("link", name="Internkontrollplan 2023 – Socialnämnden").click()
    assert page.locator("#risker-tabell tbody tr").count() == 7
    assert page.locator("svg.chart title").first.text_content().startswith("Riskmatris 2023")
    _no_axe_violations(page)

    page.get_by_role(
        "link", name="Registrera resultat för Stickprovskontroll av dokumentation"
    ).click()
    page.get_by_label("Utförd (datum)").fill("2023-09-04")
    page.get_by_label("Vad som kontrollerades").fill(
        "Arbetsmiljöuppgifter för förvaltningschef och fyra enheter"
    )
    page.get_by_label("Antal i populationen").fill("14")
    page.get_by_label("Antal i stickprovet").fill("4")
    page.get_by_label("Iakttagelser").fill(
        "En enhet saknar aktuell fördelning av arbetsmiljöuppgifter."
    )
    page.get_by_label("Med brister").check()
    first = page.get_by_role("group", name="Åtgärd 1", exact=False)
    first.get_by_label("Åtgärd", exact=False).first.fill(
        "Uppdatera fördelningen av arbetsmiljöuppgifter"
    )
    first.get_by_label("Ansvarig person").select_option(label="Samir Sekreterare")
    first.get_by_label("Klart senast").fill("2023-11-15")
    _no_axe_violations(page)
    page.get_by_role("button", name="Spara resultatet").click()
    assert "med 1 åtgärd" in page.get_by_role("status").first.inner_text()
    assert page.get_by_text("Uppdatera fördelningen av arbetsmiljöuppgifter").first.is_visible()

    _login(page, client, live_server, "sn-sekreterare")
    page.goto(live_server.url + "/")
    card = page.locator(".card-control")
    assert "Uppdatera fördelningen av arbetsmiljöuppgifter" in card.inner_text()
    assert "klar senast 2023-11-15 (om 71 dagar)" in card.inner_text()
    card.get_by_role("link", name="Följ upp", exact=False).click()
    page.get_by_label("Uppföljning").fill("Fördelningen är uppdaterad och signerad.")
    page.get_by_label("Klar (datum").fill("2023-09-05")
    _no_axe_violations(page)
    page.get_by_role("button", name="Spara uppföljningen").click()
    page.goto(live_server.url + "/")
    assert page.locator(".card-control").count() == 0


def test_a_wrong_result_is_told_and_nothing_is_saved(page, live_server, client, sn_plan, settings):
    from styra.control.models import ControlResult

    settings.STYRA_TODAY = "2023-09-05"
    before = ControlResult.objects.count()
    _login(page, client, live_server, "sn-controller")
    page.goto(live_server.url + f"/intern-kontroll/{sn_plan.committee_id}/2023/")
    page.get_by_role(
        "link", name="Registrera resultat för Kontroll av informationsägarskap"
    ).click()
    page.get_by_label("Utförd (datum)").fill("2022-06-01")
    page.get_by_label("Vad som kontrollerades").fill("Förteckningen")
    page.get_by_label("Med brister").check()
    page.get_by_role("button", name="Spara resultatet").click()
    alert = page.get_by_role("alert").inner_text()
    assert "utanför" in alert and "Inget sparades" in alert
    assert ControlResult.objects.count() == before
    _no_axe_violations(page)


def test_controller_builds_a_plan_in_the_browser(page, live_server, client, demo_org):
    _login(page, client, live_server, "sn-controller")
    page.goto(live_server.url + "/intern-kontroll/")
    page.get_by_label("År").fill("2024")
    page.get_by_role("button", name="Skapa planen").click()
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Internkontrollplan 2024 – Socialnämnden"
    )
    risk = page.get_by_role("group", name="Ny risk", exact=False)
    risk.get_by_label("Område").fill("Område 1 - Myndighetsutövning")
    risk.get_by_label("Risk:", exact=True).fill("Utredningar av barn blir inte klara i tid")
    risk.get_by_label("Sannolikhet").select_option(label="3 Möjlig")
    risk.get_by_label("Konsekvens").select_option(label="4 Allvarlig")
    page.get_by_role("button", name="Spara risken").click()
    assert page.locator("#risker-tabell .risk-value").all_inner_texts() == ["12"]
    control = page.get_by_role("group", name="Ny kontroll", exact=False)
    control.get_by_label("Kontroll:", exact=True).fill("Stickprov av utredningstider")
    control.get_by_label("Urval").fill("minst 10 utredningar per kvartal")
    control.get_by_label("Månader").fill("mars och september")
    page.get_by_role("button", name="Spara kontrollen").click()
    text = page.locator("main").inner_text()
    assert "Månader: mars, september." in text and "minst 10 utredningar per kvartal" in text
    page.get_by_label("Nämndens beslut (datum)").fill("2023-12-12")
    page.get_by_role("button", name="Spara versionen").click()
    assert "Version 1 är sparad" in page.get_by_role("status").first.inner_text()
    _no_axe_violations(page)
    # a month that is not a month is told and nothing is stored
    control = page.get_by_role("group", name="Ny kontroll", exact=False)
    control.get_by_label("Kontroll:", exact=True).fill("Fel")
    control.get_by_label("Månader").fill("vår")
    page.get_by_role("button", name="Spara kontrollen").click()
    assert "ingen månad" in page.get_by_role("alert").inner_text()
