"""`styra serve`: the production server (gunicorn) answers pages and serves the static
files itself, compressed and cacheable, and stops on SIGTERM."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time

import pytest

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(port: int, path: str, headers: dict | None = None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path, headers=headers or {})
    response = conn.getresponse()
    return response, response.read()


def test_styra_serve_answers_and_serves_static_files(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
        "STYRA_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "styra.settings",
    }
    # An empty database: the login page and the static files need no tables.
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "styra.cli",
            "serve",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--threads",
            "2",
        ],
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                response, body = _get(port, "/logga-in/")
                break
            except OSError as exc:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"servern startade inte: {server.stderr.read()}") from exc
                time.sleep(0.5)
        assert response.status == 200 and "Logga in" in body.decode()
        assert (tmp_path / "static" / "styra" / "styra.css").exists()  # collected first
        css, _ = _get(port, "/static/styra/styra.css", {"Accept-Encoding": "gzip"})
        assert css.status == 200 and css.getheader("Content-Type").startswith("text/css")
        assert css.getheader("Content-Encoding") == "gzip"
        assert "max-age" in css.getheader("Cache-Control", "")
        js, _ = _get(port, "/static/styra/htmx.min.js")
        assert js.status == 200
        missing, _ = _get(port, "/static/finns-inte.css")
        assert missing.status == 404
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            raise
    assert server.returncode == 0
