"""A secretary registers a revisionsrapport, answers it and produces the yttrande, in
Chromium; axe-core finds nothing on the way."""

from __future__ import annotations

import pytest

from tests.control.test_browser import _login, _no_axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_secretary_registers_a_revisionsrapport_and_produces_the_yttrande(
    page, live_server, client, demo_org, node
):
    from styra.meetings.services import case_create
    from tests.actors import SYSTEM

    sn = node("SN")
    case = case_create(
        actor=SYSTEM, committee=sn, title="Revision av hemtjänstens avgifter", year=2023
    )
    _login(page, client, live_server, "sn-sekreterare")
    page.goto(live_server.url + "/")
    page.get_by_role("navigation", name="Huvudmeny").get_by_role(
        "link", name="Intern kontroll"
    ).click()
    page.get_by_role("link", name="Revisionsrapporter – Socialnämnden").click()
    _no_axe_violations(page)
    page.get_by_label("Ärende").select_option(label=str(case))
    page.get_by_label("Granskningens rubrik").fill("Granskning av avgifter i hemtjänsten")
    page.get_by_label("Revisorer:", exact=True).fill("De förtroendevalda revisorerna")
    page.get_by_label("Revisionsskrivelsens datum").fill("2023-03-01")
    page.get_by_label("Sista dag för yttrandet").fill("2023-05-31")
    page.get_by_label("Anstånd till").fill("2023-06-30")
    page.get_by_label("Revisionsfrågor").fill(
        "Tas avgifterna ut enligt taxan? | Delvis\nFinns en rutin för jämkning? | Nej"
    )
    page.get_by_label("Rekommendationer").fill(
        "Nämnden inför kontroll av avgiftsbesluten\nNämnden tar fram en rutin för jämkning"
    )
    page.get_by_role("button", name="Registrera revisionsrapporten").click()
    assert "är registrerad" in page.get_by_role("status").first.inner_text()
    assert "2023-06-30" in page.locator("main").inner_text()
    _no_axe_violations(page)

    page.get_by_role("button", name="Skapa yttrandet").click()
    assert "saknar svar" in page.get_by_role("alert").inner_text()

    for n, (answer, action) in enumerate(
        [
            ("Avgiftsbesluten stäms av varje kvartal från hösten.", "Kvartalsvis avstämning"),
            ("En rutin för jämkning tas fram och beslutas.", "Rutin för jämkning"),
        ],
        start=1,
    ):
        group = page.get_by_role("group", name=f"Svar på rekommendation {n}", exact=False)
        group.get_by_label("Nämndens svar").fill(answer)
        group.get_by_label("Åtgärd:", exact=True).fill(action)
        group.get_by_label("eller ansvarig funktion").fill("Enhetschef avgifter")
        group.get_by_label("Klart senast").fill("2023-12-31")
        page.get_by_role("button", name=f"Spara svaret på rekommendation {n}").click()
        assert "Svaret är sparat" in page.get_by_role("status").first.inner_text()

    page.get_by_role("button", name="Skapa yttrandet").click()
    assert "Yttrandet är skapat" in page.get_by_role("status").first.inner_text()
    _no_axe_violations(page)
    with page.expect_download() as info:
        page.get_by_role("link", name="docx", exact=False).click()
    import zipfile

    with zipfile.ZipFile(info.value.path()) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    assert "Avgiftsbesluten stäms av varje kvartal" in xml and "Rutin för jämkning" in xml
    assert case.documents.count() == 2
