"""styra ledger import | balances | rows."""

from __future__ import annotations

import csv
import json
import sys
from decimal import Decimal
from pathlib import Path

from django.core.management.base import CommandError
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeRemainingColumn

from styra.command import StyraCommand
from styra.lib.numbers import format_number
from styra.org.models import Municipality, NodeKind, OrgNode

from ...importers.base import format_ore
from ...rows import RowFileError, rowscheme_load
from ...selectors import balances, unmapped_balances
from ...services import ImportRefused, ledger_import

IMPORT_HELP = """Läser in utfall från ekonomisystemet: SIE 4-filer (verifikationer) eller
CSV/XLSX-filer med en kolumnbeskrivning (--mapping, se docs/formats/csv-mapping.md).
Allt eller inget: en fil med fel sparas inte alls, och varje fel visas med fil och rad.
Att läsa in samma källa och perioder igen ersätter den förra inläsningen."""


def _municipality(code: str | None) -> Municipality:
    qs = Municipality.objects.all()
    if code:
        qs = qs.filter(code=code) | qs.filter(org_number=code)
    found = list(qs[:2])
    if len(found) != 1:
        raise CommandError(
            "Ange kommunen med --municipality (kommunkod eller organisationsnummer)."
            if found
            else "Det finns ingen kommun: läs först in en organisation (styra org load).",
            returncode=2,
        )
    return found[0]


def _committee(code: str) -> OrgNode:
    found = list(OrgNode.objects.filter(kind=NodeKind.COMMITTEE, short_name=code)[:2])
    if len(found) != 1:
        raise CommandError(f"Hittar ingen nämnd med kortnamnet {code!r}.", returncode=2)
    return found[0]


class Command(StyraCommand):
    help = "Huvudboken: läs in utfall (SIE, CSV, XLSX), visa saldon, läs in radindelning."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="ÅTGÄRD")
        imp = sub.add_parser("import", help="Läs in utfallsfiler.", description=IMPORT_HELP)
        imp.add_argument("paths", nargs="+", metavar="FIL", help="en eller flera filer")
        imp.add_argument(
            "--format", choices=["sie", "csv"], help="filformat (annars efter filändelsen)"
        )
        imp.add_argument("--mapping", help="kolumnbeskrivning för CSV/XLSX (YAML)")
        imp.add_argument("--year", type=int, help="räkenskapsår (kontrolleras mot filen)")
        imp.add_argument("--source", default="huvudbok", help="källans namn (standard: huvudbok)")
        imp.add_argument("--municipality", help="kommunkod eller organisationsnummer")
        imp.add_argument(
            "--dim",
            action="append",
            default=[],
            metavar="NR=NAMN",
            help="SIE-dimension till Styras dimension, t.ex. 1=ansvar 2=verksamhet 6=projekt",
        )
        imp.add_argument(
            "--closing-series",
            action="append",
            default=[],
            metavar="SERIE",
            help="verifikationsserie för bokslutsposter i december → period 13 (Mån 13)",
        )
        imp.add_argument("--dry-run", action="store_true", help="kontrollera bara, spara inget")

        bal = sub.add_parser(
            "balances",
            help="Visa saldon per enhet och rad i rapportens tecken (intäkt +, kostnad −).",
        )
        bal.add_argument("--committee", required=True, help="nämndens kortnamn, t.ex. AVUN")
        bal.add_argument("--year", type=int, required=True)
        bal.add_argument("--through-period", type=int, default=13, help="t.o.m. period 1–13")
        bal.add_argument("--by", default="unit,row", help="gruppera: unit,row,account,period")
        bal.add_argument(
            "--level",
            choices=["report", "detail", "leaf"],
            default="report",
            help="report = verksamhet (som rapporten), detail = enhet, leaf = varje nod för sig",
        )
        bal.add_argument("--format", choices=["table", "csv", "json"], default="table")
        bal.add_argument("--unit", choices=["kr", "tkr"], default="kr")

        rows = sub.add_parser("rows", help="Läs in en radindelning (konto → kontoslag).")
        rows.add_argument("file", metavar="FIL")
        rows.add_argument("--municipality")

    def handle(self, *args, action, **o):
        return getattr(self, f"_{action}")(**o)

    # ------------------------------------------------------------------ import
    def _import(
        self, paths, format, mapping, year, source, municipality, dim, closing_series, dry_run, **_
    ):
        muni = _municipality(municipality)
        dims = None
        if dim:
            try:
                dims = dict(item.split("=", 1) for item in dim)
            except ValueError as exc:
                raise CommandError("--dim skrivs NR=NAMN, t.ex. 1=ansvar", returncode=2) from exc
        console = Console(stderr=True)
        failed = False
        for name in paths:
            path = Path(name)
            if not path.is_file():
                raise CommandError(f"{name}: filen finns inte.", returncode=2)
            with Progress(
                TextColumn("[bold]{task.description}"),
                BarColumn(),
                TaskProgressColumn(),
                TimeRemainingColumn(),
                console=console,
                transient=True,
            ) as progress:
                task = progress.add_task(path.name, total=None)
                try:
                    result = ledger_import(
                        path=path,
                        municipality=muni,
                        file_format=format,
                        year=year,
                        mapping=mapping,
                        source=source,
                        sie_dimensions=dims,
                        closing_series=frozenset(closing_series),
                        dry_run=dry_run,
                        progress=lambda done, total, task=task: progress.update(
                            task, completed=done, total=total
                        ),
                    )
                except ImportRefused as exc:
                    result = exc.result
                    failed = True
            self._report(result, dry_run)
        if failed:
            raise CommandError("Inget sparades från filerna med fel.", returncode=1)

    def _report(self, result, dry_run):
        out = self.stdout.write
        for issue in result.issues[:200]:
            sys.stderr.write(f"{issue}\n")
        if len(result.issues) > 200:
            sys.stderr.write(f"… och {len(result.issues) - 200} till.\n")
        if result.errors:
            sys.stderr.write(f"{result.file_name}: {len(result.errors)} fel. Inget sparades.\n")
            return
        verb = "kontrollerad (inget sparat)" if dry_run else "inläst"
        out(
            f"{result.file_name}: {verb}, år {result.year}, period {result.first_period}–"
            f"{result.last_period}: {result.vouchers} verifikationer, {result.rows} rader, "
            f"{len(result.warnings)} varningar."
        )
        for old in result.replaced:
            out(f"  ersätter {old}")
        out("  period      rader         debet (kr)   resultat, rapporttecken (kr)")
        for p, t in sorted(result.periods.items()):
            debit, net = format_ore(t.debit_ore), format_ore(-t.result_ore)
            out(f"  {p:>6} {t.rows:>10} {debit:>18} {net:>22}")

    # ---------------------------------------------------------------- balances
    def _balances(self, committee, year, through_period, by, format, unit, level, **_):
        if not 1 <= through_period <= 13:
            raise CommandError("--through-period ska vara 1–13.", returncode=2)
        groups = tuple(g.strip() for g in by.split(",") if g.strip())
        bad = set(groups) - {"unit", "row", "account", "period"}
        if bad:
            raise CommandError(f"--by känner inte till {sorted(bad)}", returncode=2)
        node = _committee(committee)
        lines = balances(
            committee=node, year=year, through_period=through_period, by=groups, level=level
        )
        scale = Decimal(1000) if unit == "tkr" else Decimal(1)
        records = []
        for line in lines:
            rec = {}
            if "unit" in groups:
                rec["enhet"] = line.unit.name if line.unit else ""
            if "row" in groups:
                rec["rad"] = line.row.name if line.row else "(ingen rapportrad)"
                rec["grov_rad"] = line.row.coarse if line.row else ""
            if "account" in groups:
                rec["konto"] = line.account
            if "period" in groups:
                rec["period"] = line.period
            rec["belopp"] = line.amount / scale
            records.append(rec)
        total = sum((line.amount for line in lines), Decimal(0)) / scale
        unmapped = unmapped_balances(municipality=node.municipality, year=year)
        if format == "json":
            payload = {
                "committee": committee,
                "year": year,
                "through_period": through_period,
                "unit": unit,
                "sign": "intäkt +, kostnad −",
                "lines": [{**r, "belopp": str(r["belopp"])} for r in records],
                "total": str(total),
                "unmapped": {k: str(v / scale) for k, v in unmapped.items()},
            }
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        if format == "csv":
            writer = csv.writer(self.stdout, delimiter=";")
            header = [k for k in (records[0] if records else {"belopp": 0})]
            writer.writerow(header)
            for r in records:
                writer.writerow(
                    [str(r[k]).replace(".", ",") if k == "belopp" else r[k] for k in header]
                )
            return
        decimals = 0 if unit == "tkr" else 2
        for r in records:
            label = " | ".join(str(v) for k, v in r.items() if k not in ("belopp", "grov_rad"))
            self.stdout.write(f"{label:<70} {format_number(r['belopp'], decimals):>18}")
        self.stdout.write(f"{'Summa':<70} {format_number(total, decimals):>18}")
        for code, amount in unmapped.items():
            self.stdout.write(
                f"Ej kopplat till enhet: {code:<47} {format_number(amount / scale, decimals):>18}"
            )

    # -------------------------------------------------------------------- rows
    def _rows(self, file, municipality, **_):
        muni = _municipality(municipality)
        try:
            scheme = rowscheme_load(municipality=muni, path=file)
        except RowFileError as exc:
            for e in exc.errors:
                sys.stderr.write(f"{e}\n")
            raise CommandError("Radindelningen lästes inte in.", returncode=1) from exc
        self.stdout.write(
            f"{scheme}: {scheme.rows.count()} rader, {scheme.ranges.count()} intervall."
        )
