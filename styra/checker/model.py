"""The common document model every reader produces and every rule reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass
class Line:
    """One line of the document's text (1-based `number` within the extracted text)."""

    number: int
    text: str  # cleaned: bold markers removed, heading hashes kept out (see `heading`)
    page: int | None = None
    page_line: int | None = None  # 1-based line within its page (PDF)
    bold: bool = False
    heading: int = 0  # Markdown heading level, 0 = not a heading
    cells: list[str] | None = None  # tab- or geometry-separated cells, None = plain text


@dataclass
class Cell:
    text: str
    value: Decimal | None = None  # None = missing / not a number
    unit: str = ""  # "%", "tkr", "mnkr", "kr", ""
    decimals: int = 0
    values: tuple[Decimal, ...] = ()  # several numbers in one cell ("85 % 41 % 44 %")

    @property
    def is_number(self) -> bool:
        return self.value is not None


@dataclass
class Column:
    index: int
    header: str
    kind: str = ""  # utfall / budget / prognos / avvikelse / mal / ""
    year: int | None = None
    scope: str = ""  # "full" (whole year), "ytd" (period to date), ""
    months: tuple[int, int] | None = None
    formula: tuple[str, str] | None = None  # header says "<a> - <b>" (kinds)


@dataclass
class Row:
    label: str
    cells: list[Cell]
    line: Line
    kind: str = "data"  # data / section / total / varav
    section: str = ""  # label of the enclosing section row, "" at top level
    short: bool = False  # fewer values than the table has columns, placement unknown
    raw_values: list[Cell] = field(default_factory=list)  # values of a short row, unplaced
    marker: str = ""  # text of a non-numeric marker cell (e.g. "Totalt Män Kvinnor")

    def value(self, col: int) -> Decimal | None:
        if col < len(self.cells):
            return self.cells[col].value
        return None

    @property
    def has_values(self) -> bool:
        return any(c.value is not None for c in self.cells) or bool(self.raw_values)


@dataclass
class Table:
    index: int  # 1-based in document order
    columns: list[Column]
    rows: list[Row]
    header_line: Line | None
    unit: str = ""  # "tkr", "mnkr", "kr", "%", ""
    title: str = ""  # first header cell / caption
    # "cells" (tabs, DOCX, PDF geometry), "spaces" (text from PDFs), "vertical" (one cell per
    # line) or "inline" (a list run together in prose)
    layout: str = "cells"
    line_item: str = ""  # what the rows measure when the header says it ("netto")

    @property
    def first_line(self) -> int:
        if self.header_line is not None:
            return self.header_line.number
        return self.rows[0].line.number if self.rows else 0

    @property
    def last_line(self) -> int:
        return self.rows[-1].line.number if self.rows else self.first_line

    def column_name(self, col: int) -> str:
        if 0 <= col < len(self.columns):
            return self.columns[col].header or f"kolumn {col + 1}"
        return f"kolumn {col + 1}"


@dataclass
class Document:
    path: str
    kind: str  # "text", "pdf", "docx"
    lines: list[Line]
    pages: int = 1
    tables: list[Table] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # reader warnings (Swedish)


class ReadError(Exception):
    """The file cannot be read as a report (message in Swedish, names the file)."""
