"""The controller's administration in a real Chromium: an event with a deadline, a budget
for a sub-unit, a budget change, mapping an unmapped ledger code and a new user with a
role; each page shows who changed what, and axe-core finds nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.web.browserkit import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def economy_with_unmapped_code(cast):
    """The demo economy, except that ansvar 1100 is not mapped in 2020: its ledger rows
    are "Ej kopplat" until someone maps the code."""
    from styra.demo import finance as demo_finance
    from styra.demo import ledger as demo_ledger
    from styra.org.models import DimensionMapping

    deleted, _ = DimensionMapping.objects.filter(
        year=2020, dimension="ansvar", code="1100"
    ).delete()
    assert deleted == 1
    demo_ledger.build()
    demo_finance.build()
    return cast


def test_controller_sets_up_the_year_in_the_web(
    page, live_server, client, economy_with_unmapped_code, node
):
    from styra.calendar.models import ReportingEvent
    from styra.finance.models import BudgetChange, BudgetLine
    from styra.ledger.models import Transaction

    cast = economy_with_unmapped_code
    avun, amp, gv = node("AVUN"), node("AMP"), node("GEM")
    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in(page, client, live_server, cast["controller"])
    page.goto(live_server.url + "/")
    page.get_by_role("navigation", name="Huvudmeny").get_by_role(
        "link", name="Administration"
    ).click()
    page.get_by_role("link", name="Arbetsmarknads- och vuxenutbildningsnämnden").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Administration")
    assert_accessible(page, "administrationens start")

    # A reporting event with a deadline.
    page.get_by_role("link", name="Rapporttillfällen").click()
    page.get_by_label("Kod", exact=True).fill("2021-D1")
    page.get_by_label("Sista dag för underlag").fill("2021-05-10")
    page.get_by_label("Nämndens sammanträde").fill("2021-05-27")
    page.get_by_role("button", name="Spara rapporttillfället").click()
    row = page.get_by_role("table", name="Nämndens rapporttillfällen").get_by_role(
        "row", name="Delårsrapport 1 2021"
    )
    assert "2021-05-10" in row.inner_text() and "2021-05-27" in row.inner_text()
    event = ReportingEvent.objects.get(committee=avun, code="2021-D1")
    assert event.cutoff_period == 4 and str(event.deadline) == "2021-05-10"
    history = page.get_by_role("table", name="Senaste ändringarna")
    assert "Carin Controller" in history.inner_text()
    assert "Delårsrapport 1 2021" in history.inner_text()
    # A code that is no event is told, and nothing is stored.
    page.get_by_label("Kod", exact=True).fill("2021-X9")
    page.get_by_role("button", name="Spara rapporttillfället").click()
    assert page.locator(".message.error").count() == 1
    assert page.get_by_label("Kod", exact=True).input_value() == "2021-X9"  # what was typed stays
    assert_accessible(page, "rapporttillfällen")

    # A budget for a sub-unit (Arbetsmarknadsprogram under Jobbcenter), exact kronor; only
    # the changed cell is written, and the totals up the tree follow. 2020 is locked by the
    # approved D1: the page says so and keeps what was typed.
    page.goto(f"{live_server.url}/administration/{avun.pk}/budget/?ar=2020")
    page.get_by_role("link", name="Budget för Arbetsmarknadsprogram").click()
    staff = page.get_by_role("textbox", name="Personalkostnader")
    assert staff.input_value() == "-45\u00a0000\u00a0000"
    staff.fill("-45 000 001")
    page.get_by_role("button", name="Spara budgeten för Arbetsmarknadsprogram").click()
    assert "är godkänd av nämnden" in page.locator("span.error").first.inner_text()
    assert page.get_by_role("textbox", name="Personalkostnader").input_value() == "-45 000 001"
    assert BudgetLine.objects.get(unit=amp, year=2020, row_code="personal").amount == -45000000

    page.goto(f"{live_server.url}/administration/{avun.pk}/budget/?ar=2021")
    page.get_by_role("link", name="Budget för Arbetsmarknadsprogram").click()
    before = BudgetLine.history.filter(year=2021).count()
    page.get_by_role("textbox", name="Personalkostnader").fill("-45 000 000,50")
    page.get_by_role("button", name="Spara budgeten för Arbetsmarknadsprogram").click()
    assert BudgetLine.history.filter(year=2021).count() == before + 1
    line = BudgetLine.objects.get(unit=amp, year=2021, row_code="personal")
    assert line.amount == Decimal("-45000000.50")
    tree = page.get_by_role("table", name="Budget 2021 i trädet")
    jc_row = tree.locator("tr", has=page.get_by_role("rowheader", name="Jobbcenter", exact=True))
    assert "-45\u00a0000\u00a0000,50" in jc_row.inner_text().replace("−", "-")
    assert "Carin Controller" in page.get_by_role("table", name="Senaste ändringarna").inner_text()
    assert_accessible(page, "budget per enhet")

    # A budget change with its decision.
    page.goto(f"{live_server.url}/administration/{avun.pk}/budgetandringar/?ar=2020")
    page.get_by_label("Typ", exact=True).select_option(label="Ramjustering")
    page.get_by_label("Beslut (diarienummer)").fill("KS/2020:99")
    page.get_by_label("Beslutsdatum").fill("2020-06-15")
    page.get_by_label("Enhet", exact=True).select_option(label="– – Daglig verksamhet")
    page.get_by_label("Rad", exact=True).select_option(label="Personalkostnader")
    page.get_by_label("Belopp, kr").fill("-500 000")
    page.get_by_role("button", name="Registrera budgetändringen").click()
    change = BudgetChange.objects.get(decision="KS/2020:99")
    assert change.amount == Decimal(-500000) and change.unit.code == "DV"
    listed = page.get_by_role("table", name="Registrerade budgetändringar")
    assert "KS/2020:99" in listed.inner_text()
    assert (
        "ramjustering KS/2020:99"
        in page.get_by_role("table", name="Senaste ändringarna").inner_text()
    )
    assert_accessible(page, "budgetändringar")

    # Map the unmapped code: its amount is offered, and after mapping the rows count for
    # Gemensam verksamhet.
    page.goto(f"{live_server.url}/administration/{avun.pk}/koppling/?ar=2020")
    offered = page.get_by_role("table", name="Okopplade koder 2020")
    assert offered.get_by_role("rowheader", name="ansvar 1100").is_visible()
    unmapped = Transaction.objects.filter(year=2020, unit__isnull=True, unit_code="ansvar 1100")
    assert unmapped.exists()
    page.get_by_label("Enhet för ansvar 1100").select_option(label="– – – Gemensam verksamhet")
    page.get_by_role("button", name="Koppla ansvar 1100").click()
    assert "Alla koder i huvudboken 2020 är kopplade" in page.locator("main").inner_text()
    assert not unmapped.exists()
    assert Transaction.objects.filter(year=2020, unit=gv, unit_code="ansvar 1100").exists()
    assert_accessible(page, "koppling av koder")

    # A new user with a role on Jobbcenter.
    page.goto(f"{live_server.url}/organisation/{node('JC').pk}/behorigheter/")
    page.get_by_label("Förnamn").fill("Nora")
    page.get_by_label("Efternamn").fill("Ny")
    page.get_by_label("E-post").fill("nora.ny@example.se")
    page.get_by_label("Användarnamn").fill("nora")
    page.get_by_label("Startlösenord").fill("Ett-langt-losen-42")
    page.get_by_label("Roll på Jobbcenter").select_option(label="Redigerare")
    page.get_by_role("button", name="Lägg till användaren").click()
    grants = page.get_by_role("table", name="Roller på Jobbcenter")
    assert "Nora Ny (nora)" in grants.inner_text() and "Redigerare" in grants.inner_text()
    # A controller cannot hand out the administrator role.
    assert page.get_by_label("Roll på Jobbcenter").locator("option").all_inner_texts() == [
        "Redigerare",
        "Läsare",
    ]
    assert_accessible(page, "användare och behörigheter")
