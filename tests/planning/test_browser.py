"""Issue 18 in a real Chromium: Socialnämndens controller builds next year's frames from
this year's, adds a ramjustering proposal whose part-year effect is computed from the
start month, registers a state grant and then sees its reporting deadline on the start
page. Every page passes axe-core and fits 390 px without sideways scrolling of the page."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from styra.planning import selectors, services
from styra.planning.models import FramePlan, Grant
from tests.actors import SYSTEM
from tests.web.browserkit import assert_accessible, no_horizontal_scroll, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
K = Decimal(1000)


@pytest.fixture
def sn_plan(demo_org, settings):
    from styra.org.models import OrgNode

    settings.STYRA_TODAY = "2020-09-03"
    sn = OrgNode.objects.get(code="SN", kind="committee")
    plan = services.frame_plan_create(
        actor=SYSTEM, committee=sn, budget_year=2020, opening=-624440 * K
    )
    services.adjustment_save(
        actor=SYSTEM,
        plan=plan,
        kind="lon_pris",
        amounts={2020: -18247 * K, 2021: -19451 * K, 2022: -19274 * K, 2023: -20066 * K},
    )
    services.adjustment_save(
        actor=SYSTEM, plan=plan, kind="satsning", text="Lönesatsning", amounts={2019: -3800 * K}
    )
    return plan


def test_controller_plans_the_next_year_in_the_browser(page, live_server, client, sn_plan):
    user = get_user_model().objects.get(username="sn-controller")
    sign_in(page, client, live_server, user)
    sn = sn_plan.committee

    # The committee's plans; build 2021's frames from 2020's.
    page.goto(f"{live_server.url}/planering/")
    assert_accessible(page, "planering")
    page.get_by_role("link", name="Socialnämnden").click()
    assert page.locator("h1").inner_text() == "Planering: Socialnämnden"
    assert_accessible(page, "planering SN")
    page.get_by_role("button", name="Bygg ramarna för 2021").click()
    page.wait_for_url("**/planering/ramar/*/")
    assert "Mål och budget 2021 med flerårsplan 2022–2024" in page.locator("h1").inner_text()
    new = FramePlan.objects.get(committee=sn, budget_year=2021)
    # 2020's ingående budget is 2019's frame (−624 440 − 3 800), shown exactly.
    assert page.get_by_role("textbox", name="Ingående budget 2020").input_value() == "-628\xa0240"
    frame_row = page.locator("tr", has_text="Preliminära budgetramar")
    assert "-646\xa0487" in frame_row.inner_text()  # 2020: −628 240 − 18 247
    assert_accessible(page, "ramar 2021")

    # A proposal starting in October: the part-year effect is a quarter of the year.
    page.get_by_role("link", name="Nytt förslag till ramjustering").click()
    page.get_by_label("Rubrik").fill("Spelmissbruk")
    page.get_by_label("BK 1: Volymökning").check()
    page.get_by_label("Beskrivning av föreslagen justering").fill(
        "Fler behöver stöd mot spelberoende."
    )
    page.get_by_label("Beräknad start, år").select_option("2021")
    page.get_by_label("månad", exact=True).select_option("10")
    page.get_by_role("textbox", name="Personalkostnader Helårseffekt").fill("-1 200")
    page.get_by_label("Räkna delårseffekten från startmånaden").check()
    assert_accessible(page, "nytt förslag")
    page.get_by_role("button", name="Spara förslaget").click()
    page.wait_for_url("**/planering/ramar/*/#forslag")
    status = page.get_by_role("status").inner_text()
    assert "delårseffekt -300 tkr 2021" in status and "helårseffekt -1\xa0200 tkr" in status
    proposed = page.locator("tr", has_text="Summa föreslagna justeringar").inner_text()
    assert "-300" in proposed and "-1\xa0200" in proposed
    (view,) = selectors.proposals_of(new)
    assert view.part_net == -300 * K
    assert selectors.frames_table(new).proposed.amounts[2022] == -1200 * K

    # A state grant whose report is due in twelve days shows on the start page.
    page.goto(f"{live_server.url}/planering/{sn.pk}/statsbidrag/")
    page.get_by_role("link", name="Registrera ett statsbidrag").click()
    page.get_by_label("Statsbidrag", exact=True).fill("Personligt ombud 2020")
    page.get_by_label("Bidragsgivare").fill("Länsstyrelsen i Stockholms län")
    page.get_by_label("Hantering").select_option("ansoka")
    page.get_by_label("Återrapporteras senast").fill("2020-09-15")
    page.get_by_label("2020", exact=True).fill("800")
    assert_accessible(page, "nytt statsbidrag")
    page.get_by_role("button", name="Spara statsbidraget").click()
    page.wait_for_url(f"**/planering/{sn.pk}/statsbidrag/")
    assert "Personligt ombud 2020" in page.locator("table").inner_text()
    assert_accessible(page, "statsbidrag")
    assert Grant.objects.get().report_by == dt.date(2020, 9, 15)
    page.goto(f"{live_server.url}/")
    card = page.locator(".card", has_text="Controller – Socialnämnden").inner_text()
    assert "Personligt ombud 2020: återrapporteras senast 2020-09-15 – inom 30 dagar" in card

    # The other planning pages pass axe too.
    inv = services.investment_save(
        actor=SYSTEM, plan=new, number="6266", name="Boende A", group="fastighet", status="P",
        amounts={2021: -40000 * K},
    )  # fmt: skip
    services.investment_basis_save(
        actor=SYSTEM, investment=inv, go_live_year=2024, go_live_month=6,
        property_amount=81600 * K, property_costs=1146 * K,
        components=[{"name": "Stomme", "amount": 81600 * K, "life": 50}],
    )  # fmt: skip
    for path in (
        f"/planering/ramar/{new.pk}/effektivisering/",
        f"/planering/ramar/{new.pk}/investeringar/",
        f"/planering/investering/{inv.pk}/",
        f"/planering/ramar/{new.pk}/mal/",
    ):
        page.goto(live_server.url + path)
        assert page.locator("h1").count() == 1, path
        assert_accessible(page, path)

    # The pages fit a phone.
    page.set_viewport_size({"width": 390, "height": 800})
    for path in (f"/planering/ramar/{new.pk}/", f"/planering/{sn.pk}/statsbidrag/"):
        page.goto(live_server.url + path)
        assert no_horizontal_scroll(page), path
