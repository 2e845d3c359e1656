"""The SIE reader on small inline files: every rule, each error with its line."""

from __future__ import annotations

import io
import subprocess
import sys
import zlib
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from styra.ledger.readers.sie import (
    Account,
    AccountAttribute,
    Balance,
    Dimension,
    FileInfo,
    FiscalYear,
    HeaderField,
    Object,
    PeriodBalance,
    Transaction,
    Voucher,
    iter_sie,
    parse_amount_ore,
    read_sie,
    tokenize,
)
from styra.lib.errors import ERROR, WARNING, Issue

REPO = Path(__file__).resolve().parents[2]

HEAD = """#FLAGGA 0
#PROGRAM "Test" 1.0
#FORMAT PC8
#GEN 20240105
#SIETYP 4
#FNAMN "Testkommun"
#RAR 0 20240101 20241231
#RAR -1 20230101 20231231
#KONTO 1930 "Bank"
#KONTO 4010 "Material"
#KONTO 3010 "Avgifter"
"""
HEAD_LINES = HEAD.count("\n")
VER1 = "#VER A 1 20240105 x\n{\n"  # a voucher head: #VER on HEAD_LINES + 1, { on + 2


def records(text: str, *, encoding: str = "cp437", name: str = "t.se") -> list:
    return list(iter_sie(text.encode(encoding), filename=name))


def issues(recs: list, severity: str | None = None) -> list[Issue]:
    return [
        r for r in recs if isinstance(r, Issue) and (severity is None or r.severity == severity)
    ]


def vouchers(recs: list) -> list[Voucher]:
    return [r for r in recs if isinstance(r, Voucher)]


def codes(recs: list, severity: str = ERROR) -> list[tuple[str, int]]:
    return [(i.code, i.line) for i in issues(recs, severity)]


# ------------------------------------------------------------------------------ tokeniser


def test_tokenizer_splits_on_spaces_and_tabs_and_reads_quotes_and_braces():
    toks, problem = tokenize('#TRANS\t4010  {1 "100" 6 "P42"}\t-12.50 20240105 "Kaffe och bröd"')
    assert problem is None
    assert toks[:2] == ["#TRANS", "4010"]
    assert list(toks[2]) == ["1", "100", "6", "P42"]
    assert toks[3:] == ["-12.50", "20240105", "Kaffe och bröd"]


def test_tokenizer_unescapes_quote_and_backslash_but_keeps_other_backslashes():
    toks, problem = tokenize(r'#FNR "C:\Data\F\"öretag\\" "1110\1002 Hus"')
    assert problem is None
    assert toks[1:] == ['C:\\Data\\F"öretag\\', "1110\\1002 Hus"]


def test_tokenizer_reads_empty_object_list_and_empty_quoted_field():
    toks, problem = tokenize('#TRANS 1930 {} 5 "" ""')
    assert problem is None and list(toks[2]) == [] and toks[3:] == ["5", "", ""]


def test_tokenizer_reports_unterminated_quote_and_unclosed_brace():
    assert tokenize('#FNAMN "Utan slut')[1] == "quote"
    assert tokenize('#TRANS 1930 {1 "2" 100')[1] == "brace"


def test_quoted_and_unquoted_fields_mean_the_same():
    a = records(
        HEAD + '#VER "A" "1" "20240105" "x"\n{\n#TRANS "4010" {"1" "7"} "5.00"\n'
        '#TRANS "1930" {} "-5.00"\n}\n'
    )
    b = records(HEAD + "#VER A 1 20240105 x\n{\n#TRANS 4010 {1 7} 5.00\n#TRANS 1930 {} -5.00\n}\n")
    strip = [
        (v.series, v.number, v.date, v.text, [t[:3] for t in v.transactions]) for v in vouchers(a)
    ]
    assert strip == [
        (v.series, v.number, v.date, v.text, [t[:3] for t in v.transactions]) for v in vouchers(b)
    ]
    assert strip[0][4] == [("4010", (("1", "7"),), 500), ("1930", (), -500)]
    assert not issues(a, ERROR) and not issues(b, ERROR)


# ------------------------------------------------------------------------------ amounts


@pytest.mark.parametrize(
    ("text", "ore"),
    [
        ("100", 10000),
        ("-155.2", -15520),
        ("0.05", 5),
        ("-0.50", -50),
        ("12.340", 1234),
        ("1234567.89", 123456789),
        ("+3", 300),
    ],
)
def test_amounts_are_exact_ore(text, ore):
    assert parse_amount_ore(text) == ore


@pytest.mark.parametrize("text", ["1,50", "1 000", "1.005", "abc", "", "1.2.3", "1_000", "١٢"])
def test_bad_amounts_are_refused(text):
    assert parse_amount_ore(text) is None


def test_bad_number_in_a_row_is_an_error_with_its_line():
    recs = records(HEAD + VER1 + "#TRANS 4010 {} 12,50\n#TRANS 1930 {} -12.50\n}\n")
    assert ("bad_number", HEAD_LINES + 3) in codes(recs)
    assert "12,50" in issues(recs, ERROR)[0].message


# ------------------------------------------------------------------------------ vouchers


def test_voucher_rows_are_read_with_objects_dates_texts_quantities_and_lines():
    recs = records(
        HEAD + '#VER A 7 20240131 "Faktura" 20240201 "Anna"\n{\n'
        '\t#TRANS 4010 {1 "100" 6 "P42"} 1200.00 20240130 "Bord" 2\n'
        "\t#TRANS 1930 {} -1200.00\n}\n"
    )
    (v,) = vouchers(recs)
    assert (v.series, v.number, v.date, v.text, v.line) == (
        "A",
        "7",
        date(2024, 1, 31),
        "Faktura",
        HEAD_LINES + 1,
    )
    assert (v.registered, v.signature) == (date(2024, 2, 1), "Anna")
    assert v.transactions == (
        Transaction(
            "4010",
            (("1", "100"), ("6", "P42")),
            120000,
            date(2024, 1, 30),
            "Bord",
            Decimal(2),
            HEAD_LINES + 3,
        ),
        Transaction("1930", (), -120000, None, "", None, HEAD_LINES + 4),
    )
    assert not issues(recs)


def test_unbalanced_voucher_is_an_error_naming_voucher_line_and_difference():
    recs = records(
        HEAD + "#VER B 3 20240105 x\n{\n#TRANS 4010 {} 100.00\n#TRANS 1930 {} -99.99\n}\n"
    )
    (err,) = issues(recs, ERROR)
    assert (err.code, err.line, err.file) == ("unbalanced_voucher", HEAD_LINES + 1, "t.se")
    assert "B 3" in err.message and "0,01" in err.message


def test_balanced_voucher_with_many_rows_has_no_error():
    rows = "".join(f"#TRANS 4010 {{}} {k}.{k:02d}\n" for k in range(1, 50))
    total = sum(k * 100 + k for k in range(1, 50))
    last = f"#TRANS 1930 {{}} -{total // 100}.{total % 100:02d}\n"
    text = HEAD + VER1 + rows + last + "}\n"
    recs = records(text)
    assert not issues(recs, ERROR)
    assert sum(t.amount_ore for t in vouchers(recs)[0].transactions) == 0


def test_rtrans_and_its_duplicate_trans_count_once():
    recs = records(
        HEAD + "#VER A 1 20240105 x\n{\n#TRANS 4010 {} 100\n#TRANS 1930 {} -100\n"
        '#RTRANS 4010 {} 50 20240301 "" "" "Eva"\n#TRANS 4010 {} 50\n'
        '#RTRANS 1930 {} -50 20240301 "" "" "Eva"\n#TRANS 1930 {} -50\n}\n'
    )
    (v,) = vouchers(recs)
    assert [t.amount_ore for t in v.transactions] == [10000, -10000, 5000, -5000]
    assert not issues(recs)


def test_rtrans_without_its_trans_is_counted_with_a_warning():
    recs = records(HEAD + "#VER A 1 20240105 x\n{\n#TRANS 4010 {} 100\n#RTRANS 1930 {} -100\n}\n")
    (v,) = vouchers(recs)
    assert [t.amount_ore for t in v.transactions] == [10000, -10000]
    assert codes(recs, WARNING) == [("rtrans_without_trans", HEAD_LINES + 4)]
    assert not issues(recs, ERROR)


def test_btrans_rows_are_removed_rows_not_counted_in_the_balance():
    recs = records(
        HEAD + "#VER A 1 20240105 x\n{\n#BTRANS 4010 {} 999 20240301\n"
        "#TRANS 4010 {} 100\n#TRANS 1930 {} -100\n}\n"
    )
    (v,) = vouchers(recs)
    assert [t.amount_ore for t in v.transactions] == [10000, -10000]
    assert [t.amount_ore for t in v.removed] == [99900]
    assert not issues(recs, ERROR)


def test_trans_outside_a_voucher_is_an_error():
    recs = records(HEAD + "#TRANS 4010 {} 100\n")
    assert codes(recs) == [("orphan_trans", HEAD_LINES + 1)]


def test_unclosed_brace_at_end_of_file_reports_a_truncated_file():
    recs = records(HEAD + "#VER A 1 20240105 x\n{\n#TRANS 4010 {} 100\n#TRANS 1930 {} -100\n")
    assert ("truncated", HEAD_LINES + 2) in codes(recs)
    assert "avkortad" in issues(recs, ERROR)[-1].message


def test_unterminated_quote_is_an_error_with_its_line():
    recs = records(
        HEAD + '#VER A 1 20240105 "utan slut\n{\n#TRANS 4010 {} 1\n#TRANS 1930 {} -1\n}\n'
    )
    assert ("broken_quote", HEAD_LINES + 1) in codes(recs)


def test_unclosed_object_list_is_an_error():
    recs = records(HEAD + '#VER A 1 20240105 x\n{\n#TRANS 4010 {1 "7" 100\n#TRANS 1930 {} -1\n}\n')
    assert ("unclosed_brace", HEAD_LINES + 3) in codes(recs)


def test_bad_dates_are_errors_with_their_lines():
    recs = records(
        HEAD + "#VER A 1 20240231 x\n{\n#TRANS 4010 {} 1 2024010\n#TRANS 1930 {} -1\n}\n"
    )
    assert codes(recs) == [("bad_date", HEAD_LINES + 1), ("bad_date", HEAD_LINES + 3)]


def test_voucher_date_outside_the_fiscal_year_is_an_error():
    recs = records(HEAD + "#VER A 1 20250105 x\n{\n#TRANS 4010 {} 1\n#TRANS 1930 {} -1\n}\n")
    assert codes(recs) == [("date_outside_year", HEAD_LINES + 1)]
    assert "2024-01-01–2024-12-31" in issues(recs, ERROR)[0].message


def test_row_date_outside_the_fiscal_year_is_an_error():
    recs = records(HEAD + VER1 + "#TRANS 4010 {} 1 20230105\n#TRANS 1930 {} -1\n}\n")
    assert codes(recs) == [("date_outside_year", HEAD_LINES + 3)]


def test_account_not_declared_is_a_warning_once_per_account():
    recs = records(
        HEAD + "#VER A 1 20240105 x\n{\n#TRANS 5010 {} 1\n#TRANS 5010 {} 1\n#TRANS 1930 {} -2\n}\n"
    )
    assert codes(recs, WARNING) == [("undeclared_account", HEAD_LINES + 3)]
    assert not issues(recs, ERROR)


def test_voucher_without_brace_line_is_read_with_a_warning():
    recs = records(HEAD + "#VER A 1 20240105 x\n#TRANS 4010 {} 1\n#TRANS 1930 {} -1\n}\n")
    assert len(vouchers(recs)[0].transactions) == 2
    assert codes(recs, WARNING) == [("missing_brace", HEAD_LINES + 1)]


def test_a_new_voucher_before_closing_brace_is_an_error():
    recs = records(
        HEAD + "#VER A 1 20240105 x\n{\n#TRANS 4010 {} 1\n#TRANS 1930 {} -1\n"
        "#VER A 2 20240105 x\n{\n#TRANS 4010 {} 1\n#TRANS 1930 {} -1\n}\n"
    )
    assert ("unclosed_voucher", HEAD_LINES + 1) in codes(recs)
    assert [v.number for v in vouchers(recs)] == ["1", "2"]


def test_empty_series_and_quoted_numbers_are_kept():
    recs = records(
        HEAD + '#VER "" "110000051" 20240105 ""\n{\n#TRANS 4010 {} 1\n#TRANS 1930 {} -1\n}\n'
    )
    (v,) = vouchers(recs)
    assert (v.series, v.number, v.ident) == ("", "110000051", "110000051")


# ------------------------------------------------------------------------------ other tags


def test_every_header_tag_is_a_header_field():
    tags = [
        "FLAGGA 0",
        'PROGRAM "X" 1',
        "FORMAT PC8",
        "GEN 20240101 Anna",
        "SIETYP 4",
        'FNAMN "Kommun"',
        "FNR 17",
        "ORGNR 212000-0000",
        'ADRESS "a" "b" "c" "d"',
        "TAXAR 2025",
        "KPTYP KOMMUNBAS",
        "VALUTA SEK",
        "BKOD 84110",
        "OMFATTN 20241231",
        "FTYP KOMMUN",
        'PROSA "fritext"',
    ]
    recs = records("\n".join("#" + t for t in tags) + "\n")
    fields = [r for r in recs if isinstance(r, HeaderField)]
    assert [f.tag for f in fields] == [t.split()[0] for t in tags]
    assert fields[8].values == ("a", "b", "c", "d")
    assert not issues(recs)


def test_fiscal_years_accounts_dimensions_objects_are_read():
    recs = records(
        HEAD + "#KTYP 4010 K\n#ENHET 4010 st\n#SRU 4010 7513\n"
        '#DIM 1 "Ansvar"\n#UNDERDIM 21 "Avdelning" 1\n#OBJEKT 1 "100" "Skola"\n'
    )
    assert [r for r in recs if isinstance(r, FiscalYear)] == [
        FiscalYear(0, date(2024, 1, 1), date(2024, 12, 31), 7),
        FiscalYear(-1, date(2023, 1, 1), date(2023, 12, 31), 8),
    ]
    assert Account("4010", "Material", 10) in recs
    n = HEAD_LINES
    assert [r for r in recs if isinstance(r, AccountAttribute)] == [
        AccountAttribute("KTYP", "4010", "K", n + 1),
        AccountAttribute("ENHET", "4010", "st", n + 2),
        AccountAttribute("SRU", "4010", "7513", n + 3),
    ]
    assert [r for r in recs if isinstance(r, Dimension)] == [
        Dimension("1", "Ansvar", None, n + 4),
        Dimension("21", "Avdelning", "1", n + 5),
    ]
    assert [r for r in recs if isinstance(r, Object)] == [Object("1", "100", "Skola", n + 6)]


def test_balances_and_object_balances_are_read():
    recs = records(
        HEAD + "#IB 0 1930 1000.50\n#UB -1 1930 1000.50 3\n#RES 0 3010 -200\n"
        '#OIB 0 1930 {1 "100"} 10\n#OUB 0 1930 {1 "100"} 20\n'
    )
    got = [r for r in recs if isinstance(r, Balance)]
    n = HEAD_LINES
    assert got == [
        Balance("IB", 0, "1930", (), 100050, None, n + 1),
        Balance("UB", -1, "1930", (), 100050, Decimal(3), n + 2),
        Balance("RES", 0, "3010", (), -20000, None, n + 3),
        Balance("OIB", 0, "1930", (("1", "100"),), 1000, None, n + 4),
        Balance("OUB", 0, "1930", (("1", "100"),), 2000, None, n + 5),
    ]


def test_period_balances_and_budgets_are_read():
    recs = records(
        HEAD + '#PSALDO 0 202403 4010 {1 "100"} 1500.25 3\n#PBUDGET -1 202312 4010 {} -7\n'
    )
    got = [r for r in recs if isinstance(r, PeriodBalance)]
    assert got == [
        PeriodBalance(
            "PSALDO", 0, "202403", "4010", (("1", "100"),), 150025, Decimal(3), HEAD_LINES + 1
        ),
        PeriodBalance("PBUDGET", -1, "202312", "4010", (), -700, None, HEAD_LINES + 2),
    ]


def test_bad_period_is_an_error():
    recs = records(HEAD + "#PSALDO 0 202413 4010 {} 1\n")
    assert codes(recs) == [("bad_date", HEAD_LINES + 1)]


def test_period_budget_with_account_before_period_is_read_with_one_warning():
    recs = records(HEAD + "#PBUDGET 0 4010 202401 -1666.00\n#PBUDGET 0 4010 202402 -1667.00\n")
    got = [r for r in recs if isinstance(r, PeriodBalance)]
    assert [(p.period, p.account, p.amount_ore) for p in got] == [
        ("202401", "4010", -166600),
        ("202402", "4010", -166700),
    ]
    assert codes(recs, WARNING) == [("field_order", HEAD_LINES + 1)]


def test_unknown_tag_is_a_warning_with_its_line():
    recs = records(HEAD + "#MOMSKOD 2610 10\n")
    assert codes(recs, WARNING) == [("unknown_tag", HEAD_LINES + 1)]
    assert "#MOMSKOD" in issues(recs)[0].message


@pytest.mark.parametrize("sietyp", ["1", "2", "3", "4"])
def test_sie_types_1_to_4_are_accepted(sietyp):
    recs = records(f"#FLAGGA 0\n#SIETYP {sietyp}\n#RAR 0 20240101 20241231\n#IB 0 1930 5\n")
    assert not issues(recs)


def test_unknown_sie_type_is_an_error_and_vouchers_in_type_1_a_warning():
    assert codes(records("#FLAGGA 0\n#SIETYP 5\n")) == [("bad_sietyp", 2)]
    recs = records("#FLAGGA 0\n#SIETYP 1\n#VER A 1 20240105 x\n{\n#TRANS 1 {} 0\n}\n")
    assert ("type_mismatch", 3) in codes(recs, WARNING)


# ------------------------------------------------------------------------------ encodings


SWEDISH = '#FLAGGA 0\n#FORMAT PC8\n#FNAMN "Åsa Ängs Öl och bröd på Älvö"\n'


@pytest.mark.parametrize(
    ("encoding", "label"),
    [("cp437", "CP437 (PC8)"), ("latin-1", "Latin-1"), ("utf-8", "UTF-8")],
)
def test_encoding_is_detected_from_the_swedish_letters(encoding, label):
    recs = records(SWEDISH, encoding=encoding)
    assert recs[0] == FileInfo(recs[0].encoding, label)
    name = next(r for r in recs if isinstance(r, HeaderField) and r.tag == "FNAMN")
    assert name.values == ("Åsa Ängs Öl och bröd på Älvö",)
    mismatch = [i for i in issues(recs) if i.code == "encoding_mismatch"]
    assert bool(mismatch) == (encoding != "cp437")


def test_utf8_with_bom_is_read():
    recs = list(iter_sie(b"\xef\xbb\xbf" + SWEDISH.encode("utf-8")))
    assert next(r for r in recs if isinstance(r, HeaderField)).tag == "FLAGGA"
    assert not issues(recs, ERROR)


def test_mixed_encodings_are_an_error_at_the_first_bad_line():
    data = SWEDISH.encode("utf-8") + '#KONTO 1930 "Bank Ö"\n'.encode("cp437")
    recs = list(iter_sie(data, filename="mix.se"))
    assert codes(recs) == [("encoding", 4)]


def test_a_binary_file_is_refused_at_once():
    recs = list(iter_sie(b"PK\x03\x04\x00\x00binary", filename="x.zip"))
    assert codes(recs) == [("not_text", 0)]
    assert len(recs) == 1


def test_replacement_characters_give_one_warning():
    recs = records(SWEDISH.replace("Å", "\ufffd").replace("Ä", "\ufffd"), encoding="utf-8")
    assert [c for c, _ in codes(recs, WARNING)].count("replacement_chars") == 1


# ------------------------------------------------------------------------------ #KSUMMA


def ksumma_file(body_lines: list[str], value: int | None) -> str:
    return (
        "#FLAGGA 0\n#KSUMMA\n"
        + "".join(s + "\n" for s in body_lines)
        + (f"#KSUMMA {value}\n" if value is not None else "")
    )


BODY = [
    '#PROGRAM "Prog" 1.0',
    "#SIETYP 4",
    '#KONTO 1930 "Bank ö"',
    '#VER A 1 20240105 "x"',
    "{",
    '#TRANS 1930 {1 "7"} 5.00',
    "#TRANS 1930 {} -5.00",
    "}",
]
# Worked out by hand from the rule: every label and field, without quotes, spaces or
# braces, in the file's encoding, between the two #KSUMMA lines ({ and } lines add nothing).
BODY_BYTES = "".join(
    [
        "#PROGRAMProg1.0",
        "#SIETYP4",
        "#KONTO1930Bank ö",
        "#VERA120240105x",
        "#TRANS1930175.00",
        "#TRANS1930-5.00",
    ]
).encode("cp437")


def test_ksumma_that_matches_is_accepted():
    recs = records(ksumma_file(BODY, zlib.crc32(BODY_BYTES)))
    assert not [i for i in issues(recs) if i.code.startswith("ksumma")]


def test_ksumma_that_does_not_match_is_an_error():
    recs = records(ksumma_file(BODY, zlib.crc32(BODY_BYTES) ^ 1))
    assert [c for c, _ in codes(recs)] == ["ksumma_mismatch"]


def test_ksumma_missing_at_the_end_is_an_error():
    recs = records(ksumma_file(BODY, None))
    assert ("ksumma_missing", 2) in codes(recs)


# ------------------------------------------------------------------------------ API


SMALL = HEAD + "#VER A 1 20240105 x\n{\n#TRANS 4010 {} 1\n#TRANS 1930 {} -1\n}\n"


def test_reader_accepts_a_path_bytes_and_a_non_seekable_stream(tmp_path):
    path = tmp_path / "fil.se"
    path.write_bytes(SMALL.encode("cp437"))

    class Pipe(io.RawIOBase):
        def __init__(self, data: bytes) -> None:
            self._buf = io.BytesIO(data)

        def readable(self) -> bool:
            return True

        def readinto(self, b) -> int:
            chunk = self._buf.read(len(b))
            b[: len(chunk)] = chunk
            return len(chunk)

    outputs = [
        list(iter_sie(path)),
        list(iter_sie(SMALL.encode("cp437"), filename="fil.se")),
        list(iter_sie(io.BufferedReader(Pipe(SMALL.encode("cp437"))), filename="fil.se")),
    ]
    assert outputs[0] == outputs[1] == outputs[2]
    assert len(vouchers(outputs[0])) == 1


def test_missing_file_is_an_issue_not_an_exception(tmp_path):
    recs = list(iter_sie(tmp_path / "saknas.se"))
    assert codes(recs) == [("unreadable", 0)]


def test_summary_counts_and_totals():
    s = read_sie(
        SMALL.encode("cp437") + b"#IB 0 1930 12.5\n#PSALDO 0 202401 4010 {} 3\n", filename="fil.se"
    )
    assert (s.file, s.sietyp, s.company, s.accounts, s.vouchers, s.transactions) == (
        "fil.se",
        4,
        "Testkommun",
        3,
        1,
        2,
    )
    assert (s.debit_ore, s.credit_ore, s.ok) == (100, -100, True)
    assert s.balances == {"IB": 1} and s.balance_totals == {"IB": 1250}
    assert s.period_balances == {"PSALDO": 1} and s.period_balance_totals == {"PSALDO": 300}


def test_importing_the_reader_does_not_load_django():
    code = (
        "import sys, styra.ledger.readers.sie, styra.ledger.readers.tabular\n"
        "print(any(m.split('.')[0] == 'django' for m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == "False"
