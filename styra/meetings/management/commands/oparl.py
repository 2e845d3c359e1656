"""styra oparl export --out DIR [--base-url URL]."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from styra.command import Fel, StyraCommand
from styra.meetings import oparl


class Command(StyraCommand):
    help = "OParl 1.1: exportera de offentliga sammanträdesuppgifterna som JSON-filer."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="ÅTGÄRD")
        export = sub.add_parser(
            "export",
            help="Skriv alla offentliga OParl-objekt och listsidor till en katalog.",
            description=(
                "Skriver System, Body, Organization, Person, Membership, Meeting, AgendaItem, "
                "Paper, Consultation, File, LegislativeTerm och Location som JSON. Filernas "
                "sökvägar följer webbadresserna: oparl/meeting/12/ blir meeting/12.json och "
                "en listsida blir body/1/meeting/page-1.json. Sekretessärenden och "
                "personuppgifter tas aldrig med."
            ),
        )
        export.add_argument("--out", required=True, metavar="KATALOG", help="målkatalog")
        export.add_argument(
            "--base-url",
            default=getattr(settings, "STYRA_PUBLIC_URL", "http://127.0.0.1:8000"),
            metavar="URL",
            help="webbadressen objektens id börjar med (standard: %(default)s)",
        )

    def handle(self, *args, action, out, base_url, **options):
        if not base_url.startswith(("http://", "https://")):
            raise Fel(f"--base-url {base_url!r} ska börja med http:// eller https://")
        try:
            counts = oparl.export(Path(out), base_url)
        except OSError as exc:
            raise Fel(f"Kan inte skriva till {out}: {exc.strerror}", returncode=2) from exc
        summary = ", ".join(f"{k} {v}" for k, v in counts.items())
        self.stdout.write(f"OParl-export till {out}: {summary}.")
