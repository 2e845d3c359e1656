"""The status view and the start pages in a real Chromium: each unit's state (klar, pågår,
ej påbörjad, försenad) with links to act, a reminder e-mailed through a real SMTP server,
and a start page that leads with the next step. axe-core finds nothing."""

from __future__ import annotations

import pytest

from tests.web.browserkit import assert_accessible, no_horizontal_scroll, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def economy(cast, settings):
    from styra.demo import finance as demo_finance
    from styra.demo import ledger as demo_ledger

    settings.STYRA_TODAY = "2020-09-03"  # two days after the D2 deadline (2020-09-01)
    demo_ledger.build()
    demo_finance.build()
    cast["enhetschef"].email = "jonas.enhetschef@example.se"
    cast["enhetschef"].save()
    return cast


def _status_row(page, name):
    table = page.get_by_role("table", name="Läget per enhet")
    return table.locator("tr", has=page.get_by_role("rowheader", name=name))


def test_status_view_shows_states_and_sends_a_reminder(
    page, live_server, client, economy, node, smtp_server
):
    from styra.calendar.models import ReportingEvent
    from styra.finance import services

    avun = node("AVUN")
    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in(page, client, live_server, economy["controller"])
    page.goto(live_server.url + "/")
    nxt = page.locator(".card-controller .next-step")
    assert "Nästa steg" in nxt.inner_text() and "försenat" in nxt.inner_text()
    assert nxt.get_by_role("link", name="Jobbcenter").is_visible()  # the missing unit is a link
    assert_accessible(page, "controllerns startsida")
    nxt.get_by_role("link", name="Se läget och skicka påminnelse").click()

    assert "passerad" in page.locator("main").inner_text()
    jc = _status_row(page, "Jobbcenter")
    assert "Pågår, försenad" in jc.locator("td").first.inner_text()
    dv = _status_row(page, "Daglig verksamhet")
    assert dv.locator("td").first.inner_text().startswith("✓ Klar") or "Klar" in dv.inner_text()
    assert "försenad" not in dv.locator("td").first.inner_text()
    assert (
        jc.get_by_role("link", name="Prognosen för Jobbcenter")
        .get_attribute("href")
        .endswith(f"/ekonomi/{node('JC').pk}/prognos/2020-D2/")
    )
    assert_accessible(page, "läget per enhet")

    page.get_by_role("button", name="Skicka påminnelse till Jobbcenter").click()
    assert "Påminnelse om Delårsrapport 2 2020 skickad" in page.locator(".messages").inner_text()
    (mail,) = smtp_server.to("jonas.enhetschef@example.se")
    assert str(mail["Subject"]).strip() == "Påminnelse: Delårsrapport 2 2020, Jobbcenter"
    body = mail.get_content()
    assert "Sista dag för underlaget är 2020-09-01" in body
    assert f"{live_server.url}/ekonomi/{node('JC').pk}/prognos/2020-D2/" in body
    assert "Carin Controller" in body

    # When Jobbcenter marks its forecast ready, the view says klar and offers no reminder.
    event = ReportingEvent.objects.get(committee=avun, code="2020-D2")
    services.forecast_mark_ready(actor=economy["enhetschef"], event=event, unit=node("JC"))
    page.reload()
    jc = _status_row(page, "Jobbcenter")
    assert "Klar" in jc.locator("td").first.inner_text()
    # Its texts are still to write: the reminder stays for them.
    assert "Ej påbörjad" in jc.locator("td").nth(2).inner_text()

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    assert no_horizontal_scroll(page)
    assert_accessible(page, "läget per enhet på 390 px")


def test_unit_manager_start_page_leads_with_the_forecast(page, live_server, client, economy):
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, client, live_server, economy["enhetschef"])
    page.goto(live_server.url + "/")
    nxt = page.locator(".next-step")
    assert "lämna och klarmarkera prognosen senast 2020-09-01" in nxt.inner_text()
    assert "sista dagen har passerat" in nxt.inner_text()
    assert no_horizontal_scroll(page)
    assert_accessible(page, "enhetschefens startsida på 390 px")
    nxt.get_by_role("link", name="Öppna prognosen för Jobbcenter").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Prognos")
