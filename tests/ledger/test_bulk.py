"""The bulk insert under the ledger import: multi-row statements and, on SQLite, secondary
indexes dropped and built again inside the caller's transaction."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from styra.ledger.bulk import SQLITE_ROWS_PER_STATEMENT, bulk_insert
from styra.ledger.models import Transaction

COLUMNS = (
    "ledger_import_id", "year", "period", "date", "account", "amount_ore", "line",
    "unit_code", "project", "objects_text", "series", "voucher", "text",
)  # fmt: skip
TABLE = Transaction._meta.db_table


def rows(n: int, import_id: int = 7):
    # Not a multiple of the rows per statement: the last statement is shorter.
    return [
        (import_id, 2024, 1 + k % 12, f"2024-{1 + k % 12:02d}-{1 + k % 28:02d}", str(3000 + k % 97),
         k * 101 - 5_000_000, k + 1, "", "P1", "", "A", str(k // 20), f"rad {k}")
        for k in range(n)
    ]  # fmt: skip


def index_sql() -> set[str]:
    if connection.vendor != "sqlite":
        return set()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
            "AND sql IS NOT NULL",
            [TABLE],
        )
        return {r[0] for r in cursor.fetchall()}


def stored():
    return list(Transaction.all_objects.order_by("line").values_list(*COLUMNS))


@pytest.mark.django_db
@pytest.mark.parametrize("n", [1, SQLITE_ROWS_PER_STATEMENT * 100 + 17])
def test_rows_are_stored_exactly_and_the_indexes_are_back(n):
    before = index_sql()
    data = rows(n)
    with transaction.atomic():
        assert bulk_insert(TABLE, COLUMNS, iter(data), expected_rows=n) == n
    got = stored()
    assert [(*r[:3], r[3].isoformat(), *r[4:]) for r in got] == data
    assert index_sql() == before
    if connection.vendor == "sqlite":
        assert any("trans_drill" in s for s in before)


@pytest.mark.django_db
def test_a_failed_import_keeps_no_rows_and_every_index():
    before = index_sql()
    n = 20_001
    with pytest.raises(RuntimeError), transaction.atomic():
        bulk_insert(TABLE, COLUMNS, iter(rows(n)), expected_rows=n)
        if connection.vendor == "sqlite":
            assert index_sql() == before  # built again before the caller goes on
        raise RuntimeError("a later error in the same import")
    assert Transaction.all_objects.count() == 0
    assert index_sql() == before


@pytest.mark.django_db
def test_a_large_table_keeps_its_indexes_during_a_small_insert():
    """Rebuilding pays only when the insert is larger than the table: otherwise the
    indexes stay (no DROP INDEX is run)."""
    bulk_insert(TABLE, COLUMNS, iter(rows(12_000, import_id=1)), expected_rows=12_000)
    executed = []
    with connection.execute_wrapper(lambda run, sql, *a: executed.append(sql) or run(sql, *a)):
        bulk_insert(TABLE, COLUMNS, iter(rows(11_000, import_id=2)), expected_rows=11_000)
    assert not [s for s in executed if "DROP INDEX" in s]
    assert Transaction.all_objects.count() == 23_000
