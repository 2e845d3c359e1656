"""Demo part: AVUN's budget 2020 with periodisation, events D1/D2, forecasts, investments,
volumes and staff, from the raw files in styra/demo/data/finance/ (docs/demo.md)."""

from __future__ import annotations

from styra.finance import services
from styra.ledger.rows import ensure_default_scheme
from styra.org.models import Municipality

from .builder import DATA_DIR

TITLE = "Budget, prognoser, investeringar och volymer"
FILES = [
    ("events.yaml", services.events_import),
    ("budget-2020.csv", services.budget_import),
    ("budget-changes-2020.yaml", services.budget_changes_import),
    ("forecast-2020-D1.csv", services.forecasts_import),
    ("forecast-2020-D2.csv", services.forecasts_import),
    ("investments.yaml", services.investments_import),
    ("volumes.yaml", services.volumes_import),
    ("staff.yaml", services.staff_import),
]


def build() -> str:
    municipality = Municipality.objects.get(org_number="212000-2882")
    ensure_default_scheme(municipality)
    folder = DATA_DIR / "finance"
    done = []
    for name, loader in FILES:
        path = folder / name
        if path.exists():
            count = loader(path=path, municipality=municipality)
            done.append(f"{name} ({count})")
    return ", ".join(done) if done else "inga ekonomifiler"
