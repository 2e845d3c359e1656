"""A unit manager types a wrong figure into a report text in a real Chromium and sees the
warning beside the text before saving; correcting it removes the warning; axe-core clean."""

from __future__ import annotations

import pytest

from tests.web.browserkit import assert_accessible, no_horizontal_scroll, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_typing_a_wrong_figure_shows_the_warning_beside_the_text(
    page, live_server, client, cast, node, d2
):
    from styra.reports.models import NarrativeText

    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in(page, client, live_server, cast["enhetschef"])
    page.goto(f"{live_server.url}/rapporter/{node('JC').pk}/2020-D2/delarsrapport/text/analys/")
    box = page.get_by_role("textbox", name="Text")
    check = page.locator("#textkontroll")
    box.click()
    page.keyboard.type("Genom vakanser gör Jobbcenter ett överskott på 0,9 mkr.")
    warning = check.locator(".text-warnings")
    warning.wait_for(timeout=15000)
    text = warning.inner_text()
    assert "0,9 mkr" in text and "0,6 mkr" in text
    assert not NarrativeText.objects.exists()  # typing saves nothing
    # Beside the text on a wide screen: the warning starts level with the box, to its right.
    b, w = box.bounding_box(), check.bounding_box()
    assert w["x"] >= b["x"] + b["width"] and abs(w["y"] - b["y"]) < 40
    assert_accessible(page, "textform med varning")

    # Correcting the figure clears the warning; saving keeps the corrected text.
    box.fill("Genom vakanser gör Jobbcenter ett överskott på 0,6 mkr.")
    check.locator(".text-ok").wait_for(timeout=15000)
    assert check.locator(".text-warnings").count() == 0
    page.get_by_label("Klar (klarmarkera delen)").check()
    page.get_by_role("button", name="Spara").click()
    page.locator(".messages").wait_for()
    row = NarrativeText.objects.get(unit=node("JC"), part="analys")
    assert row.text.endswith("0,6 mkr.") and row.ready

    # On a phone the box uses the width and the check sits under it.
    page.set_viewport_size({"width": 390, "height": 800})
    page.reload()
    b, w = box.bounding_box(), check.bounding_box()
    assert b["width"] > 300 and w["y"] > b["y"] + b["height"] - 1
    assert no_horizontal_scroll(page)
    assert_accessible(page, "textform 390 px")

    # The controller's status view shows the unit's text as klar.
    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in(page, client, live_server, cast["controller"])
    page.goto(f"{live_server.url}/lage/{node('AVUN').pk}/?handelse=2020-D2")
    texts = page.locator(f"#enhet-{node('JC').pk}").locator('td[data-label="Texter"]')
    assert texts.locator(".state").inner_text().startswith("Klar")
    assert_accessible(page, "läget med texter")


def test_without_script_the_warning_shows_after_saving(
    browser, live_server, client, cast, node, d2
):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, client, live_server, cast["enhetschef"])
    page.goto(f"{live_server.url}/rapporter/{node('JC').pk}/2020-D2/delarsrapport/text/analys/")
    page.get_by_role("textbox", name="Text").fill("Jobbcenter gör ett överskott på 0,9 mkr.")
    page.get_by_role("button", name="Spara").click()
    assert "0,9 mkr" in page.locator("#textkontroll .text-warnings").inner_text()
    context.close()
