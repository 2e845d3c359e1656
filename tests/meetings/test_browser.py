"""The secretary's way from calendar to a published, justerat protocol, in Chromium."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from styra.meetings.calc import roll_to_working_day

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page, live_server, username, password="styra-demo"):
    page.goto(live_server.url + "/logga-in/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in").click()


def logout(page):
    page.get_by_role("button", name="Logga ut").click()


def test_secretary_goes_from_calendar_to_published_justerat_protocol(page, live_server, members):
    today = timezone.localdate()
    login(page, live_server, "sekreterare")
    page.get_by_role("navigation", name="Huvudmeny").get_by_role(
        "link", name="Sammanträden", exact=True
    ).click()
    page.get_by_label("Nämnd").select_option(label="Arbetsmarknads- och vuxenutbildningsnämnden")
    page.get_by_label("Datum").fill(today.isoformat())
    page.get_by_label("Tid").fill("08:00")
    page.get_by_label("Plats").fill("Kommunhuset och via Microsoft Teams")
    page.get_by_role("button", name="Skapa sammanträde").click()
    assert page.get_by_role("heading", level=1).inner_text().endswith(today.isoformat())

    for kind, title in [
        ("Informationsärende", "Information om samhällsorientering"),
        ("Beslutsärende", "Sammanträdesordning 2021"),
        ("Anmälningsärende", "Lex Sarah-rapport 999"),
    ]:
        page.get_by_label("Typ").select_option(label=kind)
        page.get_by_label("Rubrik").fill(title)
        if title.startswith("Lex Sarah"):
            page.get_by_label("Sekretessdelen").check()
        page.get_by_role("button", name="Lägg till", exact=True).click()
        assert page.get_by_role("cell", name=title).is_visible()

    page.get_by_label("Meddelande i kallelsen").fill("Välkomna!")
    page.get_by_role("button", name="Skapa kallelse").click()
    assert "Kallelsen är skapad" in page.get_by_role("status").first.inner_text()
    assert page.get_by_role("link", name="kallelse", exact=False).count() >= 2  # PDF and DOCX

    page.get_by_role("link", name="Protokoll", exact=True).click()
    page.get_by_role("button", name="Upprätta protokoll").click()
    section = page.get_by_role("region", name="Sammanträdesordning 2021", exact=False)
    section.get_by_label("Beslutstext").fill("Nämnden fastställer sammanträdesordningen för 2021.")
    page.get_by_role("button", name="Spara protokollet").click()
    assert "Protokollet är sparat" in page.get_by_role("status").first.inner_text()

    page.get_by_role("link", name="Upprop: närvaro och justerare").click()
    page.get_by_role("button", name="Spara närvaron").click()
    page.get_by_role("checkbox", name="Ing-Marie Viklund").check()
    page.get_by_role("checkbox", name="Lena Ledamot").check()
    page.get_by_role("button", name="Spara justerare").click()
    page.get_by_role("link", name="Protokoll").last.click()
    meeting_url = page.url
    logout(page)

    for justerare in ("ledamot", "ordforande"):
        login(page, live_server, justerare)
        page.get_by_role("navigation", name="Huvudmeny").get_by_role(
            "link", name="Justering"
        ).click()
        page.get_by_role(
            "link", name=f"Arbetsmarknads- och vuxenutbildningsnämnden {today.isoformat()}"
        ).click()
        expect(
            page.get_by_text("Nämnden fastställer sammanträdesordningen för 2021.")
        ).to_be_visible()
        page.get_by_label("Jag har läst protokollet").check()
        page.get_by_role("button", name="Justera protokollet").click()
        assert "Du har justerat protokollet" in page.get_by_role("status").first.inner_text()
        logout(page)

    login(page, live_server, "sekreterare")
    page.goto(meeting_url)
    assert page.locator("dt:text-is('Justerat') + dd").inner_text() == today.isoformat()
    page.get_by_label("Anslaget uppsatt (datum)").fill(today.isoformat())
    page.get_by_role("button", name="Anslå justeringen").click()
    assert "Justeringen är anslagen" in page.get_by_role("status").first.inner_text()
    page.get_by_role("button", name="Publicera protokollet").click()
    assert "publicerat" in page.get_by_role("status").first.inner_text()
    logout(page)

    page.goto(live_server.url + "/offentligt/")
    page.get_by_role("link", name=f"{today.isoformat()} 08:00").click()
    assert page.get_by_role("heading", name="Protokoll (justerat)").is_visible()
    assert page.get_by_text("Nämnden fastställer sammanträdesordningen för 2021.").is_visible()
    assert f"Protokollet justerades {today.isoformat()}" in page.content()
    assert "Lex Sarah" not in page.content()
    appeal = roll_to_working_day(today + dt.timedelta(days=21)).isoformat()
    assert f"Överklagande (laglighetsprövning) senast {appeal}" in page.content()
