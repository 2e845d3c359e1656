"""Benchmark: the demo's full delårsrapport (AVUN 2020-D2) in HTML, PDF and DOCX, timed,
side by side with converting the same DOCX to PDF with LibreOffice headless (what a
municipality does today).

    STYRA_VAR_DIR=/tmp/bench-demo .venv/bin/python bench/report_build.py [--runs 3]

Builds the demo into STYRA_VAR_DIR first when it has no AVUN 2020-D2 report data.
Goals: all three formats in ≤ 3 s; the PDF at least 5× faster than LibreOffice.
Prints the figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def _setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "styra.settings")
    os.environ.setdefault("STYRA_VAR_DIR", str(Path(tempfile.gettempdir()) / "styra-bench-demo"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from styra.calendar.models import ReportingEvent

    if not ReportingEvent.objects.filter(committee__code="AVUN", code="2020-D2").exists():
        print("Bygger demokommunen …", flush=True)
        from styra.demo.builder import build_demo

        build_demo()


def _timed(func, runs: int):
    times, result = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), min(times), result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="antal körningar (median visas)")
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    import docx  # noqa: F401
    import weasyprint  # noqa: F401

    imports = time.perf_counter() - t0
    _setup()
    from styra.calendar.models import ReportingEvent
    from styra.org.models import OrgNode
    from styra.reports.builders import build_report
    from styra.reports.renderers import render, render_many

    committee = OrgNode.objects.get(code="AVUN", kind="committee")
    event = ReportingEvent.objects.get(committee=committee, code="2020-D2")
    render(build_report(committee, event), "pdf")  # warm-up: fonts, caches

    rows = []
    build_med, build_min, report = _timed(lambda: build_report(committee, event), args.runs)
    rows.append(("data (builder)", build_med, build_min, ""))
    outputs = {}
    for fmt in ("html", "pdf", "docx"):
        med, mn, data = _timed(lambda fmt=fmt: render(report, fmt), args.runs)
        outputs[fmt] = data
        rows.append((fmt.upper(), med, mn, f"{len(data) // 1024} kB"))
    total = build_med + sum(r[1] for r in rows[1:])
    par_med, par_min, _ = _timed(
        lambda: (
            (build_report(committee, event) and None)
            or render_many(report, ["html", "pdf", "docx"], parallel=True)
        ),
        args.runs,
    )

    print(f"\nAVUN Delårsrapport 2 2020 ({args.runs} körningar, median / bästa)")
    print(f"  {'steg':<26}{'median':>9}{'bästa':>9}  storlek")
    for name, med, mn, size in rows:
        print(f"  {name:<26}{med:>8.2f}s{mn:>8.2f}s  {size}")
    print(f"  {'alla tre, efter varandra':<26}{total:>8.2f}s")
    print(f"  {'alla tre, PDF+DOCX parallellt':<26}{par_med:>8.2f}s{par_min:>8.2f}s")
    print(f"  (import av WeasyPrint och python-docx första gången: {imports:.2f} s)")
    print(f"  Mål ≤ 3 s för alla tre: {'uppfyllt' if total <= 3 else 'ej uppfyllt'}")

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        print(
            "\nLibreOffice saknas, så jämförelsen hoppas över. Installera med:\n"
            "  apt-get install -y libreoffice-writer-nogui"
        )
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "rapport.docx"
        src.write_bytes(outputs["docx"])
        profile = Path(tmp) / "profil"
        cold = []

        def convert_cold():
            fresh = Path(tempfile.mkdtemp(dir=tmp))
            t = time.perf_counter()
            subprocess.run(
                [
                    soffice,
                    f"-env:UserInstallation=file://{fresh}",
                    "--headless",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    str(fresh),
                    str(src),
                ],
                check=True,
                capture_output=True,
            )
            cold.append(time.perf_counter() - t)

        for _ in range(min(args.runs, 2)):
            convert_cold()

        def convert():
            subprocess.run(
                [
                    soffice,
                    f"-env:UserInstallation=file://{profile}",
                    "--headless",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    tmp,
                    str(src),
                ],
                check=True,
                capture_output=True,
            )
            return (Path(tmp) / "rapport.pdf").stat().st_size

        convert()  # first start creates the profile; not counted
        lo_med, lo_min, size = _timed(convert, args.runs)
    pdf_med = rows[2][1]
    print(
        f"\nLibreOffice headless DOCX → PDF: median {lo_med:.2f} s, bästa {lo_min:.2f} s "
        f"({size // 1024} kB)"
    )
    cold_med = statistics.median(cold)
    print(f"LibreOffice kallstart (ny profil, som första körningen): median {cold_med:.2f} s")
    print(
        f"Styras PDF (WeasyPrint, PDF/UA): median {pdf_med:.2f} s → {lo_med / pdf_med:.1f}× "
        f"mot varm och {cold_med / pdf_med:.1f}× mot kall LibreOffice "
        f"(mål ≥ 5×: {'uppfyllt' if lo_med / pdf_med >= 5 else 'ej uppfyllt'})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
