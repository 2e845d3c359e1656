"""The report pages in a real Chromium, checked with axe-core: zero violations."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.web.browserkit import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


def _login(page, client, live_server, user):
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def _axe(page) -> list[dict]:
    return axe_violations(page)  # evaluated, not injected: the pages have a strict CSP


def test_report_pages_have_no_axe_violations(page, live_server, client, cast, d2, node):
    if not AXE.exists():
        pytest.skip("node_modules/axe-core saknas: kör `npm ci` i repots rot")
    _login(page, client, live_server, cast["controller"])
    avun = node("AVUN").pk
    for path in (
        f"/rapporter/{avun}/2020-D2/delarsrapport/",
        f"/rapporter/{avun}/2020-D2/delarsrapport/status/",
        f"/rapporter/{node('JC').pk}/2020-D2/delarsrapport/text/analys/",
        f"/rapporter/{avun}/mall/delarsrapport/",
        "/rapporter/",
    ):
        page.goto(live_server.url + path)
        assert page.locator("h1").count() == 1, path
        violations = _axe(page)
        assert violations == [], f"{path}: {json.dumps(violations, ensure_ascii=False)}"
    # The chart's data table is reachable from the keyboard (details/summary).
    page.goto(live_server.url + f"/rapporter/{avun}/2020-D2/delarsrapport/")
    summary = page.locator("summary").first
    summary.focus()
    page.keyboard.press("Enter")
    assert page.locator("details table").first.is_visible()


def test_axe_finds_a_known_violation(page):
    """The check itself works: an image without alt text is reported."""
    if not AXE.exists():
        pytest.skip("node_modules/axe-core saknas: kör `npm ci` i repots rot")
    page.set_content('<html lang="sv"><body><main><img src="x.png"></main></body></html>')
    assert "image-alt" in {v["id"] for v in _axe(page)}
