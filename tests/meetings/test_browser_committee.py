"""The secretary keeps the nämnd in the browser: roster, sammanträdesordning with a
reporting event placed on a meeting, and a delegationsordning with a new version."""

from __future__ import annotations

import pytest

from styra.calendar.models import ReportingEvent
from styra.meetings.models import DelegationCode, Membership

from .browser import axe_clean, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_secretary_keeps_roster_calendar_and_delegation_in_the_browser(
    page, live_server, cast, node, settings
):
    settings.STYRA_TODAY = "2020-09-03"  # inside the 2019–2022 term
    avun = node("AVUN")
    event = ReportingEvent.objects.create(
        committee=avun, code="2021-D1", year=2021, cutoff_period=4
    )
    login(page, live_server, "sekreterare")
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Nämnden").click()
    page.get_by_role("link", name=f"Ledamöter och ersättare – {avun.name}").click()
    axe_clean(page)

    page.get_by_label("Mandatperiodens namn").fill("2019–2022")
    page.get_by_label("Börjar").fill("2019-01-01")
    page.get_by_label("Slutar").fill("2022-12-31")
    page.get_by_role("button", name="Spara mandatperiod").click()
    page.get_by_label("Partiets namn").fill("Centerpartiet")
    page.get_by_label("Förkortning").fill("C")
    page.get_by_role("button", name="Spara parti").click()
    for name, post in [("Greta Ordförande", "Ordförande"), ("Hugo Ersättare", "Ersättare")]:
        page.get_by_label("Namn:", exact=True).fill(name)
        page.get_by_label("Uppdrag:", exact=True).select_option(label=post)
        page.get_by_label("Parti:", exact=True).select_option(label="Centerpartiet")
        page.get_by_label("Mandatperiod:", exact=True).select_option(label="2019–2022")
        page.get_by_label("E-post (för kallelser)").fill(name.split()[0].lower() + "@k.example")
        page.get_by_role("button", name="Lägg till uppdrag").click()
        assert page.get_by_role("rowheader", name=name).is_visible()
    row = page.get_by_role("row").filter(has_text="Hugo Ersättare")
    assert "Ersättare" in row.inner_text() and "C" in row.inner_text()
    row.get_by_label("Sista dag för Hugo Ersättare").fill("2020-12-31")
    row.get_by_role("button", name="Avsluta").click()
    assert Membership.objects.get(person__name="Hugo Ersättare").end_date.isoformat() == (
        "2020-12-31"
    )
    axe_clean(page)

    page.goto(live_server.url + f"/namnden/{avun.pk}/sammantradesordning/?ar=2021")
    page.get_by_label("År:", exact=True).fill("2021")
    page.get_by_role("textbox", name="Sammanträdesdagar").fill("2021-02-11\n2021-05-20\n2021-09-16")
    page.get_by_label("Tid:", exact=True).fill("18:00")
    page.get_by_label("Plats:", exact=True).fill("Kommunhuset")
    page.get_by_role("button", name="Spara sammanträdesordningen").click()
    assert page.get_by_role("link", name="2021-05-20 18:00").is_visible()
    page.locator(f"#event-{event.pk}").select_option(label="2021-05-20")
    page.get_by_role("button", name="Spara rapporttillfällen").click()
    assert [m.date.isoformat() for m in event.meetings.all()] == ["2021-05-20"]
    axe_clean(page)

    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Nämnden").click()
    page.get_by_role("link", name=f"Delegationsordning – {avun.name}").click()
    for delegates, day in [("Enhetschef", "2020-01-01"), ("Verksamhetschef", "2020-07-01")]:
        page.get_by_label("Punkt (kod)").fill("B3")
        page.get_by_label("Ärendetyp").fill("Beslut om ledighet")
        page.get_by_label("Delegat (roller").fill(delegates)
        page.get_by_label("Gäller från").fill(day)
        page.get_by_role("button", name="Spara punkten").click()
    history = page.get_by_role("table", name="Tidigare versioner")
    assert "Enhetschef" in history.inner_text() and "2020-06-30" in history.inner_text()
    assert DelegationCode.objects.filter(committee=avun, code="B3").count() == 2
    axe_clean(page)
