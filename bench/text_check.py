"""The live figure check of a text as it is typed (issue 14), side by side with building
and checking the whole report, on the demo database (run `styra demo --no-serve` first;
DATABASE_URL as everywhere).

    .venv/bin/python bench/text_check.py [--rounds 5]

Each round of the live check builds the report with the typed text in its place and runs
the report check on it, so its time is that of the full check plus the filtering. Prints
the median seconds per step; asserts nothing (never a timed test).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _median(func, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        func()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> int:
    ap = argparse.ArgumentParser(description="Mät den levande kontrollen av siffror i text.")
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "styra.settings")
    import django

    django.setup()
    from styra.calendar.models import ReportingEvent
    from styra.goals.checks import analysis_warnings
    from styra.goals.models import Goal
    from styra.org.models import OrgNode
    from styra.reports.builders import build_report
    from styra.reports.checks import check_report
    from styra.reports.selectors import text_findings

    committee = OrgNode.objects.filter(code="AVUN").first()
    event = committee and ReportingEvent.objects.filter(committee=committee, code="2020-D2").first()
    unit = OrgNode.objects.filter(code="JC").first()
    if event is None or unit is None:
        print("Demodatan saknas: kör `styra demo --no-serve` först.")
        return 2
    goal = Goal.objects.filter(committee=committee).order_by("code").first()
    text = "Jobbcenter gör ett överskott på 0,9 mkr.\n\n- Underskott på 2 mkr för Jobbcenter."
    steps = {
        "bygga rapporten": lambda: build_report(committee, event),
        "bygga + kontrollera rapporten": lambda: check_report(build_report(committee, event)),
        "levande kontroll, en text": lambda: text_findings(
            committee, event, "delarsrapport", text=text, part="analys", unit=unit
        ),
        "levande kontroll, en målanalys": lambda: analysis_warnings(
            committee, event, {goal: "Andelen var 40 % (5 av 12)."}
        ),
    }
    print(f"AVUN 2020-D2, median av {args.rounds} varv:")
    for label, func in steps.items():
        print(f"  {label:34} {_median(func, args.rounds):6.3f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
