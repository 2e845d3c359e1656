"""Report files are made in the background (Chromium, a real worker on the test database):
the request returns at once with the job's page, which shows the progress in place and
ends with the download links; without JavaScript a refresh link does the same."""

from __future__ import annotations

import json
import time

import pytest
from playwright.sync_api import expect

from styra.tasks.models import TaskRun, TaskStatus

from .test_browser import AXE, _axe, _login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LABELS = ["Webbsida", "PDF (tillgänglig)", "Word", "Data (JSON)"]


def _wait_done(run: TaskRun, seconds: float = 120) -> TaskRun:
    from django.db import OperationalError

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            run.refresh_from_db()
        except OperationalError:  # SQLite's shared cache: the worker holds the table now
            continue
        if run.finished:
            return run
        time.sleep(0.2)
    raise AssertionError(f"arbetet blev inte klart: {run.status} {run.message}")


def test_report_files_start_at_once_show_progress_and_end_with_links(
    page, live_server, client, cast, d2, node, task_worker
):
    _login(page, client, live_server, cast["controller"])
    avun = node("AVUN").pk
    page.goto(f"{live_server.url}/rapporter/{avun}/2020-D2/delarsrapport/")
    page.get_by_role("button", name="Skapa filer av utkastet").click()
    page.wait_for_url("**/arbeten/*/")

    # The request has returned and nothing is built yet: no worker runs so far.
    run = TaskRun.objects.get(kind="reports.build_files")
    assert run.status == TaskStatus.QUEUED and not run.files.exists()
    main = page.locator("main")
    assert "Väntar" in main.inner_text()
    assert page.locator("progress").count() == 1
    page.evaluate("window.styraSamePage = true")  # survives only if htmx updates in place

    task_worker.start()
    seen = set()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        done = page.get_by_role("link", name=f"Delårsrapport 2 2020 – {LABELS[1]}").count()
        # Read the text after looking for the link, so the state that showed the link is seen.
        text = main.inner_text()
        seen.update(s for s in ("Väntar", "Pågår", "Klar") if s in text)
        if done:
            break
        page.wait_for_timeout(100)
    assert "Klar" in seen and page.evaluate("window.styraSamePage === true")
    for label in LABELS:
        assert page.get_by_role("link", name=f"Delårsrapport 2 2020 – {label}").count() == 1
    assert page.locator("progress").count() == 0

    pdf_link = page.get_by_role("link", name=f"Delårsrapport 2 2020 – {LABELS[1]}")
    pdf = page.request.get(live_server.url + pdf_link.get_attribute("href"))
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    with page.expect_download() as download:
        page.get_by_role("link", name=f"Delårsrapport 2 2020 – {LABELS[2]}").click()
    assert download.value.suggested_filename.endswith(".docx")

    if AXE.exists():
        violations = _axe(page)
        assert violations == [], json.dumps(violations, ensure_ascii=False)
    # Back on the report, the latest files are offered there too.
    page.get_by_role("link", name="Tillbaka till rapporten").click()
    page.wait_for_url("**/delarsrapport/")
    expect(page.get_by_role("link", name=f"Delårsrapport 2 2020 – {LABELS[0]}")).to_have_count(1)


def test_without_javascript_a_refresh_link_follows_the_job(
    browser, live_server, client, cast, d2, node, task_worker
):
    context = browser.new_context(locale="sv-SE", java_script_enabled=False)
    page = context.new_page()
    try:
        _login(page, client, live_server, cast["controller"])
        avun = node("AVUN").pk
        page.goto(f"{live_server.url}/rapporter/{avun}/2020-D2/delarsrapport/")
        page.get_by_role("button", name="Skapa filer av utkastet").click()
        page.wait_for_url("**/arbeten/*/")
        assert "Väntar" in page.locator("main").inner_text()
        task_worker.start()
        _wait_done(TaskRun.objects.get(kind="reports.build_files"))
        page.get_by_role("link", name="Uppdatera").click()
        page.wait_for_load_state()
        for label in LABELS:
            assert page.get_by_role("link", name=f"Delårsrapport 2 2020 – {label}").count() == 1
    finally:
        context.close()
