"""Cells for CSV and XLSX files that people open in a spreadsheet program.

A text cell that starts with = + - @ (or a tab or carriage return) is read by Excel and
LibreOffice as a formula: a unit named `=HYPERLINK("https://…","Klicka")` would become a
live link, `=cmd|…` worse. Every writer of CSV or XLSX in Styra goes through this module:
such text gets a leading apostrophe in CSV (OWASP's advice) and is stored as quoted text
in XLSX; numbers, also
negative ones and numbers written as text ("-1 234,50"), stay as they are.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, TextIO

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?[0-9][0-9 \u00a0\u202f]*([.,][0-9]+)?$|^[+-]?[.,][0-9]+$")


def safe_text(value: str) -> str:
    """Text that no spreadsheet reads as a formula."""
    if value.startswith(FORMULA_START) and not _NUMBER.match(value):
        return "'" + value
    return value


def safe_cell(value: Any) -> Any:
    """A cell value for a writer: numbers, dates and None as they are; text made safe."""
    if value is None or isinstance(value, int | float | Decimal):
        return value
    if isinstance(value, str):
        return safe_text(value)
    return safe_text(str(value)) if not hasattr(value, "isoformat") else value


class CsvWriter:
    """csv.writer whose every text cell passes safe_text."""

    def __init__(self, stream: TextIO, **kwargs):
        self._writer = csv.writer(stream, **kwargs)

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow([safe_cell(v) for v in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def xlsx_append(sheet, row: Iterable[Any]) -> None:
    """Append a row to an openpyxl worksheet. In XLSX the text keeps its exact characters:
    it is stored as a text cell (openpyxl would store "=…" as a formula) with Excel's
    quote prefix, so that editing the cell does not turn it into a formula either."""
    values = [safe_cell(v) for v in row]
    raw = list(row) if not isinstance(row, list) else row
    sheet.append([None] * len(values))
    for cell, original, value in zip(sheet[sheet.max_row], raw, values, strict=False):
        if isinstance(value, str) and value != original:  # made safe: keep the exact text
            cell.value = original
            cell.data_type = "s"
            cell.quotePrefix = True
        else:
            cell.value = value
