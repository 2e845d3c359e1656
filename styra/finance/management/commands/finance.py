"""styra finance: budget, changes, events, forecasts, investments, volumes, staff, grid."""

from __future__ import annotations

import json

from styra.calendar.selectors import event_get
from styra.command import StyraCommand, add_committee_arguments, add_municipality_argument
from styra.ledger.rows import ensure_default_scheme
from styra.lib.numbers import format_tkr

from ... import figures, services

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
            add_municipality_argument(p)
        grid = sub.add_parser("grid", help="Visa uppföljningen per enhet (tkr).")
        add_committee_arguments(grid)
        grid.add_argument("--event", required=True, help="rapporttillfälle, t.ex. 2020-D2")
        grid.add_argument("--level", choices=["report", "detail"], default="report")
        grid.add_argument("--format", choices=["table", "json"], default="table")

    def handle(self, *args, action, **o):
        if action == "grid":
            return self._grid(**o)
        muni = self.municipality(o)
        ensure_default_scheme(muni)
        loader, _text = LOADERS[action]
        count = loader(actor=self.actor, path=o["file"], municipality=muni)
        self.stdout.write(f"{o['file']}: {count} poster inlästa.")

    def _grid(self, event, level, format, **o):
        node = self.committee(o)
        ev = event_get(committee=node, code=event)
        fu = figures.follow_up(node, ev, level=level)
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
