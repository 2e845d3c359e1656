"""Outcome rows from CSV and XLSX files with a declared column mapping."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from styra.ledger.readers.tabular import (
    MappingError,
    TabularRow,
    load_mapping,
    parse_mapping,
    read_rows,
)
from styra.lib.errors import ERROR, WARNING

FIXTURES = Path(__file__).parent / "fixtures"
DOCS = Path(__file__).resolve().parents[2] / "docs" / "formats" / "csv-mapping.md"

BASIC = {
    "columns": {
        "period": "Period",
        "account": "Konto",
        "amount": "Belopp",
        "dimensions": {"ansvar": "Ansvar", "verksamhet": "Verksamhet"},
    }
}


def csv_rows(text: str, mapping=BASIC, encoding: str = "utf-8"):
    return read_rows(text.encode(encoding), mapping, filename="utfall.csv")


def test_shipped_example_file_is_read_with_its_mapping():
    rows, issues = read_rows(FIXTURES / "utfall-2024.csv", FIXTURES / "utfall-mapping.yaml")
    assert issues == []
    assert rows[0] == TabularRow(
        2024, 1, "5010", {"ansvar": "4000", "verksamhet": "410"}, 100_000_00, "", "Löner januari", 3
    )
    # Figures typed into the fixture: 100 000,00 - 30 000,00 + 12 345,67 + 1000 - 250,50
    assert sum(r.amount_ore for r in rows) == 83_095_17
    assert [(r.period, r.line) for r in rows] == [(1, 3), (1, 4), (2, 5), (2, 7), (13, 8)]
    assert rows[2].text == "Material; kontor" and rows[2].project == "P17"


def test_the_documented_example_mapping_is_valid():
    text = DOCS.read_text(encoding="utf-8")
    block = text.split("```yaml", 1)[1].split("```", 1)[0]
    import yaml

    mapping = parse_mapping(yaml.safe_load(block), source="csv-mapping.md")
    assert mapping.dimensions and mapping.account


def test_year_and_month_columns_and_swedish_month_names():
    mapping = {"columns": {"year": "År", "month": "Mån", "account": "Konto", "amount": "Belopp"}}
    rows, issues = csv_rows("År;Mån;Konto;Belopp\n2024;3;4010;1,5\n2024;okt;4010;2\n", mapping)
    assert issues == []
    assert [(r.year, r.period, r.amount_ore) for r in rows] == [(2024, 3, 150), (2024, 10, 200)]


@pytest.mark.parametrize(
    ("cell", "ore"),
    [
        ("- 306 578", -306_578_00),
        ("−306 578", -306_578_00),
        ("1 234,50", 1_234_50),
        ("1.234,50", 1_234_50),
        ("0,5", 50),
        ("+-0", 0),
    ],
)
def test_swedish_number_formats_are_accepted(cell, ore):
    rows, issues = csv_rows(f"Period;Ansvar;Verksamhet;Konto;Belopp\n202401;1;2;4010;{cell}\n")
    assert issues == [] and rows[0].amount_ore == ore


def test_decimal_point_style_with_comma_thousands():
    mapping = {**BASIC, "decimal": "point", "delimiter": "\t"}
    rows, issues = csv_rows(
        "Period\tAnsvar\tVerksamhet\tKonto\tBelopp\n202401\t1\t2\t4010\t1,234.50\n", mapping
    )
    assert issues == [] and rows[0].amount_ore == 1_234_50


def test_bad_values_are_errors_with_their_lines():
    rows, issues = csv_rows(
        "Period;Ansvar;Verksamhet;Konto;Belopp\n"
        "202401;1;2;4010;12\n"
        "2024-14;1;2;4010;12\n"
        "202401;1;2;;12\n"
        "202401;1;2;4010;tolv\n"
        "202401;1;2;4010;1,005\n"
    )
    assert len(rows) == 1
    assert [(i.line, i.severity) for i in issues] == [
        (3, ERROR),
        (4, ERROR),
        (5, ERROR),
        (6, ERROR),
    ]
    assert "14" in issues[0].message and "konto saknas" in issues[1].message
    assert "tolv" in issues[2].message and "två decimaler" in issues[3].message


def test_empty_amount_is_skipped_with_a_warning_not_read_as_zero():
    rows, issues = csv_rows("Period;Ansvar;Verksamhet;Konto;Belopp\n202401;1;2;4010;\n")
    assert rows == [] and [(i.code, i.line, i.severity) for i in issues] == [
        ("empty_amount", 2, WARNING)
    ]


def test_missing_column_names_the_header_and_hints_the_delimiter():
    rows, issues = csv_rows("Period,Ansvar,Verksamhet,Konto,Belopp\n202401,1,2,4010,5\n")
    assert rows == [] and len(issues) == 1
    assert issues[0].code == "mapping" and issues[0].line == 1
    assert "Period" in issues[0].message and "','" in issues[0].message


def test_columns_by_number_without_header():
    mapping = {"header_row": 0, "columns": {"period": 1, "account": 2, "amount": 3}}
    rows, issues = csv_rows("202401;4010;5\n202402;4010;6\n", mapping)
    assert issues == [] and [r.line for r in rows] == [1, 2]


def test_windows_1252_and_utf8_files_are_both_read():
    text = "Period;Ansvar;Verksamhet;Konto;Belopp\n202401;Äldre;Öst;4010;5\n"
    for enc in ("utf-8", "cp1252", "utf-8-sig"):
        rows, issues = csv_rows(text, encoding=enc)
        assert issues == [] and rows[0].dimensions == {"ansvar": "Äldre", "verksamhet": "Öst"}


def test_wrong_declared_encoding_is_an_error_with_the_line():
    mapping = {**BASIC, "encoding": "utf-8"}
    _, issues = csv_rows(
        "Period;Ansvar;Verksamhet;Konto;Belopp\n202401;Ö;2;4010;5\n", mapping, encoding="cp1252"
    )
    assert [(i.code, i.line) for i in issues] == [("encoding", 2)]


def test_sign_negate_turns_the_amounts():
    rows, _ = csv_rows(
        "Period;Ansvar;Verksamhet;Konto;Belopp\n202401;1;2;4010;5\n", {**BASIC, "sign": "negate"}
    )
    assert rows[0].amount_ore == -500


def test_xlsx_is_read_streaming_with_numeric_cells(tmp_path):
    path = tmp_path / "utfall.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Utfall"
    ws.append(["Rapport"])
    ws.append(["Period", "Ansvar", "Verksamhet", "Konto", "Belopp", "Text"])
    ws.append([202401, 4000, 410, 5010, 100000.1, "Löner"])
    ws.append(["202402", "4000", "410", 4610, 0.1 + 0.2, None])  # 0.30000000000000004
    ws.append([202402, 4000, 410, 4610, Decimal("12.5"), None])
    ws.append([202403, 4000, 410, 4610, 1.005, None])
    wb.save(path)
    rows, issues = read_rows(
        path,
        {
            **BASIC,
            "header_row": 2,
            "sheet": "Utfall",
            "columns": {**BASIC["columns"], "text": "Text"},
        },
    )
    assert [(r.year, r.period, r.account, r.amount_ore, r.text, r.line) for r in rows] == [
        (2024, 1, "5010", 10_000_010, "Löner", 3),
        (2024, 2, "4610", 30, "", 4),
        (2024, 2, "4610", 1250, "", 5),
    ]
    assert rows[0].dimensions == {"ansvar": "4000", "verksamhet": "410"}
    assert [(i.line, i.code) for i in issues] == [(6, "bad_value")]


def test_a_file_that_is_not_xlsx_is_one_clear_error(tmp_path):
    path = tmp_path / "utfall.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    rows, issues = read_rows(path, BASIC)
    assert rows == [] and [i.code for i in issues] == ["not_xlsx"]


def test_missing_sheet_is_named(tmp_path):
    path = tmp_path / "u.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "Blad1"
    wb.save(path)
    _, issues = read_rows(path, {**BASIC, "sheet": "Utfall"})
    assert "Utfall" in issues[0].message and "Blad1" in issues[0].message


@pytest.mark.parametrize(
    ("yaml_text", "needle"),
    [
        ("columns: [a, b]", "columns"),
        ("columns:\n  account: Konto\n", "amount"),
        ("columns:\n  account: K\n  amount: B\n", "period"),
        ("columns:\n  account: K\n  amount: B\n  period: P\n  year: Å\n", "antingen"),
        ("columns:\n  account: K\n  amount: B\n  period: P\ndelimiter: ';;'\n", "delimiter"),
        ("columns:\n  account: K\n  amount: B\n  period: P\nencoding: klingon\n", "klingon"),
        ("columns:\n  account: K\n  amount: B\n  period: P\nfärg: blå\n", "färg"),
        ("columns: {account: K, amount: B, period: P\n", "rad"),
    ],
)
def test_bad_mapping_file_is_a_clear_error(tmp_path, yaml_text, needle):
    path = tmp_path / "mapping.yaml"
    path.write_text(yaml_text, encoding="utf-8")
    with pytest.raises(MappingError) as exc:
        load_mapping(path)
    assert "mapping.yaml" in str(exc.value) and needle in str(exc.value)
    rows, issues = read_rows(b"x", path, filename="u.csv")
    assert rows == [] and [(i.code, i.severity, i.file) for i in issues] == [
        ("mapping", ERROR, "u.csv")
    ]


def test_missing_mapping_file_is_a_clear_error(tmp_path):
    with pytest.raises(MappingError, match="finns inte"):
        load_mapping(tmp_path / "saknas.yaml")


def test_swedish_keys_are_accepted_in_the_mapping():
    mapping = parse_mapping(
        {
            "kolumner": {
                "period": "P",
                "konto": "K",
                "belopp": "B",
                "dimensioner": {"ansvar": "A"},
            },
            "avgränsare": "tab",
            "decimaltecken": "komma",
        }
    )
    assert (mapping.account, mapping.delimiter, mapping.dimensions) == ("K", "\t", {"ansvar": "A"})
