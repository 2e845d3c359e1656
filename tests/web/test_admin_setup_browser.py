"""The rest of the controller's administration in a real Chromium, at 1366 and 390 px:
forecast assumptions, investments with plans and go-live revisions, volumes and key
ratios, staff figures, and the administrator's organisation tree. Every change shows on
the page with who and when, and axe-core finds nothing."""

from __future__ import annotations

import datetime as dt
import io
import textwrap
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from tests.web.browserkit import assert_accessible, no_horizontal_scroll, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def year(cast, demo_org, tmp_path):
    """AVUN 2020: D1 (cut-off April) approved, D2 open."""
    from styra.finance import services
    from styra.ledger.rows import ensure_default_scheme
    from tests.actors import SYSTEM

    ensure_default_scheme(demo_org)
    (tmp_path / "events.yaml").write_text(
        textwrap.dedent("""\
        committee: AVUN
        events:
          - {code: 2020-D1, cutoff_period: 4, status: approved, approved: 2020-06-11}
          - {code: 2020-D2, cutoff_period: 8, deadline: 2020-09-01}
        assumptions:
          - {event: 2020-D1, text: Lönerevisionen blir 2 procent, amount: "-800 000"}
        """),
        encoding="utf-8",
    )
    services.events_import(actor=SYSTEM, path=tmp_path / "events.yaml", municipality=demo_org)
    return cast


# The elements that reach past the right edge (named in a failure message).
WIDER_THAN_SCREEN = """Array.from(document.querySelectorAll('body *'))
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
  .map(e => `${e.tagName}#${e.id} ${Math.round(e.getBoundingClientRect().right)}`)
  .slice(0, 10)"""


def _fits(page, where: str) -> None:
    """axe-core at 1366 px, then no sideways scrolling of the page at 390 px."""
    assert_accessible(page, where)
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    wide = page.evaluate(WIDER_THAN_SCREEN)
    assert no_horizontal_scroll(page), f"{wide} {where}: the page scrolls sideways at 390 px"
    assert_accessible(page, f"{where} (390 px)")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.reload()


def _history(page) -> str:
    return page.get_by_role("table", name="Senaste ändringarna").inner_text()


def test_controller_keeps_assumptions_and_investments_in_the_web(
    page, live_server, client, year, node
):
    from styra.finance.models import Assumption, GoLiveRevision, InvestmentPlan, InvestmentProject

    avun = node("AVUN")
    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in(page, client, live_server, year["controller"])
    page.goto(f"{live_server.url}/administration/{avun.pk}/")
    page.get_by_role("link", name="Prognosantaganden").click()

    # The open D2 is chosen; an assumption with an exact amount.
    assert page.get_by_role("heading", level=1).inner_text().endswith("Delårsrapport 2 2020")
    form = page.get_by_role("form", name="Nytt antagande")
    form.get_by_label("Prognosen förutsätter att").fill("Statsbidraget för yrkesvux beslutas")
    form.get_by_label("Belopp, kr").fill("5 500 000,50")
    form.get_by_label("Status").select_option(label="Förväntad")
    form.get_by_role("button", name="Lägg till antagandet").click()
    table = page.get_by_role("table", name="Antaganden för Delårsrapport 2 2020")
    assert "5\u00a0500\u00a0000,50" in table.inner_text()
    saved = Assumption.objects.get(event__code="2020-D2")
    assert saved.amount == Decimal("5500000.50") and saved.status == "expected"
    # Changing the status writes only the status.
    edit = page.get_by_role("form", name="Ändra antagande 1")
    edit.get_by_label("Status").select_option(label="Beslutad")
    edit.get_by_role("button", name="Spara antagande 1").click()
    latest = saved.history.first()
    assert latest.diff_against(latest.prev_record).changed_fields == ["status"]
    assert "Carin Controller" in _history(page) and "beslutad" in _history(page)
    # An empty text is refused and what was typed stays.
    form = page.get_by_role("form", name="Nytt antagande")
    form.get_by_label("Belopp, kr").fill("12")
    form.get_by_label("Prognosen förutsätter att").fill(" ")
    form.get_by_role("button", name="Lägg till antagandet").click()
    assert "Skriv vad prognosen förutsätter" in page.locator(".message.error").inner_text()
    assert (
        page.get_by_role("form", name="Nytt antagande").get_by_label("Belopp, kr").input_value()
        == "12"
    )
    _fits(page, "prognosantaganden")
    # The approved D1 shows its assumptions without forms.
    page.get_by_label("Rapporttillfälle").select_option(label="Delårsrapport 1 2020")
    page.get_by_role("button", name="Visa").click()
    assert (
        "Lönerevisionen"
        in page.get_by_role("table", name="Antaganden för Delårsrapport 1 2020").inner_text()
    )
    assert "godkänd av nämnden" in page.locator(".notice").inner_text()
    assert page.get_by_role("button", name="Lägg till antagandet").count() == 0

    # A new investment project, its plan per year and a moved go-live month.
    page.goto(f"{live_server.url}/administration/{avun.pk}/")
    page.get_by_role("link", name="Investeringar").first.click()
    form = page.get_by_role("form", name="Nytt investeringsprojekt")
    form.get_by_label("Projektnummer").fill("3101")
    form.get_by_label("Namn").fill("Datorer till Jobbcenter")
    form.get_by_label("Kategori").select_option(label="Inventarier")
    form.get_by_label("Enhet").select_option(label="– – Jobbcenter")
    form.get_by_label("Beslutad totalbudget, kr").fill("400 000")
    form.get_by_role("button", name="Lägg upp projektet").click()
    assert page.get_by_role("heading", level=1).inner_text() == "3101 Datorer till Jobbcenter"
    project = InvestmentProject.objects.get(number="3101")
    assert project.unit == node("JC") and project.decided_total == 400000
    year_now = int(page.get_by_role("rowheader").first.inner_text())
    page.get_by_role("textbox", name=str(year_now)).fill("250 000,25")
    page.get_by_role("button", name="Spara planen").click()
    assert InvestmentPlan.objects.get(project=project, year=year_now).amount == Decimal("250000.25")
    assert InvestmentPlan.history.filter(project_id=project.pk).count() == 1  # only that year
    page.get_by_label("Ny driftsättning (ÅÅÅÅ-MM)").fill(f"{year_now}-09")
    page.get_by_role("button", name="Spara driftsättningen").click()
    page.get_by_label("Ny driftsättning (ÅÅÅÅ-MM)").fill(f"{year_now}-11")
    page.get_by_label("Beslutad den").fill(f"{year_now}-08-20")
    page.get_by_role("button", name="Spara driftsättningen").click()
    assert "Ange skälet" in page.locator(".message.error").inner_text()
    page.get_by_label("Skäl").fill("Leveransen är försenad")
    page.get_by_role("button", name="Spara driftsättningen").click()
    moved = page.get_by_role("table", name="Flyttad driftsättning").inner_text()
    assert f"{year_now}-08-20" in moved and f"{year_now}-11" in moved and "försenad" in moved
    assert GoLiveRevision.objects.get(project=project).go_live == dt.date(year_now, 11, 1)
    assert "driftsättning" in _history(page) and "Carin Controller" in _history(page)
    _fits(page, "investeringsprojekt")
    page.get_by_role("link", name="Investeringar").last.click()
    listed = page.get_by_role("table", name="Nämndens investeringsprojekt, kr").inner_text()
    assert "3101 Datorer till Jobbcenter" in listed and "250\u00a0000,25" in listed
    # The list downloads as Excel with the amounts as numbers.
    response = client.get(f"/administration/{avun.pk}/investeringar/?format=xlsx")
    book = load_workbook(io.BytesIO(response.content))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    project_row = next(r for r in rows if r[0] and str(r[0]).startswith("3101"))
    assert 400000 in project_row and Decimal("250000.25") in [
        Decimal(str(v)) for v in project_row if isinstance(v, (int, float))
    ]
    _fits(page, "investeringar")


def test_controller_keeps_volumes_and_staff_in_the_web(page, live_server, client, year, node):
    from styra.finance.models import StaffFigure, VolumeType, VolumeValue

    avun = node("AVUN")
    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in(page, client, live_server, year["controller"])

    # A volume with its key ratio and the year's target.
    page.goto(f"{live_server.url}/administration/{avun.pk}/")
    page.get_by_role("link", name="Volymer och nyckeltal").click()
    page.get_by_label("År", exact=True).fill("2021")
    page.get_by_role("button", name="Visa").click()
    form = page.get_by_role("form", name="Ny volym")
    form.get_by_label("Kod").fill("platser-jc")
    form.get_by_label("Verksamhet").fill("Arbetsmarknadsinsatser")
    form.get_by_label("Mäts i").fill("Antal årsplatser")
    form.get_by_label("Enhet som redovisar volymen").select_option(label="– – Jobbcenter")
    form.get_by_label("Nyckeltal 1", exact=True).fill("Kostnad / årsplats")
    form.get_by_label("Mål (budget) 2021").fill("120,5")
    form.get_by_role("button", name="Lägg till volymen").click()
    listed = page.get_by_role("table", name="Nämndens volymer 2021").inner_text()
    assert "Arbetsmarknadsinsatser" in listed and "Kostnad / årsplats" in listed
    assert "120,5" in listed
    volume = VolumeType.objects.get(code="platser-jc")
    assert volume.unit == node("JC")
    assert volume.ratios == [{"label": "Kostnad / årsplats", "basis": "net"}]
    # Only the target changes: the definition is not written again.
    edit = page.get_by_role("form", name="Ändra Arbetsmarknadsinsatser (platser-jc)")
    edit.get_by_label("Mål (budget) 2021").fill("130")
    edit.get_by_role("button", name="Spara Arbetsmarknadsinsatser").click()
    assert VolumeValue.objects.get(volume=volume, kind="budget", year=2021).value == 130
    assert volume.history.count() == 1
    assert "budget 2021 för Arbetsmarknadsinsatser: 130" in _history(page)
    assert "Carin Controller" in _history(page)
    _fits(page, "volymer och nyckeltal")
    # 2020's target is shown by the approved D1: refused, said, nothing stored.
    page.goto(f"{live_server.url}/administration/{avun.pk}/volymer/?ar=2020")
    edit = page.get_by_role("form", name="Ändra Arbetsmarknadsinsatser (platser-jc)")
    edit.get_by_label("Mål (budget) 2020").fill("99")
    edit.get_by_role("button", name="Spara Arbetsmarknadsinsatser").click()
    assert "godkänd av nämnden" in page.locator(".message.error").inner_text()
    assert not VolumeValue.objects.filter(year=2020).exists()

    # Staff figures: the outcome through the open D2's cut-off (August) and a budget.
    page.goto(f"{live_server.url}/administration/{avun.pk}/")
    page.get_by_role("link", name="Personal").click()
    page.get_by_label("År", exact=True).fill("2020")
    page.get_by_role("button", name="Visa").click()
    assert page.get_by_role("columnheader", name="Utfall t.o.m. period 8").is_visible()
    grid = page.get_by_role("table", name="Personal per enhet 2020")
    grid.get_by_role("textbox", name="Jobbcenter Utfall t.o.m. period 8 Årsarbetare").fill("10,5")
    grid.get_by_role("textbox", name="Jobbcenter Utfall t.o.m. period 8 Anställda").fill("12")
    grid.get_by_role("textbox", name="Arbetsmarknadsprogram Budget 2020 Årsarbetare").fill("4")
    page.get_by_role("button", name="Spara personalsiffrorna").click()
    # The year's budget is shown by the approved D1: that row is refused and says so, the
    # typed value stays; the outcome through August is stored.
    amp = page.get_by_role("row", name="Arbetsmarknadsprogram")
    assert "godkänd av nämnden" in amp.locator("span.error").inner_text()
    assert page.locator(f"input[name='budget-fte-{node('AMP').pk}']").input_value() == "4"
    rows = {
        (f.unit.code, f.kind, f.period): (f.fte, f.employees) for f in StaffFigure.objects.all()
    }
    assert rows == {("JC", "outcome", 8): (Decimal("10.5"), 12)}
    page.goto(f"{live_server.url}/administration/{avun.pk}/personal/?ar=2020")
    assert "10,5 årsarbetare, 12 anställda" in _history(page)
    _fits(page, "personal")
    # Through April the approved D1 shows the figures: the row says so, the typed stays.
    page.get_by_label("Utfall till och med period").select_option("4")
    page.get_by_role("button", name="Visa").click()
    cell = page.get_by_role("textbox", name="Jobbcenter Utfall t.o.m. period 4 Årsarbetare")
    cell.fill("9")
    page.get_by_role("button", name="Spara personalsiffrorna").click()
    assert "godkänd av nämnden" in page.locator("span.error").first.inner_text()
    assert StaffFigure.objects.filter(period=4).count() == 0
    assert page.locator(f"input[name='outcome-fte-{node('JC').pk}']").input_value() == "9"


def test_administrator_changes_the_organisation_tree(page, live_server, client, cast, node):
    from styra.org.models import OrgNode

    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in(page, client, live_server, cast["admin"])
    page.goto(f"{live_server.url}/organisation/{node('JC').pk}/")
    page.get_by_role("link", name="Ändra organisationen: Jobbcenter").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Ändra Jobbcenter"

    # A new result unit under Jobbcenter from 2021.
    form = page.get_by_role("form", name="Ny enhet under Jobbcenter")
    form.get_by_label("Kod").fill("JC-UNG")
    form.get_by_label("Namn").fill("Unga till arbete")
    form.get_by_label("Gäller från").fill("2021-01-01")
    form.get_by_label("Resultatenhet").check()
    form.get_by_role("button", name="Lägg till enheten").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Ändra Unga till arbete"
    new = OrgNode.objects.get(code="JC-UNG")
    assert new.parent == node("JC") and new.is_result_unit and str(new.valid_from) == "2021-01-01"

    # Rename: the history keeps the old name, with who.
    form = page.get_by_role("form", name="Namn och flaggor")
    form.get_by_label("Namn", exact=True).fill("Ungdomsjobb")
    form.get_by_role("button", name="Spara namn och flaggor").click()
    history = _history(page)
    assert "Ungdomsjobb (JC-UNG)" in history and "Unga till arbete (JC-UNG)" in history
    assert "Ada Administratör" in history
    latest = new.history.first()
    assert latest.diff_against(latest.prev_record).changed_fields == ["name"]
    # An intraprenad is always a result unit: refused, what was typed stays.
    form = page.get_by_role("form", name="Namn och flaggor")
    form.get_by_label("Resultatenhet").uncheck()
    form.get_by_label("Intraprenad").check()
    form.get_by_role("button", name="Spara namn och flaggor").click()
    assert "alltid också en resultatenhet" in page.locator(".message.error").inner_text()
    assert (
        page.get_by_role("form", name="Namn och flaggor").get_by_label("Intraprenad").is_checked()
    )

    # Move under Utbildning för vuxna.
    page.get_by_label("Ska ligga under").select_option(label="– – Utbildning för vuxna")
    page.get_by_role("button", name="Flytta Ungdomsjobb").click()
    assert "ligger nu under Utbildning för vuxna" in page.locator(".message.success").inner_text()
    new.refresh_from_db()
    assert new.parent == node("UFV")

    # Close: a date before it started is refused; at the end of 2021 it closes and stays.
    page.get_by_label("Gäller till och med").fill("2020-06-30")
    page.get_by_role("button", name="Stäng Ungdomsjobb").click()
    assert "gäller från 2021-01-01" in page.locator(".message.error").inner_text()
    page.get_by_label("Gäller till och med").fill("2021-12-31")
    page.get_by_role("button", name="Stäng Ungdomsjobb").click()
    assert "historiken finns kvar" in page.locator(".message.success").inner_text()
    _fits(page, "ändra organisationen")
    page.goto(f"{live_server.url}/organisation/?ar=2021")
    assert page.get_by_role("link", name="Ungdomsjobb").count() == 1
    page.goto(f"{live_server.url}/organisation/?ar=2022")
    assert page.get_by_role("link", name="Ungdomsjobb").count() == 0
    assert OrgNode.objects.filter(code="JC-UNG", valid_to="2021-12-31").exists()

    # The controller does not change the tree: no link, and the address is refused.
    sign_in(page, client, live_server, cast["controller"])
    page.goto(f"{live_server.url}/organisation/{node('JC').pk}/")
    assert page.get_by_role("link", name="Ändra organisationen: Jobbcenter").count() == 0
    response = page.goto(f"{live_server.url}/organisation/{node('JC').pk}/andra/")
    assert response.status == 403
