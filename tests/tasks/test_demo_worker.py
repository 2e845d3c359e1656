"""`styra demo` serves with a background worker beside the web server and stops it with
itself (a real `styra worker` process on its own SQLite database)."""

from __future__ import annotations

import io
import signal
import subprocess
import sys
import time

import pytest
from rich.console import Console

from styra.demo.management.commands.demo import background_worker

pytestmark = pytest.mark.slow


def test_the_demo_starts_a_worker_and_stops_it(tmp_path, monkeypatch):
    monkeypatch.setenv("STYRA_VAR_DIR", str(tmp_path))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    subprocess.run(
        [sys.executable, "-m", "styra.cli", "migrate", "--verbosity", "0"], check=True, timeout=300
    )
    handler = signal.getsignal(signal.SIGTERM)
    with background_worker(Console(file=io.StringIO()), "2020-09-03") as worker:
        time.sleep(5)  # it starts, sweeps, prunes and waits for jobs
        assert worker.poll() is None, "bakgrundsprocessen dog direkt"
    assert worker.poll() is not None  # stopped with the server
    assert signal.getsignal(signal.SIGTERM) is handler
