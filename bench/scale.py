"""Benchmark: Styra's pages on a municipality at Stockholm scale against the demo.

    # once: generate and load the scale set (and the demo) into a dedicated database
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/styra_scale \\
        .venv/bin/python bench/scale.py build stockholm --demo
    # then, as often as needed:
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/styra_scale \\
        .venv/bin/python bench/scale.py run [--repeat 5] [--json out.json]

SQLite: the same with STYRA_VAR_DIR=/tmp/scale-sqlite and no DATABASE_URL.

`run` times, server-side through Django's test client (the whole request: access check,
selectors, template), and counts the queries of each page:
- the follow-up grid (/ekonomi/<id>/uppfoljning/) of the largest committee (UBN) and of the
  demo committee AVUN, for the event 2020-D2;
- the delårsrapport of both (styra.reports.builders.build_report, and the preview page
  /rapporter/<id>/2020-D2/delarsrapport/ that renders it as HTML);
- the committee overview (/ekonomi/oversikt/) of the whole municipality (30 committees)
  and of the demo (one committee).
Goals (issue 9): the largest committee's grid within 3x the demo's; no page over 1 s on
PostgreSQL. Each figure is the median of --repeat runs after one warm-up run.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "styra.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")

DEMO_ORG_NUMBER = "212000-2882"
EVENT = "2020-D2"


def setup() -> None:
    import django

    django.setup()


def cmd_build(args) -> int:
    setup()
    from django.core.management import call_command
    from rich.console import Console

    from styra.demo.scale import RichProgress, build_scale

    console = Console(stderr=True)
    call_command("migrate", interactive=False, verbosity=0)
    if args.demo:
        from styra.demo.builder import build_demo

        t0 = time.perf_counter()
        build_demo(progress=lambda name, summary: console.print(f"✓ {name}: {summary}"))
        console.print(f"demokommunen: {time.perf_counter() - t0:.1f} s")
    t0 = time.perf_counter()
    with RichProgress(console) as progress:
        summary = build_scale(args.name, progress=progress)
    console.print(summary.text())
    console.print(f"totalt {time.perf_counter() - t0:.1f} s")
    return 0


# ---------------------------------------------------------------- timing


def _time_request(client, url: str, repeat: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(url)  # warm-up (and the status check)
    if response.status_code != 200:
        return {"url": url, "status": response.status_code}
    times = []
    queries = 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            t0 = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - t0)
        queries = len(ctx.captured_queries)
    return {
        "url": url,
        "status": response.status_code,
        "median_ms": statistics.median(times) * 1000,
        "min_ms": min(times) * 1000,
        "queries": queries,
        "bytes": len(response.content),
    }


def _time_call(fn, repeat: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    fn()
    times = []
    queries = 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            t0 = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t0)
        queries = len(ctx.captured_queries)
    return {
        "status": 200,
        "median_ms": statistics.median(times) * 1000,
        "min_ms": min(times) * 1000,
        "queries": queries,
    }


def _report_builder():
    """styra.reports' report builder (build_report(committee, event)), if there is one."""
    try:
        from styra.reports.builders import build_report
    except ImportError:
        return None
    return build_report


def cmd_run(args) -> int:
    setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    from styra.calendar.models import ReportingEvent
    from styra.demo.scale import SPECS, database_size
    from styra.finance import figures
    from styra.org.models import Municipality, OrgNode
    from styra.org.selectors import detail_units

    spec = SPECS[args.name]
    users = get_user_model().objects
    results: list[tuple[str, str, dict]] = []
    sets = []
    scale_muni = Municipality.objects.filter(org_number=spec.org_number).first()
    if scale_muni is None:
        print(f"skaldata saknas: kör först  bench/scale.py build {args.name}", file=sys.stderr)
        return 2
    if args.only_check:  # bench/all.py: is the scale set (and the demo) there?
        demo = Municipality.objects.filter(org_number=DEMO_ORG_NUMBER).exists()
        return 0 if demo else 2
    largest = OrgNode.objects.get(municipality=scale_muni, code="UBN")
    sets.append(("skala", largest, users.get(username="skala-controller")))
    demo_muni = Municipality.objects.filter(org_number=DEMO_ORG_NUMBER).first()
    if demo_muni is not None:
        avun = OrgNode.objects.filter(municipality=demo_muni, short_name="AVUN").first()
        if avun is not None and ReportingEvent.objects.filter(committee=avun, code=EVENT).exists():
            sets.append(("demo", avun, users.get(username="controller")))
    builder = _report_builder()
    for label, committee, user in sets:
        client = Client()
        client.force_login(user)
        event = ReportingEvent.objects.get(committee=committee, code=EVENT)
        units = len(detail_units(committee, event.year))
        name = f"{label}: {committee.short_name} ({units} enheter)"
        results.append(
            (
                name,
                "uppföljning (sida)",
                _time_request(
                    client, f"/ekonomi/{committee.pk}/uppfoljning/?handelse={EVENT}", args.repeat
                ),
            )
        )
        results.append(
            (
                name,
                "uppföljning, enhetsnivå (sida)",
                _time_request(
                    client,
                    f"/ekonomi/{committee.pk}/uppfoljning/?handelse={EVENT}&niva=detalj",
                    args.repeat,
                ),
            )
        )
        results.append(
            (
                name,
                "follow_up() (data)",
                _time_call(lambda c=committee, e=event: figures.follow_up(c, e), args.repeat),
            )
        )
        if builder is not None:
            results.append(
                (
                    name,
                    "delårsrapport (data)",
                    _time_call(lambda c=committee, e=event: builder(c, e), args.repeat),
                )
            )
            results.append(
                (
                    name,
                    "delårsrapport (HTML-sida)",
                    _time_request(
                        client, f"/rapporter/{committee.pk}/{EVENT}/delarsrapport/", args.repeat
                    ),
                )
            )
        results.append(
            (
                name,
                "kommunöversikt (sida)",
                _time_request(client, "/ekonomi/oversikt/", args.repeat),
            )
        )
    db_name, db_bytes = database_size()
    print(f"\n{db_name}, {db_bytes / 2**20:.0f} MiB, {connection.vendor}")
    if builder is None:
        print("(styra.reports har ingen rapportbyggare ännu: delårsrapporten mäts inte)")
    print(f"{'data':<28} {'sida':<32} {'median ms':>10} {'min ms':>8} {'frågor':>7}")
    for name, page, r in results:
        if r.get("status") != 200:
            print(f"{name:<28} {page:<32} status {r.get('status')}")
            continue
        print(
            f"{name:<28} {page:<32} {r['median_ms']:>10.0f} {r['min_ms']:>8.0f} {r['queries']:>7}"
        )
    grids = {n.split(":")[0]: r for n, p, r in results if p == "uppföljning (sida)"}
    if "skala" in grids and "demo" in grids and grids["demo"].get("median_ms"):
        ratio = grids["skala"]["median_ms"] / grids["demo"]["median_ms"]
        print(f"\nstörsta nämndens uppföljning / demons: {ratio:.1f}x (mål <= 3x)")
    slowest = max((r.get("median_ms", 0) for _n, _p, r in results), default=0)
    print(f"långsammaste sidan: {slowest:.0f} ms (mål < 1000 ms på PostgreSQL)")
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {
                    "database": db_name,
                    "bytes": db_bytes,
                    "vendor": connection.vendor,
                    "results": [{"data": n, "page": p, **r} for n, p, r in results],
                },
                indent=2,
                ensure_ascii=False,
            ),
            encoding="utf-8",
        )
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Styra i Stockholmsskala: bygg och mät.")
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="generera och läs in skaldata (kan köras om)")
    b.add_argument("name", nargs="?", default="stockholm")
    b.add_argument("--demo", action="store_true", help="bygg också demokommunen i samma databas")
    r = sub.add_parser("run", help="mät sidorna")
    r.add_argument("--name", default="stockholm")
    r.add_argument("--repeat", type=int, default=5)
    r.add_argument("--json", help="skriv resultaten som JSON hit")
    r.add_argument("--only-check", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    return {"build": cmd_build, "run": cmd_run}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
