"""Login and the organisation tree in a real Chromium (Debian's), driven by Playwright."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page, live_server, username, password="styra-demo"):
    page.goto(live_server.url + "/")
    assert "/logga-in/" in page.url
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in").click()


def test_login_and_tree(page, live_server, cast):
    login(page, live_server, "controller")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Välkommen")
    assert page.locator("html").get_attribute("lang") == "sv"
    page.get_by_role("navigation", name="Huvudmeny").get_by_role(
        "link", name="Organisation"
    ).click()
    tree = page.get_by_role("navigation", name="Organisationsträd")
    for name in ["Jobbcenter", "Daglig verksamhet", "Näringslivsenheten", "Nämnd"]:
        assert tree.get_by_role("link", name=name, exact=True).is_visible()
    page.get_by_label("Visa enheter som gäller år").fill("2020")
    page.get_by_role("button", name="Visa").click()
    assert tree.get_by_role("link", name="Näringslivsenheten").count() == 0
    tree.get_by_role("link", name="Jobbcenter").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Jobbcenter"


def test_wrong_password_is_told_and_kept_out(page, live_server, cast):
    login(page, live_server, "controller", password="fel")
    assert page.get_by_role("alert").inner_text().startswith("Fel användarnamn eller lösenord")
    assert "/logga-in/" in page.url


def test_skip_link_is_first_and_reaches_main(page, live_server, cast):
    login(page, live_server, "ledamot")
    page.wait_for_url(live_server.url + "/")  # the start page, not the login form
    page.get_by_role("heading", level=1).wait_for()
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused.strip() == "Hoppa till innehållet"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_phone_width_has_no_horizontal_scroll(page, live_server, cast):
    page.set_viewport_size({"width": 375, "height": 740})
    login(page, live_server, "controller")
    page.goto(live_server.url + "/organisation/")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
