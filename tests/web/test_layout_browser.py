"""The layout in a real Chromium: the menu per role folding on a phone, the follow-up
using the full width with a fixed first column, levels opening in place, and the phone's
cards with Prognos and Avvikelse first. axe-core finds nothing on each page."""

from __future__ import annotations

import pytest

from tests.web.browserkit import assert_accessible, no_horizontal_scroll, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def economy(cast):
    from styra.demo import finance as demo_finance
    from styra.demo import ledger as demo_ledger

    demo_ledger.build()
    demo_finance.build()
    return cast


def _grid(live_server, node):
    return f"{live_server.url}/ekonomi/{node('AVUN').pk}/uppfoljning/?handelse=2020-D2"


def test_follow_up_fits_1366_and_opens_levels_in_place(page, live_server, client, economy, node):
    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in(page, client, live_server, economy["controller"])
    page.goto(_grid(live_server, node))
    assert no_horizontal_scroll(page)
    table = page.get_by_role("table", name="Netto per verksamhet")
    heading = table.get_by_role("columnheader", name="Avvikelse 2020")
    box = heading.bounding_box()
    assert box["x"] + box["width"] <= 1366, "the Avvikelse column is cut off"
    assert table.get_by_role("rowheader", name="Arbetsmarknadsprogram").count() == 0
    # Jobbcenter opens in place: its sub-units appear right under it, the page stays.
    table.get_by_role("link", name="Öppna Jobbcenter: enheterna under").click()
    sub = table.get_by_role("rowheader", name="Arbetsmarknadsprogram", exact=True)
    sub.wait_for()
    assert table.get_by_role("rowheader", name="Sommarjobb/feriepraktik").is_visible()
    names = table.locator("tbody tr.level-0 th").all_inner_texts()
    jc = next(i for i, n in enumerate(names) if "Jobbcenter" in n)
    assert "Arbetsmarknadsprogram" in names[jc + 1]
    assert "oppna=" in page.url  # the opened state is an address: reload and share it
    assert_accessible(page, "uppföljningen, Jobbcenter öppnad")
    table.get_by_role("link", name="Stäng Jobbcenter: enheterna under").click()
    sub.wait_for(state="detached")
    # The deviation is told in text too, not by colour alone.
    cell = table.locator("tr", has=page.get_by_role("rowheader", name="Jobbcenter")).locator(
        "td.col-deviation"
    )
    assert "bättre än budget" in cell.inner_text() or "sämre än budget" in cell.inner_text()


def test_first_column_stays_when_the_table_scrolls(page, live_server, client, economy, node):
    page.set_viewport_size({"width": 700, "height": 800})
    sign_in(page, client, live_server, economy["controller"])
    page.goto(_grid(live_server, node))
    assert no_horizontal_scroll(page), "the page scrolls, not the table's own frame"
    frame = page.locator(".table-wrap", has=page.get_by_role("table", name="Netto per"))
    first = frame.get_by_role("rowheader", name="Jobbcenter")
    before = first.bounding_box()["x"]
    assert frame.evaluate("el => el.scrollWidth > el.clientWidth"), "nothing to scroll"
    frame.evaluate("el => { el.scrollLeft = el.scrollWidth; }")
    assert abs(first.bounding_box()["x"] - before) < 1
    last = frame.get_by_role("columnheader", name="Avvikelse 2020").bounding_box()
    assert last["x"] + last["width"] <= 700


def test_phone_shows_cards_with_forecast_and_deviation_first(
    page, live_server, client, economy, node
):
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, client, live_server, economy["controller"])
    page.goto(_grid(live_server, node))
    assert no_horizontal_scroll(page)
    row = page.locator("tr", has=page.get_by_role("rowheader", name="Daglig verksamhet"))
    forecast = row.locator("td.col-forecast").bounding_box()
    deviation = row.locator("td.col-deviation").bounding_box()
    outcome = row.locator("td").first.bounding_box()  # Bokslut, first in the source order
    assert forecast["y"] < outcome["y"] and deviation["y"] < outcome["y"]
    assert (
        row.locator("td.col-forecast").evaluate("el => getComputedStyle(el, '::before').content")
        == '"Prognos: "'
    )
    assert_accessible(page, "uppföljningen på 390 px")


def test_menu_folds_on_a_phone_and_shows_what_the_role_uses(page, live_server, client, economy):
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, client, live_server, economy["enhetschef"])
    page.goto(live_server.url + "/")
    menu = page.get_by_role("navigation", name="Huvudmeny")
    toggle = page.get_by_role("button", name="Meny")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not menu.get_by_role("link", name="Start").is_visible()
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert menu.get_by_role("link", name="Ekonomi").is_visible()
    labels = menu.get_by_role("link").all_inner_texts()
    assert "Sammanträden" not in labels and "Granska rapport" not in labels
    assert no_horizontal_scroll(page)
    assert_accessible(page, "startsidan på 390 px med menyn öppen")
    # On a wide screen the whole menu is one row.
    page.set_viewport_size({"width": 1366, "height": 900})
    assert not toggle.is_visible()
    tops = {round(box["y"]) for box in (a.bounding_box() for a in menu.get_by_role("link").all())}
    assert len(tops) == 1, "the menu wraps to two rows"
