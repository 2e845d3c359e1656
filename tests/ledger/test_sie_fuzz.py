"""Properties: any input gives records or issues, never an exception; the fast path for
ordinary rows reads exactly what the full tokeniser reads."""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from styra.ledger.importers.base import Issue
from styra.ledger.importers.sie import (
    SieRecord,
    Voucher,
    iter_sie,
    parse_amount_ore,
)
from styra.ledger.importers.tabular import TabularRow, read_rows

FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

VALID = (
    '#FLAGGA 0\n#PROGRAM "Test" 1.0\n#FORMAT PC8\n#SIETYP 4\n#FNAMN "Kommun Å"\n'
    '#RAR 0 20240101 20241231\n#KONTO 1930 Bank\n#KONTO 4010 "Material"\n'
    '#DIM 1 "Ansvar"\n#OBJEKT 1 "100" "Skola"\n#IB 0 1930 100.00\n'
    '#PSALDO 0 202401 4010 {1 "100"} 12.50\n'
    '#VER A 1 20240105 "Köp" 20240106\n{\n\t#TRANS 4010 {1 "100"} 12.50 20240105 "a"\n'
    "\t#TRANS 1930 {} -12.50\n}\n"
    '#VER A 2 20240107 "Rättelse"\n{\n#TRANS 4010 {} 1\n#RTRANS 1930 {} -1\n#TRANS 1930 {} -1\n'
    "#BTRANS 1930 {} 5\n}\n"
).encode("cp437")

RECORD_TYPES = SieRecord.__args__  # type: ignore[attr-defined]


def check(records: list) -> None:
    assert records, "a reader always says something about its input"
    for rec in records:
        assert isinstance(rec, RECORD_TYPES)
        if isinstance(rec, Issue):
            assert rec.severity in ("fel", "varning") and rec.message and rec.line >= 0


@FUZZ
@given(st.binary(max_size=2000))
def test_any_bytes_give_records_or_issues(data):
    check(list(iter_sie(data, filename="fuzz.se")))


@st.composite
def mutated(draw):
    data = bytearray(VALID)
    for _ in range(draw(st.integers(1, 8))):
        kind = draw(st.sampled_from(["delete", "insert", "replace", "dup_line", "cut"]))
        pos = draw(st.integers(0, max(len(data) - 1, 0)))
        if kind == "delete" and data:
            del data[pos : pos + draw(st.integers(1, 10))]
        elif kind == "insert":
            data[pos:pos] = draw(
                st.sampled_from(
                    [
                        b"{",
                        b"}",
                        b'"',
                        b"\\",
                        b"\n",
                        b" ",
                        b"\t",
                        b"#TRANS 1930 {} 5\n",
                        b"\x94",
                        b"\xc3\xa5",
                        b"\x00",
                        b"-",
                        b".",
                        b"9",
                        b"#VER A 9 20240101\n",
                        b"\r",
                    ]
                )
            )
        elif kind == "replace" and data:
            data[pos] = draw(st.integers(0, 255))
        elif kind == "dup_line":
            lines = bytes(data).split(b"\n")
            k = draw(st.integers(0, len(lines) - 1))
            lines.insert(k, lines[k])
            data = bytearray(b"\n".join(lines))
        else:
            del data[pos:]
    return bytes(data)


@FUZZ
@given(mutated())
def test_mutated_valid_files_give_records_or_issues(data):
    check(list(iter_sie(data, filename="fuzz.se")))


def test_the_unmutated_sample_is_clean():
    recs = list(iter_sie(VALID))
    assert not [r for r in recs if isinstance(r, Issue)]
    assert sum(isinstance(r, Voucher) for r in recs) == 2


# ------------------------------------------------------------------ fast path == slow path

accounts = st.sampled_from(["1930", "4010", "3010", "5611"])
codes = st.text(alphabet="ABCÅÄÖ0123456789 -", min_size=1, max_size=6)
objects = st.lists(st.tuples(st.sampled_from(["1", "6", "21"]), codes), max_size=3)
texts = st.text(alphabet="abc åäö{}-.:/", max_size=12)
dates = st.one_of(st.none(), st.dates(date(2024, 1, 1), date(2024, 12, 31)))
amounts = st.integers(-(10**11), 10**11)
row = st.tuples(accounts, objects, amounts, dates, texts)


def money(ore: int, decimals: int) -> str:
    sign = "-" if ore < 0 else ""
    whole, cents = divmod(abs(ore), 100)
    if decimals == 0 and cents == 0:
        return f"{sign}{whole}"
    if decimals == 1 and cents % 10 == 0:
        return f"{sign}{whole}.{cents // 10}"
    return f"{sign}{whole}.{cents:02d}"


def plain(r, decimals):
    acc, objs, ore, d, text = r
    inner = " ".join(f'{dim} "{code}"' for dim, code in objs)
    tail = f" {d:%Y%m%d}" if d else ""
    if text and d:
        tail += f' "{text}"'
    return f"\t#TRANS {acc} {{{inner}}} {money(ore, decimals)}{tail}"


def fancy(r, decimals):
    acc, objs, ore, d, text = r
    inner = "\t".join(f'"{dim}"  "{code}"' for dim, code in objs)
    tail = f'\t"{d:%Y%m%d}"' if d else ""
    if text and d:
        tail += '\t"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return f'  #TRANS\t"{acc}"\t{{ {inner} }}\t"{money(ore, decimals)}"{tail}'


def voucher_text(rows, render, decimals):
    total = sum(r[2] for r in rows)
    lines = [render(r, decimals) for r in rows]
    lines.append(render(("1930", [], -total, None, ""), decimals))
    return (
        '#FLAGGA 0\n#RAR 0 20240101 20241231\n#VER A 1 20240301 "v"\n{\n'
        + "\n".join(lines)
        + "\n}\n"
    )


@FUZZ
@given(st.lists(row, min_size=1, max_size=8), st.integers(0, 2))
def test_fast_and_full_tokeniser_read_the_same_rows(rows, decimals):
    def read(render):
        recs = list(iter_sie(voucher_text(rows, render, decimals).encode("utf-8")))
        (v,) = [r for r in recs if isinstance(r, Voucher)]
        issues = [(i.code, i.line) for i in recs if isinstance(i, Issue)]
        return [t[:5] for t in v.transactions], issues

    fast, fast_issues = read(plain)
    slow, slow_issues = read(fancy)
    assert fast == slow
    assert fast_issues == slow_issues
    assert [t[2] for t in fast[:-1]] == [r[2] for r in rows]
    assert not [c for c, _ in fast_issues if c == "unbalanced_voucher"]


@given(st.integers(-(10**15), 10**15), st.integers(0, 2))
def test_amount_text_round_trips_to_the_same_ore(ore, decimals):
    assert parse_amount_ore(money(ore, decimals)) == ore


# ------------------------------------------------------------------ CSV

MAPPING = {
    "columns": {
        "period": "P",
        "account": "K",
        "amount": "B",
        "dimensions": {"ansvar": "A"},
        "text": "T",
    }
}


@FUZZ
@given(st.binary(max_size=1500))
def test_any_bytes_as_csv_give_rows_or_issues(data):
    rows, issues = read_rows(b"P;A;K;B;T\n" + data, MAPPING, filename="fuzz.csv")
    assert all(isinstance(r, TabularRow) for r in rows)
    assert all(isinstance(i, Issue) and i.message for i in issues)


@FUZZ
@given(st.lists(st.lists(st.text(max_size=8), max_size=6), max_size=20))
def test_any_cells_as_csv_give_rows_or_issues(table):
    text = "P;A;K;B;T\n" + "\n".join(";".join(cells) for cells in table)
    rows, issues = read_rows(text.encode("utf-8"), MAPPING, filename="fuzz.csv")
    assert all(isinstance(r.amount_ore, int) for r in rows)
    assert all(isinstance(i, Issue) for i in issues)


@FUZZ
@given(st.binary(max_size=600))
def test_any_bytes_as_xlsx_give_issues_not_exceptions(data):
    rows, issues = read_rows(b"PK\x03\x04" + data, MAPPING, filename="fuzz.xlsx")
    assert rows == [] and issues
