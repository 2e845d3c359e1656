"""Fast bulk inserts: PostgreSQL COPY, SQLite multi-row INSERTs. Used inside a transaction."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from itertools import chain, islice

from django.db import connection

# Rows per SQLite INSERT statement (bounded by SQLite's limit on bound parameters): one
# statement per row costs three times as much (each execution also updates the
# AUTOINCREMENT counter).
SQLITE_ROWS_PER_STATEMENT = 200


def bulk_insert(
    table: str, columns: Sequence[str], rows: Iterable[Sequence], *, expected_rows: int = 0
) -> int:
    """Insert rows (tuples in column order) into table; return the count.

    On SQLite, when `expected_rows` is larger than what the table holds already, its
    secondary indexes are dropped before the insert and created again after it, inside the
    caller's transaction (building an index once is cheaper than updating it a million
    times; a failure rolls the drop back with everything else). PostgreSQL keeps its
    indexes: dropping one would lock out every reader of the table until the commit."""
    count = 0
    cols = ", ".join(columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor  # the psycopg cursor under Django's wrapper
            with raw.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
            return count
        indexes = _sqlite_indexes_to_rebuild(cursor, table, expected_rows)
        for name, _sql in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        limit = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        per = max(1, min(SQLITE_ROWS_PER_STATEMENT, limit // len(columns)))
        one = f"({', '.join(['%s'] * len(columns))})"
        sql = f"INSERT INTO {table} ({cols}) VALUES " + ", ".join([one] * per)
        it = iter(rows)
        while True:
            batch = list(islice(it, per * 100))
            full = len(batch) - len(batch) % per
            if full:
                flat = chain.from_iterable(batch[:full])
                cursor.executemany(sql, [tuple(islice(flat, per * len(columns)))
                                         for _ in range(full // per)])  # fmt: skip
            if len(batch) > full:
                tail = batch[full:]
                tail_sql = f"INSERT INTO {table} ({cols}) VALUES " + ", ".join([one] * len(tail))
                cursor.execute(tail_sql, tuple(chain.from_iterable(tail)))
            count += len(batch)
            if len(batch) < per * 100:
                break
        for _name, sql_text in indexes:
            cursor.execute(sql_text)
    return count


def _sqlite_indexes_to_rebuild(cursor, table: str, expected_rows: int) -> list[tuple[str, str]]:
    """The table's own secondary indexes (name, CREATE statement) when rebuilding them is
    cheaper than updating them: more new rows expected than the table has."""
    if expected_rows < 10_000:
        return []
    cursor.execute(f"SELECT COUNT(*) FROM {table}")
    if cursor.fetchone()[0] >= expected_rows:
        return []
    cursor.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
        "AND sql IS NOT NULL",
        [table],
    )
    return list(cursor.fetchall())
