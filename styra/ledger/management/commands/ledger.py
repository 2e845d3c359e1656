"""styra ledger import | imports | undo | balances | rows."""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeRemainingColumn

from styra.command import StyraCommand, add_committee_arguments, add_municipality_argument
from styra.lib.money import format_ore
from styra.lib.numbers import format_number
from styra.lib.spreadsheet import CsvWriter

from ...rows import rowscheme_load
from ...selectors import balances, import_record, ledger_imports, unmapped_balances
from ...services import ImportRefused, ledger_import, ledger_import_undo

IMPORT_HELP = """Läser in utfall från ekonomisystemet: SIE 4-filer (verifikationer) eller
CSV/XLSX-filer med en kolumnbeskrivning (--mapping, se docs/formats/csv-mapping.md).
Allt eller inget: en fil med fel sparas inte alls, och varje fel visas med fil och rad.
Att läsa in samma källa och perioder igen ersätter den förra inläsningen (och kan ångras
med `styra ledger undo ID`). En SIE-fil vars organisationsnummer (#ORGNR) eller, utan
det, företagsnamn (#FNAMN) är en annan organisations vägras, om inte --accept-orgnr anges."""

# What the user can do about an issue, in the command line's words (the web says it in
# the words of its page).
HINTS = {
    "format": "ange --format sie eller csv",
    "mapping": "ange kolumnbeskrivningen med --mapping",
    "year": "ange --year",
    "orgnr": "är det rätt fil, ange --accept-orgnr",
}


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
        add_municipality_argument(imp)
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
        imp.add_argument(
            "--accept-orgnr",
            action="store_true",
            help="läs in filen fast dess #ORGNR/#FNAMN är en annan organisations",
        )

        lst = sub.add_parser(
            "imports", help="Lista inläsningarna (id, källa, år, perioder, fil, vem, status)."
        )
        add_municipality_argument(lst)
        lst.add_argument("--format", choices=["table", "json"], default="table")

        undo = sub.add_parser(
            "undo",
            help="Ångra en inläsning: dess rader tas bort och det den ersatte gäller igen.",
        )
        undo.add_argument("id", type=int, metavar="ID", help="importens id (styra ledger imports)")
        add_municipality_argument(undo)

        bal = sub.add_parser(
            "balances",
            help="Visa saldon per enhet och rad i rapportens tecken (intäkt +, kostnad −).",
        )
        add_committee_arguments(bal)
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
        add_municipality_argument(rows)

    def handle(self, *args, action, **o):
        return getattr(self, f"_{action}")(**o)

    # ------------------------------------------------------------------ import
    def _import(
        self, paths, format, mapping, year, source, dim, closing_series, dry_run, accept_orgnr, **o
    ):
        muni = self.municipality(o)
        dims = None
        if dim:
            try:
                dims = dict(item.split("=", 1) for item in dim)
            except ValueError:
                self.usage("--dim skrivs NR=NAMN, t.ex. 1=ansvar")
        console = Console(stderr=True)
        failed = False
        for name in paths:
            path = Path(name)
            if not path.is_file():
                self.usage(f"{name}: filen finns inte.")
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
                        actor=self.actor,
                        path=path,
                        municipality=muni,
                        file_format=format,
                        year=year,
                        mapping=mapping,
                        source=source,
                        sie_dimensions=dims,
                        closing_series=frozenset(closing_series),
                        dry_run=dry_run,
                        accept_other_org=accept_orgnr,
                        progress=lambda done, total, task=task: progress.update(
                            task, completed=done, total=total
                        ),
                    )
                except ImportRefused as exc:
                    result = exc.result
                    failed = True
            self._report(result, dry_run)
        if failed:
            self.fail("Inget sparades från filerna med fel.")

    def _report(self, result, dry_run):
        out = self.stdout.write
        for issue in result.issues[:200]:
            hint = HINTS.get(issue.code) if issue.is_error else None
            sys.stderr.write(f"{issue}{f' ({hint})' if hint else ''}\n")
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

    # ----------------------------------------------------------------- imports
    def _imports(self, format, **o):
        muni = self.municipality(o)
        records = [import_record(i) for i in ledger_imports(municipality=muni)]
        if format == "json":
            self.stdout.write(json.dumps(records, ensure_ascii=False, indent=2))
            return
        if not records:
            self.stdout.write("Inga inläsningar.")
            return
        self.stdout.write(
            f"{'id':>5}  {'källa':<10} {'år':<4} {'period':<7} {'status':<9} {'inläst':<19} "
            f"{'av':<16} fil"
        )
        for r in records:
            periods = f"{r['first_period']}–{r['last_period']}"
            state = r["state"] + (f" av {r['replaced_by']}" if r["replaced_by"] else "")
            self.stdout.write(
                f"{r['id']:>5}  {r['source'][:10]:<10} {r['year']:<4} {periods:<7} "
                f"{state:<9} {r['imported_at'][:19]:<19} {r['imported_by'][:16]:<16} {r['file']}"
            )

    def _undo(self, id, **o):
        muni = self.municipality(o)
        undone = ledger_import_undo(actor=self.actor, import_id=id, municipality=muni)
        restored = ", ".join(f"{r.pk} ({r.file_name})" for r in undone.restored)
        self.stdout.write(
            f"Import {undone.pk} ({undone.file_name}, {undone.year} period "
            f"{undone.first_period}–{undone.last_period}) är ångrad."
            + (f" Gäller igen: {restored}." if restored else "")
        )

    # ---------------------------------------------------------------- balances
    def _balances(self, year, through_period, by, format, unit, level, **o):
        if not 1 <= through_period <= 13:
            self.usage("--through-period ska vara 1–13.")
        groups = tuple(g.strip() for g in by.split(",") if g.strip())
        bad = set(groups) - {"unit", "row", "account", "period"}
        if bad:
            self.usage(f"--by känner inte till {sorted(bad)}")
        node = self.committee(o)
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
                "committee": node.code,
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
            writer = CsvWriter(self.stdout, delimiter=";")
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
    def _rows(self, file, **o):
        muni = self.municipality(o)
        scheme = rowscheme_load(municipality=muni, path=file)
        self.stdout.write(
            f"{scheme}: {scheme.rows.count()} rader, {scheme.ranges.count()} intervall."
        )
