"""The controller uploads a ledger file, sees it checked in the background, saves it (in
the background too), drills down and undoes the import (Chromium, a real task worker on
the test database; on SQLite and PostgreSQL, whichever DATABASE_URL names)."""

from __future__ import annotations

import datetime as dt
import json
import time

import pytest

from styra.ledger.models import LedgerImport
from styra.ledger.sie_write import SieVoucher, write_sie4
from styra.tasks.models import TaskRun, TaskStatus
from tests.reports.test_browser import AXE, _axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _write(path, company="Botkyrka (demo)", org="212000-2882"):
    write_sie4(
        path,
        company=company,
        org_number=org,
        year=2020,
        accounts={"1930": "Bank", "5010": "Löner", "3510": "Statsbidrag"},
        dimensions={"1": "Ansvar"},
        objects=[],
        vouchers=[
            SieVoucher(
                "A",
                "1",
                dt.date(2020, 1, 25),
                "Löner januari",
                [("5010", (("1", "4000"),), 1_234_567_00, "lön"), ("1930", (), -1_234_567_00, "")],
            ),
            SieVoucher(
                "A",
                "2",
                dt.date(2020, 1, 28),
                "Statsbidrag",
                [("3510", (("1", "4000"),), -200_000_00, "bidrag"), ("1930", (), 200_000_00, "")],
            ),
        ],
    )
    return path


def _no_axe_violations(page):
    if AXE.exists():
        violations = _axe(page)
        assert violations == [], json.dumps(violations, ensure_ascii=False)


def _until(page, predicate, seconds=120):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return
        page.wait_for_timeout(100)
    raise AssertionError("sidan blev inte klar")


def test_upload_check_save_drill_down_and_undo(
    page, live_server, cast, node, tmp_path, task_worker
):
    path = _write(tmp_path / "huvudbok-jan.se")
    page.goto(live_server.url + "/")
    page.get_by_label("Användarnamn").fill("controller")
    page.get_by_label("Lösenord").fill("styra-demo")
    page.get_by_role("button", name="Logga in").click()
    page.goto(f"{live_server.url}/huvudbok/{node('AVUN').pk}/")
    _no_axe_violations(page)
    page.get_by_label("Fil", exact=True).set_input_files(str(path))
    page.get_by_role("button", name="Kontrollera filen").click()

    # The request returned at once: the check waits in the queue, the page shows progress.
    page.wait_for_url("**/kontroll/*/")
    run = TaskRun.objects.get(kind="ledger.check")
    assert run.status == TaskStatus.QUEUED
    assert page.locator("progress").count() == 1
    task_worker.start()
    link = page.get_by_role("link", name="Visa kontrollen")
    _until(page, lambda: link.count() == 1)
    link.click()
    main = page.locator("main")
    text = main.inner_text().replace("\u00a0", " ")
    assert "212000-2882" in text and "2 verifikationer, 4 rader" in text
    assert "-1 034 567,00" in text  # the result that reaches units, report sign
    _no_axe_violations(page)
    page.get_by_role("button", name="Spara i huvudboken").click()
    page.wait_for_url("**/arbeten/*/")
    back = page.get_by_role("link", name="Till huvudboken").first
    _until(page, lambda: "är inläst: 4 rader" in main.inner_text())
    back.click()

    table = page.get_by_role("table", name="Senaste inläsningarna med vem och när")
    assert "huvudbok-jan.se" in table.inner_text() and "gällande" in table.inner_text()
    page.get_by_role("link", name="Utfall per enhet").click()
    page.get_by_label("År").fill("2020")
    page.get_by_role("button", name="Visa").click()
    assert "Jobbcenter" in page.get_by_role("table").inner_text()
    page.get_by_role("link", name="Jobbcenter, staff: visa transaktioner").click()
    body = main.inner_text().replace("\u00a0", " ")
    assert "A 1" in body and "-1 234 567,00" in body
    assert "Statsbidrag" not in body  # the staff row only

    page.goto(f"{live_server.url}/huvudbok/{node('AVUN').pk}/")
    page.get_by_role("link", name="Ångra inläsningen av huvudbok-jan.se").click()
    _no_axe_violations(page)
    page.get_by_role("button", name="Ångra inläsningen").click()
    page.wait_for_url("**/arbeten/*/")
    _until(page, lambda: "är ångrad" in main.inner_text())
    assert LedgerImport.objects.get().state == "ångrad"
