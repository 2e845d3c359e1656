"""Ledger imports: all-or-nothing, idempotent, logged (DOMAIN §4).

`ledger_import` streams a file through its reader, resolves every row's unit from the
year's dimension mapping, writes transactions in bulk and balances aggregated in memory,
all inside one database transaction. Any error ("fel") anywhere rolls everything back:
nothing is stored and the caller gets every issue with file and line.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from django.db import connection, transaction

from styra.org.models import DimensionMapping, Municipality

from .bulk import bulk_insert
from .importers.base import ERROR, WARNING, Issue, format_ore
from .models import Account, Balance, LedgerImport, Transaction
from .rows import account_key, ensure_default_scheme, lookup_for

UNIT_DIMENSIONS = ("ansvar", "kostnadsstalle", "verksamhet")  # order of precedence
DEFAULT_SIE_DIMENSIONS = {"1": "ansvar", "2": "verksamhet", "6": "projekt"}
SIE_SUFFIXES = {".se", ".si", ".sie", ".s1", ".s2", ".s3", ".s4"}
TABULAR_SUFFIXES = {".csv", ".txt", ".xlsx"}


class ImportRefused(Exception):
    """The file has errors; nothing was stored."""

    def __init__(self, result: ImportResult):
        super().__init__(f"{len(result.errors)} fel")
        self.result = result


class _DryRun(Exception):
    pass


@dataclass
class PeriodTotal:
    rows: int = 0
    debit_ore: int = 0
    result_ore: int = 0  # accounts 3000-8999 in ledger sign (cost +, revenue −)


@dataclass
class ImportResult:
    file_name: str
    file_format: str
    year: int | None = None
    vouchers: int = 0
    rows: int = 0
    periods: dict[int, PeriodTotal] = field(default_factory=lambda: defaultdict(PeriodTotal))
    unmapped: dict[str, int] = field(default_factory=lambda: defaultdict(int))  # code -> öre
    issues: list[Issue] = field(default_factory=list)
    import_id: int | None = None
    replaced: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == ERROR]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == WARNING]

    @property
    def first_period(self) -> int | None:
        return min(self.periods) if self.periods else None

    @property
    def last_period(self) -> int | None:
        return max(self.periods) if self.periods else None


class Row(NamedTuple):
    """One ledger row from any reader (a NamedTuple: a million of them are made)."""

    year: int
    period: int
    date: object  # datetime.date | None
    account: str
    objects: tuple  # ((dimension name, code), ...) with names already resolved
    amount_ore: int
    series: str
    voucher: str
    text: str
    line: int


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def count_lines(path: Path) -> int:
    with open(path, "rb") as fh:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 22), b"")) + 1


def detect_format(path: Path) -> str | None:
    suffix = path.suffix.lower()
    if suffix in SIE_SUFFIXES:
        return "sie"
    if suffix in TABULAR_SUFFIXES:
        return "csv"
    with open(path, "rb") as fh:
        head = fh.read(4096)
    return "sie" if head.lstrip().startswith(b"#") else None


def ledger_import(
    *,
    path: Path | str,
    municipality: Municipality,
    file_format: str | None = None,
    year: int | None = None,
    mapping: Path | str | None = None,
    source: str = "huvudbok",
    sie_dimensions: dict[str, str] | None = None,
    closing_series: frozenset[str] = frozenset(),
    user=None,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
    file_name: str | None = None,
) -> ImportResult:
    """Import a ledger file. Raises ImportRefused (nothing stored) when it has errors.

    `dry_run` validates and computes the summary without storing anything.
    `progress(done, total)` is called now and then with line numbers.
    """
    path = Path(path)
    name = file_name or path.name
    fmt = file_format or detect_format(path)
    result = ImportResult(file_name=name, file_format=fmt or "?")
    if fmt not in ("sie", "csv"):
        result.issues.append(
            Issue(name, 0, ERROR, "okänt filformat: ange --format sie eller csv", "format")
        )
        raise ImportRefused(result)
    if fmt == "csv" and mapping is None:
        result.issues.append(
            Issue(
                name,
                0,
                ERROR,
                "en CSV/XLSX-fil behöver en kolumnbeskrivning (--mapping)",
                "mapping",
            )
        )
        raise ImportRefused(result)
    total_lines = count_lines(path) if progress else 0
    try:
        with transaction.atomic():
            _run(
                result,
                path,
                name,
                fmt,
                municipality,
                year,
                mapping,
                source,
                sie_dimensions or DEFAULT_SIE_DIMENSIONS,
                closing_series,
                user,
                dry_run,
                progress,
                total_lines,
            )
            if result.errors:
                raise ImportRefused(result)
            if dry_run:
                raise _DryRun
    except _DryRun:
        result.import_id = None
    return result


def _rows_sie(result, path, name, year, dims, closing, known_accounts, progress, total):
    from .importers import sie

    fiscal_year = None
    named: dict[tuple, tuple] = {}  # SIE object list → the same with dimension names
    for rec in sie.iter_sie(path, filename=name):
        kind = type(rec)
        if kind is sie.Voucher:
            result.vouchers += 1
            if progress and result.vouchers % 2000 == 0:
                progress(rec.line, total)
            for t in rec.transactions:
                when = t.date or rec.date
                y = when.year
                period = 13 if (rec.series in closing and when.month == 12) else when.month
                objects = named.get(t.objects)
                if objects is None:
                    objects = tuple((dims.get(d, f"dim{d}"), c) for d, c in t.objects)
                    if len(named) < 100_000:
                        named[t.objects] = objects
                yield Row(
                    y,
                    period,
                    when,
                    t.account,
                    objects,
                    t.amount_ore,
                    rec.series,
                    rec.number,
                    t.text or rec.text,
                    t.line,
                )
        elif kind is Issue:
            result.issues.append(rec)
        elif kind is sie.Account:
            known_accounts[rec.number] = rec.name
        elif kind is sie.FiscalYear and rec.year_index == 0:
            fiscal_year = rec.start.year
            if (rec.start.month, rec.start.day, rec.end.month, rec.end.day) != (1, 1, 12, 31):
                result.issues.append(
                    Issue(
                        name,
                        rec.line,
                        ERROR,
                        f"räkenskapsåret {rec.start}–{rec.end} är brutet; kommuner och Styra "
                        "följer kalenderår",
                        "broken_fiscal_year",
                    )
                )
                return
            if year and fiscal_year != year:
                result.issues.append(
                    Issue(
                        name,
                        rec.line,
                        ERROR,
                        f"filens räkenskapsår är {fiscal_year}, inte {year} som angavs",
                        "year",
                    )
                )
            result.year = fiscal_year
    if result.year is None:
        result.year = year


def _rows_tabular(result, path, name, year, mapping, progress, total):
    from .importers import tabular

    for rec in tabular.iter_rows(path, mapping, filename=name):
        if isinstance(rec, Issue):
            result.issues.append(rec)
            continue
        if progress and rec.line % 20000 == 0:
            progress(rec.line, total)
        objects = tuple(rec.dimensions.items())
        if rec.project:
            objects += (("projekt", rec.project),)
        yield Row(
            rec.year,
            rec.period,
            None,
            rec.account,
            objects,
            rec.amount_ore,
            "",
            "",
            rec.text,
            rec.line,
        )
    result.year = result.year or year


def _run(
    result,
    path,
    name,
    fmt,
    municipality,
    year,
    mapping,
    source,
    dims,
    closing,
    user,
    dry_run,
    progress,
    total_lines,
):
    known_accounts: dict[str, str] = {}
    db_accounts = set(
        Account.objects.filter(municipality=municipality).values_list("number", flat=True)
    )
    mappings: dict[tuple[int, str, str], int] = {
        (m.year, m.dimension, m.code): m.node_id
        for m in DimensionMapping.objects.filter(municipality=municipality)
    }
    ledger_import = LedgerImport.objects.create(
        municipality=municipality,
        source=source,
        year=year or 0,
        first_period=1,
        last_period=1,
        file_format=fmt,
        file_name=name,
        file_sha256=file_sha256(path),
        imported_by=user if getattr(user, "is_authenticated", False) else None,
    )
    if fmt == "sie":
        rows = _rows_sie(
            result, path, name, year, dims, closing, known_accounts, progress, total_lines
        )
    else:
        rows = _rows_tabular(result, path, name, year, mapping, progress, total_lines)

    used_accounts: set[str] = set()
    unknown: dict[str, int] = {}  # account -> first line
    wrong_year: list[Row] = []
    resolve_cache: dict[tuple, tuple] = {}
    periods = result.periods
    import_id = ledger_import.pk

    def resolve(y: int, objects: tuple) -> tuple:
        key = (y, objects)
        hit = resolve_cache.get(key)
        if hit is None:
            unit_id = None
            unit_code = ""
            project = ""
            by_dim = dict(objects)
            project = by_dim.get("projekt", "")
            for dim in UNIT_DIMENSIONS:
                code = by_dim.get(dim)
                if code is None:
                    continue
                if not unit_code:
                    unit_code = f"{dim} {code}"
                node_id = mappings.get((y, dim, code))
                if node_id is not None:
                    unit_id, unit_code = node_id, f"{dim} {code}"
                    break
            text = " ".join(f"{d}={c}" for d, c in objects)[:255]
            hit = resolve_cache[key] = (unit_id, unit_code, project, text)
        return hit

    def produce() -> Iterator[tuple]:
        for row in rows:
            if result.year and row.year != result.year:
                if len(wrong_year) < 50:
                    wrong_year.append(row)
                continue
            unit_id, unit_code, project, text = resolve(row.year, row.objects)
            account = row.account
            amount = row.amount_ore
            if (
                account not in db_accounts
                and account not in known_accounts
                and account not in unknown
            ):
                unknown[account] = row.line
            total = periods[row.period]
            total.rows += 1
            if amount > 0:
                total.debit_ore += amount
            key4 = account_key(account)
            if key4 is not None and 3000 <= key4 <= 8999:
                total.result_ore += amount
                if unit_id is None:
                    result.unmapped[unit_code or "(utan enhetskod)"] += amount
            used_accounts.add(account)
            yield (
                import_id,
                row.year,
                row.period,
                row.date,
                account,
                unit_id,
                unit_code,
                project,
                text,
                amount,
                row.series,
                row.voucher,
                row.text,
                row.line,
            )

    columns = (
        "ledger_import_id",
        "year",
        "period",
        "date",
        "account",
        "unit_id",
        "unit_code",
        "project",
        "objects_text",
        "amount_ore",
        "series",
        "voucher",
        "text",
        "line",
    )
    if dry_run:
        result.rows = sum(1 for _ in produce())
    else:
        result.rows = bulk_insert(Transaction._meta.db_table, columns, produce())

    flagged = {i.line for i in result.issues if i.code == "date_outside_year"}
    for row in wrong_year:
        if row.line in flagged:
            continue
        result.issues.append(
            Issue(
                name,
                row.line,
                ERROR,
                f"datum {row.date} ligger utanför räkenskapsåret {result.year}",
                "date_outside_year",
            )
        )
    for account, line in sorted(unknown.items(), key=lambda kv: kv[1]):
        result.issues.append(
            Issue(
                name,
                line,
                ERROR,
                f"okänt konto {account}: det finns inte i kontoplanen eller i filen",
                "unknown_account",
            )
        )
    if result.year is None:
        result.issues.append(
            Issue(name, 0, ERROR, "filen anger inget räkenskapsår: ange --year", "year")
        )
    if result.rows == 0 and not result.errors:
        result.issues.append(Issue(name, 0, ERROR, "filen innehåller inga transaktioner", "empty"))
    lookup = lookup_for(municipality, result.year or 0) if result.year else None
    if lookup is None and result.year and not result.errors:
        lookup = _default_lookup(municipality, result.year)
    if lookup:
        for account in sorted(used_accounts):
            key4 = account_key(account)
            if key4 is not None and 3000 <= key4 <= 8999 and lookup.row_for(account) is None:
                result.issues.append(
                    Issue(
                        name,
                        0,
                        WARNING,
                        f"konto {account} hör inte till någon rapportrad",
                        "no_report_row",
                    )
                )
    for code, amount in sorted(result.unmapped.items()):
        result.issues.append(
            Issue(
                name,
                0,
                WARNING,
                f"{code} är inte kopplad till någon enhet {result.year}: {format_ore(amount)} kr "
                "syns under 'Ej kopplat' tills koden kopplas i organisationsfilen",
                "unmapped",
            )
        )
    if result.errors:
        return

    first, last = result.first_period, result.last_period
    _replace_earlier(result, municipality, source, first, last, name, exclude=import_id)
    if result.errors:
        return
    Account.objects.bulk_create(
        [Account(municipality=municipality, number=n, name=a) for n, a in known_accounts.items()],
        ignore_conflicts=True,
    )
    if not dry_run:
        _write_balances(import_id)
    ledger_import.year = result.year
    ledger_import.first_period = first
    ledger_import.last_period = last
    ledger_import.vouchers = result.vouchers
    ledger_import.rows = result.rows
    ledger_import.totals = {
        str(p): {"rows": t.rows, "debit_ore": t.debit_ore, "result_ore": t.result_ore}
        for p, t in sorted(result.periods.items())
    }
    ledger_import.warnings = [str(i) for i in result.warnings[:200]]
    ledger_import.save()
    result.import_id = import_id


def _write_balances(import_id: int) -> None:
    """Balances are the transactions summed per period × unit × account × project, done by
    the database in one statement (constant memory in Python, whatever the file's size).
    A row without a unit keeps its dimension code, so that it can be shown as unmapped."""
    t, b = Transaction._meta.db_table, Balance._meta.db_table
    code = "CASE WHEN unit_id IS NULL THEN unit_code ELSE '' END"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {b} (ledger_import_id, year, period, unit_id, unit_code, account, "
            f"project, amount_ore) SELECT ledger_import_id, year, period, unit_id, {code}, "
            f"account, project, SUM(amount_ore) FROM {t} WHERE ledger_import_id = %s "
            f"GROUP BY ledger_import_id, year, period, unit_id, {code}, account, project "
            "HAVING SUM(amount_ore) <> 0",
            [import_id],
        )


def _default_lookup(municipality, year):
    ensure_default_scheme(municipality)
    return lookup_for(municipality, year)


def _replace_earlier(result, municipality, source, first, last, name, *, exclude):
    """Same source and year: an import inside the new period range is replaced; one that
    overlaps only partly is an error (importing it would count its periods twice)."""
    earlier = LedgerImport.objects.filter(
        municipality=municipality, source=source, year=result.year
    ).exclude(pk=exclude)
    doomed = []
    for old in earlier:
        if old.last_period < first or old.first_period > last:
            continue
        if first <= old.first_period and old.last_period <= last:
            doomed.append(old)
        else:
            result.issues.append(
                Issue(
                    name,
                    0,
                    ERROR,
                    f"perioderna {first}–{last} överlappar delvis importen {old.file_name} "
                    f"(period {old.first_period}–{old.last_period}, {old.imported_at:%Y-%m-%d}); "
                    "importera om hela intervallet",
                    "overlap",
                )
            )
    if result.errors:
        return
    ids = [old.pk for old in doomed]
    if ids:
        with connection.cursor() as cursor:
            marks = ", ".join(["%s"] * len(ids))
            for table in (Transaction._meta.db_table, Balance._meta.db_table):
                cursor.execute(f"DELETE FROM {table} WHERE ledger_import_id IN ({marks})", ids)
        result.replaced = [
            f"{o.file_name} (period {o.first_period}–{o.last_period})" for o in doomed
        ]
        LedgerImport.objects.filter(pk__in=ids).delete()
