"""Helpers for the meetings pages in Chromium: log in through the login page, check a
page with axe-core at the desktop and the phone width."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.web.browserkit import axe_violations

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WIDTHS = (1366, 390)


def login(page, live_server, username, password="styra-demo"):
    page.goto(live_server.url + "/logga-in/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in").click()


def logout(page):
    page.get_by_role("button", name="Logga ut").click()


def axe_clean(page) -> None:
    """No axe-core violations on the current page, at 1366 px and at 390 px, and nothing
    wider than the phone's screen except inside a scrolling table wrapper."""
    if not AXE.exists():
        pytest.skip("node_modules/axe-core saknas: kör `npm ci` i repots rot")
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        violations = axe_violations(page)  # evaluated, not injected: the pages have a CSP
        assert violations == [], f"{page.url} ({width} px): {json.dumps(violations)}"
        overflow = page.evaluate("() => document.documentElement.scrollWidth")
        assert overflow <= width + 1, f"{page.url} är {overflow} px bred vid {width} px"
    page.set_viewport_size({"width": 1366, "height": 900})
