"""Load test: 50 concurrent users against Styra on the scale set, on loopback only.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/styra_scale \\
        .venv/bin/python bench/loadtest.py [--users 50] [--seconds 20] [--max-requests 20000]

Starts the production server, `styra serve` (gunicorn, static files by WhiteNoise; or
`--server runserver`, Django's threaded development server), on 127.0.0.1 with
bench/loadtest_settings.py, which adds a trivial view /bench/trivial/ beside the product's
pages, and a `styra worker` for the report builds the controllers start (`--no-worker`:
none). This script's client half (one thread per user, plain http.client keep-alive
connections) then runs bounded phases, each stopping after --seconds or --max-requests,
whichever first:

1. trivial:   every user GETs /bench/trivial/ (the server's and Django's own ceiling);
2. dashboard: every user GETs the follow-up grid of the largest committee (UBN);
   dashboard-demo: the same page of the demo committee AVUN (when the demo is loaded);
3. mixed:     the week a delårsrapport is due, as logged-in sessions: --editors unit
              managers (15) open their forecast form and save a forecast (POST with the
              CSRF token); --controllers controllers (10) open the follow-up of UBN at
              operating-area and at unit level, the kommunöversikt, and now and then start
              the delårsrapport's files (a background job: the request only queues it) and
              look at its progress; the rest read (kommunöversikt, the grid of UBN or of
              another committee).

Reports per phase and per page: requests, errors (status >= 400, a failed save, or a
connection error; goal: zero), median and p95 latency, and throughput against the
trivial view. Traffic goes to 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
HOST = "127.0.0.1"
EVENT = "2020-D2"
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
FORECAST_INPUT = re.compile(r'name="prognos-([A-Za-z0-9_-]+)"')


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


# ---------------------------------------------------------------- the server


def server_env() -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.loadtest_settings",
        "PYTHONPATH": str(ROOT),
        "SECURE_COOKIES": "0",  # plain http on loopback
        "ALLOWED_HOSTS": f"{HOST},localhost",
    }


def start_server(kind: str, port: int, workers: int, threads: int) -> subprocess.Popen:
    env = server_env()
    if kind == "serve":
        # The product's own production server, as `styra serve` runs it in production.
        env["GUNICORN_CMD_ARGS"] = "--keep-alive 30"  # the clients keep their connections
        cmd = [
            sys.executable,
            "-m",
            "styra.cli",
            "serve",
            "--bind",
            f"{HOST}:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--timeout",
            "120",
        ]
    else:
        cmd = [
            sys.executable,
            "-m",
            "django",
            "runserver",
            f"{HOST}:{port}",
            "--noreload",
            "--insecure",
        ]
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=5)
            conn.request("GET", "/bench/trivial/")
            if conn.getresponse().status == 200:
                conn.close()
                return proc
        except OSError:
            time.sleep(0.5)
        if proc.poll() is not None:
            raise SystemExit(f"servern startade inte (slutkod {proc.returncode})")
    stop_server(proc)
    raise SystemExit("servern svarade inte inom 60 s")


def start_worker() -> subprocess.Popen:
    """A `styra worker` for the background jobs the controllers start."""
    return subprocess.Popen(
        [sys.executable, "-m", "styra.cli", "worker", "--quiet"],
        env=server_env(),
        cwd=ROOT,
        start_new_session=True,
    )


def stop_server(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


# ---------------------------------------------------------------- sessions and targets


@dataclass
class Targets:
    grid_largest: str
    grids_other: list[str]
    overview: str
    reader_cookies: list[str]
    controller_cookie: str
    grid_largest_units: str
    report_files: str  # POST: start the delårsrapport's files of the largest committee
    editors: list[tuple[str, str]]  # (cookie, forecast form path)
    demo_grid: str | None = None  # the demo committee AVUN's grid, when the demo is loaded
    demo_cookie: str = ""


def prepare(users: int, editors: int, name: str = "stockholm") -> Targets:
    """Logged-in sessions (made with Django's own login, stored in the database the server
    reads) and the URLs to hit."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.loadtest_settings")
    os.environ["SECURE_COOKIES"] = "0"
    os.environ.setdefault("ALLOWED_HOSTS", f"{HOST},localhost,testserver")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    from styra.calendar.models import ReportingEvent
    from styra.demo.scale import SPECS
    from styra.finance.models import ForecastReady
    from styra.org.models import Municipality, NodeKind, OrgNode, RoleGrant

    muni = Municipality.objects.filter(org_number=SPECS[name].org_number).first()
    if muni is None:
        raise SystemExit(f"skaldata saknas: kör först  bench/scale.py build {name}")
    committees = list(OrgNode.objects.filter(municipality=muni, kind=NodeKind.COMMITTEE))
    largest = next(c for c in committees if c.code == "UBN")
    User = get_user_model()

    def cookie_for(user) -> str:
        client = Client()
        client.force_login(user)
        return (
            f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
        )

    readers = [
        User.objects.get(username="skala-controller"),
        User.objects.get(username="skala-lasare"),
    ]
    reader_cookies = [cookie_for(readers[i % 2]) for i in range(users - editors)]
    editor_rows = []
    grants = RoleGrant.objects.filter(
        user__username__startswith="skala-chef", role="editor"
    ).select_related("user", "node")
    event = ReportingEvent.objects.get(committee=largest, code=EVENT)
    for grant in list(grants.order_by("user__username"))[:editors]:
        # A unit that has marked its forecast ready is locked for its manager: reopen it, as
        # the controller would, so that every save is a real write.
        ForecastReady.objects.filter(event=event, unit=grant.node).delete()
        editor_rows.append((cookie_for(grant.user), f"/ekonomi/{grant.node.pk}/prognos/{EVENT}/"))
    demo = OrgNode.objects.filter(municipality__org_number="212000-2882", code="AVUN").first()
    demo_user = User.objects.filter(username="controller").first()
    if len(editor_rows) < editors:
        raise SystemExit(
            f"bara {len(editor_rows)} enhetschefer i skaldata; kör bench/scale.py build"
        )
    return Targets(
        grid_largest=f"/ekonomi/{largest.pk}/uppfoljning/?handelse={EVENT}",
        grid_largest_units=f"/ekonomi/{largest.pk}/uppfoljning/?handelse={EVENT}&niva=detalj",
        report_files=f"/rapporter/{largest.pk}/{EVENT}/delarsrapport/filer/",
        controller_cookie=cookie_for(readers[0]),
        grids_other=[
            f"/ekonomi/{c.pk}/uppfoljning/?handelse={EVENT}" for c in committees if c != largest
        ],
        overview="/ekonomi/oversikt/",
        reader_cookies=reader_cookies,
        editors=editor_rows,
        demo_grid=f"/ekonomi/{demo.pk}/uppfoljning/?handelse={EVENT}" if demo else None,
        demo_cookie=cookie_for(demo_user) if demo and demo_user else "",
    )


# ---------------------------------------------------------------- the client


@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    errors_by_kind: dict[str, int] = field(default_factory=dict)
    lock: threading.RLock = field(default_factory=threading.RLock)
    count: int = 0

    def add(self, kind: str, seconds: float, error: str | None = None) -> None:
        with self.lock:
            self.latencies.setdefault(kind, []).append(seconds)
            self.count += 1
            if error:
                self.fail(kind, error)

    def fail(self, kind: str, error: str) -> None:
        """An error found after the request was counted (a save that did not redirect)."""
        with self.lock:
            self.errors.append(f"{kind}: {error}")
            self.errors_by_kind[kind] = self.errors_by_kind.get(kind, 0) + 1


class User:
    def __init__(self, port: int, cookie: str, stats: Stats):
        self.port = port
        self.cookie = cookie
        self.stats = stats
        self.conn: http.client.HTTPConnection | None = None

    def request(self, kind: str, method: str, path: str, body: str | None = None):
        headers = {"Cookie": self.cookie, "Host": f"{HOST}:{self.port}"}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        t0 = time.perf_counter()
        for attempt in (1, 2):  # a keep-alive connection the server closed: reconnect once
            try:
                if self.conn is None:
                    self.conn = http.client.HTTPConnection(HOST, self.port, timeout=60)
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                break
            except (http.client.HTTPException, OSError) as exc:
                self.conn = None
                if attempt == 2:
                    self.stats.add(kind, time.perf_counter() - t0, f"{type(exc).__name__} {exc}")
                    return None, b""
        error = None if response.status < 400 else f"{response.status} {path}"
        for name, value in response.getheaders():
            if name.lower() == "set-cookie" and value.startswith("csrftoken="):
                token = value.split(";", 1)[0]
                if "csrftoken=" not in self.cookie:
                    self.cookie += f"; {token}"
        self.stats.add(kind, time.perf_counter() - t0, error)
        return response, data


def run_phase(name, port, workers_fn, users, seconds, max_requests) -> dict:
    stats = Stats()
    stop_at = time.monotonic() + seconds

    def loop(index: int) -> None:
        act = workers_fn(index, stats)
        while time.monotonic() < stop_at and stats.count < max_requests:
            act()

    threads = [threading.Thread(target=loop, args=(i,), daemon=True) for i in range(users)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=seconds + 120)
    wall = time.perf_counter() - t0
    all_latencies = sorted(x for v in stats.latencies.values() for x in v)

    def pct(values, p):
        return values[min(len(values) - 1, int(p * len(values)))] * 1000 if values else 0.0

    return {
        "phase": name,
        "requests": stats.count,
        "seconds": wall,
        "throughput": stats.count / wall if wall else 0.0,
        "median_ms": statistics.median(all_latencies) * 1000 if all_latencies else 0.0,
        "p95_ms": pct(all_latencies, 0.95),
        "errors": len(stats.errors),
        "error_samples": stats.errors[:5],
        "by_kind": {
            k: {
                "n": len(v),
                "errors": stats.errors_by_kind.get(k, 0),
                "median_ms": statistics.median(v) * 1000,
                "p95_ms": pct(sorted(v), 0.95),
            }
            for k, v in stats.latencies.items()
        },
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Lasttest av Styra på 127.0.0.1.")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--editors", type=int, default=15, help="av användarna: enhetschefer")
    parser.add_argument("--controllers", type=int, default=10, help="av användarna: controllers")
    parser.add_argument("--seconds", type=float, default=20.0, help="längd per fas")
    parser.add_argument("--max-requests", type=int, default=20000, help="tak per fas")
    parser.add_argument("--server", choices=["serve", "runserver"], default="serve")
    parser.add_argument("--workers", type=int, default=2, help="serverprocesser")
    parser.add_argument("--threads", type=int, default=8, help="trådar per serverprocess")
    parser.add_argument(
        "--no-worker", action="store_true", help="ingen bakgrundsprocess (rapportfilerna köas bara)"
    )
    parser.add_argument("--name", default="stockholm", help="skaldatat (bench/scale.py build)")
    parser.add_argument("--phases", default="trivial,dashboard,dashboard-demo,mixed")
    parser.add_argument("--json", help="skriv resultaten som JSON hit")
    args = parser.parse_args(argv)
    if args.editors + args.controllers >= args.users:
        parser.error("--users måste vara fler än --editors + --controllers")

    targets = prepare(args.users, args.editors, args.name)
    port = free_port()
    server = start_server(args.server, port, args.workers, args.threads)
    worker = None if args.no_worker else start_worker()
    results = []
    try:

        def trivial(index, stats):
            user = User(port, "", stats)
            return lambda: user.request("trivial vy", "GET", "/bench/trivial/")

        def dashboard(index, stats):
            user = User(port, targets.reader_cookies[index % len(targets.reader_cookies)], stats)
            return lambda: user.request("uppföljning UBN", "GET", targets.grid_largest)

        def dashboard_demo(index, stats):
            user = User(port, targets.demo_cookie, stats)
            return lambda: user.request("uppföljning AVUN (demo)", "GET", targets.demo_grid)

        def editor(index, stats):
            rnd = random.Random(index)
            cookie, form = targets.editors[index]
            user = User(port, cookie, stats)

            def save():
                response, data = user.request("prognosformulär", "GET", form)
                if response is None or response.status != 200:
                    return
                text = data.decode("utf-8", "replace")
                token = CSRF_INPUT.search(text)
                rows = FORECAST_INPUT.findall(text)
                if not token or not rows:
                    stats.fail("prognosformulär", "formuläret saknar token eller rader")
                    return
                row = rnd.choice(rows)
                value = rnd.randint(-9000, -100)
                body = f"csrfmiddlewaretoken={token.group(1)}&prognos-{row}={value}"
                response, _ = user.request("spara prognos", "POST", form, body)
                if response is not None and response.status != 302:
                    stats.fail("spara prognos", f"POST gav {response.status}, inte 302")

            return save

        def controller(index, stats):
            rnd = random.Random(1000 + index)
            user = User(port, targets.controller_cookie, stats)
            state = {"token": None, "job": None}

            def work():
                roll = rnd.random()
                if roll < 0.1 and state["token"]:
                    body = f"csrfmiddlewaretoken={state['token']}"
                    response, _ = user.request(
                        "rapportfiler (starta)", "POST", targets.report_files, body
                    )
                    if response is None:
                        return
                    where = response.getheader("Location", "")
                    if response.status != 302 or "/arbeten/" not in where:
                        stats.fail("rapportfiler (starta)", f"gav {response.status} {where}")
                        return
                    state["job"] = where.rstrip("/") + "/forlopp/"
                    return
                if roll < 0.25 and state["job"]:
                    user.request("rapportfiler (förlopp)", "GET", state["job"])
                    return
                if roll < 0.5:
                    path, kind = targets.grid_largest, "uppföljning UBN"
                elif roll < 0.75:
                    path, kind = targets.grid_largest_units, "uppföljning UBN, enheter"
                else:
                    path, kind = targets.overview, "kommunöversikt"
                response, data = user.request(kind, "GET", path)
                if response is not None and response.status == 200:
                    token = CSRF_INPUT.search(data.decode("utf-8", "replace"))
                    state["token"] = token.group(1) if token else state["token"]

            return work

        def reader(index, stats):
            rnd = random.Random(index)
            user = User(port, targets.reader_cookies[index % len(targets.reader_cookies)], stats)

            def read():
                roll = rnd.random()
                if roll < 0.4:
                    user.request("kommunöversikt", "GET", targets.overview)
                elif roll < 0.7:
                    user.request("uppföljning UBN", "GET", targets.grid_largest)
                else:
                    user.request("uppföljning annan nämnd", "GET", rnd.choice(targets.grids_other))

            return read

        def mixed(index, stats):
            if index < args.editors:
                return editor(index, stats)
            if index < args.editors + args.controllers:
                return controller(index - args.editors, stats)
            return reader(index, stats)

        phases = {
            "trivial": trivial,
            "dashboard": dashboard,
            "dashboard-demo": dashboard_demo,
            "mixed": mixed,
        }
        for name in args.phases.split(","):
            if name == "dashboard-demo" and not targets.demo_grid:
                print(
                    "dashboard-demo: demokommunen saknas i databasen (bench/scale.py build --demo)"
                )
                continue
            result = run_phase(
                name, port, phases[name], args.users, args.seconds, args.max_requests
            )
            results.append(result)
            print_phase(result)
    finally:
        stop_server(server)
        if worker is not None:
            stop_server(worker)
    by_name = {r["phase"]: r for r in results}
    trivial_rate = by_name.get("trivial", {}).get("throughput")
    for name in ("dashboard", "dashboard-demo", "mixed"):
        if trivial_rate and name in by_name:
            ratio = by_name[name]["throughput"] / trivial_rate
            print(f"{name}: genomströmning / trivial vy = {ratio:.4f}")
    if "mixed" in by_name:
        mixed_result = by_name["mixed"]
        ok = mixed_result["errors"] == 0 and mixed_result["p95_ms"] <= 1000
        print(
            f"mål (blandat): 0 fel och p95 <= 1 s: {'ja' if ok else 'NEJ'} "
            f"({mixed_result['errors']} fel, p95 {mixed_result['p95_ms']:.0f} ms)"
        )
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2, ensure_ascii=False))
    return 1 if any(r["errors"] for r in results) else 0


def print_phase(result: dict) -> None:
    print(
        f"{result['phase']:<14} {result['requests']:>6} förfrågningar på "
        f"{result['seconds']:5.1f} s: {result['throughput']:7.1f}/s, median "
        f"{result['median_ms']:6.0f} ms, p95 {result['p95_ms']:6.0f} ms, fel {result['errors']}",
        flush=True,
    )
    print(f"    {'sida':<26} {'antal':>6} {'fel':>4} {'median ms':>10} {'p95 ms':>8}")
    for kind, k in result["by_kind"].items():
        print(
            f"    {kind:<26} {k['n']:>6} {k['errors']:>4} {k['median_ms']:>10.0f} "
            f"{k['p95_ms']:>8.0f}"
        )
    for sample in result["error_samples"]:
        print(f"    fel: {sample}")


if __name__ == "__main__":
    sys.exit(main())
