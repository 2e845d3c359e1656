"""`make bench`: every speed figure of issue 13 side by side, in one run.

    .venv/bin/python bench/all.py [--quick] [--only import,pages,load] [--json out.json]

1. Ledger import (bench/ledger_import.py): parsing a generated SIE 4 file with Styra's
   reader and the peer pysie-accounting (when installed), and the whole import into a fresh
   SQLite file and a fresh PostgreSQL database: seconds and peak memory.
2. Pages (bench/scale.py run): the demo committee AVUN and the largest committee (UBN) of
   the scale municipality, on PostgreSQL; the scale set is built first if the database
   lacks it (bench/scale.py build NAME --demo; minutes for Stockholm, once).
3. Load (bench/loadtest.py): 50 users against `styra serve` on 127.0.0.1 with a trivial
   Django view for comparison, and the mixed workload of controllers, unit managers and
   readers.

Full run: 1 000 000 rows, Stockholm scale (30 committees, 3 000 units, 5 million rows a
year), 20 s per load phase. --quick: 100 000 rows, the "medel" scale (10 committees, 600
units, 500 000 rows a year), 5 s per load phase: a few minutes.

Databases: BENCH_DATABASE_URL (a PostgreSQL server URL ending in a database name; the scale
set gets its own database beside it, styra_bench_<scale>) or postgres://postgres@127.0.0.1
:5432. Each part runs in its own process; a part that fails is reported and the others run.
Prints figures; asserts nothing (never a timed test).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
PARTS = ("import", "pages", "load")


def _run(label: str, cmd: list[str], env: dict) -> int:
    print(f"\n=== {label} ===\n$ {' '.join(cmd[1:])}", flush=True)
    t0 = time.perf_counter()
    code = subprocess.call(cmd, cwd=ROOT, env=env)
    print(f"({label}: {time.perf_counter() - t0:.0f} s, slutkod {code})", flush=True)
    return code


def _load(path: Path):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _pg_url(base: str, name: str) -> str:
    return base.rsplit("/", 1)[0] + "/" + name


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Alla bänkar för import, sidor och last i en körning.")
    ap.add_argument("--quick", action="store_true", help="mindre data och kortare faser")
    ap.add_argument("--only", default=",".join(PARTS), help="delar: import,pages,load")
    ap.add_argument("--users", type=int, default=50, help="användare i lasttestet")
    ap.add_argument("--json", help="skriv alla siffror som JSON hit")
    args = ap.parse_args(argv)
    parts = [p for p in args.only.split(",") if p]
    unknown = sorted(set(parts) - set(PARTS))
    if unknown:
        ap.error(f"okända delar: {', '.join(unknown)}")

    rows = 100_000 if args.quick else 1_000_000
    scale = "medel" if args.quick else "stockholm"
    seconds = 5 if args.quick else 20
    base = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/styra_bench")
    scale_url = _pg_url(base, f"styra_bench_{scale}")
    out = Path(tempfile.mkdtemp(prefix="styra-bench-"))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    started = dt.datetime.now()
    codes = {}

    if "import" in parts:
        codes["import"] = _run(
            "Huvudboksimport",
            [PY, "bench/ledger_import.py", "--rows", str(rows), "--repeat", "1" if args.quick
             else "2", "--json", str(out / "import.json")],
            {**env, "DATABASE_URL": _pg_url(base, "styra_bench_import")},
        )  # fmt: skip
    if "pages" in parts or "load" in parts:
        _ensure_database(scale_url)
        scale_env = {**env, "DATABASE_URL": scale_url}
        probe = subprocess.run(
            [PY, "bench/scale.py", "run", "--name", scale, "--repeat", "1", "--only-check"],
            cwd=ROOT, env=scale_env, capture_output=True, text=True, check=False,
        )  # fmt: skip
        if probe.returncode != 0:
            codes["build"] = _run(
                f"Skaldata {scale} (byggs en gång)",
                [PY, "bench/scale.py", "build", scale, "--demo"],
                scale_env,
            )
        if "pages" in parts:
            codes["pages"] = _run(
                "Sidor: demo och största nämnden",
                [PY, "bench/scale.py", "run", "--name", scale, "--repeat",
                 "3" if args.quick else "5", "--json", str(out / "pages.json")],
                scale_env,
            )  # fmt: skip
        if "load" in parts:
            codes["load"] = _run(
                f"Lasttest: {args.users} användare mot styra serve",
                [PY, "bench/loadtest.py", "--name", scale, "--users", str(args.users),
                 "--seconds", str(seconds), "--json", str(out / "load.json")],
                scale_env,
            )  # fmt: skip

    figures = {
        "started": started.isoformat(timespec="seconds"),
        "quick": args.quick,
        "rows": rows,
        "scale": scale,
        "cores": os.cpu_count(),
        "import": _load(out / "import.json"),
        "pages": _load(out / "pages.json"),
        "load": _load(out / "load.json"),
        "exit_codes": codes,
    }
    print(summary(figures))
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2, ensure_ascii=False), "utf-8")
    return 0 if all(c == 0 for c in codes.values()) else 1


def _ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(_pg_url(url, "postgres"), autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


# ---------------------------------------------------------------- the side-by-side summary


def _n(value, digits=0) -> str:
    """Swedish number: space thousands, decimal comma."""
    if value is None:
        return "–"
    text = f"{value:,.{digits}f}".replace(",", " ").replace(".", ",")
    return text


def summary(f: dict) -> str:
    lines = [
        "",
        "=" * 78,
        f"Styra: bänkar {f['started']} ({f['cores']} kärnor){' – snabbläge' if f['quick'] else ''}",
        "=" * 78,
    ]
    imp = f.get("import")
    if imp:
        lines += ["", f"Huvudboksimport: {_n(imp['rows'])} rader SIE 4 ({_n(imp['file_mb'])} MB)"]
        # CPU seconds beside the wall clock: on a shared machine the wall clock measures
        # the other processes too (PostgreSQL's own CPU is not in the client's figure).
        lines.append(f"  {'':26} {'sekunder':>9} {'cpu-s':>7} {'max minne MB':>13}")
        for name, r in (imp.get("parse") or {}).items():
            lines.append(
                f"  {'tolkning, ' + name:<26} {_n(r['seconds'], 2):>9} {_n(r['cpu'], 2):>7} "
                f"{_n(r['max_rss_mb']):>13}"
            )
        parse = imp.get("parse") or {}
        if "styra" in parse and "pysie-accounting" in parse:
            ratio = parse["pysie-accounting"]["seconds"] / parse["styra"]["seconds"]
            cpu_ratio = parse["pysie-accounting"]["cpu"] / parse["styra"]["cpu"]
            lines.append(
                f"  Styra tolkar {_n(ratio, 1)}× så fort som pysie-accounting ({_n(cpu_ratio, 1)}× "
                "i cpu-tid; mål ≥ 3×)"
            )
        for name, r in (imp.get("import") or {}).items():
            lines.append(
                f"  {'hela importen, ' + name:<26} {_n(r['seconds'], 2):>9} {_n(r['cpu'], 2):>7} "
                f"{_n(r['max_rss_mb']):>13}"
            )
        floor = imp.get("floor")
        if floor:
            lines.append(
                f"  fysiskt golv: läsa {_n(floor['mb'])} MB {_n(floor['read_s'], 2)} s, skriva "
                f"dem med fsync {_n(floor['write_s'], 2)} s"
            )
        lines.append("  mål: hela importen ≤ 5 s per miljon rader och ≤ 300 MB på båda databaserna")
    pages = f.get("pages")
    if pages:
        lines += ["", f"Sidor ({pages['vendor']}, median ms / antal frågor):"]
        by_page: dict[str, dict[str, dict]] = {}
        sets = []
        for r in pages["results"]:
            label = r["data"]
            if label not in sets:
                sets.append(label)
            by_page.setdefault(r["page"], {})[label] = r
        lines.append(f"  {'sida':<32}" + "".join(f" {s[:24]:>24}" for s in sets) + "   kvot")
        for page, cells in by_page.items():
            row = f"  {page:<32}"
            values = []
            for s in sets:
                r = cells.get(s)
                if r and r.get("median_ms") is not None:
                    row += f" {_n(r['median_ms']) + ' / ' + str(r['queries']):>24}"
                    values.append(r["median_ms"])
                else:
                    row += f" {'–':>24}"
            if len(values) == 2 and values[1]:
                row += f"  {_n(values[0] / values[1], 1)}×"
            lines.append(row)
        slowest = max((r.get("median_ms") or 0) for r in pages["results"])
        lines.append(
            f"  långsammaste sidan {_n(slowest)} ms (mål ≤ 1 000 ms); största nämndens "
            "uppföljning ≤ 3× demons"
        )
    load = f.get("load")
    if load:
        lines += ["", "Lasttest (styra serve på 127.0.0.1):"]
        lines.append(
            f"  {'fas / sida':<30} {'antal':>7} {'per s':>7} {'fel':>5} {'median ms':>10} "
            f"{'p95 ms':>8}"
        )
        trivial = next((r for r in load if r["phase"] == "trivial"), None)
        for r in load:
            lines.append(
                f"  {r['phase']:<30} {r['requests']:>7} {_n(r['throughput'], 1):>7} "
                f"{r['errors']:>5} {_n(r['median_ms']):>10} {_n(r['p95_ms']):>8}"
            )
            if r["phase"] == "mixed":
                for kind, k in r["by_kind"].items():
                    lines.append(
                        f"    {kind:<28} {k['n']:>7} {'':>7} {k['errors']:>5} "
                        f"{_n(k['median_ms']):>10} {_n(k['p95_ms']):>8}"
                    )
        if trivial:
            for r in load:
                if r["phase"] != "trivial" and trivial["throughput"]:
                    share = 100 * r["throughput"] / trivial["throughput"]
                    lines.append(f"  {r['phase']}: {_n(share, 1)} % av den triviala vyns takt")
        lines.append("  mål (blandat): 0 fel och p95 ≤ 1 s")
    failed = [k for k, c in f.get("exit_codes", {}).items() if c]
    if failed:
        lines += ["", f"Delar som inte gick igenom (slutkod ≠ 0): {', '.join(failed)}"]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
