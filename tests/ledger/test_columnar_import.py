"""The columnar import path (polars) stores exactly what the careful reader and the row
loop store: transactions, balances, the stored aggregate and the import's report, on
random regular SIE files (issue 13). On the real database engine (SQLite or PostgreSQL)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from styra.ledger.aggregates import row_balances_expected
from styra.ledger.models import Balance, RowBalance, Transaction
from styra.ledger.readers.sie_columns import read_sie_columns
from styra.ledger.services import ImportRefused, ledger_import
from tests.actors import SYSTEM

ACCOUNTS = ["1930", "3510", "5010", "4610", "2440"]
OBJECTS = ["", '1 "4000"', '1 "5000" 6 "P1"', '1 "9999"', '6 "P2"', '1 "4000" 6 "P1"']


@st.composite
def sie_file(draw) -> str:
    """A regular file (the columnar path takes it): mapped and unmapped units, projects,
    a closing series, now and then a date outside the year, an unknown or late account,
    an unbalanced voucher."""
    declared = draw(st.lists(st.sampled_from(ACCOUNTS), min_size=3, unique=True))
    out = ["#FLAGGA 0", "#SIETYP 4", '#FNAMN "Botkyrka (demo)"', "#ORGNR 212000-2882"]
    out += ["#RAR 0 20200101 20201231", '#DIM 1 "Ansvar"', '#DIM 6 "Projekt"']
    out += [f'#KONTO {a} "Konto {a}"' for a in declared]
    for v in range(draw(st.integers(1, 6))):
        series = draw(st.sampled_from(["A", "A", "B"]))
        day = draw(st.dates(dt.date(2020, 1, 1), dt.date(2020, 12, 31)))
        if draw(st.integers(0, 12)) == 12:
            day = dt.date(2021, 1, 3)
        out.append(f'#VER {series} {v + 1} {day:%Y%m%d} "Verifikation {v + 1}"')
        out.append("{")
        total = 0
        for _ in range(draw(st.integers(1, 5))):
            account = draw(st.sampled_from([*ACCOUNTS, "3510", "5010"]))
            if draw(st.integers(0, 20)) == 20:
                account = "7777"
            ore = draw(st.integers(-(10**9), 10**9))
            total += ore
            kr = f"{'-' if ore < 0 else ''}{abs(ore) // 100}.{abs(ore) % 100:02d}"
            line = f"#TRANS {account} {{{draw(st.sampled_from(OBJECTS))}}} {kr}"
            if draw(st.booleans()):
                row_day = draw(st.dates(dt.date(2020, 1, 1), dt.date(2020, 12, 31)))
                line += f" {row_day:%Y%m%d}"
                if draw(st.booleans()):
                    line += f' "{draw(st.sampled_from(["rad", "", "Köp {1}"]))}"'
            out.append(line)
        if draw(st.integers(0, 8)) != 8:
            kr = f"{'-' if -total < 0 else ''}{abs(total) // 100}.{abs(total) % 100:02d}"
            out.append(f"#TRANS 1930 {{}} {kr}")
        out.append("}")
    if draw(st.booleans()):
        out.append('#KONTO 4610 "Sent"')
    return "\r\n".join(out) + "\r\n"


def stored(municipality, path, *, columnar: bool):
    """Import, capture everything the import wrote and said, roll it back."""
    with transaction.atomic():
        try:
            result = ledger_import(
                actor=SYSTEM,
                path=path,
                municipality=municipality,
                closing_series=frozenset("B"),
                columnar=columnar,
            )
        except ImportRefused as exc:
            result = exc.result
        fields = [f.name for f in Transaction._meta.fields if f.name not in ("id", "ledger_import")]
        state = (
            result.rows,
            result.vouchers,
            result.year,
            {p: vars(t) for p, t in result.periods.items()},
            dict(result.unmapped),
            result._mapped_gross,
            [str(i) for i in result.issues],
            sorted(Transaction.objects.values_list(*fields), key=lambda r: r[-1]),
            sorted(
                Balance.objects.values_list(
                    "year", "period", "unit_id", "unit_code", "account", "project", "amount_ore"
                ),
                key=repr,
            ),
            sorted(RowBalance.objects.values_list("year", "unit_id", "row_code", "periods")),
            row_balances_expected(municipality=municipality),
        )
        transaction.set_rollback(True)
    return state


@pytest.mark.django_db
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=sie_file())
def test_columnar_import_stores_what_the_row_loop_stores(demo_org, tmp_path, text):
    path = tmp_path / "hb.se"
    path.write_bytes(text.encode("cp437"))
    assert read_sie_columns(path) is not None  # the columnar path is the one compared
    got = stored(demo_org, path, columnar=True)
    want = stored(demo_org, path, columnar=False)
    assert got == want


@pytest.mark.django_db
def test_columnar_import_stores_rows_balances_and_aggregates(demo_org, tmp_path):
    """A fixed file through the columnar path: the rows and balances are there, and the
    aggregate matches what `styra figures verify` recomputes from the balances."""
    path = tmp_path / "hb.se"
    path.write_bytes(
        (
            "#FLAGGA 0\n#SIETYP 4\n#RAR 0 20200101 20201231\n#KONTO 1930 Bank\n"
            '#KONTO 5010 "Löner"\n'
            '#KONTO 3510 Bidrag\n#VER A 1 20200115 "Lön"\n{\n#TRANS 5010 {1 "4000"} 100.00\n'
            '#TRANS 3510 {1 "9999"} -30.00 20200116 "bidrag"\n#TRANS 1930 {} -70.00\n}\n'
            '#VER B 2 20201231 "Bokslut"\n{\n#TRANS 5010 {1 "4000"} 5\n#TRANS 1930 {} -5\n}\n'
        ).encode("cp437")
    )
    assert read_sie_columns(path) is not None
    state = stored(demo_org, path, columnar=True)
    rows, vouchers, year, periods, unmapped = state[:5]
    assert (rows, vouchers, year) == (5, 2, 2020)
    assert periods[1] == {"rows": 3, "debit_ore": 10000, "result_ore": 7000}
    assert periods[13] == {"rows": 2, "debit_ore": 500, "result_ore": 500}
    assert unmapped == {"ansvar 9999": -3000}
    texts = {r[-1]: r for r in state[7]}
    assert len(texts) == 5
    aggregate = {(y, u, c): list(p) for y, u, c, p in state[9]}
    assert aggregate == state[10] and aggregate
    assert state == stored(demo_org, path, columnar=False)
