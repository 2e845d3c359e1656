"""Formula cells in CSV and XLSX output (the probe: a unit named =HYPERLINK(…) was written
unescaped)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from styra.lib.spreadsheet import FORMULA_START, CsvWriter, safe_cell, safe_text, xlsx_append

HOSTILE = ['=HYPERLINK("http://x","Klicka")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\t=1"]


@pytest.mark.parametrize("text", HOSTILE)
def test_formula_text_is_quoted(text):
    assert safe_text(text) == "'" + text


@pytest.mark.parametrize("value", ["-1 234,50", "+12", "-0,5", "Jobbcenter", "", "3-4"])
def test_numbers_and_plain_text_stay(value):
    assert safe_text(value) == value


def test_numbers_as_numbers_stay():
    assert safe_cell(Decimal("-12.5")) == Decimal("-12.5")
    assert safe_cell(-3) == -3 and safe_cell(None) is None


@given(st.text())
def test_no_safe_text_starts_a_formula(text):
    out = safe_text(text)
    assert out == text or out == "'" + text
    if out.startswith(FORMULA_START):
        assert out.lstrip("+-").replace(" ", "").replace(",", "").replace(".", "")[:1].isdigit()


def test_csv_writer_escapes_every_text_cell():
    buffer = io.StringIO()
    CsvWriter(buffer, delimiter=";").writerows([["enhet", "belopp"], [HOSTILE[0], "-1,5"]])
    rows = list(csv.reader(io.StringIO(buffer.getvalue()), delimiter=";"))
    assert rows[1] == ["'" + HOSTILE[0], "-1,5"]


def test_xlsx_keeps_the_text_but_never_a_formula(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    xlsx_append(sheet, ["enhet", "belopp"])
    xlsx_append(sheet, [HOSTILE[0], Decimal("-1234.5")])
    path = tmp_path / "ut.xlsx"
    book.save(path)
    cell = openpyxl.load_workbook(path).active["A2"]
    assert cell.value == HOSTILE[0]
    assert cell.data_type == "s" and cell.quotePrefix
    # The unprotected way would have stored a formula:
    raw = openpyxl.Workbook().active
    raw.append([HOSTILE[0]])
    assert raw["A1"].data_type == "f"


def test_every_writer_goes_through_the_helper():
    """No module writes CSV or XLSX rows by itself (csv.writer, DictWriter, sheet.append)."""
    import re
    from pathlib import Path

    import styra

    WRITES = re.compile(r"csv\.(writer|DictWriter)\(|\b(ws|sheet|worksheet)\.append\(")
    root = Path(styra.__file__).parent
    found = [
        f"{path.relative_to(root)}:{n}"
        for path in root.rglob("*.py")
        if path.name != "spreadsheet.py"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if WRITES.search(line)
    ]
    assert found == []
