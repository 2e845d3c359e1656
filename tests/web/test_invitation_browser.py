"""Item 1 of the gaps, in Chromium: the secretary adds a member with a login; the invitation
reaches a real SMTP server (aiosmtpd); the member follows the link, chooses a password and
logs in. "Glömt lösenordet?" on the login page does the same for a forgotten password,
with the same answer for an address nobody has."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.meetings.browser import axe_clean, login, logout

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LINK = re.compile(r"https?://[^\s]+/logga-in/valj-losenord/[^/\s]+/[^/\s]+/")


def _link(smtp_server, address: str) -> str:
    mails = smtp_server.to(address)
    assert mails, f"inget brev till {address}"
    return LINK.search(mails[-1].get_content()).group(0)


def test_member_invited_by_the_secretary_sets_a_password_and_logs_in(
    page, live_server, cast, node, smtp_server
):
    avun = node("AVUN")
    login(page, live_server, "sekreterare")
    page.goto(live_server.url + f"/namnden/{avun.pk}/ledamoter/")
    page.get_by_label("Namn:", exact=True).fill("Nora Nyström")
    page.get_by_label("Uppdrag:", exact=True).select_option(label="Ledamot")
    page.get_by_label("Från", exact=False).first.fill("2020-01-01")
    page.get_by_label("E-post (för kallelser)").fill("nora@kommun.example")
    page.get_by_label("Inloggning").fill("nora")
    page.get_by_role("button", name="Lägg till uppdrag").click()
    expect(page.get_by_role("rowheader", name="Nora Nyström")).to_be_visible()
    expect(page.get_by_role("status").first).to_contain_text("skickad till nora@kommun.example")
    row = page.get_by_role("row", name=re.compile("Nora Nyström"))
    expect(row).to_contain_text("inget lösenord än")
    axe_clean(page)
    first = _link(smtp_server, "nora@kommun.example")
    # sent again from the roster: a new link, the same address
    row.get_by_role("button", name=re.compile("Skicka inbjudan")).click()
    expect(page.get_by_role("status").first).to_contain_text("skickad till nora@kommun.example")
    assert len(smtp_server.to("nora@kommun.example")) == 2
    logout(page)

    page.goto(_link(smtp_server, "nora@kommun.example"))
    expect(page.get_by_role("heading", name="Välj lösenord")).to_be_visible()
    axe_clean(page)
    page.get_by_label("Nytt lösenord").fill("Kanelbulle-2020")
    page.get_by_label("Samma lösenord igen").fill("Kanelbulle-2021")
    page.get_by_role("button", name="Spara lösenordet").click()
    expect(page.get_by_role("alert")).to_be_visible()
    axe_clean(page)
    page.get_by_label("Nytt lösenord").fill("Kanelbulle-2020")
    page.get_by_label("Samma lösenord igen").fill("Kanelbulle-2020")
    page.get_by_role("button", name="Spara lösenordet").click()
    expect(page.get_by_role("heading", name="Lösenordet är sparat")).to_be_visible()
    axe_clean(page)
    page.get_by_role("link", name="Logga in").last.click()
    login(page, live_server, "nora", "Kanelbulle-2020")
    expect(page.get_by_role("button", name="Logga ut")).to_be_visible()
    logout(page)
    # both links are spent now (the password changed)
    for link in (first, _link(smtp_server, "nora@kommun.example")):
        page.goto(link)
        expect(page.get_by_text("Länken fungerar inte längre")).to_be_visible()


def test_forgot_password_from_the_login_page(page, live_server, cast, smtp_server):
    cast["ledamot"].email = "lena@kommun.example"
    cast["ledamot"].save(update_fields=["email"])
    page.goto(live_server.url + "/logga-in/")
    page.get_by_role("link", name="Glömt lösenordet?").click()
    expect(page.get_by_role("heading", name="Glömt lösenordet?")).to_be_visible()
    axe_clean(page)
    page.get_by_label("E-postadress").fill("ingen.alls@kommun.example")
    page.get_by_role("button", name="Skicka länken").click()
    unknown = page.get_by_role("status").inner_text()
    axe_clean(page)
    page.goto(live_server.url + "/logga-in/glomt/")
    page.get_by_label("E-postadress").fill("lena@kommun.example")
    page.get_by_role("button", name="Skicka länken").click()
    assert page.get_by_role("status").inner_text() == unknown  # nothing told either way
    assert smtp_server.to("ingen.alls@kommun.example") == []

    page.goto(_link(smtp_server, "lena@kommun.example"))
    page.get_by_label("Nytt lösenord").fill("Semla-med-mandel-9")
    page.get_by_label("Samma lösenord igen").fill("Semla-med-mandel-9")
    page.get_by_role("button", name="Spara lösenordet").click()
    expect(page.get_by_role("heading", name="Lösenordet är sparat")).to_be_visible()
    login(page, live_server, "ledamot", "Semla-med-mandel-9")
    expect(page.get_by_role("button", name="Logga ut")).to_be_visible()
