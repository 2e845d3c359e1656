"""The grant reminders from the web: Socialnämndens controller presses "Skicka påminnelser
nu" on the grants page; the request queues a background job and returns at once; a real
worker runs it, the mail reaches a real SMTP server (aiosmtpd) and the job page says who
was written to."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from styra.planning import services
from styra.planning.models import GrantReminder
from styra.tasks.models import TaskRun, TaskStatus
from tests.actors import SYSTEM
from tests.web.browserkit import assert_accessible, no_horizontal_scroll, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _until(page, condition, seconds=30):
    for _ in range(seconds * 10):
        if condition():
            return
        page.wait_for_timeout(100)
    raise AssertionError("sidan blev inte klar")


def test_controller_sends_grant_reminders_from_the_web(
    page, live_server, client, node, settings, smtp_server, task_worker
):
    settings.STYRA_TODAY = "2020-09-03"
    sn = node("SN")
    services.grant_save(
        actor=SYSTEM,
        committee=sn,
        name="Stärkt bemanning",
        grantor="Socialstyrelsen",
        mechanism="rekvirera",
        status="beviljat",
        amounts={2020: 100000},
        report_by=dt.date(2020, 9, 15),
    )
    user = get_user_model().objects.get(username="sn-controller")
    sign_in(page, client, live_server, user)
    page.goto(f"{live_server.url}/planering/{sn.pk}/statsbidrag/")
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        assert_accessible(page, f"statsbidrag {width}")
        assert no_horizontal_scroll(page)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.get_by_role("button", name="Skicka påminnelser nu").click()

    # The request returned at once: the job waits in the queue, nothing is sent yet.
    page.wait_for_url("**/arbeten/*/")
    run = TaskRun.objects.get(kind="planning.grant_reminders")
    assert run.status == TaskStatus.QUEUED and smtp_server.messages == []
    task_worker.start()
    main = page.locator("main")
    _until(page, lambda: "1 påminnelse skickad" in main.inner_text())
    assert "sn-controller@demo.styra.se (Stärkt bemanning" in main.inner_text()
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        assert_accessible(page, f"arbete {width}")
        assert no_horizontal_scroll(page)
    page.set_viewport_size({"width": 1366, "height": 900})
    (message,) = smtp_server.to("sn-controller@demo.styra.se")
    assert "Stärkt bemanning (Socialstyrelsen): återrapporteras senast 2020-09-15" in (
        message.get_content()
    )
    assert GrantReminder.objects.get().sent_at is not None

    # back on the grants page the reminder is listed with its time
    page.get_by_role("link", name="Tillbaka till statsbidragen").first.click()
    table = page.get_by_role("table", name="De senaste påminnelserna")
    assert "sn-controller@demo.styra.se" in table.inner_text()
