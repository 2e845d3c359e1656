"""The checker in Chromium: upload a report, follow the background job, read the findings;
both pages pass axe-core."""

from __future__ import annotations

import json

import pytest

from tests.reports.test_browser import AXE, _axe, _login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REPORT = (
    "Belopp i tkr\tBudget 2020\tPrognos helår 2020\tAvvikelse 2020\n"
    "Enhet A\t-100\t-90\t10\n"
    "Enhet B\t-200\t-150\t50\n"
    "Total\t-300\t-240\t70\n"
)


def test_upload_follow_the_job_and_read_the_findings(
    page, live_server, client, cast, task_worker, tmp_path
):
    report = tmp_path / "nämndrapport.txt"
    report.write_text(REPORT, encoding="utf-8")
    _login(page, client, live_server, cast["ledamot"])
    page.goto(f"{live_server.url}/granska/")
    if AXE.exists():
        assert _axe(page) == []
    page.get_by_label("Rapport").set_input_files(str(report))
    page.get_by_role("button", name="Granska").click()
    page.wait_for_url("**/arbeten/*/")
    task_worker.start()
    link = page.get_by_role("link", name="Visa fynden")
    link.wait_for(timeout=90_000)
    link.click()
    page.wait_for_url("**/granska/*/")
    main = page.locator("main").inner_text()
    assert "nämndrapport.txt" in main and "Står: 70" in main
    if AXE.exists():
        violations = _axe(page)
        assert violations == [], json.dumps(violations, ensure_ascii=False)
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 800})
        assert page.evaluate("document.documentElement.scrollWidth") <= width
