"""Stored aggregates of the ledger: the balances per unit × report row × period (RowBalance).

The figures engine reads `RowBalance` instead of summing the Balance rows of every unit and
account on each page. Every write of balances keeps it equal, in the same transaction:

- `row_balances_apply(import_ids, sign)`: an import's balances were written (+1) or are
  about to be removed (−1): the ledger import, a replaced import, an undo, and the import
  an undo brings back. Only the touched unit × row keys are read and written.
- `row_balances_rebuild(municipality, years)`: recompute from the balances (a row scheme
  loaded, a dimension code mapped to a unit, a database from before the aggregates).
- `row_balances_expected(...)`: what the aggregate must hold, from the raw rows (the
  `styra figures verify` command compares the two).

After every change the signal `outcome_changed` names the municipality, the year and the
units, so that the budget months that follow last year's outcome (styra.finance) follow.
"""

from __future__ import annotations

from collections import defaultdict

from django.db import connection
from django.dispatch import Signal

from styra.org.models import Municipality

from .models import Balance, LedgerImport, RowBalance
from .rows import account_key, lookup_for

PERIODS = 13
UNMAPPED_ROW = "?"  # a result account outside every report row

# Sent with municipality_id, year and unit_ids after the outcome of those units changed.
outcome_changed = Signal()

RowKey = tuple[int, int, str]  # (year, unit id, row code)


class _RowCodes:
    """Account → report row code (or None: not a result account) per municipality × year."""

    def __init__(self):
        self._lookups: dict[tuple[int, int], object] = {}
        self._codes: dict[tuple[int, int, str], str | None] = {}

    def code(self, municipality_id: int, year: int, account: str) -> str | None:
        key = (municipality_id, year, account)
        if key in self._codes:
            return self._codes[key]
        key4 = account_key(account)
        if key4 is None or not 3000 <= key4 <= 8999:
            code = None
        else:
            if (municipality_id, year) not in self._lookups:
                self._lookups[(municipality_id, year)] = lookup_for(municipality_id, year)
            lookup = self._lookups[(municipality_id, year)]
            row = lookup.row_for(account) if lookup else None
            code = row.code if row else UNMAPPED_ROW
        self._codes[key] = code
        return code


def _sums(where: str, params: list) -> dict[RowKey, list[int]]:
    """The balances matching `where` (SQL on the balance and import tables) summed per
    year × unit × row × period, ledger sign, öre. Balances without a unit never count."""
    b, i = Balance._meta.db_table, LedgerImport._meta.db_table
    sql = (
        f"SELECT {i}.municipality_id, {b}.year, {b}.unit_id, {b}.account, {b}.period, "
        f"SUM({b}.amount_ore) FROM {b} JOIN {i} ON {i}.id = {b}.ledger_import_id "
        f"WHERE {b}.unit_id IS NOT NULL AND {where} "
        f"GROUP BY {i}.municipality_id, {b}.year, {b}.unit_id, {b}.account, {b}.period"
    )
    codes = _RowCodes()
    out: dict[RowKey, list[int]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while batch := cursor.fetchmany(10000):
            for municipality_id, year, unit_id, account, period, total in batch:
                code = codes.code(municipality_id, year, account)
                if code is None or not total or not 1 <= period <= PERIODS:
                    continue
                out.setdefault((year, unit_id, code), [0] * PERIODS)[period - 1] += int(total)
    return out


def row_balances_expected(
    *, municipality: Municipality, years=None, unit_ids=None
) -> dict[RowKey, list[int]]:
    """What RowBalance must hold, summed from the live balances (an all-zero key is
    absent). `years`, `unit_ids`: only these (None: all)."""
    b = Balance._meta.db_table
    where, params = f"{LedgerImport._meta.db_table}.municipality_id = %s", [municipality.pk]
    if years is not None:
        years = sorted(set(years))
        where += f" AND {b}.year IN ({', '.join(['%s'] * len(years))})"
        params += years
    if unit_ids is not None:
        unit_ids = sorted(set(unit_ids))
        marks = ", ".join(["%s"] * len(unit_ids)) or "NULL"
        where += f" AND {b}.unit_id IN ({marks})"
        params += unit_ids
    return {key: periods for key, periods in _sums(where, params).items() if any(periods)}


def row_balances_stored(
    *, municipality: Municipality, years=None, unit_ids=None
) -> dict[RowKey, list[int]]:
    qs = RowBalance.objects.filter(unit__municipality=municipality)
    if years is not None:
        qs = qs.filter(year__in=list(years))
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=list(unit_ids))
    return {
        (year, unit_id, code): [int(v) for v in periods]
        for year, unit_id, code, periods in qs.values_list("year", "unit_id", "row_code", "periods")
    }


def _notify(municipality_id: int, keys) -> None:
    by_year: dict[int, set[int]] = defaultdict(set)
    for year, unit_id, _code in keys:
        by_year[year].add(unit_id)
    for year, units in sorted(by_year.items()):
        outcome_changed.send(RowBalance, municipality_id=municipality_id, year=year, unit_ids=units)


def row_balances_apply(import_ids, sign: int) -> None:
    """Add (sign +1, after the balances were written) or subtract (sign −1, before they are
    deleted) the balances of these imports to the stored aggregate; a key that sums to
    zero in every period is removed. Call inside the write's transaction."""
    ids = [int(pk) for pk in import_ids]
    if not ids:
        return
    by_municipality = dict(
        LedgerImport.objects.filter(pk__in=ids).values_list("pk", "municipality_id")
    )
    b = Balance._meta.db_table
    marks = ", ".join(["%s"] * len(ids))
    delta = _sums(f"{b}.ledger_import_id IN ({marks})", ids)
    if not delta:
        return
    for municipality_id in set(by_municipality.values()):
        _apply(municipality_id, delta, sign)


def row_balances_apply_frame(municipality_id: int, balances) -> None:
    """`row_balances_apply([import], +1)` for an import whose balances were just written
    from `balances` (a polars frame: year, period, unit_id, account, amount_ore), summed
    from the frame instead of read back from the database."""
    import polars as pl

    f = balances.filter(
        pl.col("unit_id").is_not_null() & pl.col("period").is_between(1, PERIODS)
    ).select("year", "period", "unit_id", "account", "amount_ore")
    pairs = f.select("year", "account").unique()
    codes = _RowCodes()
    code_map = pairs.with_columns(
        pl.Series(
            "code",
            [codes.code(municipality_id, y, a) for y, a in pairs.iter_rows()],
            dtype=pl.String,
        )
    )
    summed = (
        f.join(code_map, on=["year", "account"], how="inner")
        .filter(pl.col("code").is_not_null())
        .group_by("year", "unit_id", "code", "period")
        .agg(pl.col("amount_ore").sum())
    )
    delta: dict[RowKey, list[int]] = {}
    for year, unit_id, code, period, total in summed.iter_rows():
        if total:
            delta.setdefault((year, unit_id, code), [0] * PERIODS)[period - 1] += int(total)
    if delta:
        _apply(municipality_id, delta, +1)


def _apply(municipality_id: int, delta: dict[RowKey, list[int]], sign: int) -> None:
    years = {y for y, _u, _c in delta}
    units = {u for _y, u, _c in delta}
    existing = {
        (r.year, r.unit_id, r.row_code): r
        for r in RowBalance.objects.filter(
            unit__municipality_id=municipality_id, year__in=years, unit_id__in=units
        )
    }
    create, update, delete = [], [], []
    for key, periods in delta.items():
        row = existing.get(key)
        if row is None:
            row = RowBalance(year=key[0], unit_id=key[1], row_code=key[2], periods=[0] * PERIODS)
            target = create
        else:
            target = update
        row.periods = [int(a) + sign * b for a, b in zip(row.periods, periods, strict=True)]
        if any(row.periods):
            target.append(row)
        elif row.pk is not None:
            delete.append(row.pk)
    if delete:
        RowBalance.objects.filter(pk__in=delete).delete()
    if update:
        RowBalance.objects.bulk_update(update, ["periods"], batch_size=2000)
    if create:
        RowBalance.objects.bulk_create(create, batch_size=2000)
    _notify(municipality_id, delta)


def row_balances_rebuild(*, municipality: Municipality, years=None, unit_ids=None) -> int:
    """Recompute the aggregate of the municipality (these years, these units; None: all)
    from the balances. Returns the number of stored keys."""
    expected = row_balances_expected(municipality=municipality, years=years, unit_ids=unit_ids)
    old = RowBalance.objects.filter(unit__municipality=municipality)
    if years is not None:
        old = old.filter(year__in=list(years))
    if unit_ids is not None:
        old = old.filter(unit_id__in=list(unit_ids))
    old_keys = set(old.values_list("year", "unit_id", "row_code"))
    old.delete()
    RowBalance.objects.bulk_create(
        [RowBalance(year=y, unit_id=u, row_code=c, periods=p) for (y, u, c), p in expected.items()],
        batch_size=2000,
    )
    _notify(municipality.pk, old_keys | set(expected))
    return len(expected)
