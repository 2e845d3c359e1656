"""Properties: any input gives records or issues, never an exception; the fast path for
ordinary rows reads exactly what the full tokeniser reads."""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from styra.ledger.readers.sie import (
    SieRecord,
    Voucher,
    iter_sie,
    parse_amount_ore,
)
from styra.ledger.readers.tabular import TabularRow, read_rows
from styra.lib.errors import Issue

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
def mutated(draw, base: bytes = VALID):
    data = bytearray(base)
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


# ------------------------------------------------- fast paths == the careful reader, whole files


def both_readers(data: bytes) -> tuple[list, list]:
    fast = list(iter_sie(data, filename="f.se"))
    careful = list(iter_sie(data, filename="f.se", fast=False))
    return fast, careful


ordinary_codes = st.text(alphabet="0123456789ABCÅÄÖ -", min_size=0, max_size=5)
ordinary_objects = st.lists(
    st.tuples(st.sampled_from(["1", "6", "21"]), ordinary_codes), max_size=3
)
row_texts = st.text(alphabet='abc åäö{}-.:/"\\\ufffd', max_size=10)
row_dates = st.one_of(
    st.none(),
    st.dates(date(2023, 12, 1), date(2025, 1, 31)).map(lambda d: f"{d:%Y%m%d}"),
    st.sampled_from(["20240230", "2024011", "202401011", '""', '"20240105"']),
)
row_amounts = st.one_of(
    st.integers(-(10**17), 10**17).map(lambda o: money(o, 2)),
    st.integers(-(10**6), 10**6).map(lambda o: money(o, 0)),
    st.sampled_from(
        [
            "1.5",
            "+3.00",
            "1.000",
            "1,50",
            "1e3",
            "-0",
            "١٢",
            "1_0",
            "99999999999999999.99",
            ".50",
            "-.50",
            "+.50",
        ]
    ),
)
separators = st.sampled_from([" ", " ", " ", "\t", "  ", " \t"])


@st.composite
def ordinary_row(draw) -> str:
    sep = draw(separators)
    acc = draw(st.sampled_from(["1930", "4010", "3010", "5611", "9999", "40A"]))
    objs = draw(ordinary_objects)
    inner = " ".join(f'{d} "{c}"' for d, c in objs)
    indent = draw(st.sampled_from(["", "\t", "  "]))
    line = f"{indent}#TRANS{sep}{acc}{sep}{{{inner}}}{sep}"
    line += draw(row_amounts)
    d = draw(row_dates)
    if d is not None:
        line += sep + d
        text = draw(st.one_of(st.none(), row_texts))
        if text is not None:
            line += f'{sep}"{text}"'
    if draw(st.booleans()):
        line += draw(st.sampled_from([" ", "\t", " 2.5", ' "x" 3', " 1,5"]))
    return line


@st.composite
def ledger_file(draw) -> bytes:
    out = ["#FLAGGA 0", "#SIETYP 4", "#RAR 0 20240101 20241231", "#KONTO 1930 Bank"]
    out.append("#KONTO 4010 Material")
    for v in range(draw(st.integers(1, 4))):
        out.append(f'#VER A {v + 1} 20240{draw(st.integers(1, 9))}05 "v"')
        out.append("{")
        for _ in range(draw(st.integers(0, 6))):
            out.append(
                draw(
                    st.one_of(
                        ordinary_row(),
                        ordinary_row(),
                        st.sampled_from(
                            ["#RTRANS 1930 {} 5", "#BTRANS 4010 {} 2", "", "   ", "#KSUMMA"]
                        ),
                    )
                )
            )
        if draw(st.integers(0, 9)):
            out.append("}")
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    text = newline.join(out) + draw(st.sampled_from(["", newline]))
    return text.encode(draw(st.sampled_from(["cp437", "utf-8"])), errors="replace")


@FUZZ
@given(ledger_file())
def test_fast_paths_read_whole_files_as_the_careful_reader(data):
    fast, careful = both_readers(data)
    assert fast == careful


@FUZZ
@given(mutated())
def test_fast_paths_read_mutated_files_as_the_careful_reader(data):
    fast, careful = both_readers(data)
    assert fast == careful


def test_the_careful_reader_is_another_path():
    """fast=False really reads without the quick path: every row goes through the full
    row reader (the comparisons above would otherwise prove nothing)."""
    from styra.ledger.readers import sie

    calls = []
    real = sie._SieReader.row

    def spy(self, tag, fields, line, voucher):
        calls.append(line)
        return real(self, tag, fields, line, voucher)

    sie._SieReader.row = spy
    try:
        list(iter_sie(VALID))
        fast_calls = len(calls)
        calls.clear()
        list(iter_sie(VALID, fast=False))
    finally:
        sie._SieReader.row = real
    assert len(calls) == 6 and fast_calls < 6


# ------------------------------------------ the columnar fast path == the careful reader


def columnar_and_careful(data: bytes):
    """Both readers' view as the import sees it: the records other than vouchers in order,
    every counted row with its voucher's fields, and the number of vouchers. None when the
    columnar reader declines the file (then the import reads it with the careful reader)."""
    from styra.ledger.readers.sie_columns import REGION, read_sie_columns

    def flat(v, t):
        return (t.line, t.account, t.objects, t.amount_ore, t.date, t.text, v.series,
                v.number, v.date, v.text)  # fmt: skip

    careful = list(iter_sie(data, filename="f.se", fast=False))
    want_records = [r for r in careful if type(r) is not Voucher]
    want_rows = [flat(v, t) for v in careful if type(v) is Voucher for t in v.transactions]
    want = (want_records, want_rows, sum(type(v) is Voucher for v in careful))
    cols = read_sie_columns(data, filename="f.se")
    if cols is None:
        return None, want
    assert cols.records.count(REGION) == 1
    records = [r for r in cols.records if r is not REGION and type(r) is not Voucher]
    vouchers = [r for r in cols.records if type(r) is Voucher]
    rows = [flat(v, t) for v in vouchers for t in v.transactions]
    for line, acc, inner, ore, d, text, series, number, vdate, vtext in cols.joined().select(
        "line", "account", "inner", "amount_ore", "date", "text", "series", "number", "vdate",
        "vtext",
    ).iter_rows():  # fmt: skip
        rows.append((line, acc, cols.objects[inner], ore, d, text, series, number, vdate, vtext))
    rows.sort()
    return (records, rows, len(vouchers) + cols.vouchers), want


@FUZZ
@given(ledger_file())
def test_columnar_reader_reads_whole_files_as_the_careful_reader(data):
    got, want = columnar_and_careful(data)
    if got is not None:
        assert got == want


REGULAR = (
    '#FLAGGA 0\n#SIETYP 4\n#RAR 0 20240101 20241231\n#KONTO 1930 Bank\n#KONTO 4010 "M"\n'
    '#VER "A" "1" 20240105 "Köp" 20240106\n{\n\t#TRANS 4010 {1 "100" 6 "P 1"} 12.5 20240105 "a"\n'
    "\t#TRANS 1930 {} -12.50\n}\n\n"
    '#VER B 7 20250105 "Utanför året"\n{\n#TRANS 5611 {} 1 20231231 ""\n#TRANS 1930 {} -2 ""\n}\n'
    "#VER A 3 20240301\n{\n}\n#KONTO 5611 Sent\n"
)


plain_dates = st.one_of(
    st.dates(date(2023, 12, 1), date(2025, 1, 31)).map(lambda d: f"{d:%Y%m%d}"), st.just('""')
)
plain_texts = st.text(alphabet="ab åö{}-:", max_size=6)


@st.composite
def regular_file(draw) -> bytes:
    """Mostly what the columnar path takes (the whole-file strategy above is mostly not),
    now and then with one thing it must decline or report."""
    out = ["#FLAGGA 0", "#SIETYP 4"]
    if draw(st.booleans()):
        out.append("#RAR 0 20240101 20241231")
    out += ["#KONTO 1930 Bank", "#KONTO 4010 Material"]
    for v in range(draw(st.integers(1, 4))):
        series = draw(st.sampled_from(["A", '"B"', '""', "C1"]))
        number = draw(st.sampled_from([str(v + 1), f'"{v + 1}"', '"1 2"']))
        d = draw(st.dates(date(2023, 12, 1), date(2025, 1, 31)))
        tail = draw(
            st.sampled_from(
                ["", ' "v"', ' "Köp {x}" 20240110', ' "" 20240110 "sign"', " x y", ' "" 20240110']
            )
        )
        out.append(f"#VER{draw(separators)}{series} {number} {d:%Y%m%d}{tail}")
        out.append("{")
        total = 0
        for _ in range(draw(st.integers(0, 5))):
            acc = draw(st.sampled_from(["1930", "4010", "3010", "5611", "019"]))
            if draw(st.integers(0, 30)) == 30:
                acc = "40A"
            objs = draw(ordinary_objects)
            inner = " ".join(f'{d} "{c}"' for d, c in objs)
            ore = draw(st.integers(-(10**9), 10**9))
            total += ore
            amount = money(ore, draw(st.integers(0, 2)))
            if draw(st.integers(0, 30)) == 30:
                amount = draw(row_amounts)
            indent = draw(st.sampled_from(["", "\t", "  "]))
            line = f"{indent}#TRANS {acc} {{{inner}}} {amount}"
            odd = draw(st.integers(0, 20)) == 20  # now and then something unusual
            rd = draw(st.one_of(st.none(), row_dates if odd else plain_dates))
            if rd is not None:
                line += " " + rd
                text = draw(st.one_of(st.none(), row_texts if odd else plain_texts))
                if text is not None:
                    line += f' "{text}"'
            out.append(line + draw(st.sampled_from(["", "", " ", "\t"])))
        if draw(st.integers(0, 3)) != 3:
            out.append(f"#TRANS 1930 {{}} {money(-total, 2)}")
        if draw(st.integers(0, 6)) != 6:
            out.append("}")
        if draw(st.integers(0, 4)) == 4:
            out.append(draw(st.sampled_from(["", "  ", "#KONTO 5611 X", "#TRANS 1930 {} 1"])))
    if draw(st.booleans()):
        out.append("#KONTO 5611 Sent")
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    text = newline.join(out) + draw(st.sampled_from(["", newline]))
    return text.encode(draw(st.sampled_from(["cp437", "utf-8"])), errors="replace")


@FUZZ
@given(regular_file())
def test_columnar_reader_reads_regular_files_as_the_careful_reader(data):
    got, want = columnar_and_careful(data)
    if got is not None:
        assert got == want


@FUZZ
@given(mutated(REGULAR.encode("cp437")))
def test_columnar_reader_reads_mutated_files_as_the_careful_reader(data):
    got, want = columnar_and_careful(data)
    if got is not None:
        assert got == want


def test_columnar_reader_takes_a_regular_file_and_says_what_the_careful_reader_says():
    """A regular file is read by the columnar path (the properties above then compare
    something), with the section's issues in the careful reader's order: the voucher date
    outside the year, the undeclared account, the unbalanced voucher, the row date."""
    for encoding in ("cp437", "utf-8"):
        for newline in ("\n", "\r\n"):
            data = REGULAR.replace("\n", newline).encode(encoding)
            got, want = columnar_and_careful(data)
            assert got is not None
            assert got == want
            codes = [i.code for i in got[0] if isinstance(i, Issue)]
            assert codes == [
                "date_outside_year",
                "undeclared_account",
                "unbalanced_voucher",
                "date_outside_year",
            ]
            assert len(got[1]) == 4 and got[2] == 3


def test_columnar_reader_declines_what_it_does_not_know():
    """Anything unusual in the voucher section goes to the careful reader."""
    from styra.ledger.readers.sie_columns import read_sie_columns

    for odd in (
        '#TRANS 4010 {1 "1\\"0"} 1',  # an escape
        "#TRANS 4010 {} 1,50",  # a decimal comma
        "#TRANS 4010 {} 1 20240230",  # no such date
        "#RTRANS 4010 {} 1",
        '#TRANS 4010 {} 1 20240105 "a" 3',  # a quantity
        "#KONTO 4011 X",  # another record inside a voucher
    ):
        data = REGULAR.replace("\t#TRANS 1930 {} -12.50", odd).encode("cp437")
        assert read_sie_columns(data) is None, odd
    assert read_sie_columns(REGULAR.replace("\n", "\r").encode()) is None
