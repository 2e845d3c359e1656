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

from styra.lib.errors import ERROR, WARNING, InputError, Issue, UsageError
from styra.lib.money import format_ore
from styra.org import access
from styra.org.models import DimensionMapping, Municipality, NodeKind, OrgNode

from .aggregates import row_balances_apply, row_balances_apply_frame, row_balances_rebuild
from .bulk import bulk_insert
from .models import Account, Balance, LedgerImport, Transaction
from .rows import account_key, ensure_default_scheme, lookup_for

UNIT_DIMENSIONS = ("ansvar", "kostnadsstalle", "verksamhet")  # order of precedence
DEFAULT_SIE_DIMENSIONS = {"1": "ansvar", "2": "verksamhet", "6": "projekt"}
SIE_SUFFIXES = {".se", ".si", ".sie", ".s1", ".s2", ".s3", ".s4"}
TABULAR_SUFFIXES = {".csv", ".txt", ".xlsx"}


def committees_of(municipality: Municipality):
    return OrgNode.objects.filter(municipality=municipality, kind=NodeKind.COMMITTEE)


class ImportRefused(InputError):
    """The file has errors; nothing was stored. `result` is the import's report (periods,
    totals, warnings) as far as it got; `issues` are every problem with its line."""

    def __init__(self, result: ImportResult):
        super().__init__(result.issues, unreadable=False)
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
    company: str = ""  # SIE #FNAMN
    org_number: str = ""  # SIE #ORGNR as written

    @property
    def unmapped_report(self) -> dict[str, int]:
        """The amounts without a unit in the report sign (revenue +, cost −), öre: the
        sign every page and command shows them in."""
        return {code: -amount for code, amount in sorted(self.unmapped.items())}

    @property
    def mapped_result_ore(self) -> int:
        """The result (accounts 3000–8999) that reaches a unit, report sign, öre."""
        total = sum(t.result_ore for t in self.periods.values())
        return -(total - sum(self.unmapped.values()))

    @property
    def unmapped_result_ore(self) -> int:
        return -sum(self.unmapped.values())

    @property
    def mostly_unmapped(self) -> bool:
        """More than half of the result's turnover has no unit: probably the wrong file or
        a missing dimension mapping (the web asks for an explicit confirmation)."""
        gross = sum(abs(v) for v in self.unmapped.values())
        mapped = self._mapped_gross
        return gross > 0 and gross * 2 > gross + mapped

    _mapped_gross: int = 0

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
    date: str | None  # ISO date (YYYY-MM-DD), as the database stores it
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
    actor,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
    file_name: str | None = None,
    accept_other_org: bool = False,
    accept_mostly_unmapped: bool = True,
    columnar: bool = False,
) -> ImportResult:
    """Import a ledger file. Raises ImportRefused (nothing stored) when it has errors.

    The actor needs the FINANCE right on every committee whose units get rows (and on
    some committee of the municipality for rows no unit is mapped to yet).

    A SIE file whose #ORGNR (or, without one, #FNAMN) is another organisation's is
    refused unless `accept_other_org` says the user knows; a file whose result mostly
    reaches no unit is refused when `accept_mostly_unmapped` is False (the web's
    confirmation).

    `dry_run` validates and computes the summary without storing anything.
    `progress(done, total)` is called now and then with line numbers.
    `columnar=True` reads a regular SIE file with the columnar path (`columnar.py`, polars):
    about half the client CPU on PostgreSQL, but about twice the peak memory (issue 13,
    not yet within 300 MB for a million rows), so it is not the default; the tests
    compare it with the careful reader and the row loop.
    """
    path = Path(path)
    name = file_name or path.name
    fmt = file_format or detect_format(path)
    result = ImportResult(file_name=name, file_format=fmt or "?")
    if fmt not in ("sie", "csv"):
        result.issues.append(
            Issue(name, 0, "okänt filformat: filen är varken SIE, CSV eller XLSX", ERROR, "format")
        )
        raise ImportRefused(result)
    if fmt == "csv" and mapping is None:
        result.issues.append(
            Issue(
                name,
                0,
                "en CSV/XLSX-fil behöver en kolumnbeskrivning",
                ERROR,
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
                actor,
                dry_run,
                progress,
                total_lines,
                accept_other_org,
                accept_mostly_unmapped,
                columnar,
            )
            if result.errors:
                raise ImportRefused(result)
            if dry_run:
                raise _DryRun
    except _DryRun:
        result.import_id = None
    return result


def _rows_sie(result, path, name, year, dims, closing, known_accounts, progress, total):
    from .readers import sie

    fiscal_year = None
    named: dict[tuple, tuple] = {}  # SIE object list → the same with dimension names
    # (date, closing series?) → (year, period, ISO date as the database stores it)
    when_cache: dict[tuple, tuple[int, int, str]] = {}
    new_row = tuple.__new__
    for rec in sie.iter_sie(path, filename=name):
        kind = type(rec)
        if kind is sie.Voucher:
            result.vouchers += 1
            if progress and result.vouchers % 2000 == 0:
                progress(rec.line, total)
            voucher_date, series, number, voucher_text = rec.date, rec.series, rec.number, rec.text
            is_closing = series in closing
            for t in rec.transactions:
                key = (t.date or voucher_date, is_closing)
                when = when_cache.get(key)
                if when is None:
                    d = key[0]
                    period = 13 if (is_closing and d.month == 12) else d.month
                    when = when_cache[key] = (d.year, period, d.isoformat())
                objects = named.get(t.objects)
                if objects is None:
                    objects = tuple((dims.get(d, f"dim{d}"), c) for d, c in t.objects)
                    if len(named) < 100_000:
                        named[t.objects] = objects
                yield new_row(
                    Row,
                    (
                        when[0],
                        when[1],
                        when[2],
                        t.account,
                        objects,
                        t.amount_ore,
                        series,
                        number,
                        t.text or voucher_text,
                        t.line,
                    ),
                )
        elif kind is Issue:
            result.issues.append(rec)
        elif kind is sie.Account:
            known_accounts[rec.number] = rec.name
        elif kind is sie.HeaderField:
            if rec.tag == "FNAMN" and rec.values:
                result.company = rec.values[0][:200]
            elif rec.tag == "ORGNR" and rec.values:
                result.org_number = rec.values[0][:40]
        elif kind is sie.FiscalYear and rec.year_index == 0:
            fiscal_year = rec.start.year
            if (rec.start.month, rec.start.day, rec.end.month, rec.end.day) != (1, 1, 12, 31):
                result.issues.append(
                    Issue(
                        name,
                        rec.line,
                        f"räkenskapsåret {rec.start}–{rec.end} är brutet; kommuner och Styra "
                        "följer kalenderår",
                        ERROR,
                        "broken_fiscal_year",
                    )
                )
                return
            if year and fiscal_year != year:
                result.issues.append(
                    Issue(
                        name,
                        rec.line,
                        f"filens räkenskapsår är {fiscal_year}, inte {year} som angavs",
                        ERROR,
                        "year",
                    )
                )
            result.year = fiscal_year
    if result.year is None:
        result.year = year


def _rows_tabular(result, path, name, year, mapping, progress, total):
    from django.conf import settings

    from .readers import tabular

    limits = {
        "max_rows": settings.STYRA_XLSX_MAX_ROWS,
        "max_unpacked": settings.STYRA_XLSX_MAX_UNPACKED_MB * 1024 * 1024,
    }
    for rec in tabular.iter_rows(path, mapping, filename=name, **limits):
        if isinstance(rec, Issue):
            result.issues.append(rec)
            continue
        if progress and rec.line % 20000 == 0:
            progress(rec.line, total)
        if result.year is None:
            result.year = year or rec.year  # a file of one year: its first row says which
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
    actor,
    dry_run,
    progress,
    total_lines,
    accept_other_org=False,
    accept_mostly_unmapped=True,
    columnar=True,
):
    access.require_any(actor, access.FINANCE, committees_of(municipality))
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
        imported_by=access.user_of(actor),
    )
    columns = None
    if fmt == "sie" and columnar:
        from .readers.sie_columns import read_sie_columns

        columns = read_sie_columns(path, filename=name)
    if columns is not None:
        rows = iter(())
    elif fmt == "sie":
        rows = _rows_sie(
            result, path, name, year, dims, closing, known_accounts, progress, total_lines
        )
    else:
        rows = _rows_tabular(result, path, name, year, mapping, progress, total_lines)

    used_accounts: set[str] = set()
    unknown: dict[str, int] = {}  # account -> first line
    wrong_year: list[Row] = []
    resolve_cache: dict[tuple, tuple] = {}
    touched: set[int | None] = set()
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

    is_result: dict[str, bool] = {}  # account -> in 3000-8999, decided at its first row

    def produce() -> Iterator[tuple]:
        for row in rows:
            if result.year and row.year != result.year:
                if len(wrong_year) < 50:
                    wrong_year.append(row)
                continue
            unit_id, unit_code, project, text = resolve(row.year, row.objects)
            touched.add(unit_id)
            account = row.account
            amount = row.amount_ore
            in_result = is_result.get(account)
            if in_result is None:  # the account's first row
                if account not in db_accounts and account not in known_accounts:
                    unknown[account] = row.line
                used_accounts.add(account)
                key4 = account_key(account)
                in_result = is_result[account] = key4 is not None and 3000 <= key4 <= 8999
            total = periods[row.period]
            total.rows += 1
            if amount > 0:
                total.debit_ore += amount
            if in_result:
                total.result_ore += amount
                if unit_id is None:
                    result.unmapped[unit_code or "(utan enhetskod)"] += amount
                else:
                    result._mapped_gross += amount if amount > 0 else -amount
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

    columns_order = (
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
    balances = None
    if columns is not None:
        from . import columnar

        loaded = columnar.sie_frame(
            result, columns, name, year, dims, closing, known_accounts, progress, total_lines
        )
        del columns
        resolved = columnar.resolve(
            loaded,
            closing,
            result=result,
            import_id=import_id,
            resolve_unit=resolve,
            db_accounts=db_accounts,
            used_accounts=used_accounts,
            unknown=unknown,
            wrong_year=wrong_year,
            touched=touched,
            row_type=Row,
        )
        del loaded
        result.rows = len(resolved)
        if not dry_run:
            columnar.insert(Transaction._meta.db_table, resolved, columns_order)
            balances = columnar.balances(resolved)
        del resolved
    elif dry_run:
        result.rows = sum(1 for _ in produce())
    else:
        result.rows = bulk_insert(
            Transaction._meta.db_table, columns_order, produce(), expected_rows=count_lines(path)
        )

    for node in OrgNode.objects.filter(pk__in=[u for u in touched if u is not None]):
        committee = node.committee()
        if committee is not None:
            access.require(actor, access.FINANCE, committee)
    flagged = {i.line for i in result.issues if i.code == "date_outside_year"}
    for row in wrong_year:
        if row.line in flagged:
            continue
        result.issues.append(
            Issue(
                name,
                row.line,
                f"datum {row.date} ligger utanför räkenskapsåret {result.year}",
                ERROR,
                "date_outside_year",
            )
        )
    for account, line in sorted(unknown.items(), key=lambda kv: kv[1]):
        result.issues.append(
            Issue(
                name,
                line,
                f"okänt konto {account}: det finns inte i kontoplanen eller i filen",
                ERROR,
                "unknown_account",
            )
        )
    if result.year is None:
        result.issues.append(Issue(name, 0, "filen anger inget räkenskapsår", ERROR, "year"))
    if result.rows == 0 and not result.errors:
        result.issues.append(Issue(name, 0, "filen innehåller inga transaktioner", ERROR, "empty"))
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
                        f"konto {account} hör inte till någon rapportrad",
                        WARNING,
                        "no_report_row",
                    )
                )
    for code, amount in result.unmapped_report.items():
        result.issues.append(
            Issue(
                name,
                0,
                f"{code} är inte kopplad till någon enhet {result.year}: {format_ore(amount)} kr "
                "(intäkt +, kostnad −) syns under 'Ej kopplat' tills koden kopplas i "
                "organisationsfilen",
                WARNING,
                "unmapped",
            )
        )
    if fmt == "sie":
        _check_organisation(result, municipality, name, accept_other_org)
    if result.mostly_unmapped and not accept_mostly_unmapped:
        result.issues.append(
            Issue(
                name,
                0,
                f"det mesta av resultatet ({format_ore(result.unmapped_result_ore)} kr) hör inte "
                "till någon enhet; bekräfta att filen ska läsas in ändå",
                ERROR,
                "mostly_unmapped",
            )
        )
    if result.errors:
        return

    first, last = result.first_period, result.last_period
    _replace_earlier(
        result, municipality, source, first, last, name, exclude=import_id, actor=actor
    )
    if result.errors:
        return
    Account.objects.bulk_create(
        [Account(municipality=municipality, number=n, name=a) for n, a in known_accounts.items()],
        ignore_conflicts=True,
    )
    if not dry_run:
        _write_balances(import_id, balances, municipality.pk)
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


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isascii() and ch.isdigit())


def _words(text: str) -> set[str]:
    return {w for w in "".join(c if c.isalpha() else " " for c in text.casefold()).split()}


GENERIC_WORDS = {"kommun", "kommuns", "stad", "region", "demo", "och", "för", "ab"}


def same_organisation(municipality: Municipality, org_number: str, company: str) -> bool | None:
    """Does a file's #ORGNR (or, without one, its #FNAMN) name the municipality? None
    when the file says neither. The org number decides when it is there (the last ten
    digits: SIE files write 212000-2882, 2120002882 or 16212000-2882); the name counts
    when a word of it other than 'kommun', 'stad' and the like is the municipality's."""
    if org_number.strip():
        return _digits(org_number)[-10:] == _digits(municipality.org_number)[-10:]
    if company.strip():
        shared = (_words(company) & _words(municipality.name)) - GENERIC_WORDS
        return bool(shared)
    return None


def _check_organisation(result, municipality, name, accept_other_org) -> None:
    same = same_organisation(municipality, result.org_number, result.company)
    ours = f"{municipality.name} ({municipality.org_number})"
    if same is None:
        result.issues.append(
            Issue(
                name,
                0,
                f"filen anger varken organisationsnummer (#ORGNR) eller företagsnamn (#FNAMN): "
                f"kontrollera att den är {ours}",
                WARNING,
                "no_orgnr",
            )
        )
        return
    if same:
        return
    theirs = (
        f"organisationsnummer {result.org_number}"
        if result.org_number.strip()
        else f"företagsnamn {result.company!r}"
    )
    theirs += f" ({result.company})" if result.org_number.strip() and result.company else ""
    if accept_other_org:
        result.issues.append(
            Issue(
                name,
                0,
                f"filen har {theirs}, inte {ours}; den läses in ändå på begäran",
                WARNING,
                "orgnr",
            )
        )
        return
    result.issues.append(
        Issue(
            name,
            0,
            f"filen tillhör en annan organisation: {theirs}, men kommunen är {ours}",
            ERROR,
            "orgnr",
        )
    )


def _write_balances(import_id: int, frame=None, municipality_id: int | None = None) -> None:
    """Balances are the transactions summed per period × unit × account × project, done by
    the database in one statement (constant memory in Python, whatever the file's size),
    or given as a frame already summed (the columnar path: polars groups a million rows
    in a fraction of the time SQLite takes to sort them).
    A row without a unit keeps its dimension code, so that it can be shown as unmapped."""
    t, b = Transaction._meta.db_table, Balance._meta.db_table
    if frame is not None:
        from . import columnar

        columnar.insert(b, frame, columnar.BALANCE_COLUMNS, import_id)
        row_balances_apply_frame(municipality_id, frame.for_aggregate())
        return
    code = "CASE WHEN unit_id IS NULL THEN unit_code ELSE '' END"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Group a million rows in memory rather than by sorting on disk.
            cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute(
            f"INSERT INTO {b} (ledger_import_id, year, period, unit_id, unit_code, account, "
            f"project, amount_ore) SELECT ledger_import_id, year, period, unit_id, {code}, "
            f"account, project, SUM(amount_ore) FROM {t} WHERE ledger_import_id = %s "
            f"GROUP BY ledger_import_id, year, period, unit_id, {code}, account, project "
            "HAVING SUM(amount_ore) <> 0",
            [import_id],
        )
    row_balances_apply([import_id], +1)


def _default_lookup(municipality, year):
    ensure_default_scheme(municipality)
    return lookup_for(municipality, year)


def _replace_earlier(result, municipality, source, first, last, name, *, exclude, actor):
    """Same source and year: a live import inside the new period range is replaced; one
    that overlaps only partly is an error (importing it would count its periods twice).
    A replaced import loses its balances but keeps its transactions, so that undoing the
    new import restores it exactly. Replacing takes away every committee's outcome the old
    import counted: the actor needs the FINANCE right on each of those committees too."""
    earlier = (
        LedgerImport.live()
        .filter(municipality=municipality, source=source, year=result.year)
        .exclude(pk=exclude)
    )
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
                    f"perioderna {first}–{last} överlappar delvis importen {old.file_name} "
                    f"(period {old.first_period}–{old.last_period}, {old.imported_at:%Y-%m-%d}); "
                    "importera om hela intervallet",
                    ERROR,
                    "overlap",
                )
            )
    if result.errors:
        return
    ids = [old.pk for old in doomed]
    counted = (
        Balance.objects.filter(ledger_import_id__in=ids, unit__isnull=False)
        .values_list("unit_id", flat=True)
        .distinct()
    )
    for committee in {n.committee() for n in OrgNode.objects.filter(pk__in=list(counted))}:
        if committee is not None:
            access.require(actor, access.FINANCE, committee)
    if ids:
        row_balances_apply(ids, -1)
        Balance.objects.filter(ledger_import_id__in=ids).delete()
        result.replaced = [
            f"{o.file_name} (period {o.first_period}–{o.last_period})" for o in doomed
        ]
        LedgerImport.objects.filter(pk__in=ids).update(replaced_by_id=exclude)


def locked_events_for(ledger_import: LedgerImport):
    """The approved (locked) events of the municipality's committees that show some of
    the import's periods and after which the committee has no open event of the year left
    to take the change. An approved event keeps the figures it showed (they are stored at
    approval), so an undo, like a corrected import, counts from the next open event; only
    a year with nothing open left refuses it."""
    from styra.calendar.locks import event_is_locked, event_next_open
    from styra.calendar.models import ReportingEvent

    events = ReportingEvent.objects.filter(
        committee__municipality_id=ledger_import.municipality_id,
        year=ledger_import.year,
        cutoff_period__gte=ledger_import.first_period,
    ).select_related("committee")
    out = []
    for event in events:
        if not event_is_locked(event):
            continue
        following = event_next_open(event)
        if following is None or following.year != event.year:
            out.append(event)
    return out


def ledger_import_undo(*, actor, import_id: int, municipality: Municipality) -> LedgerImport:
    """Undo an import: its rows go, and the imports it replaced count again, exactly as
    before (returned with `.restored`, the imports that count again). All or nothing.
    Refused for an import that is not in force (undo the newer one first) and when an
    approved event shows any of its periods and nothing of the year is open after it. An
    approved event keeps what it showed; the undo counts from the next open event."""
    from django.utils import timezone

    from styra.calendar.locks import LockedError

    access.require_any(actor, access.FINANCE, committees_of(municipality))
    with transaction.atomic():
        target = (
            LedgerImport.objects.select_for_update()
            .filter(municipality=municipality, pk=import_id)
            .first()
        )
        if target is None:
            raise UsageError(f"Det finns ingen import med id {import_id} i {municipality}.")
        units = (
            Balance.objects.filter(ledger_import=target, unit__isnull=False)
            .values_list("unit_id", flat=True)
            .distinct()
        )
        for node in OrgNode.objects.filter(pk__in=list(units)):
            committee = node.committee()
            if committee is not None:
                access.require(actor, access.FINANCE, committee)
        if target.undone_at is not None:
            raise UsageError(f"Importen {import_id} ({target.file_name}) är redan ångrad.")
        if target.replaced_by_id is not None:
            raise UsageError(
                f"Importen {import_id} ({target.file_name}) är ersatt av import "
                f"{target.replaced_by_id}: ångra den först."
            )
        locked = locked_events_for(target)
        if locked:
            names = ", ".join(
                f"{e.name} för {e.committee.code or e.committee.name}" for e in locked
            )
            raise LockedError(
                f"Importen {import_id} ({target.file_name}, period {target.first_period}–"
                f"{target.last_period} {target.year}) kan inte ångras: {names} är godkänd och "
                f"låst, och inget rapporttillfälle {target.year} är öppet efter den. Lägg upp "
                "nästa rapporttillfälle i årets kalender först."
            )
        restored = list(LedgerImport.objects.filter(replaced_by=target))
        row_balances_apply([target.pk], -1)
        Balance.objects.filter(ledger_import=target).delete()
        Transaction.all_objects.filter(ledger_import=target).delete()
        LedgerImport.objects.filter(pk__in=[r.pk for r in restored]).update(replaced_by=None)
        for old in restored:
            _write_balances(old.pk)
        target.undone_at = timezone.now()
        target.undone_by = access.user_of(actor)
        target.save(update_fields=["undone_at", "undone_by"])
        target.restored = restored  # the imports that count again
        return target


@transaction.atomic
def dimension_map(*, actor, node: OrgNode, year: int, dimension: str, code: str):
    """Map a ledger dimension code (e.g. ansvar 1290) to a unit for a year, and move the
    year's ledger rows that carry the code and had no unit to that unit: what showed under
    "Ej kopplat" now counts for the unit. A code already mapped is refused (UsageError)."""
    from styra.org.models import Dimension

    access.require(actor, access.FINANCE, node)
    if node.committee() is None:
        raise UsageError(f"{node.name} hör inte till någon nämnd.")
    if dimension not in Dimension.values:
        raise UsageError(f"okänd dimension {dimension!r} ({', '.join(Dimension.values)})")
    code = code.strip()
    if not code:
        raise UsageError("Ange koden som ska kopplas.")
    existing = DimensionMapping.objects.filter(
        municipality=node.municipality, year=year, dimension=dimension, code=code
    ).first()
    if existing is not None:
        raise UsageError(
            f"{dimension} {code} är redan kopplad till {existing.node.name} för {year}."
        )
    mapping = DimensionMapping.objects.create(
        municipality=node.municipality, year=year, dimension=dimension, code=code, node=node
    )
    unit_code = f"{dimension} {code}"
    imports = LedgerImport.objects.filter(municipality=node.municipality)
    # Every import's rows, also those a later import replaced: an undo brings them back
    # with the mapping already applied.
    moved = Transaction.all_objects.filter(
        ledger_import__in=imports, year=year, unit__isnull=True, unit_code=unit_code
    ).update(unit=node)
    Balance.objects.filter(
        ledger_import__in=imports, year=year, unit__isnull=True, unit_code=unit_code
    ).update(unit=node, unit_code="")
    row_balances_rebuild(municipality=node.municipality, years=[year], unit_ids=[node.pk])
    return mapping, moved
