"""Ej verkställda beslut: the secretary attaches the finalised report of an earlier
quarter (not only the latest) to a case, in Chromium with axe-core at 1366 and 390 px."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from tests.actors import SYSTEM
from tests.meetings.browser import axe_clean

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _finalise(sn, code):
    from styra.calendar.models import ReportingEvent
    from styra.reports.services import report_finalise

    return report_finalise(
        actor=SYSTEM,
        committee=sn,
        event=ReportingEvent.objects.get(committee=sn, code=code),
        report_type="ej-verkstallda",
    )


def test_secretary_files_an_earlier_quarter_on_a_case(
    page, live_server, client, sn_evb, node, settings, tmp_path
):
    from styra.meetings.services import case_create

    settings.MEDIA_ROOT = tmp_path / "media"
    sn = node("SN")
    case = case_create(actor=SYSTEM, committee=sn, title="Ej verkställda beslut kvartal 1 2023")
    k1 = _finalise(sn, "2023-K1")  # 2023-K2, the latest, is not finalised

    client.force_login(get_user_model().objects.get(username="sn-sekreterare"))
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.goto(f"{live_server.url}/ej-verkstallda/{sn.pk}/")
    # the latest quarter is offered first; every quarter with a report can be chosen
    region = page.get_by_role("region", name="Fastställ och bifoga till ärendet (2023-K2)")
    assert "Rapporten är inte fastställd ännu." in region.inner_text()
    assert region.get_by_role("button", name="Bifoga den fastställda rapporten").count() == 0
    choice = page.get_by_label("Kvartal att fastställa och bifoga")
    options = choice.locator("option").all_text_contents()
    assert options[:3] == [
        "2023-K2 (inte fastställd)",
        "2023-K1 (fastställd)",
        "2022-K4 (inte fastställd)",
    ]
    axe_clean(page)

    choice.select_option(label="2023-K1 (fastställd)")
    page.get_by_role("button", name="Välj kvartal").click()
    region = page.get_by_role("region", name="Fastställ och bifoga till ärendet (2023-K1)")
    assert f"version {k1.version}" in region.inner_text()
    region.get_by_label("Ärende").select_option(label=f"{case.dnr} {case.title}")
    axe_clean(page)
    region.get_by_role("button", name="Bifoga den fastställda rapporten").click()
    assert f"är bifogad till ärendet {case.dnr}" in page.get_by_role("status").first.inner_text()
    # back on the same quarter
    assert page.get_by_role("region", name="Fastställ och bifoga till ärendet (2023-K1)")
    (doc,) = case.documents.all()
    assert doc.title == k1.title and doc.file.read().startswith(b"%PDF")

    # posting the quarter that is not finalised is refused with a clear message
    other = Client()
    other.force_login(get_user_model().objects.get(username="sn-sekreterare"))
    response = other.post(
        f"/intern-kontroll/{sn.pk}/bifoga/ej-verkstallda/2023-K2/", {"case": case.pk}, follow=True
    )
    assert "inte fastställd ännu" in response.content.decode()
    assert case.documents.count() == 1
