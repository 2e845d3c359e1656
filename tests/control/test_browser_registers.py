"""In Chromium, with axe-core at 1366 and 390 px: the ej verkställda beslut page (the
secretary registers a decision and files the finalised public quarterly report on a
case) and the handlingsplaner page (the controller sets an item's status)."""

from __future__ import annotations

import pytest
import yaml
from django.contrib.auth import get_user_model

from tests.actors import SYSTEM
from tests.meetings.browser import axe_clean

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, client, live_server, username):
    client.force_login(get_user_model().objects.get(username=username))
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_secretary_registers_a_decision_and_files_the_quarterly_report(
    page, live_server, client, sn_evb, node, settings, tmp_path
):
    from styra.calendar.models import ReportingEvent
    from styra.control.models import UnexecutedDecision
    from styra.meetings.services import case_create
    from styra.reports.services import report_finalise

    settings.MEDIA_ROOT = tmp_path / "media"
    sn = node("SN")
    case = case_create(actor=SYSTEM, committee=sn, title="Ej verkställda beslut kvartal 2 2023")
    report_finalise(
        actor=SYSTEM,
        committee=sn,
        event=ReportingEvent.objects.get(committee=sn, code="2023-K2"),
        report_type="ej-verkstallda",
    )

    _login(page, client, live_server, "sn-sekreterare")
    page.goto(f"{live_server.url}/ej-verkstallda/{sn.pk}/")
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Ej verkställda beslut – Socialnämnden"
    )
    row = page.locator("#kvartal tbody tr").filter(has_text="2023-K2")
    assert row.locator("td").nth(0).inner_text() == "4"  # new in quarter 2
    axe_clean(page)

    page.get_by_label("Ärendereferens").fill("SN-EVB-99")
    page.get_by_label("Namn:", exact=True).fill("Provperson Påhittad")
    page.get_by_label("Personnummer").fill("19800101-0000")
    page.get_by_label("Beslutstyp").select_option(label="Kontaktperson")
    page.get_by_label("Beslutsdatum").fill("2023-05-02")
    page.get_by_label("Skäl till dröjsmålet").select_option(
        label="Brist på resurser (plats, lägenhet, uppdragstagare)"
    )
    page.get_by_role("button", name="Registrera beslutet").click()
    assert "Beslutet är registrerat" in page.get_by_role("status").first.inner_text()
    assert page.locator("#beslut").get_by_role("rowheader", name="SN-EVB-99").is_visible()
    assert UnexecutedDecision.objects.filter(reference="SN-EVB-99").count() == 1

    filing = page.get_by_role("region", name="Fastställ och bifoga till ärendet", exact=False)
    filing.get_by_label("Ärende").select_option(label=f"{case.dnr} {case.title}")
    axe_clean(page)
    filing.get_by_role("button", name="Bifoga den fastställda rapporten").click()
    assert f"är bifogad till ärendet {case.dnr}" in page.get_by_role("status").first.inner_text()
    (doc,) = case.documents.all()
    assert doc.attachment_number == 1 and doc.filename.endswith(".pdf")

    page.goto(f"{live_server.url}/arenden/{case.pk}/")
    assert page.get_by_role("link", name="Bilaga 1:", exact=False).is_visible()


def test_controller_sets_a_status_on_the_action_plan_page(page, live_server, client, node):
    from styra.calendar.services import event_ensure
    from styra.demo import control as demo_control
    from styra.demo.builder import DATA_DIR

    data = yaml.safe_load((DATA_DIR / "control" / "sn-sam-2023.yaml").read_text(encoding="utf-8"))
    plan = demo_control.build_sam(SYSTEM, data)
    d2 = event_ensure(actor=SYSTEM, committee=node("SN"), code="2023-D2")
    item = plan.items.first()

    _login(page, client, live_server, "sn-controller")
    page.goto(f"{live_server.url}/handlingsplaner/{node('SN').pk}/")
    assert page.get_by_role("heading", name="Handlingsplan SAM 2023", exact=False).is_visible()
    assert page.locator("#sam-tabell tbody tr").count() == 5
    axe_clean(page)

    form = page.locator(f"form:has(#id_st{item.pk}-event)")
    form.get_by_label("Rapporttillfälle").select_option(value=str(d2.pk))
    form.get_by_label("Status").select_option(value="done")
    form.get_by_label("Kommentar").fill("Genomfört i augusti.")
    form.get_by_role("button", name="Spara status", exact=False).click()
    assert "Genomfört i augusti." in page.locator("main").inner_text()
    assert item.statuses.get(event__code="2023-D2").status == "done"
    axe_clean(page)
