"""In Chromium, as the controller of Arbetsmarknadsnämnden (Stockholm demo): a result unit's
own-action result above the cap shows the capped transfer; a grant application whose sought
amount differs from its financing table cannot be marked ready. axe-core on every page."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth import get_user_model

from styra.forms.models import GrantApplication, ResultUnitYear
from styra.forms.selectors import result_units_of
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


def _to_forms(page, live_server):
    page.goto(live_server.url + "/")
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Blanketter").click()
    _no_axe_violations(page)
    page.get_by_role("link", name="2021 för Arbetsmarknadsnämnden").click()
    _no_axe_violations(page)


def test_controller_enters_an_own_result_and_sees_the_capped_transfer(
    page, live_server, client, amn_forms
):
    _login(page, client, live_server, "amn-controller")
    _to_forms(page, live_server)
    page.get_by_role("link", name="Jobbtorg Kista").click()
    _no_axe_violations(page)
    page.get_by_label("Varav till följd av enhetens eget handlande").fill("3 000 000")
    page.get_by_label("Förklaring av det egna resultatet").fill(
        "Två större uppdrag från Arbetsförmedlingen under våren."
    )
    page.get_by_role("button", name="Spara").click()
    assert "begränsad till 5 %" in page.get_by_role("status").first.inner_text()
    transfer = page.locator("#overforing").inner_text()
    # 5 % of the gross budget of 42 000 000 kr, not the 3 000 000 kr entered
    assert transfer.startswith("2\u00a0100\u00a0000,00 kr") and "begränsad" in transfer
    _no_axe_violations(page)
    record = ResultUnitYear.objects.get(unit__code="JTK", year=2021)
    (line,) = [x for x in result_units_of(amn_forms, 2021) if x.record == record]
    assert record.own_result == 3_000_000 and line.carry.transfer == 2_100_000
    # the gross budget and the result are read from the budget and the follow-up, not typed
    assert page.locator("#bruttobudget").inner_text().startswith("42\u00a0000\u00a0000,00 kr")
    assert page.locator("#arets-resultat").inner_text().startswith("650\u00a0000,00 kr")
    assert page.get_by_label("Bruttobudget", exact=False).count() == 0


def test_a_grant_application_that_does_not_add_up_cannot_be_marked_ready(
    page, live_server, client, amn_forms
):
    _login(page, client, live_server, "amn-controller")
    _to_forms(page, live_server)
    page.get_by_role("link", name="Ny ansökan om statsbidrag").click()
    _no_axe_violations(page)
    page.get_by_label("Namn på insatsen").fill("Inkluderingslotsar Järva")
    page.get_by_label("Bidragsgivare").fill("Delegationen mot segregation")
    page.get_by_label("Period från").fill("2021-07-01")
    page.get_by_label("Period till").fill("2022-04-30")
    page.get_by_label("Sökt belopp (kr)").fill("979 600")
    costs = [("wage", "1 106 000"), ("overhead", "110 600"), ("external", "125 000"),
             ("other", "88 000")]  # fmt: skip
    for row, (kind, amount) in enumerate(costs, start=1):
        page.get_by_label(f"Kostnad rad {row}: typ").select_option(kind)
        page.get_by_label(f"Kostnad rad {row}: belopp (kr)").fill(amount)
    page.get_by_label("Finansiering rad 1: typ").select_option("grant")
    page.get_by_label("Finansiering rad 1: belopp (kr)").fill("979 000")
    page.get_by_label("Finansiering rad 2: typ").select_option("own")
    page.get_by_label("Finansiering rad 2: belopp (kr)").fill("450 000")
    page.get_by_role("button", name="Spara utkast").click()
    problems = page.locator("#problem").inner_text()
    assert "Summa kostnader (1\u00a0429\u00a0600 kr)" in problems
    assert "Sökt belopp (979\u00a0600 kr)" in problems
    _no_axe_violations(page)

    page.get_by_role("button", name="Markera ansökan klar").click()
    assert "kan inte markeras klar" in page.get_by_role("alert").inner_text()
    application = GrantApplication.objects.get(name="Inkluderingslotsar Järva")
    assert application.status == GrantApplication.Status.DRAFT
    assert application.amounts_check().total_costs == 1_429_600
