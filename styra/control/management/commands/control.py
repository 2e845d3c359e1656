"""styra control load FIL: read an internkontrollplan from a YAML file."""

from __future__ import annotations

from styra.command import StyraCommand, add_municipality_argument


class Command(StyraCommand):
    help = "Intern kontroll: läs in en internkontrollplan (risker och kontroller) från fil."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="ÅTGÄRD")
        load = sub.add_parser(
            "load",
            help="Läs in en internkontrollplan (YAML, docs/control.md).",
            description=(
                "Läser in nämndens plan för året: risker med sannolikhet och konsekvens, "
                "kontroller med metod, urval, månader och ansvarig, och planens versioner "
                "(antagen, reviderad). En risk eller kontroll med samma namn uppdateras; samma "
                "fil igen ändrar ingenting. En fil med fel läses inte in alls; felen visas med "
                "filnamn och radnummer (slutkod 1; 2 om filen inte kan läsas)."
            ),
        )
        load.add_argument("file", metavar="FIL")
        add_municipality_argument(load, alias=False)

    def handle(self, *args, action, **options):
        from styra.control.services import plan_load

        result = plan_load(actor=self.actor, path=options["file"], municipality=options["kommun"])
        plan = result.plan
        self.stdout.write(
            f"Internkontrollplan {plan.year} – {plan.committee.name}: {result.risks} risker, "
            f"{result.controls} kontroller, version {plan.version}"
            + (f" ({result.new_versions} nya)." if result.new_versions else ".")
        )
