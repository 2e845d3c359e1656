"""Demo part: AVUN's budget 2020 with periodisation, events D1/D2, forecasts, investments
and volumes, from the raw files in styra/demo/data/finance/ (docs/demo.md).

The events are loaded open first, the forecasts go in, and then the file's approvals are
applied (D1 is approved and locked). On a later run the locked event's forecasts are
already final and are left as they are.
"""

from __future__ import annotations

import csv

from styra.calendar.locks import event_is_locked
from styra.calendar.models import ReportingEvent
from styra.finance import services
from styra.finance.models import ForecastReady
from styra.ledger.rows import ensure_default_scheme
from styra.org.access import system_actor
from styra.org.models import Municipality, OrgNode

from .builder import DATA_DIR

TITLE = "Budget, prognoser, investeringar och volymer"
FOLDER = DATA_DIR / "finance"


def _forecast_event(path) -> str:
    with open(path, encoding="utf-8") as fh:
        return next(csv.DictReader(fh, delimiter=";"))["händelse"]


# Units whose D2 forecast the demo marks ready; Jobbcenter's is left for its manager to do.
READY_D2 = ["NAMND", "GEM", "DV", "UFV"]


def _mark_ready(municipality) -> None:
    event = ReportingEvent.objects.filter(
        committee__municipality=municipality, code="2020-D2"
    ).first()
    if event is None or event_is_locked(event):
        return
    for unit in OrgNode.objects.filter(municipality=municipality, code__in=READY_D2):
        ForecastReady.objects.get_or_create(event=event, unit=unit)


def build() -> str:
    actor = system_actor("demo")
    municipality = Municipality.objects.get(org_number="212000-2882")
    ensure_default_scheme(municipality)
    done = []
    events = FOLDER / "events.yaml"
    services.events_import(actor=actor, path=events, municipality=municipality, apply_status=False)
    for name, loader in [
        ("budget-2020.csv", services.budget_import),
        ("budget-changes-2020.yaml", services.budget_changes_import),
    ]:
        if (FOLDER / name).exists():
            done.append(
                f"{name} ({loader(actor=actor, path=FOLDER / name, municipality=municipality)})"
            )
    for path in sorted(FOLDER.glob("forecast-*.csv")):
        code = _forecast_event(path)
        if ReportingEvent.objects.filter(code=code, status__in=["approved", "sent"]).exists():
            continue  # locked: its forecasts are final
        count = services.forecasts_import(actor=actor, path=path, municipality=municipality)
        done.append(f"{path.name} ({count})")
    _mark_ready(municipality)
    services.events_import(actor=actor, path=events, municipality=municipality, apply_status=True)
    for name, loader in [
        ("investments.yaml", services.investments_import),
        ("volumes.yaml", services.volumes_import),
        ("staff.yaml", services.staff_import),
    ]:
        if (FOLDER / name).exists():
            done.append(
                f"{name} ({loader(actor=actor, path=FOLDER / name, municipality=municipality)})"
            )
    return ", ".join(done)
