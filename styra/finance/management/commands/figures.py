"""styra figures verify | rebuild: the stored aggregates behind the figures."""

from __future__ import annotations

from styra.command import StyraCommand, add_municipality_argument

from ...aggregates import aggregate_differences, budget_months_rebuild


class Command(StyraCommand):
    help = (
        "Siffrornas lagrade summor (utfall per enhet, rapportrad och period; budgetens "
        "månader): kontrollera dem mot huvudbokens och budgetens rader, eller räkna om dem."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="ÅTGÄRD")
        verify = sub.add_parser(
            "verify",
            help="Räkna om allt från raderna och visa varje skillnad (slutkod 1 om någon).",
            description="Räknar om utfall per enhet × rapportrad × period och budgetens "
            "månader från huvudbokens saldon, budgetraderna och budgetförändringarna och "
            "jämför med de lagrade summorna. Varje skillnad skrivs ut; slutkod 1 om det "
            "finns någon, 0 om inga.",
        )
        verify.add_argument("--committee", help="bara nämndens enheter (kod eller namn)")
        verify.add_argument("--year", type=int, help="bara detta år")
        add_municipality_argument(verify)
        rebuild = sub.add_parser(
            "rebuild",
            help="Räkna om de lagrade summorna från raderna (efter en skrivning utanför "
            "Styras tjänster).",
        )
        rebuild.add_argument("--year", type=int, help="bara detta år")
        add_municipality_argument(rebuild)

    def handle(self, *args, action, **o):
        from styra.org.models import Municipality

        years = [o["year"]] if o.get("year") else None
        if action == "rebuild":
            from django.db import transaction

            from styra.ledger.aggregates import row_balances_rebuild

            municipality = self.municipality(o)
            with transaction.atomic():
                rows = row_balances_rebuild(municipality=municipality, years=years)
                months = budget_months_rebuild(municipality=municipality, years=years)
            self.stdout.write(
                f"{municipality.name}: {rows} utfallssummor och {months} budgetrader och "
                "-förändringar med månader omräknade."
            )
            return
        scopes = []
        if o.get("committee"):
            node = self.committee(o)
            from styra.org.selectors import tree

            _nodes, children = tree(node.municipality)
            ids, stack = [], [node.pk]
            while stack:
                pk = stack.pop()
                ids.append(pk)
                stack.extend(n.pk for n in children.get(pk, []))
            scopes.append((node.municipality, ids, f"{node.name}"))
        elif o.get("kommun"):
            m = self.municipality(o)
            scopes.append((m, None, m.name))
        else:
            scopes = [(m, None, m.name) for m in Municipality.objects.order_by("pk")]
        found = 0
        for municipality, unit_ids, name in scopes:
            lines = aggregate_differences(municipality=municipality, years=years, unit_ids=unit_ids)
            for line in lines:
                self.stdout.write(line)
            found += len(lines)
            self.stdout.write(
                f"{name}{f' {years[0]}' if years else ''}: "
                + (f"{len(lines)} skillnader." if lines else "inga skillnader.")
            )
        if found:
            self.fail(f"De lagrade summorna skiljer sig från raderna på {found} ställen.")
