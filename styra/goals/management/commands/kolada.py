"""styra kolada import FILE
styra kolada fetch --kpi N00005 --municipality 0127 --years 2017-2020

Exit codes: 0 ok, 1 the data has errors, 2 usage, unreadable file or Kolada unreachable.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings

from styra.command import Fel, StyraCommand, add_committee_arguments
from styra.goals import kolada
from styra.goals.services import KoladaResult, kolada_store


class Command(StyraCommand):
    help = "Kolada: läs in nyckeltalsvärden som utfall för de mått som hämtar från Kolada."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="ÅTGÄRD")
        imp = sub.add_parser(
            "import",
            help="Läs in en JSON-fil från Koladas API (v3, se docs/formats/kolada.md).",
            description=(
                "Värdena blir utfall för de mått vars källa är nyckeltalet (kolada:N00005), "
                "i nämnder i kommunen som värdena gäller. T/K/M blir Totalt/Kvinnor/Män; "
                "ett värde som saknas (null) sparas inte, det är inte noll."
            ),
        )
        imp.add_argument("file", metavar="FIL", help="JSON-filen")
        self._common(imp)
        fetch = sub.add_parser(
            "fetch",
            help="Hämta värden direkt från Koladas API (kräver internet) och läs in dem.",
            description=(
                "Hämtar från https://api.kolada.se/v3 (ändra med miljövariabeln "
                f"{kolada.BASE_URL_ENV}). Utan internet: hämta filen på en annan dator och "
                "använd `styra kolada import FIL`."
            ),
        )
        fetch.add_argument("--kpi", required=True, help="nyckeltalets id, t.ex. N00005")
        fetch.add_argument("--municipality", required=True, help="kommunkod, t.ex. 0127")
        fetch.add_argument("--years", required=True, help="år, t.ex. 2017-2020 eller 2019,2020")
        fetch.add_argument("--save", metavar="FIL", help="spara också svaret som JSON-fil")
        self._common(fetch)

    def _common(self, parser):
        add_committee_arguments(parser, required=False)
        parser.add_argument(
            "--year", type=int, action="append", help="bara detta år (kan upprepas)"
        )

    def handle(self, *args, action, **options):
        committee = self.committee(options) if options.get("committee") else None
        years = set(options.get("year") or [])
        if action == "import":
            try:
                values = kolada.parse_file(options["file"])
            except kolada.KoladaError as exc:
                self.stderr.write(str(exc))
                unreadable = not Path(options["file"]).is_file()
                raise Fel("Filen lästes inte in.", returncode=2 if unreadable else 1) from exc
        else:
            try:
                year_list = kolada.parse_years(options["years"])
            except ValueError as exc:
                raise Fel(str(exc), returncode=2) from exc
            base = kolada.base_url(getattr(settings, "KOLADA_BASE_URL", None))
            try:
                values, pages = kolada.fetch(
                    kpi=options["kpi"].upper(), municipality=options["municipality"],
                    years=year_list, base=base,
                )  # fmt: skip
            except kolada.KoladaUnreachable as exc:
                raise Fel(str(exc), returncode=2) from exc
            except kolada.KoladaError as exc:
                raise Fel(str(exc), returncode=1) from exc
            if options.get("save"):
                data = (
                    pages[0]
                    if len(pages) == 1
                    else {"values": [v for p in pages for v in p["values"]]}
                )
                Path(options["save"]).write_text(
                    json.dumps(data, ensure_ascii=False, indent=2), "utf-8"
                )
        result = kolada_store(
            actor=self.actor, values=values, committee=committee, years=years or None
        )
        self._report(result, len(values))

    def _report(self, result: KoladaResult, total: int) -> None:
        self.stdout.write(
            f"{total} värden lästa: {result.stored} sparade, {result.unchanged} oförändrade, "
            f"{result.missing} saknas i Kolada (sparas inte)."
        )
        for kpi in sorted(result.unmapped):
            self.stdout.write(f"Inget mått hämtar nyckeltalet {kpi}; värdena hoppades över.")
        for code in sorted(result.other_municipality):
            self.stdout.write(f"Kommunkod {code}: ingen nämnd med mått från Kolada i den kommunen.")
