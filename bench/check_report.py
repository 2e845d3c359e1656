"""Benchmark of `styra check`: generates long synthetic reports (PDF with WeasyPrint, DOCX with
python-docx, tab-separated text) and times check_file on each.

    .venv/bin/python bench/check_report.py [--sidor 100]

Prints pages, tables, findings and seconds per file; exits 1 if a 100-page report takes more
than 10 seconds to check (the target is "a few seconds").
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from styra.checker import sample
from styra.checker.api import check_file


def main() -> int:
    ap = argparse.ArgumentParser(description="Mät hur snabbt styra check läser långa rapporter.")
    ap.add_argument("--sidor", type=int, default=100, help="ungefärligt antal PDF-sidor")
    args = ap.parse_args()
    blocks = max(1, args.sidor * 4 // 3)  # a unit table with its unit texts is ~3/4 page
    report = sample.make_report(11, {"enhetssumma", "avvikelse"}, units=6, blocks=blocks)
    worst = 0.0
    with tempfile.TemporaryDirectory() as d:
        files = {}
        t0 = time.perf_counter()
        files["pdf"] = Path(d) / "lang.pdf"
        sample.write_pdf(report, files["pdf"])
        gen_pdf = time.perf_counter() - t0
        files["docx"] = Path(d) / "lang.docx"
        sample.write_docx(report, files["docx"])
        files["txt"] = Path(d) / "lang.txt"
        files["txt"].write_text(sample.render_text(report), encoding="utf-8")
        print(f"(PDF genererad med WeasyPrint på {gen_pdf:.1f} s)")
        for kind, path in files.items():
            t0 = time.perf_counter()
            result = check_file(path)
            secs = time.perf_counter() - t0
            pages = result.pages if kind == "pdf" else "-"
            print(
                f"{kind:5} sidor {pages!s:>4}  tabeller {result.tables:4}  fynd "
                f"{len(result.findings):4}  {secs:6.2f} s"
                + (f"  FEL: {result.error}" if result.error else "")
            )
            if kind == "pdf":
                per100 = secs / max(result.pages, 1) * 100
                print(f"      = {per100:.2f} s per 100 sidor")
                worst = max(worst, per100)
    return 1 if worst > 10 else 0


if __name__ == "__main__":
    sys.exit(main())
