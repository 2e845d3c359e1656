"""Demo part: the texts of AVUN's reports (styra/demo/data/reports/), loaded through the
report text service; the figures come from the finance and goals demo data."""

from __future__ import annotations

from styra.org.access import system_actor
from styra.reports.services import narratives_import

from .builder import DATA_DIR

TITLE = "Rapporttexter"


def build() -> str:
    done = []
    for path in sorted((DATA_DIR / "reports").glob("*.yaml")):
        result = narratives_import(actor=system_actor("demo"), path=path)
        done.append(f"{result.event.code}: {result.saved} textdelar")
    return ", ".join(done) or "inga rapporttexter"
