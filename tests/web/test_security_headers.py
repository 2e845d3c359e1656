"""Security headers: a Content-Security-Policy on every HTML response, no inline script or
style in any template, generated documents allowed only their own style sheet, and the
production settings (HSTS, secure cookies, a TLS proxy) from the environment."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.http import HttpResponse

from styra.web.csp import as_document, document_policy
from tests.walk import CAST, collect_samples, walk

STYRA = Path(__file__).resolve().parents[2] / "styra"
INLINE = re.compile(r"<script(?![^>]*\bsrc=)|<style|\sstyle=|\son[a-z]+=|javascript:", re.I)


def directives(header: str) -> dict[str, set[str]]:
    out = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            out[words[0]] = set(words[1:])
    return out


def assert_strict(url: str, response) -> None:
    if not response.get("Content-Type", "").startswith("text/html"):
        return
    header = response.get("Content-Security-Policy")
    assert header, f"{url}: ingen Content-Security-Policy ({response.status_code})"
    policy = directives(header)
    for name in ("script-src", "style-src"):
        sources = policy.get(name, policy.get("default-src"))
        assert sources, f"{url}: {name} saknas"
        assert not sources & {"'unsafe-inline'", "'unsafe-eval'", "*", "'unsafe-hashes'"}, url
    assert policy.get("object-src") == {"'none'"}, url
    assert policy.get("frame-ancestors") == {"'none'"}, url


@pytest.mark.django_db
@pytest.mark.parametrize("username", [*CAST, None])
def test_every_html_response_carries_a_strict_policy(client, cast, node, username):
    if username:
        client.force_login(cast[username])
    seen = []

    def inspect(url, response):
        assert_strict(url, response)
        seen.append(url)

    walk(client, username, collect_samples(node), inspect=inspect)
    assert len(seen) > 50
    # Error pages too: an unknown address, a refused host.
    assert_strict("/finns-inte/", client.get("/finns-inte/"))
    refused = client.get("/", HTTP_HOST="angripare.example")
    assert refused.status_code == 400
    assert_strict("fel värd", refused)


def test_no_template_has_inline_script_style_or_handlers():
    found = []
    for path in STYRA.rglob("templates/**/*.html"):
        if "pdf" in path.parts:  # print templates rendered by WeasyPrint, never served
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if INLINE.search(line):
                found.append(f"{path.relative_to(STYRA)}:{number}: {line.strip()[:80]}")
    assert found == []


def test_the_template_scan_finds_inline_code():
    for bad in (
        "<script>alert(1)</script>",
        '<p style="color:red">',
        '<a onclick="x()">',
        "<style>p{}</style>",
        '<a href="javascript:x()">',
    ):
        assert INLINE.search(bad), bad
    assert not INLINE.search('<script src="/static/x.js" defer></script>')


def test_a_generated_document_may_use_exactly_its_own_style_sheet():
    css = b"h1{color:#123}"
    html = b"<!doctype html><html><head><style>" + css + b"</style></head><body><h1>R</h1>"
    policy = directives(as_document(HttpResponse(html))["Content-Security-Policy"])
    digest = base64.b64encode(hashlib.sha256(css).digest()).decode()
    assert policy["style-src"] == {f"'sha256-{digest}'"}
    assert policy["default-src"] == {"'none'"}
    assert "script-src" not in policy  # default-src 'none': no script at all
    assert directives(document_policy(b"<p>utan stil</p>"))["style-src"] == {"'none'"}


def _settings_in(env: dict) -> dict:
    """The settings as a fresh process with this environment sees them."""
    code = (
        "import json, django; from django.conf import settings; django.setup(); print(json.dumps("
        "{k: getattr(settings, k, None) for k in ('SECURE_HSTS_SECONDS', 'SESSION_COOKIE_SECURE',"
        " 'CSRF_COOKIE_SECURE', 'CSRF_TRUSTED_ORIGINS', 'SECURE_PROXY_SSL_HEADER')}))"
    )
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("SECURE_", "STYRA_ENV"))}
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**keep, "DJANGO_SETTINGS_MODULE": "styra.settings", **env},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_turns_on_hsts_and_secure_cookies():
    prod = _settings_in({"STYRA_ENV": "production"})
    assert prod["SECURE_HSTS_SECONDS"] >= 31_536_000
    assert prod["SESSION_COOKIE_SECURE"] and prod["CSRF_COOKIE_SECURE"]
    dev = _settings_in({"STYRA_ENV": "development", "DEBUG": "1"})
    assert dev["SECURE_HSTS_SECONDS"] == 0 and not dev["SESSION_COOKIE_SECURE"]


def test_behind_a_tls_proxy_from_the_environment():
    got = _settings_in(
        {
            "CSRF_TRUSTED_ORIGINS": "https://styra.kommun.se, https://styra2.kommun.se",
            "SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto",
        }
    )
    assert got["CSRF_TRUSTED_ORIGINS"] == ["https://styra.kommun.se", "https://styra2.kommun.se"]
    assert got["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def _login_through_proxy() -> int:
    from django.test import Client

    browser = Client(enforce_csrf_checks=True, HTTP_HOST="styra.kommun.se")
    proxy = {"HTTP_X_FORWARDED_PROTO": "https", "HTTP_ORIGIN": "https://styra.kommun.se"}
    form = browser.get("/logga-in/", **proxy)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.content.decode())[1]
    data = {"csrfmiddlewaretoken": token, "username": "controller", "password": "styra-demo"}
    return browser.post("/logga-in/", data, **proxy).status_code


@pytest.mark.django_db
def test_a_post_through_the_tls_proxy_is_accepted(settings, cast):
    """The probe: behind a TLS proxy every POST failed the CSRF origin check."""
    settings.ALLOWED_HOSTS = ["styra.kommun.se"]
    settings.SECURE_PROXY_SSL_HEADER = None
    settings.CSRF_TRUSTED_ORIGINS = []
    assert _login_through_proxy() == 403  # what the probe saw
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.CSRF_TRUSTED_ORIGINS = ["https://styra.kommun.se"]
    assert _login_through_proxy() == 302
