"""A killed import (kill -9 in the middle) leaves the database exactly as before.

Runs the real `styra` command in a subprocess against its own database (a fresh SQLite
file, or a fresh PostgreSQL database when the suite runs on PostgreSQL), kills it while it
is writing, and compares the ledger with what was there before.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings

from styra.demo.builder import DATA_DIR
from styra.ledger.sie_write import SieVoucher, write_sie4

pytestmark = pytest.mark.slow


def _sie(path: Path, vouchers: int, seed: int) -> None:
    units = ["1000", "1100", "3010", "4010", "5000"]
    accounts = {"1930": "Bank", "3510": "Bidrag", "5010": "Löner", "4610": "Material"}
    rows = []
    for n in range(vouchers):
        day = dt.date(2020, 1 + (n * 7 + seed) % 8, 1 + n % 28)
        lines = []
        total = 0
        for k in range(9):
            amount = ((n * 31 + k * 17 + seed) % 9000 + 100) * 100
            lines.append(
                (["5010", "4610", "3510"][k % 3], (("1", units[(n + k) % 5]),), amount, "rad")
            )
            total += amount
        lines.append(("1930", (), -total, "bank"))
        rows.append(SieVoucher("A", str(n + 1), day, f"Verifikation {n + 1}", lines))
    write_sie4(
        path,
        company="Botkyrka (demo)",
        org_number="212000-2882",
        year=2020,
        accounts=accounts,
        dimensions={"1": "Ansvar"},
        objects=[],
        vouchers=rows,
    )


@pytest.fixture
def database_url():
    engine = settings.DATABASES["default"]["ENGINE"]
    if "postgresql" not in engine:
        folder = Path(os.environ.get("TMPDIR", "/tmp")) / f"styra-crash-{uuid.uuid4().hex[:8]}"
        folder.mkdir(parents=True)
        yield f"sqlite:///{folder / 'crash.sqlite3'}", None
        return
    import psycopg

    db = settings.DATABASES["default"]
    name = f"styra_crash_{uuid.uuid4().hex[:8]}"
    admin = dict(
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        user=db["USER"],
        password=db["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )
    with psycopg.connect(**admin) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    yield f"postgres://{auth}@{admin['host']}:{admin['port']}/{name}", (admin, name)
    with psycopg.connect(**admin) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def styra(url: str, *args: str, **kw) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "styra.settings"}
    return subprocess.run(
        [sys.executable, "-m", "styra.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        **kw,
    )


def ledger_state(url: str) -> str:
    out = styra(
        url,
        "ledger",
        "balances",
        "--committee",
        "AVUN",
        "--year",
        "2020",
        "--by",
        "unit,account,period",
        "--level",
        "leaf",
        "--format",
        "json",
    )
    assert out.returncode == 0, out.stderr
    return out.stdout


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def test_killed_import_leaves_the_database_as_before(database_url, tmp_path):
    url, _pg = database_url
    assert styra(url, "migrate").returncode == 0
    assert styra(url, "org", "load", str(DATA_DIR / "org.yaml")).returncode == 0
    first = tmp_path / "jan.se"
    _sie(first, 300, seed=1)
    done = styra(url, "ledger", "import", str(first))
    assert done.returncode == 0, done.stderr
    before = ledger_state(url)
    assert '"belopp"' in before

    big = tmp_path / "big.se"
    # 600 000 rows. On PostgreSQL the client starts writing after ≈ 1 s of CPU (start-up
    # and reading) and commits after ≈ 3.5 s; SQLite commits later still. Killing at 1.8 s
    # lands in the middle of the writing with a wide margin before the commit (with
    # 400 000 rows and 2.5 s the margin was 0.1 s, and a loaded machine overshot it).
    _sie(big, 60_000, seed=2)
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "styra.settings"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "styra.cli", "ledger", "import", str(big)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    # Wait until it has worked a while (well into reading and writing), then kill -9.
    deadline = time.monotonic() + 120
    while proc.poll() is None and cpu_seconds(proc.pid) < 1.8 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert proc.poll() is None, "importen hann bli klar; gör filen större"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL

    assert ledger_state(url) == before
    # And the database is healthy: the same file can be imported afterwards.
    again = styra(url, "ledger", "import", str(big))
    assert again.returncode == 0, again.stderr
    assert ledger_state(url) != before
