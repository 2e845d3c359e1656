"""styra org load FILE | styra org tree."""

from __future__ import annotations

from styra.command import StyraCommand
from styra.org.models import Municipality, OrgNode
from styra.org.services import org_load


class Command(StyraCommand):
    help = "Organisationen: läs in eller uppdatera från en organisationsfil, eller visa trädet."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="ÅTGÄRD")
        load = sub.add_parser(
            "load",
            help="Läs in eller uppdatera en organisation från en YAML-fil (docs/org-file.md).",
            description=(
                "Läser in kommunen, nämnderna, förvaltningarna och enheterna med "
                "giltighetstider, kopplingen av huvudbokens koder till enheter per år, "
                "personer och roller. En fil med fel läses inte in alls; felen visas med "
                "filnamn och radnummer."
            ),
        )
        load.add_argument("file", metavar="FIL", help="organisationsfilen (.yaml)")
        tree = sub.add_parser("tree", help="Visa organisationsträdet.")
        tree.add_argument("--year", type=int, help="visa bara enheter som gäller detta år")

    def handle(self, *args, action, **options):
        if action == "load":
            return self._load(options["file"])
        return self._tree(options.get("year"))

    def _load(self, file: str) -> None:
        result = org_load(actor=self.actor, path=file)
        self.stdout.write(
            f"{result.municipality.name}: {result.created} nya enheter, "
            f"{result.updated} ändrade, {result.mappings} dimensionskopplingar, "
            f"{result.people} personer."
        )

    def _tree(self, year: int | None) -> None:
        for muni in Municipality.objects.all():
            self.stdout.write(f"{muni.name} ({muni.org_number})")
            nodes = OrgNode.objects.filter(municipality=muni)
            if year:
                nodes = nodes.valid_in_year(year)
            children: dict = {}
            for node in nodes:
                children.setdefault(node.parent_id, []).append(node)

            def show(parent_id, depth, children=children):
                for node in children.get(parent_id, []):
                    validity = ""
                    if node.valid_to:
                        validity = f"  (t.o.m. {node.valid_to})"
                    kind = node.get_kind_display().lower()
                    self.stdout.write(
                        f"{'  ' * depth}- {node.name} [{node.code}, {kind}]{validity}"
                    )
                    show(node.pk, depth + 1, children)

            show(None, 1)
