"""Helpers for browser tests: sign in without the login form, and run axe-core."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


def sign_in(page, client, live_server, user) -> None:
    """The browser gets the session of `user` (the login form has its own test)."""
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def axe_violations(page) -> list[dict]:
    if not AXE.exists():
        pytest.skip("node_modules/axe-core saknas: kör `npm ci` i repots rot")
    # Evaluated through the browser's debugging protocol, not a <script> tag: a strict
    # Content-Security-Policy (no inline script) does not stop it.
    page.evaluate(AXE.read_text() + "\n;0")
    result = page.evaluate("async () => await axe.run(document)")
    return [
        {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:3]}
        for v in result["violations"]
    ]


def assert_accessible(page, where: str = "") -> None:
    violations = axe_violations(page)
    assert violations == [], f"{where or page.url}: {json.dumps(violations, ensure_ascii=False)}"


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


# Content-Security-Policy violations: the pages carry a strict policy (styra.web.csp).
_WATCH = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(
    `${e.violatedDirective} ${e.blockedURI || 'inline'} ${e.sourceFile || ''}:${e.lineNumber}`
  );
});
"""


def csp_watch(page) -> list[str]:
    """Start recording CSP violations on every document the page loads from now on; the
    returned list fills with the console's reports (the DOM events are read by
    csp_violations)."""
    seen: list[str] = []
    page.add_init_script(_WATCH)
    page.on(
        "console",
        lambda msg: seen.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    return seen


def csp_violations(page, console: list[str]) -> list[str]:
    """Violations of the current document (DOM events) plus every console report so far."""
    events = page.evaluate("window.__cspViolations || []")
    return [*events, *console]
