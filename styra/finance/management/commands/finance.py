"""styra finance: budget, changes, events, forecasts, investments, volumes, staff, grid."""

from __future__ import annotations

import json
import sys

from django.core.management.base import CommandError

from styra.command import StyraCommand
from styra.ledger.rows import ensure_default_scheme
from styra.lib.numbers import format_tkr
from styra.org.models import Municipality, NodeKind, OrgNode

from ... import selectors, services
from ...importers import FinanceFileError
from ...models import ReportingEvent

LOADERS = {
    "budget": (
        services.budget_import,
        "Läs in årsbudget per enhet och rad med periodisering (CSV, XLSX eller SIE #PBUDGET).",
    ),
    "changes": (
        services.budget_changes_import,
        "Läs in budgetförändringar: tilläggsbudget, ramjustering, omfördelning (YAML).",
    ),
    "events": (services.events_import, "Läs in rapporttillfällen och antaganden (YAML)."),
    "forecast": (
        services.forecasts_import,
        "Läs in prognoser per rapporttillfälle, enhet och rad (CSV).",
    ),
    "investments": (services.investments_import, "Läs in investeringsprojekt (YAML)."),
    "volumes": (services.volumes_import, "Läs in volymer (YAML)."),
    "staff": (services.staff_import, "Läs in personalsiffror (YAML)."),
}


class Command(StyraCommand):
    help = (
        "Ekonomi: läs in budget, budgetförändringar, rapporttillfällen, prognoser, investeringar, "
        "volymer och personal (docs/formats/finance.md), eller visa uppföljningen. En fil med fel "
        "sparas inte alls; felen visas med fil och rad."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="ÅTGÄRD")
        for name, (_fn, text) in LOADERS.items():
            p = sub.add_parser(name, help=text, description=text)
            p.add_argument("file", metavar="FIL")
            p.add_argument("--municipality", help="kommunkod eller organisationsnummer")
        grid = sub.add_parser("grid", help="Visa uppföljningen per enhet (tkr).")
        grid.add_argument("--committee", required=True, help="nämndens kortnamn, t.ex. AVUN")
        grid.add_argument("--event", required=True, help="rapporttillfälle, t.ex. 2020-D2")
        grid.add_argument("--level", choices=["report", "detail"], default="report")
        grid.add_argument("--format", choices=["table", "json"], default="table")

    def handle(self, *args, action, **o):
        if action == "grid":
            return self._grid(**o)
        muni = self._municipality(o.get("municipality"))
        ensure_default_scheme(muni)
        loader, _text = LOADERS[action]
        try:
            count = loader(path=o["file"], municipality=muni)
        except FinanceFileError as exc:
            for e in exc.errors:
                sys.stderr.write(f"{e}\n")
            code = 2 if any(e.line == 0 for e in exc.errors) else 1
            raise CommandError(
                f"{o['file']}: {len(exc.errors)} fel. Inget sparades.", returncode=code
            ) from exc
        self.stdout.write(f"{o['file']}: {count} poster inlästa.")

    def _municipality(self, code):
        qs = Municipality.objects.all()
        if code:
            qs = qs.filter(code=code) | qs.filter(org_number=code)
        found = list(qs[:2])
        if len(found) != 1:
            raise CommandError("Ange kommunen med --municipality.", returncode=2)
        return found[0]

    def _grid(self, committee, event, level, format, **_):
        node = OrgNode.objects.filter(kind=NodeKind.COMMITTEE, short_name=committee).first()
        if node is None:
            raise CommandError(f"Hittar ingen nämnd {committee!r}.", returncode=2)
        ev = ReportingEvent.objects.filter(committee=node, code=event).first()
        if ev is None:
            raise CommandError(f"{committee} har inget rapporttillfälle {event}.", returncode=2)
        fu = selectors.follow_up(node, ev, level=level)
        cols = [
            ("previous_year", f"Bokslut {ev.year - 1}"),
            ("outcome", f"Utfall period {ev.year}"),
            ("budget_to_date", f"Ack. Budget {ev.year}"),
            ("budget", f"Budget {ev.year}"),
            ("forecast", f"Prognos helår {ev.year}"),
            ("deviation", f"Avvikelse {ev.year}"),
        ]
        lines = [(uf.unit.name, uf.net) for uf in fu.units] + [("Total", fu.total.net)]
        if format == "json":
            payload = [
                {"enhet": name, **{label: str(getattr(f, attr)) for attr, label in cols}}
                for name, f in lines
            ]
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{'Netto (tkr)':<28}" + "".join(f"{label:>22}" for _a, label in cols))
        for name, f in lines:
            self.stdout.write(
                f"{name:<28}" + "".join(f"{format_tkr(getattr(f, a)):>22}" for a, _l in cols)
            )
        if fu.missing:
            self.stdout.write(
                "Saknar klarmarkerad prognos: " + ", ".join(u.name for u in fu.missing)
            )
