"""The ledger import on columns (issue 13: import at disk speed).

When the columnar SIE reader (`readers.sie_columns`) takes a file, `services._run` does
with polars what its per-row loop does for every other file: each row's year, period,
date and text; the unit, unit code, project and object text per distinct object list (the
same `resolve` the loop uses, called once per distinct list instead of once per row); the
rows of another year set aside; the accounts checked at their first row; the totals per
period and the amounts without a unit; then the rows go to the database in bulk
(PostgreSQL COPY of CSV written by polars, SQLite multi-row INSERTs) and the balances are
summed by polars instead of by the database sorting a million rows.

Behaviour is the loop's: `tests/ledger` runs every SIE import through this path when the
file is regular, and the loop otherwise.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass

import polars as pl
from django.db import connection

from styra.lib.errors import Issue

from .bulk import bulk_insert
from .readers import sie
from .readers.sie_columns import REGION, SieColumns
from .rows import account_key

COPY_SLICE = 100_000  # rows per CSV piece handed to COPY (bounds the buffer's memory)
SQLITE_SLICE = 20_000  # rows made Python values at a time for SQLite's INSERTs

BALANCE_COLUMNS = (
    "ledger_import_id",
    "year",
    "period",
    "unit_id",
    "unit_code",
    "account",
    "project",
    "amount_ore",
)


def sie_frame(
    result, cols: SieColumns, name, year, dims, closing, known_accounts, progress, total
) -> Loaded:
    """The file's records handled as `services._rows_sie` handles them, and its rows as
    one frame in file order with an index into a table of their vouchers. Also the
    accounts known at each point rows were read (a #KONTO after a voucher does not declare
    the account for that voucher) and the object lists by key, with dimension names."""
    objects: dict[str, tuple] = {
        k: tuple((dims.get(d, f"dim{d}"), c) for d, c in v) for k, v in cols.objects.items()
    }
    parts: list[pl.DataFrame] = []
    vparts: list[pl.DataFrame] = []
    snapshots: list[frozenset] = []
    careful: list[tuple] = []
    careful_vouchers: list[tuple] = []
    nv = 0  # vouchers in the table so far

    def flush_careful() -> None:
        nonlocal nv
        if careful:
            parts.append(pl.DataFrame(careful, schema=_SCHEMA, orient="row"))
            careful.clear()
        if careful_vouchers:
            vparts.append(pl.DataFrame(careful_vouchers, schema=_VSCHEMA, orient="row"))
            nv += len(careful_vouchers)
            careful_vouchers.clear()

    def done() -> Loaded:
        flush_careful()
        frame = pl.concat(parts) if parts else pl.DataFrame(schema=_SCHEMA)
        vouchers = pl.concat(vparts) if vparts else pl.DataFrame(schema=_VSCHEMA)
        return Loaded(frame, vouchers, snapshots, objects)

    for rec in cols.records:
        if rec is REGION:
            if progress:
                progress(0, total)
            result.vouchers += cols.vouchers
            snapshots.append(frozenset(known_accounts))
            flush_careful()
            parts.append(
                cols.rows.select(
                    "line",
                    pl.col("account").cast(pl.String),
                    pl.col("inner").cast(pl.String).alias("okey"),
                    "amount_ore",
                    "date",
                    "text",
                    (pl.col("vidx").cast(pl.Int64) + nv).alias("vidx"),
                    pl.lit(result.year, dtype=pl.Int32).alias("cy"),
                    pl.lit(len(snapshots) - 1, dtype=pl.Int32).alias("kseq"),
                )
            )
            vparts.append(cols.voucher_fields.select(list(_VSCHEMA)))
            nv += cols.vouchers
            continue
        kind = type(rec)
        if kind is sie.Voucher:
            result.vouchers += 1
            snapshots.append(frozenset(known_accounts))
            vidx = nv + len(careful_vouchers)
            careful_vouchers.append((rec.series, rec.number, rec.date, rec.text))
            for t in rec.transactions:
                key = f"\x00{len(objects)}"
                objects[key] = tuple((dims.get(d, f"dim{d}"), c) for d, c in t.objects)
                careful.append(
                    (t.line, t.account, key, t.amount_ore, t.date, t.text, vidx, result.year,
                     len(snapshots) - 1)
                )  # fmt: skip
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
                        "fel",
                        "broken_fiscal_year",
                    )
                )
                return done()
            if year and fiscal_year != year:
                result.issues.append(
                    Issue(
                        name,
                        rec.line,
                        f"filens räkenskapsår är {fiscal_year}, inte {year} som angavs",
                        "fel",
                        "year",
                    )
                )
            result.year = fiscal_year
    loaded = done()
    if result.year is None:
        result.year = year
    if progress:
        progress(cols.lines, total)
    return loaded


@dataclass
class Loaded:
    frame: pl.DataFrame  # _SCHEMA, in file order
    vouchers: pl.DataFrame  # _VSCHEMA; a row's voucher is row `vidx`
    snapshots: list[frozenset]
    objects: dict[str, tuple]


_SCHEMA = {
    "line": pl.Int64,
    "account": pl.String,
    "okey": pl.String,
    "amount_ore": pl.Int64,
    "date": pl.Date,
    "text": pl.String,
    "vidx": pl.Int64,
    "cy": pl.Int32,
    "kseq": pl.Int32,
}
_VSCHEMA = {"series": pl.String, "number": pl.String, "vdate": pl.Date, "vtext": pl.String}


@dataclass
class Resolved:
    """The rows to store, compact: unit fields by `ukey` into `units`, voucher fields by
    `vidx` into `vouchers`; the strings are made per slice when stored."""

    frame: pl.DataFrame  # line, account, ukey, amount_ore, year, period, iso, text, vidx
    units: pl.DataFrame  # unit_id, unit_code, project, objects_text; row ukey
    vouchers: pl.DataFrame
    import_id: int

    def __len__(self) -> int:
        return len(self.frame)

    def slices(self, size: int):
        """The rows in `services._run`'s column order, `size` at a time."""
        u, v = self.units, self.vouchers
        for start in range(0, len(self.frame), size):
            part = self.frame.slice(start, size)
            ukey, vidx = part["ukey"], part["vidx"]
            text = part["text"]
            vtext = v["vtext"].gather(vidx)
            yield pl.DataFrame(
                {
                    "ledger_import_id": pl.Series([self.import_id] * len(part), dtype=pl.Int64),
                    "year": part["year"],
                    "period": part["period"],
                    "date": part["iso"],
                    "account": part["account"],
                    "unit_id": u["unit_id"].gather(ukey),
                    "unit_code": u["unit_code"].gather(ukey),
                    "project": u["project"].gather(ukey),
                    "objects_text": u["objects_text"].gather(ukey),
                    "amount_ore": part["amount_ore"],
                    "series": v["series"].gather(vidx),
                    "voucher": v["number"].gather(vidx),
                    "text": pl.select(pl.when(text != "").then(text).otherwise(vtext)).to_series(),
                    "line": part["line"],
                }
            )


def resolve(
    loaded: Loaded,
    closing: frozenset[str],
    *,
    result,
    import_id: int,
    resolve_unit: Callable[[int, tuple], tuple],
    db_accounts: set[str],
    used_accounts: set[str],
    unknown: dict[str, int],
    wrong_year: list,
    touched: set,
    row_type,
) -> Resolved:
    """What `services._run`'s loop computes per row, per column."""
    frame, vouchers, snapshots, objects = (
        loaded.frame, loaded.vouchers, loaded.snapshots, loaded.objects
    )  # fmt: skip
    frame = frame.with_columns(
        pl.coalesce("date", vouchers["vdate"].gather(frame["vidx"])).alias("when"),
        vouchers["series"].gather(frame["vidx"]).is_in(sorted(closing)).alias("closing")
        if closing
        else pl.lit(False).alias("closing"),
    ).drop("date")
    when = pl.col("when")
    frame = frame.with_columns(
        when.dt.year().cast(pl.Int32).alias("year"),
        pl.when(pl.col("closing") & (when.dt.month() == 12))
        .then(13)
        .otherwise(when.dt.month())
        .cast(pl.Int32)
        .alias("period"),
        when.dt.to_string("%Y-%m-%d").alias("iso"),
    ).drop("when", "closing")
    wrong = pl.col("cy").is_not_null() & (pl.col("year") != pl.col("cy"))
    bad = frame.filter(wrong).head(50)
    if len(bad):
        v = vouchers
        for y, period, iso, account, okey, ore, text, i, line in bad.select(
            "year", "period", "iso", "account", "okey", "amount_ore", "text", "vidx", "line"
        ).iter_rows():
            series, number, _vdate, vtext = v.row(i)
            wrong_year.append(
                row_type(
                    y, period, iso, account, objects[okey], ore, series, number, text or vtext,
                    line,
                )
            )  # fmt: skip
        frame = frame.filter(~wrong)
    frame = frame.drop("cy")

    keys = frame.select("year", "okey").unique(maintain_order=True)
    units = [resolve_unit(y, objects[k]) for y, k in keys.iter_rows()]
    unit_table = pl.DataFrame(
        {
            "unit_id": pl.Series([u[0] for u in units], dtype=pl.Int64),
            "unit_code": pl.Series([u[1] for u in units], dtype=pl.String),
            "project": pl.Series([u[2] for u in units], dtype=pl.String),
            "objects_text": pl.Series([u[3] for u in units], dtype=pl.String),
        }
    )
    frame = frame.join(
        keys.with_row_index("ukey"), on=["year", "okey"], how="left", maintain_order="left"
    ).drop("okey")

    firsts = frame.group_by("account", maintain_order=True).agg(
        pl.col("line").first(), pl.col("kseq").first()
    )
    in_result = []
    for account, line, kseq in firsts.iter_rows():
        if account not in db_accounts and account not in snapshots[kseq]:
            unknown.setdefault(account, line)
        used_accounts.add(account)
        key4 = account_key(account)
        in_result.append(key4 is not None and 3000 <= key4 <= 8999)
    result_accounts = [a for a, r in zip(firsts["account"].to_list(), in_result, strict=True) if r]
    frame = frame.drop("kseq")

    unit_ids = unit_table["unit_id"]
    touched.update(unit_ids.gather(frame["ukey"].unique()).to_list())
    amount = pl.col("amount_ore")
    is_result = pl.col("account").is_in(result_accounts)
    per_period = (
        frame.group_by("period")
        .agg(
            pl.len().alias("rows"),
            pl.col("line").min().alias("first"),
            amount.filter(amount > 0).sum().alias("debit"),
            amount.filter(is_result).sum().alias("result"),
        )
        .sort("first")
    )
    for period, rows, _first, debit, res in per_period.iter_rows():
        total = result.periods[period]
        total.rows += rows
        total.debit_ore += debit or 0
        total.result_ore += res or 0
    per_unit = (
        frame.filter(is_result)
        .group_by("ukey")
        .agg(amount.sum(), amount.abs().sum().alias("gross"), pl.col("line").min().alias("first"))
        .sort("first")
    )
    for ukey, amount_ore, gross, _first in per_unit.iter_rows():
        unit_id, unit_code = unit_table.row(ukey)[:2]
        if unit_id is None:
            result.unmapped[unit_code or "(utan enhetskod)"] += amount_ore
        else:
            result._mapped_gross += gross
    frame = frame.with_columns(pl.col("account").cast(pl.Categorical))
    return Resolved(frame, unit_table, vouchers, import_id)


def insert(
    table: str, rows: Resolved | Balances, columns: tuple[str, ...], import_id: int = 0
) -> int:
    """Store the rows' columns (in this order) in table, inside the caller's transaction:
    PostgreSQL COPY from CSV written by polars, SQLite multi-row INSERTs."""
    size = COPY_SLICE if connection.vendor == "postgresql" else SQLITE_SLICE
    if isinstance(rows, Balances):
        slices = rows.slices(size, import_id)
    else:
        slices = rows.slices(size)
    if connection.vendor != "postgresql":

        def tuples():
            for part in slices:
                yield from zip(*(part[c].to_list() for c in columns), strict=True)

        return bulk_insert(table, columns, tuples(), expected_rows=len(rows))
    cols = ", ".join(columns)
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the psycopg cursor under Django's wrapper
        with raw.copy(f"COPY {table} ({cols}) FROM STDIN WITH (FORMAT csv)") as copy:
            for part in slices:
                buf = io.BytesIO()
                part.select(list(columns)).write_csv(buf, include_header=False)
                copy.write(buf.getvalue())
    return len(rows)


def balances(rows: Resolved) -> Balances:
    """The rows summed per year × period × unit × account × project (a row without a
    unit keeps its dimension code), sums that are not zero. Object lists that come to the
    same unit, code and project are one key; the sums are made on integer keys and the
    strings only when stored."""
    u = rows.units
    canon: dict[tuple, int] = {}
    first_of = [
        canon.setdefault((unit_id, "" if unit_id is not None else code, project), i)
        for i, (unit_id, code, project, _text) in enumerate(u.iter_rows())
    ]
    f = rows.frame
    sums = (
        pl.DataFrame(
            {
                "year": f["year"],
                "period": f["period"],
                "ukey": pl.Series(first_of, dtype=pl.UInt32).gather(f["ukey"]),
                "account": f["account"],
                "amount_ore": f["amount_ore"],
            }
        )
        .group_by("year", "period", "ukey", "account")
        .agg(pl.col("amount_ore").sum())
        .filter(pl.col("amount_ore") != 0)
    )
    return Balances(sums, u)


@dataclass
class Balances:
    sums: pl.DataFrame  # year, period, ukey, account, amount_ore
    units: pl.DataFrame

    def __len__(self) -> int:
        return len(self.sums)

    def for_aggregate(self) -> pl.DataFrame:
        """year, period, unit_id, account, amount_ore (aggregates.row_balances_apply_frame)."""
        return self.sums.with_columns(self.units["unit_id"].gather(self.sums["ukey"]))

    def slices(self, size: int, import_id: int):
        u = self.units
        for start in range(0, len(self.sums), size):
            part = self.sums.slice(start, size)
            ukey = part["ukey"]
            unit_id = u["unit_id"].gather(ukey)
            code = u["unit_code"].gather(ukey)
            yield pl.DataFrame(
                {
                    "ledger_import_id": pl.Series([import_id] * len(part), dtype=pl.Int64),
                    "year": part["year"],
                    "period": part["period"],
                    "unit_id": unit_id,
                    "unit_code": pl.select(
                        pl.when(unit_id.is_null()).then(code).otherwise(pl.lit(""))
                    ).to_series(),
                    "account": part["account"],
                    "project": u["project"].gather(ukey),
                    "amount_ore": part["amount_ore"],
                }
            )
